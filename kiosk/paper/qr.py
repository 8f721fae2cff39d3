"""QR codes drawn as vector squares, on paper and on the screen (segno does the encoding)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath


@lru_cache(maxsize=8)
def qr_modules(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules, quiet zone excluded."""
    import segno

    code = segno.make(data, error="m", micro=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def draw_qr(painter: QPainter, data: str, rect: QRectF, quiet: int = 4) -> None:
    """A square QR code filling `rect`, white quiet zone included, as crisp vector squares."""
    modules = qr_modules(data)
    n = len(modules) + 2 * quiet
    side = min(rect.width(), rect.height())
    unit = side / n
    if painter.transform().isIdentity() and unit >= 2:
        # On screen, whole pixels per module: without anti-aliasing, fractional rows leave
        # hairline gaps a phone camera may trip over.
        unit = float(int(unit))
        side = unit * n
    x0 = rect.x() + (rect.width() - side) / 2
    y0 = rect.y() + (rect.height() - side) / 2
    path = QPainterPath()
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # A hair wider than the module so anti-aliased rows merge without seams.
                path.addRect(QRectF(x0 + (start + quiet) * unit, y0 + (r + quiet) * unit,
                                    (c - start) * unit, unit * 1.02))
            else:
                c += 1
    painter.save()
    painter.fillRect(QRectF(x0, y0, side, side), QColor("white"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    painter.drawPath(path)
    painter.restore()
