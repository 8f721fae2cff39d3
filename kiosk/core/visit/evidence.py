"""Evidence of learning: one visitor's before/after pairing, held in the `Visit` and wiped with it.

When the NGO turns `evidence` on, every visit that starts (a first language chosen) is given one
question at random from those the content marks `before: true`, and a coin, weighted by
`evidence_before_share`, says whether it is asked before the menu. Both groups then get that same
question in their quiz, at a random place (see `quiz.draw(include=...)`): the only difference
between them is the before question itself, so the comparison group's after-only score shows how
much being asked taught.

What leaves the visit is one `Cell` per visit, counted per day, language and question (stats room,
`kiosk/core/stats/evidence.py`): no id, no time of day, no order of events.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from enum import Enum, IntEnum


class Cell(IntEnum):
    """What one visit adds to the day's counters for its evidence question. The names are the
    export's column names; never renumber (the numbers travel through the statistics queue)."""

    PAIRED_RR = 1  # asked before: right before, right after
    PAIRED_RW = 2  # right before, wrong after
    PAIRED_WR = 3  # wrong before, right after
    PAIRED_WW = 4  # wrong before, wrong after
    BEFORE_RIGHT_NO_AFTER = 5  # answered before (right), never answered it in a quiz
    BEFORE_WRONG_NO_AFTER = 6  # answered before (wrong), never answered it in a quiz
    SKIPPED = 7  # asked before, tapped Skip (or left on the before screen)
    CONTROL_RIGHT = 8  # not asked before: right in the quiz
    CONTROL_WRONG = 9  # not asked before: wrong in the quiz

    @property
    def column(self) -> str:
        return self.name.lower()


class Before(str, Enum):
    WAITING = "waiting"  # the before screen is showing its question
    RIGHT = "right"
    WRONG = "wrong"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Pairing:
    """The evidence question of one visit. Lives only in the `Visit`."""

    question: str  # the question id
    asked: bool  # in the group asked before (else the comparison group)
    language: str  # the language the visit is counted in: the one it was assigned in
    order: tuple[int, ...] = ()  # answers' display order on the before screen (original indexes)
    before: Before | None = None  # None for the comparison group
    counted: bool = False  # its cell has been counted: nothing more is counted for this visit

    def answered_before(self, right: bool) -> Pairing:
        return dataclasses.replace(self, before=Before.RIGHT if right else Before.WRONG)

    def after_cell(self, right: bool) -> Cell | None:
        """The cell for the first answer to this question in a quiz, or None if nothing is counted."""
        if self.counted:
            return None
        if not self.asked:
            return Cell.CONTROL_RIGHT if right else Cell.CONTROL_WRONG
        if self.before is Before.RIGHT:
            return Cell.PAIRED_RR if right else Cell.PAIRED_RW
        if self.before is Before.WRONG:
            return Cell.PAIRED_WR if right else Cell.PAIRED_WW
        return None  # skipped (counted when skipped) or still waiting

    def closing_cell(self) -> Cell | None:
        """The cell when the visit ends before anything was counted."""
        if self.counted or not self.asked:
            return None
        if self.before is Before.RIGHT:
            return Cell.BEFORE_RIGHT_NO_AFTER
        if self.before is Before.WRONG:
            return Cell.BEFORE_WRONG_NO_AFTER
        return Cell.SKIPPED  # left (or skipped) on the before screen


def assign(question_ids: tuple[str, ...], share_percent: int, language: str, answers: dict[str, int],
           rng: random.Random) -> Pairing | None:
    """A pairing for a new visit: a marked question at random, asked before with `share_percent` %.

    `answers` gives each question's number of answers (to shuffle the before screen's order)."""
    if not question_ids:
        return None
    question = rng.choice(question_ids)
    asked = rng.random() * 100 < share_percent
    order: tuple[int, ...] = ()
    if asked:
        shuffled = list(range(answers.get(question, 0)))
        rng.shuffle(shuffled)
        order = tuple(shuffled)
    return Pairing(question, asked, language, order, Before.WAITING if asked else None)
