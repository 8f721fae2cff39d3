"""Evidence of learning, the visit: who is asked before, what the before screen does, what one
visit adds to the counters, and that nothing of the pairing outlives the visit. The core by its
methods, then the same path by touch on the real widgets."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.core.model import Content
from kiosk.core.site.config import SiteConfig
from kiosk.core.site.settings import Settings, load_settings
from kiosk.core.visit import Before, Cell, Pairing
from kiosk.core.visit.evidence import assign
from kiosk.core.visit.session import Screen, Session, Visit
from kiosk.ui.screens.before import BEFORE_HEADING, SKIP, THANKS, TO_START
from kiosk.ui.screens.quiz import RIGHT_TEXT, WRONG_TEXT
from tests.support import RecordingStats, default_content
from tests.ui_helpers import make_kiosk, tap

ON = Settings(languages=("kk", "ru", "uz", "en"), default_language="kk", evidence=True)


def marked(content: Content) -> tuple[str, ...]:
    assert content.quiz is not None
    return tuple(q.id for q in content.quiz.questions if q.before)


def seed_for(content: Content, asked: bool, share: int = 50) -> int:
    """A seed with which the session's first draw (at the first language) asks, or does not."""
    assert content.quiz is not None
    answers = {q.id: len(q.answers) for q in content.quiz.questions}
    return next(s for s in range(1000)
                if assign(marked(content), share, "kk", answers, random.Random(s)).asked is asked)  # type: ignore[union-attr]


def session_for(asked: bool, settings: Settings = ON) -> Session:
    content = default_content()
    return Session(content, SiteConfig(settings), RecordingStats(), rng=random.Random(seed_for(content, asked)))


def evidence_events(session: Session) -> list[tuple[str, str, Cell]]:
    return [(lang, key, Cell(value)) for kind, lang, key, value in session.stats.events  # type: ignore[attr-defined]
            if kind == "evidence"]


def answer_in_quiz(session: Session, question: str, right: bool) -> None:
    """Play the quiz to its end, answering `question` right or wrong and the others at random."""
    session.start_quiz()
    run = session.state.quiz
    assert run is not None and question in [q.id for q in run.questions]
    for _ in run.questions:
        run = session.state.quiz
        assert run is not None
        shown = run.displayed_answers()
        if run.question.id == question:
            index = next(i for i, (_orig, correct) in enumerate(shown) if correct is right)
        else:
            index = 0
        session.answer_question(index)
        session.next_question()
    assert session.screen is Screen.QUIZ_RESULT


def right_index(session: Session, right: bool) -> int:
    shown = session.before_question
    assert shown is not None
    question, order = shown
    return next(i for i, original in enumerate(order) if question.answers[original].correct is right)


# -- the core ----------------------------------------------------------------------------------

def test_default_content_marks_questions_a_picture_can_carry() -> None:
    content = default_content()
    assert content.quiz is not None
    chosen = [q for q in content.quiz.questions if q.before]
    assert 2 <= len(chosen) <= 3 and all(q.picture is not None for q in chosen)


