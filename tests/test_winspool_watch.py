"""The Windows spooler's job watch and printer words, on what the spooler said under Wine.

Recorded under Wine 8.0 (tests/windows/, the installed kiosk printing to a cups-pdf queue): the
page was taken (QPainter.end() true), then every EnumJobs raised pywintypes.error
(6, 'EnumJobs', 'Invalid handle.'), and GetPrinter gave Status 0, Attributes 0 for a ready queue
and for a disabled one alike. Before the fix the visitor's screen said "printing" for the whole
60 s watch, and the staff Printer tab said "ready" for the disabled queue.
"""

from __future__ import annotations

from kiosk.core.visit.printer import CONDITION_WORDS, PrinterCondition, PrintStatus
from kiosk.printing.qt import POLL_MS
from kiosk.printing.winspool import (
    BLIND_AFTER,
    JOB_STATUS_ERROR,
    JOB_STATUS_PRINTING,
    POLL_NOTE,
    PRINTER_STATUS_PAPER_OUT,
    PRINTER_STATUS_PAUSED,
    SpoolerWatch,
    spooler_condition,
)

WINE_ENUMJOBS = "(6, 'EnumJobs', 'Invalid handle.')"  # str(pywintypes.error) under Wine 8.0


def test_a_spooler_that_cannot_report_jobs_ends_the_watch_at_once_as_sent() -> None:
    watch = SpoolerWatch()
    looks = [watch.failed(WINE_ENUMJOBS) for _ in range(BLIND_AFTER)]
    assert [status for status, _ in looks[:-1]] == [None] * (BLIND_AFTER - 1)  # one hiccup is not blindness
    status, detail = looks[-1]
    assert status is PrintStatus.SENT and status.is_final and not status.is_fault  # "sent to the printer": true, and final
    assert "cannot report its jobs" in detail and "Invalid handle" in detail
    assert BLIND_AFTER * POLL_MS <= 1500, POLL_NOTE  # the visitor waits about a second, not 60


def test_a_spooler_that_answers_again_is_watched_as_before() -> None:
    watch = SpoolerWatch()
    assert watch.failed(WINE_ENUMJOBS)[0] is None
    assert watch.seen(JOB_STATUS_PRINTING) == (None, "waiting or printing")  # a good answer resets the count
    assert watch.failed(WINE_ENUMJOBS)[0] is None
    assert watch.seen(JOB_STATUS_ERROR)[0] is PrintStatus.JOB_FAILED
    assert watch.seen(None)[0] is PrintStatus.DONE  # left the queue


def test_the_printer_tab_says_unknown_where_the_spooler_cannot_tell() -> None:
    # Wine: a ready queue and a disabled one both read Status 0, and jobs cannot be listed
    assert spooler_condition(0, 0, WINE_ENUMJOBS) is PrinterCondition.UNKNOWN
    # a flag that shows a fault is still believed
    assert spooler_condition(PRINTER_STATUS_PAPER_OUT, 0, WINE_ENUMJOBS) is PrinterCondition.OUT_OF_PAPER
    assert spooler_condition(PRINTER_STATUS_PAUSED, 0, WINE_ENUMJOBS) is PrinterCondition.STOPPED
    # a spooler that lists jobs and shows no flag: ready, as before
    assert spooler_condition(0, 0, None) is PrinterCondition.READY
    headline, action = CONDITION_WORDS[PrinterCondition.UNKNOWN]
    assert "cannot tell" in headline and "test page" in action
    assert not PrinterCondition.UNKNOWN.ok
