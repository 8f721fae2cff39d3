"""The Qt print backend (QPrinter) against the real private CUPS server with cups-pdf, no mock.

On Linux the Qt backend goes through Qt's own CUPS plugin; on Windows through the native engine
and the spooler. The spooler part (kiosk/printing/winspool.py) is tested here only on recorded
status values: **it has not run on Windows.**

The command-line prints run in their own process: libcups reads CUPS_SERVER once per process,
so each case gets the server it is meant to see (a stopped one included).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.printer import PrintStatus
from kiosk.core.session import Screen
from kiosk.paper.pdf import leaflet_pdf
from kiosk.printing import backend_name
from kiosk.printing.winspool import (
    JOB_STATUS_COMPLETE,
    JOB_STATUS_DELETED,
    JOB_STATUS_ERROR,
    JOB_STATUS_OFFLINE,
    JOB_STATUS_PAPEROUT,
    JOB_STATUS_PAUSED,
    JOB_STATUS_PRINTED,
    JOB_STATUS_PRINTING,
    JOB_STATUS_SPOOLING,
    PRINTER_ATTRIBUTE_WORK_OFFLINE,
    PRINTER_STATUS_OFFLINE,
    PRINTER_STATUS_PAPER_OUT,
    PRINTER_STATUS_PAUSED,
    job_outcome,
    printer_problem,
)
from tests.cups_server import CupsServer
from tests.pdf_pages import difference, render_pages
from tests.support import need_tool
from tests.ui_helpers import make_kiosk, tap


def run_cli(cups: CupsServer, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = dict(cups.env, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=os.environ["KIOSK_DATA_DIR"],
               HOME=os.environ["HOME"])
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "kiosk", "leaflet", *args], env=env, capture_output=True,
                            text=True, timeout=120)
    return result, time.monotonic() - start


@pytest.mark.cups
def test_the_qt_backend_prints_the_same_page_as_the_cups_backend(cups: CupsServer, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    need_tool("pdftoppm", "poppler-utils")
    before = len(cups.outputs("kiosk-pdf"))
    result, seconds = run_cli(cups, "--lang", "kk", "--print", "--backend", "qt", "--printer", "kiosk-pdf")
    assert result.returncode == 0, result.stderr
    assert "kk: 1 copy printed on kiosk-pdf" in result.stdout and "qt)" in result.stdout
    printed = cups.wait_for_output("kiosk-pdf", before + 1)[-1]
    from kiosk.core.loader import load_content
    from tests.support import CONTENT

    content = load_content(CONTENT).content
    assert content is not None
    drawn = tmp_path / "qt-kk.pdf"
    drawn.write_bytes(leaflet_pdf(content, "kk"))
    pages, reference = render_pages(printed), render_pages(drawn)
    assert len(pages) == len(reference) == 1
    mean, share = difference(pages[0], reference[0])
    assert mean < 6 and share < 0.05, f"the page printed through QPrinter differs: {mean:.2f}, {share:.2%}"
    other = tmp_path / "qt-ru.pdf"
    other.write_bytes(leaflet_pdf(content, "ru"))
    assert difference(pages[0], render_pages(other)[0])[1] > 0.15  # the comparison tells pages apart
    print(f"\nQt backend: the command took {seconds:.2f} s; page vs Qt's PDF: {mean:.2f}/255, {share:.2%}")


@pytest.mark.cups
def test_faults_of_the_qt_backend_made_for_real(cups: CupsServer) -> None:
    cups.run("cupsdisable", "kiosk-pdf")
    try:
        result, _ = run_cli(cups, "--lang", "ru", "--print", "--backend", "qt", "--printer", "kiosk-pdf")
    finally:
        cups.run("cupsenable", "kiosk-pdf")
    assert result.returncode == 1 and "kiosk-pdf is stopped or refuses jobs" in result.stderr
    cups.add_pdf_queue("kiosk-gone")
    cups.remove_queue("kiosk-gone")
    result, _ = run_cli(cups, "--lang", "ru", "--print", "--backend", "qt", "--printer", "kiosk-gone")
    assert result.returncode == 1 and "there is no printer called 'kiosk-gone'" in result.stderr
    other = CupsServer()
    try:
        other.start()
        other.add_pdf_queue("kiosk-pdf")
        other.stop()  # cupsd is not running any more
        result, seconds = run_cli(other, "--lang", "ru", "--print", "--backend", "qt", "--printer", "kiosk-pdf")
    finally:
        other.close()
    assert result.returncode == 1 and "kiosk-pdf" in result.stderr, result.stderr
    assert seconds < 30


@pytest.mark.cups
def test_a_visitor_prints_through_the_qt_backend_chosen_in_the_settings(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                       cups: CupsServer) -> None:
    kiosk = make_kiosk(qtbot, data_dir, settings="printer: kiosk-pdf\nprint_backend: qt\n")
    session = kiosk.session
    session.start()
    session.choose_language("uz")
    session.open_leaflet()
    before = len(cups.outputs("kiosk-pdf"))
    seen: list[PrintStatus] = []
    session.changed.connect(lambda _old, new: new.print_status and seen.append(new.print_status))
    tap(qtbot, kiosk.window.screens[Screen.LEAFLET].print_button)
    qtbot.waitUntil(lambda: session.state.print_status is PrintStatus.DONE, timeout=20_000)
    assert seen[0] is PrintStatus.CHECKING and PrintStatus.PRINTING in seen
    assert type(session.print_order).__name__ == "QtPrintJob"
    assert len(cups.wait_for_output("kiosk-pdf", before + 1)) == before + 1
    # A quick exit before the page went to the system sends nothing.
    session.quick_exit()
    session.start()
    session.choose_language("ru")
    session.open_leaflet()
    tap(qtbot, kiosk.window.screens[Screen.LEAFLET].print_button)
    order = session.print_order
    session.quick_exit()
    assert order.done and order.status is PrintStatus.CANCELLED
    qtbot.wait(1500)  # nothing may arrive: a wait for an absence
    assert len(cups.outputs("kiosk-pdf")) == before + 1


def test_auto_means_lp_where_cups_is_installed() -> None:
    assert backend_name("qt") == "qt" and backend_name("cups") == "cups"
    expected = "cups" if sys.platform != "win32" and __import__("shutil").which("lp") else "qt"
    assert backend_name("auto") == expected


# -- the Windows spooler's numbers (recorded values; NOT run on Windows) ------------------------------
def test_a_printer_is_refused_only_for_a_flag_that_says_so() -> None:
    assert printer_problem(0) is None  # idle: unknown is not bad (a switched-off USB printer says this too)
    assert printer_problem(0x400) is None  # PRINTER_STATUS_PRINTING
    assert printer_problem(PRINTER_STATUS_PAUSED)[0] is PrintStatus.PRINTER_STOPPED  # type: ignore[index]
    assert printer_problem(PRINTER_STATUS_OFFLINE) == (PrintStatus.PRINTER_ERROR, "offline")
    assert printer_problem(PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_OFFLINE) == (
        PrintStatus.PRINTER_ERROR, "out of paper, offline")
    assert printer_problem(0, PRINTER_ATTRIBUTE_WORK_OFFLINE)[0] is PrintStatus.PRINTER_STOPPED  # type: ignore[index]


def test_what_the_spooler_says_of_a_job_becomes_what_the_visitor_is_told() -> None:
    assert job_outcome(JOB_STATUS_SPOOLING) == (None, "waiting or printing")
    assert job_outcome(JOB_STATUS_PRINTING)[0] is None
    assert job_outcome(JOB_STATUS_PAUSED) == (None, "paused")
    assert job_outcome(JOB_STATUS_PRINTING | JOB_STATUS_PAPEROUT) == (PrintStatus.JOB_FAILED, "out of paper")
    assert job_outcome(JOB_STATUS_OFFLINE) == (PrintStatus.JOB_FAILED, "printer offline")
    assert job_outcome(JOB_STATUS_ERROR | JOB_STATUS_PRINTING)[0] is PrintStatus.JOB_FAILED
    assert job_outcome(JOB_STATUS_DELETED) == (PrintStatus.JOB_FAILED, "deleted before it printed")
    assert job_outcome(JOB_STATUS_PRINTED | JOB_STATUS_DELETED) == (PrintStatus.DONE, "printed")
    assert job_outcome(JOB_STATUS_COMPLETE)[0] is PrintStatus.DONE
    assert job_outcome(None) == (PrintStatus.DONE, "left the queue")
