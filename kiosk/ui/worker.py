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

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal


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


_pool: QThreadPool | None = None


def worker_pool() -> QThreadPool:
    """One worker thread for pages: each thread keeps its own font caches, so one, not two,
    and it ends after 30 s of rest, giving them back."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setExpiryTimeout(30_000)
    return _pool
