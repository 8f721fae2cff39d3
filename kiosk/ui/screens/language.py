"""The language picker: native names, big buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout

from kiosk.core.model import N_, NATIVE_NAMES
from kiosk.core.visit import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.widgets import FitLabel, big_button

# TRANSLATORS: heading of the language picker; shown in every language at once.
CHOOSE = N_("Choose your language")
# TRANSLATORS: button that leaves a screen and goes one step back.
BACK = N_("Back")


class LanguageScreen(ScreenBase):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.heading = FitLabel(t.mm(7), t.mm(4.5), bold=True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid = QGridLayout()
        self.grid.setSpacing(t.mm(5))
        self.buttons: dict[str, QPushButton] = {}
        self.back = big_button(role="secondary")
        self.back.clicked.connect(self.session.back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(10), t.mm(5), t.mm(10), t.mm(5))
        layout.setSpacing(t.mm(5))
        layout.addWidget(self.heading, 2)
        layout.addLayout(self.grid, 5)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)

    def _build(self) -> None:
        langs = self.session.languages
        if list(self.buttons) == list(langs):
            return
        for button in self.buttons.values():
            # Out of the layout and out of sight now; deleted later. A button left visible until
            # its deletion could still be tapped for a language that is no longer offered.
            self.grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        columns = 2 if len(langs) > 2 else 1
        for i, lang in enumerate(langs):
            button = big_button(NATIVE_NAMES[lang])
            self.theme.set_font(button, 8, bold=True)
            button.setStyleSheet(f"min-height: {self.theme.mm(24)}px;")  # the style sheet's 16 mm would win
            button.setProperty("lang", lang)
            button.clicked.connect(lambda _=False, lang=lang: self.session.choose_language(lang))
            self.grid.addWidget(button, i // columns, i % columns)
            self.buttons[lang] = button

    def render(self, state: Visit) -> None:
        self._build()
        self.heading.setText("\n".join(self.i18n.gettext(CHOOSE, lang) for lang in self.session.languages))
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText("← " + self.t(BACK))
        self.theme.set_font(self.back, 5)
