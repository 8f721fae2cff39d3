"""What every backend's print job shares: its status, the signals, and how it ends (once)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from kiosk.core.visit import PrintStatus

log = logging.getLogger("kiosk.printing")


class Job(QObject):
    """`status_changed(status, detail)`: the status for people, the detail for the log.
    `finished(status)` once, when nothing more will happen. Subclasses set `self._poll` (a QTimer)."""

    status_changed = Signal(object, str)
    finished = Signal(object)

    def _set(self, status: PrintStatus, detail: str) -> None:
        self.status, self.detail = status, detail
        self.status_changed.emit(status, detail)

    def abandon(self) -> None:
        """The backend is closing (the kiosk ends, another backend was chosen): stop watching and
        say nothing more, so no callback reaches a kiosk that is going away."""
        self._done = True
        self._poll.stop()

    def _finish(self, status: PrintStatus, detail: str) -> None:
        if self._done:
            return
        self._done = True
        self._poll.stop()
        if status.is_fault and status is not PrintStatus.LIMIT_REACHED:
            # A fault of the printer is for staff to fix, so it is logged with its detail. A print
            # that worked, or that a quick exit cancelled, is not: the log must not say when a
            # visitor printed or fled (the statistics count it by the hour).
            log.warning("print on %r failed: %s (%s)", self.printer or "(default)", status.value, detail)
        if status != self.status or detail:
            self._set(status, detail)
        self.finished.emit(status)
