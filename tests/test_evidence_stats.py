"""Evidence of learning, the numbers: the counters per day × language × question, their files,
and the statistics, checked against published worked examples and by simulation."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import sqlite3
from pathlib import Path

import pytest

import kiosk.core.stats.evidence as evidence
from kiosk.core.stats.evidence import (
    CELLS,
    EXPORT_COLUMNS,
    QuestionEvidence,
    Tally,
    evidence_figures,
    independent_difference,
    merge_evidence,
    paired_difference,
    parse_rows,
    wilson,
)
from kiosk.core.stats.fleet import write_daily_files
from kiosk.core.stats.stats import open_store
from kiosk.core.visit import Cell
from kiosk.devtools.evidence_sim import TrueRates, dataset
from tests.support import Clock

# -- the statistics against published worked examples ----------------------------------------------


def test_wilson_matches_newcombe_1998a() -> None:
    # Newcombe (1998), Stat Med 17:857, Table I: 81/263, method 3 (score): 0.2553 to 0.3662.
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_paired_difference_matches_fagerland_2014() -> None:
    # Fagerland, Lydersen & Laake (2014), Stat Med 33:2850, the Cavo et al. (2012) table
    # [[59, 6], [16, 80]]: difference -0.0621, Newcombe square-and-add 95 %: -0.1186 to -0.0046.
    # Here after = the table's first margin (59 + 6), before = its first column (59 + 16).
    d, low, high = paired_difference(rr=59, rw=16, wr=6, ww=80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (-0.0621, -0.1186, -0.0046)


def test_independent_difference_matches_newcombe_1998b() -> None:
    # Newcombe (1998), Stat Med 17:873, Table II example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
    d, low, high = independent_difference(56, 70, 48, 80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)


@pytest.mark.parametrize("cells", [(0, 0, 0, 0), (10, 0, 0, 0), (0, 0, 0, 10), (0, 0, 10, 0), (0, 10, 0, 0),
                                   (1, 0, 0, 0), (3, 1, 7, 2)])
def test_paired_interval_stays_sane_at_the_edges(cells: tuple[int, int, int, int]) -> None:
    d, low, high = paired_difference(*cells)
    assert -1.0 <= low <= d <= high <= 1.0


# -- by simulation -------------------------------------------------------------------------------

def test_the_interval_covers_the_true_gain_95_percent_of_the_time_and_finds_the_testing_effect() -> None:
    """500 datasets from known true rates (before 40 %, after 80 %, the before question adding
    5 points, 15 % skip, 55 % leave before the quiz): the 95 % interval of the gain covers the
    true gain 93 to 97 % of the time, and the testing effect comes back."""
    rates = TrueRates()
    assert rates.gain == pytest.approx(0.45)
    rng = random.Random(20240524)
    covered = covered_testing = 0
    effects = []
    for _ in range(500):
        e = QuestionEvidence("q", Tally(dataset(rates, 600, rng)))
        assert e.paired > 60 and e.control > 60  # realistic drop-out, still enough to count
        gain = e.gain
        testing = e.testing_effect
        assert gain is not None and testing is not None
        covered += gain[1] <= rates.gain <= gain[2]
        covered_testing += testing[1] <= rates.testing <= testing[2]
        effects.append(testing[0])
    assert 0.93 <= covered / 500 <= 0.97
    assert 0.93 <= covered_testing / 500 <= 0.97
    assert sum(effects) / len(effects) == pytest.approx(rates.testing, abs=0.01)
    # and the comparison the other way: without a testing effect, none is found
    rng = random.Random(7)
    none = TrueRates(testing=0.0)
    effects = [QuestionEvidence("q", Tally(dataset(none, 600, rng))).testing_effect[0]  # type: ignore[index]
               for _ in range(200)]
    assert sum(effects) / len(effects) == pytest.approx(0.0, abs=0.01)


# -- the counters ------------------------------------------------------------------------------------

def test_evidence_is_counted_per_day_language_question_and_cell_only(data_dir: Path) -> None:
    clock = Clock(dt.datetime(2025, 5, 20, 9, 5))
    store = open_store(data_dir, clock)
    store.record("evidence", "kk", "passport-keep", int(Cell.PAIRED_WR))
    clock.advance(hours=8)  # later the same day: the same row, no hour kept
    store.record("evidence", "kk", "passport-keep", int(Cell.PAIRED_WR))
    store.record("evidence", "ru", "passport-keep", int(Cell.SKIPPED))
    store.record("evidence", "kk", "passport-keep", 99)  # not a cell: refused
    store.record("evidence", "kk", "", int(Cell.SKIPPED))  # no question: refused
    clock.advance(days=1)
    store.record("evidence", "kk", "visa-type", int(Cell.CONTROL_RIGHT))
    store.close()
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        assert sorted(db.execute("SELECT * FROM evidence")) == [
            ("2025-05-20", "kk", "passport-keep", "paired_wr", 2),
            ("2025-05-20", "ru", "passport-keep", "skipped", 1),
            ("2025-05-21", "kk", "visa-type", "control_right", 1),
        ]
        assert db.execute("SELECT COUNT(*) FROM hourly WHERE kind LIKE 'evidence%'").fetchone() == (0,)
    reader = open_store(data_dir, readonly=True)
    with reader:
        rows = reader.evidence_rows(None, None, "k1")
    assert [(r.day, r.language, r.question, r.count(Cell.PAIRED_WR), r.count(Cell.SKIPPED)) for r in rows] == [
        ("2025-05-20", "kk", "passport-keep", 2, 0), ("2025-05-20", "ru", "passport-keep", 0, 1),
        ("2025-05-21", "kk", "visa-type", 0, 0)]


def test_an_old_statistics_file_without_the_table_reads_as_no_evidence(data_dir: Path) -> None:
    store = open_store(data_dir, Clock())
    store.record("visit", "kk")
    store.close()
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        db.execute("DROP TABLE evidence")
        db.commit()
    with open_store(data_dir, readonly=True) as reader:
        assert reader.evidence_rows() == []
    with open_store(data_dir, Clock()) as writer:  # the kiosk adds the table when it opens the file
        writer.record("evidence", "kk", "q1", int(Cell.CONTROL_WRONG))
        assert [r.count(Cell.CONTROL_WRONG) for r in writer.evidence_rows()] == [1]


def test_daily_files_carry_the_counters_and_merge_adds_kiosks_up_once(data_dir: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    for kiosk, n in (("k1", 3), ("k2", 5)):
        clock = Clock(dt.datetime(2025, 5, 20, 12, 0))
        store = open_store(data_dir / kiosk, clock)
        store.record("visit", "kk")
        for _ in range(n):
            store.record("evidence", "kk", "q1", int(Cell.PAIRED_WR))
        store.record("evidence", "kk", "q1", int(Cell.CONTROL_RIGHT))
        clock.advance(days=1)
        store.record("evidence", "kk", "q1", int(Cell.PAIRED_RR))  # today: not sent yet
        written = write_daily_files(store, outbox, kiosk)
        assert sorted(p.name for p in written) == ["2025-05-20.csv", "2025-05-20.evidence.csv"]
        assert write_daily_files(store, outbox, kiosk) == []  # once, never again
        store.close()
    text = (outbox / "k1" / "2025-05-20.evidence.csv").read_text(encoding="utf-8")
    assert text.splitlines() == [",".join(EXPORT_COLUMNS), "2025-05-20,k1,kk,q1,0,0,3,0,0,0,0,1,0"]
    copy = tmp_path / "second-delivery"
    (copy / "k1").mkdir(parents=True)
    (copy / "k1" / "2025-05-20.evidence.csv").write_text(text, encoding="utf-8")
    (copy / "k1" / "2025-05-21.evidence.csv").write_text("name,phone\nAigerim,+77001234567\n", encoding="utf-8")
    rows, problems = merge_evidence([outbox, copy])
    assert [(r.kiosk_id, r.count(Cell.PAIRED_WR)) for r in rows] == [("k1", 3), ("k2", 5)]  # k1 once
    assert len(problems) == 1 and "not an evidence export" in problems[0]
    figures = evidence_figures(rows)
    assert figures.overall.paired == 8 and figures.overall.control == 2
    out = io.StringIO()
    evidence.write_evidence_csv(out, rows)
    assert len(parse_rows(out.getvalue(), "merged")) == 2


def test_the_export_header_is_fixed() -> None:
    # Appending is fine, reordering never: spreadsheets and the NGO's scripts read by position.
    assert EXPORT_COLUMNS[:4] == ("date", "kiosk_id", "language", "question")
    assert CELLS == ("paired_rr", "paired_rw", "paired_wr", "paired_ww", "before_right_no_after",
                     "before_wrong_no_after", "skipped", "control_right", "control_wrong")


def test_figures_per_question_and_overall() -> None:
    rows = [evidence.EvidenceRow("2025-05-20", "k", "kk", "q1", (10, 2, 20, 8, 3, 4, 5, 30, 10)),
            evidence.EvidenceRow("2025-05-21", "k", "ru", "q1", (0, 0, 0, 0, 0, 0, 0, 0, 0)),
            evidence.EvidenceRow("2025-05-21", "k", "ru", "q2", (1, 0, 1, 1, 0, 0, 0, 1, 1)),
            evidence.EvidenceRow("2025-06-30", "k", "ru", "q2", (100, 0, 0, 0, 0, 0, 0, 0, 0))]
    figures = evidence_figures(rows, dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    q1, q2 = figures.questions
    assert (q1.question, q1.paired, q1.asked, q1.no_after, q1.skipped, q1.control) == ("q1", 40, 52, 7, 5, 40)
    assert q1.before == pytest.approx(12 / 40) and q1.after == pytest.approx(30 / 40)
    assert q1.control_after == pytest.approx(0.75) and not q1.small and q2.small
    assert figures.overall.paired == 43
