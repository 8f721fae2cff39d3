"""The appliance's notify relay (kiosk/core/appliance/notify_relay.py), with real processes and sockets.

A stand-in for systemd listens on a Unix datagram socket and reads each sender's pid from the
kernel (SO_PASSCRED), as systemd does. A stand-in for cage starts a stand-in for the kiosk, which
sends READY=1 and WATCHDOG=1 to the NOTIFY_SOCKET it was given. What the PAM session does to the
processes is checked in a real systemd in tests/test_unit_in_systemd.py.
"""

from __future__ import annotations

import array
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.appliance.notify_relay import child_environment, forwardable

CAGE = textwrap.dedent("""
    import subprocess, sys
    kiosk = subprocess.Popen([sys.executable, sys.argv[1], *sys.argv[2:]])
    sys.exit(kiosk.wait())
""")

KIOSK = textwrap.dedent("""
    import os, signal, socket, sys, time
    out = sys.argv[1]
    mode = sys.argv[2]
    def send(text):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            s.sendto(text.encode(), os.environ["NOTIFY_SOCKET"])
        except OSError:
            pass  # the relay gone (killed in a test)
        s.close()
    def on_term(*_):
        open(out, "a").write("term\\n")
        send("STOPPING=1")
        sys.exit(0)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, on_term)
    open(out, "a").write(f"pid {os.getpid()} watchdog_pid {os.environ.get('WATCHDOG_PID', '-')}\\n")
    send("READY=1\\nSTATUS=normal\\nMAINPID=1\\nFDSTORE=1")
    for _ in range(3):
        send("WATCHDOG=1")
        time.sleep(0.05)
    if mode == "exit":
        sys.exit(7)
    while True:
        time.sleep(0.1)
""")


