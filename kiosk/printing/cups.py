"""Printing the leaflet on a CUPS printer: silently, without freezing the screen, with a status.

How, and why this way rather than painting on a QPrinter:

* The page is drawn by the one layout routine onto a QPdfWriter just after the tap
  (kiosk/paper/deferred.py), and kept per language. (Qt's own CUPS print engine does exactly this too: QPrinter makes a
  PDF and hands it to CUPS.)
* The PDF goes to CUPS with `lp` through QProcess, and the printer and the job are watched
  with `lpstat`, also through QProcess. QProcess is asynchronous, so the GUI thread never
  waits, and every command has a timeout, so a print system that hangs still gives the
  visitor an answer within 2 s.
* QPrinter would have hidden what the visitor needs to be told. It submits inside
  QPainter.end() with a blocking libcups call, returns no job id and reports nothing after
  that: a job that fails, a printer out of paper or unplugged, could not be seen or
  cancelled. `lp` returns the job id; `lpstat` tells a disabled printer from a deleted one,
  a rejecting queue from a scheduler that is not running, and gives the printer's and the
  job's state reasons (media-empty, connecting-to-device, job-completed-with-errors).
* With a job id, an idle reset or a quick exit can cancel a job that has not started
  printing: someone who is being watched must not have a leaflet come out after they left.

Every command runs in the C locale: the kiosk reads their output (kiosk/printing/cups_status.py).
The CUPS server is the system's, or the one named by CUPS_SERVER, as for any CUPS tool.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.core.model import Content
from kiosk.core.visit import PrinterCondition, PrinterReport, StatusCallback, condition_after_job
from kiosk.printing.cups_status import (
    JobProgress,
    PrinterState,
    PrintStatus,
    default_destination,
    destination_missing,
    finished_outcome,
    job_progress,
    lp_failure,
    parse_jobs,
    parse_printer,
    parse_request_id,
    printer_condition,
    printer_problem,
    scheduler_running,
    short_listing,
)
from kiosk.printing.job import Job
from kiosk.printing.leaflets import LeafletPdfs, PdfKey
from kiosk.printing.process import CommandResult, run_command

log = logging.getLogger(__name__)

CHECK_TIMEOUT_MS = 1200  # lpstat: a scheduler that does not answer by then is "down"
CANCEL_WAIT_MS = CHECK_TIMEOUT_MS  # at close, how long a `cancel` already sent may take to finish
SUBMIT_TIMEOUT_MS = 5000  # lp sends the whole PDF
POLL_MS = 200  # how often a submitted job is looked at
STUCK_S = 0.25  # how long a printer fault may last during a job before the visitor is told
CONNECT_S = 10.0  # how long a printer may take to answer at the start of a job
WATCH_S = 120.0  # after this a job is no longer watched (the visitor has gone)


class PrintJob(Job):
    """One leaflet on its way to paper: check the printer, submit, watch, report.

    `status_changed(status, detail)`: the status for the visitor, the detail for the log.
    `finished(status)` once, when nothing more will happen.
    """

    def __init__(self, printer: str = "", copies: int = 1, title: str = "Leaflet",
                 parent: QObject | None = None, stuck_s: float = STUCK_S, poll_ms: int = POLL_MS,
                 watch_s: float = WATCH_S, connect_s: float = CONNECT_S) -> None:
        super().__init__(parent)
        self.requested_printer = printer
        self.printer = printer
        self.copies = max(1, copies)
        self.title = title
        self.status = PrintStatus.CHECKING
        self.detail = ""
        self.job_id: str | None = None
        self.started_at = 0.0
        self._pdf: bytes | None = None
        self._printer_ready = False
        self._submitting = False
        self._cancelled = False
        self._done = False
        self._last_seen_printing = False
        self._stuck_since: float | None = None
        self._watch_errors = 0
        self._seen: PrinterState | None = None  # the printer as last seen, for `condition`
        self._stuck_s, self._watch_s, self._connect_s = stuck_s, watch_s, connect_s
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self._look_at_job)

    # -- public --------------------------------------------------------------------------
    def start(self, pdf: bytes | None = None) -> None:
        self.started_at = time.monotonic()
        if pdf is not None:
            self._pdf = pdf
        self._set(PrintStatus.CHECKING, "")
        run_command(self, ["lpstat", "-r", "-d"], CHECK_TIMEOUT_MS, self._on_scheduler)

    def provide_pdf(self, pdf: bytes) -> None:
        self._pdf = pdf
        self._maybe_submit()

    def pdf_failed(self, error: str) -> None:
        self._finish(PrintStatus.JOB_FAILED, f"the leaflet could not be drawn: {error}")

    @property
    def done(self) -> bool:
        return self._done

    @property
    def condition(self) -> PrinterCondition | None:
        """After a fault: how the printer was last seen, else what the status says."""
        if not self.done or not self.status.is_fault:
            return None
        if self._seen is not None:
            seen = printer_condition(self._seen)
            if not seen.ok:
                return seen
        return condition_after_job(self.status, self.detail)

    @property
    def cancel_requested(self) -> bool:
        """Cancelled while `lp` was still sending it: it is cancelled the moment CUPS names it."""
        return self._cancelled

    @property
    def printing_started(self) -> bool:
        """CUPS was last seen sending this job to the printer: too late to cancel cleanly."""
        return self._last_seen_printing

    def cancel(self, reason: str) -> bool:
        """Stops a print that has not started; True if nothing will come out of the printer."""
        if self._done:
            return False
        self._cancelled = True
        if self.job_id is None:
            if self._submitting:
                return True  # _on_submitted cancels the job as soon as CUPS names it
            self._finish(PrintStatus.CANCELLED, f"{reason}: stopped before it was sent")
            return True
        if self._last_seen_printing:
            self._finish(self.status, "left printing after the visitor left")
            return False
        self._cancel_job(reason)
        self._finish(PrintStatus.CANCELLED, f"{reason}: job {self.job_id} cancelled before it printed")
        return True

    # -- steps ---------------------------------------------------------------------------
    def _on_scheduler(self, result: CommandResult) -> None:
        if self._done:
            return
        if result.not_found:
            self._finish(PrintStatus.NO_PRINTER, "the CUPS tools are not installed (Debian package cups-client)")
            return
        if result.timed_out:
            self._finish(PrintStatus.CUPS_DOWN, f"lpstat did not answer within {CHECK_TIMEOUT_MS} ms")
            return
        if not scheduler_running(result.out):
            self._finish(PrintStatus.CUPS_DOWN, f"the CUPS scheduler is not running: {result.text}")
            return
        self.printer = self.requested_printer or default_destination(result.out) or ""
        if not self.printer:
            self._finish(PrintStatus.NO_PRINTER,
                         "no printer is set in the settings (printer:) and CUPS has no default printer")
            return
        run_command(self, ["lpstat", "-l", "-p", self.printer, "-a", self.printer], CHECK_TIMEOUT_MS,
                    self._on_printer)

    def _on_printer(self, result: CommandResult) -> None:
        if self._done:
            return
        if result.timed_out or result.code is None:
            self._finish(PrintStatus.CUPS_DOWN, f"lpstat did not answer: {result.text}")
            return
        state = parse_printer(result.out, self.printer)
        self._seen = state
        if not state.exists:
            status = PrintStatus.PRINTER_MISSING if destination_missing(result.err) or result.ok else PrintStatus.CUPS_DOWN
            self._finish(status, f"printer {self.printer!r}: {result.text or 'not found'}")
            return
        problem = printer_problem(state)
        if problem is not None:
            detail = f"printer {self.printer!r} is {state.state}"
            if state.accepting is False:
                detail += ", not accepting jobs"
            if state.message:
                detail += f": {state.message}"
            if state.faults:
                detail += f" [{' '.join(state.faults)}]"
            self._finish(problem, detail)
            return
        self._printer_ready = True
        self._maybe_submit()

    def _maybe_submit(self) -> None:
        if self._done or self._submitting or not self._printer_ready or self._pdf is None:
            return
        if self._cancelled:
            self._finish(PrintStatus.CANCELLED, "stopped before it was sent")
            return
        self._submitting = True
        args = ["lp", "-d", self.printer, "-n", str(self.copies), "-t", self.title, "-o", "job-sheets=none", "-"]
        run_command(self, args, SUBMIT_TIMEOUT_MS, self._on_submitted, stdin=self._pdf)

    def _on_submitted(self, result: CommandResult) -> None:
        self._submitting = False
        if self._done:
            return
        job_id = parse_request_id(result.out) if result.ok else None
        if job_id is None:
            if result.timed_out:
                self._finish(PrintStatus.CUPS_DOWN, f"lp did not answer within {SUBMIT_TIMEOUT_MS} ms")
            else:
                self._finish(lp_failure(result.text), f"lp refused the job: {result.text}")
            return
        self.job_id = job_id
        if self._cancelled:
            self._cancel_job("the visitor left while it was being sent")
            self._finish(PrintStatus.CANCELLED, f"job {job_id} cancelled as soon as it was sent")
            return
        self._set(PrintStatus.PRINTING, f"job {job_id} accepted by {self.printer}")
        self._poll.start()

    def _look_at_job(self) -> None:
        if self._done:
            return
        if time.monotonic() - self.started_at > self._watch_s:
            log.warning("job %s still not finished after %.0f s; no longer watched", self.job_id, self._watch_s)
            self._finish(PrintStatus.PRINTING, "still queued; no longer watched")
            return
        run_command(self, ["lpstat", "-l", "-W", "not-completed", "-o", self.printer], CHECK_TIMEOUT_MS,
                    self._on_queue)

    def _watch_error(self, result: CommandResult) -> bool:
        if result.ok:
            self._watch_errors = 0
            return False
        if destination_missing(result.text):
            self._finish(PrintStatus.JOB_FAILED, f"printer {self.printer!r} was deleted during the job")
            return True
        self._watch_errors += 1
        if self._watch_errors >= 3 or result.timed_out:
            self._finish(PrintStatus.CUPS_DOWN, f"lost the print system during job {self.job_id}: {result.text}")
        else:
            self._poll.start()
        return True

    def _on_queue(self, result: CommandResult) -> None:
        if self._done or self._watch_error(result):
            return
        waiting = parse_jobs(result.out)
        assert self.job_id is not None
        if self.job_id not in waiting:
            run_command(self, ["lpstat", "-l", "-W", "completed", "-o", self.printer], CHECK_TIMEOUT_MS,
                        self._on_completed)
            return
        self._last_seen_printing = waiting[self.job_id].printing
        run_command(self, ["lpstat", "-l", "-p", self.printer], CHECK_TIMEOUT_MS,
                    lambda r, w=waiting: self._on_job_printer(r, w))

    def _on_job_printer(self, result: CommandResult, waiting: dict) -> None:  # type: ignore[type-arg]
        if self._done or self._watch_error(result):
            return
        assert self.job_id is not None
        printer = parse_printer(result.out, self.printer)
        self._seen = printer
        progress, detail = job_progress(self.job_id, waiting, printer)
        if progress is JobProgress.FAILED:
            self._cancel_job("it failed")
            self._finish(PrintStatus.JOB_FAILED, f"job {self.job_id}: {detail}")
            return
        if progress in (JobProgress.STUCK, JobProgress.CONNECTING):
            now = time.monotonic()
            allowed = self._stuck_s if progress is JobProgress.STUCK else self._connect_s
            if self._stuck_since is None:
                self._stuck_since = now
            elif now - self._stuck_since >= allowed:
                # The paper will not come out while the visitor waits; a job left in the
                # queue would print later, for nobody, so it goes.
                self._cancel_job("the printer cannot print it now")
                self._finish(PrintStatus.JOB_FAILED, f"job {self.job_id} stuck: {detail}")
                return
        else:
            self._stuck_since = None
        self._poll.start()

    def _on_completed(self, result: CommandResult) -> None:
        if self._done or self._watch_error(result):
            return
        assert self.job_id is not None
        status, detail = finished_outcome(parse_jobs(result.out).get(self.job_id))
        self._finish(status, f"job {self.job_id}: {detail or 'completed'}")

    def _cancel_job(self, why: str) -> None:
        if self.job_id is None:
            return
        # Owned by the printer (else the application), not this job: the cancel must outlive the job
        # object, and CupsPrinter.close() must find it to wait for it.
        owner = self.parent() or QCoreApplication.instance() or self
        run_command(owner, ["cancel", self.job_id], CHECK_TIMEOUT_MS,
                    lambda r, job=self.job_id: r.ok or log.log(
                        logging.INFO if "already" in r.text else logging.WARNING, "could not cancel %s: %s", job, r.text))


# Job titles say nothing about the visitor (language) or the time: CUPS may show them to anyone
# with the PC, and the appliance keeps no job history at all (deploy/).
LEAFLET_TITLE = "kiosk-leaflet"
PAGE_TITLE = "kiosk-page"


class CupsPrinter(QObject):
    """The CUPS backend of the printing seam (kiosk.core.visit.printer.LeafletPrinter): `lp` and `lpstat`."""

    def __init__(self, parent: QObject | None = None, job_options: dict | None = None) -> None:  # type: ignore[type-arg]
        super().__init__(parent)
        self.pdfs = LeafletPdfs(self)
        self.pdfs.ready.connect(self._on_pdf)
        self.pdfs.failed.connect(self._on_pdf_failed)
        self._job_options = job_options or {}
        self._waiting: list[tuple[PdfKey, PrintJob]] = []  # jobs whose page is still being drawn

    def prepare(self, content: Content, language: str) -> None:
        self.pdfs.request(content, language)

    def close(self) -> None:
        """Before the backend goes (a new backend setting, the kiosk ending): the `lp` and `lpstat`
        still running are ended and waited for, so Qt never destroys a running process ("QProcess:
        Destroyed while process is still running") and no command outlives the kiosk. A `cancel`
        is let finish first (a visitor who left must not have the leaflet printed after all); only
        one that hangs is killed."""
        from PySide6.QtCore import QProcess

        for job in self.findChildren(PrintJob):
            if not job.done:
                job.abandon()  # its next look at CUPS would start a command after the close
        running = [p for p in self.findChildren(QProcess) if p.state() != QProcess.ProcessState.NotRunning]
        for process in running:
            if process.program() == "cancel":
                process.waitForFinished(CANCEL_WAIT_MS)
        for process in running:
            if process.state() != QProcess.ProcessState.NotRunning:
                process.kill()
                process.waitForFinished(1000)

    def print_leaflet(self, content: Content, language: str, printer: str, copies: int,
                      on_status: StatusCallback) -> PrintJob:
        job = self._job(printer, copies, LEAFLET_TITLE, on_status)
        pdf = self.pdfs.cached(content, language)
        if pdf is None:
            self._waiting.append((self.pdfs.key(content, language), job))
            self.pdfs.request(content, language)
        job.start(pdf)
        return job

    def print_test_page(self, kiosk_id: str, printer: str, on_status: StatusCallback) -> PrintJob:
        from kiosk.paper.testpage import test_page_pdf

        job = self._job(printer, 1, PAGE_TITLE, on_status)
        job.start(test_page_pdf(kiosk_id, printer))
        return job

    def _job(self, printer: str, copies: int, title: str, on_status: StatusCallback) -> PrintJob:
        job = PrintJob(printer, copies, title, self, **self._job_options)
        job.status_changed.connect(on_status)
        job.finished.connect(lambda _status, job=job: self._dispose(job))
        return job

    def _dispose(self, job: PrintJob) -> None:
        """Deleted by Qt once finished and once no command of its own still runs (a job cancelled
        while `lpstat` answers must not take the running process down with it), never by Python's
        refcount: a QObject freed by Python while Qt still holds events for it crashes PySide."""
        from PySide6.QtCore import QProcess

        if any(p.state() != QProcess.ProcessState.NotRunning for p in job.findChildren(QProcess)):
            QTimer.singleShot(250, lambda: self._dispose(job))
        else:
            job.deleteLater()

    def _take_waiting(self, key: PdfKey) -> list[PrintJob]:
        jobs = [job for k, job in self._waiting if k == key and not job.done]
        self._waiting = [(k, job) for k, job in self._waiting if k != key and not job.done]
        return jobs

    def _on_pdf(self, key: PdfKey, data: bytes) -> None:
        for job in self._take_waiting(key):
            job.provide_pdf(data)

    def _on_pdf_failed(self, key: PdfKey, error: str) -> None:
        for job in self._take_waiting(key):
            job.pdf_failed(error)

    # -- for the staff screen ---------------------------------------------------------------
    def list_printers(self, done: Callable[[list[str]], None]) -> None:
        """The print queues CUPS has, in order (empty when there are none or CUPS is down)."""
        run_command(self, ["lpstat", "-e"], CHECK_TIMEOUT_MS * 2, lambda r: done(
            [line.strip() for line in r.out.splitlines() if line.strip()] if r.ok else []))

    def look_at(self, printer: str, done: Callable[[PrinterReport], None]) -> None:
        """How `printer` ("" : the system's default) is: `lpstat -r -d`, then the printer's long listing."""
        run_command(self, ["lpstat", "-r", "-d"], CHECK_TIMEOUT_MS * 2,
                    lambda r: self._looked_at_scheduler(printer, r, done))

    def _looked_at_scheduler(self, chosen: str, result: CommandResult,
                             done: Callable[[PrinterReport], None]) -> None:
        said = f"$ lpstat -r -d\n{result.text}"
        if result.not_found:
            done(PrinterReport(PrinterCondition.NO_PRINTERS, chosen, bool(chosen),
                               "lpstat: not installed (Debian package cups-client)"))
            return
        if result.timed_out or not scheduler_running(result.out):
            done(PrinterReport(PrinterCondition.PRINT_SYSTEM_DOWN, chosen, bool(chosen),
                               said if not result.timed_out else "lpstat -r -d: no answer"))
            return
        name = chosen or default_destination(result.out) or ""
        if not name:
            run_command(self, ["lpstat", "-e"], CHECK_TIMEOUT_MS * 2, lambda r: done(PrinterReport(
                PrinterCondition.NO_PRINTER_CHOSEN if r.out.strip() else PrinterCondition.NO_PRINTERS,
                "", False, f"{said}\n$ lpstat -e\n{r.text}")))
            return

        def on_printer(r: CommandResult) -> None:
            details = f"{said}\n$ lpstat -l -p {name} -a {name}\n{short_listing(r.text)}"
            if r.timed_out or r.code is None:
                done(PrinterReport(PrinterCondition.PRINT_SYSTEM_DOWN, name, bool(chosen), details))
                return
            done(PrinterReport(printer_condition(parse_printer(r.out, name)), name, bool(chosen), details))

        run_command(self, ["lpstat", "-l", "-p", name, "-a", name], CHECK_TIMEOUT_MS * 2, on_printer)


def print_once(printer: str, pdf: bytes, copies: int, title: str,
               timeout_s: float = 60.0) -> tuple[PrintStatus, str, str | None]:
    """For the command line: print and wait until the job is done or has failed.

    Needs a Q(Core)Application; runs its own event loop. Returns (status, detail, job id).
    """
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    job = PrintJob(printer, copies, title, watch_s=timeout_s)
    job.finished.connect(lambda _status: loop.quit())
    job.start(pdf)
    if not job.done:
        loop.exec()
    result = job.status, job.detail, job.job_id
    # Deleted by Qt at a safe point: a QObject freed by Python while Qt still holds events
    # for its children crashes PySide.
    job.deleteLater()
    return result
