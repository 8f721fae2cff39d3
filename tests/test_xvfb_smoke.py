"""One smoke test under a real X server: the real `kiosk` command, full screen, screenshot."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.support import need_tool

pytestmark = pytest.mark.xvfb


def _free_display() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def _start_xvfb(screen: str = "1366x768"):  # type: ignore[no-untyped-def]
    need_tool("Xvfb", "xvfb")
    number = _free_display()
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert proc.poll() is None, f"Xvfb :{number} exited at once (code {proc.returncode})"
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Xvfb :{number} made no socket in /tmp/.X11-unix within 10 s")
        time.sleep(0.05)
    return proc, f":{number}"


@pytest.fixture
def xvfb():  # type: ignore[no-untyped-def]
    need_tool("import", "imagemagick")
    proc, display = _start_xvfb()
    yield display
    proc.terminate()
    proc.wait(timeout=10)


def test_real_kiosk_command_full_screen_under_xvfb(xvfb: str, tmp_path: Path, data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb")
    output = tmp_path / "kiosk.out"
    data_dir.mkdir(parents=True, exist_ok=True)  # the health files go to an outbox (issue 23)
    (data_dir / "settings.yaml").write_text(f"outbox_dir: {tmp_path / 'outbox'}\nkiosk_id: smoke-1\n", encoding="utf-8")
    with output.open("w") as out:
        kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir)], env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
    shot = tmp_path / "screen.png"
    try:
        deadline = time.monotonic() + 30
        image = QImage()
        bar = QColor("#134e4a")
        while True:  # until the contact bar is painted (the kiosk is up), at most 30 s
            assert kiosk.poll() is None, output.read_text()
            subprocess.run(["import", "-display", xvfb, "-window", "root", str(shot)], check=True,
                           capture_output=True, timeout=20)
            image = QImage(str(shot))
            if image.pixelColor(5, image.height() - 5) == bar:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the kiosk painted no contact bar within 30 s (see {shot}):\n{output.read_text()}")
            time.sleep(0.3)
        assert (image.width(), image.height()) == (1366, 768)
        # full screen, no desktop: the contact bar runs along the whole bottom edge,
        # the page colour fills the top corners
        for x in (2, 683, 1363):
            assert image.pixelColor(x, 765) == bar, x
        assert image.pixelColor(2, 2) == QColor("#f8fafc")
        assert image.pixelColor(1363, 80) == QColor("#f8fafc")
        log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
        assert "starting" in log and "Traceback" not in log
        today = tmp_path / "outbox" / "smoke-1" / "health-today.json"
        deadline = time.monotonic() + 30
        while not today.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert json.loads(today.read_text(encoding="utf-8"))["starts"] == 1
    finally:
        kiosk.send_signal(signal.SIGTERM)
        try:
            kiosk.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kiosk.kill()
    state = json.loads((data_dir / "health-state.json").read_text(encoding="utf-8"))
    assert state["running"] is False  # a clean stop: the next start counts no unclean end


@pytest.mark.parametrize(("screen", "expected"), [("1920x1080", (1366, 768)), ("1024x600", (1024, 600))])
def test_windowed_without_a_window_manager_opens_at_a_sensible_size(tmp_path: Path, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                      screen: str, expected: tuple[int, int]) -> None:
    """Xvfb alone, no window manager: nobody but the kiosk sizes its window (Qt alone made it 904x598)."""
    need_tool("xwininfo", "x11-utils")
    proc, display = _start_xvfb(screen)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    output = tmp_path / "kiosk.out"
    with output.open("w") as out:
        kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--windowed", "--data-dir", str(data_dir)],
                                 env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:  # xwininfo finds the window once it is mapped
            assert kiosk.poll() is None, output.read_text()
            info = subprocess.run(["xwininfo", "-display", display, "-name", "Safe-migration kiosk"],
                                  capture_output=True, text=True, timeout=10)
            if info.returncode == 0 and "IsViewable" in info.stdout:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"no kiosk window within 30 s: {info.stderr}\n{output.read_text()}")
            time.sleep(0.2)
        time.sleep(0.5)  # the first frame; a late resize would show here
        info = subprocess.run(["xwininfo", "-display", display, "-name", "Safe-migration kiosk"],
                              capture_output=True, text=True, timeout=10, check=True)
        geometry = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in info.stdout.splitlines())}
        assert (int(geometry["Width"]), int(geometry["Height"])) == expected, info.stdout
    finally:
        kiosk.send_signal(signal.SIGTERM)
        try:
            kiosk.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kiosk.kill()
        proc.terminate()
        proc.wait(timeout=10)
