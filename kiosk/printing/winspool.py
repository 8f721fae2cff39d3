"""What the Windows print spooler says about printers and jobs, read without Qt.

The Qt print backend asks the spooler through `win32print` (pywin32) on Windows; this module
turns the numbers it returns (PRINTER_INFO_2.Status and .Attributes, JOB_INFO_1.Status, from
WinSpool.h) into the kiosk's print states. The mapping is pure and tested on recorded values
on Linux. **It has not run on Windows**: the spooler calls at the bottom are thin and untested.

Windows reports a switched-off USB printer as ready, so the rule is "unknown unless shown bad":
a printer is refused only for a flag that says so, and a job is watched for up to 60 s after it
was sent for anything that says it failed.
"""

from __future__ import annotations

import sys
from typing import Any

from kiosk.core.visit import PrinterCondition, PrintStatus

# PRINTER_INFO_2.Status (WinSpool.h)
PRINTER_STATUS_PAUSED = 0x1
PRINTER_STATUS_ERROR = 0x2
PRINTER_STATUS_PENDING_DELETION = 0x4
PRINTER_STATUS_PAPER_JAM = 0x8
PRINTER_STATUS_PAPER_OUT = 0x10
PRINTER_STATUS_MANUAL_FEED = 0x20
PRINTER_STATUS_PAPER_PROBLEM = 0x40
PRINTER_STATUS_OFFLINE = 0x80
PRINTER_STATUS_OUTPUT_BIN_FULL = 0x800
PRINTER_STATUS_NOT_AVAILABLE = 0x1000
PRINTER_STATUS_NO_TONER = 0x40000
PRINTER_STATUS_USER_INTERVENTION = 0x100000
PRINTER_STATUS_DOOR_OPEN = 0x400000
PRINTER_STATUS_SERVER_UNKNOWN = 0x800000
# PRINTER_INFO_2.Attributes: "Use printer offline", set by a user or by the spooler.
PRINTER_ATTRIBUTE_WORK_OFFLINE = 0x400

# JOB_INFO_1.Status
JOB_STATUS_PAUSED = 0x1
JOB_STATUS_ERROR = 0x2
JOB_STATUS_DELETING = 0x4
JOB_STATUS_SPOOLING = 0x8
JOB_STATUS_PRINTING = 0x10
JOB_STATUS_OFFLINE = 0x20
JOB_STATUS_PAPEROUT = 0x40
JOB_STATUS_PRINTED = 0x80
JOB_STATUS_DELETED = 0x100
JOB_STATUS_BLOCKED_DEVQ = 0x200
JOB_STATUS_USER_INTERVENTION = 0x400
JOB_STATUS_COMPLETE = 0x1000

_STOPPED = PRINTER_STATUS_PAUSED | PRINTER_STATUS_PENDING_DELETION
_FAULT = (PRINTER_STATUS_ERROR | PRINTER_STATUS_PAPER_JAM | PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_PAPER_PROBLEM
          | PRINTER_STATUS_OFFLINE | PRINTER_STATUS_OUTPUT_BIN_FULL | PRINTER_STATUS_NOT_AVAILABLE
          | PRINTER_STATUS_NO_TONER | PRINTER_STATUS_USER_INTERVENTION | PRINTER_STATUS_DOOR_OPEN
          | PRINTER_STATUS_SERVER_UNKNOWN)
_NAMES = {
    PRINTER_STATUS_PAUSED: "paused", PRINTER_STATUS_ERROR: "error", PRINTER_STATUS_PENDING_DELETION: "being deleted",
    PRINTER_STATUS_PAPER_JAM: "paper jam", PRINTER_STATUS_PAPER_OUT: "out of paper",
    PRINTER_STATUS_PAPER_PROBLEM: "paper problem", PRINTER_STATUS_OFFLINE: "offline",
    PRINTER_STATUS_OUTPUT_BIN_FULL: "output tray full", PRINTER_STATUS_NOT_AVAILABLE: "not available",
    PRINTER_STATUS_NO_TONER: "no toner", PRINTER_STATUS_USER_INTERVENTION: "needs someone",
    PRINTER_STATUS_DOOR_OPEN: "door open", PRINTER_STATUS_SERVER_UNKNOWN: "print server unknown",
}


