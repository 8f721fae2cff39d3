"""Printing against a real CUPS server: a private cupsd with cups-pdf queues, no mocked printer.

The server is started once for the session (see tests/cups_server.py) and reached through
CUPS_SERVER, which the kiosk's lp/lpstat processes inherit. Every fault is made for real:
cupsdisable, cupsreject, lpadmin -x, a stopped and a frozen cupsd, a driver that fails,
a printer that is not plugged in, a printer out of paper.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import close_printer
from kiosk.core.model.content import Content
from kiosk.core.visit.print_limits import Debounce
from kiosk.core.visit.printer import PrintStatus
from kiosk.core.visit.session import Screen, Visit
from kiosk.paper.pdf import leaflet_pdf
from kiosk.printing.cups import LEAFLET_TITLE, CupsPrinter, PrintJob
from kiosk.ui.screens.leaflet import LIMIT, NOT_READY, PRINTING, LeafletScreen
from kiosk.ui.screens.menu import GET_LEAFLET
from tests.cups_server import CupsServer
from tests.pdf_pages import difference, ink, render_pages
from tests.support import MonotonicClock, RecordingStats, default_content, need_tool
from tests.ui_helpers import button_with_text, make_kiosk, tap

pytestmark = pytest.mark.cups

TEL = "tel:+77252216152"
FAULT_BUDGET_S = 2.0  # the visitor hears about any fault within this


@pytest.fixture
def content() -> Content:
    return default_content()


def leaflet_screen(qtbot, data_dir: Path, settings: str = "printer: kiosk-pdf\n",  # type: ignore[no-untyped-def]
                   lang: str = "ru") -> tuple[object, LeafletScreen]:
    kiosk = make_kiosk(qtbot, data_dir, settings=settings)
    kiosk.session.stats = RecordingStats()
    kiosk.clock = MonotonicClock()  # the debounce's: a test moves it past the second a double tap is refused in
    kiosk.session.debounce = Debounce(1.0, kiosk.clock)
    kiosk.session.jump(Visit(Screen.LEAFLET, lang, started=True))
    screen = kiosk.window.screens[Screen.LEAFLET]
    assert isinstance(screen, LeafletScreen) and screen.isVisible()
    return kiosk, screen


def tap_print(qtbot, screen: LeafletScreen, until, timeout_ms: int = 5000) -> float:  # type: ignore[no-untyped-def]
    """Taps Print; returns the seconds until `until(status)` first held."""
    seen: dict[str, float] = {}
    start = time.monotonic()

    def on_changed(_old: Visit, new: Visit) -> None:
        if new.print_status is not None and until(new.print_status) and "t" not in seen:
            seen["t"] = time.monotonic() - start

    screen.session.changed.connect(on_changed)
    try:
        tap(qtbot, screen.print_button)
        qtbot.waitUntil(lambda: "t" in seen, timeout=timeout_ms)
    finally:
        screen.session.changed.disconnect(on_changed)
    QApplication.processEvents()
    return seen["t"]


def assert_offers_qr_and_number(screen: LeafletScreen, message: str) -> None:
    assert screen.message.text() == screen.t(message)
    assert screen.showing_qr and screen.qr.isVisible()
    assert screen.qr.code.data == TEL
    assert screen.qr.number.text() == "8\u00a0(7252)\u00a021-61-52"  # never split over two lines
    assert screen.qr.international.text() == "+7\u00a07252\u00a021\u00a061\u00a052"
    assert screen.qr.number.fits() and screen.qr.international.fits()


@pytest.fixture
def held_queue(cups: CupsServer) -> Iterator[str]:
    """A cups-pdf queue whose jobs wait for staff: a job stays queued, not started."""
    cups.add_pdf_queue("kiosk-held")
    cups.run("lpadmin", "-p", "kiosk-held", "-o", "job-hold-until-default=indefinite")
    try:
        yield "kiosk-held"
    finally:
        cups.run("cancel", "-a", "kiosk-held", check=False)
        cups.remove_queue("kiosk-held")


def held_print(qtbot, data_dir: Path) -> tuple[object, PrintJob]:  # type: ignore[no-untyped-def]
    """A visitor's print on the held queue, accepted and waiting there."""
    kiosk, screen = leaflet_screen(qtbot, data_dir, "printer: kiosk-held\n")
    tap_print(qtbot, screen, lambda s: s is PrintStatus.PRINTING)
    job = kiosk.session.print_order  # type: ignore[attr-defined]
    assert isinstance(job, PrintJob) and job.job_id
    return kiosk, job


