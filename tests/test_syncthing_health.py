"""The fleet's health over four real Syncthing instances on 127.0.0.1 (issue 23): three kiosks and the
NGO. One kiosk's Syncthing is stopped for three simulated days, one kiosk is in safe mode, one has a
printer disabled on a real CUPS queue (cupsdisable). The NGO's status names all three; when the
stopped kiosk is back, every missed day arrives, lands in its place, and that kiosk is listed last.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.stats.fleet_health import read_fleet
from kiosk.core.stats.health import TODAY_FILE, HealthLog, write_health
from kiosk.printing.cups_status import parse_printer, printer_condition
from tests.conftest import ROOT
from tests.support import need_tool
from tests.syncthing_pair import Node

DEADLINE_S = 120
FIRST = dt.date(2026, 11, 30)  # a Monday: days 0..4 are Monday to Friday, all open


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.combine(FIRST, dt.time(10))

    def __call__(self) -> dt.datetime:
        return self.now


def facts(visits: int, reason: str | None = None):  # type: ignore[no-untyped-def]
    return lambda day: {"program": "0.1.0", "open_hours": "09:00-19:00", "open_days": ["mon", "tue", "wed", "thu", "fri"],
                        "hours_open": 10, "safe_mode_now": reason is not None, "safe_mode_reason": reason,
                        "printer": {"jobs_sent": 2, "jobs_failed": 0, "sheets_used": 10},
                        "content": {"pack_version": 3, "unverified_phones": 0}, "narration_player": True,
                        "disk": {"free_mb": 9000, "data_mb": 100}, "visits": visits + day.day % 3}


def wait_for(check, deadline: float, what: str) -> None:  # type: ignore[no-untyped-def]
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} did not arrive in time; see the syncthing logs")


@pytest.mark.cups
def test_three_kiosks_and_the_ngo_over_real_syncthing(tmp_path: Path, cups) -> None:  # type: ignore[no-untyped-def]
    need_tool("syncthing", "syncthing")
    deadline = time.monotonic() + DEADLINE_S
    ngo = Node(tmp_path / "ngo-home", "ngo")
    names = ("village-a", "village-b", "village-c")
    kiosks = [Node(tmp_path / f"{name}-home", name) for name in names]
    outbox = {name: tmp_path / name / "outbox" for name in names}
    received = tmp_path / "ngo" / "fleet"
    ngo.write_config(kiosks, [(f"health-{name}", received / name, "receiveonly") for name in names])
    for node in kiosks:
        node.write_config(ngo, [(f"health-{node.name}", outbox[node.name], "sendonly")])
    # village-c's printer: disabled on a real CUPS queue, seen as the kiosk sees it (lpstat)
    cups.run("cupsdisable", "kiosk-pdf")
    lpstat = subprocess.run(["lpstat", "-l", "-p", "kiosk-pdf", "-a", "kiosk-pdf"], capture_output=True, text=True,
                            env=cups.env, timeout=30).stdout
    stopped = printer_condition(parse_printer(lpstat, "kiosk-pdf")).value
    assert stopped == "stopped"

    clock = Clock()
    logs = {name: HealthLog(tmp_path / name / "data", clock) for name in names}
    logs["village-a"].started(safe_mode=False)
    logs["village-b"].started(safe_mode=True)
    logs["village-c"].started(safe_mode=False)
    reasons = {"village-b": "3 unclean exits in 30 minutes"}

    def live(day: int, who: tuple[str, ...] = names) -> None:
        """A simulated day at the kiosks: up every hour of it, the printer asked, the files written."""
        for hour in (9, 12, 18):
            clock.now = dt.datetime.combine(FIRST + dt.timedelta(days=day), dt.time(hour))
            for name in who:
                logs[name].up()
                logs[name].printer(stopped if name == "village-c" else "ready")
                write_health(logs[name], outbox[name], name, facts(20, reasons.get(name)))

    try:
        for node in (ngo, *kiosks):
            node.start()
        for node in (ngo, *kiosks):
            node.wait_ready(deadline)
        live(0)
        live(1)

        def arrived(name: str, day: dt.date) -> bool:
            path = received / name / name / TODAY_FILE
            try:
                return bool(json.loads(path.read_text())["day"] == day.isoformat())
            except (OSError, ValueError):
                return False  # not there yet, or being replaced this moment

        for node in kiosks:
            node.rescan(f"health-{node.name}")
        for name in names:
            wait_for(lambda name=name: arrived(name, FIRST + dt.timedelta(days=1)), deadline, f"{name}'s first days")
        kiosks[0].stop()  # village-a's Syncthing is down for three days; the kiosk keeps writing
        for day in (2, 3, 4):
            live(day)
        for node in kiosks[1:]:
            node.rescan(f"health-{node.name}")
        today = FIRST + dt.timedelta(days=4)
        for name in names[1:]:
            wait_for(lambda name=name: arrived(name, today), deadline, f"{name}'s health of {today}")
        done = subprocess.run([sys.executable, "-m", "kiosk", "fleet", "status", str(received), "--today",
                               today.isoformat(), "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        lines = done.stdout.splitlines()
        assert [line.split()[0] for line in lines] == ["village-a", "village-b", "village-c"], done.stdout
        assert "Not heard from for 2 open day(s) (last word 2026-12-01)." in lines[0]
        assert "Stuck in safe mode: 3 unclean exits in 30 minutes" in lines[1]
        assert "Printer not printing since 2026-11-30: The printer was stopped by someone." in lines[2]
        fleet = read_fleet([received], today, arrivals=False)
        assert fleet.kiosks["village-a"].visits(today - dt.timedelta(days=1)) is None  # not heard: not zero

        kiosks[0].start()  # back: every missed day is sent
        kiosks[0].wait_ready(deadline)
        kiosks[0].rescan("health-village-a")
        missed = [received / "village-a" / "village-a" / f"health-{FIRST + dt.timedelta(days=d)}.json" for d in (1, 2, 3)]
        wait_for(lambda: all(p.is_file() for p in missed), deadline, "village-a's missed days")
        wait_for(lambda: arrived("village-a", today), deadline, "village-a's today")
        fleet = read_fleet([received], today, arrivals=False)
        a = fleet.kiosks["village-a"]
        assert [a.visits(FIRST + dt.timedelta(days=d)) for d in range(4)] == [20 + (30 % 3), 20 + 1 % 3,
                                                                              20 + 2 % 3, 20 + 3 % 3]
        page = tmp_path / "fleet.html"
        done = subprocess.run([sys.executable, "-m", "kiosk", "fleet", "report", str(received), "--today",
                               today.isoformat(), "--output", str(page)], cwd=ROOT, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        text = page.read_text()
        assert text.index("village-b") < text.index("village-c") < text.index("village-a")  # the healthy one last
        assert "2026-12-02: 22" in text  # a day sent late, in its place
    finally:
        for node in (ngo, *kiosks):
            node.stop()
