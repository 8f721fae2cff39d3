"""The kiosk starts where Windows' Python lacks the POSIX-only names, and looks the same there.

Found under Wine (tests/windows/): `signal.SIGHUP` ended the kiosk before its first frame on any
Windows; the headings fell back to a serif face; Qt read the desktop's theme. Here the real kiosk
starts offscreen in a process where those names are taken away (tests/windows_like_start.py),
speaks to a UDP "supervisor" as `kiosk supervise` on Windows listens, and reports what it showed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support import ROOT


def test_kiosk_reaches_its_first_frame_without_posix_names_with_its_own_fonts_and_theme(
        tmp_path: Path, data_dir: Path) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    report = tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": f"udp:127.0.0.1:{port}",
           "PYTHONPATH": str(ROOT)}
    out = tmp_path / "output.txt"
    with out.open("wb") as sink:
        kiosk = subprocess.Popen([sys.executable, str(ROOT / "tests" / "windows_like_start.py"), str(report),
                                  "--windowed", "--size", "1366x768", "--data-dir", str(data_dir)],
                                 env=env, stdout=sink, stderr=subprocess.STDOUT)
    messages: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and kiosk.poll() is None:
            try:
                messages.append(listener.recv(4096).decode())
            except TimeoutError:
                continue
            if any(m.startswith("READY=1") for m in messages) and report.exists():
                break
        kiosk.send_signal(signal.SIGTERM)  # as a supervisor stops it; Windows' Python has SIGTERM
        code = kiosk.wait(timeout=30)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
        listener.close()
    output = out.read_text(encoding="utf-8", errors="replace")
    log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert any(m.startswith("READY=1") for m in messages), (output, log)  # the first frame was shown
    assert code == 0, (code, output, log)  # stopped cleanly by SIGTERM, the signal Windows has
    assert "Traceback" not in output + log, output + log
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert shown["desktop_settings_aware"] is False  # a product choice: the kiosk's own theme only
    fonts = shown["fonts"]
    assert len(fonts) >= 3, fonts  # the attract screen's headline, invitation, organisation, ...
    assert {name: family for name, family in fonts.items() if family != "Noto Sans"} == {}
