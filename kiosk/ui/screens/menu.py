"""The menu: what the visitor can do next."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.core.model import N_, icons_dir
from kiosk.core.visit import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.screens.language import BACK
from kiosk.ui.widgets import FitLabel, IconButton, big_button

# TRANSLATORS: heading of the main menu.
HEADING = N_("What would you like to do?")
# TRANSLATORS: menu button that opens the short illustrated pages about safe travel for work.
LEARN = N_("Learn how to travel safely")
# TRANSLATORS: menu button that starts the quiz.
TAKE_QUIZ = N_("Test yourself: a short quiz")
# TRANSLATORS: menu button that opens the printable leaflet with the phone number.
GET_LEAFLET = N_("Take the number with you")
# TRANSLATORS: button that goes back to the language picker.
LANGUAGE = N_("Change language")

# A picture beside each entry, for visitors who read slowly (kiosk/ui/icons/, drawn for this kiosk).
ICONS = {LEARN: "book.svg", TAKE_QUIZ: "question.svg", GET_LEAFLET: "leaflet.svg", LANGUAGE: "globe.svg"}


class MenuScreen(ScreenBase):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.heading = FitLabel(t.mm(9), t.mm(5), bold=True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.items: list[tuple[str, QPushButton, Callable[[], bool]]] = []
        self.column = QVBoxLayout()
        self.column.setSpacing(t.mm(5))
        self.add_item(LEARN, lambda: self.session.open_slides(0))
        self.back = big_button(role="secondary")
        self.back.clicked.connect(self.session.back)
        self.language = IconButton(icons_dir() / ICONS[LANGUAGE], t.mm(7), t.palette.secondary_ink)
        self.language.setProperty("role", "secondary")
        self.language.clicked.connect(self.session.pick_language_again)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back)
        bottom.addStretch(1)
        bottom.addWidget(self.language)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(12), t.mm(5), t.mm(12), t.mm(5))
        layout.setSpacing(t.mm(5))
        layout.addWidget(self.heading, 2)
        layout.addLayout(self.column, 5)
        layout.addLayout(bottom)

    def add_item(self, label: str, action: Callable[[], None],
                 available: Callable[[], bool] = lambda: True) -> QPushButton:
        """Later capabilities (quiz, leaflet) add their entry here."""
        icon = ICONS.get(label)
        button = IconButton(icons_dir() / icon, self.theme.mm(11)) if icon else big_button()
        self.theme.set_font(button, 7, bold=True)
        # In the style sheet: its min-height (16 mm for every button) wins over setMinimumHeight.
        button.setStyleSheet(f"min-height: {self.theme.mm(22)}px;")
        button.clicked.connect(action)
        self.column.addWidget(button)
        self.items.append((label, button, available))
        return button

    def render(self, state: Visit) -> None:
        for _label, button, available in self.items:
            button.setVisible(available())
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.t(HEADING))
        for label, button, _available in self.items:
            button.setText(self.t(label))
        self.back.setText("← " + self.t(BACK))
        self.language.setText(self.t(LANGUAGE))
        self.language.set_icon_colour(self.theme.palette.secondary_ink)
        for button in (self.back, self.language):
            self.theme.set_font(button, 5)
