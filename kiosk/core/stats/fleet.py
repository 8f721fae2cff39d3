"""Statistics for a fleet of kiosks: one immutable CSV per kiosk and day, and merging them.

Each kiosk writes `<outbox>/<kiosk_id>/<YYYY-MM-DD>.csv` (the export's header and that day's rows)
once the day is over, and never writes that file again. The outbox is a Syncthing send-only
folder, so the NGO receives new files and nothing is ever edited in place; the live SQLite file
never leaves the kiosk. A day's file is written once: events that a wrong clock puts on a day
already written stay in the kiosk's own file (and its CSV export) but are not sent.

`merge` reads any number of such folders (the NGO's receive-only copies, one per kiosk or one
for all) and writes one CSV with the same header: a (date, kiosk, language) row seen twice is
counted once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import kiosk.core.stats.evidence as evidence
from kiosk.core.stats.stats import EXPORT_COLUMNS, DayRow, Figures, write_csv

log = logging.getLogger(__name__)

_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.csv")
_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
STIGNORE = "*.part\n"
_INT_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c not in ("date", "kiosk_id", "language", "quiz_score_avg"))


def safe_kiosk_id(kiosk_id: str) -> str:
    """A kiosk id usable as a folder name on every system."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "-", kiosk_id).strip(".-") or "kiosk"
    return cleaned[:64]


def write_daily_files(store: Any, outbox: Path, kiosk_id: str, today: dt.date | None = None) -> list[Path]:
    """Writes the missing files of every finished day (before `today`) that has events; returns them.

    `store` is a kiosk.core.stats.stats.StatsStore (its public `day_rows` and `today`)."""
    today = today or store.today()
    by_day: dict[dt.date, list[DayRow]] = {}
    for row in store.day_rows(None, today - dt.timedelta(days=1)):
        by_day.setdefault(row.day, []).append(row)
    # evidence hook: the day's evidence counters go beside it as <date>.evidence.csv (stats/evidence.py)
    evidence_files = evidence.write_evidence_files(store.evidence_rows(None, today - dt.timedelta(days=1)),
                                                outbox / safe_kiosk_id(kiosk_id), kiosk_id, today)
    if not by_day:
        return evidence_files
    folder = outbox / safe_kiosk_id(kiosk_id)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = outbox / ".stignore"
    if not ignore.exists():
        ignore.write_text(STIGNORE, encoding="utf-8")  # the half-written '.part' files are not sent
    existing = {p.name for p in folder.iterdir()}
    written = []
    for day, rows in sorted(by_day.items()):
        name = f"{day.isoformat()}.csv"
        if name in existing:
            continue  # written once, never again
        target = folder / name
        tmp = folder / f".{name}.part"
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write_csv(fh, rows, kiosk_id)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        written.append(target)
    written += evidence_files
    if written:
        log.info("statistics: %d daily file(s) written to %s", len(written), folder)
    return written


def write_outbox(data_dir: Path, outbox: Path, kiosk_id: str) -> list[Path]:
    """What the running kiosk calls now and then (off the GUI thread): opens the statistics
    read-only beside the kiosk's own writer and writes the missing daily files."""
    from kiosk.core.stats.stats import StatsUnavailable, open_store

    try:
        store = open_store(data_dir, readonly=True)
    except StatsUnavailable as exc:
        log.warning("outbox: statistics cannot be read: %s", exc)
        return []
    with store:
        return write_daily_files(store, outbox, kiosk_id)


@dataclass(frozen=True)
class FleetRow:
    """One checked line of a daily file: the export's columns, as text, as the kiosk wrote them."""

    day: str  # YYYY-MM-DD
    kiosk_id: str
    language: str
    values: tuple[str, ...]  # every column of EXPORT_COLUMNS

    def number(self, column: str) -> int:
        return int(self.values[_INDEX[column]])

    @property
    def quiz_score_total(self) -> int:
        avg = self.values[_INDEX["quiz_score_avg"]]
        return round(float(avg) * self.number("quizzes_finished")) if avg else 0


_INDEX = {name: i for i, name in enumerate(EXPORT_COLUMNS)}


class MergeProblem(Exception):
    pass


