"""systemd's watchdog: READY=1 after the first frame, WATCHDOG=1 from the GUI thread only.

A real datagram socket stands in for NOTIFY_SOCKET. The kiosk runs as a real process; a frozen
GUI is made by stopping that process (SIGSTOP freezes its GUI thread for real), and, in this
process, by a slot that blocks while another thread keeps running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kiosk.core.appliance.sdnotify import Notifier
from kiosk.ui.watchdog import Watchdog
from tests.cage_helpers import NotifyListener


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[NotifyListener]:
    sock = NotifyListener(tmp_path / "notify")
    yield sock
    sock.close()


def pings(messages: list[tuple[float, str]]) -> list[float]:
    return [at for at, text in messages if "WATCHDOG=1" in text]


def test_notifier_speaks_the_protocol(listener: NotifyListener) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "3000000"})
    assert notifier.ping_interval_ms() == 1500
    assert notifier.ready("normal") and notifier.ping()
    got = [text for _, text in listener.collect(0.2)]
    assert got == ["READY=1\nSTATUS=normal", "WATCHDOG=1"]
    # the watchdog of another process (not ours, not our parent's) is not ours to feed
    assert Notifier({"WATCHDOG_USEC": "1000", "WATCHDOG_PID": "1"}).ping_interval_ms() is None
    assert not Notifier({}).ready()  # no service manager: nothing is sent, nothing fails
    notifier.close()


def test_real_kiosk_is_ready_after_its_first_frame_pings_and_stops_pinging_when_frozen(
        listener: NotifyListener, data_dir: Path) -> None:
    env = {**os.environ, "NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "400000"}  # ping every 200 ms
    started = time.monotonic()
    kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = listener.wait_for("READY=1", timeout=60)
        assert ready is not None
        print(f"start to READY=1: {ready - started:.2f} s")
        deadline = time.monotonic() + 10  # the line is written just after READY=1 went out
        log = ""
        while "ready: first frame after" not in log and time.monotonic() < deadline:
            log = (data_dir / "logs" / "kiosk.log").read_text()
            time.sleep(0.05)
        assert "ready: first frame after" in log, log  # written by the GUI thread after the window's paint
        running = pings(listener.collect(3.0))
        gaps = [b - a for a, b in zip(running, running[1:], strict=False)]
        assert 11 <= len(running) <= 19, running  # 15 expected in 3 s
        assert max(gaps) < 0.45, gaps
        kiosk.send_signal(signal.SIGSTOP)  # the GUI thread is frozen for real
        try:
            frozen = pings(listener.collect(2.0))
        finally:
            kiosk.send_signal(signal.SIGCONT)
        assert frozen == [] or frozen[0] - (running[-1]) < 0.3, frozen  # at most one already on its way
        assert len(frozen) <= 1
        again = listener.wait_for("WATCHDOG=1", timeout=5)
        assert again is not None, "no pings after the GUI thread ran again"
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=20) == 0
        assert any("STOPPING=1" in text for _, text in listener.collect(0.3) + listener.messages)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()


def test_no_pings_while_a_slot_blocks_even_though_other_threads_run(qtbot, listener: NotifyListener) -> None:  # type: ignore[no-untyped-def]
    reading = listener.collect_in_background()
    label = QLabel("kiosk")
    qtbot.addWidget(label)
    watchdog = Watchdog(label, Notifier({"NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "200000"}))
    label.show()
    qtbot.waitUntil(lambda: watchdog.first_frame_s is not None, timeout=5000)
    side_thread_ticks: list[float] = []
    stop = threading.Event()

    def side() -> None:  # proof that only the GUI thread is blocked
        while not stop.is_set():
            side_thread_ticks.append(time.monotonic())
            time.sleep(0.05)

    thread = threading.Thread(target=side)
    thread.start()
    blocked: list[tuple[float, float]] = []

    def blocking_slot() -> None:
        begin = time.monotonic()
        time.sleep(1.5)
        blocked.append((begin, time.monotonic()))

    qtbot.wait(600)
    QTimer.singleShot(0, blocking_slot)
    qtbot.waitUntil(lambda: bool(blocked), timeout=5000)
    qtbot.wait(600)
    stop.set()
    thread.join()
    reading.set()
    reading.thread.join()  # type: ignore[attr-defined]
    watchdog.stop()
    watchdog.notifier.close()
    got = listener.messages
    begin, end = blocked[0]
    during = [at for at in pings(got) if begin + 0.05 < at < end - 0.05]
    assert during == [], "a ping came while the GUI thread was blocked"
    assert sum(1 for t in side_thread_ticks if begin < t < end) >= 20  # the other thread ran meanwhile
    assert [at for at in pings(got) if at < begin] and [at for at in pings(got) if at > end]
    assert any(text.startswith("READY=1") for _, text in got)