def printer_problem(status: int, attributes: int = 0) -> tuple[PrintStatus, str] | None:
    """Before printing: None when nothing says the printer cannot print (which is not proof it can)."""
    words = ", ".join(name for flag, name in _NAMES.items() if status & flag)
    if attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE:
        return PrintStatus.PRINTER_STOPPED, "set to 'use printer offline'" + (f"; {words}" if words else "")
    if status & _STOPPED:
        return PrintStatus.PRINTER_STOPPED, words
    if status & _FAULT:
        return PrintStatus.PRINTER_ERROR, words
    return None


_OFF = PRINTER_STATUS_OFFLINE | PRINTER_STATUS_NOT_AVAILABLE | PRINTER_STATUS_SERVER_UNKNOWN
_PAPER = PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_PAPER_PROBLEM | PRINTER_STATUS_MANUAL_FEED


def printer_condition(status: int, attributes: int = 0) -> PrinterCondition:
    """The staff Printer tab's words for a printer's spooler flags, the cause before the effect
    (as the CUPS backend's kiosk.printing.cups_status.printer_condition does)."""
    if status & _PAPER:
        return PrinterCondition.OUT_OF_PAPER
    if status & _OFF:
        return PrinterCondition.OFF_OR_NOT_ANSWERING
    if status & _STOPPED or attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE:
        return PrinterCondition.STOPPED  # "Pause printing" or "Use printer offline", ticked by someone
    if status & _FAULT:
        return PrinterCondition.NEEDS_ATTENTION
    return PrinterCondition.READY


def job_condition(status: int | None) -> PrinterCondition | None:
    """What a failed job's flags say about the printer (None: nothing beyond "the job failed")."""
    if status is None:
        return None
    if status & JOB_STATUS_PAPEROUT:
        return PrinterCondition.OUT_OF_PAPER
    if status & JOB_STATUS_OFFLINE:
        return PrinterCondition.OFF_OR_NOT_ANSWERING
    if status & JOB_STATUS_USER_INTERVENTION:
        return PrinterCondition.NEEDS_ATTENTION
    return None


def job_outcome(status: int | None) -> tuple[PrintStatus | None, str]:
    """While a job is watched. `status` None: the job is no longer in the queue.

    Returns (None, why) while it goes on; DONE when it was printed; JOB_FAILED for anything
    that means no paper will come for this visitor."""
    if status is None:
        return PrintStatus.DONE, "left the queue"  # the spooler drops finished jobs unless told to keep them
    if status & (JOB_STATUS_ERROR | JOB_STATUS_OFFLINE | JOB_STATUS_PAPEROUT | JOB_STATUS_BLOCKED_DEVQ
                 | JOB_STATUS_USER_INTERVENTION):
        flags = {JOB_STATUS_ERROR: "error", JOB_STATUS_OFFLINE: "printer offline", JOB_STATUS_PAPEROUT: "out of paper",
                 JOB_STATUS_BLOCKED_DEVQ: "blocked", JOB_STATUS_USER_INTERVENTION: "needs someone"}
        return PrintStatus.JOB_FAILED, ", ".join(n for f, n in flags.items() if status & f)
    if status & (JOB_STATUS_DELETED | JOB_STATUS_DELETING) and not status & JOB_STATUS_PRINTED:
        return PrintStatus.JOB_FAILED, "deleted before it printed"
    if status & (JOB_STATUS_PRINTED | JOB_STATUS_COMPLETE):
        return PrintStatus.DONE, "printed"
    return None, "paused" if status & JOB_STATUS_PAUSED else "waiting or printing"