def test_settings_evidence_on_and_share_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("evidence: on\nevidence_before_share: 30\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert (settings.evidence, settings.evidence_before_share, problems.items) == (True, 30, [])
    path.write_text("evidence: maybe\nevidence_before_share: 100\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert (settings.evidence, settings.evidence_before_share) == (False, 50)
    assert len(problems.items) == 2
    assert Settings().evidence is False and Settings().evidence_before_share == 50


def test_asked_right_before_wrong_after_is_one_paired_cell() -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("ru")
    assert session.screen is Screen.BEFORE
    pairing = session.state.evidence
    assert pairing is not None and pairing.asked and pairing.question in marked(session.content)
    session.answer_before(right_index(session, right=True))
    assert session.screen is Screen.BEFORE and session.state.evidence.before is Before.RIGHT  # type: ignore[union-attr]
    assert evidence_events(session) == []  # nothing is counted until the visit says how it ends
    session.leave_before()
    assert session.screen is Screen.MENU
    answer_in_quiz(session, pairing.question, right=False)
    assert evidence_events(session) == [("ru", pairing.question, Cell.PAIRED_RW)]
    answer_in_quiz(session, pairing.question, right=True)  # "try again": the first answer after counts
    session.quick_exit()
    assert evidence_events(session) == [("ru", pairing.question, Cell.PAIRED_RW)]


def test_not_asked_gets_the_question_in_the_quiz_as_the_comparison_group() -> None:
    session = session_for(asked=False)
    session.start()
    session.choose_language("en")
    assert session.screen is Screen.MENU
    pairing = session.state.evidence
    assert pairing is not None and not pairing.asked
    answer_in_quiz(session, pairing.question, right=True)
    session.timeout()
    assert evidence_events(session) == [("en", pairing.question, Cell.CONTROL_RIGHT)]


def test_not_asked_and_no_quiz_counts_nothing() -> None:
    session = session_for(asked=False)
    session.start()
    session.choose_language("en")
    session.open_slides()
    session.timeout()
    assert evidence_events(session) == []


def test_skip_counts_skipped_once_and_nothing_after() -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("kk")
    question = session.state.evidence.question  # type: ignore[union-attr]
    session.skip_before()
    assert session.screen is Screen.MENU
    answer_in_quiz(session, question, right=True)
    session.timeout()
    assert evidence_events(session) == [("kk", question, Cell.SKIPPED)]


@pytest.mark.parametrize("leave", ["quick_exit", "timeout", "enter_staff", "recover"])
def test_answered_before_and_left_counts_no_after(leave: str) -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("uz")
    question = session.state.evidence.question  # type: ignore[union-attr]
    session.answer_before(right_index(session, right=False))
    session.leave_before()
    session.open_slides()
    getattr(session, leave)()
    assert evidence_events(session) == [("uz", question, Cell.BEFORE_WRONG_NO_AFTER)]
    assert session.state.evidence is None


def test_leaving_on_the_before_screen_counts_skipped() -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("uz")
    question = session.state.evidence.question  # type: ignore[union-attr]
    session.timeout()
    assert evidence_events(session) == [("uz", question, Cell.SKIPPED)]


def test_a_language_change_between_before_and_after_counts_in_the_first_language() -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("kk")
    question = session.state.evidence.question  # type: ignore[union-attr]
    session.pick_language_again()
    session.choose_language("ru")  # back to the before question, now in Russian
    assert session.screen is Screen.BEFORE and session.language == "ru"
    session.answer_before(right_index(session, right=False))
    session.leave_before()
    session.pick_language_again()
    session.choose_language("en")
    answer_in_quiz(session, question, right=True)
    assert evidence_events(session) == [("kk", question, Cell.PAIRED_WR)]


def test_evidence_off_asks_nobody_and_counts_nothing() -> None:
    session = session_for(asked=True, settings=dataclasses.replace(ON, evidence=False))
    session.start()
    session.choose_language("ru")
    assert session.screen is Screen.MENU and session.state.evidence is None
    session.start_quiz()
    session.quick_exit()
    assert evidence_events(session) == []


def test_the_share_asked_follows_the_setting() -> None:
    content = default_content()
    for share in (20, 50, 80):
        session = Session(content, SiteConfig(dataclasses.replace(ON, evidence_before_share=share)),
                          RecordingStats(), rng=random.Random(share))
        asked = 0
        for _ in range(2000):
            session.start()
            session.choose_language("kk")
            asked += session.screen is Screen.BEFORE
            session.timeout()
        assert abs(asked / 2000 - share / 100) < 0.04


def test_after_a_wipe_nothing_of_the_pairing_is_left() -> None:
    session = session_for(asked=True)
    session.start()
    session.choose_language("ru")
    session.answer_before(right_index(session, right=True))
    session.quick_exit()
    assert session.state == Visit(Screen.NEUTRAL, session.default_language)
    # no copy kept aside anywhere in the session: the pairing lived in the Visit only
    assert not [name for name, value in vars(session).items() if isinstance(value, Pairing)]
    assert session.before_question is None


# -- by touch on the real widgets -------------------------------------------------------------------

def visible_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and w.text()]


def kiosk_with_evidence(qtbot, data_dir: Path, asked: bool, size=(1366, 768)):  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, size=size, settings="evidence: on\n", stats=True)
    kiosk.session.rng = random.Random(seed_for(kiosk.session.content, asked))
    return kiosk


def stored_cells(kiosk) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    kiosk.stats.flush()
    rows = kiosk.stats.store.evidence_rows()
    return [(r.language, r.question, cell.column) for r in rows for cell in Cell for _ in range(r.count(cell))]


