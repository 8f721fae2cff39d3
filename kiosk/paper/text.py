"""Text set for paper: styles with a floor, paragraphs laid out once in design metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTextLayout, QTextOption

from kiosk.paper.page import PT

INK = QColor("#111827")


@dataclass(frozen=True)
class Style:
    pt: float  # design size at scale 1
    min_pt: float  # the floor: never smaller
    bold: bool = False
    color: QColor = field(default_factory=lambda: INK)
    leading: float = 1.22  # line height as a multiple of the size

    def size(self, scale: float) -> float:
        return max(self.min_pt, round(self.pt * scale * 10) / 10)



# -- fonts and text ----------------------------------------------------------------------
@lru_cache(maxsize=1)
def font_family() -> str:
    """The bundled Noto Sans, registered once (Kazakh and Uzbek letters must not depend on the PC)."""
    from kiosk.paper.fonts import load_fonts

    return load_fonts()


def _font(pt: float, bold: bool) -> QFont:
    font = QFont(font_family())
    font.setPixelSize(max(1, round(pt * PT)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setKerning(True)
    return font


_SHORT_WORD = re.compile(r"(?<![\w-])([^\W\d_]{1,2}|\d{1,3}) (?=\w)")


def bind_short_words(text: str) -> str:
    """A one- or two-letter word (к, в, и, 5) is kept with the next word, not left at a line end.

    Russian and Kazakh typesetting asks for it; it costs nothing in the other languages.
    """
    return _SHORT_WORD.sub("\\1\u00a0", text)


class Para:
    """A paragraph set in one box width, ready to draw; knows whether it fits.

    `prose` text has its short words bound to the next (see bind_short_words); numbers
    and names are set as they are.
    """

    def __init__(self, text: str, style: Style, scale: float, width: float,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, prose: bool = True) -> None:
        text = bind_short_words(text) if prose else text
        self.text = text
        self.pt = style.size(scale)
        self.style = style
        self.width = width
        font = _font(self.pt, style.bold)
        self.layout = QTextLayout(text, font)
        option = QTextOption(align)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        option.setUseDesignMetrics(True)
        self.layout.setTextOption(option)
        self.layout.setCacheEnabled(True)
        line_h = self.pt * PT * style.leading
        self.layout.beginLayout()
        y = 0.0
        widest = 0.0
        self.lines = 0
        while True:
            line = self.layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            # Put the baseline where a line of `leading` height wants it, whatever the font's
            # own line gap: the same spacing in every language.
            line.setPosition(QPointF(0, y + (line_h - line.height()) / 2))
            widest = max(widest, line.naturalTextWidth())
            y += line_h
            self.lines += 1
        self.layout.endLayout()
        self.height = y
        self.natural_width = widest
        self.fits_width = widest <= width + 0.5

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        painter.setPen(self.style.color)
        self.layout.draw(painter, QPointF(x, y))


def advance(text: str, style: Style, scale: float) -> float:
    """Width of one unbroken line."""
    return Para(text, style, scale, 1e7).natural_width
