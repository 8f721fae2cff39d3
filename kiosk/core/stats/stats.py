"""Anonymous usage counts in SQLite: per hour and language, nothing about any one person.

The file is `<data dir>/stats.sqlite3` (WAL, `synchronous=FULL`). These are all the columns
it keeps; docs/STAFF.md, "Statistics and privacy", repeats this list:

    hourly(hour, language, kind, key, count, total)
      hour      'YYYY-MM-DDTHH': the hour, local time of the kiosk; no minutes, no seconds
      language  the visitor language code: kk, ru, uz or en
      kind      one of KINDS (visit, slide_view, quiz_answer, ...)
      key       a slide id or a quiz question id taken from the content, else ''
      count     how many such events happened in that hour
      total     the sum of their values: right answers for quiz_answer (1 right, 0 wrong),
                score percents for quiz_finished, else equal to count
    daily(day, language, kind, key, count, total)
      the same, added up per day 'YYYY-MM-DD' once an hour is HOURLY_RETENTION_DAYS old

    evidence(day, language, question, cell, count)
      evidence of learning, per day only (never per hour): see kiosk/core/stats/evidence.py

Never kept: a visitor or session id, the order of one person's events, minutes or seconds,
anything a visitor types, which answer was picked (only right or wrong), device or network ids.
The kiosk id is not stored either: one file belongs to one kiosk, and exports add the id from
the settings.

Statistics must never stop the kiosk: `record()` never raises. When the file cannot be written
(a full disk, a read-only folder, another program holding a lock) events wait in memory,
added up by (hour, language, kind, key) and bounded by MAX_PENDING, and are written at the next
try. A damaged or unreadable file is set aside as `stats.sqlite3.corrupt-YYYYmmdd-HHMMSS` and a
new one is started; `warnings` tells staff.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import kiosk.core.stats.evidence as evidence
from kiosk.core.model import N_

log = logging.getLogger(__name__)

DB_NAME = "stats.sqlite3"
SCHEMA_VERSION = 1
# Hours are needed for "today" and recent days only. An hour at a quiet time can hold a
# single visitor, so hourly rows are also the closest the file gets to one person's path:
# after five weeks they are added up into days.
HOURLY_RETENTION_DAYS = 35
BUSY_TIMEOUT_MS = 200  # a tap never waits longer than this for a lock held by another program
RETRY_AFTER = dt.timedelta(seconds=30)
MAX_PENDING = 2000  # distinct (hour, language, kind, key) slots kept in memory while unsaved
MAX_VALUE = 1_000_000

KINDS = frozenset({
    "visit",  # a visitor chose a language: one per visit
    "language_switch",  # a visitor changed language during a visit
    "slide_view",  # key = slide id
    "quick_exit",
    "timeout",
    "quiz_answer",  # key = question id, value 1 right / 0 wrong
    "quiz_finished",  # value = score percent
    "leaflet_printed",
    "qr_shown",
    "print_failed",
    "evidence",  # key = question id, value = a visit/evidence.py Cell: counted per DAY (stats/evidence.py)
})

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z]{2,8})?")
# Keys come from the content (slide and question ids), never from a visitor: anything that
# does not look like an id is refused rather than stored.
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS hourly (
        hour TEXT NOT NULL, language TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
        count INTEGER NOT NULL, total INTEGER NOT NULL,
        PRIMARY KEY (hour, language, kind, key)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS daily (
        day TEXT NOT NULL, language TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
        count INTEGER NOT NULL, total INTEGER NOT NULL,
        PRIMARY KEY (day, language, kind, key)) WITHOUT ROWID""",
)
_UPSERT_HOURLY = """
    INSERT INTO hourly (hour, language, kind, key, count, total) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (hour, language, kind, key)
    DO UPDATE SET count = count + excluded.count, total = total + excluded.total"""
_ROLL_UP = """
    INSERT INTO daily (day, language, kind, key, count, total)
    SELECT substr(hour, 1, 10), language, kind, key, SUM(count), SUM(total)
    FROM hourly WHERE hour < :cutoff GROUP BY substr(hour, 1, 10), language, kind, key
    ON CONFLICT (day, language, kind, key)
    DO UPDATE SET count = count + excluded.count, total = total + excluded.total"""
