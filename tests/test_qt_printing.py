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

from kiosk.core.visit.printer import PrintStatus
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
from tests.support import ROOT, need_tool


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
    assert "kk: 1 copy printed on kiosk-pdf" in result.stdout and "through qt" in result.stdout
    printed = cups.wait_for_output("kiosk-pdf", before + 1)[-1]
    from kiosk.core.content.loader import load_content
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


# Run in a process of its own (see the module's docstring): a visitor's tap on Print, through the
# Qt backend that the settings choose, then a quick exit before the page went out.
VISITOR = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from kiosk.app import build_kiosk
from kiosk.core.visit.printer import PrintStatus
from kiosk.core.visit.session import Screen

data = Path(sys.argv[1])
(data / "settings.yaml").write_text("printer: kiosk-pdf\\nprint_backend: qt\\n", encoding="utf-8")
kiosk = build_kiosk(data, None, None, (1366, 768), with_stats=False)
kiosk.window.show()
session = kiosk.session
seen = []
session.changed.connect(lambda old, new: new.print_status and seen.append(new.print_status.value))

def wait(until, seconds=20):
    end = time.monotonic() + seconds
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)

session.start(); session.choose_language("uz"); session.open_leaflet()
start = time.perf_counter()
kiosk.window.screens[Screen.LEAFLET].print_button.click()
wait(lambda: session.state.print_status is not PrintStatus.CHECKING)
accepted_ms = (time.perf_counter() - start) * 1000
wait(lambda: session.state.print_status is PrintStatus.DONE)
print("ORDER", type(session.print_order).__name__)
print("SEEN", ",".join(dict.fromkeys(seen)))
print("ACCEPTED_MS", round(accepted_ms))
session.quick_exit(); session.start(); session.choose_language("ru"); session.open_leaflet()
kiosk.window.screens[Screen.LEAFLET].print_button.click()
order = session.print_order
session.quick_exit()
print("CANCELLED", order.done and order.status is PrintStatus.CANCELLED)
"""


@pytest.mark.cups
def test_a_visitor_prints_through_the_qt_backend_chosen_in_the_settings(cups: CupsServer, tmp_path: Path) -> None:
    before = len(cups.outputs("kiosk-pdf"))
    env = dict(cups.env, QT_QPA_PLATFORM="offscreen", HOME=os.environ["HOME"])
    (tmp_path / "data").mkdir()
    result = subprocess.run([sys.executable, "-c", VISITOR, str(tmp_path / "data")], env=env, capture_output=True,
                            text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert result.returncode == 0, result.stderr[-2000:]
    assert lines["ORDER"] == "QtPrintJob"
    assert lines["SEEN"] == "checking,printing,done", result.stderr[-2000:]
    assert lines["CANCELLED"] == "True"  # a quick exit before the page went out sends nothing
    assert len(cups.wait_for_output("kiosk-pdf", before + 1)) == before + 1
    time.sleep(1.5)  # nothing more may arrive: a wait for an absence
    assert len(cups.outputs("kiosk-pdf")) == before + 1
    print(f"\nQt backend, tap on Print to the page handed to the system: {lines['ACCEPTED_MS']} ms")


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


def test_the_spooler_flags_fill_the_same_printer_states_as_cups() -> None:
    """The staff Printer tab's words from Windows' flags (recorded values; NOT run on Windows)."""
    from kiosk.core.visit.printer import PrinterCondition as C
    from kiosk.printing.winspool import (
        PRINTER_STATUS_DOOR_OPEN,
        PRINTER_STATUS_NOT_AVAILABLE,
        PRINTER_STATUS_PAPER_JAM,
        job_condition,
        printer_condition,
    )

    assert printer_condition(0) is C.READY  # as a switched-off USB printer also says: unknown is not bad
    assert printer_condition(0x400) is C.READY  # PRINTER_STATUS_PRINTING
    assert printer_condition(PRINTER_STATUS_PAUSED) is C.STOPPED
    assert printer_condition(0, PRINTER_ATTRIBUTE_WORK_OFFLINE) is C.STOPPED
    assert printer_condition(PRINTER_STATUS_OFFLINE) is C.OFF_OR_NOT_ANSWERING
    assert printer_condition(PRINTER_STATUS_NOT_AVAILABLE) is C.OFF_OR_NOT_ANSWERING
    assert printer_condition(PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_OFFLINE) is C.OUT_OF_PAPER  # the cause first
    assert printer_condition(PRINTER_STATUS_PAPER_OUT | PRINTER_STATUS_PAUSED) is C.OUT_OF_PAPER
    assert printer_condition(PRINTER_STATUS_PAPER_JAM) is C.NEEDS_ATTENTION
    assert printer_condition(PRINTER_STATUS_DOOR_OPEN) is C.NEEDS_ATTENTION
    assert job_condition(JOB_STATUS_PRINTING | JOB_STATUS_PAPEROUT) is C.OUT_OF_PAPER
    assert job_condition(JOB_STATUS_OFFLINE) is C.OFF_OR_NOT_ANSWERING
    assert job_condition(JOB_STATUS_ERROR) is None and job_condition(None) is None  # "the last print failed"


LOOK = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from kiosk.printing.qt import QtPrinter
backend = QtPrinter()
for name in sys.argv[1:]:
    backend.look_at("" if name == "-" else name, lambda r, n=name: print(n, r.condition.value, r.printer or "-"))
"""


@pytest.mark.cups
def test_the_qt_backend_fills_the_printer_tab_states_from_real_cups(cups: CupsServer) -> None:
    """Through Qt's CUPS plugin, as the staff Printer tab asks it (in a process of its own: libcups
    reads CUPS_SERVER once). The Windows spooler's part is tested on recorded flags above."""
    cups.add_pdf_queue("kiosk-paused")
    cups.run("cupsdisable", "kiosk-paused")
    env = dict(cups.env, QT_QPA_PLATFORM="offscreen")
    try:
        done = subprocess.run([sys.executable, "-c", LOOK, "kiosk-pdf", "kiosk-paused", "kiosk-gone", "-"],
                              env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    finally:
        cups.remove_queue("kiosk-paused")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "kiosk-pdf ready kiosk-pdf", "kiosk-paused stopped kiosk-paused", "kiosk-gone printer_gone kiosk-gone",
        "- no_printer_chosen -"], done.stdout + done.stderr
