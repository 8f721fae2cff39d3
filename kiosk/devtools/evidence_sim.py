"""Simulated visitors for evidence of learning: known true rates in, the kiosk's figures out.

`kiosk bench --evidence` runs a year of them at one kiosk through the real session counters and
the real statistics store; tests/test_evidence_stats.py checks the statistics on 500 datasets.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.core.visit import Cell


@dataclass(frozen=True)
class TrueRates:
    """The truth a simulation starts from. Shares, 0 to 1."""

    before: float = 0.40  # right before the slides, among those asked
    after: float = 0.80  # right in the quiz, not asked before (the comparison group)
    testing: float = 0.05  # what being asked before adds to the after rate
    keep: float = 0.95  # of those right before, right again after
    share: float = 0.50  # asked before (evidence_before_share)
    skip: float = 0.15  # of those asked, tap Skip
    quiz: float = 0.45  # reach the quiz and answer the question (the others leave: drop-out)

    @property
    def after_asked(self) -> float:
        return self.after + self.testing

    @property
    def gain(self) -> float:
        """The true gain of the visitors asked before: after (asked) − before."""
        return self.after_asked - self.before

    @property
    def learn(self) -> float:
        """Of those wrong before, right after: so that the after rate of the asked is `after_asked`."""
        return (self.after_asked - self.before * self.keep) / (1 - self.before)


def visit_cell(rates: TrueRates, rng: random.Random) -> Cell | None:
    """The cell one simulated visit ends in (None: not asked and never answered it after)."""
    if rng.random() < rates.share:
        if rng.random() < rates.skip:
            return Cell.SKIPPED
        right_before = rng.random() < rates.before
        if rng.random() >= rates.quiz:
            return Cell.BEFORE_RIGHT_NO_AFTER if right_before else Cell.BEFORE_WRONG_NO_AFTER
        right_after = rng.random() < (rates.keep if right_before else rates.learn)
        if right_before:
            return Cell.PAIRED_RR if right_after else Cell.PAIRED_RW
        return Cell.PAIRED_WR if right_after else Cell.PAIRED_WW
    if rng.random() >= rates.quiz:
        return None
    return Cell.CONTROL_RIGHT if rng.random() < rates.after else Cell.CONTROL_WRONG


def dataset(rates: TrueRates, visits: int, rng: random.Random) -> tuple[int, ...]:
    """The counts of every cell (in Cell order) after `visits` simulated visits."""
    counts = [0] * len(Cell)
    for _ in range(visits):
        cell = visit_cell(rates, rng)
        if cell is not None:
            counts[cell - 1] += 1
    return tuple(counts)
