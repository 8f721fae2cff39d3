"""Evidence of learning in the NGO's hands: `kiosk stats report` (a second page), `report --fleet`,
`export --evidence` and `merge --evidence`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.cli import main
from kiosk.core.model.i18n import I18n
from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.stats.evidence import EXPORT_COLUMNS, SAID_LIMITS
from kiosk.core.stats.fleet import write_daily_files
from kiosk.core.stats.stats import open_store
from kiosk.core.visit import Cell
from kiosk.paper.report import EVIDENCE_TITLE
from tests.support import Clock
from tests.test_stats_cli import pdf_pages, pdf_text

# passport-keep: 30 right before and after, 20 wrong before and right after, 10 wrong both times,
# 2 right before and wrong after: 62 pairs, 32 right before (52 %), 50 after (81 %); 40 not asked
# before, 30 right (75 %). visa-work: 5 pairs, shown greyed.
CELLS = {("passport-keep", Cell.PAIRED_RR): 30, ("passport-keep", Cell.PAIRED_WR): 20,
         ("passport-keep", Cell.PAIRED_WW): 10, ("passport-keep", Cell.PAIRED_RW): 2,
         ("passport-keep", Cell.SKIPPED): 7, ("passport-keep", Cell.BEFORE_WRONG_NO_AFTER): 11,
         ("passport-keep", Cell.CONTROL_RIGHT): 30, ("passport-keep", Cell.CONTROL_WRONG): 10,
         ("visa-work", Cell.PAIRED_WR): 5}


def fill(data_dir: Path, kiosk_id: str = "shymkent-1", day: dt.datetime = dt.datetime(2025, 5, 10, 11)) -> Clock:
    save_settings(data_dir / "settings.yaml", Settings(kiosk_id=kiosk_id, evidence=True))
    clock = Clock(day)
    store = open_store(data_dir, clock)
    store.record("visit", "en")
    for (question, cell), n in CELLS.items():
        for _ in range(n):
            store.record("evidence", "en", question, int(cell))
    store.close()
    return clock


def test_report_has_an_evidence_page_in_plain_words(data_dir: Path, tmp_path: Path, qapp: object) -> None:
    fill(data_dir)
    out = tmp_path / "report.pdf"
    assert main(["stats", "report", "--output", str(out), "--lang", "en", "--since", "2025-05-01",
                 "--until", "2025-05-30", "--data-dir", str(data_dir)]) == 0
    assert pdf_pages(out) == 2
    text = " ".join(pdf_text(out).split())
    assert EVIDENCE_TITLE in text
    assert ("Of 67 visitors who answered the same question before and after, 48% knew it before and 82% after: "
            "34 points more (95 %: 20 to 46).") in text
    assert ("Of 62 visitors who answered the same question before and after, 52% knew it before and 81% after: "
            "29 points more (95 %: 15 to 41).") in text
    assert "Of 40 visitors who were not asked before, 75% answered it right in the quiz." in text
    assert "A recruiter offers to keep your passport safe for you." in text  # the question by its text
    assert "of 85 visitors asked before, 7 skipped and 11 left" in text
    assert "Of 5 visitors who answered the same question before and after" in text  # small: grey, not hidden


def test_report_in_russian_and_without_evidence_one_page(data_dir: Path, tmp_path: Path, qapp: object) -> None:
    fill(data_dir)
    out = tmp_path / "ru.pdf"
    assert main(["stats", "report", "--output", str(out), "--lang", "ru", "--since", "2025-05-01",
                 "--until", "2025-05-30", "--data-dir", str(data_dir)]) == 0
    text = " ".join(pdf_text(out).split())
    assert I18n().gettext(SAID_LIMITS, "ru").split(":")[0] in text
    assert "Из 67 посетителей" in text
    out = tmp_path / "june.pdf"
    assert main(["stats", "report", "--output", str(out), "--since", "2025-06-01", "--until", "2025-06-30",
                 "--data-dir", str(data_dir)]) == 0
    assert pdf_pages(out) == 1


def test_export_evidence_has_its_own_fixed_header(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir)
    out = tmp_path / "evidence.csv"
    assert main(["stats", "export", "--evidence", "--output", str(out), "--data-dir", str(data_dir)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == [",".join(EXPORT_COLUMNS),
                     "2025-05-10,shymkent-1,en,passport-keep,30,2,20,10,0,11,7,30,10",
                     "2025-05-10,shymkent-1,en,visa-work,0,0,5,0,0,0,0,0,0"]
    assert lines[0] == ("date,kiosk_id,language,question,paired_rr,paired_rw,paired_wr,paired_ww,"
                        "before_right_no_after,before_wrong_no_after,skipped,control_right,control_wrong")


def test_merge_and_fleet_report_add_the_kiosks_up(tmp_path: Path, qapp: object) -> None:
    outbox = tmp_path / "outbox"
    for kiosk in ("k1", "k2"):
        data_dir = tmp_path / kiosk
        clock = fill(data_dir, kiosk)
        clock.advance(days=1)
        with open_store(data_dir, clock, readonly=True) as store:
            write_daily_files(store, outbox, kiosk)
    merged = tmp_path / "merged-evidence.csv"
    assert main(["stats", "merge", "--evidence", str(outbox), "--output", str(merged)]) == 0
    lines = merged.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and lines[1].startswith("2025-05-10,k1,en,passport-keep,30,")
    out = tmp_path / "fleet.pdf"
    assert main(["stats", "report", "--fleet", str(outbox), "--output", str(out), "--lang", "en",
                 "--data-dir", str(tmp_path / "k1")]) == 0
    assert pdf_pages(out) == 4  # all kiosks, their evidence, then one page per kiosk
    text = " ".join(pdf_text(out).split())
    assert "Of 134 visitors who answered the same question before and after" in text
