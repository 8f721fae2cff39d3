"""A tiny observer: the core's answer to Qt signals, so the core needs no Qt."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


class Signal:
    """Callbacks connected here are called in order on `emit`.

    Bound methods are held weakly, like Qt does for QObject slots: a screen that is
    thrown away does not stay alive because the session still points at it.
    """

    def __init__(self) -> None:
        self._slots: list[Callable[[], Callable[..., Any] | None]] = []

    def connect(self, slot: Callable[..., Any]) -> None:
        if hasattr(slot, "__self__") and hasattr(slot, "__func__"):
            ref: Callable[[], Callable[..., Any] | None] = weakref.WeakMethod(slot)
        else:
            ref = _strong(slot)
        self._slots.append(ref)

    def disconnect(self, slot: Callable[..., Any]) -> None:
        self._slots = [r for r in self._slots if r() not in (None, slot)]

    def emit(self, *args: Any) -> None:
        alive = []
        for ref in list(self._slots):
            slot = ref()
            if slot is None:
                continue
            alive.append(ref)
            slot(*args)
        self._slots = alive

    def __len__(self) -> int:
        return sum(1 for r in self._slots if r() is not None)


def _strong(slot: Callable[..., Any]) -> Callable[[], Callable[..., Any]]:
    return lambda: slot
