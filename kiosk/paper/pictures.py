"""Pictures from the content (SVG or bitmap), drawn into a box on any device, kept in proportion."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _renderer(path: str, mtime: float) -> QSvgRenderer:
    return QSvgRenderer(path)


@lru_cache(maxsize=16)
def _raster(path: str, mtime: float) -> QImage:
    return QImage(path)


_reported: set[str] = set()  # pictures the log has already named: once per file, not once per paint


def _cannot_draw(path: Path, why: str) -> bool:
    if str(path) not in _reported:
        _reported.add(str(path))
        log.warning("the picture %s %s; the screen is shown without it", path, why)
    return False


def draw_picture(painter: QPainter, path: Path | None, target: QRectF) -> bool:
    """Draws an SVG or bitmap into `target`, keeping its proportions. False if it cannot."""
    if path is None:
        return False
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:  # deleted while running: leave the space empty rather than fail
        return _cannot_draw(path, f"cannot be read ({exc.strerror or exc})")
    if path.suffix.lower() == ".svg":
        renderer = _renderer(str(path), mtime)
        if not renderer.isValid():
            return _cannot_draw(path, "is not a valid SVG picture")
        size = renderer.defaultSize()
    else:
        image = _raster(str(path), mtime)
        if image.isNull():
            return _cannot_draw(path, "is not a picture Qt can read")
        size = image.size()
    _reported.discard(str(path))  # it is back: should it go again, the log says so again
    if size.isEmpty():
        return False
    scale = min(target.width() / size.width(), target.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    box = QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)
    if path.suffix.lower() == ".svg":
        renderer.render(painter, box)
    else:
        painter.drawImage(box, image)
    return True
