"""Evidence of learning: the counters per day × language × question, their files, and the statistics.

What is stored (a table `evidence` in stats.sqlite3, and the daily files `<date>.evidence.csv`):

    evidence(day, language, question, cell, count)
      day       'YYYY-MM-DD', local time of the kiosk; never an hour: at a quiet hour one person
                could be read out of a 2×2 table
      language  the language the visit was in when it was given its question
      question  a quiz question id from the content (one marked `before: true`)
      cell      one of CELLS (kiosk/core/visit/evidence.py, `Cell`)
      count     how many visits of that day ended in that cell

Each visit adds 1 to one cell, once (or nothing: a visit not asked before that never answered its
question in a quiz). Never kept: which answer was picked, the time, the order of anything, an id.

The statistics are pure Python (math only): Wilson's score interval for one proportion, Newcombe's
method 10 for the difference of paired proportions (Newcombe 1998, Stat Med 17:873-890 and
17:2635-2650) for the gain, and Newcombe's hybrid score method 10 for the difference of two
independent proportions for the testing effect.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import operator
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kiosk.core.model import N_, NP_, I18n
from kiosk.core.visit import Cell

KIND_PREFIX = "evidence:"  # the statistics store's pending slots for evidence: kind = prefix + cell
CELLS = tuple(c.column for c in Cell)  # in the export's order
SMALL = 30  # a figure on fewer visitors than this is shown greyed, not hidden
Z95 = 1.959963984540054

SCHEMA = """CREATE TABLE IF NOT EXISTS evidence (
    day TEXT NOT NULL, language TEXT NOT NULL, question TEXT NOT NULL, cell TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, language, question, cell)) WITHOUT ROWID"""
UPSERT = """
    INSERT INTO evidence (day, language, question, cell, count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (day, language, question, cell) DO UPDATE SET count = count + excluded.count"""
_SELECT = """SELECT day, language, question, cell, SUM(count) FROM evidence
    WHERE day >= ? AND day <= ? GROUP BY day, language, question, cell"""

# The export (`kiosk stats export --evidence`), the daily files and `kiosk stats merge --evidence`:
# one row per day, kiosk, language and question. Fixed: never reorder, only append at the end.
#   date, kiosk_id, language, question
#   paired_rr, paired_rw, paired_wr, paired_ww   asked before and answered after: right/wrong before × after
#   before_right_no_after, before_wrong_no_after   answered before, never answered it in a quiz
#   skipped                                      asked before, skipped (or left on that screen)
#   control_right, control_wrong                 not asked before: right / wrong in the quiz
EXPORT_COLUMNS = ("date", "kiosk_id", "language", "question", *CELLS)
_HEADER = ",".join(EXPORT_COLUMNS)
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.evidence\.csv")
_LINE = re.compile(r"\d{4}-\d{2}-\d{2},[A-Za-z0-9][A-Za-z0-9_.-]{0,63},[a-z]{2,3},[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
                   + r",\d{1,9}" * len(CELLS) + r"(?:,[^\n]*)?")


def cell_kind(value: int) -> str | None:
    """The store's pending kind for a cell number from the session, None if it is not one."""
    try:
        return KIND_PREFIX + Cell(value).column
    except ValueError:
        return None


def upsert_rows(db: sqlite3.Connection, items: Iterable[tuple[str, str, str, str, int]]) -> None:
    """(day, language, question, cell, count): added to what is there, inside the caller's transaction."""
    db.executemany(UPSERT, list(items))


@dataclass(frozen=True)
class EvidenceRow:
    """One day, kiosk, language and question: the counts of every cell, in CELLS order."""

    day: str
    kiosk_id: str
    language: str
    question: str
    counts: tuple[int, ...]

    def count(self, cell: Cell) -> int:
        return self.counts[cell - 1]


def read_rows(db: sqlite3.Connection, first: dt.date | None, last: dt.date | None,
              kiosk_id: str = "") -> list[EvidenceRow]:
    """The table's rows between the days (inclusive), sorted. An old file without the table: none."""
    lo = (first or dt.date(1970, 1, 1)).isoformat()
    hi = (last or dt.date(9998, 12, 31)).isoformat()
    try:
        found = db.execute(_SELECT, (lo, hi)).fetchall()
    except sqlite3.OperationalError:
        return []  # "no such table": a read-only look at a file the kiosk has not opened since
    table: dict[tuple[str, str, str], list[int]] = {}
    for day, language, question, cell, count in found:
        if cell in CELLS:
            table.setdefault((day, language, question), [0] * len(CELLS))[CELLS.index(cell)] += int(count)
    return [EvidenceRow(d, kiosk_id, lang, q, tuple(c)) for (d, lang, q), c in sorted(table.items())]


def write_evidence_csv(out: IO[str], rows: Iterable[EvidenceRow], kiosk_id: str | None = None) -> int:
    """EXPORT_COLUMNS, then one line per row (the kiosk id given, or each row's own)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for row in rows:
        writer.writerow([row.day, kiosk_id if kiosk_id is not None else row.kiosk_id, row.language, row.question,
                         *row.counts])
        n += 1
    return n


# -- the outbox and merging ------------------------------------------------------------------
def write_evidence_files(rows: Iterable[EvidenceRow], folder: Path, kiosk_id: str, today: dt.date) -> list[Path]:
    """`<folder>/<date>.evidence.csv` for every finished day (before `today`) with counters and no
    file yet. Written once and never again, like the day's statistics file beside it."""
    by_day: dict[str, list[EvidenceRow]] = {}
    for row in rows:
        if row.day < today.isoformat():
            by_day.setdefault(row.day, []).append(row)
    if not by_day:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    existing = {p.name for p in folder.iterdir()}
    written = []
    for day, day_rows in sorted(by_day.items()):
        name = f"{day}.evidence.csv"
        if name in existing:
            continue
        tmp = folder / f".{name}.part"
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write_evidence_csv(fh, day_rows, kiosk_id)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
        written.append(folder / name)
    return written


class EvidenceFileProblem(Exception):
    pass


def parse_rows(text: str, where: str) -> list[EvidenceRow]:
    """The rows of one evidence export; refuses anything else."""
    lines = text.splitlines()
    if not lines or not (lines[0] == _HEADER or lines[0].startswith(_HEADER + ",")):
        raise EvidenceFileProblem(f"{where}: not an evidence export (the first line is not its header)")
    rows = []
    width = len(EXPORT_COLUMNS)
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        if _LINE.fullmatch(line) is None:
            raise EvidenceFileProblem(f"{where}:{n}: a row that is not an evidence row")
        values = line.split(",", width)[:width]
        rows.append(EvidenceRow(values[0], values[1], values[2], values[3], tuple(int(v) for v in values[4:])))
    return rows


def day_files(folders: Iterable[Path]) -> Iterator[str]:
    for root in folders:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if DAY_FILE.fullmatch(name):
                    yield os.path.join(folder, name)


def merge_evidence(folders: Iterable[Path]) -> tuple[list[EvidenceRow], list[str]]:
    """Every row of every `<date>.evidence.csv` below the folders, one per (date, kiosk, language,
    question) however often a file was delivered; and the files skipped, with why."""
    rows: dict[tuple[str, str, str, str], EvidenceRow] = {}
    problems = []
    for path in day_files(folders):
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                for row in parse_rows(fh.read(4 * 1024 * 1024), path):
                    rows[(row.day, row.kiosk_id, row.language, row.question)] = row
        except (EvidenceFileProblem, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc) if isinstance(exc, EvidenceFileProblem) else f"{path}: {exc}")
    return [rows[k] for k in sorted(rows)], problems


