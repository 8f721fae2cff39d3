"""systemd's watchdog fed from the GUI thread: a frozen GUI stops the pings, systemd restarts it.

READY=1 goes out once the window's first full-screen frame has been painted (the event after
its paint event; under Wayland the first frame is drawn at a default size before the compositor's
full-screen configure arrives, so a paint counts only once the window covers its screen, or 5 s
after the first paint whatever its size; then 100 ms for the compositor to put it on the screen), WATCHDOG=1 from a QTimer on the GUI thread at half the interval
systemd asks for (WATCHDOG_USEC). Never from a side thread: a side thread would keep pinging
while the visitor looks at a frozen screen.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.core.appliance import Notifier

log = logging.getLogger(__name__)
FALLBACK_MS = 5000
PRESENT_MS = 100  # six frames at 60 Hz


class Watchdog(QObject):
    def __init__(self, window: QWidget, notifier: Notifier | None = None, status: str = "") -> None:
        super().__init__(window)
        self.notifier = notifier or Notifier()
        self.status = status
        self.ready_sent = False
        self.started = time.monotonic()
        self.first_frame_s: float | None = None
        self._window = window
        self._first_paint: float | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._send_ready)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timeout)
        interval = self.notifier.ping_interval_ms()
        if interval is not None:
            self.timer.start(interval)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() == QEvent.Type.Paint and not self.ready_sent:
            if self._first_paint is None:
                self._first_paint = time.monotonic()
                QTimer.singleShot(FALLBACK_MS, self._fallback)
            if self._covers_screen():
                # The paint is done when this returns, but the compositor shows the buffer a frame
                # or more later (Qt waits for the previous frame callback before it commits), and
                # the window repaints itself once more after it first covers the screen (shell.py):
                # ready once 100 ms have passed without another paint.
                self._settle.start(PRESENT_MS)
        return False

    def _covers_screen(self) -> bool:
        window = self._window
        if not getattr(window, "kiosk_mode", False):
            return True  # --windowed: any frame will do
        screen = window.screen()
        return screen is None or window.size() == screen.geometry().size()

    def _fallback(self) -> None:
        if not self.ready_sent:
            log.warning("the window never covered the screen (%sx%s); ready anyway",
                        self._window.width(), self._window.height())
            self._send_ready()

    def _send_ready(self) -> None:
        if self.ready_sent:
            return
        self.ready_sent = True
        self._settle.stop()
        self.first_frame_s = time.monotonic() - self.started
        self._window.removeEventFilter(self)
        if self.notifier.ready(self.status):
            log.info("ready: first frame after %.0f ms (%sx%s)", self.first_frame_s * 1000, self._window.width(), self._window.height())
        self.notifier.ping()

    def _on_timeout(self) -> None:
        self.notifier.ping()

    def stop(self, restarting: bool = False) -> None:
        """No more pings, and systemd is told why: the process ends (STOPPING=1), or it re-executes
        itself in place (RELOADING=1; the new run's READY=1 ends the reload)."""
        self.timer.stop()
        if restarting:
            self.notifier.reloading("restarting")
        else:
            self.notifier.stopping()
