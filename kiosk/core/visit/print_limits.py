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

    The limits themselves are the site settings in force, passed in at each question, so a
    staff change applies to the very next tap. The count for this visitor belongs to the
    visit (`Visit.printed`); only the kiosk's last hour is counted here. A limit of 0 means
    no printing at all: the visitor is offered the QR code and the number instead.
    """

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._recent: deque[float] = deque()

    def _forget_old(self) -> None:
        cutoff = self._clock() - HOUR_S
        while self._recent and self._recent[0] <= cutoff:
            self._recent.popleft()

    def refusal(self, per_visit: int, per_hour: int, printed_this_visit: int = 0,
                copies: int = 1) -> LimitReason | None:
        """None when `copies` more may be printed; else which limit stands in the way."""
        if per_visit < 0 or per_hour < 0:
            raise ValueError("print limits cannot be negative")
        self._forget_old()
        if printed_this_visit + copies > per_visit:
            return LimitReason.VISIT
        if len(self._recent) + copies > per_hour:
            return LimitReason.HOUR
        return None

    def record(self, copies: int = 1) -> None:
        """The print system accepted `copies` leaflets."""
        self._recent.extend([self._clock()] * copies)
        self._forget_old()

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
