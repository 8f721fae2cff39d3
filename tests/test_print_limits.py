"""Paper limits and the debounced tap: plain rules with a fake clock, no Qt."""

from __future__ import annotations

import pytest

from kiosk.core.visit.print_limits import Debounce, LimitReason, PrintLimits
from tests.support import MonotonicClock


def test_one_leaflet_per_visitor_then_the_next_visitor_may_print() -> None:
    limits = PrintLimits(clock=MonotonicClock())
    assert limits.refusal(1, 30, printed_this_visit=0) is None
    limits.record()
    assert limits.refusal(1, 30, printed_this_visit=1) is LimitReason.VISIT
    assert limits.refusal(1, 30, printed_this_visit=0) is None  # the next visitor
    assert limits.printed_this_hour == 1


def test_the_hourly_limit_counts_a_sliding_hour() -> None:
    clock = MonotonicClock()
    limits = PrintLimits(clock=clock)
    for minute in (0, 10, 20):
        clock.now = 1000 + minute * 60
        assert limits.refusal(5, 3) is None
        limits.record()
    clock.now = 1000 + 59 * 60
    assert limits.refusal(5, 3) is LimitReason.HOUR
    clock.now = 1000 + 60 * 60 + 1  # the first leaflet is now more than an hour old
    assert limits.refusal(5, 3) is None
    assert limits.printed_this_hour == 2


def test_new_limits_apply_to_the_next_question() -> None:
    limits = PrintLimits(clock=MonotonicClock())
    limits.record(2)
    assert limits.refusal(5, 2) is LimitReason.HOUR
    assert limits.refusal(5, 10) is None  # staff raised the hourly limit: the count is kept


def test_the_visitor_limit_is_reported_before_the_hourly_one() -> None:
    limits = PrintLimits(clock=MonotonicClock())
    limits.record()
    assert limits.refusal(1, 1, printed_this_visit=1) is LimitReason.VISIT
    assert limits.refusal(1, 1, printed_this_visit=0) is LimitReason.HOUR


def test_a_limit_of_zero_means_no_printing_at_all() -> None:
    assert PrintLimits(clock=MonotonicClock()).refusal(0, 30) is LimitReason.VISIT
    assert PrintLimits(clock=MonotonicClock()).refusal(1, 0) is LimitReason.HOUR


def test_several_copies_count_as_several_leaflets() -> None:
    limits = PrintLimits(clock=MonotonicClock())
    assert limits.refusal(3, 30, copies=4) is LimitReason.VISIT
    limits.record(copies=2)
    assert limits.refusal(3, 30, printed_this_visit=2, copies=1) is None
    assert limits.refusal(3, 30, printed_this_visit=2, copies=2) is LimitReason.VISIT


def test_negative_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        PrintLimits().refusal(-1, 3)


def test_a_double_tap_is_one_tap() -> None:
    clock = MonotonicClock()
    debounce = Debounce(1.0, clock)
    assert debounce.accept()
    clock.now += 0.15  # a finger bouncing on the glass
    assert not debounce.accept()
    clock.now += 0.9
    assert debounce.accept()
    debounce.reset()
    assert debounce.accept()
