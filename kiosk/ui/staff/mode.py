"""Staff mode: the hidden gesture, the PIN pad and the staff screen, as the session's STAFF state.

Holding the top-left corner for five seconds opens the PIN pad; a visitor does not do that by
chance. Entering staff mode wipes the visit (it is a state of the session's machine), the staff
screen shows its own language, and it leaves by itself after `staff_idle_s` without a touch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.model import LANGUAGES, N_, NATIVE_NAMES, I18n
from kiosk.core.packs import ContentChoice
from kiosk.core.site import Settings, SiteConfig
from kiosk.core.staff import StaffGate
from kiosk.core.visit import Screen, Session, Visit
from kiosk.ui.staff.common import CLOSE, Tab, label, scrolling, set_role
from kiosk.ui.staff.gesture import CornerHold
from kiosk.ui.staff.pinpad import PinPad
from kiosk.ui.theme import WRONG, Theme
from kiosk.ui.widgets import big_button

log = logging.getLogger(__name__)

RESTART_CODE = 3  # `kiosk` runs itself again when the window quits with this code (kiosk/app.py)

# TRANSLATORS: staff screen, above the tabs, when the kiosk started in safe mode after crashes.
SAFE_MODE = N_("Safe mode: the kiosk stopped unexpectedly several times within 30 minutes, so it shows the "
               "bundled content and does not print. It tries normal mode again after an hour without a crash. "
               "The log in the data folder has the details.")


class StaffPanel(QWidget):
    """The staff screen: the staff language, the tabs, Close."""

    def __init__(self, staff: StaffMode) -> None:
        super().__init__()
        from kiosk.ui.staff.content import ContentTab
        from kiosk.ui.staff.data import DataTab
        from kiosk.ui.staff.figures import FiguresTab
        from kiosk.ui.staff.printer import PrinterTab
        from kiosk.ui.staff.settings import SettingsTab
        from kiosk.ui.staff.updates import UpdatesPage

        self.staff = staff
        t = staff.theme
        self.language_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.setSpacing(t.mm(2))
        for lang in LANGUAGES:
            button = big_button(NATIVE_NAMES[lang], role="secondary")
            button.setFont(t.font(4.2))
            button.clicked.connect(lambda _=False, lang=lang: staff.set_language(lang))
            top.addWidget(button)
            self.language_buttons[lang] = button
        top.addStretch(1)
        self.close = big_button()
        self.close.setFont(t.font(4.5, bold=True))
        self.close.clicked.connect(staff.close)
        top.addWidget(self.close)
        self.figures, self.printer, self.content = FiguresTab(staff), PrinterTab(staff), ContentTab(staff)
        self.settings, self.data = SettingsTab(staff), DataTab(staff)
        self.updates = UpdatesPage(staff._ensure_updates())
        self.pages: list[Tab] = [self.figures, self.printer, self.content, self.updates, self.settings, self.data]
        self.tabs: list[tuple[str, QPushButton]] = []
        tab_row = QHBoxLayout()
        tab_row.setSpacing(t.mm(2))
        self.stack = QStackedWidget()
        for page in self.pages:
            button = big_button(role="secondary")
            button.setFont(t.font(4.5, bold=True))
            index = self.stack.addWidget(scrolling(page))
            button.clicked.connect(lambda _=False, i=index: self.show_tab(i))
            tab_row.addWidget(button)
            self.tabs.append((page.title, button))
        self.safe_mode = label(t, 4.2, bold=True)
        self.safe_mode.setStyleSheet(f"color: {WRONG};")
        self.safe_mode.setVisible(staff.safe_mode_reason is not None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(4), t.mm(3), t.mm(4), t.mm(3))
        layout.setSpacing(t.mm(3))
        layout.addLayout(top)
        layout.addWidget(self.safe_mode)
        layout.addLayout(tab_row)
        layout.addWidget(self.stack, 1)

    @property
    def current(self) -> Tab:
        return self.pages[self.stack.currentIndex()]

    def show_tab(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        for i, (_title, button) in enumerate(self.tabs):
            set_role(button, "primary" if i == index else "secondary")
        self.refresh()

    def refresh(self) -> None:
        t = self.staff.t
        self.close.setText("✕ " + t(CLOSE))
        self.safe_mode.setText(t(SAFE_MODE))
        for title, button in self.tabs:
            button.setText(t(title))
        for lang, button in self.language_buttons.items():
            set_role(button, "primary" if lang == self.staff.language else "secondary")
        self.current.refresh()


class StaffScreen(QStackedWidget):
    """What the window shows in the session's STAFF state: the PIN pad, then the staff screen."""

    def render(self, state: Visit) -> None:
        """Nothing of the visit to show: staff mode decides which page is up."""

    def retranslate(self) -> None:
        """Staff pages follow the staff language, not the visitor's."""

    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        return []


