"""Statistics written off the UI thread.

The store writes every event with `synchronous=FULL`, which waits for the disk: a few
milliseconds on this machine, tens on an old hard disk. The kiosk's taps must not wait for
that, so its events go through a queue to one writer thread. A process killed at the wrong
moment loses at most the events still in the queue, normally none or one.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_STOP = object()


class BackgroundStats:
    """Same interface as StatsStore; `record` returns at once.

    Give it a function that opens the store: even opening (and checking) the database then
    happens on the writer thread, not before the kiosk's first frame.
    """

    def __init__(self, opener: Callable[[], Any]) -> None:
        self._opener = opener
        self._store: Any = None
        self._ready = threading.Event()
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=10_000)
        self._thread = threading.Thread(target=self._run, name="kiosk-stats", daemon=True)
        self._started = False
        self._start_lock = threading.Lock()

    def _start(self) -> None:
        # Started by the first event or question, not at construction: the kiosk's first
        # frame does not share the interpreter with opening and checking the database.
        with self._start_lock:
            if not self._started:
                self._started = True
                self._thread.start()

    @property
    def store(self) -> Any:
        self._start()
        self._ready.wait()
        return self._store

    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None:
        self._start()
        try:
            self._queue.put_nowait((kind, language, key, value))
        except queue.Full:  # the disk has stalled for a very long time: count less, never block
            log.warning("statistics: the queue is full; an event was not counted")

    def _run(self) -> None:
        try:
            self._store = self._opener()
        except Exception:  # noqa: BLE001 - the store's own opener never raises; a last guard
            log.exception("statistics are off: the store could not be opened")
        finally:
            self._ready.set()
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                if self._store is not None:
                    self._store.record(*item)
            except Exception:  # noqa: BLE001 - the store never raises; this is a last guard
                log.exception("statistics writer")
            finally:
                self._queue.task_done()

    def flush(self) -> bool:
        """Waits until every queued event has reached the store, then flushes it."""
        self._start()
        self._queue.join()
        return self.store is not None and bool(self.store.flush())

    def close(self) -> None:
        self._start()
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout=10)
        if self.store is not None:
            self.store.close()

    def __getattr__(self, name: str) -> Any:
        # figures(), day_rows(), warnings, ...: the store is thread-safe (it holds a lock).
        return getattr(self.store, name)
