"""Narration: a voice reads the screen aloud, for visitors who read poorly.

`Narrator` plays a playlist, one file after another, with the system's own player in a
separate process (a QProcess; see kiosk/core/narration/players.py for why), or on Windows through
winmm's MCI. `stop()` is at once: the process is killed and waited for, the rest of the
list is dropped, and nothing that was pending (the next file, an automatic reading) starts
after it.

`NarrationController` (one per window) knows what the screen in front of the visitor reads
(kiosk/core/narration/narration.py) and holds the stop rules in one place: the voice stops whenever
the page changes (any navigation, a language change), when the visit is wiped (quick exit,
idle timeout, staff mode) and never speaks on the neutral quick-exit screen. With the
`narration_auto` setting each screen reads itself when shown; with `attract_sound` the
attract loop reads its invitation.
"""

from __future__ import annotations

import itertools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtWidgets import QPushButton

from kiosk.core.model import N_
from kiosk.core.narration import (
    MCI_SUFFIXES,
    SILENT_SCREENS,
    Player,
    find_player,
    mci_close,
    mci_open,
    mci_status,
    page_key,
)
from kiosk.core.visit import Screen

if TYPE_CHECKING:
    from kiosk.core.model import Content, I18n
    from kiosk.core.narration import Narration
    from kiosk.core.site import Settings, SiteConfig
    from kiosk.core.visit import Session, Visit
    from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)

# TRANSLATORS: button that plays a voice reading the screen aloud (a slide, a quiz question
# with its answers, the explanation, the result).
LISTEN = N_("Listen")
# TRANSLATORS: the same button while the voice reads; a tap stops it.
STOP = N_("Stop")

MCI = Player(("winmm-mci",), MCI_SUFFIXES)  # Windows: no program, the MCI calls in this process
_aliases = itertools.count(1)


