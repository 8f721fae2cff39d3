"""One application-wide watcher of visitor input, shared by the idle timer and staff mode.

An event filter on the application sees every event of every widget, paints included, so
each Python filter costs on every frame. One filter that lets only input through, and then
calls the few listeners, keeps that cost to a set lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

Listener = Callable[[QEvent.Type, QEvent], None]

INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
})


class InputWatcher(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listeners: list[Listener] = []

    def add(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in INPUT_EVENTS:
            for listener in self.listeners:
                listener(kind, event)
        return False
