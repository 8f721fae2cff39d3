"""The staff Printer tab against a real private CUPS server (tests/cups_server.py): each state
it shows in plain words is made for real where CUPS can make it here. Out of paper cannot be
(cups-pdf has no paper): it is read from recorded lpstat text in tests/test_cups_status.py, and
the Windows spooler's flags in tests/test_qt_printing.py."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.staff.pin import hash_pin
from kiosk.core.visit.printer import PrinterCondition
from kiosk.printing.cups import CupsPrinter
from kiosk.ui.staff.printer import P_CURRENT, P_DETAILS, P_HIDE_DETAILS, PrinterTab
from tests.cups_server import CupsServer
from tests.ui_helpers import STAFF_PIN, button_with_text, make_kiosk, tap, type_pin

pytestmark = pytest.mark.cups


def printer_tab(qtbot, data_dir: Path, printer: str = "", language: str = "en",  # type: ignore[no-untyped-def]
                **job_options: float):
    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin(STAFF_PIN, n=2**10), printer=printer))
    kiosk = make_kiosk(qtbot, data_dir)
    from kiosk.app import install_staff_mode

    staff = install_staff_mode(kiosk)
    if job_options:  # the real CUPS backend, with a shorter wait for a printer that does not answer
        staff.printer = CupsPrinter(kiosk.window, job_options=job_options)
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    tap(qtbot, panel.language_buttons[language])
    tap(qtbot, panel.tabs[panel.pages.index(panel.printer)][1])
    tab = panel.printer
    assert isinstance(tab, PrinterTab)
    return kiosk, staff, tab


def shows(qtbot, tab: PrinterTab, condition: PrinterCondition, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tab.condition is condition, timeout=timeout)
    t = tab.staff.t
    assert tab.headline.text() == t(condition.headline) and tab.action.text() == t(condition.action)
    assert tab.headline.isVisible() and tab.action.isVisible()


def test_a_ready_printer_in_plain_words_and_the_raw_lines_behind_details(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                          cups: CupsServer) -> None:
    _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-pdf")
    shows(qtbot, tab, PrinterCondition.READY)
    assert tab.headline.text() == "The printer is ready."
    assert tab.current.text() == "The kiosk prints on: kiosk-pdf"
    assert not tab.details.isVisible() and tab.details_button.text() == "Details"
    tap(qtbot, tab.details_button)
    assert tab.details.isVisible() and tab.details_button.text() == tab.staff.t(P_HIDE_DETAILS)
    assert "printer kiosk-pdf is idle" in tab.details.text()  # the print system's own words
    assert "Form mounted" not in tab.details.text()
    tap(qtbot, tab.details_button)
    assert not tab.details.isVisible() and tab.details_button.text() == tab.staff.t(P_DETAILS)


def test_in_kazakh_only_the_printer_name_is_in_latin_letters(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-pdf", language="kk")
    shows(qtbot, tab, PrinterCondition.READY)
    for text in (tab.headline.text(), tab.action.text(), tab.current.text().replace("kiosk-pdf", ""),
                 tab.details_button.text(), tab.test.text(), tab.again.text()):
        assert not re.search(r"[A-Za-z]{2,}", text), text


def test_a_queue_someone_disabled_is_stopped_until_it_is_enabled(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.run("cupsdisable", "kiosk-pdf")
    try:
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-pdf")
        shows(qtbot, tab, PrinterCondition.STOPPED)
        tap(qtbot, tab.details_button)
        assert "Paused" in tab.details.text()
    finally:
        cups.run("cupsenable", "kiosk-pdf")
    tap(qtbot, tab.again)
    shows(qtbot, tab, PrinterCondition.READY)


def test_a_queue_message_with_terminal_bytes_is_shown_escaped(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    # issue 22, item 2: a queue's message is set by whoever runs cupsdisable -r (or a driver)
    cups.run("cupsdisable", "-r", "jam\x1b[2J\x07\u202eok", "kiosk-pdf")
    try:
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-pdf")
        shows(qtbot, tab, PrinterCondition.STOPPED)
        tap(qtbot, tab.details_button)
        text = tab.details.text()
        assert "jam" in text, text
        assert not any(c in text for c in "\x1b\x07\u202e"), repr(text)
        assert "\\u202eok" in text or "\\x1b" in text, repr(text)  # shown, written out, not dropped
    finally:
        cups.run("cupsenable", "kiosk-pdf")


def test_a_queue_that_rejects_jobs_is_stopped(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.run("cupsreject", "kiosk-pdf")
    try:
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-pdf")
        shows(qtbot, tab, PrinterCondition.STOPPED)
    finally:
        cups.run("cupsaccept", "kiosk-pdf")


def test_no_default_and_none_chosen_says_choose_one_below(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    assert "no system default" in cups.run("lpstat", "-d", check=False).stdout
    _kiosk, staff, tab = printer_tab(qtbot, data_dir, "")
    shows(qtbot, tab, PrinterCondition.NO_PRINTER_CHOSEN)
    assert "Choose one below" in tab.action.text()
    assert not tab.current.isVisible()  # not "the kiosk prints on the system's default printer"
    qtbot.waitUntil(lambda: bool(tab.printer_buttons), timeout=5000)
    tap(qtbot, button_with_text(tab, "Use kiosk-pdf"))
    shows(qtbot, tab, PrinterCondition.READY)
    assert tab.current.text() == staff.t(P_CURRENT).format(printer="kiosk-pdf")


def test_the_system_default_is_named_when_none_is_chosen(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_pdf_queue("kiosk-default")
    cups.set_default("kiosk-default")
    try:
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "")
        shows(qtbot, tab, PrinterCondition.READY)
        assert tab.current.text() == "The kiosk prints on the computer's default printer: kiosk-default"
    finally:
        cups.remove_queue("kiosk-default")


def test_the_chosen_printer_was_deleted(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_pdf_queue("kiosk-gone")
    cups.remove_queue("kiosk-gone")  # lpadmin -x
    _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-gone")
    shows(qtbot, tab, PrinterCondition.PRINTER_GONE)


def test_a_printer_that_does_not_answer_shows_after_the_test_page(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    """A network printer switched off: the socket backend meets a closed port on 127.0.0.1. CUPS
    knows nothing of it until a job tries; then the test page fails and the tab says why."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    cups.add_device_queue("kiosk-off", f"socket://127.0.0.1:{port}")
    try:
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "kiosk-off", connect_s=1.5, poll_ms=100)
        shows(qtbot, tab, PrinterCondition.READY)  # honest: nothing says otherwise before a job
        tap(qtbot, tab.test)
        shows(qtbot, tab, PrinterCondition.OFF_OR_NOT_ANSWERING, timeout=15_000)
        assert tab.status.text() == "Print job: the job failed."
        tap(qtbot, tab.staff.panel.language_buttons["kk"])  # all of it follows the staff language
        assert tab.status.text() == "Басып шығару: тапсырма орындалмады."
        assert tab.headline.text() == "Принтер сөндірулі немесе жауап бермейді."
        tap(qtbot, tab.details_button)
        assert "may not exist or is unavailable" in tab.details.text()
        assert re.search(r"[Cc]onnecting|may not exist", tab.details.text())
        tap(qtbot, tab.again)  # the queue looks idle again; the failed test page still counts
        qtbot.wait(300)
        assert tab.condition is PrinterCondition.OFF_OR_NOT_ANSWERING
    finally:
        cups.run("cancel", "-a", "kiosk-off", check=False)
        cups.remove_queue("kiosk-off")


def test_no_printer_installed_and_print_system_down(qtbot, data_dir: Path, cups: CupsServer,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    other = CupsServer()  # a print system with no queue at all
    try:
        other.start()
        monkeypatch.setenv("CUPS_SERVER", str(other.socket))
        _kiosk, _staff, tab = printer_tab(qtbot, data_dir, "")
        shows(qtbot, tab, PrinterCondition.NO_PRINTERS)
        other.stop()
        tap(qtbot, tab.again)
        shows(qtbot, tab, PrinterCondition.PRINT_SYSTEM_DOWN)
    finally:
        other.close()
