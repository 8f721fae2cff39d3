"""The kiosk's health, for the NGO: one small JSON file per day in the outbox, beside the statistics.

`<outbox>/<kiosk_id>/health-YYYY-MM-DD.json` is written once the day is over and never again;
`<outbox>/<kiosk_id>/health-today.json` is replaced (temporary file + rename) every hour, so the NGO
sees that a kiosk is alive today. Both hold facts about the machine only (HEALTH_FIELDS below,
repeated with the reason each is safe in the fleet notes): no time finer than the hour, and no
count that the day's statistics file does not already send, except the day's paper-limit refusals.

What the running kiosk notices between writings (starts, clean stops, unclean ends, safe-mode
entries, the printer's condition each hour, paper-limit refusals, the hours it was up) is kept in
`<data dir>/health-state.json` (HealthLog), so a restart loses nothing. Facts the caller gathers at
writing time (content, disk, narration player...) come in as a `Facts` mapping: this room cannot
read the packs or the content (they are rooms above it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = "kiosk-health"
VERSION = 1
STATE_FILE = "health-state.json"
TODAY_FILE = "health-today.json"
DAYS_KEPT = 60  # days the kiosk keeps in its state: a kiosk off the network this long still sends them all
PRINTER_STATES = frozenset({
    "ready", "no_printer_chosen", "no_printers", "printer_gone", "off_or_not_answering", "out_of_paper",
    "needs_attention", "stopped", "print_system_down", "printing_off",
})

# Every field of a health file (the fleet notes repeat this with why each is safe):
HEALTH_FIELDS = (
    "format", "version", "kiosk_id", "day", "final", "written_at", "program", "os", "open_hours", "open_days",
    "hours_open", "hours_up", "starts", "clean_stops", "unclean_ends", "safe_mode", "printer", "content",
    "narration_player", "disk", "visits",
)

Facts = Mapping[str, Any]


def day_file_name(day: dt.date) -> str:
    return f"health-{day.isoformat()}.json"


def _hour(now: dt.datetime) -> str:
    return now.strftime("%Y-%m-%dT%H")


class HealthLog:
    """What the running kiosk notices during a day, kept in DATA/health-state.json.

    Every method is cheap and never raises: health must never stop the kiosk."""

    def __init__(self, data_dir: Path, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.path = Path(data_dir) / STATE_FILE
        self.clock = clock
        self.state = self._load()

    # -- persistence ------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"days": {}}
        except (OSError, ValueError) as exc:
            log.warning("health: %s is unreadable (%s); starting a new one", self.path, exc)
            return {"days": {}}
        if not isinstance(data, dict) or not isinstance(data.get("days"), dict):
            log.warning("health: %s is not a health state; starting a new one", self.path)
            return {"days": {}}
        data["days"] = {k: v for k, v in data["days"].items() if isinstance(k, str) and isinstance(v, dict)}
        return data

    def save(self) -> None:
        try:
            days = self.state["days"]
            for old in sorted(days)[:-DAYS_KEPT]:
                del days[old]
            _write_json(self.path, self.state)
        except (OSError, TypeError, ValueError) as exc:
            log.warning("health: cannot save %s (%s)", self.path, exc)

    def day(self, day: dt.date | None = None) -> dict[str, Any]:
        key = (day or self.clock().date()).isoformat()
        entry = self.state["days"].setdefault(key, {})
        return entry  # type: ignore[no-any-return]

    def _add(self, name: str, n: int = 1) -> None:
        entry = self.day()
        value = entry.get(name, 0)
        entry[name] = (value if isinstance(value, int) else 0) + n

    # -- what the kiosk notices ------------------------------------------------------------------
    def started(self, safe_mode: bool) -> None:
        """At start-up: a start; an unclean end if the last run left its marker; a safe-mode entry
        if this run is in safe mode and the last one was not."""
        if self.state.get("running"):
            self._add("unclean_ends")
        self._add("starts")
        if safe_mode and self.state.get("mode") != "safe":
            self._add("safe_mode_entries")
        self.state["running"] = True
        self.state["mode"] = "safe" if safe_mode else "normal"
        self.up()
        self.save()

    def stopped_cleanly(self) -> None:
        self._add("clean_stops")
        self.state["running"] = False
        self.save()

    def up(self) -> bool:
        """The kiosk runs this hour; True when the hour is new (time to write the files)."""
        now = self.clock()
        entry = self.day(now.date())
        hours = entry.setdefault("up", [])
        if now.hour in hours:
            return False
        hours.append(now.hour)
        return True

    def printer(self, condition: str) -> None:
        """The printer's condition as the Printer tab says it, once an hour (the worst of the hour)."""
        if condition not in PRINTER_STATES:
            return
        now = self.clock()
        hours = self.day(now.date()).setdefault("printer", {})
        key = f"{now.hour:02}"
        if hours.get(key, "ready") == "ready":
            hours[key] = condition

    def limit_hit(self) -> None:
        self._add("limit_hits")

    def paper_refilled(self, sheets_so_far: int) -> None:
        """Staff said "paper refilled": sheets are counted from here (`sheets_so_far`: leaflets
        printed in the kiosk's whole statistics now)."""
        self.state["refill"] = {"day": self.clock().date().isoformat(), "base": int(sheets_so_far)}
        self.save()

    def sheets_since_refill(self, sheets_so_far: int) -> int | None:
        refill = self.state.get("refill")
        if not isinstance(refill, dict) or not isinstance(refill.get("base"), int):
            return None  # never said: the kiosk does not know when the paper went in
        return max(0, sheets_so_far - int(refill["base"]))

    def refilled_on(self) -> str | None:
        refill = self.state.get("refill")
        return str(refill.get("day")) if isinstance(refill, dict) and refill.get("day") else None


