"""Leaflet PDFs per (content, language), drawn just after the tap that needs them, and kept.

The page is drawn by the one layout routine (kiosk/paper) onto a QPdfWriter on the GUI thread,
a moment after the frame (kiosk/paper/deferred.py), and kept per language, so a tap on Print
finds it ready. Backends (CUPS today) take the bytes from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.core.model import Content, load_translation

log = logging.getLogger(__name__)

PdfKey = tuple[int, str]


def _render(content: Content, language: str, tr: Callable[[str], str]) -> tuple[bytes | None, str]:
    """One leaflet PDF, or None and why not (deferred, see kiosk/paper/deferred.py)."""
    from kiosk.paper.pdf import leaflet_pdf

    try:
        return leaflet_pdf(content, language, tr), ""
    except Exception as exc:  # noqa: BLE001 - reported to the job, logged with detail
        log.exception("the leaflet (%s) could not be drawn", language)
        return None, str(exc)


class LeafletPdfs(QObject):
    """Leaflet PDFs per (content, language), drawn just after the tap that needs them, and kept."""

    ready = Signal(object, bytes)
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple[int, str], bytes] = {}
        self._pending: set[tuple[int, str]] = set()
        self._content_id = 0
        self.ready.connect(self._on_ready)
        self.failed.connect(self._on_failed)

    @staticmethod
    def key(content: Content, language: str) -> tuple[int, str]:
        return id(content), language

    def cached(self, content: Content, language: str) -> bytes | None:
        return self._cache.get(self.key(content, language))

    def request(self, content: Content, language: str) -> None:
        key = self.key(content, language)
        if key in self._cache or key in self._pending:
            return
        if key[0] != self._content_id:  # new content: the old pages are of no use
            self._cache.clear()
            self._content_id = key[0]
        tr = load_translation(language).gettext
        self._pending.add(key)
        from kiosk.paper.deferred import later

        later(self, lambda: _render(content, language, tr), lambda renderer, done: renderer._deliver(key, *done))

    def _deliver(self, key: tuple[int, str], data: bytes | None, error: str) -> None:
        if data is None:
            self.failed.emit(key, error)
        else:
            self.ready.emit(key, data)

    def _on_ready(self, key: tuple[int, str], data: bytes) -> None:
        self._pending.discard(key)
        if key[0] == self._content_id:
            self._cache[key] = data

    def _on_failed(self, key: tuple[int, str], error: str) -> None:
        self._pending.discard(key)
