"""The slide viewer: picture, title, short text; big arrows and swipes; progress."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.core.i18n import N_
from kiosk.core.session import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.widgets import FitLabel, Picture, big_button

# TRANSLATORS: button on a slide that returns to the main menu.
MENU = N_("Menu")
# TRANSLATORS: progress under a slide, e.g. "3 of 10".
PROGRESS = N_("{current} of {total}")
# TRANSLATORS: the forward arrow on the last slide, which ends the slides.
DONE = N_("Done")


class SlidesScreen(ScreenBase):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.picture = Picture()
        self.title = FitLabel(t.mm(9), t.mm(5.5), bold=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.body = FitLabel(t.mm(6.5), t.mm(4.2))
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(t.mm(3))
        text.addWidget(self.title, 2)
        text.addWidget(self.body, 5)
        self.main = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.main.setSpacing(t.mm(6))
        self.main.addWidget(self.picture, 4)
        self.main.addLayout(text, 5)

        self.previous = big_button("‹", role="arrow")
        self.next = big_button("›", role="arrow")
        for arrow in (self.previous, self.next):
            arrow.setFont(t.font(10, bold=True))
            arrow.setMinimumSize(t.mm(20), t.mm(16))
        self.previous.clicked.connect(self.session.previous_slide)
        self.next.clicked.connect(self.session.next_slide)
        self.menu = big_button(role="secondary")
        self.menu.setFont(t.font(5))
        self.menu.clicked.connect(self.session.back)
        self.progress = QLabel()
        self.progress.setFont(t.font(5, bold=True))
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bottom = QHBoxLayout()
        bottom.setSpacing(t.mm(4))
        bottom.addWidget(self.menu)
        bottom.addStretch(1)
        bottom.addWidget(self.previous)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.next)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(4), t.mm(8), t.mm(4))
        layout.setSpacing(t.mm(4))
        layout.addLayout(self.main, 1)
        layout.addLayout(bottom)
        self._press: QPointF | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Portrait screens put the picture above the text; landscape, beside it.
        portrait = event.size().height() > event.size().width()
        self.main.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def render(self, state: Visit) -> None:
        slides = self.content.slides
        slide = slides[min(state.slide, len(slides) - 1)]
        self.picture.set_path(slide.picture)
        self.title.setText(slide.title.get(state.language))
        self.body.setText(slide.body.get(state.language))
        self.previous.setEnabled(state.slide > 0)
        self.retranslate()

    def retranslate(self) -> None:
        state = self.session.state
        total = len(self.content.slides)
        self.progress.setText(self.t(PROGRESS).format(current=state.slide + 1, total=total))
        self.menu.setText("← " + self.t(MENU))
        last = state.slide + 1 >= total
        self.next.setText(self.t(DONE) if last else "›")
        self.next.setFont(self.theme.font(5.5 if last else 10, bold=True))

    # Swipes: a touch screen delivers them as mouse presses and releases.
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = event.position()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is None:
            return
        dx = event.position().x() - self._press.x()
        dy = event.position().y() - self._press.y()
        self._press = None
        if abs(dx) >= self.theme.mm(15) and abs(dx) > 2 * abs(dy):
            if dx < 0:
                self.session.next_slide()
            else:
                self.session.previous_slide()
