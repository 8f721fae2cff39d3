"""The appliance's schedule in the running kiosk: sleep when closed and idle, wake on a touch,
restart at the quiet hour only on the attract screen, and a clean exit clears the crash marker."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import build_kiosk
from kiosk.appliance import RESTART_CODE, start_appliance
from kiosk.core.visit.session import Screen


class App:
    """Stands in for QApplication's exit() and aboutToQuit only; the widgets are real."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.aboutToQuit = QApplication.instance().aboutToQuit  # type: ignore[union-attr]

    def exit(self, code: int) -> None:
        self.codes.append(code)


def test_closed_hours_sleep_a_touch_wakes_and_the_daily_restart_waits_for_attract(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    appliance = start_appliance(data_dir)
    kiosk = build_kiosk(data_dir, size=(1024, 600), with_stats=False)
    kiosk.config.replace(dataclasses.replace(kiosk.config.settings, open_hours="08:00-19:00",
                                             daily_restart="03:30", idle_timeout_s=15))
    qtbot.addWidget(kiosk.window)
    QApplication.instance().installEventFilter(kiosk.window.input)  # type: ignore[union-attr]
    kiosk.window.show()
    app = App()
    appliance.started = dt.datetime(2026, 11, 29, 12, 0).astimezone()
    appliance.attach(kiosk, app, handle_signals=False)
    night = dt.datetime(2026, 11, 30, 22, 0).astimezone()
    appliance.tick(night)
    assert appliance.screen.asleep
    qtbot.mouseClick(appliance.screen.cover, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert not appliance.screen.asleep and kiosk.session.screen is Screen.ATTRACT
    appliance.tick(night)
    assert not appliance.screen.asleep  # just touched: not idle yet
    appliance.tick(dt.datetime(2026, 11, 30, 12, 0).astimezone())
    assert app.codes == []
    kiosk.session.open(Screen.MENU)  # a visitor is there at 03:31: wait
    appliance.tick(dt.datetime(2026, 12, 1, 3, 31).astimezone())
    assert app.codes == []
    kiosk.session.timeout()
    appliance.tick(dt.datetime(2026, 12, 1, 3, 32).astimezone())
    assert app.codes == [RESTART_CODE]
    # a clean exit (the event loop ends) leaves no crash marker
    appliance._on_about_to_quit()
    assert json.loads((data_dir / "run-state.json").read_text())["running"] is None


def test_a_restart_is_announced_as_a_reload_and_an_exit_as_a_stop(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The daily restart, staff's Restart and leaving safe mode re-execute the kiosk in the unit's
    own process: STOPPING=1 there made systemd kill it 15 s later and count a crash (issue 22,
    item 10). tests/test_unit_in_systemd.py shows the same in a real systemd."""
    from kiosk.core.appliance import Notifier
    from kiosk.ui.watchdog import Watchdog
    from tests.cage_helpers import NotifyListener

    listener = NotifyListener(tmp_path / "notify")
    notifier = Notifier({"NOTIFY_SOCKET": str(listener.path)})
    try:
        appliance = start_appliance(data_dir)
        kiosk = build_kiosk(data_dir, size=(1024, 600), with_stats=False)
        qtbot.addWidget(kiosk.window)
        appliance.attach(kiosk, App(), handle_signals=False)
        appliance.watchdog = Watchdog(kiosk.window, notifier)
        before = time.monotonic_ns() // 1000
        appliance.ended(RESTART_CODE)
        (message,) = [text for _at, text in listener.collect(0.3)]
        fields = dict(line.split("=", 1) for line in message.split("\n"))
        assert fields["RELOADING"] == "1" and fields["WATCHDOG"] == "1" and "STOPPING" not in fields
        assert fields["EXTEND_TIMEOUT_USEC"] == "60000000"  # the new run has a cold start's 60 s
        assert before <= int(fields["MONOTONIC_USEC"]) <= time.monotonic_ns() // 1000  # CLOCK_MONOTONIC, in µs
        appliance.ended(0)
        assert [text for _at, text in listener.collect(0.3)] == ["STOPPING=1"]
    finally:
        notifier.close()
        listener.close()
