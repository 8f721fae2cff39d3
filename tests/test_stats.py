"""The statistics store: what it keeps, how it adds up, and that it never stops the kiosk."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.core.model.content import Content
from kiosk.core.stats import stats
from kiosk.core.stats.stats import (
    DB_NAME,
    HOURLY_RETENTION_DAYS,
    MAX_PENDING,
    RETRY_AFTER,
    QuestionRate,
    StatsStore,
    StatsUnavailable,
    open_store,
)
from kiosk.core.visit.session import Session
from tests.support import ROOT, Clock


def raw_rows(path: Path, table: str = "hourly") -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return sorted(db.execute(f"SELECT * FROM {table}").fetchall())


def total_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT (SELECT COALESCE(SUM(count), 0) FROM hourly)"
                              " + (SELECT COALESCE(SUM(count), 0) FROM daily)").fetchone()[0])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[StatsStore]:
    s = open_store(data_dir, clock)
    yield s
    s.close()


# -- what is kept ------------------------------------------------------------------------------

def test_only_the_documented_columns_exist(store: StatsStore) -> None:
    store.record("visit", "kk")
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        tables = sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        columns = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert columns == {
        "daily": ["day", "language", "kind", "key", "count", "total"],
        "evidence": ["day", "language", "question", "cell", "count"],
        "hourly": ["hour", "language", "kind", "key", "count", "total"],
    }
    assert journal == "wal"
    # The module's documentation (quoted in docs/STAFF.md) lists exactly these columns.
    assert "hourly(hour, language, kind, key, count, total)" in (stats.__doc__ or "")
    assert "daily(day, language, kind, key, count, total)" in (stats.__doc__ or "")
    assert "evidence(day, language, question, cell, count)" in (stats.__doc__ or "")


def test_events_are_added_up_per_hour_language_kind_and_key(store: StatsStore, clock: Clock) -> None:
    store.record("visit", "kk")
    store.record("visit", "kk")
    store.record("visit", "ru")
    store.record("quiz_answer", "kk", "passport-keep", 1)
    store.record("quiz_answer", "kk", "passport-keep", 0)
    store.record("quiz_answer", "kk", "passport-keep", 1)
    store.record("quiz_finished", "kk", value=80)
    clock.advance(minutes=50)  # 11:05, the next hour
    store.record("visit", "kk")
    assert raw_rows(store.path) == [
        ("2025-05-20T10", "kk", "quiz_answer", "passport-keep", 3, 2),
        ("2025-05-20T10", "kk", "quiz_finished", "", 1, 80),
        ("2025-05-20T10", "kk", "visit", "", 2, 2),
        ("2025-05-20T10", "ru", "visit", "", 1, 1),
        ("2025-05-20T11", "kk", "visit", "", 1, 1),
    ]


def test_nothing_that_is_not_a_known_event_or_a_content_id_is_stored(store: StatsStore) -> None:
    store.record("typed_name", "kk", "Aigerim")  # unknown kind
    store.record("slide_view", "kk", "my phone is +7 701 123 45 67")  # free text, not an id
    store.record("visit", "Kazakh language")  # not a language code
    store.record("slide_view", "kk", "04-passport")
    assert raw_rows(store.path) == [("2025-05-20T10", "kk", "slide_view", "04-passport", 1, 1)]


def test_a_visitor_journey_through_the_session_is_counted(data_dir: Path, clock: Clock,
                                                          default_content: Content) -> None:
    content = default_content
    store = open_store(data_dir, clock)
    session = Session(content, stats=store)
    session.start()
    session.choose_language("ru")
    session.open_slides()
    session.next_slide()
    session.choose_language("kk")
    session.next_slide()
    session.quick_exit()
    figures = store.figures()
    assert figures.visits == 1
    assert figures.visits_by_language == {"ru": 1}
    assert figures.language_switches == 1
    assert figures.slides_viewed == 3
    assert figures.slide_views == {s.id: 1 for s in content.slides[:3]}
    assert figures.quick_exits == 1
    store.close()


# -- figures for the staff screen and the report -----------------------------------------------

def record_day(store: StatsStore, visits: dict[str, int], score: int | None = None,
               answers: tuple[tuple[str, int], ...] = ()) -> None:
    for language, n in visits.items():
        for _ in range(n):
            store.record("visit", language)
            store.record("slide_view", language, "01-who-we-are")
    if score is not None:
        store.record("quiz_finished", "kk", value=score)
    for question, right in answers:
        store.record("quiz_answer", "kk", question, right)


def test_figures_for_today_seven_and_thirty_days(store: StatsStore, clock: Clock) -> None:
    clock.now = dt.datetime(2025, 4, 20, 9)  # 30 days before "today": outside every period
    record_day(store, {"kk": 5})
    clock.now = dt.datetime(2025, 4, 21, 9)  # day 1 of the 30
    record_day(store, {"kk": 2, "en": 1}, score=40, answers=(("visa", 0), ("visa", 0), ("debt", 1)))
    clock.now = dt.datetime(2025, 5, 14, 18)  # day 1 of the 7
    record_day(store, {"ru": 3}, score=60, answers=(("visa", 1), ("debt", 1)))
    store.record("leaflet_printed", "ru")
    store.record("print_failed", "ru")
    clock.now = dt.datetime(2025, 5, 20, 8)  # today
    record_day(store, {"uz": 2, "kk": 1}, score=100, answers=(("visa", 1),))
    store.record("qr_shown", "uz")
    store.record("leaflet_printed", "uz")
    store.record("leaflet_printed", "kk")
    store.record("timeout", "uz")
    clock.now = dt.datetime(2025, 5, 20, 21, 30)

    today = store.figures(1)
    assert (today.first, today.last, today.days) == (dt.date(2025, 5, 20), dt.date(2025, 5, 20), 1)
    assert today.visits == 3
    assert dict(today.visits_by_language) == {"uz": 2, "kk": 1}
    assert list(today.visits_by_language) == ["uz", "kk"]  # most visits first
    assert today.slides_viewed == 3
    assert (today.quizzes_finished, today.quiz_score_avg) == (1, 100.0)
    assert today.questions == (QuestionRate("visa", 1, 1),)
    assert (today.leaflets_printed, today.qr_shown, today.print_failed, today.timeouts) == (2, 1, 0, 1)
    assert today.visits_per_day == ((dt.date(2025, 5, 20), 3),)

    week = store.figures(7)
    assert week.first == dt.date(2025, 5, 14)
    assert week.visits == 6
    assert dict(week.visits_by_language) == {"ru": 3, "uz": 2, "kk": 1}
    assert week.quizzes_finished == 2
    assert week.quiz_score_avg == pytest.approx(80.0)
    assert week.questions == (QuestionRate("visa", 2, 2), QuestionRate("debt", 1, 1))
    assert (week.leaflets_printed, week.print_failed) == (3, 1)
    assert len(week.visits_per_day) == 7
    assert week.visits_per_day[0] == (dt.date(2025, 5, 14), 3)
    assert [n for _, n in week.visits_per_day[1:6]] == [0] * 5

    month = store.figures(30)
    assert month.first == dt.date(2025, 4, 21)
    assert month.visits == 9  # not the 5 of 20 April
    assert month.quiz_score_avg == pytest.approx((40 + 60 + 100) / 3)
    # visa: 4 answers, 2 right; debt: 2 of 2. The hardest question comes first.
    assert month.questions == (QuestionRate("visa", 4, 2), QuestionRate("debt", 2, 2))
    assert month.questions[0].rate == 0.5
    assert len(month.visits_per_day) == 30
    assert sum(n for _, n in month.visits_per_day) == 9


def test_old_hours_are_rolled_into_days_without_changing_any_figure(store: StatsStore, clock: Clock) -> None:
    start = dt.datetime(2025, 1, 1, 9)
    rng = random.Random(5)
    expected: dict[dt.date, int] = {}
    for day in range(80):
        for hour in (9, 13, 17):
            clock.now = start + dt.timedelta(days=day, hours=hour - 9)
            n = rng.randint(0, 3)
            for _ in range(n):
                store.record("visit", rng.choice(["kk", "ru"]))
                store.record("quiz_answer", "kk", "visa", rng.randint(0, 1))
            expected[clock.now.date()] = expected.get(clock.now.date(), 0) + n
    last = clock.now.date()
    hours = raw_rows(store.path, "hourly")
    days = raw_rows(store.path, "daily")
    cutoff = (last - dt.timedelta(days=HOURLY_RETENTION_DAYS)).isoformat()
    assert days, "nothing was rolled up"
    assert min(str(h[0]) for h in hours) >= cutoff  # no hour older than the retention period
    assert max(str(d[0]) for d in days) < cutoff
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", str(d[0])) for d in days)
    # Every day still has its visits, whether it is kept as hours or as a day.
    whole = store.figures_between(start.date(), last)
    assert dict(whole.visits_per_day) == {d: expected.get(d, 0) for d, _ in whole.visits_per_day}
    assert whole.visits == sum(expected.values())
    assert whole.questions[0].answers == whole.visits
    assert total_count(store.path) == 2 * whole.visits


def test_an_event_for_a_day_already_rolled_up_is_added_to_it(store: StatsStore, clock: Clock) -> None:
    clock.now = dt.datetime(2025, 1, 10, 12)
    store.record("visit", "kk")
    clock.now = dt.datetime(2025, 3, 1, 12)
    store.record("visit", "ru")  # rolls 10 January up
    clock.now = dt.datetime(2025, 1, 10, 15)  # the clock was wrong for a while
    store.record("visit", "kk")
    clock.now = dt.datetime(2025, 3, 2, 12)
    store.record("visit", "ru")  # a new day: rolls up again
    assert raw_rows(store.path, "daily") == [("2025-01-10", "kk", "visit", "", 2, 2)]
    assert store.figures_between(dt.date(2025, 1, 10), dt.date(2025, 1, 10)).visits == 2


# -- power cuts, damage, and disks that refuse ---------------------------------------------------

CHILD = """
import os, sys
from pathlib import Path
from kiosk.core.stats.stats import open_store
store = open_store(Path(sys.argv[1]))
ack = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
events = [("visit", ""), ("slide_view", "04-passport"), ("quiz_answer", "visa"), ("slide_view", "05-check")]
i = 0
while True:
    kind, key = events[i % 4]
    store.record(kind, "kk", key, i % 2)
    i += 1
    os.write(ack, b"%d\\n" % i)  # only after record() returned: this event must survive
