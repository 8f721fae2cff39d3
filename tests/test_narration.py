"""Narration: the Listen button plays the slide's recording in the visitor's language."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QProcess

from kiosk.core.visit.session import Screen
from tests.support import need_tool
from tests.ui_helpers import make_kiosk, swipe, tap


def tone(path: Path, seconds: float = 3.0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(int(8000 * seconds))))


def with_narration(content: Path) -> Path:
    tone(content / "audio" / "ru" / "who-we-are.wav")
    slide = content / "slides" / "01-who-we-are.yaml"
    slide.write_text(slide.read_text(encoding="utf-8") + "narration:\n  ru: audio/ru/who-we-are.wav\n",
                     encoding="utf-8")
    return content


def test_listen_plays_the_recording_and_stops_on_leaving(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    need_tool("aplay", "alsa-utils")
    kiosk = make_kiosk(qtbot, data_dir, content=with_narration(content_copy),
                       settings="narration_player: aplay -q -D null\n")
    session, window = kiosk.session, kiosk.window
    session.start()
    session.choose_language("kk")
    session.open_slides(0)
    slides = window.screens[Screen.SLIDES]
    assert not slides.listen.isVisible()  # no Kazakh recording: no button
    session.pick_language_again()
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    assert slides.listen.isVisible() and slides.listen.text() == "Слушать"
    tap(qtbot, slides.listen)
    narrator = slides.narrator
    assert narrator.playing == content_copy.resolve() / "audio" / "ru" / "who-we-are.wav"
    process = narrator.process
    assert process is not None and process.waitForStarted(3000)
    assert process.state() == QProcess.ProcessState.Running and process.arguments()[-1].endswith("who-we-are.wav")
    assert slides.listen.text() == "Стоп"
    swipe(qtbot, slides, -300)  # the next slide: the voice stops
    assert narrator.playing is None and process.state() == QProcess.ProcessState.NotRunning
    assert not slides.listen.isVisible()
    swipe(qtbot, slides, +300)
    tap(qtbot, slides.listen)
    process = narrator.process
    assert process is not None and process.waitForStarted(3000)
    tap(qtbot, window.quick_exit)  # someone is watching: silence at once
    assert narrator.playing is None and process.state() == QProcess.ProcessState.NotRunning


def test_no_player_means_no_button(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, content=with_narration(content_copy),
                       settings="narration_player: no-such-player-here\n")
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    kiosk.session.open_slides(0)
    assert not kiosk.window.screens[Screen.SLIDES].listen.isVisible()
