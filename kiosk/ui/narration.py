"""Narration: a recorded voice reads the slide aloud, for visitors who read poorly.

Played by the system's own audio player in a separate process (QProcess), so a missing
codec or a broken sound card can never take the kiosk down, and PySide6-Essentials (which
has no QtMultimedia) is enough. The first player found is used, unless the site settings
name one (`narration_player`, e.g. "aplay -q" for WAV files only).
"""

from __future__ import annotations

import logging
import shlex
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, QProcess

log = logging.getLogger(__name__)

PLAYERS = (
    ("pw-play", ()),
    ("paplay", ()),
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
    ("aplay", ("-q",)),
)


def find_player(configured: str = "") -> list[str] | None:
    if configured.strip():
        words = shlex.split(configured)
        return words if shutil.which(words[0]) else None
    for name, options in PLAYERS:
        if shutil.which(name):
            return [name, *options]
    return None


class Narrator(QObject):
    def __init__(self, configured: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.command = find_player(configured)
        self.process: QProcess | None = None
        self.playing: Path | None = None
        self._warned = False

    def use_player(self, configured: str) -> None:
        """A new `narration_player` setting: it plays the next narration."""
        self.command = find_player(configured)
        self._warned = False

    @property
    def available(self) -> bool:
        return self.command is not None

    def play(self, path: Path) -> bool:
        self.stop()
        if self.command is None:
            if not self._warned:
                log.warning("narration cannot be played: no audio player found (pw-play, paplay, ffplay, aplay)")
                self._warned = True
            return False
        if not path.is_file():
            log.warning("narration file is missing: %s", path)
            return False
        process = QProcess(self)
        process.setProgram(self.command[0])
        process.setArguments([*self.command[1:], str(path)])
        process.setStandardOutputFile(QProcess.nullDevice())
        process.setStandardErrorFile(QProcess.nullDevice())
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        process.start()
        self.process, self.playing = process, path
        return True

    def stop(self) -> None:
        process, self.process, self.playing = self.process, None, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(500)
        if process is not None:
            process.deleteLater()

    def _on_finished(self, *args: object) -> None:
        if self.sender() is self.process:
            self.playing = None

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if self.sender() is self.process and error == QProcess.ProcessError.FailedToStart:
            log.warning("the audio player %s could not start", self.command)
            self.playing = None
