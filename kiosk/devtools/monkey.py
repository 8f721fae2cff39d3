"""`kiosk monkey`: random taps, swipes and keys on the real kiosk, as children would do.

Every event goes through Qt's real input path (QTest presses and releases on widgets, key
events on the window): buttons on whatever screen is showing, random points anywhere,
swipes, Esc and Alt+F4, quick exits, idle timeouts, the staff corner with wrong PINs, and
printing to whatever printer the settings or CUPS name. Afterwards it counts unhandled
exceptions and Qt warnings, and checks the kiosk is back in its attract loop.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QPoint, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.core.printer import PrintStatus
from kiosk.core.session import Screen

log = logging.getLogger(__name__)

# Messages Qt's offscreen platform prints by design; they are not misuse by the kiosk.
PLATFORM_NOISE = ("This plugin does not support",)

KEYS = [Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Tab, Qt.Key.Key_A,
        Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Backspace, Qt.Key.Key_F4, Qt.Key.Key_Q]


@dataclass
class MonkeyReport:
    events: int = 0
    seconds: float = 0.0
    actions: dict[str, int] = field(default_factory=dict)
    screens: dict[str, int] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    qt_warnings: list[str] = field(default_factory=list)
    ended_in_attract: bool = False

    @property
    def ok(self) -> bool:
        return not self.exceptions and not self.qt_warnings and self.ended_in_attract

    def summary(self) -> str:
        actions = ", ".join(f"{k} {v}" for k, v in sorted(self.actions.items()))
        screens = ", ".join(f"{k} {v}" for k, v in sorted(self.screens.items()))
        return (f"{self.events} events in {self.seconds:.0f} s ({actions})\n"
                f"screens seen after an event: {screens}\n"
                f"unhandled exceptions: {len(self.exceptions)}; Qt warnings: {len(self.qt_warnings)}; "
                f"back in the attract loop: {'yes' if self.ended_in_attract else 'NO'}")


class Monkey:
    def __init__(self, kiosk: Any, staff: Any, seed: int = 1) -> None:
        self.kiosk = kiosk
        self.staff = staff
        self.window: QWidget = kiosk.window
        self.rng = random.Random(seed)
        self.report = MonkeyReport()
        staff.hold.timer.setInterval(50)  # the corner gesture, pressed for real, held less long
        self.actions = [
            (40, "tap_button", self.tap_button),
            (18, "tap_anywhere", self.tap_anywhere),
            (10, "swipe", self.swipe),
            (6, "key", self.key),
            (2, "alt_f4", self.alt_f4),
            (3, "quick_exit", self.quick_exit),
            (3, "idle_timeout", self.idle_timeout),
            (1, "staff_wrong_pin", self.staff_wrong_pin),
            (4, "go_print", self.go_print),
        ]
        self._weights = [w for w, _n, _f in self.actions]

    # -- the actions ---------------------------------------------------------------------
    def _visible_buttons(self) -> list[QPushButton]:
        return [b for b in self.window.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]

    def tap_button(self) -> None:
        buttons = self._visible_buttons()
        if buttons:
            button = self.rng.choice(buttons)
            QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())

    def go_print(self) -> None:
        """Children love the Print button: from the menu to the leaflet, and Print, by taps."""
        screen = self.kiosk.session.screen
        if screen is Screen.MENU:
            from kiosk.ui.screens.menu import GET_LEAFLET

            for label, button, _available in self.window.screens[Screen.MENU].items:  # type: ignore[attr-defined]
                if label == GET_LEAFLET and button.isVisible():
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                    return
        elif screen is Screen.LEAFLET:
            leaflet = self.window.screens[Screen.LEAFLET]  # type: ignore[attr-defined]
            button = leaflet.print_button
            if button.isVisible() and button.isEnabled():
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                # and, like a child, watches the printer until the screen says what happened
                deadline = time.monotonic() + 3
                while self.kiosk.session.state.print_status is PrintStatus.CHECKING and time.monotonic() < deadline:
                    QApplication.processEvents()
                    time.sleep(0.01)
        else:
            self.tap_button()

    def _point(self) -> QPoint:
        return QPoint(self.rng.randrange(max(1, self.window.width())), self.rng.randrange(max(1, self.window.height())))

    def _target(self, point: QPoint) -> tuple[QWidget, QPoint]:
        child = self.window.childAt(point)
        target = child if child is not None else self.window
        return target, target.mapFrom(self.window, point)

    def tap_anywhere(self) -> None:
        target, pos = self._target(self._point())
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=pos)

    def swipe(self) -> None:
        start = self._point()
        target, pos = self._target(start)
        dx = self.rng.choice([-1, 1]) * self.rng.randrange(20, 600)
        QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
        QTest.mouseMove(target, pos + QPoint(dx // 2, 0))
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos + QPoint(dx, 0))

    def key(self) -> None:
        modifiers = self.rng.choice([Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier,
                                     Qt.KeyboardModifier.ControlModifier])
        QTest.keyClick(self.window, self.rng.choice(KEYS), modifiers)

    def alt_f4(self) -> None:
        # What the window manager does on Alt+F4: a close request, which kiosk mode refuses.
        QApplication.sendEvent(self.window, QCloseEvent())

    def quick_exit(self) -> None:
        button = self.window.quick_exit  # type: ignore[attr-defined]
        if button.isVisible():
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def idle_timeout(self) -> None:
        idle = self.window.idle  # type: ignore[attr-defined]
        if idle.idle.isActive():
            idle.idle.timeout.emit()  # as if the visitor had walked away
            for _ in range(self.rng.randrange(0, idle.countdown_s + 2)):
                if idle.tick.isActive():
                    idle.tick.timeout.emit()

    def staff_wrong_pin(self) -> None:
        corner = QPoint(3, 3)
        target, pos = self._target(corner)
        QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
        deadline = time.monotonic() + 1
        while not self.staff.active and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos)
        pad = self.staff.pad
        if not self.staff.active or pad is None:
            return
        # 1 to 5 digits: never the 6-digit PIN the monkey is not told
        for _ in range(self.rng.randrange(1, 6)):
            QTest.mouseClick(pad.digits[str(self.rng.randrange(10))], Qt.MouseButton.LeftButton)
        QTest.mouseClick(pad.open, Qt.MouseButton.LeftButton)
        QTest.mouseClick(pad.close, Qt.MouseButton.LeftButton)

    # -- the run -------------------------------------------------------------------------
    def run(self, events: int) -> MonkeyReport:
        report = self.report
        previous_hook = sys.excepthook
        previous_handler = qInstallMessageHandler(self._on_qt_message)

        def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
            report.exceptions.append("".join(traceback.format_exception(kind, value, tb)))
            previous_hook(kind, value, tb)

        sys.excepthook = hook
        start = time.perf_counter()
        try:
            for _ in range(events):
                _weight, name, action = self.rng.choices(self.actions, weights=self._weights)[0]
                try:
                    action()
                except Exception:  # noqa: BLE001 - a failure of the kiosk, counted, not hidden
                    report.exceptions.append(traceback.format_exc())
                QApplication.processEvents()
                report.events += 1
                report.actions[name] = report.actions.get(name, 0) + 1
                screen = "staff" if self.staff.active else self.kiosk.session.screen.value
                report.screens[screen] = report.screens.get(screen, 0) + 1
            # The end of the day: nobody touches it; staff mode and the visit time out.
            if self.staff.active:
                self.staff.idle.timeout.emit()
            self.kiosk.session.timeout()
            QApplication.processEvents()
            report.ended_in_attract = (self.kiosk.session.screen is Screen.ATTRACT and not self.staff.active
                                       and self.window.isVisible())
        finally:
            report.seconds = time.perf_counter() - start
            sys.excepthook = previous_hook
            qInstallMessageHandler(previous_handler)
        return report

    def _on_qt_message(self, kind: QtMsgType, context: Any, message: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not message.startswith(PLATFORM_NOISE):
                self.report.qt_warnings.append(message)


def prepare(kiosk: Any, staff: Any) -> None:
    """Kiosk mode as on site: close requests are refused, the window stays."""
    window = kiosk.window
    window.kiosk_mode = True
    window.allow_close = False
    staff.quit = lambda code: None  # the staff exit is out of the monkey's reach anyway


def run_monkey(args: argparse.Namespace) -> int:
    from kiosk.app import build_kiosk, install_excepthook, install_staff_mode
    from kiosk.core.logs import setup_logging
    from kiosk.core.pin import hash_pin
    from kiosk.core.settings import load_settings, save_settings, settings_path

    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-monkey-"))
    setup_logging(data, to_stderr=False)
    path = settings_path(data, args.config)
    settings = load_settings(path)[0]
    if not settings.staff_pin:  # a PIN the monkey is never told, so staff mode stays shut
        import dataclasses
        import secrets

        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        save_settings(path, dataclasses.replace(settings, staff_pin=hash_pin(pin, n=2**12)))
    kiosk = build_kiosk(data, args.config, args.content, (args.width, args.height), with_stats=True)
    install_excepthook(kiosk)
    app.installEventFilter(kiosk.window.input)  # type: ignore[attr-defined]
    staff = install_staff_mode(kiosk)
    prepare(kiosk, staff)
    kiosk.window.show()  # type: ignore[attr-defined]
    monkey = Monkey(kiosk, staff, args.seed)
    report = monkey.run(args.events)
    print(report.summary())
    for text in (report.exceptions + report.qt_warnings)[:5]:
        print("---\n" + text)
    print(f"data folder (logs, statistics): {data}")
    return 0 if report.ok else 1
