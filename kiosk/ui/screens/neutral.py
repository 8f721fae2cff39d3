"""The quick-exit screen: general public information, nothing about the subject."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.core.model import N_
from kiosk.core.visit import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.widgets import FitLabel, Picture, big_button

# TRANSLATORS: the only button on the neutral screen shown after "quick exit"; it must
# sound ordinary to someone looking over the visitor's shoulder.
HOME = N_("Home")


class NeutralScreen(ScreenBase):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.picture = Picture()
        self.title = FitLabel(t.mm(10), t.mm(6), bold=True)
        self.body = FitLabel(t.mm(7), t.mm(4.5))
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.title, 2)
        text.addWidget(self.body, 5)
        row = QHBoxLayout()
        row.setSpacing(t.mm(6))
        row.addWidget(self.picture, 4)
        row.addLayout(text, 5)
        self.home = big_button(role="secondary")
        t.set_font(self.home, 5)
        self.home.clicked.connect(self.session.back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(10), t.mm(6), t.mm(10), t.mm(4))
        layout.addLayout(row, 1)
        layout.addWidget(self.home, 0, Qt.AlignmentFlag.AlignLeft)

    def render(self, state: Visit) -> None:
        neutral = self.content.neutral
        self.picture.set_path(neutral.picture)
        self.title.setText(neutral.title.get(state.language))
        self.body.setText(neutral.body.get(state.language))
        self.retranslate()

    def retranslate(self) -> None:
        self.home.setText(self.t(HOME))
