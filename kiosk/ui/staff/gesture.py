"""The hidden way into staff mode: hold the top-left corner for five seconds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

HOLD_MS = 5000


class CornerHold(QObject):
    """Emits `held` when the top-left corner of the window is pressed for HOLD_MS."""

    held = Signal()

    def __init__(self, window: QWidget, size_px: int, hold_ms: int = HOLD_MS) -> None:
        super().__init__(window)
        self.window = window
        self.size_px = size_px
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.held)

    def _in_corner(self, event: QMouseEvent) -> bool:
        local = self.window.mapFromGlobal(event.globalPosition().toPoint())
        return QRect(0, 0, self.size_px, self.size_px).contains(local)

    def on_input(self, kind: QEvent.Type, event: QEvent) -> None:
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if self._in_corner(event):
                if not self.timer.isActive():
                    self.timer.start()
            else:
                self.timer.stop()
        elif kind == QEvent.Type.MouseButtonRelease:
            self.timer.stop()
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self.timer.isActive():
            if not self._in_corner(event):
                self.timer.stop()