class Narrator(QObject):
    """Plays a list of files one after another; `stop()` silences it at once."""

    playing_changed = Signal(bool)
    process_started = Signal(int)  # the player's pid (for the benchmark and the tests)

    def __init__(self, configured: str = "", volume: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._configured = configured
        self._player: Player | None = None
        self._looked = False
        self.volume = volume
        self.process: QProcess | None = None
        self.playing: Path | None = None
        self.queue: list[Path] = []
        self._mci: _Mci | None = None
        self._warned = False
        self._killing = False

    # -- the player ------------------------------------------------------------------------
    @property
    def player(self) -> Player | None:
        if not self._looked:  # looked up on first use: no PATH search at start-up
            self._looked = True
            self._player = find_player(self._configured)
            if self._player is None and not self._configured.strip() and sys.platform == "win32":
                self._player = MCI
            if self._player is not None and not self._player.has_volume and self.volume != 100:
                log.info("narration: %s has no volume option; the system mixer sets its loudness",
                         self._player.name)
        return self._player

    @property
    def command(self) -> list[str] | None:
        """The player's command line without the file (None: no player)."""
        player = self.player
        return list(player.words) if player is not None else None

    def use_player(self, configured: str) -> None:
        """A new `narration_player` setting: it plays the next narration."""
        self.stop()
        self._configured, self._looked, self._warned = configured, False, False

    def set_volume(self, volume: int) -> None:
        self.volume = volume
        if volume == 0:
            self.stop()

    @property
    def available(self) -> bool:
        """There is a player and a volume: Listen buttons may show."""
        return self.volume > 0 and self.player is not None

    def playable(self, paths: list[Path]) -> list[Path]:
        player = self.player
        return [p for p in paths if player.plays(p)] if player is not None else []

    # -- playing ---------------------------------------------------------------------------
    def play(self, path: Path) -> bool:
        return self.play_list([path])

    def play_list(self, paths: list[Path]) -> bool:
        """Stops what plays, then plays `paths` in order (those this player cannot play are skipped)."""
        self.stop()
        if self.player is None:
            if not self._warned:
                log.warning("narration cannot be played: no audio player found (pw-play, paplay, ffplay, mpg123, "
                            "aplay)")
                self._warned = True
            return False
        if self.volume <= 0:
            return False
        self.queue = [p for p in self.playable(paths) if p.is_file()]
        if len(self.queue) < len(paths):
            log.warning("narration: %d of %d files are missing or cannot be played by %s",
                        len(paths) - len(self.queue), len(paths), self.player.name)
        if not self.queue:
            return False
        self._next()
        return self.playing is not None

    def _next(self) -> None:
        while self.queue:
            path = self.queue.pop(0)
            if self._start(path):
                self.playing = path
                self.playing_changed.emit(True)
                return
        self._ended()

    def _start(self, path: Path) -> bool:
        player = self.player
        assert player is not None
        if player is MCI:
            mci = _Mci(path, self.volume, self)
            if not mci.start():
                return False
            self._mci = mci
            return True
        words = player.arguments(path, self.volume)
        process = self._process()
        process.setProgram(words[0])
        process.setArguments(words[1:])
        process.start()
        return True

    def _process(self) -> QProcess:
        """One QProcess, made once and started again for each file: no object is made or
        deleted per file, so nothing of an old file can outlive `stop()`."""
        if self.process is None:
            process = QProcess(self)
            process.setStandardOutputFile(QProcess.nullDevice())
            process.setStandardErrorFile(QProcess.nullDevice())
            process.started.connect(self._on_started)
            process.finished.connect(self._on_finished)
            process.errorOccurred.connect(self._on_error)
            self.process = process
        return self.process

    @property
    def pid(self) -> int:
        """The running player's pid, 0 when none runs."""
        process = self.process
        return int(process.processId()) if process is not None and process.state() != QProcess.ProcessState.NotRunning else 0

    def stop(self) -> None:
        """Silence at once: the player is killed (and waited for), the rest of the list dropped."""
        mci, self._mci = self._mci, None
        self.queue = []
        was_playing, self.playing = self.playing is not None, None
        process = self.process
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            self._killing = True  # its `finished` comes inside waitForFinished: it must not start the next file
            try:
                process.kill()
                if not process.waitForFinished(2000):
                    log.error("narration: the player %s did not end after a kill", process.program())
            finally:
                self._killing = False
        if mci is not None:
            mci.close()
        if was_playing:
            self.playing_changed.emit(False)

    def _ended(self) -> None:
        was_playing, self.playing = self.playing is not None, None
        if was_playing:
            self.playing_changed.emit(False)

    def _on_started(self) -> None:
        if self.process is not None:
            self.process_started.emit(int(self.process.processId()))

    def _on_finished(self, *_args: object) -> None:
        if self._killing or self.playing is None:
            return  # stopped: nothing pending may follow it
        self._next()

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and not self._killing:
            log.warning("the audio player %s could not start", self.process.program() if self.process else "")
            self.queue = []
            self._ended()

    def _on_mci_ended(self, mci: _Mci) -> None:
        if mci is self._mci:
            self._mci = None
            mci.close()
            self._next()


class _Mci(QObject):
    """One file played by winmm MCI (Windows only). The end is noticed by polling its mode.

    Not run on Windows by these tests (they run on Linux); the command strings are
    (tests/test_narration_players.py)."""

    def __init__(self, path: Path, volume: int, narrator: Narrator) -> None:
        super().__init__(narrator)
        self.alias = f"kiosk{next(_aliases)}"
        self.path, self.volume, self.narrator = path, volume, narrator
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._poll)

    @staticmethod
    def send(command: str) -> tuple[int, str]:
        import ctypes

        winmm = ctypes.WinDLL("winmm")  # type: ignore[attr-defined]
        buffer = ctypes.create_unicode_buffer(128)
        error = winmm.mciSendStringW(command, buffer, len(buffer), None)
        return int(error), buffer.value

    def start(self) -> bool:
        for command in mci_open(self.path, self.alias, self.volume):
            error, _ = self.send(command)
            if error:
                log.warning("narration: MCI refused %r (error %d)", command, error)
                self.close()
                return False
        self.timer.start()
        return True

    def _poll(self) -> None:
        error, mode = self.send(mci_status(self.alias))
        if error or mode != "playing":
            self.timer.stop()
            self.narrator._on_mci_ended(self)

    def close(self) -> None:
        self.timer.stop()
        self.send(mci_close(self.alias))
        self.deleteLater()


