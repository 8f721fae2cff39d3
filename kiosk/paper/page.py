"""An A4 page in layout units, painted onto any device: PDF, printer, or an image on screen.

The leaflet and the donor report share this: a QPdfWriter or QPrinter is set to A4 portrait
without margins (the layouts keep their own, wider than any printer's); any other device gets
the page scaled to fit and centred.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPaintDevice, QPainter

PT = 10.0  # layout units per typographic point
MM = 72.0 / 25.4 * PT  # layout units per millimetre
PAGE_W = 210.0 * MM
PAGE_H = 297.0 * MM


def prepare_page(device: QPagedPaintDevice) -> None:
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))


@contextmanager
def a4_painter(target: QPaintDevice | QPainter, what: str) -> Iterator[QPainter]:
    """A painter whose coordinates are the A4 page in layout units (PT per point)."""
    own = not isinstance(target, QPainter)
    if own:
        if isinstance(target, QPagedPaintDevice):
            prepare_page(target)
        painter = QPainter()
        if not painter.begin(target):
            raise RuntimeError(f"cannot paint the {what} on this device")
    else:
        painter = target  # type: ignore[assignment]
    try:
        painter.save()
        view = painter.viewport() if own else painter.window()
        s = min(view.width() / PAGE_W, view.height() / PAGE_H)
        painter.translate(view.x() + (view.width() - PAGE_W * s) / 2, view.y() + (view.height() - PAGE_H * s) / 2)
        painter.scale(s, s)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        yield painter
        painter.restore()
    finally:
        if own:
            painter.end()
