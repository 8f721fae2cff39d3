"""`kiosk bench --fleet N --days D --folder DIR`: a simulated fleet's outboxes (health and statistics
files), a few kiosks in each kind of trouble, the truth printed; then `kiosk fleet report` on it as the
real command (its time and peak memory), the size of a day's health file and of the page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.core.stats import DayRow, write_csv

TROUBLES = ("silent", "safe_mode", "paper_out", "printer_stopped", "paper_low", "old_content", "unverified",
            "disk", "clock", "no_visitors")


def health(kiosk_id: str, day: dt.date, visits: int | None, final: bool = True, **over: Any) -> dict[str, Any]:
    """One day's health record as a kiosk writes it (the fields of kiosk/core/stats/health.py)."""
    record: dict[str, Any] = {
        "format": "kiosk-health", "version": 1, "kiosk_id": kiosk_id, "day": day.isoformat(), "final": final,
        "written_at": f"{day.isoformat()}T{'23' if final else '15'}", "program": "0.1.0", "os": "Linux 6.1.0",
        "open_hours": "09:00-19:00", "open_days": ["mon", "tue", "wed", "thu", "fri", "sat"], "hours_open": 10,
        "hours_up": 24, "starts": 1, "clean_stops": 1, "unclean_ends": 0,
        "safe_mode": {"entries": 0, "now": False, "reason": None},
        "printer": {"hours": {f"{h:02}": "ready" for h in range(9, 19)}, "jobs_sent": 5, "jobs_failed": 0,
                    "sheets_used": 40, "refilled_on": "2025-01-01", "limit_hits": 0},
        "content": {"pack_version": 7, "signer": "ABCDEF0123456789", "last_change": None, "last_refusal": None,
                    "unverified_phones": 0},
        "narration_player": True, "disk": {"free_mb": 20_000, "total_mb": 30_000, "data_mb": 300}, "visits": visits,
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            record[key] = {**record[key], **value}
        else:
            record[key] = value
    if day.weekday() == 6:  # closed on Sunday: up, but no opening hours and no visitor
        record["hours_open"], record["visits"] = 0, 0
    return record


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_fleet(folder: Path, kiosks: int, days: int, today: dt.date) -> dict[str, str]:
    """Outboxes of `kiosks` kiosks over `days` days up to yesterday (and today's file); kiosk k is in
    trouble TROUBLES[k] for the first len(TROUBLES) kiosks, the rest are well. Returns {id: trouble}."""
    truth = {}
    for k in range(kiosks):
        kiosk_id = f"kiosk-{k:03}"
        trouble = TROUBLES[k] if k < len(TROUBLES) else "well"
        truth[kiosk_id] = trouble
        out = folder / kiosk_id
        out.mkdir(parents=True, exist_ok=True)
        last = today - dt.timedelta(days=4) if trouble == "silent" else today
        for d in range(days, -1, -1):
            day = today - dt.timedelta(days=d)
            if day > last:
                break
            visits = 0 if (trouble == "no_visitors" and d <= 3) else 10 + (k * 7 + d) % 13
            over: dict[str, Any] = {}
            if trouble == "safe_mode" and d <= 2:
                over["safe_mode"] = {"entries": 1 if d == 2 else 0, "now": True,
                                     "reason": "3 unclean exits in 30 minutes"}
            if trouble == "paper_out" and d <= 5:
                over["printer"] = {"hours": {f"{h:02}": "out_of_paper" for h in range(9, 19)}}
            if trouble == "printer_stopped" and d <= 1:
                over["printer"] = {"hours": {f"{h:02}": "stopped" for h in range(9, 19)}}
            if trouble == "paper_low":
                over["printer"] = {"sheets_used": 230}
            if trouble == "old_content":
                over["content"] = {"pack_version": 5}
            if trouble == "unverified":
                over["content"] = {"unverified_phones": 2}
            if trouble == "disk":
                over["disk"] = {"free_mb": 300}
            final = day < today
            record = health(kiosk_id, day, visits, final=final, **over)
            if trouble == "clock":
                record["written_at"] = f"{(day + dt.timedelta(days=400)).isoformat()}T15"
            _write(out / ("health-today.json" if not final else f"health-{day.isoformat()}.json"), record)
            if final:
                rows = [DayRow(day, lang, visits=record["visits"] // 4 + (record["visits"] % 4 > i), slides_viewed=20)
                        for i, lang in enumerate(("kk", "ru", "uz", "en"))]
                with (out / f"{day.isoformat()}.csv").open("w", encoding="utf-8", newline="") as fh:
                    write_csv(fh, rows, kiosk_id)
    return truth


def run_fleet(kiosks: int, days: int, folder: Path | None) -> int:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kiosk-fleet-bench-", dir=folder) as name:
        root = Path(name)
        today = dt.date.today()
        started = time.perf_counter()
        truth = write_fleet(root / "fleet", kiosks, days, today)
        made = time.perf_counter() - started
        print(f"fleet: {kiosks} kiosks x {days} days written in {made:.1f} s to {root / 'fleet'}")
        for kiosk_id, trouble in truth.items():
            if trouble != "well":
                print(f"  truth: {kiosk_id} {trouble}")
        print(f"  truth: the other {sum(1 for t in truth.values() if t == 'well')} kiosks are well")
        sample = root / "fleet" / "kiosk-000" / f"health-{(today - dt.timedelta(days=5)).isoformat()}.json"
        print(f"a day's health file: {sample.stat().st_size} bytes")
        from kiosk.core.model import default_content_dir
        from kiosk.core.packs import build_pack

        (root / "packs").mkdir()
        build_pack(default_content_dir(), 7, root / "packs" / "content-7.kpack")  # what the NGO published
        page = root / "fleet.html"
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "kiosk", "fleet", "report", str(root / "fleet"), "--today",
                                    today.isoformat(), "--packs", str(root / "packs"), "--output", str(page),
                                    "--lang", "en"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
        output = process.stdout.read() if process.stdout else ""
        if process.stdout:
            process.stdout.close()
        if os.waitstatus_to_exitcode(status):
            print(output, file=sys.stderr)
            return 1
        print(f"fleet report: {wall:.2f} s (the whole command; {usage.ru_utime + usage.ru_stime:.2f} s of CPU), "
              f"peak memory {usage.ru_maxrss / 1024:.0f} MiB; page {page.stat().st_size / 1024:.0f} KiB; "
              f"{output.strip()}")
    return 0
