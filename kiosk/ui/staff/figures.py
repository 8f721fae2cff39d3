"""The staff Figures tab: today, 7 and 30 days, per language, the hardest questions, a bar chart."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.model import N_, NATIVE_NAMES, NP_
from kiosk.ui.staff.common import Staff, Tab, label, set_role
from kiosk.ui.theme import ACCENT, INK, MUTED, WRONG, Theme
from kiosk.ui.widgets import big_button

# TRANSLATORS: staff screen tab.
TAB_FIGURES = N_("Figures")
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
# TRANSLATORS: staff figures: instead of the bar chart when nobody visited in the period.
F_NO_VISITS_TODAY = N_("No visits yet today.")
F_NO_VISITS = NP_("No visits yet in this {days} day.", "No visits yet in these {days} days.")
# TRANSLATORS: staff figures: instead of the list of questions when nobody answered one in the period.
F_NO_ANSWERS = N_("No quiz question was answered in this period.")
# TRANSLATORS: staff figures, shown when the statistics store has a problem.
D_NO_STATS = N_("Statistics are off: the statistics file could not be opened.")


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
        for i, (caption, value) in enumerate(self.bars):
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
                                 Qt.AlignmentFlag.AlignCenter, caption)
        painter.end()


class FiguresTab(Tab):
    title = TAB_FIGURES

    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.periods: list[tuple[str, int, QPushButton]] = []
        row = QHBoxLayout()
        for text, days in ((TODAY, 1), (DAYS_7, 7), (DAYS_30, 30)):
            button = big_button(role="secondary")
            button.setFont(t.font(4.5))
            button.clicked.connect(lambda _=False, d=days: self.show_figures(d))
            row.addWidget(button)
            self.periods.append((text, days, button))
        row.addStretch(1)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(t.mm(6))
        self.figure_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for i, key in enumerate((F_VISITS, F_SLIDES, F_QUIZZES, F_SCORE, F_LEAFLETS, F_QR, F_FAILED, F_EXITS)):
            name, value = label(t, 4.5), label(t, 5, bold=True, wrap=False)
            self.grid.addWidget(name, i % 4, (i // 4) * 2)
            self.grid.addWidget(value, i % 4, (i // 4) * 2 + 1)
            self.figure_labels[key] = (name, value)
        self.by_language = label(t, 4.5)
        self.chart_title = label(t, 4.5, bold=True)
        self.chart = BarChart(t)
        self.no_visits = label(t, 4.5)
        self.no_visits.setStyleSheet(f"color: {MUTED};")
        self.hardest_title = label(t, 4.5, bold=True)
        self.hardest = label(t, 4)
        self.stats_warnings = label(t, 4)
        self.stats_warnings.setStyleSheet(f"color: {WRONG};")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.stats_warnings)
        layout.addLayout(self.grid)
        layout.addWidget(self.by_language)
        layout.addWidget(self.chart_title)
        layout.addWidget(self.chart)
        layout.addWidget(self.no_visits)
        layout.addWidget(self.hardest_title)
        layout.addWidget(self.hardest)
        layout.addStretch(1)
        self.days = 1

    def refresh(self) -> None:
        self.show_figures(self.days)

    def show_figures(self, days: int) -> None:
        self.days = days
        staff = self.staff
        t = staff.t
        for text, d, button in self.periods:
            button.setText(t(text))
            set_role(button, "primary" if d == days else "secondary")
        store = staff.stats
        if store is None or not hasattr(store, "figures"):
            self.stats_warnings.setText(t(D_NO_STATS))
            return
        store.flush()
        figures = store.figures(days)
        lang = staff.language
        i18n = staff.i18n

        def fmt(n: float) -> str:
            return i18n.format_number(n, lang)

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
        bars = [(f"{d.day}.{d.month:02d}", n) for d, n in figures.visits_per_day]
        # No visits: say so, rather than an empty chart with one stray day under it.
        any_visit = any(n for _day, n in bars)
        self.chart.set_bars(bars if any_visit else [])
        self.chart.setVisible(any_visit)
        self.no_visits.setVisible(not any_visit)
        if days == 1:
            self.no_visits.setText(t(F_NO_VISITS_TODAY))
        else:
            self.no_visits.setText(i18n.ngettext(*F_NO_VISITS, days, lang).format(days=fmt(days)))
        self.hardest_title.setText(t(F_HARDEST))
        quiz = staff.session.content.quiz
        prompts = {q.id: q.prompt.get(lang) for q in quiz.questions} if quiz else {}
        self.hardest.setText("\n".join(
            f"{round(100 * q.rate)} % ({q.right}/{q.answers}) · {prompts.get(q.question, q.question)}"
            for q in figures.questions[:6]) or t(F_NO_ANSWERS))
        self.stats_warnings.setText("\n".join(i18n.gettext(w.message, lang).format(**w.params)
                                              for w in store.warnings))
