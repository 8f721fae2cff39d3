"""The quiz: one question a screen, feedback at once, then the score in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.model import N_
from kiosk.core.narration import FREE_ADVICE, SCORE
from kiosk.core.visit import Screen, Visit, band_for
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.theme import RIGHT, WRONG
from kiosk.ui.widgets import FitLabel, Picture, big_button

# TRANSLATORS: above each quiz question, e.g. "Question 2 of 5".
QUESTION_OF = N_("Question {current} of {total}")
# TRANSLATORS: feedback after a right answer.
RIGHT_TEXT = N_("Right!")
# TRANSLATORS: feedback after a wrong answer; the right one is then highlighted.
WRONG_TEXT = N_("Not quite. The right answer is marked.")
# TRANSLATORS: button after the feedback, to the next question.
NEXT_QUESTION = N_("Next question")
# TRANSLATORS: button after the feedback on the last question.
SEE_RESULT = N_("See my result")
# TRANSLATORS: result screen button: a new quiz with other questions.
TRY_AGAIN = N_("Try again")
# TRANSLATORS: result screen button that opens the leaflet with the phone numbers.
GET_LEAFLET = N_("Get the leaflet")
# TRANSLATORS: button that leaves the quiz or the result for the main menu.
TO_MENU = N_("Menu")

RIGHT_SIGN, WRONG_SIGN = "✓", "✗"

if TYPE_CHECKING:
    from kiosk.ui.narration import NarrationController


def _listen(screen: ScreenBase, narration: NarrationController | None):  # type: ignore[no-untyped-def]
    """The Listen button of a quiz screen: the question with its answers, or the explanation."""
    from kiosk.ui.narration import ListenButton, NarrationController

    controller = narration or NarrationController(screen.session, screen.i18n, screen.session.config, screen)
    return ListenButton(controller, screen.theme, screen.t)


class AnswerButton(QPushButton):
    """A big answer button whose text wraps, with a sign that does not rely on colour."""

    def __init__(self, theme, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(theme.mm(20))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.sign = QLabel()
        theme.set_font(self.sign, 7, bold=True)
        self.sign.setFixedWidth(theme.mm(10))
        self.sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = FitLabel(theme.mm(5.5), theme.mm(4))
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for child in (self.sign, self.label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.mm(3), theme.mm(1), theme.mm(3), theme.mm(1))
        row.addWidget(self.sign)
        row.addWidget(self.label, 1)
        self.theme = theme

    def show_state(self, state: str) -> None:
        """'open' before answering; 'right', 'wrong' or 'dim' after."""
        p = self.theme.palette
        if self.theme.large:
            colours = {
                "open": ("white", p.ink, p.ink),
                "right": (p.right, "white", p.right),
                "wrong": (p.wrong, "white", p.wrong),
                "dim": ("white", p.disabled_ink, p.disabled_ink),
            }
        else:
            colours = {
                "open": ("white", "#0f766e", "#0f766e"),
                "right": (RIGHT, "white", RIGHT),
                "wrong": (WRONG, "white", WRONG),
                "dim": ("#f3f4f6", "#6b7280", "#d1d5db"),
            }
        background, ink, border = colours[state]
        # min-height here, not setMinimumHeight: a style sheet's min-height wins over the latter.
        self.setStyleSheet(f"QPushButton {{ background: {background}; border: {self.theme.mm(0.7)}px solid {border};"
                           f" border-radius: {self.theme.mm(2)}px; padding: 0;"
                           f" min-height: {self.theme.mm(20) - 2 * self.theme.mm(0.7)}px; }}"
                           f" QLabel {{ color: {ink}; }}")
        self.sign.setText({"right": RIGHT_SIGN, "wrong": WRONG_SIGN}.get(state, ""))


class QuizScreen(ScreenBase):
    def __init__(self, *args: object, narration: NarrationController | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.listen = _listen(self, narration)
        self.progress = QLabel()
        t.set_font(self.progress, 4.5, bold=True)
        self.progress.setProperty("role", "muted")
        self.prompt = FitLabel(t.mm(7.5), t.mm(4.8), bold=True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.picture = Picture()
        self.picture.setMaximumWidth(t.mm(45))
        head = QHBoxLayout()
        head.setSpacing(t.mm(4))
        head.addWidget(self.picture, 1)
        head.addWidget(self.prompt, 4)
        self.answers_box = QVBoxLayout()
        self.answers_box.setSpacing(t.mm(4))  # 3 mm at least, after rounding to pixels on any screen
        self.answer_buttons: list[AnswerButton] = []
        for i in range(4):
            button = AnswerButton(t)
            button.clicked.connect(lambda _=False, i=i: self.session.answer_question(i))
            self.answers_box.addWidget(button)
            self.answer_buttons.append(button)
        self.verdict = QLabel()
        t.set_font(self.verdict, 6, bold=True)
        self.explanation = FitLabel(t.mm(5.5), t.mm(4))
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.next = big_button()
        t.set_font(self.next, 5.5, bold=True)
        self.next.clicked.connect(self.session.next_question)
        self.menu = big_button(role="secondary")
        t.set_font(self.menu, 5)
        self.menu.clicked.connect(self.session.back)
        feedback = QVBoxLayout()
        feedback.setSpacing(t.mm(1))
        feedback.addWidget(self.verdict)
        feedback.addWidget(self.explanation, 1)
        self.feedback = QWidget()
        self.feedback.setLayout(feedback)
        bottom = QHBoxLayout()
        bottom.setSpacing(t.mm(5))
        bottom.addWidget(self.menu)
        bottom.addWidget(self.listen)
        bottom.addWidget(self.progress)
        bottom.addStretch(1)
        bottom.addWidget(self.next)
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(2), t.mm(8), t.mm(3))
        layout.setSpacing(t.mm(4))
        layout.addLayout(head, 2)
        layout.addLayout(self.answers_box, 4)
        layout.addWidget(self.feedback, 2)
        layout.addLayout(bottom)

    def render(self, state: Visit) -> None:
        run = state.quiz
        if run is None:
            return
        lang = state.language
        question = run.question
        self.picture.setVisible(question.picture is not None)
        self.picture.set_path(question.picture)
        self.prompt.setText(question.prompt.get(lang))
        chosen = run.chosen[run.current]
        shown = run.displayed_answers()
        for i, button in enumerate(self.answer_buttons):
            if i >= len(shown):
                button.hide()
                continue
            original, correct = shown[i]
            button.label.setText(question.answers[original].text.get(lang))
            if chosen is None:
                button.show_state("open")
                button.setVisible(True)
            elif correct:
                button.show_state("right")
                button.setVisible(True)
            elif original == chosen:
                button.show_state("wrong")
                button.setVisible(True)
            else:
                # After answering only the visitor's answer and the right one stay, leaving
                # room for the explanation: what matters now is why.
                button.setVisible(False)
            button.setEnabled(chosen is None)
        self.feedback.setVisible(chosen is not None)
        # Answered, one or two answers stay: the room goes to why (the explanation, which with
        # large text on needs four lines on a 15.6" screen).
        self.column.setStretchFactor(self.answers_box, 4 if chosen is None else 2)
        self.column.setStretchFactor(self.feedback, 2 if chosen is None else 4)
        self.next.setVisible(chosen is not None)
        if chosen is not None:
            right = run.is_right(run.current)
            self.verdict.setText(f"{RIGHT_SIGN} {self.t(RIGHT_TEXT)}" if right else f"{WRONG_SIGN} {self.t(WRONG_TEXT)}")
            palette = self.theme.palette
            self.verdict.setStyleSheet(f"color: {palette.right if right else palette.wrong};")
            self.explanation.setText(question.explanation.get(lang))
        self.listen.update_for(state)  # before answering: the question and its answers; after: why
        self.retranslate()

    def retranslate(self) -> None:
        run = self.session.state.quiz
        if run is None:
            return
        self.progress.setText(self.t(QUESTION_OF).format(current=run.current + 1, total=len(run.questions)))
        self.next.setText(self.t(SEE_RESULT) if run.current + 1 >= len(run.questions) else self.t(NEXT_QUESTION))
        self.menu.setText("← " + self.t(TO_MENU))
        self.listen.show_playing(self.listen.controller.playing)

    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        from kiosk.core.visit import QuizRun

        quiz = self.content.quiz
        if quiz is None:
            return []
        steps: list[tuple[str, Callable[[], None]]] = []
        for q in quiz.questions:
            order = tuple(range(len(q.answers)))
            right = next(i for i, a in enumerate(q.answers) if a.correct)
            wrong = next((i for i, a in enumerate(q.answers) if not a.correct), right)

            def go(q=q, order=order, chosen=None) -> None:  # type: ignore[no-untyped-def]
                run = QuizRun((q,), (order,), (chosen,))
                self.session.jump(Visit(Screen.QUIZ, language, started=True, quiz=run))

            steps.append((f"Quiz {q.id}", go))
            steps.append((f"Quiz {q.id}: answered right", lambda go=go, right=right: go(chosen=right)))
            steps.append((f"Quiz {q.id}: answered wrong", lambda go=go, wrong=wrong: go(chosen=wrong)))
        return steps


class QuizResultScreen(ScreenBase):
    def __init__(self, *args: object, leaflet_available: Callable[[], bool] = lambda: False,
                 narration: NarrationController | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.listen = _listen(self, narration)
        self.leaflet_available = leaflet_available
        self.score = FitLabel(t.mm(11), t.mm(6), bold=True)
        self.score.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.message = FitLabel(t.mm(6.5), t.mm(4.5))
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.advice = QLabel()
        t.set_font(self.advice, 5)
        self.advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel()
        t.set_font(self.number, 11, bold=True)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.leaflet = big_button()
        self.again = big_button(role="secondary")
        self.menu = big_button(role="secondary")
        for button in (self.leaflet, self.again, self.menu, self.listen):
            t.set_font(button, 5.5, bold=True)
        self.leaflet.clicked.connect(lambda: self.session.open(Screen.LEAFLET))
        self.again.clicked.connect(self.session.start_quiz)
        self.menu.clicked.connect(self.session.back)
        buttons = QHBoxLayout()
        buttons.setSpacing(t.mm(4))
        buttons.addWidget(self.menu)
        buttons.addWidget(self.listen)
        buttons.addStretch(1)
        buttons.addWidget(self.again)
        buttons.addWidget(self.leaflet)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(10), t.mm(4), t.mm(10), t.mm(4))
        layout.setSpacing(t.mm(3))
        layout.addWidget(self.score, 2)
        layout.addWidget(self.message, 2)
        layout.addWidget(self.advice)
        layout.addWidget(self.number)
        layout.addLayout(buttons)

    def render(self, state: Visit) -> None:
        self.listen.update_for(state)
        self.retranslate()

    def retranslate(self) -> None:
        state = self.session.state
        run, quiz = state.quiz, self.content.quiz
        if run is None or quiz is None:
            return
        lang = state.language
        n, total = run.right, len(run.questions)
        self.score.setText(self.i18n.ngettext(*SCORE, n, self.session.language).format(n=n, total=total))
        self.message.setText(band_for(quiz, run.percent).message.get(lang))
        contact = self.content.primary_contact
        self.advice.setText(f"{self.t(FREE_ADVICE)} {contact.name.get(lang)}")
        self.number.setText(contact.display)
        self.number.setStyleSheet(f"color: {self.theme.palette.number};")
        self.leaflet.setText(self.t(GET_LEAFLET))
        self.leaflet.setVisible(self.leaflet_available())
        self.again.setText(self.t(TRY_AGAIN))
        self.menu.setText("← " + self.t(TO_MENU))
        self.listen.show_playing(self.listen.controller.playing)

    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        from kiosk.core.visit import QuizRun

        quiz = self.content.quiz
        if quiz is None:
            return []
        length = min(quiz.length, len(quiz.questions))
        questions = quiz.questions[:length]
        orders = tuple(tuple(range(len(q.answers))) for q in questions)
        right = [next(i for i, a in enumerate(q.answers) if a.correct) for q in questions]
        wrong = [next((i for i, a in enumerate(q.answers) if not a.correct), 0) for q in questions]
        steps: list[tuple[str, Callable[[], None]]] = []
        for band in quiz.bands:
            n = min(length, -(-band.from_percent * length // 100))
            chosen = tuple(right[i] if i < n else wrong[i] for i in range(length))
            run = QuizRun(questions, orders, chosen, current=length - 1)
            steps.append((f"Quiz result: {n} of {length} right",
                          lambda run=run: self.session.jump(Visit(Screen.QUIZ_RESULT, language, started=True,
                                                                  quiz=run))))
        return steps