# Jobs the spooler cannot report. Wine's spooler (and so, possibly, a Windows PC with a driver that does
# the same) takes the page, but EnumJobs fails ("Invalid handle"): nothing about the job will ever be
# known. Two failed reads in a row (a second) and the watch ends: the visitor is told the page was
# sent to the printer, which is true, instead of "printing" for the whole 60 s watch.
BLIND_AFTER = 2
SENT_UNWATCHED = "sent to the printer; the spooler cannot report its jobs"
POLL_NOTE = "BLIND_AFTER looks, POLL_MS apart (kiosk/printing/qt.py), are what a visitor waits on a blind spooler"


class SpoolerWatch:
    """The job watch's decisions, fed with what each look at the spooler gave (the job's flags, or
    the error it raised). `outcome` is None while the watch goes on."""

    def __init__(self) -> None:
        self.failures = 0
        self.last_status: int | None = None
        self.error = ""

    def seen(self, status: int | None) -> tuple[PrintStatus | None, str]:
        self.failures, self.last_status = 0, status
        return job_outcome(status)

    def failed(self, error: object) -> tuple[PrintStatus | None, str]:
        self.failures += 1
        self.error = str(error)
        if self.failures >= BLIND_AFTER:
            return PrintStatus.SENT, f"{SENT_UNWATCHED} ({self.error})"
        return None, "the spooler did not answer; looking again"


def spooler_condition(status: int, attributes: int, jobs_error: str | None) -> PrinterCondition:
    """The staff Printer tab's words from the spooler's printer flags and whether it can list jobs.
    A spooler that cannot list jobs reports no printer flags either (under Wine a disabled CUPS
    queue reads Status 0): "ready" would be a guess, so it is UNKNOWN unless a flag shows a fault."""
    condition = printer_condition(status, attributes)
    if jobs_error is not None and condition is PrinterCondition.READY:
        return PrinterCondition.UNKNOWN
    return condition


# -- the spooler itself: Windows only, thin, run under Wine (tests/windows/) ---------------------------------------------
class Spooler:
    """`win32print` calls; every one may raise (pywintypes.error): the caller treats that as 'unknown'."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise RuntimeError("the Windows spooler exists only on Windows")
        import win32print  # type: ignore[import-not-found]  # pywin32, a dependency on Windows only

        self._w: Any = win32print

    def printer(self, name: str) -> tuple[int, int]:
        handle = self._w.OpenPrinter(name)
        try:
            info = self._w.GetPrinter(handle, 2)
            return int(info["Status"]), int(info["Attributes"])
        finally:
            self._w.ClosePrinter(handle)

    def job_status(self, name: str, document: str) -> int | None:
        """The status of the newest job called `document`, None if there is none."""
        handle = self._w.OpenPrinter(name)
        try:
            jobs = self._w.EnumJobs(handle, 0, 999, 1)
        finally:
            self._w.ClosePrinter(handle)
        mine = [j for j in jobs if j.get("pDocument") == document]
        return int(mine[-1]["Status"]) if mine else None

    def jobs_error(self, name: str) -> str | None:
        """None when the spooler lists the printer's jobs; else what it said."""
        try:
            handle = self._w.OpenPrinter(name)
            try:
                self._w.EnumJobs(handle, 0, 999, 1)
            finally:
                self._w.ClosePrinter(handle)
        except Exception as exc:  # noqa: BLE001 - pywintypes.error, whatever the spooler raised
            return str(exc)
        return None

    def cancel(self, name: str, document: str) -> bool:
        handle = self._w.OpenPrinter(name)
        try:
            for job in self._w.EnumJobs(handle, 0, 999, 1):
                if job.get("pDocument") == document and not int(job["Status"]) & JOB_STATUS_PRINTING:
                    self._w.SetJob(handle, job["JobId"], 0, None, self._w.JOB_CONTROL_DELETE)
                    return True
            return False
        finally:
            self._w.ClosePrinter(handle)
