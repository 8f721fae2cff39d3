"""`kiosk stats export` and `kiosk stats report`: what a coordinator hands to the NGO and its donors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.model.i18n import I18n
from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.stats.stats import DB_NAME, EXPORT_COLUMNS, open_store
from kiosk.paper.report import DAYS, TITLE
from tests.support import ROOT, Clock, need_tool

HEADER = ("date,kiosk_id,language,visits,language_switches,slides_viewed,quizzes_finished,quiz_score_avg,"
          "quiz_answers,quiz_right,leaflets_printed,qr_shown,print_failed,quick_exits,timeouts")


def fill(data_dir: Path) -> None:
    """A small, exactly known month of use, from the kiosk called shymkent-1."""
    save_settings(data_dir / "settings.yaml", Settings(kiosk_id="shymkent-1"))
    clock = Clock(dt.datetime(2025, 5, 1, 10, 5))
    store = open_store(data_dir, clock)
    for _ in range(3):
        store.record("visit", "kk")
        store.record("slide_view", "kk", "04-passport")
    store.record("quiz_answer", "kk", "passport-keep", 0)
    store.record("quiz_answer", "kk", "passport-keep", 1)
    store.record("quiz_finished", "kk", value=40)
    store.record("quiz_finished", "kk", value=75)
    store.record("timeout", "kk")
    clock.now = dt.datetime(2025, 5, 1, 17, 40)
    store.record("visit", "ru")
    store.record("leaflet_printed", "ru")
    store.record("qr_shown", "ru")
    store.record("print_failed", "ru")
    store.record("quick_exit", "ru")
    clock.now = dt.datetime(2025, 5, 30, 12)
    for _ in range(1234):
        store.record("visit", "uz")
    store.record("language_switch", "en")
    store.record("quiz_answer", "uz", "passport-keep", 0)
    store.close()


# -- export ------------------------------------------------------------------------------------

def test_export_writes_one_row_per_day_kiosk_and_language_under_the_fixed_header(data_dir: Path,
                                                                                 tmp_path: Path) -> None:
    fill(data_dir)
    out = tmp_path / "usb" / "stats.csv"
    assert main(["stats", "export", "--output", str(out), "--data-dir", str(data_dir)]) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [
        HEADER,
        "2025-05-01,shymkent-1,kk,3,0,3,2,57.5,2,1,0,0,0,0,1",
        "2025-05-01,shymkent-1,ru,1,0,0,0,,0,0,1,1,1,1,0",
        "2025-05-30,shymkent-1,en,0,1,0,0,,0,0,0,0,0,0,0",
        "2025-05-30,shymkent-1,uz,1234,0,0,0,,1,0,0,0,0,0,0",
    ]
    assert ",".join(EXPORT_COLUMNS) == HEADER


def test_export_between_dates_and_from_many_kiosks_concatenates(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["stats", "export", "--output", str(first), "--until", "2025-05-29",
                 "--data-dir", str(data_dir)]) == 0
    save_settings(data_dir / "settings.yaml", Settings(kiosk_id="turkistan, bus station"))
    assert main(["stats", "export", "--output", str(second), "--since", "2025-05-02",
                 "--data-dir", str(data_dir)]) == 0
    a, b = first.read_text().splitlines(), second.read_text().splitlines()
    assert a[0] == b[0] == HEADER
    joined = list(csv.DictReader(io.StringIO("\n".join(a + b[1:]))))
    assert [(r["date"], r["kiosk_id"], r["language"]) for r in joined] == [
        ("2025-05-01", "shymkent-1", "kk"), ("2025-05-01", "shymkent-1", "ru"),
        ("2025-05-30", "turkistan, bus station", "en"), ("2025-05-30", "turkistan, bus station", "uz"),
    ]
    assert sum(int(r["visits"]) for r in joined) == 1238


def test_export_reads_while_the_kiosk_is_recording(data_dir: Path, tmp_path: Path) -> None:
    kiosk = open_store(data_dir)
    kiosk.record("visit", "kk")
    out = tmp_path / "now.csv"
    assert main(["stats", "export", "--output", str(out), "--data-dir", str(data_dir)]) == 0
    kiosk.record("visit", "kk")  # the export left no lock behind
    assert kiosk.unsaved == 0
    kiosk.close()
    rows = out.read_text().splitlines()
    assert len(rows) == 2 and rows[1].split(",")[2:4] == ["kk", "1"]


def test_export_of_an_empty_kiosk_is_just_the_header(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert main(["stats", "export", "--output", str(out), "--data-dir", str(data_dir)]) == 0
    assert out.read_text().splitlines() == [HEADER]
    assert not (data_dir / DB_NAME).exists()


def test_export_refuses_a_damaged_file_and_leaves_it_alone(data_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"\x00garbage" * 500)
    assert main(["stats", "export", "--output", str(tmp_path / "x.csv"), "--data-dir", str(data_dir)]) == 2
    assert "damaged" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    assert (data_dir / DB_NAME).read_bytes() == b"\x00garbage" * 500


def test_export_is_quick_to_start_and_never_loads_qt(data_dir: Path, tmp_path: Path) -> None:
    code = ("import sys; from kiosk.cli import main; rc = main(sys.argv[1:]);"
            "print('QT' if 'PySide6' in sys.modules else 'NOQT'); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code, "stats", "export", "--output", str(tmp_path / "s.csv"),
                           "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("NOQT")


# -- report ------------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    need_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # Qt sets "ff" and "fi" as ligatures; NFKC turns them (and no-break spaces) back into letters.
    return re.sub(r" +", " ", unicodedata.normalize("NFKC", text))


def pdf_pages(path: Path) -> int:
    need_tool("pdfinfo", "poppler-utils")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


# As Babel writes them per language: the period's first and last day, all 1238 visits,
# the 1234 in Uzbek, the average score (40 + 75) / 2 = 57.5 rounded; and the organisation's name
# from the content.
EXPECTED = {
    "en": ("May 1, 2025", "May 30, 2025", "1,238", "1,234", "58%", "Sana Sezim"),
    "ru": ("1 мая 2025 г.", "30 мая 2025 г.", "1 238", "1 234", "58 %", "Сана Сезим"),
    "kk": ("2025 ж. 1 мамыр", "2025 ж. 30 мамыр", "1 238", "1 234", "58%", "Сана Сезім"),
    "uz": ("1-may, 2025", "30-may, 2025", "1 238", "1 234", "58%", "Sana Sezim"),
}


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "uz"])
def test_report_is_one_a4_page_with_the_figures_in_the_language(lang: str, data_dir: Path, tmp_path: Path,
                                                                 qapp: object) -> None:
    fill(data_dir)
    out = tmp_path / f"report-{lang}.pdf"
    assert main(["stats", "report", "--output", str(out), "--lang", lang, "--since", "2025-05-01",
                 "--until", "2025-05-30", "--data-dir", str(data_dir)]) == 0
    assert pdf_pages(out) == 1
    text = pdf_text(out)
    first, last, visits, uzbek, score, organisation = EXPECTED[lang]
    i18n = I18n()
    assert i18n.gettext(TITLE, lang) in text
    days = i18n.ngettext(*DAYS, 30, lang).format(count=30)
    assert f"{first} – {last} ({days})" in text
    assert "shymkent-1" in text
    assert re.search(rf"(?<![\d,]){re.escape(visits)}(?![\d,])", text)  # the visits tile
    assert re.search(rf"(?<![\d,]){re.escape(uzbek)} \(", text)  # the Uzbek bar: "1,234 (99.7%)"
    assert score in text
    assert organisation in text


def test_report_of_a_single_day_says_one_day(data_dir: Path, tmp_path: Path, qapp: object) -> None:
    fill(data_dir)
    out = tmp_path / "day.pdf"
    assert main(["stats", "report", "--output", str(out), "--since", "2025-05-01", "--until", "2025-05-01",
                 "--data-dir", str(data_dir)]) == 0
    text = pdf_text(out)
    assert "May 1, 2025 – May 1, 2025 (1 day)" in text
    assert "1,234" not in text  # 30 May is outside


def test_report_lists_quiz_questions_by_their_text_hardest_first(data_dir: Path, tmp_path: Path,
                                                                 qapp: object) -> None:
    fill(data_dir)
    clock = Clock(dt.datetime(2025, 5, 30, 15))
    store = open_store(data_dir, clock)
    for right in (1, 1, 1, 0):
        store.record("quiz_answer", "en", "visa-work", right)
    store.record("quiz_answer", "en", "a-question-no-longer-in-the-content", 1)
    store.close()
    out = tmp_path / "report.pdf"
    assert main(["stats", "report", "--output", str(out), "--lang", "en", "--since", "2025-05-01",
                 "--until", "2025-05-30", "--data-dir", str(data_dir)]) == 0
    lines = pdf_text(out).splitlines()
    hard = next(i for i, line in enumerate(lines) if "A recruiter offers to keep your passport" in line)
    easy = next(i for i, line in enumerate(lines) if "An agent says you can go to work abroad" in line)
    assert hard < easy
    assert re.search(r"33%\s+3 answers", lines[hard])  # passport-keep: 1 right of 3
    assert re.search(r"75%\s+4 answers", lines[easy])
    assert re.search(r"a-question-no-longer-in-the-content\s+100%\s+1 answer$", lines[easy + 1])
