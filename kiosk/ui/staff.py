"""Staff mode: a hidden gesture, a PIN pad, and the staff screen.

Holding the top-left corner for five seconds opens the PIN pad; a visitor does not do that by
chance. Staff mode never keeps visitor state (the visit is wiped on entry), shows its own
language, and leaves by itself after a short idle time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content import LANGUAGES, NATIVE_NAMES
from kiosk.core.i18n import N_, I18n
from kiosk.core.pin import PinCheck, StaffGate
from kiosk.core.settings import Settings, load_settings, save_settings
from kiosk.ui.theme import ACCENT, INK, MUTED, WRONG, Theme
from kiosk.ui.widgets import big_button

if TYPE_CHECKING:
    from kiosk.app import Kiosk

log = logging.getLogger(__name__)

HOLD_MS = 5000

# TRANSLATORS: staff PIN pad heading.
ENTER_PIN = N_("Staff: enter the PIN")
# TRANSLATORS: PIN pad, after a wrong PIN.
WRONG_PIN = N_("Wrong PIN. Tries left: {count}")
# TRANSLATORS: PIN pad, after five wrong PINs.
LOCKED = N_("Too many wrong PINs. Try again in {minutes} min.")
# TRANSLATORS: PIN pad, when no PIN has been set for this kiosk.
NOT_SET = N_("Staff mode is closed: no PIN is set. An installer sets one with the command: kiosk set-pin")
# TRANSLATORS: PIN pad button that erases the last digit.
ERASE = N_("Erase")
# TRANSLATORS: PIN pad button that checks the PIN.
OPEN = N_("Open")
# TRANSLATORS: button that leaves the PIN pad or the staff screen for the kiosk.
CLOSE = N_("Close")
# TRANSLATORS: staff screen tabs.
TAB_FIGURES = N_("Figures")
TAB_PRINTER = N_("Printer")
TAB_CONTENT = N_("Content")
TAB_SETTINGS = N_("Settings")
TAB_DATA = N_("Statistics and exit")
# TRANSLATORS: staff figures: the period buttons.
TODAY = N_("Today")
DAYS_7 = N_("7 days")
DAYS_30 = N_("30 days")
# TRANSLATORS: staff figures: the rows.
F_VISITS = N_("Visits")
F_SLIDES = N_("Slides viewed")
F_QUIZZES = N_("Quizzes finished")
F_SCORE = N_("Average quiz score")
F_LEAFLETS = N_("Leaflets printed")
F_QR = N_("QR codes shown")
F_FAILED = N_("Print failures")
F_EXITS = N_("Quick exits")
# TRANSLATORS: staff figures: heading of the list of quiz questions by right-answer rate.
F_HARDEST = N_("Quiz questions, hardest first (right answers)")
# TRANSLATORS: staff figures: heading of the bar chart.
F_PER_DAY = N_("Visits per day")
# TRANSLATORS: staff content tab.
C_VERSION = N_("Content: {id}, version {version}, from {folder}")
C_FALLBACK = N_("The configured content could not be used, so the kiosk shows other content. Reason: {reason}")
C_NO_WARNINGS = N_("No warnings.")
C_RELOAD = N_("Reload content from disk")
C_RELOADED = N_("Content reloaded: version {version}.")
C_RELOAD_FAILED = N_("The content on disk has errors; the kiosk keeps showing version {version}. First error: {error}")
# TRANSLATORS: staff settings tab.
S_IDLE = N_("Start over after no touch for (seconds)")
S_LANGUAGES = N_("Languages offered (tap to switch on or off)")
S_DEFAULT = N_("Default language")
S_PER_VISIT = N_("Leaflets per visitor")
S_PER_HOUR = N_("Leaflets per hour")
S_SAVE = N_("Save settings")
S_SAVED = N_("Settings saved.")
S_NOT_SAVED = N_("Settings could not be saved: {error}")
# TRANSLATORS: staff data tab.
D_WRITE_TO = N_("Write statistics (CSV and PDF report) to: {folder}")
D_WRITTEN = N_("Written: {files}")
D_NOT_WRITTEN = N_("Could not write to {folder}: {error}")
D_EXIT = N_("Exit the kiosk")
D_RESTART = N_("Restart the kiosk")
# TRANSLATORS: staff figures, shown when the statistics store has a problem.
D_NO_STATS = N_("Statistics are off: the statistics file could not be opened.")


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


class PinPad(QWidget):
    def __init__(self, staff: StaffMode) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.entered = ""
        self.heading = QLabel()
        self.heading.setFont(t.font(7, bold=True))
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setFont(t.font(9, bold=True))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setFont(t.font(4.5))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {WRONG};")
        grid = QGridLayout()
        grid.setSpacing(t.mm(3))
        self.digits: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self.digits[digit] = self._key(digit, grid, i // 3, i % 3)
        self.erase = big_button(role="secondary")
        self.erase.clicked.connect(self._on_erase)
        grid.addWidget(self.erase, 3, 0)
        self.digits["0"] = self._key("0", grid, 3, 1)
        self.open = big_button()
        self.open.clicked.connect(self._on_open)
        grid.addWidget(self.open, 3, 2)
        for button in (self.erase, self.open):
            button.setFont(t.font(5, bold=True))
            button.setMinimumSize(t.mm(30), t.mm(16))
        self.close = big_button(role="secondary")
        self.close.setFont(t.font(5))
        self.close.clicked.connect(staff.close)
        pad = QWidget()
        pad.setLayout(grid)
        pad.setMaximumWidth(t.mm(110))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(4), t.mm(8), t.mm(4))
        layout.addWidget(self.heading)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addWidget(pad, 1, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.close, 0, Qt.AlignmentFlag.AlignLeft)

    def _key(self, digit: str, grid: QGridLayout, row: int, column: int) -> QPushButton:
        button = big_button(digit)
        button.setFont(self.staff.theme.font(8, bold=True))
        button.setMinimumSize(self.staff.theme.mm(30), self.staff.theme.mm(16))
        button.clicked.connect(lambda _=False, d=digit: self._on_digit(d))
        grid.addWidget(button, row, column)
        return button

    def reset(self) -> None:
        self.entered = ""
        self.message.setText("")
        self.retranslate()
        gate = self.staff.gate
        if not gate.is_set:
            self.message.setText(self.staff.t(NOT_SET))
        elif gate.locked_for():
            self.message.setText(self.staff.t(LOCKED).format(minutes=-(-gate.locked_for() // 60)))

    def retranslate(self) -> None:
        t = self.staff.t
        self.heading.setText(t(ENTER_PIN))
        self.erase.setText(t(ERASE))
        self.open.setText(t(OPEN))
        self.close.setText("← " + t(CLOSE))
        self.dots.setText("●" * len(self.entered) or "–")

    def _on_digit(self, digit: str) -> None:
        if len(self.entered) < 12:
            self.entered += digit
            self.dots.setText("●" * len(self.entered))

    def _on_erase(self) -> None:
        self.entered = self.entered[:-1]
        self.dots.setText("●" * len(self.entered) or "–")

    def _on_open(self) -> None:
        result = self.staff.gate.check(self.entered)
        self.entered = ""
        self.dots.setText("–")
        if result.ok:
            self.staff.show_panel()
        elif result.outcome is PinCheck.WRONG:
            self.message.setText(self.staff.t(WRONG_PIN).format(count=result.tries_left))
        elif result.outcome is PinCheck.LOCKED:
            self.message.setText(self.staff.t(LOCKED).format(minutes=-(-result.locked_for // 60)))
        else:
            self.message.setText(self.staff.t(NOT_SET))


class BarChart(QWidget):
    """Visits per day: plain bars, the count above the highest."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.bars: list[tuple[str, int]] = []
        self.setMinimumHeight(theme.mm(30))

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self.bars = bars
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self.bars:
            return
        painter = QPainter(self)
        font = QFont(self.theme.family)
        font.setPixelSize(self.theme.mm(3))
        painter.setFont(font)
        label_h = self.theme.mm(4.5)
        area = QRectF(0, label_h, self.width(), self.height() - 2 * label_h)
        top = max(v for _l, v in self.bars) or 1
        width = min(area.width() / len(self.bars), self.theme.mm(15))
        step = max(1, len(self.bars) // 10)
        for i, (label, value) in enumerate(self.bars):
            h = area.height() * value / top
            bar = QRectF(area.x() + i * width + width * 0.15, area.bottom() - h, width * 0.7, h)
            painter.fillRect(bar, QColor(ACCENT))
            if value == top and value:
                painter.setPen(QColor(INK))
                painter.drawText(QRectF(bar.x() - width, bar.y() - label_h, 3 * width, label_h),
                                 Qt.AlignmentFlag.AlignCenter, str(value))
            if i % step == 0:
                painter.setPen(QColor(MUTED))
                painter.drawText(QRectF(area.x() + i * width - width, area.bottom(), 3 * width, label_h),
                                 Qt.AlignmentFlag.AlignCenter, label)
        painter.end()


def _label(theme: Theme, size: float = 4.5, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setFont(theme.font(size, bold=bold))
    label.setWordWrap(wrap)
    return label


class StaffPanel(QWidget):
    def __init__(self, staff: StaffMode) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.language_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.setSpacing(t.mm(2))
        for lang in LANGUAGES:
            button = big_button(NATIVE_NAMES[lang], role="secondary")
            button.setFont(t.font(4.2))
            button.clicked.connect(lambda _=False, lang=lang: staff.set_language(lang))
            top.addWidget(button)
            self.language_buttons[lang] = button
        top.addStretch(1)
        self.close = big_button()
        self.close.setFont(t.font(4.5, bold=True))
        self.close.clicked.connect(staff.close)
        top.addWidget(self.close)
        self.tabs: list[tuple[str, QPushButton]] = []
        tab_row = QHBoxLayout()
        tab_row.setSpacing(t.mm(2))
        self.pages = QStackedWidget()
        for label, page in ((TAB_FIGURES, self._figures_page()), (TAB_PRINTER, self._printer_page()),
                            (TAB_CONTENT, self._content_page()), (TAB_SETTINGS, self._settings_page()),
                            (TAB_DATA, self._data_page())):
            button = big_button(role="secondary")
            button.setFont(t.font(4.5, bold=True))
            index = self.pages.addWidget(_scrolling(page))
            button.clicked.connect(lambda _=False, i=index: self.show_tab(i))
            tab_row.addWidget(button)
            self.tabs.append((label, button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(4), t.mm(3), t.mm(4), t.mm(3))
        layout.setSpacing(t.mm(3))
        layout.addLayout(top)
        layout.addLayout(tab_row)
        layout.addWidget(self.pages, 1)

    # -- pages -------------------------------------------------------------------------
    def _figures_page(self) -> QWidget:
        t = self.staff.theme
        page = QWidget()
        self.periods: list[tuple[str, int, QPushButton]] = []
        row = QHBoxLayout()
        for label, days in ((TODAY, 1), (DAYS_7, 7), (DAYS_30, 30)):
            button = big_button(role="secondary")
            button.setFont(t.font(4.5))
            button.clicked.connect(lambda _=False, d=days: self.show_figures(d))
            row.addWidget(button)
            self.periods.append((label, days, button))
        row.addStretch(1)
        self.figures_grid = QGridLayout()
        self.figures_grid.setHorizontalSpacing(t.mm(6))
        self.figure_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for i, key in enumerate((F_VISITS, F_SLIDES, F_QUIZZES, F_SCORE, F_LEAFLETS, F_QR, F_FAILED, F_EXITS)):
            name, value = _label(t, 4.5), _label(t, 5, bold=True, wrap=False)
            self.figures_grid.addWidget(name, i % 4, (i // 4) * 2)
            self.figures_grid.addWidget(value, i % 4, (i // 4) * 2 + 1)
            self.figure_labels[key] = (name, value)
        self.by_language = _label(t, 4.5)
        self.chart_title = _label(t, 4.5, bold=True)
        self.chart = BarChart(t)
        self.hardest_title = _label(t, 4.5, bold=True)
        self.hardest = _label(t, 4)
        self.stats_warnings = _label(t, 4)
        self.stats_warnings.setStyleSheet(f"color: {WRONG};")
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.stats_warnings)
        layout.addLayout(self.figures_grid)
        layout.addWidget(self.by_language)
        layout.addWidget(self.chart_title)
        layout.addWidget(self.chart)
        layout.addWidget(self.hardest_title)
        layout.addWidget(self.hardest)
        layout.addStretch(1)
        self._days = 1
        return page

    def _printer_page(self) -> QWidget:
        page = QWidget()
        self.printer_layout = QVBoxLayout(page)
        self.printer_extra: Any = None
        return page

    def _content_page(self) -> QWidget:
        t = self.staff.theme
        page = QWidget()
        self.content_info = _label(t, 4.5, bold=True)
        self.content_fallback = _label(t, 4)
        self.content_fallback.setStyleSheet(f"color: {WRONG};")
        self.content_warnings = _label(t, 3.8)
        self.reload = big_button()
        self.reload.setFont(t.font(4.5, bold=True))
        self.reload.clicked.connect(self.staff.reload_content)
        self.reload_message = _label(t, 4.2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.content_info)
        layout.addWidget(self.content_fallback)
        layout.addWidget(self.reload, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reload_message)
        layout.addWidget(self.content_warnings)
        layout.addStretch(1)
        return page

    def _settings_page(self) -> QWidget:
        t = self.staff.theme
        page = QWidget()
        grid = QGridLayout(page)
        grid.setVerticalSpacing(t.mm(3))
        self.steppers: dict[str, tuple[QLabel, QLabel]] = {}
        rows = (("idle_timeout_s", S_IDLE, 15), ("prints_per_visit", S_PER_VISIT, 1),
                ("prints_per_hour", S_PER_HOUR, 5))
        for row, (key, _label_text, step) in enumerate(rows):
            name, value = _label(t, 4.5), _label(t, 5.5, bold=True, wrap=False)
            minus, plus = big_button("−"), big_button("+")
            for button in (minus, plus):
                button.setFont(t.font(7, bold=True))
                button.setFixedWidth(t.mm(20))
            minus.clicked.connect(lambda _=False, k=key, s=step: self.staff.step_setting(k, -s))
            plus.clicked.connect(lambda _=False, k=key, s=step: self.staff.step_setting(k, s))
            grid.addWidget(name, row, 0)
            grid.addWidget(minus, row, 1)
            grid.addWidget(value, row, 2)
            grid.addWidget(plus, row, 3)
            self.steppers[key] = (name, value)
        self.languages_title = _label(t, 4.5)
        self.default_title = _label(t, 4.5)
        self.enabled_buttons: dict[str, QPushButton] = {}
        self.default_buttons: dict[str, QPushButton] = {}
        enabled_row, default_row = QHBoxLayout(), QHBoxLayout()
        for lang in LANGUAGES:
            for buttons, row_layout, action in ((self.enabled_buttons, enabled_row, self.staff.toggle_language),
                                                (self.default_buttons, default_row, self.staff.set_default_language)):
                button = big_button(NATIVE_NAMES[lang], role="secondary")
                button.setFont(t.font(4.2))
                button.clicked.connect(lambda _=False, lang=lang, a=action: a(lang))
                row_layout.addWidget(button)
                buttons[lang] = button
        grid.addWidget(self.languages_title, 3, 0)
        grid.addLayout(enabled_row, 3, 1, 1, 3)
        grid.addWidget(self.default_title, 4, 0)
        grid.addLayout(default_row, 4, 1, 1, 3)
        self.save = big_button()
        self.save.setFont(t.font(4.5, bold=True))
        self.save.clicked.connect(self.staff.save_settings)
        self.settings_message = _label(t, 4.2)
        grid.addWidget(self.save, 5, 0)
        grid.addWidget(self.settings_message, 5, 1, 1, 3)
        grid.setRowStretch(6, 1)
        grid.setColumnStretch(2, 1)
        return page

    def _data_page(self) -> QWidget:
        t = self.staff.theme
        page = QWidget()
        self.export_box = QVBoxLayout()
        self.export_box.setSpacing(t.mm(2))
        self.export_message = _label(t, 4.2)
        self.exit = big_button(role="exit")
        self.restart = big_button(role="secondary")
        for button in (self.exit, self.restart):
            button.setFont(t.font(4.5, bold=True))
        self.exit.clicked.connect(self.staff.exit_kiosk)
        self.restart.clicked.connect(self.staff.restart_kiosk)
        exits = QHBoxLayout()
        exits.addWidget(self.restart)
        exits.addWidget(self.exit)
        exits.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(self.export_box)
        layout.addWidget(self.export_message)
        layout.addStretch(1)
        layout.addLayout(exits)
        self.export_buttons: list[tuple[Path, QPushButton]] = []
        return page

    # -- filling in --------------------------------------------------------------------
    def show_tab(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        for i, (_label_text, button) in enumerate(self.tabs):
            button.setProperty("role", "primary" if i == index else "secondary")
            button.style().unpolish(button)
            button.style().polish(button)
        self.refresh()

    def refresh(self) -> None:
        t = self.staff.t
        self.close.setText("✕ " + t(CLOSE))
        for label, button in self.tabs:
            button.setText(t(label))
        for lang, button in self.language_buttons.items():
            button.setProperty("role", "primary" if lang == self.staff.language else "secondary")
            button.style().unpolish(button)
            button.style().polish(button)
        index = self.pages.currentIndex()
        [self.show_figures, self._fill_printer, self._fill_content, self._fill_settings, self._fill_data][index](
            *([self._days] if index == 0 else []))

    def show_figures(self, days: int) -> None:
        self._days = days
        t, staff = self.staff.t, self.staff
        for label, d, button in self.periods:
            button.setText(t(label))
            button.setProperty("role", "primary" if d == days else "secondary")
            button.style().unpolish(button)
            button.style().polish(button)
        store = staff.kiosk.stats
        if store is None or not hasattr(store, "figures"):
            self.stats_warnings.setText(t(D_NO_STATS))
            return
        store.flush()
        figures = store.figures(days)
        lang = staff.language
        i18n = staff.i18n
        fmt = lambda n: i18n.format_number(n, lang)  # noqa: E731
        score = "–" if figures.quiz_score_avg is None else f"{fmt(round(figures.quiz_score_avg))} %"
        values = {F_VISITS: fmt(figures.visits), F_SLIDES: fmt(figures.slides_viewed),
                  F_QUIZZES: fmt(figures.quizzes_finished), F_SCORE: score,
                  F_LEAFLETS: fmt(figures.leaflets_printed), F_QR: fmt(figures.qr_shown),
                  F_FAILED: fmt(figures.print_failed), F_EXITS: fmt(figures.quick_exits)}
        for key, (name, value) in self.figure_labels.items():
            name.setText(t(key))
            value.setText(values[key])
        self.by_language.setText("   ".join(f"{NATIVE_NAMES.get(lang_, lang_)}: {fmt(n)}"
                                            for lang_, n in figures.visits_by_language.items()))
        self.chart_title.setText(t(F_PER_DAY))
        self.chart.set_bars([(f"{d.day}.{d.month:02d}", n) for d, n in figures.visits_per_day])
        self.hardest_title.setText(t(F_HARDEST))
        quiz = staff.kiosk.session.content.quiz
        prompts = {q.id: q.prompt.get(lang) for q in quiz.questions} if quiz else {}
        self.hardest.setText("\n".join(
            f"{round(100 * q.rate)} % ({q.right}/{q.answers}) · {prompts.get(q.question, q.question)}"
            for q in figures.questions[:6]))
        self.stats_warnings.setText("\n".join(i18n.gettext(w.message, lang).format(**w.params)
                                              for w in store.warnings))

    def _fill_printer(self) -> None:
        if self.printer_extra is not None:
            self.printer_extra.refresh()

    def _fill_content(self) -> None:
        staff = self.staff
        t = staff.t
        choice = staff.kiosk.choice
        content = staff.kiosk.session.content
        self.content_info.setText(t(C_VERSION).format(id=content.id, version=content.version, folder=choice.source))
        self.content_fallback.setText(t(C_FALLBACK).format(reason=choice.fallback_reason)
                                      if choice.fallback_reason else "")
        self.reload.setText(t(C_RELOAD))
        warnings = staff.content_warnings()
        self.content_warnings.setText("\n".join(warnings) if warnings else t(C_NO_WARNINGS))

    def _fill_settings(self) -> None:
        staff = self.staff
        t = staff.t
        settings = staff.pending
        for key, (name, value) in self.steppers.items():
            name.setText(t({"idle_timeout_s": S_IDLE, "prints_per_visit": S_PER_VISIT,
                            "prints_per_hour": S_PER_HOUR}[key]))
            value.setText(str(getattr(settings, key)))
        self.languages_title.setText(t(S_LANGUAGES))
        self.default_title.setText(t(S_DEFAULT))
        enabled = staff.enabled_languages()
        default = staff.default_language()
        for lang in LANGUAGES:
            available = lang in staff.kiosk.session.content.languages
            for buttons, on in ((self.enabled_buttons, lang in enabled), (self.default_buttons, lang == default)):
                button = buttons[lang]
                button.setEnabled(available)
                button.setProperty("role", "primary" if on else "secondary")
                button.style().unpolish(button)
                button.style().polish(button)
        self.save.setText(t(S_SAVE))

    def _fill_data(self) -> None:
        t = self.staff.t
        for _path, button in self.export_buttons:
            self.export_box.removeWidget(button)
            button.deleteLater()
        self.export_buttons = []
        for folder in self.staff.export_folders():
            button = big_button(t(D_WRITE_TO).format(folder=folder), role="secondary")
            button.setFont(self.staff.theme.font(4.2))
            button.clicked.connect(lambda _=False, f=folder: self.staff.export_to(f))
            self.export_box.addWidget(button)
            button.show()
            self.export_buttons.append((folder, button))
        self.exit.setText(t(D_EXIT))
        self.restart.setText(t(D_RESTART))


def _scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    page.setObjectName("StaffPage")
    page.setStyleSheet("QWidget#StaffPage { background: #f8fafc; }")
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class StaffMode(QObject):
    """Owns the gate, the staff widgets and the staff idle timer; the shell shows them."""

    def __init__(self, kiosk: Kiosk, settings_file: Path) -> None:
        super().__init__(kiosk.window)  # type: ignore[arg-type]
        self.kiosk = kiosk
        self.window = kiosk.window
        self.theme: Theme = kiosk.window.theme  # type: ignore[attr-defined]
        self.i18n: I18n = kiosk.i18n
        self.settings_file = settings_file
        self.language = kiosk.session.default_language
        self.gate = StaffGate(kiosk.data_dir, kiosk.settings.staff_pin)
        self.pending: Settings = kiosk.settings
        self.pad: PinPad | None = None
        self.panel: StaffPanel | None = None
        self.hold = CornerHold(self.window, self.theme.mm(15))  # type: ignore[arg-type]
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(kiosk.settings.staff_idle_s * 1000)
        self.idle.timeout.connect(self.close)
        self.hold.held.connect(self.open_pin_pad)
        self.active = False
        self.quit: Callable[[int], None] = lambda code: QApplication.exit(code)

    def t(self, message: str) -> str:
        return self.i18n.gettext(message, self.language)

    def on_input(self, kind: QEvent.Type, event: QEvent) -> None:
        if self.active and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self.idle.start()

    # -- entering and leaving -------------------------------------------------------
    def open_pin_pad(self) -> None:
        self.kiosk.session.timeout()  # no visitor state survives into staff mode
        self.kiosk.session.still_here()
        if self.pad is None:
            self.pad = PinPad(self)
            self.window.add_overlay_page(self.pad)  # type: ignore[attr-defined]
        self.gate = StaffGate(self.kiosk.data_dir, self.pending.staff_pin or self.kiosk.settings.staff_pin)
        self.pad.reset()
        self.active = True
        self.idle.start()
        self.window.show_overlay_page(self.pad)  # type: ignore[attr-defined]

    def show_panel(self) -> None:
        if self.panel is None:
            self.panel = StaffPanel(self)
            self.window.add_overlay_page(self.panel)  # type: ignore[attr-defined]
            from kiosk.ui.staff_printer import PrinterTab

            self.panel.printer_extra = PrinterTab(self, self.panel.printer_layout)
        self.pending = load_settings(self.settings_file)[0] if self.settings_file.exists() else self.kiosk.settings
        self.window.show_overlay_page(self.panel)  # type: ignore[attr-defined]
        self.panel.show_tab(0)

    def close(self) -> None:
        self.active = False
        self.idle.stop()
        self.window.hide_overlay_page()  # type: ignore[attr-defined]
        self.kiosk.session.timeout()

    def set_language(self, language: str) -> None:
        self.language = language
        if self.panel is not None:
            self.panel.refresh()

    # -- content ------------------------------------------------------------------------
    def content_warnings(self) -> list[str]:
        from kiosk.core.loader import load_content

        result = load_content(self.kiosk.choice.source)
        warnings = sorted(result.problems.warnings, key=lambda p: (0 if "number" in p.message else 1, p.file, p.line))
        return [str(p) for p in warnings]

    def reload_content(self) -> None:
        from kiosk.core.library import reload_content

        session = self.kiosk.session
        assert self.panel is not None
        wanted = Path(self.kiosk.settings.content_dir) if self.kiosk.settings.content_dir else self.kiosk.choice.source
        content, result = reload_content(session.content, wanted, self.kiosk.data_dir)
        if result.content is None:
            first = str(result.problems.errors[0]) if result.problems.errors else ""
            self.panel.reload_message.setText(self.t(C_RELOAD_FAILED).format(version=content.version, error=first))
        else:
            self.window.replace_content(content)  # type: ignore[attr-defined]
            self.kiosk.choice.content = content
            self.kiosk.choice.source = wanted
            self.kiosk.choice.fallback_reason = ""
            self.panel.reload_message.setText(self.t(C_RELOADED).format(version=content.version))
        self.panel.refresh()

    # -- settings -----------------------------------------------------------------------
    def enabled_languages(self) -> tuple[str, ...]:
        return self.pending.languages or self.kiosk.session.content.languages

    def default_language(self) -> str:
        from kiosk.app import resolve_languages

        content = self.kiosk.session.content
        return resolve_languages(self.pending, content.languages, content.default_language)[1]

    def step_setting(self, key: str, step: int) -> None:
        import dataclasses

        from kiosk.core.settings import RANGES

        low, high = RANGES.get(key, (0, 10**6))
        value = min(high, max(low, getattr(self.pending, key) + step))
        self.pending = dataclasses.replace(self.pending, **{key: value})
        self._refresh_settings()

    def toggle_language(self, language: str) -> None:
        import dataclasses

        enabled = list(self.enabled_languages())
        if language in enabled:
            if len(enabled) > 1:
                enabled.remove(language)
        else:
            enabled.append(language)
        self.pending = dataclasses.replace(self.pending, languages=tuple(enabled))
        self._refresh_settings()

    def set_default_language(self, language: str) -> None:
        import dataclasses

        languages = self.enabled_languages()
        if language not in languages:
            languages = (*languages, language)
        self.pending = dataclasses.replace(self.pending, default_language=language, languages=languages)
        self._refresh_settings()

    def _refresh_settings(self) -> None:
        if self.panel is not None:
            self.panel.settings_message.setText("")
            self.panel.refresh()

    def save_settings(self) -> None:
        from kiosk.app import apply_settings

        assert self.panel is not None
        try:
            save_settings(self.settings_file, self.pending)
        except OSError as exc:
            log.error("settings not saved to %s: %s", self.settings_file, exc)
            self.panel.settings_message.setText(self.t(S_NOT_SAVED).format(error=exc.strerror or exc))
            return
        apply_settings(self.kiosk, self.pending)
        log.info("staff saved the settings to %s", self.settings_file)
        self.panel.settings_message.setText(self.t(S_SAVED))

    # -- statistics and exit ------------------------------------------------------------
    def export_folders(self) -> list[Path]:
        """Removable drives first (a USB stick is how figures leave an offline kiosk)."""
        found: list[Path] = []
        user = os.environ.get("USER", "")
        for base in (Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/mnt")):
            try:
                for child in sorted(base.iterdir()):
                    if child.is_dir() and os.path.ismount(child) and child not in found:
                        found.append(child)
            except OSError:
                continue
        if sys.platform == "win32":
            import string

            found += [Path(f"{d}:\\") for d in string.ascii_uppercase[3:] if Path(f"{d}:\\").exists()]
        found.append(self.kiosk.data_dir / "exports")
        return found

    def export_to(self, folder: Path) -> None:
        assert self.panel is not None
        store = self.kiosk.stats
        try:
            if store is None or not hasattr(store, "day_rows"):
                raise OSError(self.t(D_NO_STATS))
            files = write_statistics(store, folder, self.kiosk, self.language)
        except (OSError, RuntimeError) as exc:
            log.error("statistics export to %s failed: %s", folder, exc)
            self.panel.export_message.setText(self.t(D_NOT_WRITTEN).format(folder=folder, error=exc))
            return
        log.info("statistics exported to %s", folder)
        self.panel.export_message.setText(self.t(D_WRITTEN).format(files=", ".join(p.name for p in files)))

    def exit_kiosk(self) -> None:
        log.info("staff closed the kiosk")
        self.window.allow_close = True  # type: ignore[attr-defined]
        self.quit(0)

    def restart_kiosk(self) -> None:
        """Exit with code 3; `kiosk` runs itself again on that code (see app.run_kiosk)."""
        log.info("staff restarted the kiosk")
        self.window.allow_close = True  # type: ignore[attr-defined]
        self.quit(RESTART_CODE)


RESTART_CODE = 3


def write_statistics(store: Any, folder: Path, kiosk: Kiosk, language: str) -> list[Path]:
    """The CSV of every day and a one-page PDF report of the last 30 days, into `folder`."""
    from kiosk.core.stats import write_csv
    from kiosk.paper.report import write_report_pdf

    store.flush()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.date.today().isoformat()
    kiosk_id = kiosk.settings.kiosk_id
    csv_path = folder / f"kiosk-stats-{kiosk_id}-{stamp}.csv"
    tmp = csv_path.with_name(csv_path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, store.day_rows(), kiosk_id)
    tmp.replace(csv_path)
    report = folder / f"kiosk-report-{kiosk_id}-{stamp}-{language}.pdf"
    content = kiosk.session.content
    questions = {q.id: q.prompt.get(language) for q in content.quiz.questions} if content.quiz else {}
    write_report_pdf(report, store.figures(30), language, kiosk_id, questions=questions, i18n=kiosk.i18n,
                     organisation=content.organisation.name.get(language))
    return [csv_path, report]


def install_staff_mode(kiosk: Kiosk, settings_file: Path) -> StaffMode:
    staff = StaffMode(kiosk, settings_file)
    watcher = kiosk.window.input  # type: ignore[attr-defined]
    watcher.add(staff.hold.on_input)
    watcher.add(staff.on_input)
    kiosk.window.staff = staff  # type: ignore[attr-defined]
    return staff

