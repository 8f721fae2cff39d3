"""One idle timer, restarted by every touch; a "still there?" countdown before the visit is wiped."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.core.model import N_, I18n
from kiosk.core.site import Settings, SiteConfig
from kiosk.core.visit import Screen, Session
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import FitLabel, apply_text_size, big_button

# TRANSLATORS: heading of the countdown shown when nobody has touched the screen for a while.
STILL_THERE = N_("Are you still there?")
# TRANSLATORS: {seconds} is a number; the kiosk starts over when it reaches zero.
STARTING_OVER = N_("The kiosk will start over in {seconds} s. Everything you looked at will be forgotten.")
# TRANSLATORS: button on the idle countdown that keeps the visit going.
CONTINUE = N_("Continue")

_TOUCH_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleOverlay(QFrame):
    """Covers the screen during the countdown; any touch on it means "I'm still here"."""

    def __init__(self, session: Session, i18n: I18n, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("IdleOverlay")
        self.session, self.i18n, self.theme = session, i18n, theme
        card = QFrame(self)
        card.setObjectName("IdleCard")
        self.heading = FitLabel(theme.mm(9), theme.mm(5), bold=True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = FitLabel(theme.mm(6), theme.mm(4))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = big_button()
        theme.set_font(self.button, 6, bold=True)
        self.button.setStyleSheet(f"min-height: {theme.mm(20)}px;")  # the style sheet's 16 mm would win
        self.button.clicked.connect(session.still_here)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(theme.mm(8), theme.mm(6), theme.mm(8), theme.mm(6))
        inner.setSpacing(theme.mm(4))
        inner.addWidget(self.heading, 1)
        inner.addWidget(self.message, 2)
        inner.addWidget(self.button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(theme.mm(20), theme.mm(15), theme.mm(20), theme.mm(15))
        outer.addWidget(card)
        self.seconds = 0
        apply_text_size(self, theme)  # built during a visit with large text on
        self.hide()

    def show_countdown(self, seconds: int) -> None:
        self.seconds = seconds
        self.setGeometry(self.parentWidget().rect())
        self.retranslate()
        self.show()
        self.raise_()

    def retranslate(self) -> None:
        lang = self.session.language
        self.heading.setText(self.i18n.gettext(STILL_THERE, lang))
        self.message.setText(self.i18n.gettext(STARTING_OVER, lang).format(seconds=self.seconds))
        self.button.setText(self.i18n.gettext(CONTINUE, lang))

    def mousePressEvent(self, event: object) -> None:  # noqa: N802
        self.session.still_here()


class IdleController(QObject):
    """Watches every input event of the application; drives the session's idle transitions."""

    def __init__(self, session: Session, window: QWidget, config: SiteConfig,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._window = window
        self._overlay: IdleOverlay | None = None
        self.config = config
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(config.settings.idle_timeout_s * 1000)
        config.watch(("idle_timeout_s",), self._on_settings)
        self.idle.timeout.connect(self._on_idle)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._on_tick)
        self.remaining = 0
        session.changed.connect(self._on_changed)

    @property
    def overlay(self) -> IdleOverlay:
        """Built on first use: most kiosk starts never need it before the first visitor."""
        if self._overlay is None:
            window = self._window
            self._overlay = IdleOverlay(self.session, window.i18n, window.theme, window)  # type: ignore[attr-defined]
        return self._overlay

    def overlay_shown(self) -> bool:
        return self._overlay is not None and self._overlay.isVisible()

    @property
    def countdown_s(self) -> int:
        return self.config.settings.idle_countdown_s

    def _on_settings(self, settings: Settings) -> None:
        """A staff change of the idle time applies to the next touch (a running countdown ends as it began)."""
        self.idle.setInterval(settings.idle_timeout_s * 1000)

    def on_input(self, kind: QEvent.Type, event: QEvent) -> None:
        if kind in _TOUCH_EVENTS:
            self.restart()

    def restart(self) -> None:
        if self.session.screen not in (Screen.ATTRACT, Screen.STAFF):
            self.idle.start()

    def _on_idle(self) -> None:
        if self.session.screen is Screen.ATTRACT:
            return
        self.session.idle_warning()

    def _on_tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.tick.stop()
            self.session.timeout()
        else:
            self.overlay.show_countdown(self.remaining)

    def _on_changed(self, old: object, new: object) -> None:
        state = self.session.state
        if state.idle_warning and not self.tick.isActive():
            self.remaining = self.countdown_s
            self.overlay.show_countdown(self.remaining)
            self.tick.start()
        elif not state.idle_warning:
            self.tick.stop()
            if self._overlay is not None:
                self._overlay.hide()
        if state.screen in (Screen.ATTRACT, Screen.STAFF):
            self.idle.stop()
        elif not state.idle_warning:
            self.idle.start()
