"""deploy/kiosk.service in a real systemd (a Debian 12 box, tests/systemd_box.py), with its PAM
session, its notify relay and its watchdog.

The shipped unit is used as it is, but for what a container cannot have or this test need not
wait for: no tty1 (standard input from /dev/null), the package's Python is the box's Python with
the checkout's kiosk/core, cage and the kiosk are stand-ins (cage.py starts kiosk.py, which tells
systemd READY=1 and WATCHDOG=1 through the kiosk's own kiosk.core.appliance.sdnotify), and the watchdog is 3
seconds rather than 30. The session scope, the notifications and the signals are systemd's own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, need
from tests.systemd_box import SystemdBox, missing_requirements

pytestmark = pytest.mark.slow

TEST = "/opt/kiosk-test"
CAGE = """#!/usr/bin/python3
import subprocess, sys
sys.exit(subprocess.call([sys.executable, "/opt/kiosk-test/kiosk.py"]))
"""
KIOSK = """import os, signal, sys, time
sys.path.insert(0, "/opt/kiosk-test")
from kiosk.core.appliance.sdnotify import Notifier
notifier = Notifier()
def on_term(*_):
    open("/var/lib/kiosk/clean-exit", "w").write(str(os.getpid()))
    notifier.stopping()
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
open("/var/lib/kiosk/kiosk-pid", "w").write(str(os.getpid()))
notifier.ready("normal")
while True:
    time.sleep((notifier.ping_interval_ms() or 1000) / 1000)
    notifier.ping()
"""
DROP_IN = """[Service]
StandardInput=null
TTYPath=
TTYReset=no
TTYVHangup=no
ExecStartPre=
WatchdogSec=3
TimeoutStartSec=8
Environment=PYTHONPATH=/opt/kiosk-test
"""


def unit_text() -> str:
    text = (ROOT / "deploy" / "kiosk.service").read_text()
    shipped = "/opt/safe-migration-kiosk/bin/python3 -m kiosk.core.appliance.notify_relay -- /usr/bin/cage -d -- " \
              "/opt/safe-migration-kiosk/bin/kiosk-run"
    assert shipped in text
    return text.replace(shipped, f"/usr/bin/python3 -m kiosk.core.appliance.notify_relay -- {TEST}/cage.py")


@pytest.fixture(scope="module")
def box() -> Iterator[SystemdBox]:
    need("a systemd box", missing_requirements())
    box = SystemdBox()
    box.boot()
    try:
        box.run("sh", "-c", "id kiosk >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kiosk kiosk")
        for source in [ROOT / "kiosk" / "__init__.py", *sorted((ROOT / "kiosk" / "core").glob("*.py"))]:
            box.write(f"{TEST}/{source.relative_to(ROOT)}", source.read_text())
        box.write(f"{TEST}/cage.py", CAGE, 0o755)
        box.write(f"{TEST}/kiosk.py", KIOSK)
        box.write("/etc/systemd/system/kiosk.service", unit_text())
        box.write("/etc/systemd/system/kiosk.service.d/test.conf", DROP_IN)
        for unit in ("kiosk-retry.timer", "kiosk-retry.service"):
            box.write(f"/etc/systemd/system/{unit}", (ROOT / "deploy" / unit).read_text())
        box.run("systemctl", "daemon-reload")
        yield box
    finally:
        box.stop()


def show(box: SystemdBox, *props: str) -> dict[str, str]:
    out = box.run("systemctl", "show", "kiosk", *(f"-p{p}" for p in props)).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def wait_for(box: SystemdBox, condition, timeout_s: float) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout_s} s: {show(box, 'ActiveState', 'SubState', 'Result', 'MainPID')}\n"
                         + box.run("journalctl", "-u", "kiosk", "-n", "30", "--no-pager", check=False).stdout)


def fresh_start(box: SystemdBox) -> None:
    box.run("systemctl", "stop", "kiosk", "kiosk-retry.timer", check=False)
    box.run("systemctl", "reset-failed", "kiosk", check=False)
    box.run("rm", "-f", "/var/lib/kiosk/clean-exit", "/var/lib/kiosk/kiosk-pid")
    box.run("systemctl", "start", "--no-block", "kiosk")


def test_the_unit_becomes_active_stays_up_on_its_pings_and_stops_cleanly(box: SystemdBox) -> None:
    fresh_start(box)
    took = wait_for(box, lambda: show(box, "ActiveState")["ActiveState"] == "active", 8)
    assert took < 5, took
    kiosk = (box.root / "var/lib/kiosk/kiosk-pid").read_text()
    # The PAM session took the kiosk out of the service's cgroup: its READY=1 came through the relay.
    assert "session-" in box.run("cat", f"/proc/{kiosk}/cgroup").stdout
    main = show(box, "MainPID")["MainPID"]
    assert "kiosk.core.appliance.notify_relay" in box.run("cat", f"/proc/{main}/cmdline").stdout.replace("\0", " ")
    assert show(box, "StatusText")["StatusText"] == "normal"
    time.sleep(3 * 3)  # three watchdog periods on the kiosk's own pings
    state = show(box, "ActiveState", "NRestarts", "MainPID")
    assert state == {"ActiveState": "active", "NRestarts": "0", "MainPID": main}, state
    box.run("systemctl", "stop", "kiosk")
    assert (box.root / "var/lib/kiosk/clean-exit").read_text() == kiosk  # SIGTERM reached the kiosk first
    assert show(box, "Result")["Result"] == "success"
    assert box.run("pgrep", "-f", "/opt/kiosk-test/kiosk.py", check=False).stdout == ""


def test_a_frozen_kiosk_is_aborted_by_the_watchdog_and_started_again(box: SystemdBox) -> None:
    fresh_start(box)
    wait_for(box, lambda: show(box, "ActiveState")["ActiveState"] == "active", 8)
    kiosk = (box.root / "var/lib/kiosk/kiosk-pid").read_text()
    box.run("kill", "-STOP", kiosk)
    took = wait_for(box, lambda: show(box, "NRestarts", "ActiveState") == {"NRestarts": "1", "ActiveState": "active"},
                    20)
    assert took < 3 + 3 + 5, took  # WatchdogSec, RestartSec, the start
    assert box.run("pgrep", "-f", "/opt/kiosk-test/kiosk.py").stdout.split() != [kiosk]  # the frozen one is gone
    assert "Watchdog timeout" in box.run("journalctl", "-u", "kiosk", "--no-pager").stdout
    box.run("systemctl", "stop", "kiosk")


def test_without_the_relay_systemd_never_hears_the_kiosk(box: SystemdBox) -> None:
    """Why the relay is there: the same unit with cage as the main process (as shipped before)
    times out, because pam_systemd moved the kiosk into the session's scope."""
    box.write("/etc/systemd/system/kiosk.service.d/zz-no-relay.conf",
              f"[Service]\nNotifyAccess=all\nExecStart=\nExecStart={TEST}/cage.py\nTimeoutStartSec=4\nRestart=no\n")
    box.run("systemctl", "daemon-reload")
    try:
        fresh_start(box)
        wait_for(box, lambda: show(box, "Result")["Result"] == "timeout", 10)
        assert (box.root / "var/lib/kiosk/kiosk-pid").exists()  # it ran, and said READY=1 in vain
    finally:
        Path(box.root / "etc/systemd/system/kiosk.service.d/zz-no-relay.conf").unlink()
        box.run("systemctl", "daemon-reload")
        box.run("systemctl", "stop", "kiosk", check=False)
