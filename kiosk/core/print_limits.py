"""How much paper a kiosk may use: a limit per visitor and per hour, and a debounced tap.

Qt-free so the rules are tested in milliseconds with a fake clock. The counts live in
memory only: a restart forgets the hour, which at worst lets through one more hour of
leaflets, and keeps nothing about visitors on disk.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

Clock = Callable[[], float]
HOUR_S = 3600.0


class LimitReason(str, Enum):
    VISIT = "visit"  # this visitor has had their leaflets
    HOUR = "hour"  # the kiosk has printed its share of paper for this hour


class PrintLimits:
    """`refusal()` says whether one more leaflet may be printed now; `record()` counts one.

    A limit of 0 means no printing at all (a site without a printer, or out of paper
    budget): the visitor is offered the QR code and the number instead.
    """

    def __init__(self, per_visit: int, per_hour: int, clock: Clock = time.monotonic) -> None:
        if per_visit < 0 or per_hour < 0:
            raise ValueError("print limits cannot be negative")
        self.per_visit = per_visit
        self.per_hour = per_hour
        self._clock = clock
        self._this_visit = 0
        self._recent: deque[float] = deque()

    def _forget_old(self) -> None:
        cutoff = self._clock() - HOUR_S
        while self._recent and self._recent[0] <= cutoff:
            self._recent.popleft()

    def refusal(self, copies: int = 1) -> LimitReason | None:
        """None when `copies` more may be printed; else which limit stands in the way."""
        self._forget_old()
        if self._this_visit + copies > self.per_visit:
            return LimitReason.VISIT
        if len(self._recent) + copies > self.per_hour:
            return LimitReason.HOUR
        return None

    def record(self, copies: int = 1) -> None:
        """The print system accepted `copies` leaflets."""
        now = self._clock()
        self._this_visit += copies
        self._recent.extend([now] * copies)
        self._forget_old()

    def new_visit(self) -> None:
        self._this_visit = 0

    @property
    def printed_this_visit(self) -> int:
        return self._this_visit

    @property
    def printed_this_hour(self) -> int:
        self._forget_old()
        return len(self._recent)


class Debounce:
    """Accepts one tap, then ignores taps for `interval_s`: a double tap prints once."""

    def __init__(self, interval_s: float = 1.0, clock: Clock = time.monotonic) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._last: float | None = None

    def accept(self) -> bool:
        now = self._clock()
        if self._last is not None and now - self._last < self.interval_s:
            return False
        self._last = now
        return True

    def reset(self) -> None:
        self._last = None
