"""`kiosk supervise` with real processes: a crash, a hang, no first frame, a crash loop, a clean exit.

The children are small Python programs that speak the kiosk's heartbeat (the sd_notify datagrams
READY=1 and WATCHDOG=1 to NOTIFY_SOCKET); they crash, hang and exit for real, and the supervisor
kills them for real. On Windows the socket is UDP on 127.0.0.1: that path has not run on Windows.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.core.appliance.supervisor import BACKOFF_START_S, Run, Supervisor

# Each start appends a line to `runs`; what it does depends on how many starts there were.
CHILD = textwrap.dedent("""
    import os, socket, sys, time
    runs = open(sys.argv[1], "a+"); runs.seek(0); n = len(runs.readlines()); runs.write("run\\n"); runs.close()
    plan = sys.argv[2].split(",")[min(n, len(sys.argv[2].split(",")) - 1)]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    def say(text):
        sock.sendto(text.encode(), os.environ["NOTIFY_SOCKET"])
    if plan == "silent":
        time.sleep(3600)
    say("READY=1")
    for _ in range(3):
        time.sleep(0.05)
        say("WATCHDOG=1")
    if plan == "crash":
        os.abort()
    if plan == "fail":
        sys.exit(1)
    if plan == "hang":
        time.sleep(3600)
    sys.exit(0)
""")


def supervisor(tmp_path: Path, plan: str, **kwargs: object) -> tuple[Supervisor, list[float]]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    slept: list[float] = []
    sup = Supervisor([sys.executable, str(script), str(tmp_path / "runs"), plan], sleep=slept.append,
                     **kwargs)  # type: ignore[arg-type]
    return sup, slept


def test_a_crash_is_restarted_and_a_clean_exit_ends_the_supervisor(tmp_path: Path) -> None:
    sup, slept = supervisor(tmp_path, "crash,ok", ready_s=10, watchdog_s=5)
    assert sup.run(max_runs=5) == 0
    first, second = sup.runs
    assert first.why == "exited" and first.code is not None and first.code != 0 and first.pings == 3
    assert first.ready_after is not None and first.ready_after < 5
    assert second.clean and second.pings == 3
    assert slept == [BACKOFF_START_S]


def test_a_kiosk_whose_heartbeat_stops_is_killed_and_started_again(tmp_path: Path) -> None:
    sup, _slept = supervisor(tmp_path, "hang,ok", ready_s=10, watchdog_s=0.6)
    assert sup.run(max_runs=3) == 0
    hung = sup.runs[0]
    assert hung.why == "no WATCHDOG" and hung.code is None and hung.pings == 3
    # killed between 0.6 s after the last ping and a little later: it did not wait for ever
    assert hung.ended - hung.started < 5
    assert sup.runs[1].clean


def test_a_kiosk_that_never_shows_its_first_frame_is_killed(tmp_path: Path) -> None:
    sup, _slept = supervisor(tmp_path, "silent,ok", ready_s=0.8, watchdog_s=5)
    assert sup.run(max_runs=3) == 0
    assert sup.runs[0].why == "no READY" and sup.runs[0].ready_after is None
    assert 0.8 <= sup.runs[0].ended - sup.runs[0].started < 5


def test_a_crash_loop_waits_longer_each_time_and_never_spins(tmp_path: Path) -> None:
    seen: list[Run] = []
    sup, slept = supervisor(tmp_path, "fail", ready_s=10, watchdog_s=5, on_run=seen.append)
    assert sup.run(max_runs=5) == 1  # still failing after five starts: the caller decides (here: stop)
    assert [r.code for r in seen] == [1, 1, 1, 1, 1]
    assert slept == [2.0, 4.0, 8.0, 16.0]
    assert (tmp_path / "runs").read_text().count("run") == 5


def test_the_command_line_supervises_the_real_kiosk_command(tmp_path: Path) -> None:
    from kiosk.cli import parse_args
    from kiosk.commands.supervise import kiosk_command

    args = parse_args(["supervise", "--data-dir", str(tmp_path), "--", "--windowed"])
    command = kiosk_command(args)
    assert command[:3] == [sys.executable, "-m", "kiosk"]
    assert command[3:] == ["--data-dir", str(tmp_path), "--windowed"]


@pytest.mark.slow
def test_the_real_kiosk_under_the_supervisor_a_kill_restarts_it_and_counts_towards_safe_mode(tmp_path: Path) -> None:
    """The kiosk itself, over the Windows path's UDP heartbeat: killed with SIGKILL once it is up,
    started again, then stopped with SIGTERM (a clean exit, which ends the supervisor)."""
    import json
    import os
    import signal

    data = tmp_path / "data"
    starts: list[int] = []

    def up(process) -> None:  # type: ignore[no-untyped-def]
        starts.append(process.pid)
        process.send_signal(signal.SIGKILL if len(starts) == 1 else signal.SIGTERM)

    sup = Supervisor([sys.executable, "-m", "kiosk", "--windowed", "--data-dir", str(data)], ready_s=60,
                     watchdog_s=20, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), udp=True,
                     sleep=lambda _s: None, on_ready=up)
    assert sup.run(max_runs=3) == 0
    killed, stopped = sup.runs
    assert killed.ready_after is not None and killed.code == -signal.SIGKILL
    assert stopped.clean and len(set(starts)) == 2
    state = json.loads((data / "run-state.json").read_text(encoding="utf-8"))
    assert len(state["unclean"]) == 1, state  # the kill counts towards safe mode; the clean stop does not
