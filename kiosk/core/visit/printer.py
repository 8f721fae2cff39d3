"""The printing seam, as the core sees it: what a print can come to, and what a printer must do.

A backend (kiosk/printing: CUPS `lp` today, Qt's QPrinter next) implements `LeafletPrinter`;
the visitor's session and the staff screen only ever talk to this interface, so a second
backend comes in without touching a screen. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from kiosk.core.model import N_, Content


class PrintStatus(str, Enum):
    CHECKING = "checking"  # looking at the printer and preparing the page
    PRINTING = "printing"  # the print system accepted the job
    DONE = "done"  # the job completed
    SENT = "sent"  # the print system took the job and cannot report it (Wine's spooler): final, not a fault
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


class PrinterCondition(str, Enum):
    """How the printer is, in the words the staff Printer tab shows: each backend fills it from
    what its print system says (CUPS' lpstat, the Windows spooler's flags), so staff read the
    same states on either. `headline` and `action` are gettext message ids."""

    READY = "ready"  # nothing says it cannot print (which is not proof that it can)
    NO_PRINTER_CHOSEN = "no_printer_chosen"  # none in the settings and the system has no default
    NO_PRINTERS = "no_printers"  # the system has no printer at all
    PRINTER_GONE = "printer_gone"  # the chosen printer no longer exists
    OFF_OR_NOT_ANSWERING = "off_or_not_answering"  # switched off, unplugged, offline, unreachable
    OUT_OF_PAPER = "out_of_paper"
    NEEDS_ATTENTION = "needs_attention"  # jam, door open, toner empty, another fault of the printer
    STOPPED = "stopped"  # paused or set to refuse jobs by someone
    PRINT_SYSTEM_DOWN = "print_system_down"  # CUPS (or the spooler) does not run or does not answer
    JOB_FAILED = "job_failed"  # the last job failed and the printer says nothing more
    UNKNOWN = "unknown"  # the print system reports nothing about the printer or its jobs (Wine's spooler)

    @property
    def headline(self) -> str:
        return CONDITION_WORDS[self][0]

    @property
    def action(self) -> str:
        return CONDITION_WORDS[self][1]

    @property
    def ok(self) -> bool:
        return self is PrinterCondition.READY


# TRANSLATORS: staff Printer tab: the printer's state in big letters, then what to do about it.
CONDITION_WORDS: dict[PrinterCondition, tuple[str, str]] = {
    PrinterCondition.READY: (
        N_("The printer is ready."),
        N_("Nothing to do. To be sure, print a test page.")),
    PrinterCondition.NO_PRINTER_CHOSEN: (
        N_("No printer is chosen, so nothing will print."),
        N_("The computer has no default printer. Choose one below.")),
    PrinterCondition.NO_PRINTERS: (
        N_("No printer is installed, so nothing will print."),
        N_("Connect the printer and add it in the computer's printer settings, then tap \"Look again\".")),
    PrinterCondition.PRINTER_GONE: (
        N_("The chosen printer is no longer there."),
        N_("Choose a printer below.")),
    PrinterCondition.OFF_OR_NOT_ANSWERING: (
        N_("The printer is switched off or does not answer."),
        N_("Switch the printer on and check its cable (or its network). Then print a test page.")),
    PrinterCondition.OUT_OF_PAPER: (
        N_("The printer is out of paper."),
        N_("Put A4 paper in the printer's tray. Then print a test page.")),
    PrinterCondition.NEEDS_ATTENTION: (
        N_("The printer needs attention."),
        N_("Look at the printer: a paper jam, an open cover or empty toner. Fix it, then print a test page.")),
    PrinterCondition.STOPPED: (
        N_("The printer was stopped by someone."),
        N_("Start it again in the computer's printer settings: resume the printer and let it accept jobs. "
           "Then tap \"Look again\".")),
    PrinterCondition.PRINT_SYSTEM_DOWN: (
        N_("The computer's print system is not running."),
        N_("Restart the computer. If that does not help, call the person who set up the kiosk.")),
    PrinterCondition.JOB_FAILED: (
        N_("The last print failed."),
        N_("Look at the printer, then print a test page. If it fails again, tap \"Details\" and show them "
           "to the person who set up the kiosk.")),
    PrinterCondition.UNKNOWN: (
        N_("The kiosk cannot tell how the printer is."),
        N_("This computer's print system does not report its printer or its jobs. Print a test page and "
           "look at the paper.")),
}


@dataclass(frozen=True)
class PrinterReport:
    """What a backend found when staff looked at a printer."""

    condition: PrinterCondition
    printer: str  # the printer the kiosk would use ("" when there is none)
    chosen: bool  # named in the settings (not the system's default)
    details: str = ""  # the print system's own words, for the Details button (not translated)


def condition_after_job(status: PrintStatus, detail: str = "") -> PrinterCondition | None:
    """What a finished job says about the printer, when the backend has nothing more precise."""
    return {
        PrintStatus.NO_PRINTER: PrinterCondition.NO_PRINTER_CHOSEN,
        PrintStatus.PRINTER_STOPPED: PrinterCondition.STOPPED,
        PrintStatus.PRINTER_ERROR: PrinterCondition.NEEDS_ATTENTION,
        PrintStatus.PRINTER_MISSING: PrinterCondition.PRINTER_GONE,
        PrintStatus.CUPS_DOWN: PrinterCondition.PRINT_SYSTEM_DOWN,
        PrintStatus.JOB_FAILED: PrinterCondition.JOB_FAILED,
    }.get(status)


StatusCallback = Callable[[PrintStatus, str], None]  # (status for people, detail for the log)


class PrintOrder(Protocol):
    """One job on its way to paper."""

    @property
    def done(self) -> bool: ...

    @property
    def condition(self) -> PrinterCondition | None:
        """Once it ended in a fault: what the backend saw of the printer (None: nothing known)."""
        ...

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

    def list_printers(self, done: Callable[[list[str]], None]) -> None:
        """The printers the system has, for staff to choose from."""
        ...

    def look_at(self, printer: str, done: Callable[[PrinterReport], None]) -> None:
        """How `printer` ("" : the system's default) is, for the staff Printer tab."""
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

    def list_printers(self, done: Callable[[list[str]], None]) -> None:
        self.real.list_printers(done)

    def look_at(self, printer: str, done: Callable[[PrinterReport], None]) -> None:
        self.real.look_at(printer, done)

    def reset(self) -> None:
        """The backend setting changed: the next print builds the backend anew."""
        self.close()
        self._real = None

    def close(self) -> None:
        """The backend's running commands end now (it is being dropped, or the kiosk ends)."""
        close = getattr(self._real, "close", None)
        if callable(close):
            close()

    def __getattr__(self, name: str) -> object:
        """Whatever else the backend offers staff (the list of printers, their state)."""
        return getattr(self.real, name)
