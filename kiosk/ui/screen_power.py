"""Screen sleep outside opening hours: the display off where the system can do it, and a black cover.

Under cage (Wayland with wlroots) the output is switched off with `wlopm --off NAME` or
`wlr-randr --output NAME --off`; under X11 with `xset dpms force off`. A black cover over the
kiosk window is always shown as well: it is all there is where neither command works, and it
catches the touch that wakes the screen, so that touch does not also press a button under it.
Commands are run with a short timeout and their failure is only logged: a screen that cannot be
switched off must not take the kiosk down.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from kiosk.core.appliance import visitor_log

log = logging.getLogger(__name__)
TIMEOUT_S = 5


def _run(args: list[str]) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("screen: %s failed: %s", args[0], exc)
        return None


def wayland_outputs() -> list[str]:
    """Output names as wlr-randr lists them (lines that do not start with a space)."""
    if shutil.which("wlr-randr") is None:
        return []
    done = _run(["wlr-randr"])
    if done is None or done.returncode != 0:
        return []
    return [line.split()[0] for line in done.stdout.splitlines() if line and not line[0].isspace()]


def display_commands(on: bool, platform: str | None = None) -> list[list[str]]:
    """The commands that switch the display on or off on this platform, best first."""
    platform = platform or QGuiApplication.platformName()
    if platform == "wayland" and os.environ.get("WAYLAND_DISPLAY"):
        if shutil.which("wlopm"):
            return [["wlopm", "--on" if on else "--off", "*"]]
        return [["wlr-randr", "--output", name, "--on" if on else "--off"] for name in wayland_outputs()]
    if platform == "xcb" and os.environ.get("DISPLAY") and shutil.which("xset"):
        return [["xset", "dpms", "force", "on" if on else "off"]]
    return []


class _Cover(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("ScreenSleepCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#ScreenSleepCover { background: black; }")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.hide()


class ScreenPower(QObject):
    """sleep() / wake(); a touch on the sleeping screen calls `on_wake` (the kiosk goes to attract)."""

    def __init__(self, window: QWidget, on_wake: Callable[[], None] = lambda: None,
                 run: Callable[[list[str]], object] = _run) -> None:
        super().__init__(window)
        self.window = window
        self.on_wake = on_wake
        self._run = run
        self.cover = _Cover(window)
        self.asleep = False
        self.display_off = False
        window.installEventFilter(self)

    def sleep(self) -> None:
        if self.asleep:
            return
        self.asleep = True
        self.cover.setGeometry(self.window.rect())
        self.cover.raise_()
        self.cover.show()
        commands = display_commands(on=False)
        results = [self._run(cmd) for cmd in commands]
        self.display_off = bool(commands) and all(
            getattr(r, "returncode", 1) == 0 for r in results)
        log.info("screen asleep (%s)", "display off" if self.display_off else "black cover only")

    def wake(self) -> None:
        if not self.asleep:
            return
        self.asleep = False
        if self.display_off:
            for cmd in display_commands(on=True):
                self._run(cmd)
        self.display_off = False
        self.cover.hide()
        # A touch may have woken it: a visitor's action, so the hour only (kiosk/core/appliance/logs.py).
        visitor_log().info("screen awake")
        self.on_wake()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and self.asleep and event.type() in (
                QEvent.Type.Resize, QEvent.Type.ChildAdded, QEvent.Type.Show):
            # the cover stays on top of widgets added later (staff mode's, the idle overlay)
            QTimer.singleShot(0, self._cover_all)
        return False

    def _cover_all(self) -> None:
        if self.asleep:
            self.cover.setGeometry(self.window.rect())
            self.cover.raise_()

    def touched(self) -> None:
        """Any input while asleep wakes the screen."""
        if self.asleep:
            self.wake()
