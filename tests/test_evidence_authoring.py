"""Evidence of learning for staff and authors: the Settings tab, `kiosk check`'s warnings, and what
the before screen reads aloud."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.cli import main
from kiosk.core.content import check_report
from kiosk.core.model import I18n
from kiosk.core.narration.narration import page_items
from kiosk.core.site.settings import Settings, load_settings, save_settings
from kiosk.core.visit import Before, Pairing, Screen, Visit
from tests.support import default_content
from tests.test_staff_tabs import open_panel
from tests.ui_helpers import tap


def test_staff_switch_evidence_on_and_set_the_share(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, _staff, panel = open_panel(qtbot, staff_kiosk)
    tab = panel.settings
    tap(qtbot, panel.tabs[panel.pages.index(tab)][1])
    assert tab.evidence_switch.text() == "Off" and tab.steppers["evidence_before_share"][1].text() == "50"
    tap(qtbot, tab.evidence_switch)
    minus, _plus = tab.step_buttons["evidence_before_share"]
    tap(qtbot, minus)
    tap(qtbot, minus)
    assert tab.evidence_switch.text() == "On" and tab.steppers["evidence_before_share"][1].text() == "30"
    tap(qtbot, tab.save)
    assert kiosk.config.settings.evidence and kiosk.config.settings.evidence_before_share == 30
    saved, _problems = load_settings(kiosk.config.path)
    assert saved.evidence and saved.evidence_before_share == 30
    for _ in range(5):
        tap(qtbot, minus)
    assert tab.steppers["evidence_before_share"][1].text() == "1"  # both groups always exist


def test_check_warns_when_evidence_is_on_and_nothing_is_marked(content_copy: Path) -> None:
    quiz = content_copy / "quiz.yaml"
    quiz.write_text(re.sub(r"\n    before: true[^\n]*", "", quiz.read_text(encoding="utf-8")), encoding="utf-8")
    _result, report = check_report(content_copy, evidence=True)
    assert "no quiz question is marked 'before: true'" in report
    _result, report = check_report(content_copy, evidence=False)
    assert "before: true" not in report


def test_check_warns_about_a_marked_question_that_is_hard_to_read(content_copy: Path) -> None:
    quiz = content_copy / "quiz.yaml"
    text = quiz.read_text(encoding="utf-8")
    # signs-locked: 111 letters in Uzbek, so too long to ask before the slides
    text = text.replace("  - id: signs-locked\n", "  - id: signs-locked\n    before: true\n")
    quiz.write_text(text, encoding="utf-8")
    _result, report = check_report(content_copy)
    assert "question signs-locked is marked 'before: true' but is hard to read before the slides: its " \
           "question has 111 letters in uz (at most 100)" in report
    assert "question passport-keep is marked" not in report  # the default marks read well


def test_kiosk_check_reads_evidence_from_the_settings(content_copy: Path, data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    quiz = content_copy / "quiz.yaml"
    quiz.write_text(re.sub(r"\n    before: true[^\n]*", "", quiz.read_text(encoding="utf-8")), encoding="utf-8")
    save_settings(data_dir / "settings.yaml", Settings(evidence=True))
    assert main(["check", str(content_copy), "--data-dir", str(data_dir)]) == 0
    assert "'before: true'" in capsys.readouterr().out


def test_the_before_screen_reads_its_question_like_the_quiz_and_then_nothing() -> None:
    content = default_content()
    pairing = Pairing("passport-keep", True, "ru", (2, 0, 1), Before.WAITING)
    items = page_items(content, Visit(Screen.BEFORE, "ru", started=True, evidence=pairing), I18n())
    assert [i.key for i in items] == ["question/passport-keep", "answer/passport-keep/3", "answer/passport-keep/1",
                                      "answer/passport-keep/2"]
    answered = Pairing("passport-keep", True, "ru", (2, 0, 1), Before.RIGHT)
    assert page_items(content, Visit(Screen.BEFORE, "ru", started=True, evidence=answered), I18n()) == []
