"""The leaflet as a PDF file: QPdfWriter, fonts embedded, real text that pdftotext reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPdfWriter

from kiosk.core.model import Content
from kiosk.paper.leaflet import LeafletMetrics, draw_leaflet

RESOLUTION_DPI = 1200  # QPdfWriter's default; only the precision of coordinates depends on it


def leaflet_title(content: Content, language: str) -> str:
    assert content.leaflet is not None
    return content.leaflet.title.get(language)


def _writer(target: str | QIODevice, content: Content, language: str) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(leaflet_title(content, language))
    writer.setCreator(f"safe-migration-kiosk, content {content.id} {content.version}")
    return writer


def leaflet_pdf(content: Content, language: str, tr: Callable[[str], str] | None = None) -> bytes:
    """The leaflet in `language` as PDF bytes, made in memory (for printing)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, content, language)
    draw_leaflet(writer, content, language, tr)
    del writer  # the PDF is complete only once the writer is gone
    buffer.close()
    return bytes(data.data())


def write_leaflet_pdf(path: Path, content: Content, language: str,
                      tr: Callable[[str], str] | None = None) -> LeafletMetrics:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = _writer(str(tmp), content, language)
    metrics = draw_leaflet(writer, content, language, tr)
    del writer
    tmp.replace(path)
    return metrics
