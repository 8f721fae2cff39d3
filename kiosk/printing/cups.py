"""Printing the leaflet on a CUPS printer: silently, without freezing the screen, with a status.

How, and why this way rather than painting on a QPrinter:

* The page is drawn by the one layout routine onto a QPdfWriter just after the tap
  (kiosk/ui/deferred.py), and kept per language. (Qt's own CUPS print engine does exactly this too: QPrinter makes a
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
from dataclasses import dataclass

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
)

from kiosk.core.content import Content
from kiosk.core.i18n import load_translation
from kiosk.core.print_limits import Debounce, PrintLimits
from kiosk.printing.cups_status import (
    JobProgress,
    PrintStatus,
    default_destination,
    destination_missing,
    finished_outcome,
    job_progress,
    lp_failure,
    parse_jobs,
    parse_printer,
    parse_request_id,
    printer_problem,
    scheduler_running,
)

log = logging.getLogger(__name__)

CHECK_TIMEOUT_MS = 1200  # lpstat: a scheduler that does not answer by then is "down"
SUBMIT_TIMEOUT_MS = 5000  # lp sends the whole PDF
POLL_MS = 200  # how often a submitted job is looked at
STUCK_S = 0.25  # how long a printer fault may last during a job before the visitor is told
CONNECT_S = 10.0  # how long a printer may take to answer at the start of a job
WATCH_S = 120.0  # after this a job is no longer watched (the visitor has gone)


@dataclass(frozen=True)
class CommandResult:
    code: int | None  # None: did not start, crashed or timed out
    out: str
    err: str
    timed_out: bool = False
    not_found: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def text(self) -> str:
        return (self.out + "\n" + self.err).strip()


def run_command(parent: QObject, args: list[str], timeout_ms: int, done: Callable[[CommandResult], None],
                stdin: bytes | None = None) -> QProcess:
    """Runs `args` without waiting; `done` is called once, on the GUI thread."""
    process = QProcess(parent)
    env = QProcessEnvironment.systemEnvironment()
    env.insert("LC_ALL", "C")
    env.insert("LANG", "C")
    process.setProcessEnvironment(env)
    timer = QTimer(process)
    timer.setSingleShot(True)
    state = {"reported": False, "timed_out": False}

    def report(result: CommandResult) -> None:
        if state["reported"]:
            return
        state["reported"] = True
        timer.stop()
        done(result)
        process.deleteLater()

    def on_finished(code: int, status: QProcess.ExitStatus) -> None:
        try:
            out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
            err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        except RuntimeError:  # the owner is being destroyed (the application is quitting)
            return
        normal = status == QProcess.ExitStatus.NormalExit and not state["timed_out"]
        report(CommandResult(code if normal else None, out, err, timed_out=bool(state["timed_out"])))

    def on_error(error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            report(CommandResult(None, "", f"cannot run {args[0]}: {process.errorString()}", not_found=True))

    def on_timeout() -> None:
        state["timed_out"] = True
        process.kill()

    process.finished.connect(on_finished)
    process.errorOccurred.connect(on_error)
    timer.timeout.connect(on_timeout)
    process.start(args[0], args[1:])
    timer.start(timeout_ms)
    if stdin is not None:
        process.write(stdin)
        process.closeWriteChannel()
    return process


class PrintJob(QObject):
    """One leaflet on its way to paper: check the printer, submit, watch, report.

    `status_changed(status, detail)`: the status for the visitor, the detail for the log.
    `finished(status)` once, when nothing more will happen.
    """

    status_changed = Signal(object, str)
    finished = Signal(object)

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
            log.info("job %s is already printing; %s does not stop it", self.job_id, reason)
            self._finish(self.status, "left printing after the visitor left")
            return False
        self._cancel_job(reason)
        self._finish(PrintStatus.CANCELLED, f"{reason}: job {self.job_id} cancelled before it printed")
        return True

    # -- steps ---------------------------------------------------------------------------
    def _set(self, status: PrintStatus, detail: str) -> None:
        self.status, self.detail = status, detail
        self.status_changed.emit(status, detail)

    def _finish(self, status: PrintStatus, detail: str) -> None:
        if self._done:
            return
        self._done = True
        self._poll.stop()
        elapsed = time.monotonic() - self.started_at if self.started_at else 0.0
        level = logging.WARNING if status.is_fault else logging.INFO
        log.log(level, "leaflet print on %r: %s after %.2f s%s", self.printer or "(default)", status.value,
                elapsed, f" ({detail})" if detail else "")
        if status != self.status or detail:
            self._set(status, detail)
        self.finished.emit(status)

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
        log.info("cancelling job %s: %s", self.job_id, why)
        # Owned by the application, not this job: the cancel must outlive the job object.
        owner = QCoreApplication.instance() or self
        run_command(owner, ["cancel", self.job_id], CHECK_TIMEOUT_MS,
                    lambda r, job=self.job_id: r.ok or log.log(
                        logging.INFO if "already" in r.text else logging.WARNING, "could not cancel %s: %s", job, r.text))


def _render(content: Content, language: str, tr: Callable[[str], str]) -> tuple[bytes | None, str]:
    """One leaflet PDF, or None and why not (deferred, see kiosk/ui/deferred.py)."""
    from kiosk.paper.pdf import leaflet_pdf

    try:
        return leaflet_pdf(content, language, tr), ""
    except Exception as exc:  # noqa: BLE001 - reported to the job, logged with detail
        log.exception("the leaflet (%s) could not be drawn", language)
        return None, str(exc)


class LeafletRenderer(QObject):
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
        from kiosk.ui.deferred import later

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


class LeafletPrinter(QObject):
    """What the leaflet screen uses: one print at a time, debounced, within the limits.

    `status_changed(status, detail)` reports every step; the screen shows the status in the
    visitor's language and the detail goes to the log.
    """

    status_changed = Signal(object, str)

    def __init__(self, printer: str, limits: PrintLimits, debounce: Debounce | None = None,
                 parent: QObject | None = None, job_options: dict | None = None) -> None:  # type: ignore[type-arg]
        super().__init__(parent)
        self.printer = printer
        self.limits = limits
        self.debounce = debounce or Debounce(1.0)
        self.renderer = LeafletRenderer(self)
        self.renderer.ready.connect(self._on_pdf)
        self.renderer.failed.connect(self._on_pdf_failed)
        self.job: PrintJob | None = None
        self._job_key: tuple[int, str] | None = None
        self._job_options = job_options or {}
        self._counted: PrintJob | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None and not self.job.done

    def prepare(self, content: Content, language: str) -> None:
        """Start drawing the PDF now, so that a tap on Print has it at once."""
        self.renderer.request(content, language)

    def print_leaflet(self, content: Content, language: str) -> PrintStatus | None:
        """One tap on Print. None when the tap is ignored (a double tap, or a print under way)."""
        if self.busy or not self.debounce.accept():
            return None
        refusal = self.limits.refusal()
        if refusal is not None:
            detail = (f"limit reached: {self.limits.per_visit} per visitor" if refusal.value == "visit"
                      else f"limit reached: {self.limits.per_hour} per hour")
            self.status_changed.emit(PrintStatus.LIMIT_REACHED, detail)
            log.info("leaflet not printed: %s", detail)
            return PrintStatus.LIMIT_REACHED
        assert content.leaflet is not None
        title = f"{content.leaflet.title.get(language)} ({language})"
        if self.job is not None:
            self.job.deleteLater()  # finished; deleted by Qt, never by Python's refcount (see print_once)
        job = PrintJob(self.printer, 1, title, self, **self._job_options)
        self.job = job
        self._job_key = self.renderer.key(content, language)
        job.status_changed.connect(self._on_job_status)
        pdf = self.renderer.cached(content, language)
        if pdf is None:
            self.renderer.request(content, language)
        job.start(pdf)
        return job.status

    def cancel_pending(self, reason: str) -> bool:
        """Idle reset or quick exit: a print that has not started never comes out."""
        job = self.job
        if job is None or job.done:
            return False
        return job.cancel(reason)

    def new_visit(self) -> None:
        self.limits.new_visit()
        self.debounce.reset()

    def _on_pdf(self, key: tuple[int, str], data: bytes) -> None:
        if self.job is not None and not self.job.done and key == self._job_key:
            self.job.provide_pdf(data)

    def _on_pdf_failed(self, key: tuple[int, str], error: str) -> None:
        if self.job is not None and not self.job.done and key == self._job_key:
            self.job.pdf_failed(error)

    def _on_job_status(self, status: PrintStatus, detail: str) -> None:
        job = self.job
        if status is PrintStatus.PRINTING and job is not None and job is not self._counted:
            self._counted = job  # the paper budget counts what CUPS accepted, once per job
            self.limits.record(1)
        self.status_changed.emit(status, detail)


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
