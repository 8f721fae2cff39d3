"""The one-page donor report: the figures of a period, a chart of visits over time, visits per
language and the quiz questions people got wrong, in one language, numbers and dates by Babel.

Like the leaflet, the page is laid out in tenths of a point and scaled onto the device, so the
same drawing goes to a QPdfWriter (`kiosk stats report`), a QPrinter or a preview image.
Needs a QGuiApplication (for the fonts).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QPen,
)

from kiosk.core.model import BABEL_LOCALES, N_, NP_, I18n
from kiosk.core.stats import EvidenceFigures, Figures
from kiosk.paper.page import MM, PAGE_H, PAGE_W, PT, a4_painter, prepare_page

MARGIN = 15 * MM
RESOLUTION_DPI = 600

INK = QColor("#1f2937")
MUTED = QColor("#4b5563")
ACCENT = QColor("#0f766e")
BAR = QColor("#134e4a")
LIGHT = QColor("#e5ecea")
RIGHT = QColor("#15803d")
WRONG = QColor("#b91c1c")

# TRANSLATORS: title of the one-page statistics report the NGO gives its donors.
TITLE = N_("Safe migration kiosk: usage report")
# TRANSLATORS: under the report title; {kiosk_id} is the kiosk's name from its settings, e.g. shymkent-1.
KIOSK = N_("Kiosk: {kiosk_id}")
# TRANSLATORS: the period of the report; {first} and {last} are dates, e.g. 1 May 2025 – 30 May 2025.
PERIOD = N_("{first} – {last}")
# TRANSLATORS: report figure: how many visitors chose a language and used the kiosk.
VISITS = N_("Visits")
# TRANSLATORS: report figure: how many information pages (slides) were shown.
SLIDES = N_("Slides viewed")
# TRANSLATORS: report figure: how many visitors played the quiz to the end.
QUIZZES = N_("Quizzes finished")
# TRANSLATORS: report figure: the average quiz score, in percent.
SCORE = N_("Average quiz score")
# TRANSLATORS: report figure: paper leaflets printed by the kiosk.
LEAFLETS = N_("Leaflets printed")
# TRANSLATORS: report figure: how often a QR code (to call a hotline) was shown on the screen.
QR = N_("QR codes shown")
# TRANSLATORS: report figure: how often printing a leaflet failed (no paper, printer off, ...).
PRINT_FAILED = N_("Print failures")
# TRANSLATORS: report figure: how often a visitor pressed "Quick exit" to hide the screen at once.
QUICK_EXITS = N_("Quick exits")
# TRANSLATORS: report chart title: one bar per day.
PER_DAY = N_("Visits per day")
# TRANSLATORS: report chart title: one bar per week (the label is the week's first day).
PER_WEEK = N_("Visits per week")
# TRANSLATORS: report chart title: one bar per month.
PER_MONTH = N_("Visits per month")
# TRANSLATORS: report chart title: one bar per language the visitors chose.
PER_LANGUAGE = N_("Visits per language")
# TRANSLATORS: report section title: for each quiz question, the share of right answers.
QUESTIONS = N_("Quiz: right answers per question, hardest first")
# TRANSLATORS: report, instead of the quiz table when nobody answered a question in the period.
NO_ANSWERS = N_("No quiz question was answered in this period.")
# TRANSLATORS: report, instead of the language chart when there were no visits.
NO_VISITS = N_("No visits in this period.")
# TRANSLATORS: report footer: what the figures are made of (the kiosk keeps nothing about a person).
PRIVACY = N_("Anonymous counts only, added up per hour and language: no names, no visitor ids, "
             "nothing typed by visitors.")
# TRANSLATORS: report footer; {date} is the date the report was made.
MADE_ON = N_("Made on {date}")
# TRANSLATORS: fleet report, first page: the figures of every kiosk added up. {count} is a number.
ALL_KIOSKS = N_("All kiosks together ({count})")
# TRANSLATORS: a language name in the report's language chart.
KAZAKH = N_("Kazakh")
# TRANSLATORS: a language name in the report's language chart.
RUSSIAN = N_("Russian")
# TRANSLATORS: a language name in the report's language chart.
UZBEK = N_("Uzbek")
# TRANSLATORS: a language name in the report's language chart.
ENGLISH = N_("English")
LANGUAGE_NAMES = {"kk": KAZAKH, "ru": RUSSIAN, "uz": UZBEK, "en": ENGLISH}
# TRANSLATORS: the length of the report period, after its dates, e.g. "(30 days)".
DAYS = NP_("{count} day", "{count} days")
# TRANSLATORS: after a quiz question's right-answer rate in the report: how many people answered it.
ANSWERS = NP_("{count} answer", "{count} answers")
# TRANSLATORS: the last line of the report's quiz table when not every question fits on the page.
MORE_QUESTIONS = NP_("… and {count} more question", "… and {count} more questions")

MAX_DAY_BARS = 62
MAX_WEEK_BARS = 30
MAX_QUESTIONS = 14


def _font(family: str, pt: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPixelSize(max(1, round(pt * PT)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


class _Page:
    """Drawing helpers in layout units, with the report's language and font."""

    def __init__(self, painter: QPainter, family: str, i18n: I18n, language: str) -> None:
        self.p = painter
        self.family = family
        self.i18n = i18n
        self.language = language
        self.locale = BABEL_LOCALES.get(language, "en")

    def tr(self, message: str) -> str:
        return self.i18n.gettext(message, self.language)

    def plural(self, pair: tuple[str, str], count: int) -> str:
        return self.i18n.ngettext(pair[0], pair[1], count, self.language)

    def number(self, value: float) -> str:
        return self.i18n.format_number(value, self.language)

    def percent(self, share: float) -> str:
        from babel.numbers import format_percent

        return format_percent(share, locale=self.locale)

    def date(self, day: dt.date, skeleton: str = "") -> str:
        if not skeleton:
            return self.i18n.format_date(day, self.language, "long")
        from babel.dates import format_skeleton

        return str(format_skeleton(skeleton, day, locale=self.locale))

    def text(self, rect: QRectF, text: str, pt: float, bold: bool = False, color: QColor = INK,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
             wrap: bool = False) -> None:
        font = _font(self.family, pt, bold)
        self.p.setFont(font)
        self.p.setPen(color)
        if wrap:
            self.p.drawText(rect, int(align | Qt.TextFlag.TextWordWrap), text)
        else:
            # A longer translation gets a smaller size first (to 70 %); only then is it cut.
            size = pt
            while QFontMetricsF(font).horizontalAdvance(text) > rect.width() and size > pt * 0.7:
                size -= 0.5
                font = _font(self.family, size, bold)
            self.p.setFont(font)
            elided = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            self.p.drawText(rect, int(align), elided)

    def box(self, rect: QRectF, color: QColor) -> None:
        self.p.fillRect(rect, color)


