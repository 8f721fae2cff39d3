"""`kiosk supervise`: keeps the kiosk up where systemd does not (Windows; a Linux without systemd).

It does what the systemd unit does (deploy/), with the same heartbeat: the kiosk is started with
NOTIFY_SOCKET pointing at the supervisor, sends READY=1 after its first painted frame and
WATCHDOG=1 from a timer on its GUI thread, so a frozen GUI stops the pings. The supervisor
- restarts the kiosk when it exits, except after a clean exit (code 0: staff chose "Exit the kiosk"),
- kills and restarts it when READY does not come within `ready_s`, or the pings stop for `watchdog_s`,
- waits longer between restarts while it keeps failing (2 s, doubling up to 5 minutes), and never
  gives up for good: a kiosk that crashes at every start ends in safe mode (the kiosk counts its
  own unclean exits; see the appliance's safe mode), not in an endless tight loop.

Pure Python, no Qt. The socket is a Unix datagram socket, as systemd's; on Windows, which has no
Unix datagram sockets, a UDP socket on 127.0.0.1 ("udp:127.0.0.1:PORT"). **The Windows path has
not run on Windows.**
"""

from __future__ import annotations

import logging
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

BACKOFF_START_S = 2.0
BACKOFF_MAX_S = 300.0
HEALTHY_S = 600.0  # a kiosk up this long resets the backoff


@dataclass
class Run:
    """What happened to one start of the kiosk."""

    started: float
    ended: float = 0.0
    code: int | None = None  # the exit code; None when the supervisor killed it
    why: str = ""  # "exited", "no READY", "no WATCHDOG"
    ready_after: float | None = None  # seconds from start to READY=1
    pings: int = 0

    @property
    def clean(self) -> bool:
        return self.code == 0


@dataclass
class Supervisor:
    command: Sequence[str]
    ready_s: float = 60.0
    watchdog_s: float = 30.0
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    on_run: Callable[[Run], None] | None = None  # told after each run (tests, the log)
    on_ready: Callable[[subprocess.Popen[bytes]], None] | None = None  # told at READY=1 (tests)
    runs: list[Run] = field(default_factory=list)
    udp: bool = False  # the heartbeat over UDP on 127.0.0.1 even where Unix sockets exist (tests of the Windows path)

    def __post_init__(self) -> None:
        self._backoff = BACKOFF_START_S

    # -- the heartbeat socket -------------------------------------------------------------
    def _socket(self) -> tuple[socket.socket, str, Path | None]:
        if self.udp or sys.platform == "win32" or not hasattr(socket, "AF_UNIX"):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            return sock, f"udp:127.0.0.1:{sock.getsockname()[1]}", None
        folder = Path(tempfile.mkdtemp(prefix="kiosk-supervise-"))
        path = folder / "notify"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(path))
        return sock, str(path), folder

    # -- one run ---------------------------------------------------------------------------
    def run_once(self, sock: socket.socket, address: str) -> Run:
        env = dict(self.env, NOTIFY_SOCKET=address, WATCHDOG_USEC=str(int(self.watchdog_s * 1_000_000)))
        env.pop("WATCHDOG_PID", None)
        start = self.clock()
        run = Run(started=start)
        process = subprocess.Popen(list(self.command), env=env)
        last = start
        ready = False
        try:
            while True:
                code = process.poll()
                if code is not None:
                    run.code, run.why = code, "exited"
                    break
                now = self.clock()
                limit = (last + self.watchdog_s) if ready else (start + self.ready_s)
                if now >= limit:
                    run.why = "no WATCHDOG" if ready else "no READY"
                    log.warning("the kiosk gave no sign of life (%s) for %.0f s: killing it", run.why,
                                now - (last if ready else start))
                    process.kill()
                    process.wait(30)
                    break
                readable, _, _ = select.select([sock], [], [], min(0.5, max(0.01, limit - now)))
                if not readable:
                    continue
                message = sock.recv(4096).decode("utf-8", "replace")
                fields = dict(line.split("=", 1) for line in message.splitlines() if "=" in line)
                if fields.get("READY") == "1" and not ready:
                    ready, last = True, self.clock()
                    run.ready_after = last - start
                    if self.on_ready is not None:
                        self.on_ready(process)
                if fields.get("WATCHDOG") == "1":
                    last = self.clock()
                    run.pings += 1
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(30)
        run.ended = self.clock()
        return run

    def run(self, max_runs: int | None = None) -> int:
        """Until the kiosk exits cleanly (returns 0), or after `max_runs` starts (returns 1)."""
        sock, address, folder = self._socket()
        try:
            while max_runs is None or len(self.runs) < max_runs:
                run = self.run_once(sock, address)
                self.runs.append(run)
                if self.on_run is not None:
                    self.on_run(run)
                if run.clean:
                    log.info("the kiosk exited cleanly: the supervisor stops too")
                    return 0
                lasted = run.ended - run.started
                if lasted >= HEALTHY_S:
                    self._backoff = BACKOFF_START_S
                log.warning("the kiosk stopped (%s, code %s) after %.0f s; starting it again in %.0f s",
                            run.why, run.code, lasted, self._backoff)
                if max_runs is not None and len(self.runs) >= max_runs:
                    break
                self.sleep(self._backoff)
                self._backoff = min(BACKOFF_MAX_S, self._backoff * 2)
            return 1
        finally:
            sock.close()
            if folder is not None:
                for child in folder.iterdir():
                    child.unlink(missing_ok=True)
                folder.rmdir()
