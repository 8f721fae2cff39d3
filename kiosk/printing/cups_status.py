"""What the CUPS command-line tools say about printers and jobs, read without Qt.

The kiosk asks CUPS with `lpstat`, `lp` and `cancel` (see kiosk/printing/cups.py for
why). This module turns their output, always requested in the C locale, into typed states
and decides what the visitor should be told. Kept free of Qt and processes so every
branch is tested with recorded output in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from kiosk.core.model import escape_controls
from kiosk.core.visit import FAULTS, PrinterCondition, PrintStatus  # noqa: F401 (re-exported)

# printer-state-reasons (RFC 8011 and CUPS) that mean paper will not come out. A reason may
# carry a severity suffix: "-report" is information, "-warning" and "-error" are not.
BLOCKING_REASONS = frozenset({
    "connecting-to-device", "media-empty", "media-needed", "media-jam", "offline", "paused", "shutdown",
    "stopped", "moving-to-paused", "door-open", "cover-open", "interlock-open", "toner-empty",
    "marker-supply-empty", "output-area-full", "input-tray-missing", "output-tray-missing", "timed-out",
    "spool-area-full", "cups-missing-filter", "cups-insecure-filter",
})
# Seen for a moment at the start of every job on a network printer; a fault only if it lasts.
TRANSIENT_REASONS = frozenset({"connecting-to-device", "timed-out"})
STOPPED_REASONS = frozenset({"paused", "stopped", "moving-to-paused", "shutdown"})

# job-state-reasons that mean this job will not print.
FAILED_JOB_REASONS = frozenset({
    "job-completed-with-errors", "job-aborted-by-system", "aborted-by-system", "job-canceled-by-user",
    "job-canceled-by-operator", "job-canceled-at-device", "document-format-error",
    "document-unprintable-error", "unsupported-document-format", "job-data-insufficient",
    "document-access-error", "unsupported-compression", "compression-error",
})
# job-state-reasons that mean the job waits for something a visitor cannot do.
HELD_JOB_REASONS = frozenset({
    "job-hold-until-specified", "job-held-for-authentication", "printer-stopped", "printer-stopped-partly",
})

_LONG_KEYS = (
    "Form mounted:", "Content types:", "Printer types:", "Description:", "Alerts:", "Location:",
    "Connection:", "Interface:", "On fault:", "After fault:", "Users allowed:", "Forms allowed:",
    "Banner required", "Charset sets:", "Default pitch:", "Default page size:", "Default port settings:",
)


def scheduler_running(lpstat_r: str) -> bool:
    """From `lpstat -r`: "scheduler is running" / "scheduler is not running"."""
    return "scheduler is running" in lpstat_r


def default_destination(lpstat_d: str) -> str | None:
    """From `lpstat -d`: "system default destination: NAME" / "no system default destination"."""
    match = re.search(r"system default destination: (\S+)", lpstat_d)
    return match.group(1) if match else None


def destination_missing(text: str) -> bool:
    """lpstat and lp both say so when a queue was deleted (`lpadmin -x`)."""
    return "Invalid destination name" in text or "does not exist" in text


@dataclass(frozen=True)
class PrinterState:
    name: str
    exists: bool
    state: str = "unknown"  # idle, printing, disabled
    accepting: bool | None = None
    message: str = ""  # printer-state-message, e.g. "Paused", "Printer not connected; ..."
    reasons: tuple[str, ...] = ()

    @property
    def faults(self) -> tuple[str, ...]:
        return blocking_reasons(self.reasons)


def blocking_reasons(reasons: Iterable[str]) -> tuple[str, ...]:
    found = []
    for reason in reasons:
        base, _, severity = reason.rpartition("-")
        if severity not in ("report", "warning", "error"):
            base, severity = reason, ""
        if reason in ("none", "") or severity == "report":
            continue
        if base in BLOCKING_REASONS or reason in BLOCKING_REASONS or severity == "error":
            found.append(reason)
    return tuple(found)


def parse_printer(lpstat_lpa: str, name: str) -> PrinterState:
    """From `lpstat -l -p NAME -a NAME` in the C locale.

    The printer line is followed by its state message (indented), then, in the long
    listing, by "Key: value" lines of which only "Alerts:" (printer-state-reasons) matters.
    """
    exists = False
    state = "unknown"
    accepting: bool | None = None
    message: list[str] = []
    reasons: tuple[str, ...] = ()
    section: str | None = None  # "message" right after our printer line, "long" after a key
    for line in lpstat_lpa.splitlines():
        if not line[:1].isspace():
            section = None
            head = re.match(rf"printer {re.escape(name)} (is idle|now printing|disabled)", line)
            if head:
                exists, section = True, "message"
                state = {"is idle": "idle", "now printing": "printing", "disabled": "disabled"}[head.group(1)]
                continue
            acc = re.match(rf"{re.escape(name)} (not )?accepting requests", line)
            if acc:
                exists = True
                accepting = acc.group(1) is None
            continue
        if section is None:
            continue
        text = line.strip()
        if text.startswith("Alerts:"):
            reasons = tuple(text[len("Alerts:"):].split())
            section = "long"
        elif text.startswith(_LONG_KEYS):
            section = "long"
        elif section == "message" and text:
            message.append(text)
    return PrinterState(name, exists, state, accepting, " ".join(message), reasons)


def printer_problem(printer: PrinterState, during_job: bool = False) -> PrintStatus | None:
    """Why paper would not come out of this printer now, or None when it looks ready.

    Before a job, a reason that is normal for a moment (connecting-to-device) is ignored;
    during a job the caller decides how long such a reason may last.
    """
    if not printer.exists:
        return PrintStatus.PRINTER_MISSING
    if printer.state == "disabled" or printer.accepting is False:
        return PrintStatus.PRINTER_STOPPED
    faults = printer.faults
    if any(f.rpartition("-")[0] in STOPPED_REASONS or f in STOPPED_REASONS for f in faults):
        return PrintStatus.PRINTER_STOPPED
    if not during_job:
        faults = tuple(f for f in faults if f not in TRANSIENT_REASONS)
    return PrintStatus.PRINTER_ERROR if faults else None


def parse_request_id(lp_out: str) -> str | None:
    """From `lp`: "request id is kiosk-pdf-7 (1 file(s))"."""
    match = re.search(r"request id is (\S+)", lp_out)
    return match.group(1) if match else None


@dataclass(frozen=True)
class JobState:
    id: str
    status: str = ""  # job-printer-state-message, e.g. "Filter failed"
    reasons: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(FAILED_JOB_REASONS.intersection(self.reasons))

    @property
    def held(self) -> bool:
        return bool(HELD_JOB_REASONS.intersection(self.reasons))

    @property
    def printing(self) -> bool:
        return "job-printing" in self.reasons


def parse_jobs(lpstat_lo: str) -> dict[str, JobState]:
    """From `lpstat -l -W not-completed|completed -o QUEUE` in the C locale."""
    jobs: dict[str, JobState] = {}
    current: str | None = None
    status = ""
    reasons: tuple[str, ...] = ()
    for line in lpstat_lo.splitlines():
        head = re.match(r"^(\S+-\d+)\s+", line)
        if head:
            if current is not None:
                jobs[current] = JobState(current, status, reasons)
            current, status, reasons = head.group(1), "", ()
            continue
        text = line.strip()
        if text.startswith("Status:"):
            status = text[len("Status:"):].strip()
        elif text.startswith("Alerts:"):
            reasons = tuple(text[len("Alerts:"):].split())
    if current is not None:
        jobs[current] = JobState(current, status, reasons)
    return jobs


# What backends say when they cannot reach the printer (in the C locale the kiosk asks in).
_GAVE_UP = re.compile(r"will retry|not connected|waiting for printer|unable to (connect|open|locate)", re.IGNORECASE)
# The socket and ipp backends, when the printer refuses the connection or the host is down
# (recorded from CUPS 2.4 with socket://127.0.0.1:<closed port>): no state reason comes with it,
# and the backend retries for ever. A sleeping printer may say it too, so it gets CONNECT_S.
_UNREACHABLE = re.compile(r"may not exist or is unavailable|unable to connect|not connected|"
                          r"network host .* is busy|connection refused|host is down|no route to host", re.IGNORECASE)
_PAPER_OUT = frozenset({"media-empty", "media-needed"})
_OFF = frozenset({"offline", "shutdown"})


def _reason_base(reason: str) -> str:
    base, _, severity = reason.rpartition("-")
    return base if severity in ("report", "warning", "error") else reason


def printer_condition(printer: PrinterState) -> PrinterCondition:
    """How the printer is, in the words of the staff Printer tab (kiosk.core.visit.printer.PrinterCondition).

    The cause before the effect: a queue CUPS stopped because the paper ran out is out of paper,
    one stopped because the printer did not answer is switched off; only a queue stopped with
    nothing else said ("Paused", cupsdisable) was stopped by someone.
    """
    if not printer.exists:
        return PrinterCondition.PRINTER_GONE
    bases = {_reason_base(r) for r in printer.reasons if r not in ("none", "")}
    if bases & _PAPER_OUT:
        return PrinterCondition.OUT_OF_PAPER
    if bases & _OFF or _UNREACHABLE.search(printer.message):
        return PrinterCondition.OFF_OR_NOT_ANSWERING
    if printer.state == "disabled" or printer.accepting is False or bases & (STOPPED_REASONS - _OFF):
        return PrinterCondition.STOPPED
    if tuple(f for f in printer.faults if f not in TRANSIENT_REASONS):
        return PrinterCondition.NEEDS_ATTENTION
    return PrinterCondition.READY


def short_listing(lpstat_text: str) -> str:
    """The lines of an lpstat listing a person can read: no empty "Key:" lines of the long form."""
    keep = []
    for line in lpstat_text.splitlines():
        text = line.strip()
        long_key = line[:1].isspace() and text.startswith(_LONG_KEYS) and not text.startswith("Alerts:")
        if not text or long_key or text in ("(all)", "(none)"):
            continue
        keep.append(escape_controls(line.rstrip(), lines=True))  # a printer's name or message may hold anything
    return "\n".join(keep)


class JobProgress(str, Enum):
    WAITING = "waiting"  # queued or printing, nothing wrong seen
    CONNECTING = "connecting"  # the backend is reaching the printer: normal for a while
    STUCK = "stuck"  # held, or the printer reports a fault or cannot be reached: failed if it lasts
    FAILED = "failed"  # it will not print
    FINISHED = "finished"  # left the not-completed list: look at how it ended


def job_progress(job_id: str, not_completed: Mapping[str, JobState],
                 printer: PrinterState | None) -> tuple[JobProgress, str]:
    """One look at a job that CUPS accepted: (progress, detail for the log)."""
    job = not_completed.get(job_id)
    if job is None:
        return JobProgress.FINISHED, ""
    if job.failed:
        return JobProgress.FAILED, f"{' '.join(job.reasons)}: {job.status}".strip(": ")
    if printer is not None:
        if not printer.exists:
            return JobProgress.FAILED, "the printer was deleted"
        if printer.state == "disabled":
            return JobProgress.FAILED, f"the printer was stopped: {printer.message}".strip(": ")
        problem = printer_problem(printer, during_job=True)
        if problem is not None:
            detail = f"{' '.join(printer.faults)}: {printer.message}".strip(": ")
            # A network printer shows connecting-to-device at the start of every job, and a
            # sleeping one may take seconds to answer; only a backend that says it gave up
            # (an unplugged cable) makes that a fault at once.
            if all(f in TRANSIENT_REASONS for f in printer.faults) and not _GAVE_UP.search(printer.message):
                return JobProgress.CONNECTING, detail
            return JobProgress.STUCK, detail
        if printer.state == "printing" and _UNREACHABLE.search(printer.message):
            return JobProgress.CONNECTING, printer.message
    if job.held:
        return JobProgress.STUCK, f"{' '.join(job.reasons)}: {job.status}".strip(": ")
    return JobProgress.WAITING, ""


def finished_outcome(job: JobState | None) -> tuple[PrintStatus, str]:
    """How a job that left the queue ended, from `lpstat -l -W completed -o QUEUE`."""
    if job is not None and job.failed:
        return PrintStatus.JOB_FAILED, f"{' '.join(job.reasons)}: {job.status}".strip(": ")
    return PrintStatus.DONE, ""


def lp_failure(lp_err: str) -> PrintStatus:
    """What an `lp` that refused the job means for the visitor."""
    if destination_missing(lp_err):
        return PrintStatus.PRINTER_MISSING
    if "not accepting" in lp_err.lower():
        return PrintStatus.PRINTER_STOPPED
    if "scheduler" in lp_err.lower() or "connect" in lp_err.lower() or "Bad file descriptor" in lp_err:
        return PrintStatus.CUPS_DOWN
    return PrintStatus.JOB_FAILED
