"""The Qt print backend: the A4 leaflet painted straight onto a QPrinter, as vectors, silently.

Qt's native engine on Windows, Qt's CUPS plugin on Linux. It is the backend where CUPS' `lp`
is not there (Windows), and `print_backend: qt` chooses it anywhere.

What a visitor is told comes from what the system says, read as "unknown unless shown bad":
- before: the printer must exist and not be marked stopped or offline (QPrinterInfo; on
  Windows also the spooler's own flags, kiosk/printing/winspool.py);
- the page is drawn a moment after the frame that shows "Preparing" (kiosk/paper/deferred.py);
  QPainter.end() hands it to the system, a blocking call of a few tens of milliseconds;
- after: the job is watched for up to WATCH_S. On Windows the spooler's job flags (error,
  paper out, offline, deleted) end it as failed. Qt's CUPS plugin gives no job at all, so on
  Linux only the printer's state is watched: a stopped printer fails the job, an idle one
  after SETTLE_S means done. That is weaker than the `lp` backend, which is why `auto`
  keeps `lp` wherever CUPS is installed.
"""

from __future__ import annotations

import itertools
import logging
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.core.model import Content, load_translation
from kiosk.core.visit import (
    PrinterCondition,
    PrinterReport,
    PrintStatus,
    StatusCallback,
    condition_after_job,
)
from kiosk.paper.deferred import later
from kiosk.printing.job import Job

log = logging.getLogger(__name__)

WATCH_S = 60.0
POLL_MS = 500
SETTLE_S = 1.5  # Linux: the printer seen idle this long after the job went means it is done
_numbers = itertools.count(1)  # jobs are told apart by a counter in their title, never by the time


def _printer_info(name: str) -> tuple[str, PrintStatus | None, str]:
    """(the printer's name, a problem or None, detail) as Qt (and on Windows the spooler) see it."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    available = QPrinterInfo.availablePrinterNames()
    name = name or QPrinterInfo.defaultPrinterName()
    if not name:
        return "", PrintStatus.NO_PRINTER, "no printer is chosen and the system has no default printer"
    if name not in available:
        if not available:
            return name, PrintStatus.PRINTER_MISSING, f"the system lists no printer at all, not even {name!r}"
        return name, PrintStatus.PRINTER_MISSING, f"there is no printer {name!r} (there are: {', '.join(available)})"
    state = QPrinterInfo.printerInfo(name).state()
    if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return name, PrintStatus.PRINTER_STOPPED, f"{name!r} is {state.name.lower()}"
    if sys.platform == "win32":
        from kiosk.printing.winspool import Spooler, printer_problem

        try:
            problem = printer_problem(*Spooler().printer(name))
        except Exception as exc:  # noqa: BLE001 - unknown is not bad
            log.info("the spooler did not say how %s is: %s", name, exc)
            problem = None
        if problem is not None:
            return name, problem[0], f"{name!r}: {problem[1]}"
    return name, None, ""


def _report(requested: str) -> PrinterReport:
    """How the printer is, for the staff Printer tab: Qt's view, and on Windows the spooler's flags."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    available = list(QPrinterInfo.availablePrinterNames())
    default = QPrinterInfo.defaultPrinterName()
    name = requested or default
    details = f"printers: {', '.join(available) or '(none)'}\nsystem default: {default or '(none)'}"
    chosen = bool(requested)
    if not name:
        condition = PrinterCondition.NO_PRINTER_CHOSEN if available else PrinterCondition.NO_PRINTERS
        return PrinterReport(condition, "", False, details)
    if name not in available:
        return PrinterReport(PrinterCondition.PRINTER_GONE, name, chosen, details)
    state = QPrinterInfo.printerInfo(name).state()
    details += f"\n{name}: Qt printer state {state.name}"
    condition = (PrinterCondition.STOPPED if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)
                 else PrinterCondition.READY)
    if sys.platform == "win32":  # run under Wine (tests/windows/); the flags on recorded values too
        from kiosk.printing.winspool import Spooler, spooler_condition

        try:
            spooler = Spooler()
            status, attributes = spooler.printer(name)
        except Exception as exc:  # noqa: BLE001 - the spooler says nothing: unknown, not ready
            details += f"\nspooler: {exc}"
            condition = condition if not condition.ok else PrinterCondition.UNKNOWN
        else:
            jobs_error = spooler.jobs_error(name)
            details += f"\nspooler: Status 0x{status:x}, Attributes 0x{attributes:x}"
            details += f"\njobs: {'listed' if jobs_error is None else 'cannot be listed: ' + jobs_error}"
            said = spooler_condition(status, attributes, jobs_error)
            condition = said if not said.ok else condition
    return PrinterReport(condition, name, chosen, details)


