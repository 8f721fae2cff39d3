"""Proof sheets: every visitor screen in every language, one page each, for review.

The same walk feeds the layout tests, so what a translator reviews is what is tested.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from kiosk.core.session import Screen, Visit

if TYPE_CHECKING:
    from kiosk.core.session import Session
    from kiosk.ui.shell import KioskWindow


class Kiosk(Protocol):
    """What a proof walks: a session and the window that renders it (kiosk.app.Kiosk is one)."""

    session: Session
    window: KioskWindow


@dataclass(frozen=True)
class Shot:
    caption: str
    screen: str
    language: str
    image: QImage


def states(kiosk: Kiosk, language: str, large_text: bool = False) -> Iterator[tuple[str, str, Callable[[], None]]]:
    """(caption, screen name, how to get there) for every state a visitor can see; with
    `large_text`, each with large text and high contrast on, where a visitor can switch it on
    (not on the attract loop nor on the neutral screen, which are then shown as they are)."""
    if large_text:
        for caption, screen, go in states(kiosk, language):
            yield caption + " (large text)", screen, _with_large_text(kiosk.session, go)
        return
    session, window = kiosk.session, kiosk.window
    attract = window.screens[Screen.ATTRACT]  # type: ignore[attr-defined]

    def at_attract() -> None:
        session.jump(Visit(Screen.ATTRACT, language))
        attract.show_language(language)

    yield "Attract loop", "attract", at_attract
    yield "Language picker", "language", lambda: session.jump(Visit(Screen.LANGUAGE, language, started=True))
    yield "Menu", "menu", lambda: session.jump(Visit(Screen.MENU, language, started=True))
    for i, slide in enumerate(session.content.slides):
        yield (f"Slide {i + 1}: {slide.id}", "slides",
               lambda i=i: session.jump(Visit(Screen.SLIDES, language, slide=i, started=True)))
    yield ("Idle countdown", "idle",
           lambda: session.jump(Visit(Screen.MENU, language, started=True, idle_warning=True)))
    yield "Quick exit: neutral screen", "neutral", lambda: session.jump(Visit(Screen.NEUTRAL, language))
    for screen, widget in window.screens.items():  # type: ignore[attr-defined]
        for caption, go in widget.proof_states(language):
            yield caption, screen.value, go


def _with_large_text(session: Session, go: Callable[[], None]) -> Callable[[], None]:
    def go_large() -> None:
        go()
        if session.screen not in (Screen.ATTRACT, Screen.NEUTRAL):
            session.jump(dataclasses.replace(session.state, large_text=True))

    return go_large


def shots(kiosk: Kiosk, languages: tuple[str, ...], large_text: bool = False) -> Iterator[Shot]:
    app = QApplication.instance()
    window = kiosk.window
    window.build_all_screens()  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    for language in languages:
        for caption, screen, go in states(kiosk, language, large_text):
            go()
            app.processEvents()  # type: ignore[union-attr]
            yield Shot(caption, screen, language, window.grab().toImage())  # type: ignore[attr-defined]
            kiosk.session.jump(Visit(Screen.ATTRACT, kiosk.session.default_language))


def write_pdf(output: Path, pictures: Iterator[Shot], title: str) -> int:
    writer = QPdfWriter(str(output))
    writer.setTitle(title)
    writer.setCreator("kiosk proof")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    writer.setResolution(150)
    painter = QPainter()
    pages = 0
    for shot in pictures:
        if pages == 0:
            painter.begin(writer)
        else:
            writer.newPage()
        page = QRectF(painter.viewport())
        font = QFont()
        font.setPixelSize(int(page.height() * 0.03))
        painter.setFont(font)
        caption_h = page.height() * 0.06
        painter.drawText(QRectF(0, 0, page.width(), caption_h), Qt.AlignmentFlag.AlignVCenter,
                         f"{shot.language} · {shot.caption}   ({shot.image.width()}×{shot.image.height()})")
        area = QRectF(0, caption_h, page.width(), page.height() - caption_h)
        size = QSizeF(shot.image.size()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF(area.x(), area.y(), size.width(), size.height())
        painter.drawImage(target, shot.image)
        painter.setPen(Qt.GlobalColor.gray)
        painter.drawRect(target)
        pages += 1
    if pages:
        painter.end()
    return pages