class StaffMode(QObject):
    """Owns the gate, the staff pages and the staff idle timer."""

    health: Any = None  # kiosk.ui.health.HealthWriter, set by kiosk.app once the kiosk runs

    def __init__(self, window: Any, session: Session, config: SiteConfig, i18n: I18n, data_dir: Path,
                 choice: ContentChoice, stats: Any = None, printer: Any = None,
                 safe_mode_reason: str | None = None) -> None:
        super().__init__(window)
        self.safe_mode_reason = safe_mode_reason
        self.window = window
        self.session, self.config, self.i18n = session, config, i18n
        self.data_dir, self.choice, self.stats, self.printer = data_dir, choice, stats, printer
        self.theme: Theme = window.theme
        self.language = session.default_language
        self.gate = StaffGate(data_dir, config.settings.staff_pin)
        config.watch(("staff_pin",), self._on_pin_changed)
        self.screen = StaffScreen()
        window.add_screen(Screen.STAFF, self.screen)
        self.pad: PinPad | None = None
        self.panel: StaffPanel | None = None
        self.hold = CornerHold(window, self.theme.mm(15))
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.close)
        self.hold.held.connect(self.open_pin_pad)
        session.changed.connect(self._on_session_changed)
        # Content updates: the tab and the inbox watcher it owns. With a Syncthing inbox or outbox
        # they start now and run whether or not staff ever open staff mode (a pack may come at
        # night); without, they are built when staff first open the staff screen, so a kiosk that
        # never gets packs by Syncthing does not carry the pack code in memory.
        self.updates: Any = None
        self.inbox: Any = None
        if config.settings.inbox_dir or config.settings.outbox_dir:
            self._ensure_updates()
        else:
            config.watch(("inbox_dir", "outbox_dir"), lambda _settings: self._ensure_updates())
        self.quit: Callable[[int], None] = lambda code: QApplication.exit(code)

    def _ensure_updates(self) -> Any:
        if self.updates is None:
            from kiosk.ui.staff.updates import attach_updates

            self.updates, self.inbox = attach_updates(
                self, translate=self.t,
                ngettext=lambda one, many, n: self.i18n.ngettext(one, many, n, self.language),
                language=lambda: self.language)
            self.inbox.start()
        return self.updates

    @property
    def active(self) -> bool:
        return self.session.screen is Screen.STAFF

    def t(self, message: str) -> str:
        return self.i18n.gettext(message, self.language)

    def on_input(self, kind: QEvent.Type, event: QEvent) -> None:
        if self.active and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin):
            self._restart_idle()

    def reread_pin(self) -> None:
        """A PIN set with `kiosk set-pin` while the kiosk runs counts at once: the settings file is
        looked at (one stat()) at each gesture and each PIN typed, and a new PIN goes through the
        one SiteConfig like any setting (its `changed` rebuilds the gate)."""
        self.config.reread(("staff_pin",))

    def _on_pin_changed(self, settings: Settings) -> None:
        log.info("a new staff PIN is in force")
        self.gate = StaffGate(self.data_dir, settings.staff_pin)
        if self.pad is not None and self.screen.currentWidget() is self.pad:
            self.pad.reset()  # "no PIN is set" or a lock message goes

    def _restart_idle(self) -> None:
        self.idle.start(int(self.config.settings.staff_idle_s * 1000))  # read now: a staff change applies at once

    def _on_session_changed(self, old: Visit, new: Visit) -> None:
        if old.screen is Screen.STAFF and new.screen is not Screen.STAFF:
            self.idle.stop()  # left, by Close, by the idle time or by recovery from an error

    # -- entering and leaving -------------------------------------------------------
    def open_pin_pad(self) -> None:
        if self.pad is None:
            self.pad = PinPad(self)
            self.screen.addWidget(self.pad)
        self.reread_pin()
        self.gate = StaffGate(self.data_dir, self.config.settings.staff_pin)
        self.pad.reset()
        self.screen.setCurrentWidget(self.pad)
        self.session.enter_staff()  # no visitor state survives into staff mode
        self._restart_idle()

    def show_panel(self) -> None:
        if self.panel is None:
            self.panel = StaffPanel(self)
            self.screen.addWidget(self.panel)
        self.panel.settings.start_over()
        self.screen.setCurrentWidget(self.panel)
        self.panel.show_tab(0)

    def close(self) -> None:
        self.session.leave_staff()

    def set_language(self, language: str) -> None:
        self.language = language
        if self.panel is not None:
            self.panel.refresh()

    # -- statistics and exit ------------------------------------------------------------
    def export_folders(self) -> list[Path]:
        from kiosk.core.staff import export_folders

        return export_folders(self.data_dir)

    def exit_kiosk(self) -> None:
        log.info("staff closed the kiosk")
        self.window.allow_close = True
        self.quit(0)

    def restart_kiosk(self) -> None:
        """Exit with RESTART_CODE; `kiosk` runs itself again on that code (see kiosk/app.py)."""
        log.info("staff restarted the kiosk")
        self.window.allow_close = True
        self.quit(RESTART_CODE)

    def leave_safe_mode(self) -> None:
        """Staff fixed the cause (rolled a bad pack back, replaced the printer): the safe-mode
        counter forgets its unclean exits and the kiosk restarts in normal mode now, not after
        the calm hour (kiosk/core/appliance/safemode.py, SafeMode.leave). OSError: the state
        could not be written; the kiosk stays as it is."""
        from kiosk.core.appliance import SafeMode

        try:
            forgotten = SafeMode(self.data_dir).leave()
        except OSError as exc:
            log.error("staff asked to leave safe mode, but its state cannot be written (%s)", exc)
            raise
        log.warning("staff left safe mode: %d recorded unclean exits forgotten; restarting in normal mode",
                    forgotten)
        self.window.allow_close = True
        self.quit(RESTART_CODE)


def install_staff_mode(window: Any, session: Session, config: SiteConfig, i18n: I18n, data_dir: Path,
                       choice: ContentChoice, stats: Any = None, printer: Any = None,
                       safe_mode_reason: str | None = None) -> StaffMode:
    staff = StaffMode(window, session, config, i18n, data_dir, choice, stats, printer, safe_mode_reason)
    window.input.add(staff.hold.on_input)
    window.input.add(staff.on_input)
    window.staff = staff
    return staff