class QtPrintJob(Job):
    """One document on its way to a QPrinter: check, draw, watch. Signals and ending from kiosk.printing.job.Job."""

    def __init__(self, printer: str, copies: int, title: str, draw: Callable[[object], bool],
                 parent: QObject | None = None, watch_s: float = WATCH_S) -> None:
        super().__init__(parent)
        self.requested_printer = printer
        self.printer = printer
        self.copies = max(1, copies)
        self.title = f"{title}-{next(_numbers)}"
        self.status = PrintStatus.CHECKING
        self.detail = ""
        self.job_id: str | None = None  # Qt names no job; the title tells ours apart in the spooler
        self._draw = draw
        self._sent = False
        self._done = False
        self._watch_s = watch_s
        self._sent_at = 0.0
        self._idle_since: float | None = None
        self._spooler_status: int | None = None  # Windows: the job's last flags, for `condition`
        self._spooler_watch: object = None  # Windows: kiosk.printing.winspool.SpoolerWatch
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)

    @property
    def done(self) -> bool:
        return self._done

    @property
    def printing_started(self) -> bool:
        return self._sent

    @property
    def condition(self) -> PrinterCondition | None:
        if not self._done or not self.status.is_fault:
            return None
        if sys.platform == "win32":
            from kiosk.printing.winspool import job_condition

            seen = job_condition(self._spooler_status)
            if seen is not None:
                return seen
        return condition_after_job(self.status, self.detail)

    def start(self) -> None:
        self._set(PrintStatus.CHECKING, "")
        later(self, lambda: None, lambda job, _none: job._check(), first=True)  # after the next frame

    def cancel(self, reason: str) -> bool:
        """Before the page went to the system: nothing will come out. After: only the spooler can stop it."""
        if self._done:
            return False
        if not self._sent:
            self._finish(PrintStatus.CANCELLED, f"{reason}: stopped before it was sent")
            return True
        stopped = False
        if sys.platform == "win32":
            from kiosk.printing.winspool import Spooler

            try:
                stopped = Spooler().cancel(self.printer, self.title)
            except Exception as exc:  # noqa: BLE001
                log.warning("could not cancel the job on %s: %s", self.printer, exc)
        self._finish(PrintStatus.CANCELLED if stopped else self.status,
                     "cancelled before it printed" if stopped else "left printing after the visitor left")
        return stopped

    # -- steps ---------------------------------------------------------------------------
    def _check(self) -> None:
        if self._done:
            return
        name, problem, detail = _printer_info(self.requested_printer)
        self.printer = name
        if problem is not None:
            self._finish(problem, detail)
            return
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(name)
        printer.setCopyCount(self.copies)
        printer.setDocName(self.title)
        printer.setCreator("safe-migration-kiosk")
        printer.setFullPage(True)
        started = time.monotonic()
        try:
            ok = self._draw(printer)
        except Exception as exc:  # noqa: BLE001 - reported to the visitor as a failed job, logged with detail
            log.exception("the page could not be drawn for %s", name)
            self._finish(PrintStatus.JOB_FAILED, f"the page could not be drawn: {exc}")
            return
        if not ok or printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            self._finish(PrintStatus.JOB_FAILED, f"{name!r} did not take the page")
            return
        self._sent, self._sent_at = True, time.monotonic()
        self._set(PrintStatus.PRINTING, f"sent to {name} in {(self._sent_at - started) * 1000:.0f} ms")
        self._poll.start()

    def _look(self) -> None:
        if self._done:
            return
        now = time.monotonic()
        if now - self._sent_at > self._watch_s:
            self._finish(PrintStatus.PRINTING, "no longer watched")
            return
        if sys.platform == "win32":
            self._look_in_spooler()
            return
        _name, problem, detail = _printer_info(self.printer)
        if problem is not None:
            self._finish(PrintStatus.JOB_FAILED, detail)
            return
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        if QPrinterInfo.printerInfo(self.printer).state() == QPrinter.PrinterState.Idle:
            self._idle_since = self._idle_since or now
            if now - self._idle_since >= SETTLE_S:
                self._finish(PrintStatus.DONE, "the printer is idle again")
        else:
            self._idle_since = None

    def _look_in_spooler(self) -> None:
        from kiosk.printing.winspool import Spooler, SpoolerWatch

        if self._spooler_watch is None:
            self._spooler_watch = SpoolerWatch()
        watch: SpoolerWatch = self._spooler_watch  # type: ignore[assignment]
        try:
            self._spooler_status = Spooler().job_status(self.printer, self.title)
        except Exception as exc:  # noqa: BLE001 - unknown is not bad: look again, then stop watching
            log.info("the spooler did not answer about %s: %s", self.title, exc)
            outcome, detail = watch.failed(exc)
        else:
            outcome, detail = watch.seen(self._spooler_status)
        if outcome is not None:
            self._finish(outcome, detail)


class QtPrinter(QObject):
    """The Qt backend of the printing seam (kiosk.core.visit.printer.LeafletPrinter)."""

    def __init__(self, parent: QObject | None = None, watch_s: float = WATCH_S) -> None:
        super().__init__(parent)
        self._watch_s = watch_s

    def prepare(self, content: Content, language: str) -> None:
        """Nothing to draw ahead: the page is painted onto the printer itself."""

    def print_leaflet(self, content: Content, language: str, printer: str, copies: int,
                      on_status: StatusCallback) -> QtPrintJob:
        from kiosk.paper.leaflet import draw_leaflet

        tr = load_translation(language).gettext

        def draw(device: object) -> bool:
            draw_leaflet(device, content, language, tr)  # type: ignore[arg-type]
            return True

        return self._start(printer, copies, "kiosk-leaflet", draw, on_status)

    def print_test_page(self, kiosk_id: str, printer: str, on_status: StatusCallback) -> QtPrintJob:
        from kiosk.paper.testpage import draw_test_page

        def draw(device: object) -> bool:
            draw_test_page(device, kiosk_id, printer)  # type: ignore[arg-type]
            return True

        return self._start(printer, 1, "kiosk-page", draw, on_status)

    def _start(self, printer: str, copies: int, title: str, draw: Callable[[object], bool],
               on_status: StatusCallback) -> QtPrintJob:
        job = QtPrintJob(printer, copies, title, draw, self, watch_s=self._watch_s)
        job.status_changed.connect(on_status)
        job.finished.connect(job.deleteLater)
        job.start()
        return job

    # -- for the staff screen ---------------------------------------------------------------
    def list_printers(self, done: Callable[[list[str]], None]) -> None:
        from PySide6.QtPrintSupport import QPrinterInfo

        done(list(QPrinterInfo.availablePrinterNames()))

    def look_at(self, printer: str, done: Callable[[PrinterReport], None]) -> None:
        done(_report(printer))

