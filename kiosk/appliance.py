"""What the kiosk does as an appliance: systemd readiness and watchdog, safe mode, opening hours,
screen sleep, the daily restart, and a clean stop on SIGTERM.

`run_kiosk` calls `start_appliance()` before it builds the kiosk (safe mode decides which content
and settings to build with) and `Appliance.attach()` once the window exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.appliance import SafeMode, StartDecision
from kiosk.core.site import Schedule

log = logging.getLogger(__name__)
SCHEDULE_POLL_MS = 30_000
FIRST_TICK_MS = 1000
RESTART_CODE = 3  # kiosk.app.RESTART_CODE


@dataclass
class Appliance:
    data_dir: Path
    safe: SafeMode
    decision: StartDecision
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    app: Any = None
    kiosk: Any = None
    watchdog: Any = None
    screen: Any = None
    _keep: list[Any] = field(default_factory=list)

    @property
    def safe_mode_reason(self) -> str | None:
        return self.decision.reason

    def attach(self, kiosk: Any, app: Any, handle_signals: bool = True) -> None:
        """Called once the window exists and before the event loop runs."""
        from PySide6.QtCore import QTimer

        from kiosk.ui.screen_power import ScreenPower
        from kiosk.ui.watchdog import Watchdog

        self.app, self.kiosk = app, kiosk
        window = kiosk.window
        status = "safe mode" if self.decision.safe_mode else "normal"
        self.watchdog = Watchdog(window, status=status)
        self.screen = ScreenPower(window, on_wake=self._on_wake)
        window.input.add(self._on_input)
        app.aboutToQuit.connect(self._on_about_to_quit)
        if handle_signals:  # process-wide: not in a test process
            self._stop_on_sigterm(app)
        timer = QTimer(window)
        timer.timeout.connect(self.tick)
        timer.start(SCHEDULE_POLL_MS)
        self._keep.append(timer)
        if self.decision.safe_mode:
            log.warning("%s", self.decision.reason)
            calm = QTimer(window)
            calm.setSingleShot(True)
            calm.timeout.connect(self._try_normal_mode)
            calm.start(int((self.decision.calm_in_s or 0) * 1000) + 1000)
            self._keep.append(calm)
        QTimer.singleShot(FIRST_TICK_MS, self.tick)  # once the window is on the screen

    # -- the schedule --------------------------------------------------------------------
    def schedule(self) -> Schedule:
        s = self.kiosk.config.settings
        return Schedule.from_settings(s.open_hours, s.open_days, s.daily_restart)

    def tick(self, now: dt.datetime | None = None) -> None:
        """Every 30 s: sleep or wake the screen, restart at the quiet hour."""
        from kiosk.core.visit import Screen

        now = now or dt.datetime.now().astimezone()
        schedule = self.schedule()
        at_attract = self.kiosk.session.screen is Screen.ATTRACT
        idle = self._idle_s() >= self.kiosk.config.settings.idle_timeout_s
        if schedule.restart_due(now, self.started) and at_attract:
            log.info("daily restart")
            self.app.exit(RESTART_CODE)
            return
        if schedule.is_open(now):
            if self.screen.asleep:
                self.screen.wake()
        elif not self.screen.asleep and at_attract and idle:
            self.screen.sleep()

    def _idle_s(self) -> float:
        import time

        return time.monotonic() - self._last_input

    _last_input: float = 0.0

    def _on_input(self, kind: Any, event: Any) -> None:
        import time

        from PySide6.QtCore import QEvent

        self._last_input = time.monotonic()
        if self.screen is not None and self.screen.asleep and kind in (
                QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            self.screen.wake()

    def _on_wake(self) -> None:
        self.kiosk.session.timeout()  # a touch on the sleeping screen shows the attract loop

    # -- safe mode -----------------------------------------------------------------------
    def _try_normal_mode(self) -> None:
        from PySide6.QtCore import QTimer

        from kiosk.core.visit import Screen

        left = self.safe.seconds_until_calm() or 0.0
        if left > 0 or self.kiosk.session.screen is not Screen.ATTRACT:
            QTimer.singleShot(int(max(left, 30) * 1000), self._try_normal_mode)
            return
        log.info("an hour without a crash: restarting in normal mode")
        self.app.exit(RESTART_CODE)

    # -- stopping ------------------------------------------------------------------------
    def _on_about_to_quit(self) -> None:
        self.safe.clean_exit()

    def ended(self, code: int) -> None:
        """Called by run_kiosk when the event loop has ended with `code`: systemd is told what
        comes next. RESTART_CODE (the daily restart, staff's Restart, leaving safe mode) re-executes
        the kiosk in the same process, so the unit's main process never ends: STOPPING=1 would make
        systemd wait for it, kill it after TimeoutStopSec and count that as a crash (issue 22, item
        10). A restart is announced as a reload instead."""
        if self.watchdog is not None:
            self.watchdog.stop(restarting=code == RESTART_CODE)

    def _stop_on_sigterm(self, app: Any) -> None:
        """systemd stops the kiosk with SIGTERM: quit the event loop, so the stop is a clean exit."""
        from PySide6.QtCore import QSocketNotifier

        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno())
        for sig in stop_signals():
            signal.signal(sig, lambda *_: None)  # the wake-up byte does the work
        notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self.kiosk.window)

        def on_signal() -> None:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if data:
                log.info("stopping on signal %s", ",".join(str(b) for b in data))
                app.exit(0)  # not quit(): Qt 6 asks the windows first, and kiosk mode refuses to close

        notifier.activated.connect(on_signal)
        self._keep += [reader, writer, notifier]


def stop_signals() -> list[signal.Signals]:
    """The signals that stop the kiosk cleanly, of those this platform has: SIGTERM and SIGINT
    everywhere, SIGHUP where it exists (not on Windows, whose Python has no SIGHUP: naming it
    there ended the kiosk before its first frame)."""
    names = ("SIGTERM", "SIGINT", "SIGHUP")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


def start_appliance(data_dir: Path) -> Appliance:
    """At start-up, before the kiosk is built: count the last run's unclean end, decide on safe mode."""
    safe = SafeMode(data_dir)
    try:
        decision = safe.start()
    except OSError as exc:  # an unwritable data folder must not stop the kiosk
        log.error("safe mode state cannot be written (%s); starting normally", exc)
        decision = StartDecision(False, None, 0, None)
    return Appliance(data_dir, safe, decision)
