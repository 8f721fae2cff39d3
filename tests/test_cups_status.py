"""Reading lpstat and lp output (recorded from CUPS 2.4 in the C locale): no Qt, no CUPS needed.

The same situations are made for real against a private cupsd in test_leaflet_printing.py;
these pin down each branch of the reading in milliseconds.
"""

from __future__ import annotations

from kiosk.printing.cups_status import (
    JobProgress,
    PrinterCondition,
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

LONG_TAIL = """\tForm mounted:
\tContent types: any
\tPrinter types: unknown
\tDescription: kiosk-pdf
\tAlerts: {alerts}
\tLocation:
\tConnection: direct
\tInterface: /etc/cups/ppd/kiosk-pdf.ppd
\tOn fault: no alert
\tAfter fault: continue
\tUsers allowed:
\t\t(all)
\tForms allowed:
\t\t(none)
\tBanner required
\tCharset sets:
\t\t(none)
\tDefault pitch:
\tDefault page size:
\tDefault port settings:
"""


def lpstat(head: str, message: str = "", alerts: str = "none", accepting: bool = True) -> str:
    text = head + "\n"
    if message:
        text += f"\t{message}\n"
    text += LONG_TAIL.format(alerts=alerts)
    text += ("kiosk-pdf accepting requests since Sun Nov 29 15:18:48 2026\n" if accepting else
             "kiosk-pdf not accepting requests since Sun Nov 29 15:18:48 2026 -\n\tRejecting Jobs\n")
    return text


def test_scheduler_and_default() -> None:
    assert scheduler_running("scheduler is running\nsystem default destination: kiosk-pdf\n")
    assert not scheduler_running("scheduler is not running\nno system default destination\n")
    assert default_destination("scheduler is running\nsystem default destination: kiosk-pdf\n") == "kiosk-pdf"
    assert default_destination("scheduler is running\nno system default destination\n") is None


def test_an_idle_printer_is_ready() -> None:
    state = parse_printer(lpstat("printer kiosk-pdf is idle.  enabled since Sun Nov 29 2026"), "kiosk-pdf")
    assert (state.exists, state.state, state.accepting, state.message, state.reasons) == (
        True, "idle", True, "", ("none",))
    assert printer_problem(state) is None


def test_a_disabled_printer_is_stopped() -> None:
    state = parse_printer(lpstat("printer kiosk-pdf disabled since Sun Nov 29 2026 -", "Paused", "paused"),
                          "kiosk-pdf")
    assert state.state == "disabled" and state.message == "Paused"
    assert printer_problem(state) is PrintStatus.PRINTER_STOPPED


def test_a_printer_that_rejects_jobs_is_stopped() -> None:
    state = parse_printer(lpstat("printer kiosk-pdf is idle.  enabled since Sun Nov 29 2026", accepting=False),
                          "kiosk-pdf")
    assert state.accepting is False
    assert printer_problem(state) is PrintStatus.PRINTER_STOPPED


def test_out_of_paper_is_a_printer_fault_but_toner_low_is_not() -> None:
    head = "printer kiosk-pdf now printing kiosk-pdf-7.  enabled since Sun Nov 29 2026"
    assert printer_problem(parse_printer(lpstat(head, alerts="media-empty-warning"), "kiosk-pdf")) is \
        PrintStatus.PRINTER_ERROR
    assert printer_problem(parse_printer(lpstat(head, alerts="toner-low-warning"), "kiosk-pdf")) is None
    assert printer_problem(parse_printer(lpstat(head, alerts="media-jam-error"), "kiosk-pdf")) is \
        PrintStatus.PRINTER_ERROR
    assert printer_problem(parse_printer(lpstat(head, alerts="offline-report"), "kiosk-pdf")) is None


def test_connecting_is_normal_before_a_job_and_a_fault_during_one() -> None:
    state = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-3.  enabled since Sun Nov 29 2026",
                                 "Printer not connected; will retry in 30 seconds.", "connecting-to-device"),
                          "kiosk-pdf")
    assert state.message == "Printer not connected; will retry in 30 seconds."
    assert printer_problem(state) is None
    assert printer_problem(state, during_job=True) is PrintStatus.PRINTER_ERROR


def test_a_deleted_printer_is_missing() -> None:
    err = 'lpstat: Invalid destination name in list "kiosk-pdf".'
    assert destination_missing(err)
    assert not parse_printer("", "kiosk-pdf").exists
    assert printer_problem(parse_printer("", "kiosk-pdf")) is PrintStatus.PRINTER_MISSING
    assert lp_failure("lp: Error - The printer or class does not exist.") is PrintStatus.PRINTER_MISSING


