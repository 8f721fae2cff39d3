"""Printing: the backends of the printing seam (kiosk/core/visit/printer.py) and how one is chosen.

`cups`: CUPS' `lp` and `lpstat` (kiosk/printing/cups.py), with a job id to watch and cancel.
`qt`: the page painted onto a QPrinter (kiosk/printing/qt.py), the native engine on Windows.
`auto`: `lp` wherever it is installed, Qt elsewhere.
"""

from __future__ import annotations

import shutil
import sys
from typing import Any

BACKENDS = ("auto", "cups", "qt")


def backend_name(setting: str) -> str:
    """The backend the setting `print_backend` means on this computer."""
    if setting in ("cups", "qt"):
        return setting
    return "cups" if sys.platform != "win32" and shutil.which("lp") else "qt"


def make_backend(setting: str, parent: Any = None, **options: Any) -> Any:
    if backend_name(setting) == "cups":
        from kiosk.printing.cups import CupsPrinter

        return CupsPrinter(parent, **options)
    from kiosk.printing.qt import QtPrinter

    return QtPrinter(parent, **options)


def print_and_wait(backend: Any, content: Any, language: str, printer: str, copies: int,
                   timeout_s: float = 90.0) -> tuple[Any, str, str | None]:
    """For the command line: one leaflet through `backend`, waiting until it is done or failed.

    Needs a Q(Gui)Application; runs its own event loop. Returns (status, detail, job id or None)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    seen: list[tuple[Any, str]] = []

    def on_status(status: Any, detail: str) -> None:
        seen.append((status, detail))
        if status.is_final:
            loop.quit()

    order = backend.print_leaflet(content, language, printer, copies, on_status)
    job_id = getattr(order, "job_id", None)
    if not order.done:
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
    status, detail = seen[-1] if seen else (order.status, "")
    return status, detail, getattr(order, "job_id", None) or job_id
