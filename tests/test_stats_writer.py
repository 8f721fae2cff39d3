"""Statistics from the kiosk go through a writer thread: taps never wait for the disk."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.core.stats.stats import open_store
from kiosk.core.stats.stats_writer import BackgroundStats


def test_events_reach_the_database_through_the_thread(data_dir: Path) -> None:
    stats = BackgroundStats(lambda: open_store(data_dir))
    for lang in ("ru", "kk", "ru"):
        stats.record("visit", lang)
    assert stats.flush()
    assert stats.figures(1).visits == 3 and dict(stats.figures(1).visits_by_language) == {"ru": 2, "kk": 1}
    stats.record("visit", "uz")
    stats.close()  # what is still queued is written before the end
    reopened = open_store(data_dir)
    assert reopened.figures(1).visits == 4
    reopened.close()


def test_record_does_not_wait_for_a_slow_disk(data_dir: Path) -> None:
    store = open_store(data_dir)
    gate = threading.Event()
    original = store.record

    def slow_record(*args: object) -> None:
        gate.wait(5)  # a disk that takes its time
        original(*args)

    store.record = slow_record  # type: ignore[method-assign]
    stats = BackgroundStats(lambda: store)
    done = threading.Event()

    def tap() -> None:
        for _ in range(50):
            stats.record("slide_view", "ru", "passport")
        done.set()

    threading.Thread(target=tap).start()
    assert done.wait(1), "record() blocked on the disk"
    gate.set()
    assert stats.flush() and stats.figures(1).slides_viewed == 50
    stats.close()