class FakeSystemd:
    """Receives notifications and the pid the kernel says each came from."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.messages: list[tuple[int, str]] = []

    def receive(self, until: str, timeout_s: float = 10.0) -> list[tuple[int, str]]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not any(until in m for _p, m in self.messages):
            try:
                data, ancillary, _flags, _addr = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
            except TimeoutError:
                continue
            pid = 0
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = array.array("i", payload[:12])[0]
            self.messages.append((pid, data.decode()))
        return self.messages


    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listeners() -> Iterator[list[FakeSystemd]]:
    made: list[FakeSystemd] = []
    yield made
    for systemd in made:
        systemd.close()


def start(tmp_path: Path, mode: str = "wait", made: list[FakeSystemd] | None = None,
          ) -> tuple[subprocess.Popen[bytes], FakeSystemd, Path]:
    (tmp_path / "cage.py").write_text(CAGE)
    (tmp_path / "kiosk.py").write_text(KIOSK)
    (tmp_path / "run").mkdir()
    systemd = FakeSystemd(tmp_path / "systemd-notify")
    if made is not None:
        made.append(systemd)
    out = tmp_path / "kiosk.out"
    env = dict(os.environ, NOTIFY_SOCKET=systemd.path, WATCHDOG_PID="1", WATCHDOG_USEC="30000000",
               RUNTIME_DIRECTORY=str(tmp_path / "run"))
    relay = subprocess.Popen([sys.executable, "-m", "kiosk.core.appliance.notify_relay", "--", sys.executable,
                              str(tmp_path / "cage.py"), str(tmp_path / "kiosk.py"), str(out), mode], env=env)
    return relay, systemd, out


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except OSError:
        return False


def kiosk_pid(out: Path) -> int:
    for _ in range(100):
        if out.exists() and out.read_text().startswith("pid "):
            return int(out.read_text().split()[1])
        time.sleep(0.05)
    raise AssertionError("the stand-in kiosk never started")


def test_the_kiosks_messages_reach_systemd_from_the_relays_own_pid(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, systemd, out = start(tmp_path, made=listeners)
    try:
        messages = systemd.receive("WATCHDOG=1")
        assert messages[0] == (relay.pid, "READY=1\nSTATUS=normal")  # MAINPID and FDSTORE stay behind
        assert (relay.pid, "WATCHDOG=1") in messages
        assert {pid for pid, _m in messages} == {relay.pid}
        assert "watchdog_pid -" in out.read_text()  # WATCHDOG_PID named the relay: not passed on
        assert (tmp_path / "run" / "notify").exists()
    finally:
        relay.terminate()
        relay.wait(15)


def test_a_stop_ends_the_kiosk_first_and_cleanly(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, systemd, out = start(tmp_path, made=listeners)
    systemd.receive("READY=1")
    kiosk = kiosk_pid(out)
    relay.send_signal(signal.SIGTERM)  # systemctl stop
    assert relay.wait(15) == 0
    assert out.read_text().splitlines()[-1] == "term"  # the kiosk had its SIGTERM: a clean exit
    assert not alive(kiosk)
    assert any("STOPPING=1" in m for _p, m in systemd.receive("STOPPING=1", 1))
    assert not (tmp_path / "run" / "notify").exists()


def test_a_kiosk_that_will_not_stop_is_killed_within_the_stop_timeout(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, systemd, out = start(tmp_path, "stubborn", made=listeners)
    systemd.receive("READY=1")
    kiosk = kiosk_pid(out)
    started = time.monotonic()
    relay.send_signal(signal.SIGTERM)
    relay.wait(20)
    took = time.monotonic() - started
    assert not alive(kiosk)
    assert took < 15, took  # TimeoutStopSec=15: the relay is done before systemd has to kill it


def test_the_watchdogs_abort_ends_everything_at_once(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, systemd, out = start(tmp_path, "stubborn", made=listeners)
    systemd.receive("READY=1")
    kiosk = kiosk_pid(out)
    os.kill(kiosk, signal.SIGSTOP)  # the GUI thread frozen
    started = time.monotonic()
    relay.send_signal(signal.SIGABRT)  # what systemd sends when the pings stop
    assert relay.wait(10) == 128 + signal.SIGABRT
    assert time.monotonic() - started < 2
    assert not alive(kiosk)


def test_the_kiosks_exit_code_is_the_relays(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, _systemd, _out = start(tmp_path, "exit", made=listeners)
    assert relay.wait(15) == 7


def test_a_relay_killed_outright_takes_cage_with_it(tmp_path: Path, listeners: list[FakeSystemd]) -> None:
    relay, systemd, out = start(tmp_path, made=listeners)
    systemd.receive("READY=1")
    kiosk = kiosk_pid(out)
    cage = int(Path(f"/proc/{kiosk}/stat").read_text().split(")")[1].split()[1])
    relay.kill()
    relay.wait(5)
    deadline = time.monotonic() + 5
    while alive(cage) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(cage)  # PDEATHSIG; the kiosk then loses its compositor (here: its parent)
    os.kill(kiosk, signal.SIGKILL)


def test_without_a_service_manager_the_relay_becomes_the_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    done = subprocess.Popen([sys.executable, "-m", "kiosk.core.appliance.notify_relay", "--", sys.executable, "-c",
                             "import os; print(os.getpid())"], env=env, stdout=subprocess.PIPE, text=True)
    out, _ = done.communicate(timeout=15)
    assert int(out) == done.pid and done.returncode == 0


def test_only_the_notifications_systemd_should_act_on_pass() -> None:
    assert forwardable(b"READY=1\nMAINPID=42\nSTATUS=safe mode") == b"READY=1\nSTATUS=safe mode"
    assert forwardable(b"FDSTORE=1\nFDNAME=x") is None
    assert forwardable(b"\xff\xfeWATCHDOG=1") is None
    # an in-place restart: systemd 253+ wants the reload's time with it (issue 22, item 10)
    assert forwardable(b"RELOADING=1\nMONOTONIC_USEC=123\nWATCHDOG=1") == b"RELOADING=1\nMONOTONIC_USEC=123\nWATCHDOG=1"
    env = child_environment({"WATCHDOG_PID": "9", "WATCHDOG_USEC": "30000000", "PATH": "/bin"}, "/run/kiosk/notify")
    assert env == {"WATCHDOG_USEC": "30000000", "PATH": "/bin", "NOTIFY_SOCKET": "/run/kiosk/notify"}


@pytest.mark.parametrize("argv", [[], ["--"]])
def test_no_command_is_a_usage_error(argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk.core.appliance.notify_relay", *argv], capture_output=True, text=True,
                          timeout=15)
    assert done.returncode == 2 and "usage" in done.stderr
