"""`kiosk monkey`: random taps, swipes, touches and keys on the real kiosk, as children would do.

Every event goes through Qt's real input path: mouse presses and releases (QTest), and, for half
of the pointer events, real touch events from a touchscreen device (QTest.touchEvent on a
QPointingDevice of type TouchScreen): taps, swipes, two and three fingers at once, a palm. Then
keys, Esc and Alt+F4, quick exits, idle timeouts, the staff corner with wrong PINs, printing, and
with `--staff` whole staff sessions with the right PIN (tabs, test pages, stacks, reload, settings
saved and checked, export, leaving by Close and by the staff idle time).

The weights below decide what happens next; `explore` is a visitor with a purpose (the buttons
that lead deeper: an answer, Next, Print), so a run reaches the deep states (every quiz
question answered right and wrong, every score band, every leaflet status) while chaos keeps its
share. After every event the invariants are checked; at the end the coverage table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
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

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QCloseEvent, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.core.visit import Debounce, PrintStatus, Screen, Visit, band_for
from kiosk.ui.staff.settings import S_SAVED

log = logging.getLogger(__name__)

# Messages Qt's offscreen platform prints by design; they are not misuse by the kiosk.
PLATFORM_NOISE = ("This plugin does not support",)

KEYS = [Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Tab, Qt.Key.Key_A,
        Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Backspace, Qt.Key.Key_F4, Qt.Key.Key_Q]


# (weight, name): what the monkey does next, one event each. Documented in docs/DEVELOPERS.md, "The monkey"; the
# staff session comes in only with --staff. The pointer actions use touch half of the time.
WEIGHTS: tuple[tuple[int, str], ...] = (
    (50, "explore"),  # a visitor with a purpose: the button that leads deeper on this screen
    (12, "tap_button"),  # any visible button but quick exit
    (9, "tap_anywhere"),
    (7, "swipe"),
    (2, "multi_touch"),  # two or three fingers at once
    (1, "palm"),  # a hand on the glass: many points
    (4, "key"),
    (1, "alt_f4"),
    (2, "quick_exit"),
    (2, "idle_timeout"),
    (3, "staff_wrong_pin"),  # five in a row lock the pad, which a staff session then waits out
    (4, "go_print"),
)
STAFF_WEIGHT = (2, "staff_session")
STAFF_TABS = ("figures", "printer", "content", "updates", "settings", "data")  # the panel's attributes
STAFF_ACTIONS = ("opened", "waited out a lock", "language", "test page", "stack", "reload content",
                 "save settings", "export", "left by Close", "left by the idle time")
# What a visitor can be told of a print on a working printer; the faults (no printer, stopped,
# out of paper, deleted, CUPS down, a failed job) are made for real in tests/test_leaflet_printing.py.
VISITOR_PRINT_STATES = (PrintStatus.CHECKING, PrintStatus.PRINTING, PrintStatus.DONE, PrintStatus.SENT,
                        PrintStatus.LIMIT_REACHED)
STAFF_PIN = "481516"  # the PIN the monkey sets when it is allowed into staff mode (--staff)
MONKEY_PRINTS_PER_HOUR = 1000  # `kiosk monkey` sets it unless the settings name another limit
FLOOR = 200  # a 100,000-event run reaches every expected state at least this often
MEMORY_BAND_MIB = 25.0  # resident memory may grow this much over the first 2,000 events, no more


@dataclass
class MonkeyReport:
    events: int = 0
    seconds: float = 0.0
    actions: dict[str, int] = field(default_factory=dict)
    screens: dict[str, int] = field(default_factory=dict)  # the screen after each event
    coverage: dict[str, int] = field(default_factory=dict)  # states entered, and staff tabs and actions
    expected: list[str] = field(default_factory=list)  # what a run should reach (listed even at 0)
    exceptions: list[str] = field(default_factory=list)
    qt_warnings: list[str] = field(default_factory=list)
    broken_invariants: list[str] = field(default_factory=list)
    ended_in_attract: bool = False
    rss_mib: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.exceptions and not self.qt_warnings and not self.broken_invariants and self.ended_in_attract

    def summary(self) -> str:
        actions = ", ".join(f"{k} {v}" for k, v in sorted(self.actions.items()))
        screens = ", ".join(f"{k} {v}" for k, v in sorted(self.screens.items()))
        return (f"{self.events} events in {self.seconds:.0f} s ({actions})\n"
                f"screens seen after an event: {screens}\n"
                f"resident memory: {self.rss_mib}\n"
                f"unhandled exceptions: {len(self.exceptions)}; Qt warnings: {len(self.qt_warnings)}; "
                f"broken invariants: {len(self.broken_invariants)}; "
                f"back in the attract loop: {'yes' if self.ended_in_attract else 'NO'}")

    def below(self, floor: int = FLOOR) -> dict[str, int]:
        """The states a run should reach that it reached fewer than `floor` times (0 included)."""
        return {k: self.coverage.get(k, 0) for k in self.expected if self.coverage.get(k, 0) < floor}

    def table(self, floor: int = FLOOR) -> str:
        keys = sorted(set(self.coverage) | set(self.expected))
        width = max((len(k) for k in keys), default=10)
        rows = [f"{'state or action':<{width}}  times"]
        for key in keys:
            count = self.coverage.get(key, 0)
            rows.append(f"{key:<{width}}  {count:>6}{'   < ' + str(floor) if count < floor else ''}")
        return "\n".join(rows)

    def as_dict(self) -> dict[str, object]:
        return {"events": self.events, "seconds": round(self.seconds, 1), "actions": self.actions,
                "screens": self.screens, "coverage": self.coverage,
                "below_floor": self.below(), "exceptions": len(self.exceptions),
                "qt_warnings": len(self.qt_warnings), "broken_invariants": self.broken_invariants[:20],
                "ended_in_attract": self.ended_in_attract, "rss_mib": self.rss_mib}


class Monkey:
    def __init__(self, kiosk: Any, staff: Any, seed: int = 1, with_staff: bool = False,
                 export_folder: Path | None = None) -> None:
        self.kiosk = kiosk
        self.staff = staff
        self.session = kiosk.session
        self.window: QWidget = kiosk.window
        self.rng = random.Random(seed)
        self.report = MonkeyReport()
        self.with_staff = with_staff
        staff.hold.timer.setInterval(50)  # the corner gesture, pressed for real, held less long
        if export_folder is not None:
            staff.export_folders = lambda: [export_folder]  # a folder standing in for a USB stick
        self.touch: QPointingDevice = QTest.createTouchDevice()
        self._skill = 0.5  # how often this visitor knows the right answer (drawn anew per quiz)
        weights = WEIGHTS + ((STAFF_WEIGHT,) if with_staff else ())
        self.actions = [(w, n, getattr(self, n)) for w, n in weights]
        self._weights = [w for w, _n, _f in self.actions]
        self._rss_base: float | None = None
        self.session.changed.connect(self._on_changed)
        narration = getattr(self.window, "narration", None)  # the Listen button and reading aloud
        if narration is not None:
            narration.narrator.playing_changed.connect(
                lambda playing: playing and self._count("narration played"))
        # Wrong PINs lock the pad for five minutes; a monkey with the right PIN waits them out:
        # the PIN gate's clock jumps six minutes each time it finds the pad locked.
        self._waited = dt.timedelta(0)
        # A visitor who comes back for a second leaflet comes a moment later: the double-tap
        # guard's clock jumps as far (self._later), so a run need not sleep through it.
        self._later = 0.0
        self.session.debounce = Debounce(self.session.debounce.interval_s, lambda: time.monotonic() + self._later)

    # -- what was reached ------------------------------------------------------------------
    def _count(self, key: str) -> None:
        self.report.coverage[key] = self.report.coverage.get(key, 0) + 1

    def _on_changed(self, old: Visit, new: Visit) -> None:
        if new.screen is not old.screen:
            self._count(f"screen {new.screen.value}")
        quiz = self.session.content.quiz
        run = new.quiz
        if run is not None and run.answered and new.screen is Screen.QUIZ and (
                old.quiz is None or not old.quiz.answered or old.quiz.current != run.current or old.quiz is not run
                and old.quiz.questions != run.questions):
            self._count(f"quiz {run.question.id} {'right' if run.is_right(run.current) else 'wrong'}")
        if new.screen is Screen.QUIZ and old.screen is not Screen.QUIZ or (
                run is not None and old.quiz is not None and run.questions != old.quiz.questions):
            self._skill = self.rng.choice((0.15, 0.6, 0.97, 1.0))
        if new.screen is Screen.QUIZ_RESULT and old.screen is not Screen.QUIZ_RESULT and run is not None and quiz:
            self._count(f"quiz result band {band_for(quiz, run.percent).from_percent}%")
        if new.print_status is not None and new.print_status is not old.print_status:
            self._count(f"leaflet {new.print_status.value}")
        if new.qr and not old.qr:
            self._count("leaflet QR view")
        if new.idle_warning and not old.idle_warning:
            self._count("idle countdown")
        if old.started and new.started and new.language != old.language:
            self._count("language changed mid-visit")
        if new.large_text and not old.large_text:
            self._count("large text on")
        before, was = new.evidence, old.evidence
        if before is not None and (was is None or was.before is not before.before) and before.before is not None:
            if before.before.value in ("right", "wrong", "skipped"):
                self._count(f"before question {before.before.value}")

    def expected(self) -> list[str]:
        """Every state and action a long run should reach: the rows of the coverage table."""
        content = self.session.content
        evidence = self.session.config.settings.evidence
        keys = [f"screen {s.value}" for s in Screen
                if (s is not Screen.STAFF or self.with_staff) and (s is not Screen.BEFORE or evidence)]
        if evidence:  # evidence of learning: the question before the menu, answered either way or skipped
            keys += [f"before question {how}" for how in ("right", "wrong", "skipped")]
        quiz = content.quiz
        if quiz is not None:
            keys += [f"quiz {q.id} {how}" for q in quiz.questions for how in ("right", "wrong")]
            keys += [f"quiz result band {b.from_percent}%" for b in quiz.bands]
        if content.leaflet is not None:
            keys += [f"leaflet {s.value}" for s in VISITOR_PRINT_STATES] + ["leaflet QR view"]
        keys += ["idle countdown", "language changed mid-visit", "large text on"]
        if getattr(self.window, "narration", None) is not None:
            keys.append("narration played")
        if self.with_staff:
            keys += [f"staff {a}" for a in STAFF_ACTIONS] + [f"staff tab {t} shown" for t in STAFF_TABS]
        return keys

    # -- pointer input, mouse or touch -------------------------------------------------------
    def _point(self) -> QPoint:
        return QPoint(self.rng.randrange(max(1, self.window.width())), self.rng.randrange(max(1, self.window.height())))

    def _target(self, point: QPoint) -> tuple[QWidget, QPoint]:
        child = self.window.childAt(point)
        target = child if child is not None else self.window
        return target, target.mapFrom(self.window, point)

    def _use_touch(self) -> bool:
        use = self.rng.random() < 0.5
        self.report.actions["(touch)" if use else "(mouse)"] = self.report.actions.get(
            "(touch)" if use else "(mouse)", 0) + 1
        return use

    def _click(self, widget: QWidget) -> None:
        centre = widget.rect().center()
        if self._use_touch():
            point = widget.mapTo(self.window, centre)
            QTest.touchEvent(self.window, self.touch).press(0, point, self.window).commit()
            QTest.touchEvent(self.window, self.touch).release(0, point, self.window).commit()
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=centre)

    def _visible_buttons(self) -> list[QPushButton]:
        exit_button = getattr(self.window, "quick_exit", None)
        return [b for b in self.window.findChildren(QPushButton)
                if b.isVisible() and b.isEnabled() and b is not exit_button]

    # -- the actions ---------------------------------------------------------------------
    def explore(self) -> None:
        """The button a visitor with a purpose taps next on this screen."""
        screens = self.window.screens  # type: ignore[attr-defined]
        state = self.session.state
        screen = state.screen
        choice: QWidget | None = None
        if screen is Screen.ATTRACT:
            choice = screens[Screen.ATTRACT]
        elif screen is Screen.LANGUAGE:
            buttons = [b for b in screens[Screen.LANGUAGE].buttons.values() if b.isVisible()]
            choice = self.rng.choice(buttons) if buttons else None
        elif screen is Screen.MENU:
            menu = screens[Screen.MENU]
            items = [b for _label, b, _available in menu.items if b.isVisible()]
            roll = self.rng.random()
            if roll < 0.06:
                choice = menu.language  # the language changed in the middle of a visit
            elif items:
                weights = [10 if i == 1 else 2 for i in range(len(items))]  # the quiz most (it is long)
                choice = self.rng.choices(items, weights=weights)[0]
        elif screen is Screen.SLIDES:
            slides = screens[Screen.SLIDES]
            choice = self.rng.choices([slides.next, slides.previous, slides.menu], weights=[7, 1, 2])[0]
        elif screen is Screen.QUIZ and state.quiz is not None:
            quiz = screens[Screen.QUIZ]
            run = state.quiz
            if run.answered:
                choice = quiz.next
            else:
                shown = run.displayed_answers()
                right = [i for i, (_o, correct) in enumerate(shown) if correct]
                wrong = [i for i, (_o, correct) in enumerate(shown) if not correct]
                pick = right if (self.rng.random() < self._skill or not wrong) else wrong
                choice = quiz.answer_buttons[self.rng.choice(pick)]
        elif screen is Screen.BEFORE:
            before = screens[Screen.BEFORE]
            answers = [b for b in before.answer_buttons if b.isVisible()]
            if before.go_on.isVisible():
                choice = before.go_on
            elif answers and self.rng.random() < 0.8:
                choice = self.rng.choice(answers)
            else:
                choice = before.skip
        elif screen is Screen.QUIZ_RESULT:
            result = screens[Screen.QUIZ_RESULT]
            choice = self.rng.choices([result.again, result.leaflet, result.menu], weights=[10, 2, 1])[0]
        elif screen is Screen.LEAFLET:
            leaflet = screens[Screen.LEAFLET]
            choice = self.rng.choices([leaflet.print_button, leaflet.qr_button, leaflet.back], weights=[4, 4, 1])[0]
        toggle = getattr(self.window, "large_text", None)
        if toggle is not None and toggle.isVisible() and self.rng.random() < 0.04:
            choice = toggle  # large text and high contrast, on or off, in the middle of a visit
        if choice is not None and choice.isVisible() and choice.isEnabled():
            self._click(choice)
        else:
            self.tap_button()

    def tap_button(self) -> None:
        buttons = self._visible_buttons()
        if buttons:
            self._click(self.rng.choice(buttons))

    def go_print(self) -> None:
        """Children love the Print button: from the menu or the quiz result to the leaflet and
        Print, by taps, in one go; then they watch, and some come back and tap Print again."""
        screens = self.window.screens  # type: ignore[attr-defined]
        screen = self.session.screen
        if screen is Screen.MENU:
            from kiosk.ui.screens.menu import GET_LEAFLET

            for label, button, _available in screens[Screen.MENU].items:
                if label == GET_LEAFLET and button.isVisible():
                    self._click(button)
                    break
        elif screen is Screen.QUIZ_RESULT:
            leaflet = screens[Screen.QUIZ_RESULT].leaflet
            if leaflet.isVisible() and leaflet.isEnabled():
                self._click(leaflet)
        if self.session.screen is not Screen.LEAFLET:
            self.explore()
            return
        button = screens[Screen.LEAFLET].print_button
        for _tap in range(4):
            if not (button.isVisible() and button.isEnabled()):
                return
            self._click(button)
            # and, like a child, watches the printer until the screen says what happened
            self._wait_while(PrintStatus.CHECKING, 3.0)
            # and most stay until the leaflet is out (or the printer says why not)
            if self.session.state.print_status is PrintStatus.PRINTING and self.rng.random() < 0.8:
                self._wait_while(PrintStatus.PRINTING, 6.0)
            if self.session.screen is not Screen.LEAFLET or self.rng.random() < 0.3:
                return
            # most come back a moment later for another: past the double-tap second, up to the
            # visitor's paper limit, where the screen says so
            self._later += 1.5

    def _wait_while(self, status: PrintStatus, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.session.state.print_status is status and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)

    def tap_anywhere(self) -> None:
        point = self._point()
        if self._use_touch():
            QTest.touchEvent(self.window, self.touch).press(0, point, self.window).commit()
            QTest.touchEvent(self.window, self.touch).release(0, point, self.window).commit()
        else:
            target, pos = self._target(point)
            QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=pos)

    def swipe(self) -> None:
        start = self._point()
        dx = self.rng.choice([-1, 1]) * self.rng.randrange(20, 600)
        end = start + QPoint(dx, self.rng.randrange(-30, 30))
        if self._use_touch():
            QTest.touchEvent(self.window, self.touch).press(0, start, self.window).commit()
            for step in (1, 2, 3):
                QTest.touchEvent(self.window, self.touch).move(
                    0, start + (end - start) * step / 3, self.window).commit()
            QTest.touchEvent(self.window, self.touch).release(0, end, self.window).commit()
        else:
            target, pos = self._target(start)
            QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
            QTest.mouseMove(target, pos + QPoint(dx // 2, 0))
            QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos + QPoint(dx, 0))

    def _fingers(self, points: list[QPoint]) -> None:
        press = QTest.touchEvent(self.window, self.touch)
        for i, point in enumerate(points):
            press.press(i, point, self.window)
        press.commit()
        release = QTest.touchEvent(self.window, self.touch)
        for i, point in enumerate(points):
            release.release(i, point, self.window)
        release.commit()

    def multi_touch(self) -> None:
        self._fingers([self._point() for _ in range(self.rng.choice((2, 3)))])

    def palm(self) -> None:
        centre = self._point()
        self._fingers([centre + QPoint(self.rng.randrange(-60, 60), self.rng.randrange(-40, 40))
                       for _ in range(self.rng.randrange(6, 11))])

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
            covered = self.window.idle.overlay_shown()  # type: ignore[attr-defined]
            order = self.session.print_order
            self._click(button)
            if not covered:  # under the "still there?" card a finger touches the card, not the button
                self._check_quick_exit(order)

    def idle_timeout(self) -> None:
        idle = self.window.idle  # type: ignore[attr-defined]
        if idle.idle.isActive():
            idle.idle.timeout.emit()  # as if the visitor had walked away
            for _ in range(self.rng.randrange(0, idle.countdown_s + 2)):
                if idle.tick.isActive():
                    idle.tick.timeout.emit()

    def _hold_corner(self) -> bool:
        """The staff gesture, by mouse or by a finger held in the corner; True once the PIN pad shows."""
        corner = QPoint(3, 3)
        touch = self._use_touch()
        target, pos = self._target(corner)
        if touch:
            QTest.touchEvent(self.window, self.touch).press(0, corner, self.window).commit()
        else:
            QTest.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
        deadline = time.monotonic() + 1
        while not self.staff.active and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        if touch:
            QTest.touchEvent(self.window, self.touch).release(0, corner, self.window).commit()
        else:
            QTest.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos)
        return self.staff.active and self.staff.pad is not None

    def staff_wrong_pin(self) -> None:
        if not self._hold_corner():
            return
        pad = self.staff.pad
        # 1 to 5 digits: never the 6-digit PIN
        for _ in range(self.rng.randrange(1, 6)):
            self._click(pad.digits[str(self.rng.randrange(10))])
        self._click(pad.open)
        if self.staff.active and self.staff.screen.currentWidget() is pad:
            self._click(pad.close)

    # -- staff mode with the right PIN (--staff) ----------------------------------------------
    def staff_session(self) -> None:
        if not self._hold_corner():
            return
        pad = self.staff.pad
        for digit in STAFF_PIN:
            self._click(pad.digits[digit])
        self._click(pad.open)
        panel = self.staff.panel
        if panel is None or self.staff.screen.currentWidget() is not panel:
            self._count("staff waited out a lock")
            self._waited += dt.timedelta(minutes=6)
            self._click(pad.close)
            return
        self._count("staff opened")
        for _ in range(self.rng.randrange(2, 9)):
            self._staff_step(panel)
            QApplication.processEvents()
            if not self.staff.active:
                return
            self._count(f"staff tab {next(n for n in STAFF_TABS if getattr(panel, n) is panel.current)} shown")
        if self.rng.random() < 0.3:
            self.staff.idle.timeout.emit()  # staff walked away: it closes by itself
            self._count("staff left by the idle time")
        else:
            self._click(panel.close)
            self._count("staff left by Close")

    def _staff_step(self, panel: Any) -> None:
        step = self.rng.choice(("tab", "tab", "language", "test_page", "stack", "reload", "settings", "export"))
        if step == "tab":
            index = self.rng.randrange(len(panel.tabs))
            self._click(panel.tabs[index][1])
        elif step == "language":
            self._click(self.rng.choice(list(panel.language_buttons.values())))
            self._count("staff language")
        elif step in ("test_page", "stack"):
            self._click(panel.tabs[panel.pages.index(panel.printer)][1])
            printer = panel.printer
            if step == "test_page":
                self._click(printer.test)
            else:
                while printer.count > 1:  # one leaflet: inside the paper limits
                    self._click(printer.minus)
                visible = [b for b in printer.language_buttons.values() if b.isVisible()]
                if not visible:
                    return
                self._click(self.rng.choice(visible))
            self._count(f"staff {step.replace('_', ' ')}")
        elif step == "reload":
            self._click(panel.tabs[panel.pages.index(panel.content)][1])
            self._click(panel.content.reload)
            self._count("staff reload content")
        elif step == "settings":
            self._staff_settings(panel)
        elif step == "export":
            self._click(panel.tabs[panel.pages.index(panel.data)][1])
            if panel.data.export_buttons:
                self._click(self.rng.choice(panel.data.export_buttons)[1])
                self._count("staff export")

    def _staff_settings(self, panel: Any) -> None:
        self._click(panel.tabs[panel.pages.index(panel.settings)][1])
        tab = panel.settings
        for _ in range(self.rng.randrange(1, 5)):
            what = self.rng.choice(("step", "language", "default"))
            if what == "step":
                key = self.rng.choice(list(tab.step_buttons))
                minus, plus = tab.step_buttons[key]
                # Changed within what keeps the kiosk usable: printing stays on, so the rest of the
                # run still reaches every leaflet state, and a visitor's limit stays within reach.
                floor = {"prints_per_visit": 1, "prints_per_hour": 10}.get(key, 0)
                value = getattr(tab.draft.settings, key)
                high = key == "prints_per_visit" and value >= 2
                self._click(plus if value <= floor else minus if high else self.rng.choice((minus, plus)))
            elif what == "language":
                self._click(self.rng.choice([b for b in tab.enabled_buttons.values() if b.isEnabled()]))
            else:
                self._click(self.rng.choice([b for b in tab.default_buttons.values() if b.isEnabled()]))
        wanted = tab.draft.settings
        self._click(tab.save)
        if not self.staff.active or tab.settings_message.text() != self.staff.t(S_SAVED):
            return  # not saved (staff mode closed meanwhile, or the disk refused): nothing to check
        self._count("staff save settings")
        # It took effect: the settings in force, and what uses them, say so at once.
        config = self.kiosk.config
        for name in ("idle_timeout_s", "prints_per_visit", "prints_per_hour", "default_language"):
            if getattr(config.settings, name) != getattr(wanted, name):
                self._broken(f"staff saved {name}={getattr(wanted, name)!r} but {getattr(config.settings, name)!r} "
                             "is in force")
        if self.window.idle.idle.interval() != config.settings.idle_timeout_s * 1000:  # type: ignore[attr-defined]
            self._broken("the idle timer does not follow the saved idle time")
        if self.session.languages != tab.draft.enabled_languages(self.session.content):
            self._broken("the languages offered do not follow the saved settings")

    # -- invariants ----------------------------------------------------------------------
    def _broken(self, what: str) -> None:
        if len(self.report.broken_invariants) < 200:
            self.report.broken_invariants.append(f"event {self.report.events}: {what}")

    def _check_quick_exit(self, order: Any) -> None:
        state = self.session.state
        if state != Visit(Screen.NEUTRAL, self.session.default_language):
            self._broken(f"after quick exit the visit is not empty: {state}")
        if self.session.print_order is not None:
            self._broken("after quick exit a print order still belongs to the visit")
        if order is not None and not (order.done or getattr(order, "cancel_requested", False)):
            self._broken("after quick exit the visitor's print job is still queued")
        self._check_silent("after quick exit")

    def _check_silent(self, where: str) -> None:
        """No voice where none may be heard: no player process, nothing queued to play."""
        narration = getattr(self.window, "narration", None)
        if narration is None:
            return
        narrator = narration.narrator
        if narrator.pid or narrator.playing is not None or narrator.queue:
            self._broken(f"{where} a narration player runs (pid {narrator.pid}) or is queued")

    def check_invariants(self) -> None:
        session, window = self.session, self.window
        state = session.state
        content = session.content
        bar = window.contact_bar  # type: ignore[attr-defined]
        if state.screen is Screen.STAFF:
            if bar.isVisible():
                self._broken("the contact bar is shown over staff mode")
            self._check_silent("in staff mode")
        elif state.screen is Screen.NEUTRAL:
            if bar.numbers() != [c.display for c in content.exit_screen_contacts]:
                self._broken(f"the neutral screen shows {bar.numbers()}")
            self._check_silent("on the neutral screen")
        elif bar.numbers() != [c.display for c in content.contacts] or not bar.isVisible():
            self._broken(f"the contact bar on {state.screen.value} shows {bar.numbers()}")
        theme = getattr(window, "theme", None)
        if theme is not None and theme.large != (state.large_text and state.screen not in (
                Screen.ATTRACT, Screen.NEUTRAL, Screen.STAFF)):
            self._broken(f"large text is {'on' if theme.large else 'off'} on {state.screen.value}"
                         f" with the visit's large_text {state.large_text}")
        if state.screen in (Screen.ATTRACT, Screen.NEUTRAL, Screen.STAFF) and state.large_text:
            self._broken(f"large text survived into {state.screen.value}")
        if state.screen in (Screen.ATTRACT, Screen.NEUTRAL, Screen.STAFF) and state.evidence is not None:
            self._broken(f"the evidence pairing survived into {state.screen.value}")
        if state.screen is Screen.ATTRACT and state.language != session.default_language:
            self._broken(f"the attract loop is in {state.language}, not the default {session.default_language}")

    def _check_memory(self) -> None:
        from kiosk.devtools.soak import rss_mib

        rss = rss_mib()
        events = self.report.events
        if events == 2_000:
            self._rss_base = rss
            self.report.rss_mib["at 2000"] = round(rss, 1)
        elif self._rss_base is not None:
            self.report.rss_mib["highest after"] = round(max(rss, self.report.rss_mib.get("highest after", 0)), 1)
            if rss > self._rss_base + MEMORY_BAND_MIB:
                self._broken(f"resident memory {rss:.1f} MiB, over {self._rss_base:.1f} + {MEMORY_BAND_MIB} MiB")

    # -- the run -------------------------------------------------------------------------
    def run(self, events: int) -> MonkeyReport:
        report = self.report
        previous_hook = sys.excepthook
        previous_handler = qInstallMessageHandler(self._on_qt_message)

        def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
            report.exceptions.append("".join(traceback.format_exception(kind, value, tb)))
            previous_hook(kind, value, tb)

        sys.excepthook = hook
        from kiosk.ui.staff import mode as staff_mode

        real_gate = staff_mode.StaffGate
        if self.with_staff:
            staff_mode.StaffGate = functools.partial(  # type: ignore[misc]
                real_gate, clock=lambda: dt.datetime.now() + self._waited)
        start = time.perf_counter()
        try:
            for _ in range(events):
                _weight, name, action = self.rng.choices(self.actions, weights=self._weights)[0]
                try:
                    action()
                except Exception:  # noqa: BLE001 - a failure of the kiosk, counted, not hidden
                    report.exceptions.append(traceback.format_exc())
                QApplication.processEvents()
                # What the event loop does between events and processEvents() alone does not:
                # objects given to deleteLater() (rebuilt buttons, finished print jobs, processes)
                # are deleted. Without it they pile up in the monkey and nowhere else.
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                report.events += 1
                report.actions[name] = report.actions.get(name, 0) + 1
                screen = self.session.screen.value
                report.screens[screen] = report.screens.get(screen, 0) + 1
                self.check_invariants()
                if report.events % 1000 == 0:
                    self._check_memory()
            # The end of the day: nobody touches it; staff mode and the visit time out.
            if self.staff.active:
                self.staff.idle.timeout.emit()
            self.session.timeout()
            QApplication.processEvents()
            report.ended_in_attract = (self.session.screen is Screen.ATTRACT and not self.staff.active
                                       and self.window.isVisible())
            report.expected = self.expected()
        finally:
            staff_mode.StaffGate = real_gate  # type: ignore[misc]
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
    import dataclasses
    import json

    from kiosk.app import build_kiosk, close_printer, install_excepthook, install_staff_mode
    from kiosk.core.appliance import setup_logging
    from kiosk.core.site import Settings, load_settings, save_settings, settings_path
    from kiosk.core.staff import hash_pin
    from kiosk.ui.application import application

    app = application(QApplication)
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="kiosk-monkey-"))
    setup_logging(data, to_stderr=False)
    path = settings_path(data, args.config)
    settings = load_settings(path)[0]
    if settings.prints_per_hour == Settings().prints_per_hour:
        # 30 leaflets an hour would stop the visitors' printing after the first minutes of a long
        # run; the limit is still reached, by the per-visit one and by staff's settings chaos
        settings = dataclasses.replace(settings, prints_per_hour=MONKEY_PRINTS_PER_HOUR)
        save_settings(path, settings)
    if not settings.evidence:  # the before question is one of the states a run must reach
        settings = dataclasses.replace(settings, evidence=True)
        save_settings(path, settings)
    if args.staff:  # the monkey is told the PIN: it sets its own
        save_settings(path, dataclasses.replace(settings, staff_pin=hash_pin(STAFF_PIN, n=2**12)))
    elif not settings.staff_pin:  # a PIN the monkey is never told, so staff mode stays shut
        import secrets

        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        save_settings(path, dataclasses.replace(settings, staff_pin=hash_pin(pin, n=2**12)))
    kiosk = build_kiosk(data, args.config, args.content, (args.width, args.height), with_stats=True)
    install_excepthook(kiosk)
    app.installEventFilter(kiosk.window.input)
    staff = install_staff_mode(kiosk)
    prepare(kiosk, staff)
    kiosk.window.show()
    export = Path(tempfile.mkdtemp(prefix="kiosk-monkey-stick-"))
    monkey = Monkey(kiosk, staff, args.seed, with_staff=args.staff, export_folder=export)
    report = monkey.run(args.events)
    close_printer(kiosk)
    if args.json:
        print(json.dumps(report.as_dict()))
    else:
        print(report.table())
        print(report.summary())
        for text in (report.exceptions + report.qt_warnings + report.broken_invariants)[:5]:
            print("---\n" + text)
        print(f"data folder (logs, statistics): {data}")
    return 0 if report.ok else 1