"""


@pytest.mark.slow  # 30 real processes killed: about 5 s
def test_kill_9_while_recording_loses_at_most_the_event_in_flight(data_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(9)
    ack = tmp_path / "ack"
    before = 0
    kills_mid_stream = 0
    for _ in range(30):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(ack)], cwd=ROOT)
        # Kill it at a random moment once it is recording: waiting for its first saved event,
        # not a fixed delay, so a busy machine (a slow start) cannot make kills miss the stream.
        deadline = time.monotonic() + 60
        while not (ack.exists() and ack.read_text().count("\n") >= 1):
            assert child.poll() is None, "the recording child ended by itself"
            if time.monotonic() > deadline:
                child.kill()
                pytest.fail("the recording child saved no event within 60 s")
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.2))  # the random moment of the kill: the point of the test, not a wait
        child.send_signal(signal.SIGKILL)
        child.wait()
        lines = ack.read_text().split("\n") if ack.exists() else []
        acked = int(lines[-2]) if len(lines) >= 2 else 0  # the last complete line
        kills_mid_stream += acked > 0
        if not (data_dir / DB_NAME).exists():
            assert acked == 0
            continue
        with contextlib.closing(sqlite3.connect(data_dir / DB_NAME)) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        after = total_count(data_dir / DB_NAME)
        assert before + acked <= after <= before + acked + 1, (before, acked, after)
        before = after
        ack.unlink(missing_ok=True)
    assert kills_mid_stream == 30, "every kill should land while events are being recorded"
    assert not list(data_dir.glob(f"{DB_NAME}.corrupt-*"))


def test_a_file_that_is_not_a_database_is_set_aside(data_dir: Path, clock: Clock) -> None:
    data_dir.mkdir(parents=True)
    junk = b"this is not a database, it is what is left after a bad power cut\n" * 200
    (data_dir / DB_NAME).write_bytes(junk)
    store = open_store(data_dir, clock)
    aside = data_dir / f"{DB_NAME}.corrupt-20250520-101542"
    assert aside.read_bytes() == junk
    assert [(w.code, w.params) for w in store.warnings] == [("set_aside", {"name": aside.name})]
    assert aside.name in store.warnings[0].text()
    store.record("visit", "kk")
    assert store.figures().visits == 1
    store.close()
    # The warning stays, after a restart too, until staff delete the old file.
    again = open_store(data_dir, clock)
    assert [w.code for w in again.warnings] == ["set_aside"]
    aside.unlink()
    assert again.warnings == []
    again.close()


def test_a_database_with_damaged_pages_is_set_aside(data_dir: Path, clock: Clock) -> None:
    store = open_store(data_dir, clock)
    for i in range(400):
        store.record("slide_view", "kk", f"slide-{i}")
    store.close()
    path = data_dir / DB_NAME
    data = bytearray(path.read_bytes())
    assert len(data) >= 8 * 4096
    data[2 * 4096:6 * 4096] = bytes(random.Random(1).getrandbits(8) for _ in range(4 * 4096))
    path.write_bytes(bytes(data))
    clock.advance(days=1)
    fresh = open_store(data_dir, clock)
    assert [w.code for w in fresh.warnings] == ["set_aside"]
    assert (data_dir / f"{DB_NAME}.corrupt-20250521-101542").read_bytes() == bytes(data)
    fresh.record("visit", "kk")
    assert fresh.figures().visits == 1
    fresh.close()


def test_the_command_line_never_sets_a_file_aside(data_dir: Path) -> None:
    missing = open_store(data_dir, readonly=True)
    assert missing.figures(30).visits == 0
    assert not (data_dir / DB_NAME).exists()  # reading does not create a file
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"junk" * 1000)
    with pytest.raises(StatsUnavailable, match="damaged"):
        open_store(data_dir, readonly=True)
    assert (data_dir / DB_NAME).read_bytes() == b"junk" * 1000
    assert not list(data_dir.glob(f"{DB_NAME}.corrupt-*"))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder (and the files in it) cannot be written, as on a read-only disk.

    Root ignores permission bits, so as root the test acts as `nobody` for the duration."""
    as_root = os.geteuid() == 0
    if not as_root:
        folder.chmod(0o555)
    else:
        os.seteuid(65534)
    try:
        yield
    finally:
        if as_root:
            os.seteuid(0)
        else:
            folder.chmod(0o755)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any user can enter, but (as root's) only root can write."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-stats-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_data_folder_never_stops_the_kiosk(open_folder: Path, clock: Clock) -> None:
    with read_only(open_folder):
        store = open_store(open_folder, clock)
        for _ in range(3):
            store.record("visit", "kk")
        warnings = store.warnings
        assert store.unsaved == 3
    assert not (open_folder / DB_NAME).exists()
    assert [(w.code, w.params) for w in warnings] == [("not_saved", {"count": 3})]
    assert "read-only" in warnings[0].text()
    # The disk becomes writable again: what waited in memory is saved with the next event.
    clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
    store.record("visit", "kk")
    assert store.unsaved == 0
    assert store.warnings == []
    assert total_count(open_folder / DB_NAME) == 4
    store.close()


def test_an_existing_file_on_a_read_only_disk_is_kept_not_set_aside(open_folder: Path, clock: Clock) -> None:
    first = open_store(open_folder, clock)
    first.record("visit", "ru")
    first.close()
    before = (open_folder / DB_NAME).read_bytes()
    with read_only(open_folder):
        store = open_store(open_folder, clock)
        store.record("visit", "kk")
        assert store.unsaved == 1
        store.close()
    assert (open_folder / DB_NAME).read_bytes() == before
    assert sorted(p.name for p in open_folder.iterdir()) == [DB_NAME]


def test_a_data_folder_that_cannot_exist_never_stops_the_kiosk(tmp_path: Path, clock: Clock) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    store = open_store(tmp_path / "a-file" / "data", clock)
    store.record("visit", "kk")
    store.record("slide_view", "kk", "01-who-we-are")
    assert store.unsaved == 2
    assert store.figures().visits == 0
    assert store.figures().unsaved == 2
    store.close()


LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


@contextlib.contextmanager
def held_by_another_program(path: Path) -> Iterator[Callable[[], None]]:
    """Another process holds an exclusive lock on the SQLite file until `release()` is called."""
    with subprocess.Popen([sys.executable, "-c", LOCKER, str(path)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as locker:
        assert locker.stdout is not None and locker.stdin is not None
        assert locker.stdout.readline().strip() == "locked"
        stdin = locker.stdin

        def release() -> None:
            stdin.write("\n")
            stdin.flush()
            assert locker.wait(timeout=10) == 0

        yield release


def test_a_database_locked_by_another_process_never_stops_the_kiosk(store: StatsStore, clock: Clock) -> None:
    store.record("visit", "kk")
    with held_by_another_program(store.path) as release:
        started = time.perf_counter()
        for _ in range(20):
            store.record("slide_view", "kk", "04-passport")
        waited = time.perf_counter() - started
        assert store.unsaved == 20
        assert [w.code for w in store.warnings] == ["not_saved"]
        assert "another program" in store.warnings[0].text()
        # One busy wait, then the taps do not wait on the lock again until the retry time.
        assert waited < stats.BUSY_TIMEOUT_MS / 1000 + 0.5
        release()
    assert store.flush()
    assert store.unsaved == 0
    assert total_count(store.path) == 21


def test_a_full_disk_never_stops_the_kiosk(store: StatsStore, clock: Clock) -> None:
    store.record("visit", "kk")
    db = store._db  # fault injection: the file may not grow by a single page
    assert db is not None
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    for i in range(300):
        store.record("slide_view", "kk", f"slide-{i:03}")
    assert store.unsaved > 0
    assert "disk is full" in store.warnings[0].text()
    db.execute("PRAGMA max_page_count = 1000000")
    clock.advance(minutes=1)
    store.record("visit", "kk")
    assert store.unsaved == 0
    figures = store.figures()
    assert (figures.visits, figures.slides_viewed) == (2, 300)


def test_events_waiting_in_memory_are_bounded(store: StatsStore, clock: Clock,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats, "MAX_PENDING", 5)
    store._close()  # fault injection: as if the file had vanished ...
    monkeypatch.setattr(store, "_open", lambda fresh=False: False)  # ... and could not be made again
    for i in range(8):
        store.record("slide_view", "kk", f"slide-{i}")  # 8 distinct slots, room for 5
    for _ in range(4):
        store.record("slide_view", "kk", "slide-0")  # an existing slot costs no room
    assert store.unsaved == 9
    assert [(w.code, w.params["count"]) for w in store.warnings] == [("not_saved", 9), ("lost", 3)]
    assert MAX_PENDING > 1000  # the real bound is generous: an hour of a busy kiosk fits


def test_events_recorded_from_several_threads_are_all_counted(store: StatsStore) -> None:
    def worker() -> None:
        for _ in range(50):
            store.record("leaflet_printed", "ru")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.figures().leaflets_printed == 200
