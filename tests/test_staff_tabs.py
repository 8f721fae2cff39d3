"""The staff tabs as a new staff member reads them: figures with no visits, the settings' − value +
rows, and no English on a Kazakh, Russian or Uzbek staff screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from tests.ui_helpers import SIZES, STAFF_PIN, open_staff_kiosk, tap, type_pin


def open_panel(qtbot, staff_kiosk, language: str = "en"):  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    tap(qtbot, staff.panel.language_buttons[language])
    return kiosk, staff, staff.panel


def test_figures_with_no_visits_say_so_instead_of_an_empty_chart(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff, panel = open_panel(qtbot, staff_kiosk)
    figures = panel.figures
    assert not figures.chart.isVisible() and figures.chart.bars == []  # no stray day label under nothing
    assert figures.no_visits.isVisible() and figures.no_visits.text() == "No visits yet today."
    tap(qtbot, figures.periods[1][2])  # 7 days
    assert figures.no_visits.text() == "No visits yet in these 7 days."
    assert figures.hardest.text() == "No quiz question was answered in this period."
    tap(qtbot, panel.language_buttons["ru"])
    assert figures.no_visits.text() == "За эти 7 дней посещений пока нет."
    tap(qtbot, panel.language_buttons["kk"])
    tap(qtbot, figures.periods[2][2])
    assert figures.no_visits.text() == "Осы 30 күнде әзірге келушілер болмады."
    tap(qtbot, panel.close)
    session = kiosk.session  # one visit, then the chart is back
    session.start()
    session.choose_language("ru")
    session.timeout()
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    tap(qtbot, figures.periods[1][2])
    assert figures.chart.isVisible() and not figures.no_visits.isVisible()
    assert sum(n for _day, n in figures.chart.bars) == 1


@pytest.mark.parametrize("size", SIZES)
def test_each_setting_value_sits_right_between_its_minus_and_plus(qtbot, data_dir: Path, size) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = open_staff_kiosk(qtbot, data_dir)
    kiosk.window.resize(*size)
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    tap(qtbot, panel.tabs[panel.pages.index(panel.settings)][1])
    qtbot.wait(50)
    mm = kiosk.window.theme.mm(1)
    for key, (minus, plus) in panel.settings.step_buttons.items():
        value = panel.settings.steppers[key][1]
        left = minus.mapTo(panel, minus.rect().topRight()).x()
        right = plus.mapTo(panel, plus.rect().topLeft()).x()
        v_left = value.mapTo(panel, value.rect().topLeft()).x()
        v_right = value.mapTo(panel, value.rect().topRight()).x()
        text_w = value.fontMetrics().horizontalAdvance(value.text())
        assert left <= v_left and v_right <= right, key
        gap = right - left - text_w  # the space around the digits, both sides together
        assert gap <= 24 * mm, f"{key} at {size}: the value is {gap / mm:.0f} mm from its buttons"
        center = (v_left + v_right) / 2
        assert abs(center - (left + right) / 2) <= 2, key


# The tabs this check covers; the Content tab shows `kiosk check`'s messages, which are put
# through gettext apart (issue 14 part 1).
CHECKED_TABS = ("figures", "printer", "updates", "settings", "data")
# Names and words that are the same in every language: programme and printer names, file
# formats, the language names on the language buttons.
ALLOWED = {"CSV", "PDF", "QR", "USB", "English", "Oʻzbekcha", "kiosk", "pdf", "tmp", "exports", "data"}


def english_words(root: QWidget) -> list[str]:
    words = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        for word in re.findall(r"[A-Za-z][A-Za-z'ʻ]{2,}", re.sub(r"\S*/\S*", "", text)):  # paths stay as they are
            if word not in ALLOWED:
                words.append(f"{widget.__class__.__name__}: {word!r} in {text!r}")
    return words


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_english_on_a_kazakh_or_russian_staff_tab(qtbot, staff_kiosk, language: str) -> None:  # type: ignore[no-untyped-def]
    _kiosk, _staff, panel = open_panel(qtbot, staff_kiosk, language)
    for name in CHECKED_TABS:
        page = getattr(panel, name)
        tap(qtbot, panel.tabs[panel.pages.index(page)][1])
        qtbot.wait(300)  # the printer tab: lpstat answers (or is not there)
        assert english_words(page) == [], name


# Uzbek is written in Latin letters too: look for English words among them.
ENGLISH = {"the", "and", "print", "printer's", "settings", "visits", "details", "look", "again", "save", "job",
           "failed", "ready", "stopped", "today", "days", "write", "exit", "restart", "update", "updates", "none"}


def test_no_english_words_among_the_uzbek_ones(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    _kiosk, _staff, panel = open_panel(qtbot, staff_kiosk, "uz")
    for name in CHECKED_TABS:
        page = getattr(panel, name)
        tap(qtbot, panel.tabs[panel.pages.index(page)][1])
        qtbot.wait(300)
        found = [w for w in english_words(page) if w.split("'")[1].lower() in ENGLISH]
        assert found == [], name


def test_the_check_finds_english_where_there_is_some(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    _kiosk, _staff, panel = open_panel(qtbot, staff_kiosk, "kk")
    tap(qtbot, panel.tabs[panel.pages.index(panel.data)][1])
    panel.data.export_message.setText("Written: stats.csv")
    assert any("Written" in w for w in english_words(panel.data))
