"""CUPS on the appliance keeps no trail of a visitor's print: no job history, no spooled files,
no page log, no access-log line per job. The private CUPS server runs with the very lines the
package ships (deploy/cupsd-kiosk.conf); the job is the kiosk's own (`kiosk leaflet --print`)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

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