# Both tables, as days; hours are compared as text ('2025-05-01' < '2025-05-01T00' < '2025-05-02').
_PER_DAY = """
    SELECT day, language, kind, key, SUM(count), SUM(total) FROM (
        SELECT substr(hour, 1, 10) AS day, language, kind, key, count, total FROM hourly
        WHERE hour >= :first AND hour < :after
        UNION ALL
        SELECT day, language, kind, key, count, total FROM daily
        WHERE day >= :first AND day < :after)
    GROUP BY day, language, kind, key"""

# SQLite primary result codes (the low byte of extended codes).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26

# TRANSLATORS: staff screen warning. {name} is a file name like stats.sqlite3.corrupt-20250501-101500.
SET_ASIDE = N_("A damaged statistics file was set aside as {name} and counting started again in a new "
               "file. Keep it for the NGO if figures are missing; delete it to clear this warning.")
# TRANSLATORS: staff screen warning; {count} is a number of counted events (visits, slides, ...).
NOT_SAVED_FULL = N_("The disk is full. Statistics events waiting in memory: {count}.")
# TRANSLATORS: staff screen warning; {count} is a number of counted events (visits, slides, ...).
NOT_SAVED_READONLY = N_("The statistics file cannot be written (a read-only or missing folder). "
                        "Statistics events waiting in memory: {count}.")
# TRANSLATORS: staff screen warning; {count} is a number of counted events (visits, slides, ...).
NOT_SAVED_BUSY = N_("The statistics file is in use by another program. "
                    "Statistics events waiting in memory: {count}.")
# TRANSLATORS: staff screen warning; {count} is a number of counted events (visits, slides, ...).
NOT_SAVED_OTHER = N_("Statistics cannot be saved right now. Statistics events waiting in memory: {count}.")
# TRANSLATORS: staff screen warning; {count} is a number of counted events (visits, slides, ...).
LOST = N_("Statistics events lost because they could not be saved: {count}.")


class StatsUnavailable(Exception):
    """Only from a read-only store (the command line): the file is damaged or unreadable."""


class _Damaged(Exception):
    pass


@dataclass(frozen=True)
class StatsWarning:
    """Something staff should know. Show `i18n.gettext(w.message).format(**w.params)`."""

    code: str  # "set_aside", "not_saved" or "lost"
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    def text(self) -> str:
        return self.message.format(**self.params)


@dataclass(frozen=True)
class QuestionRate:
    question: str  # the question id from the content
    answers: int
    right: int

    @property
    def rate(self) -> float:
        """Share of right answers, 0.0 to 1.0."""
        return self.right / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class Figures:
    """What the staff screen and the donor report show, for the days first..last (inclusive)."""

    first: dt.date
    last: dt.date
    visits: int = 0
    visits_by_language: Mapping[str, int] = field(default_factory=dict)  # most visits first
    language_switches: int = 0
    slides_viewed: int = 0
    slide_views: Mapping[str, int] = field(default_factory=dict)  # slide id -> views
    quizzes_finished: int = 0
    quiz_score_avg: float | None = None  # percent; None when no quiz was finished
    questions: tuple[QuestionRate, ...] = ()  # lowest right-answer rate first
    leaflets_printed: int = 0
    qr_shown: int = 0
    print_failed: int = 0
    quick_exits: int = 0
    timeouts: int = 0
    visits_per_day: tuple[tuple[dt.date, int], ...] = ()  # every day of the period, zeros too
    unsaved: int = 0  # events still waiting in memory, not in these figures

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class DayRow:
    """One day in one language: a line of the CSV export."""

    day: dt.date
    language: str
    visits: int = 0
    language_switches: int = 0
    slides_viewed: int = 0
    quizzes_finished: int = 0
    quiz_score_total: int = 0
    quiz_answers: int = 0
    quiz_right: int = 0
    leaflets_printed: int = 0
    qr_shown: int = 0
    print_failed: int = 0
    quick_exits: int = 0
    timeouts: int = 0

    @property
    def quiz_score_avg(self) -> float | None:
        return self.quiz_score_total / self.quizzes_finished if self.quizzes_finished else None


