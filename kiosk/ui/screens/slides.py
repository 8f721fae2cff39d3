"""The slide viewer: picture, title, short text; big arrows and swipes; progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QPointF, Qt, QVariantAnimation
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.model import N_
from kiosk.core.site import SiteConfig
from kiosk.core.visit import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.widgets import FitLabel, Picture, big_button

if TYPE_CHECKING:
    from kiosk.ui.narration import NarrationController

# TRANSLATORS: button on a slide that returns to the main menu.
MENU = N_("Menu")
# TRANSLATORS: progress under a slide, e.g. "3 of 10".
PROGRESS = N_("{current} of {total}")
# TRANSLATORS: the forward arrow on the last slide, which ends the slides.
DONE = N_("Done")


TRANSITION_MS = 260


class SlideTransition(QWidget):
    """Slides the old page out and the new one in, drawn from two pictures of the page.

    Only two pixmaps are painted per frame, so a 1080p transition stays smooth on a PC with
    no GPU; the real widgets underneath are already showing the new slide.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.old = QPixmap()
        self.new = QPixmap()
        self.direction = 1
        self.progress = 0.0
        self.frames = 0
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setDuration(TRANSITION_MS)
        self.animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.animation.valueChanged.connect(self._on_value)
        self.animation.finished.connect(self.hide)
        self.hide()

    def start(self, old: QPixmap, new: QPixmap, direction: int) -> None:
        self.old, self.new, self.direction = old, new, direction
        self.progress = 0.0
        self.animation.stop()
        self.show()
        self.raise_()
        self.animation.start()

    def _on_value(self, value: float) -> None:
        self.progress = float(value)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.frames += 1
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        shift = round(self.width() * self.progress) * self.direction
        painter.drawPixmap(-shift, 0, self.old)
        painter.drawPixmap(self.width() * self.direction - shift, 0, self.new)
        painter.end()


class SlidesScreen(ScreenBase):
    def __init__(self, *args: object, config: SiteConfig | None = None,
                 narration: NarrationController | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        from kiosk.ui.narration import ListenButton, NarrationController

        self.narration = narration or NarrationController(self.session, self.i18n, config or self.session.config, self)
        self.narrator = self.narration.narrator
        self.listen = ListenButton(self.narration, t, self.t)
        self.picture = Picture()
        self.title = FitLabel(t.mm(9), t.mm(5.5), bold=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.body = FitLabel(t.mm(6.5), t.mm(4.2))
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(t.mm(3))
        text.addWidget(self.title, 2)
        text.addWidget(self.body, 5)
        self.page = QWidget()
        self.main = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.page)
        self.main.setContentsMargins(0, 0, 0, 0)
        self.main.setSpacing(t.mm(6))
        self.main.addWidget(self.picture, 4)
        self.main.addLayout(text, 5)
        self.transition = SlideTransition(self.page)
        self._shown: tuple[int, str] | None = None

        self.previous = big_button("‹", role="arrow")
        self.next = big_button("›", role="arrow")
        for arrow in (self.previous, self.next):
            # The arrows are pictures, not words: large text leaves them as they are (they are
            # already 10 mm, and would no longer fit their 16 mm button).
            arrow.setFont(t.font(10, bold=True, scaled=False))
            arrow.setMinimumSize(t.mm(20), t.mm(16))
        self.previous.clicked.connect(self.session.previous_slide)
        self.next.clicked.connect(self.session.next_slide)
        self.menu = big_button(role="secondary")
        t.set_font(self.menu, 5)
        self.menu.clicked.connect(self.session.back)
        self.progress = QLabel()
        t.set_font(self.progress, 5, bold=True)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bottom = QHBoxLayout()
        bottom.setSpacing(t.mm(4))
        bottom.addWidget(self.menu)
        bottom.addWidget(self.listen)
        bottom.addStretch(1)
        bottom.addWidget(self.previous)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.next)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(4), t.mm(8), t.mm(4))
        layout.setSpacing(t.mm(4))
        layout.addWidget(self.page, 1)
        layout.addLayout(bottom)
        self._press: QPointF | None = None
        self._previous_index = 0

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        # Portrait screens put the picture above the text; landscape, beside it.
        portrait = event.size().height() > event.size().width()
        self.main.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def render(self, state: Visit) -> None:
        slides = self.content.slides
        index = min(state.slide, len(slides) - 1)
        animate = (self.isVisible() and self._shown is not None and self._shown[1] == state.language
                   and self._shown[0] != index)
        old = self.page.grab() if animate else None
        self._shown = (index, state.language)
        slide = slides[index]
        self.picture.set_path(slide.picture)
        self.title.setText(slide.title.get(state.language))
        self.body.setText(slide.body.get(state.language))
        self.previous.setEnabled(state.slide > 0)
        self.listen.update_for(state)  # the voice of another slide has stopped already (NarrationController)
        self.retranslate()
        if old is not None:
            self.transition.setGeometry(self.page.rect())
            self.transition.start(old, self.page.grab(), 1 if index > self._previous_index else -1)
        self._previous_index = index

    def hideEvent(self, event: object) -> None:  # noqa: N802
        self._shown = None  # coming back to the slides starts without a transition
        self.transition.animation.stop()
        self.transition.hide()

    def retranslate(self) -> None:
        state = self.session.state
        total = len(self.content.slides)
        self.progress.setText(self.t(PROGRESS).format(current=state.slide + 1, total=total))
        self.menu.setText("← " + self.t(MENU))
        self.listen.show_playing(self.narration.playing)
        last = state.slide + 1 >= total
        self.next.setText(self.t(DONE) if last else "›")
        if last:
            self.theme.set_font(self.next, 5.5, bold=True)
        else:
            self.next.setProperty("font_mm", None)
            self.next.setFont(self.theme.font(10, bold=True, scaled=False))

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
