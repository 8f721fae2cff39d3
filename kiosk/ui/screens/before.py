"""Evidence of learning: one quiz question before the menu, with a clear Skip and no feedback.

Shown to the share of visits the session picked (kiosk/core/visit/evidence.py). An answer is kept
in the visit only; the screen never says right or wrong, only thank you.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from kiosk.core.model import N_
from kiosk.core.visit import Before, Pairing, Screen, Visit
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.screens.quiz import AnswerButton, _listen
from kiosk.ui.widgets import FitLabel, Picture, big_button

if TYPE_CHECKING:
    from kiosk.ui.narration import NarrationController

# TRANSLATORS: above the one question some visitors are asked before the menu (evidence of learning).
BEFORE_HEADING = N_("One question before you start")
# TRANSLATORS: under that heading: the visitor's answer is not marked right or wrong.
BEFORE_HINT = N_("Answer as you think. There is no score.")
# TRANSLATORS: the button that leaves the question before the menu without answering. Keep it short.
SKIP = N_("Skip")
# TRANSLATORS: shown after the visitor answered the question before the menu; no right or wrong is said.
THANKS = N_("Thank you! Now look around.")
# TRANSLATORS: button after the thank-you, to the main menu.
TO_START = N_("Start")


class BeforeScreen(ScreenBase):
    def __init__(self, *args: object, narration: NarrationController | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.listen = _listen(self, narration)
        self.heading = QLabel()
        t.set_font(self.heading, 4.5, bold=True)
        self.heading.setProperty("role", "muted")
        # wraps and shrinks: beside Listen and Skip on a portrait screen with large text it has two lines
        self.hint = FitLabel(t.mm(4.5), t.mm(3.2))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.hint.setProperty("role", "muted")
        self.prompt = FitLabel(t.mm(7.5), t.mm(4.8), bold=True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.picture = Picture()
        self.picture.setMaximumWidth(t.mm(45))
        head = QHBoxLayout()
        head.setSpacing(t.mm(4))
        head.addWidget(self.picture, 1)
        head.addWidget(self.prompt, 4)
        self.answers_box = QVBoxLayout()
        self.answers_box.setSpacing(t.mm(4))
        self.answer_buttons: list[AnswerButton] = []
        for i in range(4):
            button = AnswerButton(t)
            button.clicked.connect(lambda _=False, i=i: self.session.answer_before(i))
            self.answers_box.addWidget(button)
            self.answer_buttons.append(button)
        self.thanks = FitLabel(t.mm(9), t.mm(6), bold=True)
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.skip = big_button(role="secondary")
        t.set_font(self.skip, 5.5, bold=True)
        self.skip.setMinimumWidth(t.mm(40))
        self.skip.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # never narrower than "Skip"
        self.skip.setMinimumHeight(t.mm(15))
        self.skip.clicked.connect(self.session.skip_before)
        self.go_on = big_button()
        t.set_font(self.go_on, 6, bold=True)
        self.go_on.setMinimumWidth(t.mm(60))
        self.go_on.setMinimumHeight(t.mm(18))
        self.go_on.clicked.connect(self.session.leave_before)
        bottom = QHBoxLayout()
        bottom.setSpacing(t.mm(5))
        bottom.addWidget(self.listen)
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.skip)
        bottom.addWidget(self.go_on)
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(2), t.mm(8), t.mm(3))
        layout.setSpacing(t.mm(4))
        layout.addWidget(self.heading)
        layout.addLayout(head, 2)
        layout.addLayout(self.answers_box, 4)
        layout.addWidget(self.thanks, 4)
        layout.addLayout(bottom)

    def render(self, state: Visit) -> None:
        shown = self.session.before_question if state.screen is Screen.BEFORE else None
        pairing = state.evidence
        if shown is None or pairing is None:
            return
        question, order = shown
        lang = state.language
        waiting = pairing.before is Before.WAITING
        self.picture.setVisible(question.picture is not None)
        self.picture.set_path(question.picture)
        self.prompt.setText(question.prompt.get(lang))
        for i, button in enumerate(self.answer_buttons):
            if not waiting or i >= len(order):
                button.hide()
                continue
            button.label.setText(question.answers[order[i]].text.get(lang))
            button.show_state("open")
            button.setVisible(True)
            button.setEnabled(True)
        for widget in (self.heading, self.hint, self.skip):
            widget.setVisible(waiting)
        self.thanks.setVisible(not waiting)
        self.go_on.setVisible(not waiting)
        self.column.setStretchFactor(self.answers_box, 4 if waiting else 0)
        self.listen.update_for(state)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.t(BEFORE_HEADING))
        self.hint.setText(self.t(BEFORE_HINT))
        self.skip.setText(self.t(SKIP))
        self.thanks.setText(self.t(THANKS))
        self.go_on.setText(self.t(TO_START) + "  →")
        self.listen.update_for(self.session.state)

    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        quiz = self.content.quiz
        if quiz is None:
            return []
        steps: list[tuple[str, Callable[[], None]]] = []
        for q in (q for q in quiz.questions if q.before):
            order = tuple(range(len(q.answers)))

            def go(q=q, order=order, before=Before.WAITING) -> None:  # type: ignore[no-untyped-def]
                pairing = Pairing(q.id, True, language, order, before)
                self.session.jump(Visit(Screen.BEFORE, language, started=True, evidence=pairing))

            steps.append((f"Before {q.id}", go))
            steps.append((f"Before {q.id}: thank you", lambda go=go: go(before=Before.RIGHT)))
        return steps