# The CSV export, one row per day, kiosk and language. Fixed, so that files from many kiosks can
# be concatenated: never reorder, only append new columns at the end.
#   date               YYYY-MM-DD, local time of the kiosk
#   kiosk_id           `kiosk_id` from the kiosk's settings
#   language           kk, ru, uz or en: the language the events happened in
#   visits             visitors who chose this language first
#   language_switches  changes to this language during a visit
#   slides_viewed      slide pages shown (a page seen twice counts twice)
#   quizzes_finished   quizzes played to the end
#   quiz_score_avg     their average score in percent, one decimal; empty when no quiz finished
#                      (to combine rows, weight it by quizzes_finished)
#   quiz_answers       quiz questions answered
#   quiz_right         of those, answered right
#   leaflets_printed, qr_shown, print_failed, quick_exits, timeouts: counts of those events
EXPORT_COLUMNS = (
    "date", "kiosk_id", "language", "visits", "language_switches", "slides_viewed", "quizzes_finished",
    "quiz_score_avg", "quiz_answers", "quiz_right", "leaflets_printed", "qr_shown", "print_failed",
    "quick_exits", "timeouts",
)

# kind -> (DayRow field for count, DayRow field for total or "")
_DAY_FIELDS = {
    "visit": ("visits", ""),
    "language_switch": ("language_switches", ""),
    "slide_view": ("slides_viewed", ""),
    "quiz_finished": ("quizzes_finished", "quiz_score_total"),
    "quiz_answer": ("quiz_answers", "quiz_right"),
    "leaflet_printed": ("leaflets_printed", ""),
    "qr_shown": ("qr_shown", ""),
    "print_failed": ("print_failed", ""),
    "quick_exit": ("quick_exits", ""),
    "timeout": ("timeouts", ""),
}


def _code(exc: BaseException) -> int:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    for words, value in (("not a database", _NOTADB), ("malformed", _CORRUPT), ("locked", _BUSY),
                         ("full", _FULL), ("readonly", _READONLY), ("unable to open", _CANTOPEN)):
        if words in text:
            return value
    return 1


