"""Opening hours and the daily restart, with a clock; the settings that drive them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.core.site.schedule import Schedule, parse_hours, parse_time
from kiosk.core.site.settings import load_settings

MON = dt.datetime(2026, 11, 30)  # a Monday


def at(day: dt.datetime, hhmm: str, days: int = 0) -> dt.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return day.replace(hour=h, minute=m) + dt.timedelta(days=days)


def test_open_hours_during_the_day() -> None:
    s = Schedule.from_settings("08:00-19:00", (), "")
    assert not s.is_open(at(MON, "07:59")) and s.is_open(at(MON, "08:00"))
    assert s.is_open(at(MON, "18:59")) and not s.is_open(at(MON, "19:00"))


def test_open_hours_past_midnight_belong_to_the_day_they_start() -> None:
    s = Schedule.from_settings("22:00-06:00", ("fri",), "")
    friday = MON + dt.timedelta(days=4)
    assert s.is_open(at(friday, "23:00")) and s.is_open(at(friday, "05:59", days=1))  # Saturday morning
    assert not s.is_open(at(friday, "06:00", days=1)) and not s.is_open(at(friday, "23:00", days=1))
    assert not s.is_open(at(friday, "05:00"))  # Friday morning is Thursday's night


def test_closed_days_and_always_open() -> None:
    s = Schedule.from_settings("", ("mon", "tue"), "")
    assert s.is_open(at(MON, "03:00")) and not s.is_open(at(MON, "03:00", days=2))
    assert Schedule().is_open(at(MON, "03:00", days=6))


def test_daily_restart_once_within_the_hour_after_its_time_and_not_after_a_late_start() -> None:
    s = Schedule.from_settings("", (), "03:30")
    started = at(MON, "09:00", days=-1)
    assert not s.restart_due(at(MON, "03:29"), started)
    assert s.restart_due(at(MON, "03:30"), started) and s.restart_due(at(MON, "04:29"), started)
    assert not s.restart_due(at(MON, "04:31"), started)  # a clock that jumped: not in the day
    assert not s.restart_due(at(MON, "03:45"), at(MON, "03:31"))  # this run began after the restart
    assert not Schedule().restart_due(at(MON, "03:30"), started)


def test_parsing_refuses_what_is_not_a_time() -> None:
    assert parse_time("07:05") == dt.time(7, 5)
    for bad in ("7:5", "24:00", "12:60", "noon", "12-00"):
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValueError):
        parse_hours("08:00-08:00")
    assert parse_hours("") is None


def test_settings_are_validated_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text('open_hours: "8-19"\nopen_days: [mon, funday]\ndaily_restart: 13:30\n')
    settings, problems = load_settings(path)
    messages = [str(p) for p in problems.items]
    assert settings.open_hours == "" and settings.open_days == ()
    assert any(":1: 'open_hours: 8-19' is not a time the kiosk understands ('8' is not a time like 07:30)" in m
               for m in messages), messages
    assert any(":2: 'open_days:' should be a list of days" in m for m in messages), messages
    assert settings.daily_restart == "13:30"  # YAML reads unquoted 13:30 as 810 (base 60): understood
    path.write_text('open_hours: "08:00-19:00"\nopen_days: [MON, sat]\ndaily_restart: "03:30"\n')
    settings, problems = load_settings(path)
    assert problems.items == []
    assert (settings.open_hours, settings.open_days, settings.daily_restart) == ("08:00-19:00", ("mon", "sat"), "03:30")
