"""Work done on the GUI thread a moment after the frame that answers a tap: leaflet pages.

Drawing a leaflet page takes about 30 ms. It once ran in a worker thread, but Qt keeps a font
cache per thread, and text laid out in a worker while the GUI thread touched fonts made Qt
warn ("Timers cannot be stopped from another thread") and, now and then, crash. Done here
instead, just after the screen has been painted, it costs no visible delay and is safe.

One piece of work runs per turn of the event loop, so taps stay answered. Each piece belongs
to a widget or object; if that is gone by the time its turn comes, the work is dropped
unrun (a visitor who left the leaflet screen needs no preview).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer

DELAY_MS = 40  # after the paint that answers the tap

Owner = TypeVar("Owner", bound=QObject)
Result = TypeVar("Result")

_queue: list[Callable[[], None]] = []
_timer: QTimer | None = None


def _alive(ref: weakref.ref[Any]) -> Any:
    owner = ref()
    return owner if owner is not None and shiboken6.isValid(owner) else None


def later(owner: Owner, work: Callable[[], Result], deliver: Callable[[Owner, Result], None],
          first: bool = False) -> None:
    """Soon, on the GUI thread: `work()`, then `deliver(owner, result)`. Neither runs if `owner`
    is gone by then, and the result is dropped if it went while the work was done."""
    global _timer
    ref = weakref.ref(owner)

    def run() -> None:
        if _alive(ref) is None:
            return
        result = work()
        owner_now = _alive(ref)
        if owner_now is not None:
            deliver(owner_now, result)

    if first:
        _queue.insert(0, run)
    else:
        _queue.append(run)
    if _timer is None:
        _timer = QTimer()
        _timer.setSingleShot(True)
        _timer.setInterval(DELAY_MS)
        _timer.timeout.connect(_run_next)
    if not _timer.isActive():
        _timer.start()


def _run_next() -> None:
    if _queue:
        _queue.pop(0)()
    if _queue and _timer is not None:
        _timer.start()


def run_pending() -> None:
    """Runs everything queued, now (tests and proof sheets)."""
    while _queue:
        _queue.pop(0)()
