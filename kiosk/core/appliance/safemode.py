"""Safe mode: after repeated unclean exits the kiosk starts on the bundled content, printing off.

A start leaves a marker (`run-state.json` in the data folder) that only a clean exit removes. A
marker found at the next start means the last run ended uncleanly (a crash, kill -9, a watchdog
abort, a power cut); that exit is recorded. Three unclean exits within 30 minutes turn safe mode
on; an hour without one turns it off again (the running kiosk restarts itself into normal mode).

Clock-robust: the kiosk has no network and its clock may jump. Each record carries the boot id
and the time since boot (CLOCK_BOOTTIME, which no one can set); within one boot ages come from
that. Across boots the wall clock is all there is, and a record "from the future" counts as just
now, so a clock set back cannot make old crashes last for ever nor hide new ones.
Every write is atomic (temporary file, fsync, rename): a power cut leaves the old or the new state.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

STATE_FILE = "run-state.json"
CRASHES_FOR_SAFE_MODE = 3
CRASH_WINDOW_S = 30 * 60
CALM_S = 60 * 60  # this long without an unclean exit: normal mode again
MAX_RECORDS = 20


@dataclass(frozen=True)
class Stamp:
    wall: float
    boot_id: str
    since_boot: float

    def age(self, now: Stamp) -> float:
        """Seconds from this stamp to `now`, never negative."""
        if self.boot_id and self.boot_id == now.boot_id:
            return max(0.0, now.since_boot - self.since_boot)
        return max(0.0, now.wall - self.wall)

    def to_json(self) -> dict[str, object]:
        return {"wall": self.wall, "boot_id": self.boot_id, "since_boot": self.since_boot}

    @staticmethod
    def from_json(data: object) -> Stamp | None:
        if not isinstance(data, dict):
            return None
        try:
            return Stamp(float(data["wall"]), str(data.get("boot_id", "")), float(data.get("since_boot", 0)))
        except (KeyError, TypeError, ValueError):
            return None


def system_clock() -> Stamp:
    try:
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot_id = ""
    since_boot = time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()
    return Stamp(time.time(), boot_id, since_boot)


@dataclass
class StartDecision:
    safe_mode: bool
    reason: str | None  # for staff: why the kiosk is in safe mode
    unclean_exits: int  # within the crash window
    calm_in_s: float | None  # in safe mode: seconds until normal mode is tried again


@dataclass
class RunState:
    """What the data folder remembers between runs."""

    running: dict[str, object] | None = None  # the marker of a run that has not ended cleanly
    unclean: list[Stamp] = field(default_factory=list)
    safe_mode: bool = False


class SafeMode:
    def __init__(self, data_dir: Path, clock: Callable[[], Stamp] = system_clock) -> None:
        self.path = data_dir / STATE_FILE
        self.clock = clock

    # -- persistence ---------------------------------------------------------------------
    def load(self) -> RunState:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return RunState()
        except (OSError, ValueError) as exc:
            # A damaged file must not stop the kiosk: start over, and say so (the log, the Content tab).
            from kiosk.core.model import D_SAFE_MODE, report_damaged

            report_damaged(self.path, exc, D_SAFE_MODE)
            return RunState()
        unclean = data.get("unclean", []) if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(unclean, list):
            from kiosk.core.model import D_SAFE_MODE, report_damaged

            report_damaged(self.path, "not the form the kiosk writes", D_SAFE_MODE)
            return RunState()
        running = data.get("running")
        stamps = [s for s in (Stamp.from_json(x) for x in unclean) if s is not None]
        return RunState(running if isinstance(running, dict) else None, stamps[-MAX_RECORDS:],
                        bool(data.get("safe_mode", False)))

    def save(self, state: RunState) -> None:
        data = {"running": state.running, "unclean": [s.to_json() for s in state.unclean[-MAX_RECORDS:]],
                "safe_mode": state.safe_mode}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".run-state-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- the decisions -------------------------------------------------------------------
    def start(self) -> StartDecision:
        """Called once at start-up: records the last run's unclean end, decides, leaves a marker."""
        now = self.clock()
        state = self.load()
        if state.running is not None:
            state.unclean.append(now)
            log.warning("the last run did not end cleanly (started %s)", state.running.get("started", "?"))
        decision = self.decide(state, now)
        state.safe_mode = decision.safe_mode
        state.running = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M"),
                         "stamp": now.to_json()}
        self.save(state)
        return decision

    def decide(self, state: RunState, now: Stamp) -> StartDecision:
        ages = [s.age(now) for s in state.unclean]
        recent = sum(1 for a in ages if a <= CRASH_WINDOW_S)
        last = min(ages) if ages else None
        if recent >= CRASHES_FOR_SAFE_MODE or (state.safe_mode and last is not None and last < CALM_S):
            calm_in = CALM_S - (last or 0.0)
            reason = (f"safe mode: the kiosk stopped unexpectedly {recent or len(ages)} times within "
                      f"{CRASH_WINDOW_S // 60} minutes; showing the bundled content with printing off. "
                      f"Normal mode is tried again after {CALM_S // 60} minutes without a crash. "
                      f"The log in the data folder has the details.")
            return StartDecision(True, reason, recent, calm_in)
        return StartDecision(False, None, recent, None)

    def seconds_until_calm(self) -> float | None:
        """In safe mode: how long until an hour has passed since the last unclean exit."""
        state = self.load()
        if not state.unclean:
            return 0.0
        now = self.clock()
        return max(0.0, CALM_S - min(s.age(now) for s in state.unclean))

    def leave(self) -> int:
        """Staff leave safe mode now (the staff screen, behind the PIN): the recorded unclean exits
        and the safe-mode flag are forgotten, so the next start is a normal one. The marker of
        the run in progress stays (its clean exit removes it). Returns how many records went."""
        state = self.load()
        forgotten = len(state.unclean)
        state.unclean = []
        state.safe_mode = False
        self.save(state)
        return forgotten

    def clean_exit(self) -> None:
        """The run ends as intended (staff exit, restart, systemd stop): no crash to count."""
        state = self.load()
        state.running = None
        self.save(state)