def queue_is_empty(cups: CupsServer, queue: str) -> bool:
    return cups.run("lpstat", "-W", "not-completed", "-o", queue, check=False).stdout.strip() == ""


# -- the print path itself -------------------------------------------------------------------
def test_the_kiosk_print_path_delivers_the_same_page_qt_draws(qtbot, qapp, cups: CupsServer,  # type: ignore[no-untyped-def]
                                                               content: Content, tmp_path: Path) -> None:
    need_tool("pdftoppm", "poppler-utils")
    before = len(cups.outputs("kiosk-pdf"))
    printer = CupsPrinter()
    statuses: list[PrintStatus] = []
    order = printer.print_leaflet(content, "ru", "kiosk-pdf", 1, lambda status, _detail: statuses.append(status))
    assert order.status is PrintStatus.CHECKING and not order.done
    qtbot.waitUntil(lambda: statuses and statuses[-1].is_final, timeout=20000)
    assert statuses[0] is PrintStatus.CHECKING and PrintStatus.PRINTING in statuses
    assert statuses[-1] is PrintStatus.DONE
    job_pdf = cups.wait_for_output("kiosk-pdf", before + 1)[-1]

    qt_pdf = tmp_path / "qt-ru.pdf"
    qt_pdf.write_bytes(leaflet_pdf(content, "ru"))
    printed, drawn = render_pages(job_pdf), render_pages(qt_pdf)
    assert len(printed) == len(drawn) == 1
    mean, share = difference(printed[0], drawn[0])
    assert mean < 6 and share < 0.03, f"the printed page differs from Qt's PDF: {mean:.2f}, {share:.2%}"
    assert ink(printed[0]) > 0.05
    # The comparison tells leaflets apart: the Kazakh page is not the Russian one.
    other = tmp_path / "qt-kk.pdf"
    other.write_bytes(leaflet_pdf(content, "kk"))
    assert difference(printed[0], render_pages(other)[0])[1] > 0.15
    print(f"\nprinted vs Qt's PDF: mean difference {mean:.2f}/255, {share:.2%} of 3 mm squares differ")
    printer.deleteLater()