# -- statistics -------------------------------------------------------------------------------
def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for one proportion (Newcombe 1998a, method 3)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = 2 * n * p + z * z
    spread = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    denominator = 2 * (n + z * z)
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def paired_difference(rr: int, rw: int, wr: int, ww: int, z: float = Z95) -> tuple[float, float, float]:
    """after − before, as a share, with Newcombe's method 10 interval for paired proportions.

    rr: right before and after; rw: right before, wrong after; wr: wrong before, right after; ww: wrong
    both times. Returns (difference, low, high); (0, -1, 1) with no pairs."""
    n = rr + rw + wr + ww
    if n == 0:
        return 0.0, -1.0, 1.0
    after, before = (rr + wr) / n, (rr + rw) / n
    l1, u1 = wilson(rr + wr, n, z)
    l2, u2 = wilson(rr + rw, n, z)
    # phi: the correlation of the two answers, with Newcombe's correction (A - n/2 when A > n/2, 0 up to it)
    margins = (rr + wr) * (rw + ww) * (rr + rw) * (wr + ww)
    phi = 0.0
    if margins > 0:
        a = rr * ww - rw * wr
        if a > n / 2:
            phi = (a - n / 2) / math.sqrt(margins)
        elif a < 0:
            phi = a / math.sqrt(margins)
    d = after - before
    low = d - math.sqrt(max(0.0, (after - l1) ** 2 - 2 * phi * (after - l1) * (u2 - before) + (u2 - before) ** 2))
    high = d + math.sqrt(max(0.0, (u1 - after) ** 2 - 2 * phi * (u1 - after) * (before - l2) + (before - l2) ** 2))
    return d, max(-1.0, low), min(1.0, high)


