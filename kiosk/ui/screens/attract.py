"""The attract loop: slides advance on their own; "touch to start" in each language in turn."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.core.model import N_
from kiosk.core.site import Settings, SiteConfig
from kiosk.core.visit import Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.widgets import FitLabel, Picture

if TYPE_CHECKING:
    from kiosk.ui.narration import NarrationController

# TRANSLATORS: the big invitation on the idle kiosk; a visitor touches anywhere to begin.
TOUCH_TO_START = N_("Touch the screen to start")


class AttractScreen(ScreenBase):
    def __init__(self, *args: object, config: SiteConfig | None = None,
                 narration: Callable[[], NarrationController] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Reads the invitation aloud, only with the `attract_sound` setting; asked for only then,
        # so that the first frame does not wait for the narration's imports.
        self.narration = narration
        self.config = config or self.session.config
        config = config or self.session.config
        t = self.theme
        self.picture = Picture()
        self.title = FitLabel(t.mm(12), t.mm(6), bold=True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.invite = FitLabel(t.mm(10), t.mm(6), bold=True)
        self.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.invite.setStyleSheet(f"color: white; background: #0f766e; border-radius: {t.mm(3)}px;"
                                  f" padding: {t.mm(2)}px;")
        top = QHBoxLayout()
        top.setSpacing(t.mm(8))
        top.addWidget(self.picture, 5)
        top.addWidget(self.title, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(10), t.mm(6), t.mm(10), t.mm(6))
        layout.setSpacing(t.mm(6))
        layout.addLayout(top, 5)
        layout.addWidget(self.invite, 1)
        self._index = 0
        self._lang_index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(max(2, config.settings.attract_slide_s) * 1000)
        self.timer.timeout.connect(self._on_tick)
        config.watch(("attract_slide_s",), self._on_settings)

    def _on_settings(self, settings: Settings) -> None:
        self.timer.setInterval(max(2, settings.attract_slide_s) * 1000)

    def render(self, state: Visit) -> None:
        self._show_slide()
        self._show_invite()

    def showEvent(self, event: object) -> None:  # noqa: N802
        self.timer.start()  # the loop only runs while it is visible: no CPU spent behind a visit
        self._read_aloud()

    def hideEvent(self, event: object) -> None:  # noqa: N802
        self.timer.stop()

    def _on_tick(self) -> None:
        slides = self.content.slides
        self._index = (self._index + 1) % max(1, len(slides))
        self._lang_index = (self._lang_index + 1) % max(1, len(self.session.languages))
        self._show_slide()
        self._show_invite()

    def _lang(self) -> str:
        langs = self.session.languages
        return langs[self._lang_index % len(langs)]

    def _show_slide(self) -> None:
        slides = self.content.slides
        slide = slides[self._index % len(slides)]
        self.picture.set_path(slide.picture)
        self.title.setText(slide.title.get(self._lang()))

    def _show_invite(self) -> None:
        self.invite.setText(self.i18n.gettext(TOUCH_TO_START, self._lang()))
        if self.isVisible():
            self._read_aloud()

    def _read_aloud(self) -> None:
        if self.narration is not None and self.config.settings.attract_sound:
            self.narration().read_attract(self._lang())

    def show_language(self, language: str) -> None:
        """Show the invitation (and slide title) in one language: for proof sheets."""
        if language in self.session.languages:
            self._lang_index = self.session.languages.index(language)
            self._show_slide()
            self._show_invite()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.session.start()


