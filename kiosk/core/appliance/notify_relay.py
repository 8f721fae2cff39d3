"""The appliance's main process: it carries the kiosk's READY=1 and WATCHDOG=1 to systemd.

kiosk.service opens a PAM session (`PAMName=login`): cage needs a logind session to own the
screen and the input devices. pam_systemd then moves the service's processes into the session's
scope, and systemd takes a notification only from processes of the service, which is now just
its main process (systemd.exec(5), PAMName=). With cage as the main process and the kiosk as its
child, every READY=1 and WATCHDOG=1 of the kiosk was dropped: the unit never became active, and
systemd killed and restarted the kiosk every 60 seconds (TimeoutStartSec) on any Debian 12 with
libpam-systemd, which is every standard install.

So the main process is this relay. It starts its command (cage, and the kiosk inside it) with
NOTIFY_SOCKET pointing to a socket of its own and forwards every message to systemd from its own
pid. It also stops the tree: on SIGTERM (systemctl stop, restart, upgrade) the kiosk first, so it
ends cleanly and its safe-mode marker is cleared, then cage; on SIGABRT (the watchdog: the GUI
froze) everything at once. If the relay itself is killed, the kernel kills cage (PDEATHSIG).

Standard library only, no Qt: it runs as `python3 -m kiosk.core.appliance.notify_relay -- COMMAND...` and
costs a few MiB. Where no NOTIFY_SOCKET is set it simply becomes COMMAND (exec).
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

STOP_S = 10.0  # how long the kiosk may take to end cleanly; TimeoutStopSec is 15
KILL_S = 2.0  # after SIGTERM to cage, before SIGKILL
POLL_S = 0.5
PR_SET_PDEATHSIG = 1
# Only these pass: the kiosk must not name another main process or hand over file descriptors.
FORWARDED = ("READY=", "WATCHDOG=", "STATUS=", "STOPPING=", "RELOADING=", "MONOTONIC_USEC=", "EXTEND_TIMEOUT_USEC=",
             "ERRNO=")


def forwardable(datagram: bytes) -> bytes | None:
    """The lines of a notification that go on to systemd; None when nothing is left."""
    lines = [line for line in datagram.decode("utf-8", "replace").split("\n") if line.startswith(FORWARDED)]
    return "\n".join(lines).encode("utf-8") if lines else None


def child_environment(environ: Mapping[str, str], socket_path: str) -> dict[str, str]:
    """The command's environment: our socket as NOTIFY_SOCKET. WATCHDOG_PID names the relay, not
    the kiosk, so it is left out (the kiosk then takes WATCHDOG_USEC as meant for itself)."""
    env = {k: v for k, v in environ.items() if k != "WATCHDOG_PID"}
    env["NOTIFY_SOCKET"] = socket_path
    return env


def _address(name: str) -> str:
    return "\0" + name[1:] if name.startswith("@") else name


def children(pid: int) -> list[int]:
    """The direct children of `pid`, from /proc (Linux)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _kill(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _die_with_parent() -> None:
    """In the child before exec: the kernel kills it when the relay dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (ImportError, OSError, AttributeError):
        pass


class Relay:
    def __init__(self, command: list[str], upstream: str, folder: Path) -> None:
        self.command = command
        self.upstream = _address(upstream)
        self.path = str(folder / "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if os.path.exists(self.path):
            os.unlink(self.path)  # left by a relay that was killed
        self.sock.bind(self.path)
        self.out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.out.setblocking(False)
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping: int | None = None  # the signal that asked us to stop

    def forward(self, datagram: bytes) -> None:
        message = forwardable(datagram)
        if message is None:
            return
        try:
            self.out.sendto(message, self.upstream)
        except OSError:
            pass  # systemd gone or its queue full: a lost ping is what the watchdog is for

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.stopping is None:
            self.stopping = signum

    def _stop_tree(self, signum: int) -> None:
        child = self.child
        assert child is not None
        kiosk = children(child.pid)
        if signum == signal.SIGABRT:  # the watchdog: the kiosk is frozen, nothing ends cleanly
            _kill(kiosk, signal.SIGKILL)
            _kill([child.pid], signal.SIGKILL)
            child.wait()
            return
        # The kiosk (cage's child) first, so it ends cleanly; cage ends when its client does.
        _kill(kiosk, signal.SIGTERM)
        try:
            child.wait(STOP_S)
        except subprocess.TimeoutExpired:
            _kill([child.pid], signal.SIGTERM)
            try:
                child.wait(KILL_S)
            except subprocess.TimeoutExpired:
                _kill(children(child.pid), signal.SIGKILL)
                _kill([child.pid], signal.SIGKILL)
                child.wait()
            _kill(kiosk, signal.SIGKILL)  # a kiosk that outlived cage: nobody else would end it

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGABRT):
            signal.signal(signum, self._on_signal)
        self.child = subprocess.Popen(self.command, env=child_environment(os.environ, self.path),
                                      preexec_fn=_die_with_parent)
        try:
            while self.stopping is None and self.child.poll() is None:
                try:
                    ready, _w, _x = select.select([self.sock], [], [], POLL_S)
                except InterruptedError:
                    continue
                if ready:
                    self.forward(self.sock.recv(4096))
            if self.stopping is not None and self.child.poll() is None:
                self.forward(b"STOPPING=1")
                self._stop_tree(self.stopping)
            while True:  # what the kiosk said on its way out (STOPPING=1) still reaches systemd
                ready, _w, _x = select.select([self.sock], [], [], 0)
                if not ready:
                    break
                self.forward(self.sock.recv(4096))
        finally:
            self.sock.close()
            self.out.close()
            try:
                os.unlink(self.path)
            except OSError:
                pass
        if self.stopping == signal.SIGABRT:
            return 128 + signal.SIGABRT
        code = self.child.returncode
        return 128 - code if code < 0 else code


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python3 -m kiosk.core.appliance.notify_relay -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    upstream = os.environ.get("NOTIFY_SOCKET", "")
    if not upstream:
        os.execvp(args[0], args)  # no service manager listening: nothing to relay
    runtime = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    folder = Path(runtime) if runtime and os.path.isdir(runtime) else Path(tempfile.mkdtemp(prefix="kiosk-notify-"))
    try:
        relay = Relay(args, upstream, folder)
    except OSError as error:
        print(f"kiosk notify relay: cannot listen in {folder}: {error}; running without it", file=sys.stderr)
        os.execvp(args[0], args)
    started = time.monotonic()
    code = relay.run()
    if code and time.monotonic() - started < 1:
        print(f"kiosk notify relay: {args[0]} ended at once with code {code}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