def independent_difference(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """x1/n1 − x2/n2 with Newcombe's hybrid score interval (1998b, method 10)."""
    if n1 == 0 or n2 == 0:
        return 0.0, -1.0, 1.0
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


@dataclass(frozen=True)
class Tally:
    """The cells of many rows added up."""

    counts: tuple[int, ...] = (0,) * len(CELLS)

    def __add__(self, other: Tally) -> Tally:
        return Tally(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    def __getitem__(self, cell: Cell) -> int:
        return self.counts[cell - 1]


@dataclass(frozen=True)
class QuestionEvidence:
    """Figures for one question ('' = all questions together): what the report shows."""

    question: str
    tally: Tally

    @property
    def paired(self) -> int:
        """Visitors who answered the same question before and after."""
        t = self.tally
        return t[Cell.PAIRED_RR] + t[Cell.PAIRED_RW] + t[Cell.PAIRED_WR] + t[Cell.PAIRED_WW]

    @property
    def asked(self) -> int:
        t = self.tally
        return self.paired + t[Cell.BEFORE_RIGHT_NO_AFTER] + t[Cell.BEFORE_WRONG_NO_AFTER] + t[Cell.SKIPPED]

    @property
    def no_after(self) -> int:
        return self.tally[Cell.BEFORE_RIGHT_NO_AFTER] + self.tally[Cell.BEFORE_WRONG_NO_AFTER]

    @property
    def skipped(self) -> int:
        return self.tally[Cell.SKIPPED]

    @property
    def control(self) -> int:
        """Visitors not asked before who answered it in the quiz."""
        return self.tally[Cell.CONTROL_RIGHT] + self.tally[Cell.CONTROL_WRONG]

    @property
    def before(self) -> float | None:
        t = self.tally
        return (t[Cell.PAIRED_RR] + t[Cell.PAIRED_RW]) / self.paired if self.paired else None

    @property
    def after(self) -> float | None:
        t = self.tally
        return (t[Cell.PAIRED_RR] + t[Cell.PAIRED_WR]) / self.paired if self.paired else None

    @property
    def gain(self) -> tuple[float, float, float] | None:
        """(after − before, low, high) as shares, 95 %; None without pairs."""
        if not self.paired:
            return None
        t = self.tally
        return paired_difference(t[Cell.PAIRED_RR], t[Cell.PAIRED_RW], t[Cell.PAIRED_WR], t[Cell.PAIRED_WW])

    @property
    def control_after(self) -> float | None:
        return self.tally[Cell.CONTROL_RIGHT] / self.control if self.control else None

    @property
    def testing_effect(self) -> tuple[float, float, float] | None:
        """After, asked before − after, not asked (95 %): what the before question itself taught."""
        if not self.paired or not self.control:
            return None
        t = self.tally
        return independent_difference(t[Cell.PAIRED_RR] + t[Cell.PAIRED_WR], self.paired,
                                      t[Cell.CONTROL_RIGHT], self.control)

    @property
    def small(self) -> bool:
        """Fewer than SMALL pairs: shown greyed."""
        return self.paired < SMALL


@dataclass(frozen=True)
class EvidenceFigures:
    overall: QuestionEvidence
    questions: tuple[QuestionEvidence, ...]  # most pairs first

    @property
    def empty(self) -> bool:
        return self.overall.asked == 0 and self.overall.control == 0


def evidence_figures(rows: Iterable[EvidenceRow], first: dt.date | None = None,
                     last: dt.date | None = None) -> EvidenceFigures:
    """The figures of the report, the fleet report and (later) the fleet page, from any rows:
    one kiosk's (`StatsStore.evidence_rows`) or many kiosks' (`merge`)."""
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999"
    sums: dict[str, list[int]] = {}
    for row in rows:
        if lo <= row.day <= hi:
            acc = sums.get(row.question)
            if acc is None:
                acc = sums[row.question] = [0] * len(CELLS)
            acc[:] = map(operator.add, acc, row.counts)  # a fleet's year is about a million rows
    per_question = {q: Tally(tuple(acc)) for q, acc in sums.items()}
    total = Tally()
    for tally in per_question.values():
        total = total + tally
    questions = sorted((QuestionEvidence(q, t) for q, t in per_question.items()),
                       key=lambda e: (-e.paired, e.question))
    return EvidenceFigures(QuestionEvidence("", total), tuple(questions))


def evidence_as_dict(figures: EvidenceFigures) -> dict[str, Any]:
    """Plain numbers (for JSON and the fleet page)."""

    def one(e: QuestionEvidence) -> Mapping[str, Any]:
        return {"question": e.question, "paired": e.paired, "before": e.before, "after": e.after,
                "gain": e.gain, "control": e.control, "control_after": e.control_after,
                "testing_effect": e.testing_effect, "asked": e.asked, "no_after": e.no_after,
                "skipped": e.skipped, "small": e.small}

    return {"overall": one(figures.overall), "questions": [one(q) for q in figures.questions]}


# -- the figures in plain words (the donor report, the fleet report, and the fleet page later) -------
# TRANSLATORS: evidence of learning, report. {n} a number of visitors; {before} and {after} percents
# like 38 %; {gain}, {low}, {high} whole numbers of percentage points (95 % interval).
SAID_MORE = NP_("Of {n} visitor who answered the same question before and after, {before} knew it before and "
                "{after} after: {gain} points more (95 %: {low} to {high}).",
                "Of {n} visitors who answered the same question before and after, {before} knew it before and "
                "{after} after: {gain} points more (95 %: {low} to {high}).")
# TRANSLATORS: as above, when fewer knew it after than before; {gain} is then a positive number.
SAID_FEWER = NP_("Of {n} visitor who answered the same question before and after, {before} knew it before and "
                 "{after} after: {gain} points fewer (95 %: {low} to {high}).",
                 "Of {n} visitors who answered the same question before and after, {before} knew it before and "
                 "{after} after: {gain} points fewer (95 %: {low} to {high}).")
# TRANSLATORS: evidence of learning, report: the comparison group. {n} visitors, {after} a percent.
SAID_CONTROL = NP_("Of {n} visitor who was not asked before, {after} answered it right in the quiz.",
                   "Of {n} visitors who were not asked before, {after} answered it right in the quiz.")
# TRANSLATORS: evidence of learning, report: what the question before the slides itself taught.
# {effect}, {low}, {high} are whole numbers of percentage points, with a sign (+5, −2).
SAID_TESTING = N_("Being asked before changed the score after by {effect} points (95 %: {low} to {high}).")
# TRANSLATORS: evidence of learning, report, when no visitor answered before and after.
SAID_NONE = N_("No visitor answered a question before and after in this period.")
# TRANSLATORS: evidence of learning, report: the limits of the figures, in plain words. Numbers of visitors.
SAID_LIMITS = N_("Only visitors who reach the quiz are counted: of {asked} visitors asked before, {skipped} "
                 "skipped and {left} left before answering it again in the quiz. Who is asked is chosen at "
                 "random. A figure on fewer than 30 visitors is shown in grey.")


def _points(share: float) -> int:
    return round(share * 100)


def _signed(points: int, i18n: I18n, language: str) -> str:
    text = i18n.format_number(abs(points), language)
    return f"+{text}" if points > 0 else f"−{text}" if points < 0 else text


def evidence_sentences(e: QuestionEvidence, language: str, i18n: I18n) -> list[str]:
    """The figures of one question (or of all) in plain words, in `language` (an I18n)."""
    from babel.numbers import format_percent

    from kiosk.core.model import BABEL_LOCALES

    locale = BABEL_LOCALES.get(language, "en")
    def number(value: float) -> str:
        return i18n.format_number(value, language)

    said: list[str] = []
    gain = e.gain
    if gain is None or e.before is None or e.after is None:
        said.append(i18n.gettext(SAID_NONE, language))
    else:
        points, low, high = _points(gain[0]), _points(gain[1]), _points(gain[2])
        pair = SAID_MORE if points >= 0 else SAID_FEWER
        said.append(i18n.ngettext(pair[0], pair[1], e.paired, language).format(
            n=number(e.paired), before=format_percent(e.before, locale=locale),
            after=format_percent(e.after, locale=locale), gain=number(abs(points)),
            low=_signed(low, i18n, language) if low < 0 else number(low),
            high=_signed(high, i18n, language) if low < 0 else number(high)))
    if e.control_after is not None:
        said.append(i18n.ngettext(SAID_CONTROL[0], SAID_CONTROL[1], e.control, language).format(
            n=number(e.control), after=format_percent(e.control_after, locale=locale)))
    effect = e.testing_effect
    if effect is not None:
        said.append(i18n.gettext(SAID_TESTING, language).format(
            effect=_signed(_points(effect[0]), i18n, language), low=_signed(_points(effect[1]), i18n, language),
            high=_signed(_points(effect[2]), i18n, language)))
    return said


def evidence_limits(e: QuestionEvidence, language: str, i18n: I18n) -> str:
    def number(value: float) -> str:
        return i18n.format_number(value, language)

    return i18n.gettext(SAID_LIMITS, language).format(asked=number(e.asked), skipped=number(e.skipped),
                                                      left=number(e.no_after))
