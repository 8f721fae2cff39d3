"""A quiz run: questions drawn at random, answers shuffled, scored, with a message by score.

Immutable: every answer makes a new `QuizRun`, so the session's state stays one value that
a wipe replaces whole.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from kiosk.core.model import Question, Quiz, ScoreBand


@dataclass(frozen=True)
class QuizRun:
    questions: tuple[Question, ...]
    orders: tuple[tuple[int, ...], ...]  # per question: original answer indexes in display order
    chosen: tuple[int | None, ...]  # per question: the original index of the answer tapped
    current: int = 0

    @property
    def question(self) -> Question:
        return self.questions[self.current]

    @property
    def answered(self) -> bool:
        """The current question has been answered: its feedback is showing."""
        return self.chosen[self.current] is not None

    @property
    def finished(self) -> bool:
        return self.current >= len(self.questions) - 1 and self.answered

    def displayed_answers(self) -> list[tuple[int, bool]]:
        """(original index, correct) in the order the visitor sees them."""
        question = self.question
        return [(i, question.answers[i].correct) for i in self.orders[self.current]]

    def answer(self, display_index: int) -> QuizRun:
        if self.answered:
            return self  # a second tap on the feedback screen changes nothing
        original = self.orders[self.current][display_index]
        chosen = list(self.chosen)
        chosen[self.current] = original
        return dataclasses.replace(self, chosen=tuple(chosen))

    def next(self) -> QuizRun:
        if not self.answered or self.current + 1 >= len(self.questions):
            return self
        return dataclasses.replace(self, current=self.current + 1)

    def is_right(self, index: int) -> bool:
        choice = self.chosen[index]
        return choice is not None and self.questions[index].answers[choice].correct

    @property
    def right(self) -> int:
        return sum(1 for i in range(len(self.questions)) if self.is_right(i))

    @property
    def percent(self) -> int:
        return round(100 * self.right / len(self.questions)) if self.questions else 0


def draw(quiz: Quiz, length: int, rng: random.Random, include: str = "") -> QuizRun:
    """`length` questions drawn from the pool, each with its answers shuffled.

    `include` is a question id that must be among them (a visit's evidence question): the others
    are drawn from the rest of the pool and it takes a place at random, the same rule for
    the visitors asked before and for the comparison group."""
    count = max(1, min(length or quiz.length, len(quiz.questions)))
    forced = next((q for q in quiz.questions if q.id == include), None) if include else None
    if forced is None:
        questions = tuple(rng.sample(quiz.questions, count))
    else:
        drawn = rng.sample([q for q in quiz.questions if q is not forced], count - 1)
        drawn.insert(rng.randrange(count), forced)
        questions = tuple(drawn)
    orders = []
    for question in questions:
        order = list(range(len(question.answers)))
        rng.shuffle(order)
        orders.append(tuple(order))
    return QuizRun(questions, tuple(orders), (None,) * count)


def band_for(quiz: Quiz, percent: int) -> ScoreBand:
    """The band with the highest `from` at or below the score."""
    return max((b for b in quiz.bands if b.from_percent <= percent), key=lambda b: b.from_percent,
               default=quiz.bands[0])
