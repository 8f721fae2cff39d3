"""The quiz: drawing, scoring, bands, plural forms, and a visitor journey by taps."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.site.config import SiteConfig
from kiosk.core.site.settings import Settings
from kiosk.core.visit.quiz import band_for, draw
from kiosk.core.visit.session import Screen, Session
from kiosk.ui.screens.quiz import SCORE
from tests.support import RecordingStats, default_content
from tests.ui_helpers import button_with_text, make_kiosk, tap


@pytest.fixture(scope="module")
def quiz():  # type: ignore[no-untyped-def]
    quiz = default_content().quiz
    assert quiz is not None
    return quiz


def test_default_pool_covers_the_topics(quiz) -> None:  # type: ignore[no-untyped-def]
    assert len(quiz.questions) >= 12 and quiz.length == 5
    assert all(2 <= len(q.answers) <= 4 and any(a.correct for a in q.answers) for q in quiz.questions)
    assert len({q.id for q in quiz.questions}) == len(quiz.questions)


def test_draw_is_random_but_reproducible_with_a_seed(quiz) -> None:  # type: ignore[no-untyped-def]
    one, same = draw(quiz, 5, random.Random(7)), draw(quiz, 5, random.Random(7))
    assert one == same
    assert len(one.questions) == 5 and len({q.id for q in one.questions}) == 5
    others = {tuple(q.id for q in draw(quiz, 5, random.Random(seed)).questions) for seed in range(20)}
    assert len(others) > 15  # "try again" draws anew
    orders = {draw(quiz, 5, random.Random(seed)).orders[0] for seed in range(40)}
    assert len(orders) > 1  # answers are shuffled


def test_length_is_capped_by_the_pool_and_zero_means_the_quiz_default(quiz) -> None:  # type: ignore[no-untyped-def]
    assert len(draw(quiz, 0, random.Random(1)).questions) == quiz.length
    assert len(draw(quiz, 999, random.Random(1)).questions) == len(quiz.questions)


def test_scoring_and_feedback_flow(quiz) -> None:  # type: ignore[no-untyped-def]
    run = draw(quiz, 3, random.Random(3))
    for _ in range(3):
        shown = run.displayed_answers()
        right_at = next(i for i, (_orig, correct) in enumerate(shown) if correct)
        run = run.answer(right_at)
        assert run.answered and run.is_right(run.current)
        assert run.answer((right_at + 1) % len(shown)) == run  # a second tap changes nothing
        run = run.next()
    assert run.finished and run.right == 3 and run.percent == 100


def test_score_bands(quiz) -> None:  # type: ignore[no-untyped-def]
    starts = [b.from_percent for b in quiz.bands]
    assert band_for(quiz, 0).from_percent == 0
    assert band_for(quiz, 100).from_percent == max(starts)
    assert band_for(quiz, 59).from_percent == max(s for s in starts if s <= 59)


EXPECTED = {
    "ru": {0: "0 правильных ответов из 5", 1: "1 правильный ответ из 5", 2: "2 правильных ответа из 5",
           5: "5 правильных ответов из 5", 11: "11 правильных ответов из 5", 21: "21 правильный ответ из 5"},
    "kk": {n: f"5 сұрақтан {n} дұрыс жауап" for n in (0, 1, 2, 5, 11, 21)},
    "uz": {n: f"5 ta savoldan {n} ta toʻgʻri javob" for n in (0, 1, 2, 5, 11, 21)},
    "en": {0: "0 right answers out of 5", 1: "1 right answer out of 5", 2: "2 right answers out of 5",
           5: "5 right answers out of 5", 11: "11 right answers out of 5", 21: "21 right answers out of 5"},
}


@pytest.mark.parametrize("lang", ["ru", "kk", "uz", "en"])
def test_score_in_words_uses_the_plural_forms_of_the_language(lang: str) -> None:
    i18n = I18n()
    for n, text in EXPECTED[lang].items():
        assert i18n.ngettext(*SCORE, n, lang=lang).format(n=n, total=5) == text


def test_session_counts_answers_and_the_score_without_a_trail(quiz) -> None:  # type: ignore[no-untyped-def]
    stats = RecordingStats()
    events = stats.events
    session = Session(default_content(), SiteConfig(Settings(languages=("kk", "ru"), default_language="kk",
                                                             quiz_length=2)), stats, rng=random.Random(5))
    session.start()
    session.choose_language("ru")
    session.start_quiz()
    for _ in range(2):
        session.answer_question(0)
        session.answer_question(1)  # ignored: already answered
        session.next_question()
    assert session.screen is Screen.QUIZ_RESULT
    answers = [e for e in events if e[0] == "quiz_answer"]
    assert len(answers) == 2 and all(e[1] == "ru" and e[3] in (0, 1) for e in answers)
    assert events[-1] == ("quiz_finished", "ru", "", session.state.quiz.percent)
    session.quick_exit()
    assert session.state.quiz is None


@pytest.mark.parametrize("lang,menu_text", [("ru", "Проверьте себя"), ("kk", "Өзіңізді тексеріңіз")])
def test_visitor_takes_the_quiz_by_taps(qtbot, data_dir: Path, lang: str, menu_text: str) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, settings="quiz_length: 3\n")
    window, session = kiosk.window, kiosk.session
    session.rng.seed(11)
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons[lang])
    tap(qtbot, button_with_text(window, menu_text))
    screen = window.screens[Screen.QUIZ]
    assert session.screen is Screen.QUIZ
    wrong_once = False
    for _number in range(3):
        run = session.state.quiz
        assert screen.prompt.text() == run.question.prompt.get(lang)
        assert screen.progress.text().count("3") >= 1
        shown = run.displayed_answers()
        pick = next(i for i, (_o, correct) in enumerate(shown) if correct != (not wrong_once))
        for button in screen.answer_buttons[: len(shown)]:
            assert button.isVisible() and button.height() >= window.theme.mm(20)
        tap(qtbot, screen.answer_buttons[pick])
        right = shown[pick][1]
        assert screen.feedback.isVisible()
        assert screen.explanation.text() == run.question.explanation.get(lang)
        assert screen.verdict.text().startswith("✓" if right else "✗")  # a sign, not colour alone
        right_button = next(b for i, b in enumerate(screen.answer_buttons[: len(shown)]) if shown[i][1])
        assert right_button.isVisible() and right_button.sign.text() == "✓"
        if not right:
            assert screen.answer_buttons[pick].sign.text() == "✗"
        wrong_once = True
        tap(qtbot, screen.next)
    assert session.screen is Screen.QUIZ_RESULT
    result = window.screens[Screen.QUIZ_RESULT]
    right_count = session.state.quiz.right
    assert result.score.text() == kiosk.i18n.ngettext(*SCORE, right_count, lang=lang).format(n=right_count, total=3)
    assert result.number.text() == "8 (7252) 21-61-52"
    tap(qtbot, result.again)
    assert session.screen is Screen.QUIZ and session.state.quiz.chosen == (None, None, None)
    tap(qtbot, screen.answer_buttons[0])
    assert session.state.quiz.chosen[0] is not None  # answered: a quiz in progress, then the visitor leaves
    window.idle.idle.setInterval(10)
    window.idle.restart()
    qtbot.waitUntil(lambda: session.state.idle_warning, timeout=2000)
    session.timeout()
    assert session.state.quiz is None and session.screen is Screen.ATTRACT
