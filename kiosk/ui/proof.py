"""Proof sheets: every visitor screen in every language, one page each, for review.

The same walk feeds the layout tests, so what a translator reviews is what is tested.
Each page is the screen's picture with the text of its visible labels and buttons laid over
it as invisible text (so a translator can search the PDF and copy a sentence from it), and
under it the words the screen reads aloud (core/narration.py), which are searchable too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QMarginsF, QPoint, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.core.narration import screen_playlist
from kiosk.core.visit import Screen, Visit

if TYPE_CHECKING:
    from kiosk.core.visit import Session
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
    labels: tuple[tuple[QRect, str], ...] = ()  # visible text, in the image's pixels
    spoken: tuple[str, ...] = ()  # what the screen reads aloud, in order


def visible_text(window: QWidget) -> tuple[tuple[QRect, str], ...]:
    """The text of every label and button the visitor can see, where it is on the window."""
    found: list[tuple[QRect, str]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        text = widget.text()
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText and "<" in text:
            text = QTextDocumentFragment.fromHtml(text).toPlainText()
        text = text.strip()
        if text:
            found.append((QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()), text))
    return tuple(found)


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
            spoken = screen_playlist(kiosk.session.content, window.i18n, kiosk.session.state)  # type: ignore[attr-defined]
            yield Shot(caption, screen, language, window.grab().toImage(),  # type: ignore[attr-defined]
                       visible_text(window), tuple(item.text for item in spoken))  # type: ignore[arg-type]
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
        font = _searchable_font()
        font.setPixelSize(int(page.height() * 0.03))
        painter.setFont(font)
        caption_h = page.height() * 0.06
        painter.drawText(QRectF(0, 0, page.width(), caption_h), Qt.AlignmentFlag.AlignVCenter,
                         f"{shot.language} · {shot.caption}   ({shot.image.width()}×{shot.image.height()})")
        spoken_h = page.height() * 0.2 if shot.spoken else 0.0
        area = QRectF(0, caption_h, page.width(), page.height() - caption_h - spoken_h)
        size = QSizeF(shot.image.size()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF(area.x(), area.y(), size.width(), size.height())
        painter.drawImage(target, shot.image)
        _invisible_text(painter, target, shot)
        painter.setPen(Qt.GlobalColor.gray)
        painter.drawRect(target)
        if shot.spoken:
            _spoken_text(painter, QRectF(0, target.bottom(), page.width(), page.bottom() - target.bottom()), shot)
        pages += 1
    if pages:
        painter.end()
    return pages


def _searchable_font() -> QFont:
    """No ligatures: "ﬀ" would be one character in the PDF, and a search for "offer" would miss it."""
    font = QFont()
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _invisible_text(painter: QPainter, target: QRectF, shot: Shot) -> None:
    """The labels' text, transparent, over the picture of each label: found and copied, not seen."""
    if shot.image.width() == 0:
        return
    scale = target.width() / shot.image.width()
    painter.save()
    painter.setPen(QColor(0, 0, 0, 0))
    font = _searchable_font()
    for rect, text in shot.labels:
        box = QRectF(target.x() + rect.x() * scale, target.y() + rect.y() * scale,
                     rect.width() * scale, rect.height() * scale)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        px = max(2.0, box.height() / 1.3)
        while True:  # the largest size at which the words fit the label's box: pdftotext keeps their order
            font.setPixelSize(int(px))
            if px <= 2 or QFontMetricsF(font).boundingRect(box, flags, text).height() <= box.height():
                break
            px *= 0.8
        painter.setFont(font)
        painter.drawText(box, flags, text)
    painter.restore()


def _spoken_text(painter: QPainter, area: QRectF, shot: Shot) -> None:
    """What the screen reads aloud, under its picture: a translator checks the narration here."""
    painter.save()
    font = _searchable_font()
    font.setPixelSize(max(8, int(painter.viewport().height() * 0.018)))  # about 10 pt
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    text = "Read aloud: " + "  ·  ".join(" ".join(part.split()) for part in shot.spoken)
    painter.drawText(area.adjusted(0, area.height() * 0.05, 0, 0),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap), text)
    painter.restore()