def _write_json(path: Path, data: Any) -> None:
    """Atomic: a temporary file beside it (hidden, '.part', which Syncthing is told to ignore), then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def health_record(log_: HealthLog, day: dt.date, kiosk_id: str, facts: Facts, final: bool,
                  now: dt.datetime) -> dict[str, Any]:
    """One day's health file. `facts` are what the caller gathered at writing (see module doc):
    open_hours, hours_open, safe_mode_now, safe_mode_reason, printer (jobs_sent, jobs_failed,
    sheets_used), content, narration_player, disk, visits."""
    entry = log_.day(day)
    printer = dict(facts.get("printer", {}))
    printer["hours"] = dict(sorted(entry.get("printer", {}).items()))
    printer["limit_hits"] = int(entry.get("limit_hits", 0))
    printer.setdefault("refilled_on", log_.refilled_on())
    return {
        "format": FORMAT, "version": VERSION, "kiosk_id": kiosk_id, "day": day.isoformat(), "final": final,
        "written_at": _hour(now),
        "program": str(facts.get("program", "")), "os": f"{platform.system()} {platform.release()}".strip(),
        "open_hours": str(facts.get("open_hours", "")), "open_days": list(facts.get("open_days", [])),
        "hours_open": int(facts.get("hours_open", 24)),
        "hours_up": len(entry.get("up", [])),
        "starts": int(entry.get("starts", 0)), "clean_stops": int(entry.get("clean_stops", 0)),
        "unclean_ends": int(entry.get("unclean_ends", 0)),
        "safe_mode": {"entries": int(entry.get("safe_mode_entries", 0)), "now": bool(facts.get("safe_mode_now")),
                      "reason": facts.get("safe_mode_reason") or None},
        "printer": printer,
        "content": dict(facts.get("content", {})),
        "narration_player": facts.get("narration_player"),
        "disk": dict(facts.get("disk", {})),
        "visits": facts.get("visits"),
    }


def _day_figures(facts: Facts) -> dict[str, Any]:
    printer = dict(facts.get("printer", {}))
    return {"visits": facts.get("visits"),
            "printer": {k: v for k, v in printer.items() if k in ("jobs_sent", "jobs_failed")}}


def write_health(log_: HealthLog, outbox: Path, kiosk_id: str, facts_for: Callable[[dt.date], Facts],
                 now: dt.datetime | None = None) -> list[Path]:
    """health-today.json now, and the final file of every earlier day the log knows and the outbox
    lacks (a kiosk off the network writes them all; Syncthing sends them when it is back).
    `facts_for(day)` gathers the facts (visits and jobs of that day). Returns the files written."""
    from kiosk.core.stats.fleet import STIGNORE, safe_kiosk_id

    now = now or log_.clock()
    folder = outbox / safe_kiosk_id(kiosk_id)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = outbox / ".stignore"
    if not ignore.exists():
        ignore.write_text(STIGNORE, encoding="utf-8")
    written = []
    today = now.date()
    for key in sorted(log_.state["days"]):
        try:
            day = dt.date.fromisoformat(key)
        except ValueError:
            continue
        if day >= today:
            continue
        target = folder / day_file_name(day)
        if target.exists():
            continue  # immutable once written
        # the machine as last seen that day; the day's own figures (visits, jobs) from the statistics
        seen = log_.day(day).get("facts")
        seen = seen if isinstance(seen, dict) else {}
        figures = _day_figures(facts_for(day))
        facts = {**seen, "visits": figures["visits"],
                 "printer": {**dict(seen.get("printer", {})), **figures["printer"]}}
        _write_json(target, health_record(log_, day, kiosk_id, facts, True, now))
        written.append(target)
    facts = dict(facts_for(today))
    log_.day(today)["facts"] = facts
    target = folder / TODAY_FILE
    _write_json(target, health_record(log_, today, kiosk_id, facts, False, now))
    written.append(target)
    log_.save()
    return written
