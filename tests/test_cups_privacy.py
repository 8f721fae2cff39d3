"""CUPS on the appliance keeps no trail of a visitor's print: no job history, no spooled files,
no page log, no access-log line per job. The private CUPS server runs with the very lines the
package ships (deploy/cupsd-kiosk.conf); the job is the kiosk's own (`kiosk leaflet --print`)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cups_server import CupsServer, missing_requirements
from tests.support import need

pytestmark = pytest.mark.cups


@pytest.fixture(scope="module")
def appliance_cups() -> Iterator[CupsServer]:
    need("a real CUPS server", missing_requirements())
    server = CupsServer(appliance=True)
    try:
        server.start()
        server.add_pdf_queue("kiosk-private")
        yield server
    finally:
        server.close()


def test_after_a_printed_leaflet_cups_keeps_no_job_history_files_or_page_log(appliance_cups: CupsServer) -> None:
    cups = appliance_cups
    done = subprocess.run([sys.executable, "-m", "kiosk", "leaflet", "--lang", "ru", "--print",
                           "--printer", "kiosk-private"], env=cups.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    cups.wait_for_output("kiosk-private", 1)  # it really printed
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and cups.run("lpstat", "-o", "kiosk-private", check=False).stdout.strip():
        time.sleep(0.1)
    time.sleep(0.5)
    assert cups.run("lpstat", "-W", "completed", "-o", "kiosk-private", check=False).stdout.strip() == ""
    assert cups.run("lpstat", "-W", "all", "-o", "kiosk-private", check=False).stdout.strip() == ""
    spool = [p.name for p in (cups.root / "spool").iterdir() if p.name[:1] in ("c", "d") and p.name[1:2].isdigit()]
    assert spool == [], spool  # control (c*) and data (d*) files are gone
    page_log = cups.root / "log" / "page_log"
    assert not page_log.exists() or page_log.read_text().strip() == ""
    access_log = cups.root / "log" / "access_log"
    access = access_log.read_text() if access_log.exists() else ""
    assert "Print-Job" not in access and "Create-Job" not in access and "Send-Document" not in access


def test_the_spool_clock_leaves_only_the_day_of_the_last_print(tmp_path: Path) -> None:
    """Issue 22, item 13: cupsd stamps its spool folders and job cache at every job, to the
    second. kiosk.core.appliance.spool_clock (run by root from kiosk-spool-clock.timer) sets
    them to midnight of their day, and CUPS prints on as before."""
    need("a real CUPS server", missing_requirements())
    cups = CupsServer(appliance=True)
    try:
        cups.start()
        cups.add_pdf_queue("kiosk-clock")
        sent = time.time()
        leaflet = tmp_path / "leaflet.txt"
        leaflet.write_text("a leaflet\n")
        cups.run("lp", "-d", "kiosk-clock", str(leaflet))
        cups.wait_for_output("kiosk-clock", 1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and cups.run("lpstat", "-o", "kiosk-clock", check=False).stdout.strip():
            time.sleep(0.1)
        cups.stop()  # cupsd writes its job cache at the latest when it stops
        paths = [cups.root / "spool", cups.root / "tmp", cups.root / "cache", cups.root / "cache" / "job.cache"]
        before = {p.name: p.stat().st_mtime for p in paths}
        assert all(m >= int(sent) for m in before.values()), before  # the print's time, to the second
        done = subprocess.run([sys.executable, "-m", "kiosk.core.appliance.spool_clock", *map(str, paths)],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        for path in paths:  # local midnight of the day of its own last change
            midnight = dt.datetime.combine(dt.date.fromtimestamp(before[path.name]), dt.time()).timestamp()
            info = path.stat()
            assert info.st_mtime == info.st_atime == midnight, (path, info)
        cups.start()  # and CUPS prints on
        cups.run("lp", "-d", "kiosk-clock", str(leaflet))
        cups.wait_for_output("kiosk-clock", 2)
    finally:
        cups.close()


def test_the_spool_clock_passes_over_missing_paths_and_says_why_it_failed(tmp_path: Path) -> None:
    from kiosk.core.appliance.spool_clock import coarsen, main

    there = tmp_path / "job.cache"
    there.write_text("NextJobId 12\n")
    assert coarsen([tmp_path / "no-such", there]) == [there]
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "f").write_text("x")
    locked.chmod(0)
    try:
        # root may set any file's times; a path through a folder it cannot enter is still refused
        code = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                               "kiosk.core.appliance.spool_clock", str(locked / "f")], capture_output=True, text=True,
                              timeout=30, cwd=tmp_path.anchor)
        assert code.returncode == 1 and code.stderr.startswith("kiosk spool clock: "), code.stderr
    finally:
        locked.chmod(0o755)
    assert main([str(tmp_path / "no-such")]) == 0
