"""What every screen shares: the models it draws from, and how it is told to redraw."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.core.model import Content, I18n
from kiosk.core.visit import Session, Visit
from kiosk.ui.theme import Theme


class ScreenBase(QWidget):
    """A screen takes the models, renders from them and turns touches into session calls."""

    def __init__(self, session: Session, i18n: I18n, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("screen", True)
        self.session = session
        self.i18n = i18n
        self.theme = theme

    @property
    def content(self) -> Content:
        return self.session.content

    def t(self, message: str) -> str:
        """The UI string in the visitor's language (which lives in the visit)."""
        return self.i18n.gettext(message, self.session.language)

    def render(self, state: Visit) -> None:
        """Called when this screen is shown and whenever the visit changes while it is."""

    def retranslate(self) -> None:
        """Called when the visitor's language changes."""

    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        """Extra states for the proof sheet: (caption, a call that puts this screen in that state).

        The proof walks the session through the core screens itself; a screen with states of
        its own (a quiz question, a print message) lists them here.
        """
        return []
