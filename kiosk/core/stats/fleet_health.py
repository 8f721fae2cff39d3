"""The NGO's side of the health files: read every kiosk's, judge which kiosk needs a visit, worst first.

Reads `<kiosk_id>/health-YYYY-MM-DD.json` (the last WINDOW_DAYS days only: older days change no
judgement) and `<kiosk_id>/health-today.json` below any number of folders. A file that cannot be
trusted (too big, not JSON, cut short, a newer format, an id that is not its folder's or not an id)
is named in `problems` and skipped; nothing else is lost.

Time: a kiosk's clock may be wrong. Syncthing keeps the kiosk's modification time, but the time
the file changed on the NGO's disk (st_ctime) is when it arrived. With `arrivals` (the default for
real folders) "last heard" is the arrival of health-today.json, and the kiosk's clock is compared
with it. Without (`--today` given: a replay or a simulation, where everything arrived at once),
the kiosks' own dates are taken as they are, and only a clock ahead of today can be seen.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.model import N_, Message, msg
from kiosk.core.stats.health import FORMAT, TODAY_FILE, VERSION
from kiosk.core.visit import PrinterCondition

WINDOW_DAYS = 35  # five weeks: the chart shows the last CHART_DAYS, the median uses all
CHART_DAYS = 28
MAX_FILE = 256 * 1024  # a health file is about 1 KiB
DISK_LOW_MB = 1024
TRAY_SHEETS = 250
_NAME = re.compile(r"health-(\d{4}-\d{2}-\d{2})\.json")
_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# TRANSLATORS: fleet page and `kiosk fleet status`: one reason a kiosk needs attention. {days} is a number.
R_SILENT = N_("Not heard from for {days} open day(s) (last word {last}).")
# TRANSLATORS: fleet page: the kiosk has sent nothing at all in the period.
R_NEVER = N_("No health file has arrived from this kiosk.")
# TRANSLATORS: fleet page: {reason} is the kiosk's own words for why it is in safe mode (may be English).
R_SAFE_MODE = N_("Stuck in safe mode: {reason}")
# TRANSLATORS: fleet page: {since} is a date like 2025-05-01.
R_PAPER_OUT = N_("Printer out of paper since {since}.")
# TRANSLATORS: fleet page: {state} is the printer's state in words, {since} a date like 2025-05-01.
R_PRINTER = N_("Printer not printing since {since}: {state}")
# TRANSLATORS: fleet page: {used} sheets printed since staff last said the paper was refilled; {tray} what the tray holds.
R_PAPER_LOW = N_("Paper running low: {used} of {tray} sheets used since the last refill.")
# TRANSLATORS: fleet page: {version} the kiosk's content pack version, {newest} the newest the NGO published.
R_CONTENT_OLD = N_("Content is pack {version}, older than the newest published pack {newest}.")
# TRANSLATORS: fleet page: {count} is a number of phone numbers shown on the kiosk that nobody has verified.
R_UNVERIFIED = N_("Phone numbers still unverified: {count}.")
# TRANSLATORS: fleet page: {free} is megabytes free on the kiosk's disk.
R_DISK = N_("Disk nearly full: {free} MB free.")
# TRANSLATORS: fleet page: the kiosk's clock differs from the real date by {days} days.
R_CLOCK = N_("Clock wrong by {days} day(s).")
# TRANSLATORS: fleet page: the kiosk was on and open, but counted no visitor for {days} open days; {median} is its usual visits per day.
R_NO_VISITORS = N_("Up but no visitor for {days} open day(s), while its median is {median} a day.")
# TRANSLATORS: fleet page: a file that was not read; {file} is its name, {why} the reason below.
R_BAD_FILE = N_("{file}: not read ({why})")
# TRANSLATORS: fleet page: why a health file was not read.
W_TOO_BIG = N_("bigger than a health file can be")
# TRANSLATORS: fleet page: why a health file was not read.
W_NOT_JSON = N_("not a health file, or cut short")
# TRANSLATORS: fleet page: why a health file was not read; {version} is a number.
W_NEWER = N_("written by a newer program (format {version}); update kiosk on this computer")
# TRANSLATORS: fleet page: why a health file was not read.
W_BAD_ID = N_("the kiosk id inside is not this folder's kiosk, or not a kiosk id")
# TRANSLATORS: fleet page: why a health file was not read; {error} is the system's words.
W_UNREADABLE = N_("cannot be read: {error}")

_WEIGHT = {R_NEVER: 100, R_SILENT: 100, R_SAFE_MODE: 90, R_PAPER_OUT: 80, R_PRINTER: 80, R_NO_VISITORS: 70,
           R_CLOCK: 60, R_CONTENT_OLD: 50, R_DISK: 50, R_UNVERIFIED: 40, R_PAPER_LOW: 30}


def shown(text: str) -> str:
    """Text from outside (a file name), its control characters escaped, for a terminal or a page."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


