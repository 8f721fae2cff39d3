"""Handing results from worker threads back to objects that may be gone by then.

A worker must not emit a signal of a widget the GUI thread may delete meanwhile: that is a
race between the check and the emit, and it crashes. Workers post to one mailbox object
that lives as long as the application; the mailbox delivers on the GUI thread, only to
receivers that still exist.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Mailbox(QObject):
    posted = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self._receivers: dict[int, tuple[weakref.ref[Any], Callable[[Any, Any], None]]] = {}
        self._tokens = itertools.count(1)
        self.posted.connect(self._deliver)

    def register(self, receiver: Any, method: Callable[[Any, Any], None]) -> int:
        token = next(self._tokens)
        self._receivers[token] = (weakref.ref(receiver), method)
        return token

    def _deliver(self, token: int, payload: Any) -> None:
        entry = self._receivers.pop(token, None)
        if entry is None:
            return
        receiver = entry[0]()
        if receiver is None:
            return
        try:
            entry[1](receiver, payload)
        except RuntimeError:  # the Qt side of the receiver was deleted: nobody waits any more
            pass


_mailbox: _Mailbox | None = None


def mailbox() -> _Mailbox:
    """Created on the GUI thread at first use, and never deleted."""
    global _mailbox
    if _mailbox is None:
        _mailbox = _Mailbox()
        app = QCoreApplication.instance()
        if app is not None:
            _mailbox.moveToThread(app.thread())
    return _mailbox


def deliver_later(receiver: Any, method: Callable[[Any, Any], None]) -> Callable[[Any], None]:
    """Returns a function a worker may call with its result; `method(receiver, result)` then runs
    on the GUI thread if the receiver still exists."""
    box = mailbox()
    token = box.register(receiver, method)
    return lambda payload: box.posted.emit(token, payload)


class _Deferred:
    """Runs page drawing on the GUI thread, a moment after the screen has been painted.

    It once ran in a worker thread. Qt keeps a font cache per thread, and text laid out in a
    worker while the GUI thread touched fonts made Qt warn ("Timers cannot be stopped from
    another thread") and, now and then, crash. A leaflet page takes about 30 ms to draw, so
    drawing it on the GUI thread just after the frame that answers the tap costs no visible
    delay and is safe. Same interface as the QThreadPool it replaces.
    """

    DELAY_MS = 40  # after the paint that answers the tap

    def __init__(self) -> None:
        self._queue: list[Any] = []
        self._timer: Any = None

    def start(self, runnable: Any, priority: int = 0) -> None:
        from PySide6.QtCore import QTimer

        if priority:
            self._queue.insert(0, runnable)
        else:
            self._queue.append(runnable)
        if self._timer is None:
            self._timer = QTimer()
            self._timer.setSingleShot(True)
            self._timer.setInterval(self.DELAY_MS)
            self._timer.timeout.connect(self._run_next)
        if not self._timer.isActive():
            self._timer.start()

    def _run_next(self) -> None:
        if self._queue:
            self._queue.pop(0).run()
        if self._queue:
            self._timer.start()  # one page per turn of the event loop: taps stay answered

    def waitForDone(self, msecs: int = -1) -> bool:  # noqa: N802 - the QThreadPool name
        while self._queue:
            self._queue.pop(0).run()
        return True


_pool: _Deferred | None = None


def worker_pool() -> _Deferred:
    global _pool
    if _pool is None:
        _pool = _Deferred()
    return _pool