def day_files(folders: Iterable[Path]) -> Iterator[str]:
    """Every `<kiosk_id>/<date>.csv` below the folders (Syncthing's own and hidden files skipped)."""
    for root in folders:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if _DAY_FILE.fullmatch(name):
                    yield os.path.join(folder, name)


def _column_patterns() -> list[str]:
    parts = []
    for column in EXPORT_COLUMNS:
        if column == "date":
            parts.append(r"\d{4}-\d{2}-\d{2}")
        elif column == "kiosk_id":
            parts.append(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
        elif column == "language":
            parts.append(r"[a-z]{2,3}")
        elif column == "quiz_score_avg":
            parts.append(r"(?:\d{1,3}(?:\.\d)?)?")
        else:
            parts.append(r"\d{1,9}")
    return parts


_COLUMNS = _column_patterns()
# the export's own columns, then any the future adds at the end (ignored here)
_LINE = re.compile(",".join(_COLUMNS) + r"(?:,[^\n]*)?")
_HEADER = ",".join(EXPORT_COLUMNS)
# Every row of a file at once, as (key, row): the key is 'date,kiosk_id,language', the row the
# export's own columns (anything a future version appends is left out). No character that
# str.splitlines() takes for a line end may hide in the appended columns.
_ROWS = re.compile(
    "^(?=(" + ",".join(_COLUMNS[:3]) + "),)(" + ",".join(_COLUMNS)
    + r")(?:,[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*)?$", re.MULTILINE)


def read_day_file(path: str | Path) -> list[FleetRow]:
    return parse_rows(_read_text(path), str(path))


_MAX_DAY_FILE = 1024 * 1024  # a day's export is a few hundred bytes; more than this is not read
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _read_text(path: str | Path) -> str:
    """The start of a file as text, with no file object (tens of thousands of small files)."""
    fd = os.open(path, _READ_FLAGS)
    try:
        data = os.read(fd, 16384)  # not the whole limit at once: a 1 MiB buffer per file costs more than reading
        if len(data) == 16384:
            data += os.read(fd, _MAX_DAY_FILE - len(data))
    finally:
        os.close(fd)
    return data.decode("utf-8")


def parse_rows(text: str, where: str) -> list[FleetRow]:
    """The rows of one export; refuses anything that is not one (a file of names, a spreadsheet).
    An export has no quoting (ids and numbers only), so a line is checked by one pattern."""
    width = len(EXPORT_COLUMNS)
    rows = []
    for line in _checked_lines(text, where):
        values = tuple(line.split(",", width)[:width])
        rows.append(FleetRow(values[0], values[1], values[2], values))
    return rows


def _checked_lines(text: str, where: str) -> list[str]:
    """Every row of an export line by line, as written (the slow path: it says which line is wrong)."""
    lines = text.splitlines()
    if not lines or not (lines[0] == _HEADER or lines[0].startswith(_HEADER + ",")):
        raise MergeProblem(f"{where}: not a statistics export (the first line is not the export's header)")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        if _LINE.fullmatch(line) is None:
            raise MergeProblem(f"{where}:{n}: a row that is not a statistics row")
        rows.append(line)
    return rows


def _keyed_rows(text: str, where: str) -> list[tuple[str, str]]:
    """(date,kiosk_id,language ; the row's export columns) of every row of one export.

    One pattern finds every row of the file at once; when it does not account for every line (a bad
    row, Windows line ends, blank lines) the line-by-line path decides, and names the bad line."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first == _HEADER or first.startswith(_HEADER + ","):
        body = "" if end < 0 else text[end + 1:]
        found = _ROWS.findall(body)
        expected = body.count("\n") + (1 if body and not body.endswith("\n") else 0)
        if len(found) == expected and "\r" not in body and "\n\n" not in body:
            return found
    width = len(EXPORT_COLUMNS)
    keyed = []
    for line in _checked_lines(text, where):
        values = line.split(",", width)[:width]
        keyed.append((",".join(values[:3]), ",".join(values)))
    return keyed


def merge_lines(folders: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Every row of every day file, once per (date, kiosk, language), sorted by them, as the export's
    own CSV lines; and the files skipped. A row seen again (a second copy of a folder) replaces the first.

    Sorting the text 'date,kiosk_id,language' sorts as the three columns would: ',' comes before
    every character an id or a language may hold."""
    rows: dict[str, str] = {}
    problems = []
    for path in day_files(folders):
        try:
            rows.update(_keyed_rows(_read_text(path), path))
        except (MergeProblem, OSError, UnicodeDecodeError) as exc:
            problems.append(str(exc) if isinstance(exc, MergeProblem) else f"{path}: {exc}")
    return [rows[k] for k in sorted(rows)], problems


def merge(folders: Iterable[Path]) -> tuple[list[FleetRow], list[str]]:
    """All rows of all day files, one per (date, kiosk, language), sorted; and the files skipped."""
    lines, problems = merge_lines(folders)
    rows = []
    for line in lines:
        values = tuple(line.split(","))
        rows.append(FleetRow(values[0], values[1], values[2], values))
    return rows, problems


def write_merged(out: IO[str], rows: Iterable[FleetRow]) -> int:
    """The merged CSV: the export's header once, then every row as its kiosk wrote it."""
    return write_merged_lines(out, (",".join(item.values) for item in rows))


def write_merged_lines(out: IO[str], lines: Iterable[str]) -> int:
    """The merged CSV from `merge_lines`: the export's header once, then the rows (no quoting is
    ever needed: a row that passed the check holds ids and numbers only)."""
    out.write(_HEADER + "\n")
    n = 0
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == 4096:
            out.write("\n".join(chunk) + "\n")
            n += len(chunk)
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")
        n += len(chunk)
    return n


def fleet_figures(rows: Iterable[FleetRow], first: dt.date | None = None,
                  last: dt.date | None = None) -> tuple[Figures, dict[str, Figures]]:
    """The figures of all kiosks together and of each kiosk, for the donor report."""
    lo_text = first.isoformat() if first else ""
    hi_text = last.isoformat() if last else "9999"
    chosen = [r for r in rows if lo_text <= r.day <= hi_text]
    if not chosen:
        today = last or dt.date.today()
        return Figures(first or today, today), {}
    lo = first or dt.date.fromisoformat(min(r.day for r in chosen))
    hi = last or dt.date.fromisoformat(max(r.day for r in chosen))
    per_kiosk: dict[str, list[FleetRow]] = {}
    for r in chosen:
        per_kiosk.setdefault(r.kiosk_id, []).append(r)
    return _figures(chosen, lo, hi), {k: _figures(v, lo, hi) for k, v in sorted(per_kiosk.items())}


def _figures(rows: list[FleetRow], first: dt.date, last: dt.date) -> Figures:
    total: dict[str, int] = {}
    languages: dict[str, int] = {}
    per_day: dict[dt.date, int] = {}
    for item in rows:
        for name in ("visits", "language_switches", "slides_viewed", "quizzes_finished",
                     "leaflets_printed", "qr_shown", "print_failed", "quick_exits", "timeouts"):
            total[name] = total.get(name, 0) + item.number(name)
        total["quiz_score_total"] = total.get("quiz_score_total", 0) + item.quiz_score_total
        visits = item.number("visits")
        languages[item.language] = languages.get(item.language, 0) + visits
        day = dt.date.fromisoformat(item.day)
        per_day[day] = per_day.get(day, 0) + visits
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    finished = total.get("quizzes_finished", 0)
    return Figures(
        first=first, last=last, visits=total.get("visits", 0),
        visits_by_language=dict(sorted(((k, v) for k, v in languages.items() if v), key=lambda kv: (-kv[1], kv[0]))),
        language_switches=total.get("language_switches", 0), slides_viewed=total.get("slides_viewed", 0),
        quizzes_finished=finished,
        quiz_score_avg=total.get("quiz_score_total", 0) / finished if finished else None,
        leaflets_printed=total.get("leaflets_printed", 0), qr_shown=total.get("qr_shown", 0),
        print_failed=total.get("print_failed", 0), quick_exits=total.get("quick_exits", 0),
        timeouts=total.get("timeouts", 0), visits_per_day=tuple((d, per_day.get(d, 0)) for d in days),
    )