def _buckets(per_day: Sequence[tuple[dt.date, int]], page: _Page) -> tuple[str, list[tuple[str, int]]]:
    """Days, weeks or months, so a long period still gets readable bars."""
    if len(per_day) <= MAX_DAY_BARS:
        return PER_DAY, [(page.date(d, "MMMd"), n) for d, n in per_day]
    if len(per_day) <= 7 * MAX_WEEK_BARS:
        weeks = [per_day[i:i + 7] for i in range(0, len(per_day), 7)]
        return PER_WEEK, [(page.date(w[0][0], "MMMd"), sum(n for _, n in w)) for w in weeks]
    months: dict[tuple[int, int], list[int]] = {}
    for d, n in per_day:
        months.setdefault((d.year, d.month), []).append(n)
    return PER_MONTH, [(page.date(dt.date(y, m, 1), "yMMM"), sum(v)) for (y, m), v in months.items()]


def _axis_step(value: int) -> int:
    """A round step (1, 2, 5 x 10^k) so that four steps reach `value`."""
    need = max(1, math.ceil(value / 4))
    step = int(10 ** math.floor(math.log10(need)))
    for f in (1, 2, 5, 10):
        if need <= f * step:
            return f * step
    return need


def _draw(page: _Page, figures: Figures, kiosk_id: str, questions: Mapping[str, str],
          made_on: dt.date, organisation: str) -> None:
    tr, n = page.tr, page.number
    x0, width = MARGIN, PAGE_W - 2 * MARGIN
    y = MARGIN

    # Header
    page.text(QRectF(x0, y, width, 10 * MM), tr(TITLE), 18, bold=True, color=ACCENT)
    y += 10 * MM
    days = figures.days
    length = page.plural(DAYS, days).format(count=n(days))
    period = tr(PERIOD).format(first=page.date(figures.first), last=page.date(figures.last))
    if organisation:
        page.text(QRectF(x0, y, width, 6 * MM), organisation, 10.5, color=MUTED)
        y += 5.5 * MM
    line = f"{tr(KIOSK).format(kiosk_id=kiosk_id)}  ·  {period} ({length})"
    page.text(QRectF(x0, y, width, 6 * MM), line, 10.5, color=MUTED)
    y += 8 * MM

    # Figures: two rows of four tiles
    score = "–" if figures.quiz_score_avg is None else page.percent(figures.quiz_score_avg / 100)
    tiles = [
        (VISITS, n(figures.visits)), (SLIDES, n(figures.slides_viewed)),
        (QUIZZES, n(figures.quizzes_finished)), (SCORE, score),
        (LEAFLETS, n(figures.leaflets_printed)), (QR, n(figures.qr_shown)),
        (PRINT_FAILED, n(figures.print_failed)), (QUICK_EXITS, n(figures.quick_exits)),
    ]
    gap = 3 * MM
    tile_w, tile_h = (width - 3 * gap) / 4, 18 * MM
    for i, (label, value) in enumerate(tiles):
        tx = x0 + (i % 4) * (tile_w + gap)
        ty = y + (i // 4) * (tile_h + gap)
        page.box(QRectF(tx, ty, tile_w, tile_h), LIGHT)
        page.text(QRectF(tx + 2.5 * MM, ty + 1.5 * MM, tile_w - 5 * MM, 8 * MM), value, 17, bold=True, color=BAR)
        page.text(QRectF(tx + 2.5 * MM, ty + 9.5 * MM, tile_w - 5 * MM, 8.5 * MM), tr(label), 8.5,
                  color=INK, align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, wrap=True)
    y += 2 * tile_h + gap + 6 * MM

    # Visits over time
    title, bars = _buckets(figures.visits_per_day, page)
    page.text(QRectF(x0, y, width, 6 * MM), tr(title), 12, bold=True)
    y += 7 * MM
    chart_h = 46 * MM
    _bar_chart(page, QRectF(x0, y, width, chart_h), bars)
    y += chart_h + 5 * MM

    # Visits per language
    page.text(QRectF(x0, y, width, 6 * MM), tr(PER_LANGUAGE), 12, bold=True)
    y += 7 * MM
    if figures.visits:
        top = max(figures.visits_by_language.values())
        name_w, value_w, row_h = 32 * MM, 30 * MM, 5.5 * MM
        for language, count in figures.visits_by_language.items():
            name = tr(LANGUAGE_NAMES[language]) if language in LANGUAGE_NAMES else language
            page.text(QRectF(x0, y, name_w, row_h), name, 9.5)
            bar_w = (width - name_w - value_w) * count / top
            page.box(QRectF(x0 + name_w, y + 1 * MM, max(bar_w, 0.6 * MM), row_h - 2 * MM), ACCENT)
            page.text(QRectF(x0 + name_w + bar_w + 2 * MM, y, value_w, row_h),
                      f"{n(count)} ({page.percent(count / figures.visits)})", 9.5)
            y += row_h
    else:
        page.text(QRectF(x0, y, width, 6 * MM), tr(NO_VISITS), 9.5, color=MUTED)
        y += 6 * MM
    y += 5 * MM

    # Quiz questions, hardest first
    page.text(QRectF(x0, y, width, 6 * MM), tr(QUESTIONS), 12, bold=True)
    y += 7 * MM
    footer_y = PAGE_H - MARGIN - 9 * MM
    rows = list(figures.questions)
    row_h = 6 * MM
    room = max(0, int((footer_y - 2 * MM - y) // row_h))
    shown = rows[:min(room, MAX_QUESTIONS)]
    if len(shown) < len(rows):
        shown = rows[:max(0, min(room, MAX_QUESTIONS) - 1)]
    if not rows:
        page.text(QRectF(x0, y, width, row_h), tr(NO_ANSWERS), 9.5, color=MUTED)
    rate_w, bar_w, answers_w = 16 * MM, 30 * MM, 28 * MM
    text_w = width - rate_w - bar_w - answers_w - 4 * MM
    for q in shown:
        page.text(QRectF(x0, y, text_w, row_h), questions.get(q.question, q.question), 9)
        bx = x0 + text_w + 2 * MM
        page.box(QRectF(bx, y + 1.5 * MM, bar_w, row_h - 3 * MM), WRONG)
        page.box(QRectF(bx, y + 1.5 * MM, bar_w * q.rate, row_h - 3 * MM), RIGHT)
        page.text(QRectF(bx + bar_w, y, rate_w, row_h), page.percent(q.rate), 9, bold=True,
                  align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        page.text(QRectF(bx + bar_w + rate_w + 2 * MM, y, answers_w, row_h),
                  page.plural(ANSWERS, q.answers).format(count=n(q.answers)), 8.5, color=MUTED)
        y += row_h
    if len(shown) < len(rows):
        more = len(rows) - len(shown)
        page.text(QRectF(x0, y, width, row_h), page.plural(MORE_QUESTIONS, more).format(count=n(more)), 9,
                  color=MUTED)

    # Footer
    page.p.setPen(QPen(LIGHT, 0.3 * MM))
    page.p.drawLine(int(x0), int(footer_y), int(x0 + width), int(footer_y))
    page.text(QRectF(x0, footer_y + 1 * MM, width * 0.68, 8 * MM), tr(PRIVACY), 8, color=MUTED,
              align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, wrap=True)
    page.text(QRectF(x0 + width * 0.68, footer_y + 1 * MM, width * 0.32, 8 * MM),
              tr(MADE_ON).format(date=page.date(made_on)), 8, color=MUTED,
              align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, wrap=True)


def _bar_chart(page: _Page, area: QRectF, bars: list[tuple[str, int]]) -> None:
    axis_w, label_h, value_h = 12 * MM, 6 * MM, 4 * MM
    plot = QRectF(area.x() + axis_w, area.y() + value_h, area.width() - axis_w, area.height() - label_h - value_h)
    step = _axis_step(max((v for _, v in bars), default=0))
    top = 4 * step
    for i in range(5):
        gy = plot.bottom() - plot.height() * i / 4
        page.p.setPen(QPen(LIGHT, 0.25 * MM))
        page.p.drawLine(int(plot.left()), int(gy), int(plot.right()), int(gy))
        page.text(QRectF(area.x(), gy - 2 * MM, axis_w - 2 * MM, 4 * MM), page.number(step * i), 7.5,
                  color=MUTED, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if not bars:
        return
    slot = plot.width() / len(bars)
    every = max(1, math.ceil(len(bars) / 12))  # at most about a dozen date labels
    for i, (label, value) in enumerate(bars):
        h = plot.height() * value / top
        bx = plot.left() + i * slot + slot * 0.15
        page.box(QRectF(bx, plot.bottom() - h, slot * 0.7, h), BAR)
        if value and len(bars) <= 31:
            page.text(QRectF(bx - slot, plot.bottom() - h - value_h, slot * 2.7, value_h), page.number(value),
                      6.5, color=INK, align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        if i % every == 0:
            page.text(QRectF(plot.left() + i * slot - slot * 2, plot.bottom() + 1 * MM, slot * 5, label_h - MM),
                      label, 7, color=MUTED, align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)


def draw_report(target: QPaintDevice | QPainter, figures: Figures, language: str, kiosk_id: str, *,
                questions: Mapping[str, str] | None = None, i18n: I18n | None = None,
                made_on: dt.date | None = None, organisation: str = "", family: str | None = None) -> None:
    """Draws the report onto a painter or a device (a QPdfWriter or QPrinter is set to A4 first).

    `questions` maps question ids to their text in `language`; unknown ids are shown as they are.
    """
    if family is None:
        from kiosk.paper.fonts import load_fonts

        family = load_fonts()
    with a4_painter(target, "report") as painter:
        page = _Page(painter, family, i18n or I18n(), language)
        _draw(page, figures, kiosk_id, questions or {}, made_on or dt.date.today(), organisation)


def write_report_pdf(path: Path, figures: Figures, language: str, kiosk_id: str, *,
                     questions: Mapping[str, str] | None = None, i18n: I18n | None = None,
                     made_on: dt.date | None = None, organisation: str = "",
                     evidence: EvidenceFigures | None = None) -> None:
    """The report as an A4 PDF at `path`, written to a side file first and then renamed.
    With evidence of learning counted in the period, a second page shows it."""
    i18n = i18n or I18n()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(i18n.gettext(TITLE, language))
    writer.setCreator("safe-migration-kiosk")
    try:
        if evidence is None or evidence.empty:
            draw_report(writer, figures, language, kiosk_id, questions=questions, i18n=i18n, made_on=made_on,
                        organisation=organisation)
        else:
            prepare_page(writer)
            painter = QPainter(writer)
            try:
                draw_report(painter, figures, language, kiosk_id, questions=questions, i18n=i18n, made_on=made_on,
                            organisation=organisation)
                writer.newPage()
                label = i18n.gettext(KIOSK, language).format(kiosk_id=kiosk_id)
                draw_evidence_page(painter, evidence, language, label, figures.first, figures.last,
                                   questions=questions, i18n=i18n, made_on=made_on)
            finally:
                painter.end()
    finally:
        del writer  # the PDF is complete only once the writer is gone
    tmp.replace(path)


def write_fleet_report_pdf(path: Path, total: Figures, per_kiosk: Mapping[str, Figures], language: str, *,
                           i18n: I18n | None = None, made_on: dt.date | None = None, organisation: str = "",
                           evidence: EvidenceFigures | None = None,
                           questions: Mapping[str, str] | None = None) -> None:
    """Several kiosks: a first page with all of them added up, then (with evidence of learning
    counted) the evidence of all kiosks together, then one page per kiosk."""
    i18n = i18n or I18n()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(i18n.gettext(TITLE, language))
    writer.setCreator("safe-migration-kiosk")
    prepare_page(writer)
    painter = QPainter(writer)
    try:
        everyone = i18n.gettext(ALL_KIOSKS, language).format(count=len(per_kiosk))
        pages = [(everyone, total), *per_kiosk.items()]
        for i, (kiosk_id, figures) in enumerate(pages):
            if i:
                writer.newPage()
            draw_report(painter, figures, language, kiosk_id, i18n=i18n, made_on=made_on, organisation=organisation)
            if i == 0 and evidence is not None and not evidence.empty:
                writer.newPage()
                draw_evidence_page(painter, evidence, language, everyone, total.first, total.last,
                                   questions=questions, i18n=i18n, made_on=made_on)
    finally:
        painter.end()
        del writer
    tmp.replace(path)


# -- evidence of learning: a page of its own after the usage page (kiosk/core/stats/evidence.py) -----
# TRANSLATORS: title of the report page on evidence of learning.
EVIDENCE_TITLE = N_("Evidence of learning: what visitors knew before and after")
# TRANSLATORS: evidence page: the heading of the figures of all questions together.
EVIDENCE_ALL = N_("All questions together")
# TRANSLATORS: evidence page footer: how the gain and its interval are worked out.
EVIDENCE_METHOD = N_("Gain: right after minus right before, in the same visitors, in percentage points; 95 % "
                     "interval for paired proportions (Newcombe 1998, method 10). Testing effect: right after, "
                     "asked before or not (Newcombe's hybrid score interval).")
# TRANSLATORS: evidence page footer: what is stored.
EVIDENCE_PRIVACY = N_("Only counters per day, language and question: no visitor id, no time of day, "
                      "no order of events.")
GREY = QColor("#9ca3af")


def _draw_evidence(page: _Page, evidence: EvidenceFigures, label: str, period: str, questions: Mapping[str, str],
                   made_on: dt.date) -> None:
    from kiosk.core.stats import evidence_limits, evidence_sentences

    tr = page.tr
    x0, width = MARGIN, PAGE_W - 2 * MARGIN
    y = MARGIN
    page.text(QRectF(x0, y, width, 10 * MM), tr(EVIDENCE_TITLE), 16, bold=True, color=ACCENT)
    y += 10 * MM
    page.text(QRectF(x0, y, width, 6 * MM), f"{label}  ·  {period}", 10.5, color=MUTED)
    y += 9 * MM
    footer_y = PAGE_H - MARGIN - 30 * MM  # room for the limits in the longest language (Russian: 7 lines)
    blocks = [(tr(EVIDENCE_ALL), evidence.overall)]
    blocks += [(questions.get(q.question, q.question), q) for q in evidence.questions]
    font = _font(page.family, 9.5)
    metrics = QFontMetricsF(font)
    for i, (title, e) in enumerate(blocks):
        lines = evidence_sentences(e, page.language, page.i18n)
        need = 7 * MM + sum(metrics.boundingRect(QRectF(0, 0, width - 4 * MM, 1000 * MM),
                                                 int(Qt.TextFlag.TextWordWrap), text).height() + 1 * MM
                            for text in lines)
        if y + need > footer_y:
            break
        small = e.small
        page.text(QRectF(x0, y, width, 6.5 * MM), title, 12 if i == 0 else 10.5, bold=True,
                  color=GREY if small else INK)
        y += 7 * MM
        for text in lines:
            rect = metrics.boundingRect(QRectF(0, 0, width - 4 * MM, 1000 * MM), int(Qt.TextFlag.TextWordWrap), text)
            page.text(QRectF(x0 + 4 * MM, y, width - 4 * MM, rect.height() + 1 * MM), text, 9.5,
                      color=GREY if small else INK, align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                      wrap=True)
            y += rect.height() + 1 * MM
        y += 3 * MM if i else 6 * MM
    page.p.setPen(QPen(LIGHT, 0.3 * MM))
    page.p.drawLine(int(x0), int(footer_y), int(x0 + width), int(footer_y))
    foot = [evidence_limits(evidence.overall, page.language, page.i18n), tr(EVIDENCE_METHOD), tr(EVIDENCE_PRIVACY)]
    page.text(QRectF(x0, footer_y + 1 * MM, width, 28 * MM), "\n".join(foot), 7.5, color=MUTED,
              align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, wrap=True)
    page.text(QRectF(x0, PAGE_H - MARGIN, width, 4 * MM), tr(MADE_ON).format(date=page.date(made_on)), 7.5,
              color=MUTED, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)


def draw_evidence_page(target: QPaintDevice | QPainter, evidence: EvidenceFigures, language: str, label: str,
                       first: dt.date, last: dt.date, *, questions: Mapping[str, str] | None = None,
                       i18n: I18n | None = None, made_on: dt.date | None = None, family: str | None = None) -> None:
    """The evidence page: every question's figures in plain words, small figures in grey, the limits."""
    if family is None:
        from kiosk.paper.fonts import load_fonts

        family = load_fonts()
    with a4_painter(target, "report") as painter:
        page = _Page(painter, family, i18n or I18n(), language)
        period = page.tr(PERIOD).format(first=page.date(first), last=page.date(last))
        _draw_evidence(page, evidence, label, period, questions or {}, made_on or dt.date.today())
