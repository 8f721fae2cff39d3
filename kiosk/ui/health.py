"""The running kiosk's health files: once a minute it notes that it is up; at every new hour it asks
the printer how it is and writes `health-today.json` (and the final file of any day just over) into
the outbox, on a worker thread. The files' fields: kiosk/core/stats/health.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk import __version__
from kiosk.core.site import Schedule
from kiosk.core.stats import HealthLog, safe_kiosk_id, write_health

log = logging.getLogger(__name__)
TICK_MS = 60_000


def _folder_mb(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total // (1024 * 1024)


def hours_open(settings: Any, day: dt.date) -> int:
    schedule = Schedule.from_settings(settings.open_hours, settings.open_days, settings.daily_restart)
    start = dt.datetime.combine(day, dt.time())
    return sum(1 for h in range(24) if schedule.is_open(start + dt.timedelta(hours=h, minutes=30)))


def gather_facts(data_dir: Path, settings: Any, content: Any, safe_mode_reason: str | None,
                 log_: HealthLog, day: dt.date) -> dict[str, Any]:
    """What the kiosk knows of itself for `day`: see kiosk/core/stats/health.py's field list."""
    from kiosk.core.narration import find_player
    from kiosk.core.packs import read_state
    from kiosk.core.stats import StatsUnavailable, open_store

    visits = sent = failed = None
    sheets_so_far = None
    try:
        with open_store(data_dir, readonly=True) as store:
            rows = store.day_rows(None, None)
        day_rows = [r for r in rows if r.day == day]
        visits = sum(r.visits for r in day_rows)
        sent = sum(r.leaflets_printed for r in day_rows)
        failed = sum(r.print_failed for r in day_rows)
        sheets_so_far = sum(r.leaflets_printed for r in rows)
    except (StatsUnavailable, OSError) as exc:
        log.warning("health: statistics not read (%s)", exc)
    state = read_state(data_dir)
    last = next((h for h in reversed(state.history) if h.get("action") in ("install", "rollback")), None)
    refusal = state.last_refusal  # version, message, params, source and the hour (issue 22); {} when none
    match = re.fullmatch(r"v(\d+)-[0-9a-f]+", state.current)
    version = int(match.group(1)) if match else None  # None: the bundled content, no pack installed
    contacts = getattr(content, "contacts", ()) or ()
    try:
        usage = shutil.disk_usage(data_dir)
        disk = {"free_mb": usage.free // (1024 * 1024), "total_mb": usage.total // (1024 * 1024),
                "data_mb": _folder_mb(data_dir)}
    except OSError:
        disk = {}
    return {
        "program": __version__, "open_hours": settings.open_hours, "open_days": list(settings.open_days),
        "hours_open": hours_open(settings, day),
        "safe_mode_now": safe_mode_reason is not None, "safe_mode_reason": safe_mode_reason,
        "printer": {"jobs_sent": sent, "jobs_failed": failed,
                    "sheets_used": log_.sheets_since_refill(sheets_so_far) if sheets_so_far is not None else None},
        "content": {"pack_version": version, "signer": (last or {}).get("signer") if last else None,
                    "last_change": ({"action": last.get("action"), "version": last.get("version"),
                                     "day": str(last.get("at", ""))[:10]} if last else None),
                    "last_refusal": refusal or None,
                    "unverified_phones": sum(1 for c in contacts if getattr(c, "status", "") != "documented")},
        "narration_player": find_player(getattr(settings, "narration_player", "") or "") is not None,
        "disk": disk, "visits": visits,
    }