@dataclass
class KioskHealth:
    kiosk_id: str
    days: dict[dt.date, dict[str, Any]] = field(default_factory=dict)  # final day files
    today: dict[str, Any] | None = None  # the newest health-today.json
    arrived: dt.datetime | None = None  # when health-today.json landed here (st_ctime)
    reasons: list[Message] = field(default_factory=list)
    weight: int = 0

    def latest(self) -> dict[str, Any] | None:
        if self.today is not None:
            return self.today
        return self.days[max(self.days)] if self.days else None

    def record(self, day: dt.date) -> dict[str, Any] | None:
        if self.today is not None and self.today.get("day") == day.isoformat():
            return self.today
        return self.days.get(day)

    def visits(self, day: dt.date) -> int | None:
        """That day's visits; None when the kiosk sent no word of that day (not zero)."""
        record = self.record(day)
        value = record.get("visits") if record else None
        return value if isinstance(value, int) else None


@dataclass
class Fleet:
    kiosks: dict[str, KioskHealth]
    problems: list[Message]
    today: dt.date

    def worst_first(self) -> list[KioskHealth]:
        return sorted(self.kiosks.values(), key=lambda k: (-k.weight, -len(k.reasons), k.kiosk_id))


def _read(path: str) -> tuple[dict[str, Any] | None, Message | None]:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(fd).st_size
            if size > MAX_FILE:
                return None, msg(W_TOO_BIG)
            raw = os.read(fd, size + 1)  # the size it has: a MAX_FILE buffer per file costs more than reading
        finally:
            os.close(fd)
        if len(raw) > MAX_FILE:
            return None, msg(W_TOO_BIG)
        data = json.loads(raw.decode("utf-8"))
    except OSError as exc:
        return None, msg(W_UNREADABLE, error=exc.strerror or str(exc))
    except (ValueError, RecursionError):
        return None, msg(W_NOT_JSON)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("version"), int):
        return None, msg(W_NOT_JSON)
    if data["version"] > VERSION:
        return None, msg(W_NEWER, version=data["version"])
    return data, None