def test_another_printer_of_a_similar_name_is_not_ours() -> None:
    text = lpstat("printer kiosk-pdf2 disabled since Sun Nov 29 2026 -", "Paused", "paused")
    assert not parse_printer(text.replace("kiosk-pdf accepting", "kiosk-pdf2 accepting"), "kiosk-pdf").exists


def test_lp_failures() -> None:
    assert parse_request_id("request id is kiosk-pdf-12 (0 file(s))\n") == "kiosk-pdf-12"
    assert parse_request_id("") is None
    assert lp_failure("lp: Destination \"kiosk-pdf\" is not accepting jobs.") is PrintStatus.PRINTER_STOPPED
    assert lp_failure("lp: Bad file descriptor") is PrintStatus.CUPS_DOWN
    assert lp_failure("lp: Unsupported document-format \"application/pdf\".") is PrintStatus.JOB_FAILED


QUEUE = """kiosk-pdf-1             root              1024   Sun Nov 29 15:18:32 2026
\tStatus: Filter failed
\tAlerts: job-completed-with-errors
\tqueued for kiosk-pdf
kiosk-pdf-2             root              7168   Sun Nov 29 15:18:46 2026
\tStatus:
\tAlerts: job-printing
\tqueued for kiosk-pdf
kiosk-pdf-3             root              7168   Sun Nov 29 15:18:47 2026
\tStatus:
\tAlerts: job-hold-until-specified
\tqueued for kiosk-pdf
"""


def test_jobs_are_read_with_their_reasons() -> None:
    jobs = parse_jobs(QUEUE)
    assert list(jobs) == ["kiosk-pdf-1", "kiosk-pdf-2", "kiosk-pdf-3"]
    assert jobs["kiosk-pdf-1"].failed and jobs["kiosk-pdf-1"].status == "Filter failed"
    assert jobs["kiosk-pdf-2"].printing and not jobs["kiosk-pdf-2"].failed
    assert jobs["kiosk-pdf-3"].held


def test_job_progress() -> None:
    jobs = parse_jobs(QUEUE)
    idle = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-2.  enabled since x"), "kiosk-pdf")
    assert job_progress("kiosk-pdf-9", jobs, idle)[0] is JobProgress.FINISHED
    assert job_progress("kiosk-pdf-1", jobs, idle) == (JobProgress.FAILED,
                                                        "job-completed-with-errors: Filter failed")
    assert job_progress("kiosk-pdf-2", jobs, idle)[0] is JobProgress.WAITING
    assert job_progress("kiosk-pdf-3", jobs, idle)[0] is JobProgress.STUCK
    no_paper = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-2.  enabled since x",
                                    alerts="media-empty-warning"), "kiosk-pdf")
    assert job_progress("kiosk-pdf-2", jobs, no_paper)[0] is JobProgress.STUCK
    stopped = parse_printer(lpstat("printer kiosk-pdf disabled since x -", "Backend failed", "paused"),
                            "kiosk-pdf")
    assert job_progress("kiosk-pdf-2", jobs, stopped)[0] is JobProgress.FAILED


def test_a_network_printer_may_take_its_time_to_answer_but_an_unplugged_one_may_not() -> None:
    jobs = parse_jobs(QUEUE)
    waking = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-2.  enabled since x",
                                  "Connecting to printer.", "connecting-to-device"), "kiosk-pdf")
    assert job_progress("kiosk-pdf-2", jobs, waking)[0] is JobProgress.CONNECTING
    unplugged = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-2.  enabled since x",
                                     "Printer not connected; will retry in 30 seconds.", "connecting-to-device"),
                              "kiosk-pdf")
    assert job_progress("kiosk-pdf-2", jobs, unplugged)[0] is JobProgress.STUCK


def test_how_a_finished_job_ended() -> None:
    done = parse_jobs("kiosk-pdf-2  root  7168  Sun Nov 29 2026\n\tStatus: \n\tAlerts: processing-to-stop-point\n")
    assert finished_outcome(done["kiosk-pdf-2"]) == (PrintStatus.DONE, "")
    aborted = parse_jobs("kiosk-pdf-4  root  7168  Sun Nov 29 2026\n\tStatus: \n\tAlerts: job-aborted-by-system\n")
    assert finished_outcome(aborted["kiosk-pdf-4"])[0] is PrintStatus.JOB_FAILED
    assert finished_outcome(None)[0] is PrintStatus.DONE  # already purged from the history


