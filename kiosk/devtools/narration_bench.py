"""`kiosk bench --narration`: from a tap on Listen to the player process started, and from a
tap on Stop to the player gone.

Runs the real kiosk (offscreen) on a copy of the content with a recording of the first slide
in Russian (a tone written here as WAV, in the human-recording place, so no other tool is
needed), with the player this kiosk would use (or `--player`). The tap is a real mouse press
and release on the Listen button; "started" is the QProcess `started` signal, which Qt emits
once the program has been executed (fork + exec succeeded).
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time
import wave
from pathlib import Path


def _tone(path: Path, seconds: float = 20.0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        frame = b"".join(struct.pack("<h", int(3000 * math.sin(i / 8))) for i in range(8000))
        out.writeframes(frame * int(seconds))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(taps: int = 50, player: str = "") -> dict[str, object]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, close_kiosk
    from kiosk.core.content import load_content
    from kiosk.core.model import default_content_dir
    from kiosk.core.site import Settings, save_settings
    from kiosk.core.visit import Screen
    from kiosk.ui.application import application

    app = application(QApplication)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-narration-bench-"))
    try:
        content = folder / "content"
        shutil.copytree(default_content_dir(), content)
        loaded = load_content(content).content
        assert loaded is not None
        _tone(content / "audio" / "ru" / "recorded" / f"slide-{loaded.slides[0].id}.wav")
        save_settings(folder / "data" / "settings.yaml", Settings(narration_player=player))
        kiosk = build_kiosk(folder / "data", None, content, (1366, 768), with_stats=False)
        kiosk.window.show()
        narrator = kiosk.window.narration.narrator
        if narrator.player is None:
            raise RuntimeError("no audio player found here (pw-play, paplay, ffplay, mpg123, aplay); name one with "
                               "--player")
        session = kiosk.session
        session.start()
        session.choose_language("ru")
        session.open_slides(0)
        app.processEvents()
        listen = kiosk.window.screens[Screen.SLIDES].listen  # type: ignore[attr-defined]
        if not listen.isVisible():
            raise RuntimeError(f"no Listen button: {narrator.player.name} cannot play the WAV recording")
        started: list[float] = []
        narrator.process_started.connect(lambda _pid: started.append(time.perf_counter()))
        to_start: list[float] = []
        to_stop: list[float] = []
        for _ in range(taps):
            started.clear()
            t0 = time.perf_counter()
            QTest.mouseClick(listen, Qt.MouseButton.LeftButton)
            deadline = t0 + 10
            while not started and time.perf_counter() < deadline:
                app.processEvents()
            if not started:
                raise RuntimeError(f"{narrator.player.name} did not start within 10 s")
            to_start.append((started[0] - t0) * 1000)
            pid = narrator.pid
            t1 = time.perf_counter()
            QTest.mouseClick(listen, Qt.MouseButton.LeftButton)  # Stop
            if pid:
                try:
                    os.kill(pid, 0)
                    raise RuntimeError(f"the player (pid {pid}) still runs after Stop")
                except ProcessLookupError:
                    pass
            to_stop.append((time.perf_counter() - t1) * 1000)
        name = narrator.player.name
        close_kiosk(kiosk)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"player": name, "taps": taps,
            "start_p50_ms": round(statistics.median(to_start), 1), "start_p95_ms": round(_percentile(to_start, 0.95), 1),
            "stop_p50_ms": round(statistics.median(to_stop), 1), "stop_p95_ms": round(_percentile(to_stop, 0.95), 1)}


def run(taps: int = 50, player: str = "", as_json: bool = False) -> int:
    try:
        figures = measure(taps, player)
    except RuntimeError as exc:
        print(f"kiosk bench --narration: {exc}", file=sys.stderr)
        return 1
    if as_json:
        import json

        print(json.dumps(figures))
        return 0
    print(f"tap on Listen to the player ({figures['player']}) started: p50 {figures['start_p50_ms']} ms, "
          f"p95 {figures['start_p95_ms']} ms over {figures['taps']} taps")
    print(f"tap on Stop to the player gone (killed and waited for): p50 {figures['stop_p50_ms']} ms, "
          f"p95 {figures['stop_p95_ms']} ms")
    return 0