class StatsStore:
    """Counts events; answers the staff screen's and the report's questions.

    `clock` returns the local time as a datetime; tests pass a fake one to simulate days.
    A `readonly` store (the command line, while the kiosk may be running) never writes,
    never sets a file aside, and raises StatsUnavailable if the file is damaged.
    """

    def __init__(self, data_dir: Path, clock: Callable[[], dt.datetime] | None = None,
                 readonly: bool = False, durable: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.readonly = readonly
        self.durable = durable  # False only for simulations: no fsync per event
        self._clock = clock or dt.datetime.now
        self._lock = threading.RLock()  # printing reports from a worker thread
        self._db: sqlite3.Connection | None = None
        self._pending: dict[tuple[str, str, str, str], list[int]] = {}
        self._unsaved = 0
        self._lost = 0
        self._retry_at: dt.datetime | None = None
        self._failure = 0  # SQLite code of the current write failure, 0 when writing works
        self._aside_name = ""  # where a damaged file was set aside
        self._rolled_up_on: dt.date | None = None
        self._refused: set[str] = set()
        with self._lock:
            self._open()

    # -- recording -------------------------------------------------------------------------
    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None:
        """Count one event. Never raises: statistics must never stop the kiosk."""
        try:
            with self._lock:
                self._record(kind, language, key, value)
        except Exception:  # noqa: BLE001
            log.exception("statistics: an event was not counted")

    def _record(self, kind: str, language: str, key: str, value: int) -> None:
        if self.readonly:
            raise RuntimeError("this statistics store was opened read-only")
        if kind not in KINDS or not _LANGUAGE.fullmatch(language) or key and not _KEY.fullmatch(key):
            what = f"{kind!r} {language!r} {key[:80]!r}"
            if what not in self._refused and len(self._refused) < 100:
                self._refused.add(what)
                log.warning("statistics: refused to count the unknown event %s", what)
            return
        value = max(0, min(int(value), MAX_VALUE))
        if kind == "quiz_answer":
            value = 1 if value else 0
        now = self._now()
        slot = (now.strftime("%Y-%m-%dT%H"), language, kind, key)
        if kind == "evidence":  # evidence hook: per day only, into its own table (stats/evidence.py)
            cell = evidence.cell_kind(value)
            if cell is None or not key:
                return
            slot = (now.strftime("%Y-%m-%d"), language, cell, key)
        counts = self._pending.get(slot)
        if counts is None:
            if len(self._pending) >= MAX_PENDING:
                self._lost += 1
                return
            self._pending[slot] = [1, value]
        else:
            counts[0] += 1
            counts[1] += value
        self._unsaved += 1
        if self._retry_at is not None and now < self._retry_at and self._retry_at - now <= RETRY_AFTER:
            return  # the last try failed moments ago: do not make every tap wait on a lock
        self._flush(now)

    def flush(self) -> bool:
        """Try now to write what waits in memory; True when nothing is left waiting."""
        try:
            with self._lock:
                return self._flush(self._now())
        except Exception:  # noqa: BLE001
            log.exception("statistics: could not save")
            return False

    def _flush(self, now: dt.datetime, recovering: bool = False) -> bool:
        if self.readonly:
            return not self._pending
        if self._db is None and not self._open():
            self._retry_at = now + RETRY_AFTER
            return False
        if self._pending:
            db = self._db
            assert db is not None
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    pending = self._pending.items()
                    db.executemany(_UPSERT_HOURLY, [(*slot, c, t) for slot, (c, t) in pending
                                                    if not slot[2].startswith(evidence.KIND_PREFIX)])
                    evidence.upsert_rows(db, [(day, lang, key, kind.removeprefix(evidence.KIND_PREFIX), c)
                                              for (day, lang, kind, key), (c, _t) in pending
                                              if kind.startswith(evidence.KIND_PREFIX)])
                    db.execute("COMMIT")
                except BaseException:
                    self._rollback(db)
                    raise
            except sqlite3.Error as exc:
                if self._on_error(exc, now) and not recovering:
                    return self._flush(now, recovering=True)
                return False
            self._pending.clear()
            self._unsaved = 0
        if self._failure:
            log.info("statistics: saving works again")
        self._failure = 0
        self._retry_at = None
        if self._rolled_up_on != now.date():
            self._roll_up(now)
        return True

    @staticmethod
    def _rollback(db: sqlite3.Connection) -> None:
        try:
            if db.in_transaction:
                db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _on_error(self, exc: sqlite3.Error, now: dt.datetime) -> bool:
        """Note a failed write; True when a damaged file was replaced and a retry makes sense."""
        code = _code(exc)
        if code in (_CORRUPT, _NOTADB):
            log.error("statistics: the file %s is damaged (%s)", self.path, exc)
            self._close()
            if self._set_aside() and self._open():
                return True
        elif code not in (_BUSY, _LOCKED, _FULL, _READONLY):
            self._close()  # I/O errors, a vanished folder: start from a fresh connection next time
        if code != self._failure:
            log.warning("statistics: cannot save (%s); %d event(s) wait in memory, retrying every %d s",
                        exc, self._unsaved, RETRY_AFTER.total_seconds())
        self._failure = code
        self._retry_at = now + RETRY_AFTER
        return False

    def _roll_up(self, now: dt.datetime) -> None:
        """Add up hours older than the retention period into days, in one transaction."""
        assert self._db is not None
        cutoff = (now.date() - dt.timedelta(days=HOURLY_RETENTION_DAYS)).isoformat()
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(_ROLL_UP, {"cutoff": cutoff})
                db.execute("DELETE FROM hourly WHERE hour < ?", (cutoff,))
                db.execute("COMMIT")
            except BaseException:
                self._rollback(db)
                raise
        except sqlite3.Error as exc:
            log.warning("statistics: could not add old hours up into days (%s); will try again", exc)
            return
        self._rolled_up_on = now.date()

    # -- opening ---------------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is not None:
            now = now.astimezone().replace(tzinfo=None)
        return now

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # The whole file is read: a damaged page anywhere is found now, not in the middle of a visit.
            check = db.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _Damaged("; ".join(str(row[0]) for row in check[:3]))
            if not self.readonly:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute(f"PRAGMA synchronous = {'FULL' if self.durable else 'OFF'}")
                db.execute("PRAGMA journal_size_limit = 1048576")
                db.execute("PRAGMA wal_autocheckpoint = 256")
                if db.execute("PRAGMA user_version").fetchone()[0] == 0:
                    for statement in _SCHEMA:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute(evidence.SCHEMA)  # evidence hook: also in files made before it existed
        except BaseException:
            db.close()
            raise
        return db

    def _open(self, fresh: bool = False) -> bool:
        """Open (or create) the file; set a damaged one aside. False when it cannot be used now."""
        if self.readonly and not self.path.exists():
            return False
        try:
            self._db = self._connect()
            return True
        except (_Damaged, sqlite3.DatabaseError) as exc:
            damaged = isinstance(exc, _Damaged) or _code(exc) in (_CORRUPT, _NOTADB) or self._unreadable()
            if self.readonly:
                if damaged:
                    raise StatsUnavailable(f"the statistics file {self.path} is damaged: {exc}") from exc
                raise StatsUnavailable(f"the statistics file {self.path} cannot be read: {exc}") from exc
            if damaged and not fresh:
                from kiosk.core.model import D_STATS, D_STATS_KEPT, report_damaged

                log.error("statistics: the file %s is damaged or unreadable (%s)", self.path, exc)
                if self._set_aside():
                    report_damaged(self.path, exc, D_STATS, name=self._aside_name)  # the staff Content tab
                    return self._open(fresh=True)
                report_damaged(self.path, exc, D_STATS_KEPT)
            self._note_open_failure(exc)
        except OSError as exc:
            if self.readonly:
                raise StatsUnavailable(f"the statistics file {self.path} cannot be read: {exc}") from exc
            self._note_open_failure(exc)
        return False

    def _note_open_failure(self, exc: BaseException) -> None:
        code = _code(exc) if isinstance(exc, sqlite3.Error) else _READONLY
        if code != self._failure:
            log.warning("statistics: cannot open %s (%s); events wait in memory", self.path, exc)
        self._failure = code

    def _unreadable(self) -> bool:
        """The file is there but this user cannot read or write it, while the folder is writable."""
        effective = os.access in os.supports_effective_ids
        return (self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK, effective_ids=effective)
                and os.access(self.data_dir, os.W_OK, effective_ids=effective))

    def _set_aside(self) -> bool:
        stamp = self._now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{DB_NAME}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{DB_NAME}.corrupt-{stamp}-{n}")
        try:
            os.replace(self.path, target)
            wal = self.path.with_name(DB_NAME + "-wal")
            if wal.exists():
                os.replace(wal, target.with_name(target.name + "-wal"))
            self.path.with_name(DB_NAME + "-shm").unlink(missing_ok=True)
        except OSError as exc:
            log.error("statistics: could not set the damaged file aside (%s)", exc)
            return False
        self._aside_name = target.name
        log.error("statistics: set the damaged file aside as %s and started a new one", target)
        return True

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def close(self) -> None:
        """Write what waits in memory (one try) and close the file."""
        with self._lock:
            if self._pending and not self.readonly:
                try:
                    self._flush(self._now())
                except Exception:  # noqa: BLE001
                    log.exception("statistics: could not save on closing")
            self._close()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what staff see ----------------------------------------------------------------------
    @property
    def unsaved(self) -> int:
        """Events counted but not yet in the file."""
        return self._unsaved

    @property
    def warnings(self) -> list[StatsWarning]:
        found: list[StatsWarning] = []
        try:
            aside = sorted(p.name for p in self.data_dir.glob(f"{DB_NAME}.corrupt-*")
                           if not p.name.endswith("-wal"))
        except OSError:
            aside = []
        found += [StatsWarning("set_aside", SET_ASIDE, {"name": name}) for name in aside]
        if self._pending:
            message = {_FULL: NOT_SAVED_FULL, _READONLY: NOT_SAVED_READONLY, _CANTOPEN: NOT_SAVED_READONLY,
                       _BUSY: NOT_SAVED_BUSY, _LOCKED: NOT_SAVED_BUSY}.get(self._failure, NOT_SAVED_OTHER)
            found.append(StatsWarning("not_saved", message, {"count": self._unsaved}))
        if self._lost:
            found.append(StatsWarning("lost", LOST, {"count": self._lost}))
        return found

    def today(self) -> dt.date:
        return self._now().date()

    def figures(self, days: int = 1) -> Figures:
        """The last `days` days up to and including today: 1 is today, then 7, 30."""
        last = self.today()
        return self.figures_between(last - dt.timedelta(days=max(1, days) - 1), last)

    def figures_between(self, first: dt.date, last: dt.date) -> Figures:
        self.flush()
        rows = self._rows(first, last)
        by_kind: dict[str, list[int]] = {}
        by_language: dict[str, int] = {}
        per_day: dict[dt.date, int] = {}
        slides: dict[str, int] = {}
        questions: dict[str, list[int]] = {}
        for day, language, kind, key, n, total in rows:
            sums = by_kind.setdefault(kind, [0, 0])
            sums[0] += n
            sums[1] += total
            if kind == "visit":
                by_language[language] = by_language.get(language, 0) + n
                per_day[day] = per_day.get(day, 0) + n
            elif kind == "slide_view" and key:
                slides[key] = slides.get(key, 0) + n
            elif kind == "quiz_answer" and key:
                answered = questions.setdefault(key, [0, 0])
                answered[0] += n
                answered[1] += total

        def count(kind: str) -> int:
            return by_kind.get(kind, [0, 0])[0]

        finished, score_total = by_kind.get("quiz_finished", [0, 0])
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        rates = sorted((QuestionRate(q, a, r) for q, (a, r) in questions.items()),
                       key=lambda q: (q.rate, -q.answers, q.question))
        return Figures(
            first=first, last=last,
            visits=count("visit"),
            visits_by_language=dict(sorted(by_language.items(), key=lambda kv: (-kv[1], kv[0]))),
            language_switches=count("language_switch"),
            slides_viewed=count("slide_view"),
            slide_views=dict(sorted(slides.items())),
            quizzes_finished=finished,
            quiz_score_avg=score_total / finished if finished else None,
            questions=tuple(rates),
            leaflets_printed=count("leaflet_printed"),
            qr_shown=count("qr_shown"),
            print_failed=count("print_failed"),
            quick_exits=count("quick_exit"),
            timeouts=count("timeout"),
            visits_per_day=tuple((d, per_day.get(d, 0)) for d in days),
            unsaved=self._unsaved,
        )

    def day_rows(self, first: dt.date | None = None, last: dt.date | None = None) -> list[DayRow]:
        """One row per day and language that has any event, oldest first (the CSV export)."""
        self.flush()
        first = first or dt.date(1970, 1, 1)
        last = last or dt.date(9998, 12, 31)
        table: dict[tuple[dt.date, str], dict[str, int]] = {}
        for day, language, kind, _key, count, total in self._rows(first, last):
            fields = _DAY_FIELDS.get(kind)
            if fields is None:
                continue
            values = table.setdefault((day, language), {})
            values[fields[0]] = values.get(fields[0], 0) + count
            if fields[1]:
                values[fields[1]] = values.get(fields[1], 0) + total
        return [DayRow(day, language, **values) for (day, language), values in sorted(table.items())]

    def evidence_rows(self, first: dt.date | None = None, last: dt.date | None = None,
                      kiosk_id: str = "") -> list[evidence.EvidenceRow]:
        """Evidence hook: the evidence counters per day, language and question (stats/evidence.py)."""
        self.flush()
        with self._lock:
            if self._db is None:
                return []
            try:
                return evidence.read_rows(self._db, first, last, kiosk_id)
            except sqlite3.Error as exc:
                log.warning("statistics: cannot read %s (%s)", self.path, exc)
                return []

    def _rows(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, str, str, str, int, int]]:
        with self._lock:
            if self._db is None:
                return []
            after = last + dt.timedelta(days=1)
            try:
                rows = self._db.execute(_PER_DAY, {"first": first.isoformat(), "after": after.isoformat()})
                return [(dt.date.fromisoformat(d), lang, kind, key, int(c), int(t))
                        for d, lang, kind, key, c, t in rows]
            except (sqlite3.Error, ValueError) as exc:
                log.warning("statistics: cannot read %s (%s)", self.path, exc)
                return []


def open_store(data_dir: Path, clock: Callable[[], dt.datetime] | None = None,
               readonly: bool = False, durable: bool = True) -> StatsStore:
    """The kiosk's statistics. Writable stores never raise here: a store that cannot write yet
    keeps events in memory and retries. `durable=False` (no fsync) is for simulations only."""
    return StatsStore(data_dir, clock, readonly=readonly, durable=durable)


def write_csv(out: IO[str], rows: Iterable[DayRow], kiosk_id: str) -> int:
    """The export: EXPORT_COLUMNS, then one line per row. Returns the number of rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for row in rows:
        avg = row.quiz_score_avg
        writer.writerow([
            row.day.isoformat(), kiosk_id, row.language, row.visits, row.language_switches,
            row.slides_viewed, row.quizzes_finished, "" if avg is None else f"{avg:.1f}",
            row.quiz_answers, row.quiz_right, row.leaflets_printed, row.qr_shown, row.print_failed,
            row.quick_exits, row.timeouts,
        ])
        n += 1
    return n
