"""`kiosk bench --printing --printer NAME`: tap on Print to "the print system has the job", per backend.

Runs the real kiosk (offscreen) on the bundled content and taps Print on the leaflet screen, as a
visitor does, `repeat` times per backend, on the printer named (a cups-pdf queue is a good one:
nothing comes out). Prints the median and the slowest time from the tap to the PRINTING status:
for `cups` that is `lp` returning a job id, for `qt` QPainter.end() handing the page to the system.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def measure(printer: str, repeat: int = 5) -> dict[str, dict[str, float]]:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, close_kiosk
    from kiosk.core.site import Settings, save_settings
    from kiosk.core.visit import PrintStatus
    from kiosk.ui.application import application

    app = application(QApplication)
    results: dict[str, dict[str, float]] = {}
    for backend in ("cups", "qt"):
        data = Path(tempfile.mkdtemp(prefix=f"kiosk-print-bench-{backend}-"))
        save_settings(data / "settings.yaml", Settings(printer=printer, print_backend=backend, prints_per_visit=20,
                                                       prints_per_hour=1000))
        kiosk = build_kiosk(data, None, None, (1366, 768), with_stats=False)
        kiosk.window.show()
        session = kiosk.session
        times: list[float] = []
        for _ in range(repeat):
            session.start()
            session.choose_language("ru")
            session.open_leaflet()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # the page for `lp` drawn ahead, as for a visitor who reads first
                app.processEvents()
                if getattr(kiosk.printer.real, "pdfs", None) is None or kiosk.printer.real.pdfs.cached(
                        session.content, "ru") is not None:
                    break
            button = kiosk.window.screens[next(s for s in kiosk.window.screens if s.value == "leaflet")].print_button
            session.debounce.reset()
            start = time.perf_counter()
            button.click()
            while session.state.print_status is PrintStatus.CHECKING and time.perf_counter() - start < 30:
                app.processEvents()
            if session.state.print_status is not PrintStatus.PRINTING and session.state.print_status is not PrintStatus.DONE:
                raise RuntimeError(f"{backend}: the print ended as {session.state.print_status}")
            times.append((time.perf_counter() - start) * 1000)
            order = session.print_order
            while order is not None and not order.done and time.perf_counter() - start < 60:
                app.processEvents()
            session.timeout()
        close_kiosk(kiosk)
        results[backend] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
    return results


def run(printer: str, repeat: int) -> int:
    for backend, figures in measure(printer, repeat).items():
        print(f"{backend}: tap on Print to job accepted: median {figures['median_ms']} ms, "
              f"slowest {figures['max_ms']} ms over {repeat} prints on {printer}")
    return 0
