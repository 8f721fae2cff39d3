"""The part of `kiosk bench` that runs inside the measured kiosk process.

Kept apart from kiosk/devtools/bench.py so that its imports do not add to the start-up it measures.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication


def _rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.first: list[Any] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            while self.first:
                QTimer.singleShot(0, self.first.pop())
        return False


def main(data_dir: str, taps: int, *extra: str) -> int:
    """Starts the kiosk as `kiosk --windowed` does, with the tap measurement attached."""
    from kiosk.app import run_kiosk
    from kiosk.cli import parse_args

    args = parse_args(["--windowed", "--size", "1366x768", "--data-dir", data_dir, *extra])
    return run_kiosk(args, on_started=lambda kiosk: attach_to_running_kiosk(kiosk, taps))


def attach_to_running_kiosk(kiosk: Any, taps: int) -> None:
    """Prints FIRST_FRAME at the first paint, then taps "next" `taps` times and quits."""
    window = kiosk.window
    paints = _Paints()
    window.stack.installEventFilter(paints)
    window._bench_paints = paints  # kept alive with the window

    def on_first_frame() -> None:
        print("FIRST_FRAME", _rss_mib(), flush=True)
        QTimer.singleShot(0, run_taps)

    def run_taps() -> None:
        import json

        from PySide6.QtTest import QTest

        from kiosk.core.visit import Screen

        app = QApplication.instance()
        session = kiosk.session
        session.start()
        session.choose_language("ru")
        session.open_slides(0)
        app.processEvents()
        slides = window.screens[Screen.SLIDES]
        latencies = []
        while len(latencies) < taps:
            if session.state.slide + 1 >= len(session.content.slides):
                session.open_slides(0)
                app.processEvents()
            before = paints.count
            t0 = time.perf_counter()
            QTest.mouseClick(slides.next, Qt.MouseButton.LeftButton)
            while paints.count == before:
                app.processEvents()
            latencies.append((time.perf_counter() - t0) * 1000)
        print("TAPS", json.dumps(latencies), flush=True)
        print("RSS", _rss_mib(), flush=True)
        # Then the visitor opens the leaflet: its page for print is drawn (the peak of a visit).
        session.open_leaflet()
        deadline = time.monotonic() + 10
        while kiosk.printer.real.pdfs.cached(session.content, session.language) is None:
            app.processEvents()
            if time.monotonic() > deadline:
                raise RuntimeError("the leaflet page was not drawn within 10 s")
        print("RSS_LEAFLET", _rss_mib(), flush=True)
        app.quit()

    paints.first.append(on_first_frame)