def tap_quiz_through(qtbot, kiosk, question: str, right: bool) -> None:  # type: ignore[no-untyped-def]
    window, session = kiosk.window, kiosk.session
    screen = window.screens[Screen.QUIZ]
    seen = False
    while session.screen is Screen.QUIZ:
        run = session.state.quiz
        shown = run.displayed_answers()
        index = 0
        if run.question.id == question:
            seen = True
            index = next(i for i, (_o, correct) in enumerate(shown) if correct is right)
        tap(qtbot, screen.answer_buttons[index])
        tap(qtbot, screen.next)
    assert seen


def test_touch_asked_answer_thank_you_then_quiz(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=True)
    window, session, i18n = kiosk.window, kiosk.session, kiosk.i18n
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    before = window.screens[Screen.BEFORE]
    assert session.screen is Screen.BEFORE and window.stack.currentWidget() is before
    question = session.state.evidence.question
    assert i18n.gettext(BEFORE_HEADING, "ru") in visible_texts(window)
    assert before.skip.isVisible() and before.skip.text() == i18n.gettext(SKIP, "ru")
    assert before.prompt.text() == session.before_question[0].prompt.get("ru")
    # large targets, like the quiz's: 20 mm answers, a 15 mm Skip
    assert all(b.height() >= window.theme.mm(15) for b in before.answer_buttons if b.isVisible())
    assert before.skip.height() >= window.theme.mm(15)
    tap(qtbot, before.answer_buttons[right_index(session, right=False)])
    # no feedback: no right or wrong, no mark on any answer; only thank you
    texts = visible_texts(window)
    assert i18n.gettext(THANKS, "ru") in texts
    assert not any(i18n.gettext(m, "ru") in t for t in texts for m in (RIGHT_TEXT, WRONG_TEXT))
    assert not any(b.isVisible() for b in before.answer_buttons) and not before.skip.isVisible()
    tap(qtbot, before.go_on)
    assert session.screen is Screen.MENU and i18n.gettext(TO_START, "ru") in before.go_on.text()
    session.start_quiz()  # the menu's quiz entry is tapped in test_ui_journey; here the quiz itself
    tap_quiz_through(qtbot, kiosk, question, right=True)
    assert stored_cells(kiosk) == [("ru", question, "paired_wr")]


def test_touch_not_asked_goes_to_the_menu(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=False)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["kk"])
    assert session.screen is Screen.MENU
    question = session.state.evidence.question
    session.start_quiz()
    tap_quiz_through(qtbot, kiosk, question, right=False)
    tap(qtbot, window.quick_exit)
    assert stored_cells(kiosk) == [("kk", question, "control_wrong")]


def test_touch_skip(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=True)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["uz"])
    question = session.state.evidence.question
    tap(qtbot, window.screens[Screen.BEFORE].skip)
    assert session.screen is Screen.MENU
    assert stored_cells(kiosk) == [("uz", question, "skipped")]


def test_touch_quick_exit_in_the_middle_leaves_nothing(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=True)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["en"])
    question = session.state.evidence.question
    tap(qtbot, window.screens[Screen.BEFORE].answer_buttons[right_index(session, right=True)])
    tap(qtbot, window.quick_exit)
    assert session.screen is Screen.NEUTRAL and session.state.evidence is None
    assert stored_cells(kiosk) == [("en", question, "before_right_no_after")]
    # the before screen, if shown again, has nothing of the last visitor to show
    assert window.screens[Screen.BEFORE].isHidden() or window.stack.currentWidget() is not window.screens[Screen.BEFORE]


def test_touch_idle_timeout_on_the_before_screen(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=True)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    question = session.state.evidence.question
    window.idle.idle.setInterval(50)  # the real timers, shortened: idle, then the countdown's ticks
    window.idle.tick.setInterval(20)
    window.idle.idle.start()
    qtbot.waitUntil(lambda: session.screen is Screen.ATTRACT, timeout=5000)
    assert session.state.evidence is None
    assert stored_cells(kiosk) == [("ru", question, "skipped")]


def test_touch_language_change_between_before_and_after(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = kiosk_with_evidence(qtbot, data_dir, asked=True)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["kk"])
    question = session.state.evidence.question
    tap(qtbot, window.screens[Screen.BEFORE].answer_buttons[right_index(session, right=True)])
    tap(qtbot, window.screens[Screen.BEFORE].go_on)
    session.pick_language_again()
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["en"])
    assert session.screen is Screen.MENU and session.language == "en"
    session.start_quiz()
    tap_quiz_through(qtbot, kiosk, question, right=True)
    assert stored_cells(kiosk) == [("kk", question, "paired_rr")]
