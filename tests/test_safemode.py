"""Safe mode: three unclean exits within 30 minutes -> bundled content, printing off, a reason for
staff; an hour without one -> normal mode. The counter with a clock, then real crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.appliance.safemode import SafeMode, Stamp
from tests.cage_helpers import NotifyListener


class Clock:
    def __init__(self) -> None:
        self.now = Stamp(1_800_000_000.0, "boot-a", 100.0)

    def __call__(self) -> Stamp:
        return self.now

    def advance(self, seconds: float, wall: float | None = None) -> None:
        self.now = Stamp(self.now.wall + (seconds if wall is None else wall), self.now.boot_id,
                         self.now.since_boot + seconds)

    def reboot(self, wall_advance: float) -> None:
        self.now = Stamp(self.now.wall + wall_advance, self.now.boot_id + "'", 5.0)


def crash_and_start(safe: SafeMode, clock: Clock, after: float) -> object:
    clock.advance(after)
    return safe.start()  # the marker of the last start is still there: that run crashed


def test_three_unclean_exits_within_30_minutes_start_safe_mode_and_an_hour_of_calm_ends_it(tmp_path: Path) -> None:
    clock = Clock()
    safe = SafeMode(tmp_path, clock)
    assert not safe.start().safe_mode  # first start ever
    assert not crash_and_start(safe, clock, 60).safe_mode  # 1
    assert not crash_and_start(safe, clock, 60).safe_mode  # 2
    decision = crash_and_start(safe, clock, 60)  # 3 within 3 minutes
    assert decision.safe_mode and "3 times within 30 minutes" in decision.reason
    assert decision.calm_in_s == pytest.approx(3600)
    # a clean exit is not a crash; still in safe mode until an hour has passed without one
    safe.clean_exit()
    clock.advance(1800)
    assert safe.start().safe_mode
    safe.clean_exit()
    clock.advance(1801)
    assert safe.seconds_until_calm() == 0
    assert not safe.start().safe_mode


def test_crashes_spread_over_more_than_30_minutes_do_not_start_safe_mode(tmp_path: Path) -> None:
    clock = Clock()
    safe = SafeMode(tmp_path, clock)
    safe.start()
    for _ in range(5):
        assert not crash_and_start(safe, clock, 16 * 60).safe_mode


def test_the_clock_cannot_fool_it(tmp_path: Path) -> None:
    clock = Clock()
    safe = SafeMode(tmp_path, clock)
    safe.start()
    crash_and_start(safe, clock, 10)
    crash_and_start(safe, clock, 10)
    # the wall clock jumps two days ahead (a dead RTC battery fixed by hand) within one boot:
    # the time since boot says 10 s, so it is still three crashes in a row
    clock.advance(10, wall=2 * 86400)
    assert safe.start().safe_mode  # the third crash
    # after a reboot with the clock set back a year, old crashes count as "just now" at worst
    safe.clean_exit()
    clock.reboot(wall_advance=-365 * 86400)
    assert safe.start().safe_mode  # not calm yet: no proof an hour has passed


def test_a_damaged_state_file_starts_over(tmp_path: Path) -> None:
    (tmp_path / "run-state.json").write_text("{not json")
    assert not SafeMode(tmp_path).start().safe_mode
    assert json.loads((tmp_path / "run-state.json").read_text())["running"]["pid"] == os.getpid()


# -- real crashes ------------------------------------------------------------------------------

def start(data_dir: Path, listener: NotifyListener, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "2000000"}
    return subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ready(listener: NotifyListener, timeout: float) -> str | None:
    listener.messages.clear()
    if listener.wait_for("READY=1", timeout) is None:
        return None
    return next(text for _, text in listener.messages if "READY=1" in text)


def test_kill_9_three_times_starts_safe_mode(tmp_path: Path, data_dir: Path) -> None:
    listener = NotifyListener(tmp_path / "notify")
    try:
        for _ in range(3):
            kiosk = start(data_dir, listener)
            assert ready(listener, 60) == "READY=1\nSTATUS=normal"
            kiosk.send_signal(signal.SIGKILL)
            kiosk.wait()
        killed = time.monotonic()
        kiosk = start(data_dir, listener)
        status = ready(listener, 60)
        print(f"kill -9 to READY=1 in safe mode: {time.monotonic() - killed:.2f} s")
        assert status == "READY=1\nSTATUS=safe mode"
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=20) == 0
    finally:
        listener.close()
    log = (data_dir / "logs" / "kiosk.log").read_text()
    assert log.count("the last run did not end cleanly") == 3
    assert "safe mode: the kiosk stopped unexpectedly 3 times within 30 minutes" in log
    state = json.loads((data_dir / "run-state.json").read_text())
    assert state["running"] is None and state["safe_mode"] is True  # stopped cleanly, still safe


BOMB = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        '<defs><g id="a0"><rect width="1" height="1"/></g>'
        + "".join(f'<g id="a{i}"><use xlink:href="#a{i - 1}"/><use xlink:href="#a{i - 1}" x="1"/></g>'
                  for i in range(1, 32))
        + '</defs><use xlink:href="#a31"/></svg>')


def test_a_pack_that_hangs_the_kiosk_at_start_ends_in_safe_mode_on_the_bundled_content(
        tmp_path: Path, data_dir: Path, content_copy: Path) -> None:
    # A real way a pack can make start-up fail: pictures that pass `kiosk check` (well-formed
    # SVG) but nest <use> 31 deep, 2^31 rectangles: drawing the first frame never ends. systemd's
    # watchdog would abort the kiosk; here the test is that supervisor (SIGABRT, as WatchdogSignal).
    for picture in (content_copy / "pictures").glob("*.svg"):
        picture.write_text(BOMB)
    check = subprocess.run([sys.executable, "-m", "kiosk", "check", str(content_copy)], capture_output=True)
    assert check.returncode == 0, check.stdout
    listener = NotifyListener(tmp_path / "notify")
    try:
        for _ in range(3):
            kiosk = start(data_dir, listener, "--content", str(content_copy))
            assert ready(listener, 8) is None  # frozen in its first frame: no READY
            kiosk.send_signal(signal.SIGABRT)
            assert kiosk.wait(timeout=20) < 0
        kiosk = start(data_dir, listener, "--content", str(content_copy))
        status = ready(listener, 60)
        assert status == "READY=1\nSTATUS=safe mode"
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=20) == 0
    finally:
        listener.close()
    log = (data_dir / "logs" / "kiosk.log").read_text()
    assert "safe mode: the kiosk stopped unexpectedly 3 times" in log


def test_safe_mode_builds_the_bundled_content_with_printing_off(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import build_kiosk
    from kiosk.core.model.resources import default_content_dir

    (data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.yaml").write_text(f"content_dir: {content_copy}\nprints_per_visit: 2\n")
    kiosk = build_kiosk(data_dir, with_stats=False, safe_mode_reason="safe mode: test")
    qtbot.addWidget(kiosk.window)
    assert kiosk.choice.source == default_content_dir()
    assert kiosk.config.settings.prints_per_visit == 0 and kiosk.safe_mode_reason == "safe mode: test"
    # staff saving settings in safe mode do not write safe mode into the settings file
    kiosk.config.update(idle_timeout_s=120)
    assert "prints_per_visit: 2" in (data_dir / "settings.yaml").read_text()
    assert kiosk.config.settings.prints_per_visit == 0 and kiosk.config.settings.idle_timeout_s == 120
    normal = build_kiosk(data_dir, with_stats=False)
    qtbot.addWidget(normal.window)
    assert normal.choice.source == content_copy and normal.config.settings.prints_per_visit == 2
    assert normal.safe_mode_reason is None


def test_the_staff_screen_says_why_the_kiosk_is_in_safe_mode(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import build_kiosk, install_staff_mode
    from kiosk.core.model.i18n import I18n
    from kiosk.ui.staff.mode import SAFE_MODE

    kiosk = build_kiosk(data_dir, with_stats=False, safe_mode_reason="safe mode: test")
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    staff = install_staff_mode(kiosk)
    staff.open_pin_pad()
    staff.show_panel()  # as after the right PIN
    staff.set_language("ru")
    assert staff.panel.safe_mode.isVisible()
    assert staff.panel.safe_mode.text() == I18n().gettext(SAFE_MODE, "ru") != SAFE_MODE
    normal = build_kiosk(data_dir, with_stats=False)
    qtbot.addWidget(normal.window)
    normal.window.show()
    calm = install_staff_mode(normal)
    calm.open_pin_pad()
    calm.show_panel()
    assert not calm.panel.safe_mode.isVisible()


def test_staff_leave_safe_mode_now_after_a_question_and_the_next_start_is_normal(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                               caplog: pytest.LogCaptureFixture) -> None:
    """Issue 22, item 12: after the cause is fixed, staff need not wait for the calm hour."""
    from kiosk.app import build_kiosk, install_staff_mode
    from kiosk.appliance import RESTART_CODE, start_appliance
    from kiosk.core.site.settings import Settings, save_settings
    from kiosk.core.staff.pin import hash_pin
    from tests.ui_helpers import STAFF_PIN, tap, type_pin

    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin(STAFF_PIN, n=2**10)))
    for _run in range(4):  # a start, then three that found the last run's marker: three crashes
        decision = start_appliance(data_dir).decision
    assert decision.safe_mode and decision.unclean_exits == 3
    kiosk = build_kiosk(data_dir, size=(1366, 768), with_stats=False, safe_mode_reason=decision.reason)
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    staff = install_staff_mode(kiosk)
    codes: list[int] = []
    staff.quit = codes.append
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    data = panel.data
    tap(qtbot, panel.tabs[panel.pages.index(data)][1])
    assert not data.leave_question.isVisible()
    tap(qtbot, data.leave_safe)
    assert data.leave_question.isVisible() and not data.leave_safe.isEnabled()
    tap(qtbot, data.leave_no)  # Cancel: nothing changes
    assert not data.leave_question.isVisible() and codes == []
    assert json.loads((data_dir / "run-state.json").read_text())["safe_mode"] is True
    tap(qtbot, data.leave_safe)
    for lang in ("kk", "ru", "uz", "en"):
        tap(qtbot, panel.language_buttons[lang])
        assert data.leave_question.isVisible()  # a language change keeps the question open
        assert "safe mode" not in data.leave_ask.text() or lang == "en"
        qtbot.wait(50)  # the layout follows the new words
        kiosk.window.grab().save(str(tmp_path / f"staff-leave-safe-mode-{lang}.png"))
    with caplog.at_level("INFO"):
        tap(qtbot, data.leave_yes)
    assert codes == [RESTART_CODE]  # the kiosk restarts (kiosk/app.py re-executes it)
    assert "staff left safe mode: 3 recorded unclean exits forgotten" in caplog.text
    state = json.loads((data_dir / "run-state.json").read_text())
    assert state["unclean"] == [] and state["safe_mode"] is False
    SafeMode(data_dir).clean_exit()  # what the quitting kiosk does (Appliance._on_about_to_quit)
    again = start_appliance(data_dir).decision
    assert not again.safe_mode and again.unclean_exits == 0


def test_leave_safe_mode_is_not_offered_in_normal_mode(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.ui_helpers import STAFF_PIN, open_staff_kiosk, tap, type_pin

    _kiosk, staff = open_staff_kiosk(qtbot, data_dir)
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    tap(qtbot, panel.tabs[panel.pages.index(panel.data)][1])
    assert panel.data.restart.isVisible() and not panel.data.leave_safe.isVisible()


def test_leave_safe_mode_that_cannot_write_its_state_says_so_and_stays(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import build_kiosk, install_staff_mode
    from tests.ui_helpers import tap

    kiosk = build_kiosk(data_dir, size=(1366, 768), with_stats=False, safe_mode_reason="safe mode: test")
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    staff = install_staff_mode(kiosk)
    codes: list[int] = []
    staff.quit = codes.append
    staff.open_pin_pad()
    staff.show_panel()
    staff.set_language("en")
    panel = staff.panel
    tap(qtbot, panel.tabs[panel.pages.index(panel.data)][1])
    (data_dir / "run-state.json").mkdir(parents=True)  # a folder where the file should be: cannot be replaced
    tap(qtbot, panel.data.leave_safe)
    tap(qtbot, panel.data.leave_yes)
    assert codes == [] and panel.data.leave_message.text().startswith("Safe mode could not be left: ")
