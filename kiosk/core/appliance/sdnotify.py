"""The systemd notification protocol (sd_notify): one datagram per message to $NOTIFY_SOCKET.

Written here rather than taken from a library: it is a dozen lines over the standard socket
module, and the libraries for it (systemd-python, sdnotify) either need libsystemd headers to
build or are unmaintained. No Qt here; kiosk/ui/watchdog.py sends the messages from the GUI thread.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping

RESTART_GRACE_USEC = 60_000_000  # deploy/kiosk.service's TimeoutStartSec


class Notifier:
    """Sends READY=1, WATCHDOG=1, STATUS=... to the service manager; does nothing without one."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):  # an abstract socket
            address = "\0" + address[1:]
        self.address = address
        self.watchdog_usec = _watchdog_usec(env)
        self._sock: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, message: str) -> bool:
        """True when the datagram went out; a service manager that went away is not an error here."""
        if not self.address:
            return False
        try:
            target: str | tuple[str, int] = self.address
            if self.address.startswith("udp:"):
                # `kiosk supervise` on Windows, which has no Unix datagram sockets: "udp:127.0.0.1:PORT".
                host, _, port = self.address[4:].rpartition(":")
                target = (host, int(port))
            if self._sock is None:
                family = socket.AF_INET if isinstance(target, tuple) else socket.AF_UNIX
                self._sock = socket.socket(family, socket.SOCK_DGRAM)
                # Never block the GUI thread: a full queue at the other end drops a message.
                self._sock.setblocking(False)
            self._sock.sendto(message.encode("utf-8"), target)
            return True
        except (OSError, ValueError):
            return False

    def ready(self, status: str = "") -> bool:
        return self.send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self) -> bool:
        """The process is about to end. Never before an in-place restart: systemd then waits for
        the main process to exit, and kills it TimeoutStopSec later (see `reloading`)."""
        return self.send("STOPPING=1")

    def reloading(self, status: str = "", grace_usec: int = RESTART_GRACE_USEC) -> bool:
        """An in-place restart begins (the kiosk re-executes itself; the unit's main process stays):
        systemd shows the unit as reloading until the new run's READY=1. MONOTONIC_USEC goes with
        it, as sd_notify(3) asks from systemd 253 on (252, Debian 12's, ignores it). While reloading,
        systemd's watchdog keeps running (at a cold start it does not): WATCHDOG=1 and
        EXTEND_TIMEOUT_USEC give the new run as long as a cold start has to paint its first frame."""
        usec = time.monotonic_ns() // 1000  # CLOCK_MONOTONIC on Linux, the clock systemd means
        return self.send(f"RELOADING=1\nMONOTONIC_USEC={usec}\nWATCHDOG=1\nEXTEND_TIMEOUT_USEC={grace_usec}"
                         + (f"\nSTATUS={status}" if status else ""))

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def ping_interval_ms(self) -> int | None:
        """Half the watchdog timeout, as systemd recommends; None when no watchdog is asked for."""
        if not self.watchdog_usec:
            return None
        return max(1, self.watchdog_usec // 2000)


def _watchdog_usec(env: Mapping[str, str]) -> int:
    """WATCHDOG_USEC, when the watchdog is meant for this process.

    systemd names the service's main process in WATCHDOG_PID. On the appliance that is the notify
    relay (kiosk/core/appliance/notify_relay.py), which leaves WATCHDOG_PID out of the kiosk's environment;
    a kiosk started straight under cage (cage the main process) counts its parent's pid too.
    """
    try:
        usec = int(env.get("WATCHDOG_USEC", "0"))
    except ValueError:
        return 0
    pid = env.get("WATCHDOG_PID", "")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return 0
    return max(usec, 0)
