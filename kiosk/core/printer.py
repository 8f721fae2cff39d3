"""The printing seam, as the core sees it: what a print can come to, and what a printer must do.

A backend (kiosk/printing: CUPS `lp` today, Qt's QPrinter next) implements `LeafletPrinter`;
the visitor's session and the staff screen only ever talk to this interface, so a second
backend comes in without touching a screen. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Protocol

from kiosk.core.content import Content


class PrintStatus(str, Enum):
    CHECKING = "checking"  # looking at the printer and preparing the page
    PRINTING = "printing"  # the print system accepted the job
    DONE = "done"  # the job completed
    NO_PRINTER = "no_printer"  # none configured and no default, or no CUPS tools at all
    PRINTER_STOPPED = "printer_stopped"  # disabled (cupsdisable), paused, or rejecting jobs
    PRINTER_ERROR = "printer_error"  # the printer reports a fault: out of paper, jammed, offline
    PRINTER_MISSING = "printer_missing"  # the named printer does not exist (deleted)
    CUPS_DOWN = "cups_down"  # the print system is not running or does not answer
    JOB_FAILED = "job_failed"  # accepted, then failed or got stuck
    LIMIT_REACHED = "limit_reached"  # per-visitor or per-hour paper limit
    CANCELLED = "cancelled"  # the visitor left (idle reset, quick exit) before it printed

    @property
    def is_fault(self) -> bool:
        """The visitor gets no paper: offer the QR code and the number."""
        return self in FAULTS

    @property
    def is_final(self) -> bool:
        return self not in (PrintStatus.CHECKING, PrintStatus.PRINTING)


FAULTS = frozenset({
    PrintStatus.NO_PRINTER, PrintStatus.PRINTER_STOPPED, PrintStatus.PRINTER_ERROR,
    PrintStatus.PRINTER_MISSING, PrintStatus.CUPS_DOWN, PrintStatus.JOB_FAILED, PrintStatus.LIMIT_REACHED,
})


StatusCallback = Callable[[PrintStatus, str], None]  # (status for people, detail for the log)


class PrintOrder(Protocol):
    """One job on its way to paper."""

    @property
    def done(self) -> bool: ...

    def cancel(self, reason: str) -> bool:
        """Stops it if it has not started printing; True when nothing will come out."""
        ...


class LeafletPrinter(Protocol):
    """What the kiosk needs from a printer backend. Every callback comes on the GUI thread."""

    def prepare(self, content: Content, language: str) -> None:
        """Draw the leaflet ahead of time, so a tap on Print does not wait for it."""
        ...

    def print_leaflet(self, content: Content, language: str, printer: str, copies: int,
                      on_status: StatusCallback) -> PrintOrder:
        """Check the printer, send the leaflet, watch the job; report each step to `on_status`.

        `printer` "" means the system's default. The job title is neutral (it says nothing of
        the visitor's language or of the time)."""
        ...

    def print_test_page(self, kiosk_id: str, printer: str, on_status: StatusCallback) -> PrintOrder:
        """The staff test page (kiosk/paper/testpage.py), drawn the backend's own way."""
        ...


class LazyPrinter:
    """A backend built the first time it is used. The kiosk's first frame need not wait for the
    print code (the CUPS backend's imports cost about 17 ms); the first print is after it anyway."""

    def __init__(self, make: Callable[[], LeafletPrinter]) -> None:
        self._make = make
        self._real: LeafletPrinter | None = None

    @property
    def real(self) -> LeafletPrinter:
        if self._real is None:
            self._real = self._make()
        return self._real

    def prepare(self, content: Content, language: str) -> None:
        self.real.prepare(content, language)

    def print_leaflet(self, content: Content, language: str, printer: str, copies: int,
                      on_status: StatusCallback) -> PrintOrder:
        return self.real.print_leaflet(content, language, printer, copies, on_status)

    def print_test_page(self, kiosk_id: str, printer: str, on_status: StatusCallback) -> PrintOrder:
        return self.real.print_test_page(kiosk_id, printer, on_status)

    def reset(self) -> None:
        """The backend setting changed: the next print builds the backend anew."""
        self._real = None

    def __getattr__(self, name: str) -> object:
        """Whatever else the backend offers staff (the list of printers, their state)."""
        return getattr(self.real, name)
