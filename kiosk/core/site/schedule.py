"""Opening hours and the daily restart: pure functions of a clock, no Qt.

`open_hours: "08:00-19:00"` (empty: always open; "22:00-06:00" runs past midnight),
`open_days: [mon, tue, wed, thu, fri, sat]` (empty: every day; a night that starts on an open
day belongs to that day), `daily_restart: "03:30"` (empty: never). Outside the opening hours
the screen sleeps; the restart waits for the attract loop and happens only within the hour after
the set time, so a clock that jumps does not restart the kiosk in the middle of the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RESTART_WINDOW = dt.timedelta(hours=1)


def parse_time(text: str) -> dt.time:
    """'07:30' -> 07:30; ValueError with a plain message otherwise."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"{text!r} is not a time like 07:30")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day (00:00 to 23:59)")
    return dt.time(hour, minute)


def parse_hours(text: str) -> tuple[dt.time, dt.time] | None:
    """'08:00-19:00' -> (08:00, 19:00); '' -> None (always open)."""
    if not text.strip():
        return None
    if text.count("-") != 1:
        raise ValueError(f"{text!r} should look like 08:00-19:00")
    start, end = (parse_time(p) for p in text.split("-"))
    if start == end:
        raise ValueError(f"{text!r} opens and closes at the same time")
    return start, end


def parse_days(days: tuple[str, ...]) -> frozenset[int]:
    bad = [d for d in days if d not in DAYS]
    if bad:
        raise ValueError(f"unknown day {bad[0]!r}; use {', '.join(DAYS)}")
    return frozenset(DAYS.index(d) for d in days) if days else frozenset(range(7))


@dataclass(frozen=True)
class Schedule:
    hours: tuple[dt.time, dt.time] | None = None
    days: frozenset[int] = frozenset(range(7))
    restart_at: dt.time | None = None

    @staticmethod
    def from_settings(open_hours: str, open_days: tuple[str, ...], daily_restart: str) -> Schedule:
        """Settings are validated when they are read; here a bad value still cannot raise."""
        try:
            hours = parse_hours(open_hours)
        except ValueError:
            hours = None
        try:
            days = parse_days(open_days)
        except ValueError:
            days = frozenset(range(7))
        try:
            restart = parse_time(daily_restart) if daily_restart.strip() else None
        except ValueError:
            restart = None
        return Schedule(hours, days, restart)

    def is_open(self, now: dt.datetime) -> bool:
        if self.hours is None:
            return now.weekday() in self.days
        start, end = self.hours
        t = now.time()
        if start < end:
            return start <= t < end and now.weekday() in self.days
        # past midnight: the evening part belongs to today, the morning part to yesterday
        if t >= start:
            return now.weekday() in self.days
        if t < end:
            return (now.weekday() - 1) % 7 in self.days
        return False

    def restart_due(self, now: dt.datetime, started: dt.datetime) -> bool:
        """True when today's restart time has passed (by less than an hour) since this run started."""
        if self.restart_at is None:
            return False
        moment = dt.datetime.combine(now.date(), self.restart_at, tzinfo=now.tzinfo)
        return started < moment <= now < moment + RESTART_WINDOW
