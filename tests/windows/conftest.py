"""The Windows suite's fixtures: the Wine box, built once per run (tests/windows/box.py), its
services (a private Xvfb display, a private cupsd with a cups-pdf default queue, a PulseAudio null
sink), and the kiosk installed silently from the installer of this tree.

Every test here is marked `wine`. Under CI=true a missing piece fails; elsewhere it skips with the
reason (tests/support.py `need`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cups_server import CupsServer
from tests.support import ROOT, need
from tests.windows.box import WineBox, base_hash, missing_requirements

QUEUE = "KioskPDF"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.wine)
            item.add_marker(pytest.mark.slow)  # out of the fast loop (-m "not slow") as well


def _free_display() -> int:
    for number in range(190, 240):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def wine_services() -> Iterator[dict[str, object]]:
    need("the Wine box (tests/windows/box.py)", missing_requirements())
    number = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert xvfb.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    cups = CupsServer()
    cups.start()
    out = cups.add_pdf_queue(QUEUE)
    cups.set_default(QUEUE)
    # PulseAudio with a null sink, private to this run: MCI cannot open a file without an audio device.
    pulse = Path(tempfile.mkdtemp(prefix="kiosk-pulse-"))
    pulse.chmod(0o700)
    penv = {**os.environ, "XDG_RUNTIME_DIR": str(pulse)}
    subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
                    "--load=module-null-sink sink_name=nullsink", "--load=module-native-protocol-unix",
                    f"--log-target=file:{pulse}/pulse.log"], env=penv, capture_output=True, timeout=30, check=False)
    try:
        yield {"display": f":{number}", "cups": cups, "pdf_out": out, "pulse": pulse}
    finally:
        pid_file = pulse / "pulse" / "pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().split()[0]), 15)
            except (OSError, ValueError):
                pass
        cups.close()
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(pulse, ignore_errors=True)


@pytest.fixture(scope="session")
def wine_box(wine_services: dict[str, object]) -> Iterator[WineBox]:
    """The box with this tree's kiosk installed (silently, from its installer) in C:\\Program Files."""
    cups = wine_services["cups"]
    assert isinstance(cups, CupsServer)
    box = WineBox(ROOT / "build" / f"wine-{base_hash()}", display=str(wine_services["display"]),
                  cups_server=str(cups.socket), pulse_dir=wine_services["pulse"])  # type: ignore[arg-type]
    for old in (ROOT / "build").glob("wine-*"):
        if old != box.root and (old / "prefix").exists():
            shutil.rmtree(old, ignore_errors=True)  # one box kept
    box.make_base()
    box.installer = box.make_build()  # type: ignore[attr-defined]
    box.install_s = box.install(box.installer)  # type: ignore[attr-defined]
    try:
        yield box
    finally:
        box.kill_all()  # wineserver -k: no Windows process of this prefix outlives the run