def read_fleet(folders: Iterable[os.PathLike[str] | str], today: dt.date, arrivals: bool = True,
               newest_pack: int | None = None, tray_sheets: int = TRAY_SHEETS) -> Fleet:
    first = today - dt.timedelta(days=WINDOW_DAYS)
    kiosks: dict[str, KioskHealth] = {}
    problems: list[Message] = []
    for root in folders:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            names = [n for n in files if n == TODAY_FILE or _NAME.fullmatch(n)]
            if not names:
                continue
            kiosk_id = os.path.basename(folder)
            for name in sorted(names):
                path = os.path.join(folder, name)
                match = _NAME.fullmatch(name)
                if match:
                    try:
                        day = dt.date.fromisoformat(match.group(1))
                    except ValueError:
                        continue
                    if day < first:
                        continue
                if not _KIOSK_ID.fullmatch(kiosk_id):
                    problems.append(msg(R_BAD_FILE, file=shown(path), why=msg(W_BAD_ID)))
                    continue
                data, why = _read(path)
                if data is not None and data.get("kiosk_id") != kiosk_id:
                    data, why = None, msg(W_BAD_ID)
                if data is None:
                    problems.append(msg(R_BAD_FILE, file=shown(path), why=why))
                    continue
                kiosk = kiosks.setdefault(kiosk_id, KioskHealth(kiosk_id))
                if match:
                    kiosk.days[day] = data
                else:
                    try:
                        arrived = dt.datetime.fromtimestamp(os.stat(path).st_ctime) if arrivals else None
                    except OSError:
                        arrived = None
                    if kiosk.today is None or str(data.get("written_at", "")) > str(kiosk.today.get("written_at", "")):
                        kiosk.today, kiosk.arrived = data, arrived
    fleet = Fleet(kiosks, problems, today)
    for kiosk in kiosks.values():
        judge(kiosk, today, arrivals, newest_pack, tray_sheets)
    return fleet


def _hour(text: object) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(text), "%Y-%m-%dT%H")
    except ValueError:
        return None


def _open_on(record: dict[str, Any] | None, day: dt.date) -> bool:
    """Is the kiosk open on that day, by its own settings (open_days)? Unknown: open."""
    days = record.get("open_days") if record else None
    if not isinstance(days, list) or not days:
        return True
    return _DAYS[day.weekday()] in days


def judge(kiosk: KioskHealth, today: dt.date, arrivals: bool = True, newest_pack: int | None = None,
          tray_sheets: int = TRAY_SHEETS) -> None:
    """The kiosk's reasons, worst first, in `kiosk.reasons`, and its weight."""
    reasons: list[Message] = []
    latest = kiosk.latest()
    if latest is None:
        kiosk.reasons, kiosk.weight = [msg(R_NEVER)], _WEIGHT[R_NEVER]
        return
    written = _hour(latest.get("written_at"))
    last_day = max([*kiosk.days, *([dt.date.fromisoformat(str(latest["day"]))] if _is_day(latest.get("day")) else [])])
    heard = kiosk.arrived.date() if (arrivals and kiosk.arrived) else max(last_day, written.date() if written else last_day)
    silent = [heard + dt.timedelta(days=i) for i in range(1, (today - heard).days)]
    silent_open = sum(1 for d in silent if _open_on(latest, d))
    if silent_open:
        reasons.append(msg(R_SILENT, days=silent_open, last=heard.isoformat()))
    if written is not None:
        clock_now = kiosk.arrived if (arrivals and kiosk.arrived) else dt.datetime.combine(today, dt.time(23))
        off = (written - clock_now).total_seconds() / 86400
        if off > 1 or (arrivals and kiosk.arrived and off < -1):
            reasons.append(msg(R_CLOCK, days=round(abs(off))))
    safe = latest.get("safe_mode")
    if isinstance(safe, dict) and safe.get("now"):
        reasons.append(msg(R_SAFE_MODE, reason=str(safe.get("reason") or "?")))
    state, since = _printer_trouble(kiosk, last_day)
    if state == PrinterCondition.OUT_OF_PAPER.value:
        reasons.append(msg(R_PAPER_OUT, since=since))
    elif state:
        reasons.append(msg(R_PRINTER, since=since, state=msg(PrinterCondition(state).headline)))
    printer = latest.get("printer") if isinstance(latest.get("printer"), dict) else {}
    used = printer.get("sheets_used") if isinstance(printer, dict) else None
    if not state and isinstance(used, int) and used >= tray_sheets * 0.8:
        reasons.append(msg(R_PAPER_LOW, used=used, tray=tray_sheets))
    content = latest.get("content") if isinstance(latest.get("content"), dict) else {}
    version = content.get("pack_version") if isinstance(content, dict) else None
    if newest_pack is not None and isinstance(version, int) and version < newest_pack:
        reasons.append(msg(R_CONTENT_OLD, version=version, newest=newest_pack))
    unverified = content.get("unverified_phones") if isinstance(content, dict) else None
    if isinstance(unverified, int) and unverified > 0:
        reasons.append(msg(R_UNVERIFIED, count=unverified))
    disk = latest.get("disk") if isinstance(latest.get("disk"), dict) else {}
    free = disk.get("free_mb") if isinstance(disk, dict) else None
    if isinstance(free, int) and free < DISK_LOW_MB:
        reasons.append(msg(R_DISK, free=free))
    quiet, median = _quiet_days(kiosk, today)
    if quiet and (median >= 5 or (quiet >= 3 and median >= 1)):
        reasons.append(msg(R_NO_VISITORS, days=quiet, median=_number(median)))
    reasons.sort(key=lambda m: -_WEIGHT.get(m.msgid, 0))
    kiosk.reasons = reasons
    kiosk.weight = max((_WEIGHT.get(m.msgid, 0) for m in reasons), default=0)