def test_printing_on_the_default_printer_when_none_is_set(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_pdf_queue("kiosk-default")
    cups.set_default("kiosk-default")
    try:
        _kiosk, screen = leaflet_screen(qtbot, data_dir, settings="")
        tap_print(qtbot, screen, lambda s: s is PrintStatus.DONE, 20000)
        assert screen.message.text() == screen.t(PRINTING)
        cups.wait_for_output("kiosk-default", 1)
    finally:
        cups.remove_queue("kiosk-default")  # and with it the default: the other tests have none


# -- faults, each made for real ----------------------------------------------------------------
def _fault_case(qtbot, data_dir: Path, settings: str,  # type: ignore[no-untyped-def]
                expected: PrintStatus) -> tuple[object, LeafletScreen]:
    """Returns the kiosk too: the caller must hold it, or the window goes with the garbage."""
    kiosk, screen = leaflet_screen(qtbot, data_dir, settings=settings)
    elapsed = tap_print(qtbot, screen, lambda s: s.is_fault, timeout_ms=5000)
    job = screen.session.print_order
    assert job is not None
    assert job.status is expected, job.detail
    assert elapsed < FAULT_BUDGET_S, f"{expected.value} took {elapsed:.2f} s"
    assert_offers_qr_and_number(screen, NOT_READY)
    assert screen.session.stats.events[-2:] == [  # type: ignore[attr-defined]
        ("print_failed", "ru", expected.value, 1), ("qr_shown", "ru", expected.value, 1)]
    print(f"\n{expected.value}: visitor told after {elapsed * 1000:.0f} ms")
    return kiosk, screen


def test_no_printer_at_all(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    assert "no system default" in cups.run("lpstat", "-d", check=False).stdout
    _fault_case(qtbot, data_dir, "", PrintStatus.NO_PRINTER)


def test_printer_disabled_and_the_kiosk_goes_on_once_it_is_enabled(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                    cups: CupsServer) -> None:
    cups.run("cupsdisable", "kiosk-pdf")
    try:
        _kiosk, screen = _fault_case(qtbot, data_dir, "printer: kiosk-pdf\n", PrintStatus.PRINTER_STOPPED)
    finally:
        cups.run("cupsenable", "kiosk-pdf")
    _kiosk.clock.advance(1.5)  # past the debounce
    tap_print(qtbot, screen, lambda s: s is PrintStatus.PRINTING)
    assert screen.message.text() == screen.t(PRINTING)
    qtbot.waitUntil(lambda: screen.status is PrintStatus.DONE, timeout=20000)


def test_printer_rejecting_jobs(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.run("cupsreject", "kiosk-pdf")
    try:
        _fault_case(qtbot, data_dir, "printer: kiosk-pdf\n", PrintStatus.PRINTER_STOPPED)
    finally:
        cups.run("cupsaccept", "kiosk-pdf")


def test_printer_deleted(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_pdf_queue("kiosk-gone")
    cups.remove_queue("kiosk-gone")  # lpadmin -x
    _fault_case(qtbot, data_dir, "printer: kiosk-gone\n", PrintStatus.PRINTER_MISSING)


def test_print_system_stopped(qtbot, data_dir: Path, cups: CupsServer,  # type: ignore[no-untyped-def]
                              monkeypatch: pytest.MonkeyPatch) -> None:
    other = CupsServer()
    try:
        other.start()
        monkeypatch.setenv("CUPS_SERVER", str(other.socket))
        other.stop()  # cupsd is not running any more
        _fault_case(qtbot, data_dir, "printer: kiosk-pdf\n", PrintStatus.CUPS_DOWN)
    finally:
        other.close()


def test_print_system_not_answering(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.freeze()  # SIGSTOP: the socket is there, nobody answers
    try:
        _fault_case(qtbot, data_dir, "printer: kiosk-pdf\n", PrintStatus.CUPS_DOWN)
    finally:
        cups.thaw()


def test_a_job_that_fails_in_the_driver(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_broken_driver_queue("kiosk-broken")
    try:
        _fault_case(qtbot, data_dir, "printer: kiosk-broken\n", PrintStatus.JOB_FAILED)
        # The failed job does not stay in the queue to come out later, for nobody.
        qtbot.waitUntil(lambda: queue_is_empty(cups, "kiosk-broken"), timeout=3000)
    finally:
        cups.remove_queue("kiosk-broken")


def test_a_job_on_a_printer_that_is_not_plugged_in(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_device_queue("kiosk-unplugged", "parallel:/dev/kiosk-no-such-port")
    try:
        _fault_case(qtbot, data_dir, "printer: kiosk-unplugged\n", PrintStatus.JOB_FAILED)
        qtbot.waitUntil(lambda: queue_is_empty(cups, "kiosk-unplugged"), timeout=3000)
    finally:
        cups.remove_queue("kiosk-unplugged")


def test_a_job_on_a_printer_out_of_paper(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    cups.add_device_queue("kiosk-nopaper", "parallel:/dev/full")  # every write: no space left
    try:
        _fault_case(qtbot, data_dir, "printer: kiosk-nopaper\n", PrintStatus.JOB_FAILED)
        qtbot.waitUntil(lambda: queue_is_empty(cups, "kiosk-nopaper"), timeout=3000)
    finally:
        cups.remove_queue("kiosk-nopaper")


# -- limits, debounce, cancel ------------------------------------------------------------------
def test_one_leaflet_per_visitor_then_the_qr_code(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen = leaflet_screen(qtbot, data_dir, "printer: kiosk-pdf\nprints_per_visit: 1\n")
    before = len(cups.outputs("kiosk-pdf"))
    tap_print(qtbot, screen, lambda s: s is PrintStatus.DONE, 20000)
    kiosk.clock.advance(1.5)
    tap_print(qtbot, screen, lambda s: s is PrintStatus.LIMIT_REACHED)
    assert_offers_qr_and_number(screen, LIMIT)
    cups.wait_for_output("kiosk-pdf", before + 1)
    qtbot.wait(1000)
    assert len(cups.outputs("kiosk-pdf")) == before + 1
    events = kiosk.session.stats.events  # type: ignore[attr-defined]
    assert [e[:3] for e in events if e[0] != "qr_shown"] == [("leaflet_printed", "ru", ""),
                                                             ("print_failed", "ru", "limit_reached")]
    # The next visitor may print again.
    kiosk.session.timeout()
    kiosk.session.jump(Visit(Screen.LEAFLET, "kk", started=True))
    assert not screen.showing_qr and screen.status is None
    kiosk.clock.advance(1.5)
    tap_print(qtbot, screen, lambda s: s is PrintStatus.PRINTING)


def test_the_hourly_limit_protects_the_paper(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen = leaflet_screen(qtbot, data_dir, "printer: kiosk-pdf\nprints_per_visit: 3\nprints_per_hour: 1\n")
    tap_print(qtbot, screen, lambda s: s is PrintStatus.PRINTING)
    qtbot.waitUntil(lambda: kiosk.session.print_order.done, timeout=20000)
    kiosk.session.timeout()  # a new visitor, the same hour
    kiosk.session.jump(Visit(Screen.LEAFLET, "en", started=True))
    tap_print(qtbot, screen, lambda s: s is PrintStatus.LIMIT_REACHED)
    assert_offers_qr_and_number(screen, LIMIT)


def test_a_double_tap_prints_once(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen = leaflet_screen(qtbot, data_dir, "printer: kiosk-pdf\nprints_per_visit: 5\n")
    jobs_before = len(cups.job_ids("kiosk-pdf"))
    tap(qtbot, screen.print_button)
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)  # the finger bounces
    kiosk.session.print_leaflet()  # a second tap that got past the button (a touch event on its way)
    first = kiosk.session.print_order
    qtbot.waitUntil(lambda: first.done, timeout=20000)
    kiosk.clock.now += 0.5  # still within the second: debounced, though the first job is done
    kiosk.session.print_leaflet()
    assert kiosk.session.print_order is first
    assert len(cups.job_ids("kiosk-pdf")) == jobs_before + 1


def test_quick_exit_before_the_job_is_sent_sends_nothing(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk, screen = leaflet_screen(qtbot, data_dir)
    jobs_before = cups.job_ids("kiosk-pdf")
    tap(qtbot, screen.print_button)
    job = kiosk.session.print_order
    assert job is not None and job.status is PrintStatus.CHECKING
    kiosk.session.quick_exit()
    assert job.status is PrintStatus.CANCELLED and job.done
    qtbot.wait(1500)
    assert cups.job_ids("kiosk-pdf") == jobs_before
    assert kiosk.session.screen is Screen.NEUTRAL
    assert screen.status is None and not screen.showing_qr


def test_idle_reset_cancels_a_job_waiting_in_the_queue(qtbot, data_dir: Path, cups: CupsServer,  # type: ignore[no-untyped-def]
                                                       held_queue: str) -> None:
    kiosk, job = held_print(qtbot, data_dir)
    waiting = cups.run("lpstat", "-l", "-o", "kiosk-held").stdout
    assert job.job_id in waiting and "job-hold-until-specified" in waiting  # queued, not started
    kiosk.session.timeout()
    assert job.status is PrintStatus.CANCELLED
    qtbot.waitUntil(lambda: queue_is_empty(cups, "kiosk-held"), timeout=3000)
    assert job.job_id in cups.run("lpstat", "-W", "completed", "-o", "kiosk-held").stdout
    cups.run("lpadmin", "-p", "kiosk-held", "-o", "job-hold-until-default=no-hold")
    qtbot.wait(1000)
    assert cups.outputs("kiosk-held") == []  # cancelled, so releasing the queue prints nothing
    assert kiosk.session.screen is Screen.ATTRACT


def test_the_kiosk_ending_right_after_a_cancel_lets_the_cancel_finish(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                         cups: CupsServer, held_queue: str) -> None:
    """The long monkey run ended with "QProcess: Destroyed while process ("cancel") is still
    running": the cancel was owned by the application, so closing the printer did not see it."""
    kiosk, job = held_print(qtbot, data_dir)
    kiosk.session.quick_exit()  # the cancel starts; the kiosk ends before it has answered
    running = [p for p in QApplication.instance().findChildren(QProcess)
               if p.state() != QProcess.ProcessState.NotRunning and p.program() == "cancel"]
    running += [p for p in kiosk.printer.real.findChildren(QProcess)  # type: ignore[attr-defined]
                if p.state() != QProcess.ProcessState.NotRunning and p.program() == "cancel"]
    assert running, "the cancel should still be running when the kiosk ends"
    close_printer(kiosk)  # type: ignore[arg-type]
    assert all(p.state() == QProcess.ProcessState.NotRunning for p in running)
    assert queue_is_empty(cups, "kiosk-held")  # it was let finish, not killed
    assert job.job_id in cups.run("lpstat", "-W", "completed", "-o", "kiosk-held").stdout


def test_after_the_printer_closes_no_job_looks_at_cups_again(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                              cups: CupsServer, held_queue: str) -> None:
    """A job still watched when the kiosk (or the test) ended went on polling CUPS, and logged
    into a closed log when its queue went away: the normal pass showed it once."""
    kiosk, job = held_print(qtbot, data_dir)
    assert not job.done  # held in the queue: watched every 200 ms
    close_printer(kiosk)  # type: ignore[arg-type]
    assert job.done
    started: list[str] = []
    backend = kiosk.printer.real  # type: ignore[attr-defined]
    for _ in range(10):
        qtbot.wait(100)
        started += [p.program() for p in backend.findChildren(QProcess)
                    if p.state() != QProcess.ProcessState.NotRunning]
    assert started == []
    assert job.job_id in cups.run("lpstat", "-o", "kiosk-held").stdout  # left for staff, not cancelled


def test_a_job_already_printing_is_not_cut_in_half(qtbot, qapp, cups: CupsServer, content: Content) -> None:  # type: ignore[no-untyped-def]
    cups.add_device_queue("kiosk-slow", "parallel:/dev/kiosk-no-such-port")
    try:
        job = PrintJob("kiosk-slow", stuck_s=30)
        job.start(leaflet_pdf(content, "en"))
        qtbot.waitUntil(lambda: job.job_id is not None and job.printing_started, timeout=5000)
        assert job.cancel("timeout") is False  # it is on the printer already
    finally:
        cups.run("cancel", "-a", "kiosk-slow", check=False)
        cups.remove_queue("kiosk-slow")
        job.deleteLater()


# -- a visitor's journey, and the command line -------------------------------------------------
def test_a_visitor_prints_and_photographs_the_code(qtbot, data_dir: Path, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, settings="printer: kiosk-pdf\n")
    kiosk.session.stats = RecordingStats()
    window, session = kiosk.window, kiosk.session
    before = len(cups.outputs("kiosk-pdf"))
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["uz"])
    tap(qtbot, button_with_text(window, kiosk.i18n.gettext(GET_LEAFLET, "uz")))
    assert session.screen is Screen.LEAFLET
    screen = window.screens[Screen.LEAFLET]
    assert screen.preview.isVisible() and not screen.showing_qr
    tap(qtbot, screen.print_button)
    assert screen.message.text() == screen.t("Preparing your leaflet…")
    assert not screen.print_button.isEnabled()  # no second copy while this one is on its way
    qtbot.waitUntil(lambda: screen.message.text() == screen.t(PRINTING), timeout=5000)
    out = cups.wait_for_output("kiosk-pdf", before + 1)[-1]
    # The job title (cups-pdf names the file after it) says nothing of the visitor's language.
    assert out.name.startswith(LEAFLET_TITLE) and "uz" not in out.name.removeprefix(LEAFLET_TITLE)
    qtbot.waitUntil(lambda: screen.print_button.isEnabled(), timeout=20000)
    tap(qtbot, screen.qr_button)
    assert screen.showing_qr and screen.qr.code.data == TEL
    assert screen.qr_button.text() == screen.t("Show the leaflet")
    tap(qtbot, screen.qr_button)
    assert not screen.showing_qr
    tap(qtbot, screen.back)
    assert session.screen is Screen.MENU
    assert [e[0] for e in session.stats.events if e[0] in ("leaflet_printed", "qr_shown")] == [  # type: ignore[attr-defined]
        "leaflet_printed", "qr_shown"]


def run_cli(cups: CupsServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(cups.env, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=os.environ["KIOSK_DATA_DIR"],
               HOME=os.environ["HOME"])
    return subprocess.run([sys.executable, "-m", "kiosk", "leaflet", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_staff_print_a_stack_from_the_command_line(cups: CupsServer) -> None:
    before = len(cups.outputs("kiosk-pdf"))
    result = run_cli(cups, "--lang", "ru", "--print", "--printer", "kiosk-pdf", "--copies", "2")
    assert result.returncode == 0, result.stderr
    assert "ru: 2 copies printed on kiosk-pdf (job kiosk-pdf-" in result.stdout
    job_id = result.stdout.split("(job ")[1].split(")")[0]
    cups.wait_for_output("kiosk-pdf", before + 1)
    assert cups.sheets_logged(job_id) == 2  # one page, two copies


def test_the_command_line_says_clearly_why_it_cannot_print(cups: CupsServer) -> None:
    result = run_cli(cups, "--lang", "ru", "--print", "--printer", "kiosk-nowhere")
    assert result.returncode == 1
    assert "there is no printer called 'kiosk-nowhere'" in result.stderr
    result = run_cli(cups, "--lang", "kk", "--print")
    assert result.returncode == 1
    assert "no printer to print on" in result.stderr
    cups.run("cupsdisable", "kiosk-pdf")
    try:
        result = run_cli(cups, "--lang", "en", "--print", "--printer", "kiosk-pdf")
    finally:
        cups.run("cupsenable", "kiosk-pdf")
    assert result.returncode == 1 and "cupsenable kiosk-pdf" in result.stderr


def test_the_command_line_speaks_the_staff_language(cups: CupsServer) -> None:
    """The locale of the staff PC (LANG=ru_RU.UTF-8), or `kiosk --lang kk`: the report and the
    advice in that language; the printer's name and the commands to type stay as they are."""
    env = dict(cups.env, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=os.environ["KIOSK_DATA_DIR"],
               HOME=os.environ["HOME"], LANG="ru_RU.UTF-8")
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    before = len(cups.outputs("kiosk-pdf"))
    result = subprocess.run([sys.executable, "-m", "kiosk", "leaflet", "--lang", "uz", "--print", "--printer",
                             "kiosk-pdf", "--copies", "3"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "uz: 3 экземпляра напечатано на kiosk-pdf (задание kiosk-pdf-" in result.stdout, result.stdout
    cups.wait_for_output("kiosk-pdf", before + 1)
    cups.run("cupsdisable", "kiosk-pdf")
    try:
        result = subprocess.run([sys.executable, "-m", "kiosk", "--lang", "kk", "leaflet", "--lang", "ru", "--print",
                                 "--printer", "kiosk-pdf"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        cups.run("cupsenable", "kiosk-pdf")
    assert result.returncode == 1
    assert "kiosk-pdf тоқтатылған немесе тапсырма қабылдамайды (іске қосу: cupsenable kiosk-pdf; " \
           "cupsaccept kiosk-pdf)" in result.stderr, result.stderr


def test_the_command_line_uses_the_printer_from_the_settings(cups: CupsServer, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.yaml").write_text("printer: kiosk-pdf\n", encoding="utf-8")
    before = len(cups.outputs("kiosk-pdf"))
    result = run_cli(cups, "--lang", "uz", "--print")
    assert result.returncode == 0, result.stderr
    cups.wait_for_output("kiosk-pdf", before + 1)