class HealthWriter(QObject):
    """Attached to the running kiosk by kiosk.app: notes starts and stops, writes the files hourly."""

    def __init__(self, kiosk: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.log = HealthLog(kiosk.data_dir)
        self.log.started(safe_mode=kiosk.safe_mode_reason is not None)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None
        kiosk.session.changed.connect(self._on_visit)

    def _on_visit(self, old: Any, new: Any) -> None:
        """A visitor refused paper by the limits (not "no printer"): the day's paper-limit hits."""
        from kiosk.core.visit import PrintStatus

        if (new.print_status is PrintStatus.LIMIT_REACHED and old.print_status is not PrintStatus.LIMIT_REACHED
                and self.kiosk.printer is not None and self.kiosk.safe_mode_reason is None):
            if self._lock.acquire(timeout=0.05):
                try:
                    self.log.limit_hit()
                finally:
                    self._lock.release()

    def start(self) -> None:
        self.timer.start()
        self.write_now()

    def tick(self) -> None:
        if not self._lock.acquire(timeout=0.05):
            return  # the files are being written this moment: the next minute notes the hour
        try:
            new_hour = self.log.up()
        finally:
            self._lock.release()
        if new_hour:
            self.write_now()

    def stopped_cleanly(self) -> None:
        self.log.stopped_cleanly()

    def paper_refilled(self) -> None:
        from kiosk.core.stats import StatsUnavailable, open_store

        try:
            with open_store(self.kiosk.data_dir, readonly=True) as store:
                so_far = sum(r.leaflets_printed for r in store.day_rows(None, None))
        except (StatsUnavailable, OSError):
            so_far = 0
        with self._lock:
            self.log.paper_refilled(so_far)
        self.write_now()

    def printer_condition(self, condition: str) -> None:
        if not self._lock.acquire(timeout=0.5):
            log.warning("health: the printer's condition was not noted (the files were being written)")
            return
        try:
            self.log.printer(condition)
        finally:
            self._lock.release()

    def reasons(self) -> list[Any]:
        """What the NGO's page says of this kiosk now (the same words), for the staff screen: its
        outbox's files when there is one, else today's record alone."""
        from kiosk.core.stats import KioskHealth, health_record, judge, read_fleet, safe_kiosk_id

        settings = self.kiosk.config.settings
        now = self.log.clock()
        with self._lock:
            facts = gather_facts(self.kiosk.data_dir, settings, self.kiosk.session.content,
                                 self.kiosk.safe_mode_reason, self.log, now.date())
            record = health_record(self.log, now.date(), settings.kiosk_id, facts, False, now)
        kiosk_id = safe_kiosk_id(settings.kiosk_id)
        kiosk = KioskHealth(kiosk_id)
        if settings.outbox_dir and (Path(settings.outbox_dir) / kiosk_id).is_dir():
            kiosk = read_fleet([Path(settings.outbox_dir) / kiosk_id], now.date(), arrivals=False).kiosks.get(
                kiosk_id, kiosk)
        kiosk.today = record
        judge(kiosk, now.date(), arrivals=False)
        return list(kiosk.reasons)

    def sheets_used(self) -> int | None:
        from kiosk.core.stats import StatsUnavailable, open_store

        try:
            with open_store(self.kiosk.data_dir, readonly=True) as store:
                so_far = sum(r.leaflets_printed for r in store.day_rows(None, None))
        except (StatsUnavailable, OSError):
            return None
        return self.log.sheets_since_refill(so_far)

    def write_now(self) -> None:
        """Asks the printer (its answer lands in this hour), then writes on a worker thread."""
        settings = self.kiosk.config.settings
        if self.kiosk.safe_mode_reason is not None:
            self.printer_condition("printing_off")
        elif self.kiosk.printer is not None:
            try:
                self.kiosk.printer.look_at(settings.printer, lambda report: self.printer_condition(
                    report.condition.value))
            except Exception:  # noqa: BLE001 - health never stops the kiosk
                log.exception("health: the printer could not be asked")
        if not settings.outbox_dir or (self.thread is not None and self.thread.is_alive()):
            with self._lock:
                self.log.save()
            return
        outbox, kiosk_id, content = Path(settings.outbox_dir), settings.kiosk_id, self.kiosk.session.content
        reason, data_dir = self.kiosk.safe_mode_reason, self.kiosk.data_dir

        def work() -> None:
            try:
                # the slow part (statistics, the data folder's size) outside the lock the GUI thread takes
                today = self.log.clock().date()
                days = [today, *(dt.date.fromisoformat(d) for d in list(self.log.state["days"])
                                 if d < today.isoformat())]
                facts = {day: gather_facts(data_dir, settings, content, reason, self.log, day) for day in days
                         if day == today or not (outbox / safe_kiosk_id(kiosk_id) / f"health-{day}.json").exists()}
                with self._lock:
                    write_health(self.log, outbox, kiosk_id, lambda day: facts.get(day) or gather_facts(
                        data_dir, settings, content, reason, self.log, day))
            except Exception:  # noqa: BLE001
                log.exception("health: the files could not be written")

        self.thread = threading.Thread(target=work, name="health", daemon=True)
        self.thread.start()

    def wait_idle(self, timeout_s: float = 30) -> None:
        if self.thread is not None:
            self.thread.join(timeout_s)