def _is_day(text: object) -> bool:
    try:
        dt.date.fromisoformat(str(text))
        return True
    except ValueError:
        return False


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _last_condition(record: dict[str, Any]) -> str | None:
    printer = record.get("printer")
    hours = printer.get("hours") if isinstance(printer, dict) else None
    if not isinstance(hours, dict) or not hours:
        return None
    value = hours[max(hours)]
    return value if isinstance(value, str) else None


def _printer_trouble(kiosk: KioskHealth, last_day: dt.date) -> tuple[str, str]:
    """The printer's state when last seen if it cannot print, and the first day of that run."""
    latest = kiosk.latest()
    state = _last_condition(latest) if latest else None
    if not state or state in ("ready", "printing_off") or state not in PrinterCondition._value2member_map_:
        return "", ""
    since = last_day
    day = last_day - dt.timedelta(days=1)
    while (record := kiosk.record(day)) is not None:
        if (earlier := _last_condition(record)) != state:
            hours = record.get("printer", {}).get("hours", {}) if isinstance(record.get("printer"), dict) else {}
            if isinstance(hours, dict) and state in hours.values():
                since = day
            break
        since = day
        day -= dt.timedelta(days=1)
        if earlier is None:
            break
    return state, since.isoformat()


def _quiet_days(kiosk: KioskHealth, today: dt.date) -> tuple[int, float]:
    """Open days on which the kiosk was up and counted no visitor, the latest run of them; and its
    own median of visits on open days it was up (the window's days)."""
    counted = []
    for day in sorted(kiosk.days):
        record = kiosk.days[day]
        if record.get("hours_open", 1) and record.get("hours_up", 0) and isinstance(record.get("visits"), int):
            counted.append((day, int(record["visits"])))
    if not counted:
        return 0, 0.0
    median = statistics.median(v for _d, v in counted)
    quiet = 0
    for _day, visits in reversed(counted):
        if visits:
            break
        quiet += 1
    return quiet, float(median)


def totals(fleet: Fleet) -> dict[str, int]:
    """The fleet's totals: kiosks, needing a visit, well; visits yesterday and in the last 7 days."""
    yesterday = fleet.today - dt.timedelta(days=1)
    week = [fleet.today - dt.timedelta(days=i) for i in range(1, 8)]
    return {
        "kiosks": len(fleet.kiosks),
        "attention": sum(1 for k in fleet.kiosks.values() if k.reasons),
        "well": sum(1 for k in fleet.kiosks.values() if not k.reasons),
        "visits_yesterday": sum(k.visits(yesterday) or 0 for k in fleet.kiosks.values()),
        "visits_week": sum(k.visits(d) or 0 for k in fleet.kiosks.values() for d in week),
        "files_not_read": len(fleet.problems),
    }