class NarrationController(QObject):
    """What the visitor's screen reads, and every rule for when the voice stops."""

    def __init__(self, session: Session, i18n: I18n, config: SiteConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        settings = config.settings
        self.session, self.i18n, self.config = session, i18n, config
        self.narrator = Narrator(settings.narration_player, settings.narration_volume, self)
        self.auto = settings.narration_auto
        self.attract_sound = settings.attract_sound
        self._content: Content | None = None
        self._narration: Narration | None = None
        self.generation = 0  # a new one on every stop: what was pending for the old page is void
        # The window calls on_changed before it redraws (KioskWindow._on_changed), so a screen
        # renders with the voice already stopped.
        session.wiped.connect(self._on_wiped)
        config.watch(("narration_player", "narration_volume", "narration_auto", "attract_sound"), self._on_settings)

    # -- what is read ------------------------------------------------------------------------
    @property
    def narration(self) -> Narration:
        """The audio of the content in use; read again when the content is replaced."""
        content = self.session.content
        if self._narration is None or self._content is not content:
            from kiosk.core.narration import Narration

            self._content, self._narration = content, Narration(content.root)
        return self._narration

    def files(self, visit: Visit | None = None) -> list[Path]:
        from kiosk.core.narration import page_files

        visit = visit or self.session.state
        player = self.narrator.player
        if not self.narrator.available or player is None:
            return []
        return page_files(self.narration, self.session.content, visit, self.i18n, player.plays)

    def can_listen(self, visit: Visit | None = None) -> bool:
        """A Listen button shows: a player exists and this page has audio it can play."""
        return bool(self.files(visit))

    @property
    def playing(self) -> bool:
        return self.narrator.playing is not None

    # -- the visitor's taps and the stop rules ---------------------------------------------------
    def toggle(self) -> None:
        """A tap on Listen (or on Stop)."""
        if self.playing:
            self.stop()
        elif self.session.screen not in SILENT_SCREENS:
            self.narrator.play_list(self.files())

    def stop(self) -> None:
        self.generation += 1
        self.narrator.stop()

    def read_attract(self, language: str) -> None:
        """The attract loop shows its invitation in `language`: read it, if the site wants sound there."""
        if not self.attract_sound or self.session.screen is not Screen.ATTRACT or not self.narrator.available:
            return
        from kiosk.core.narration import attract

        self.stop()
        self.narrator.play_list(self.narration.playlist([attract(language, self.i18n)]))

    def on_changed(self, old: Visit, new: Visit) -> None:
        key = page_key(new)
        if page_key(old) == key:
            return
        self.stop()
        if self.auto and new.screen not in SILENT_SCREENS:
            # Read once the new screen is painted (the tap's response comes first); if the page
            # changes or the visit is wiped meanwhile, the generation has moved on: no reading.
            generation = self.generation
            QTimer.singleShot(0, lambda: self._auto_read(generation, key))

    def _auto_read(self, generation: int, key: tuple[object, ...]) -> None:
        state = self.session.state
        if (generation == self.generation and self.auto and state.screen not in SILENT_SCREENS
                and page_key(state) == key):
            self.narrator.play_list(self.files())

    def _on_wiped(self, _reason: str) -> None:
        self.stop()

    def _on_settings(self, settings: Settings) -> None:
        self.auto, self.attract_sound = settings.narration_auto, settings.attract_sound
        if settings.narration_player != self.narrator._configured:
            self.stop()
            self.narrator.use_player(settings.narration_player)
        self.narrator.set_volume(settings.narration_volume)
        if not self.attract_sound and self.session.screen is Screen.ATTRACT:
            self.stop()


class ListenButton(QPushButton):
    """Listen / Stop: a big touch target (at least 15 mm high, the height of every main button)."""

    def __init__(self, controller: NarrationController, theme: Theme, tr: Callable[[str], str]) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSizePolicy

        super().__init__()
        self.controller, self.tr_ = controller, tr
        self.setProperty("role", "secondary")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(theme.mm(15))
        theme.set_font(self, 5, bold=True)  # grows with large text
        self.clicked.connect(controller.toggle)
        controller.narrator.playing_changed.connect(self.show_playing)

    def show_playing(self, playing: bool) -> None:
        self.setText(self.tr_(STOP) if playing else self.tr_(LISTEN))

    def update_for(self, visit: Visit) -> None:
        """Shown only when this page can be heard; the text follows the voice and the language."""
        self.setVisible(self.controller.can_listen(visit))
        self.show_playing(self.controller.playing)