def test_what_the_visitor_is_offered() -> None:
    assert all(s.is_fault for s in (PrintStatus.NO_PRINTER, PrintStatus.PRINTER_STOPPED, PrintStatus.CUPS_DOWN,
                                    PrintStatus.PRINTER_MISSING, PrintStatus.JOB_FAILED, PrintStatus.LIMIT_REACHED))
    assert not PrintStatus.PRINTING.is_fault and not PrintStatus.DONE.is_fault
    assert not PrintStatus.CHECKING.is_final and not PrintStatus.PRINTING.is_final
    assert PrintStatus.DONE.is_final and PrintStatus.CANCELLED.is_final


# -- the staff Printer tab's words (kiosk.core.visit.printer.PrinterCondition) ------------------------
def test_the_printer_condition_names_the_cause_before_the_effect() -> None:
    idle = "printer kiosk-pdf is idle.  enabled since Sun Nov 29 2026"
    printing = "printer kiosk-pdf now printing kiosk-pdf-7.  enabled since Sun Nov 29 2026"
    disabled = "printer kiosk-pdf disabled since Sun Nov 29 2026 -"
    cases = [
        (lpstat(idle), PrinterCondition.READY),
        (lpstat(idle, alerts="toner-low-warning"), PrinterCondition.READY),
        (lpstat(disabled, "Paused", "paused"), PrinterCondition.STOPPED),  # cupsdisable
        (lpstat(idle, accepting=False), PrinterCondition.STOPPED),  # cupsreject
        # An IPP printer out of paper, as CUPS' ipp backend passes printer-state-reasons on.
        (lpstat(printing, "Media empty", "media-empty-error media-needed-error"), PrinterCondition.OUT_OF_PAPER),
        (lpstat(printing, "", "media-empty-warning"), PrinterCondition.OUT_OF_PAPER),
        # CUPS stopped the queue itself (error policy stop-printer) because the paper ran out:
        (lpstat(disabled, "Out of paper", "media-empty-error paused"), PrinterCondition.OUT_OF_PAPER),
        (lpstat(printing, "Printer not connected; will retry in 30 seconds.", "offline-report"),
         PrinterCondition.OFF_OR_NOT_ANSWERING),  # the usb backend, cable out
        # Recorded from CUPS 2.4: the socket backend on a closed port, no reason at all.
        (lpstat(printing, "The printer may not exist or is unavailable at this time."),
         PrinterCondition.OFF_OR_NOT_ANSWERING),
        (lpstat(disabled, "The printer may not exist or is unavailable at this time.", "paused"),
         PrinterCondition.OFF_OR_NOT_ANSWERING),
        (lpstat(printing, "", "media-jam-error"), PrinterCondition.NEEDS_ATTENTION),
        (lpstat(printing, "", "door-open-error"), PrinterCondition.NEEDS_ATTENTION),
        (lpstat(printing, "", "connecting-to-device"), PrinterCondition.READY),  # normal for a moment
        ("", PrinterCondition.PRINTER_GONE),
    ]
    for text, expected in cases:
        assert printer_condition(parse_printer(text, "kiosk-pdf")) is expected, text


def test_every_condition_says_what_to_do() -> None:
    for condition in PrinterCondition:
        assert condition.headline and condition.action, condition


def test_a_socket_printer_that_refuses_the_connection_fails_the_job_after_the_connect_time() -> None:
    printer = parse_printer(lpstat("printer kiosk-pdf now printing kiosk-pdf-3.  enabled since Sun Nov 29 2026",
                                   "The printer may not exist or is unavailable at this time."), "kiosk-pdf")
    waiting = parse_jobs("kiosk-pdf-3  root  1024   Sun Nov 29 2026\n\tStatus: The printer may not exist or is "
                         "unavailable at this time.\n\tAlerts: job-printing\n")
    assert job_progress("kiosk-pdf-3", waiting, printer)[0] is JobProgress.CONNECTING


def test_the_details_leave_out_the_empty_lines_of_the_long_listing() -> None:
    text = lpstat("printer kiosk-pdf disabled since Sun Nov 29 2026 -", "Paused", "paused")
    assert short_listing(text).splitlines() == [
        "printer kiosk-pdf disabled since Sun Nov 29 2026 -", "\tPaused", "\tAlerts: paused",
        "kiosk-pdf accepting requests since Sun Nov 29 15:18:48 2026"]


def test_the_details_show_a_printers_control_characters_escaped() -> None:
    # a queue's message is whatever the driver or a person set (lpadmin -D): issue 22, item 2
    text = lpstat("printer kiosk-pdf disabled since Sun Nov 29 2026 -", "Paused\x1b[2J\x07\u202e", "paused")
    shown = short_listing(text)
    assert "\tPaused\\x1b[2J\\x07\\u202e" in shown.splitlines()
    assert "\x1b" not in shown and "\x07" not in shown
