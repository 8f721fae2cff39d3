"""Faults while the kiosk runs, on the real widgets: pictures deleted, the data disk turned
read-only, the disk full, the statistics file locked by another program, the clock set years
back and forward. For each: what the visitor sees, what staff see, and that nothing already
saved is lost.

The disk faults are real: the data folder is a small file system mounted for the test (root
and a working `mount` needed; skipped with the reason otherwise). A read-only disk is an ext4
image that the kernel turns read-only under the running kiosk, as it does after a disk error
(`errors=remount-ro`); changing permissions would not do: files the kiosk already has open
stay writable. A full disk is a tmpfs of 2 MiB filled to the last byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.app import install_staff_mode
from kiosk.core.appliance.logs import setup_logging
from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.staff.pin import StaffGate, hash_pin
from kiosk.core.stats import stats as stats_module
from kiosk.core.stats.stats import DB_NAME, RETRY_AFTER
from kiosk.core.visit.session import Screen
from kiosk.ui.staff import F_VISITS
from kiosk.ui.staff import mode as staff_module
from tests.support import IN_CI, Clock
from tests.test_stats import held_by_another_program, total_count
from tests.ui_helpers import make_kiosk, showing, tap, type_pin

PIN = "2468"
START = dt.datetime(2025, 5, 20, 10, 15, 42)


# -- the kiosk, a visitor, staff ------------------------------------------------------------------

@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def running_kiosk(qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                  content: Path | None = None):
    """The kiosk as `kiosk` builds it, with statistics and staff mode, on a clock the test moves."""
    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin(PIN, n=2**10)))
    monkeypatch.setattr(stats_module, "open_store", functools.partial(stats_module.open_store, clock=clock))
    monkeypatch.setattr(staff_module, "StaffGate", functools.partial(StaffGate, clock=clock))
    kiosk = make_kiosk(qtbot, data_dir, content=content, stats=True)
    staff = install_staff_mode(kiosk)
    return kiosk, staff


def visit(qtbot, kiosk, language: str, pages: int = 2) -> int:  # type: ignore[no-untyped-def]
    """A visitor taps the attract loop, a language, the slides, `pages` of them, then quick exit.
    Checks what they read on the way; returns the number of events counted (visit, slides, exit)."""
    window = kiosk.window
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons[language])
    tap(qtbot, window.menu.items[0][1])
    slides = window.screens[Screen.SLIDES]
    seen = [slides.title.text()]
    for _ in range(pages - 1):
        tap(qtbot, slides.next)
        seen.append(slides.title.text())
    assert seen == [s.title.get(language) for s in kiosk.session.content.slides[:pages]]
    tap(qtbot, window.quick_exit)
    assert kiosk.session.screen is Screen.NEUTRAL
    tap(qtbot, window.screens[Screen.NEUTRAL].home)
    assert kiosk.session.screen is Screen.ATTRACT
    return 1 + pages + 1


def staff_figures(qtbot, staff) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Staff open the staff screen (PIN by taps), in English, on today's figures: the warning
    above the figures and the number of visits."""
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, PIN)
    panel = staff.panel
    assert panel is not None and staff.window.stack.currentWidget() is staff.screen is panel.parentWidget()
    tap(qtbot, panel.language_buttons["en"])
    tap(qtbot, panel.tabs[0][1])
    tap(qtbot, panel.figures.periods[0][2])  # Today
    shown = panel.figures.stats_warnings.text(), panel.figures.figure_labels[F_VISITS][1].text()
    tap(qtbot, panel.close)
    return shown


@contextlib.contextmanager
def kiosk_log(data_dir: Path) -> Iterator[Path]:
    """The kiosk's own rotating log file, as `kiosk` sets it up."""
    path = setup_logging(data_dir, to_stderr=False)
    assert path is not None
    try:
        yield path
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_kiosk", False):
                root.removeHandler(handler)
                with contextlib.suppress(OSError):  # as logging.shutdown() does at exit
                    handler.close()


# -- 1. pictures deleted while the kiosk runs -----------------------------------------------------

def drawn_pixels(widget) -> int:  # type: ignore[no-untyped-def]
    """Pixels of the widget that differ from its corner: 0 for an empty box."""
    image = widget.grab().toImage()
    corner = image.pixel(0, 0)
    return sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
               if image.pixel(x, y) != corner)


def test_pictures_deleted_while_running_leave_the_text_and_one_log_line_each(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, content_copy: Path) -> None:
    with kiosk_log(data_dir) as log_file:
        kiosk = make_kiosk(qtbot, data_dir, content=content_copy)
        window, session = kiosk.window, kiosk.session
        tap(qtbot, window.screens[Screen.ATTRACT])
        tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
        tap(qtbot, window.menu.items[0][1])
        slides = window.screens[Screen.SLIDES]
        assert drawn_pixels(slides.picture) > 100  # the pictogram is there
        for picture in (content_copy / "pictures").iterdir():
            picture.unlink()  # someone tidies the USB stick the content lives on
        for _ in range(5):  # repaints: a resize, the transition, the attract loop
            slides.picture.repaint()
            window.grab()
        assert drawn_pixels(slides.picture) == 0  # an empty box, not a broken-image sign
        assert slides.title.text() == session.content.slides[0].title.get("ru")
        assert slides.body.text() == session.content.slides[0].body.get("ru")
        tap(qtbot, slides.next)
        window.grab()
        assert session.state.slide == 1 and slides.title.text() == session.content.slides[1].title.get("ru")
        tap(qtbot, window.quick_exit)
        window.grab()  # the neutral screen's picture is gone too
        assert session.screen is Screen.NEUTRAL
    lines = log_file.read_text(encoding="utf-8").splitlines()
    for picture in (session.content.slides[0].picture, session.content.slides[1].picture,
                    session.content.neutral.picture):
        named = [line for line in lines if str(picture) in line]
        assert len(named) == 1, named  # once, not once per paint
        assert "WARNING" in named[0] and "cannot be read (No such file or directory)" in named[0]


# -- small real disks -----------------------------------------------------------------------------

@functools.cache
def _mount_problem() -> str:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "needs root on Linux to mount a small file system as the data folder"
    probe = Path(f"/tmp/kiosk-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                              capture_output=True, text=True)
        if done.returncode:
            return f"mount does not work here: {done.stderr.strip()}"
        subprocess.run(["umount", str(probe)], check=True)
        return ""
    except FileNotFoundError:
        return "needs the mount command (Debian package mount)"
    finally:
        probe.rmdir()


def need_mount() -> None:
    if _mount_problem():
        pytest.skip(_mount_problem())


def mount_is_broken(reason: str) -> None:
    """Mounting works, yet something else the test needs is missing: CI must have it."""
    if IN_CI:
        pytest.fail(f"{reason} (under CI, where mount works)")
    pytest.skip(reason)


@contextlib.contextmanager
def small_disk(where: Path, kind: str, size_kib: int) -> Iterator[list[Callable[[], object]]]:
    """Mounts a new file system at `where`; yields a list of closers run before unmounting."""
    where.mkdir(parents=True, exist_ok=True)
    if kind == "tmpfs":
        command = ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(where)]
    else:
        image = where.with_name(where.name + ".ext4")
        with image.open("wb") as fh:
            fh.truncate(size_kib * 1024)
        try:
            subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True, capture_output=True)
        except FileNotFoundError:
            mount_is_broken("needs mkfs.ext4 (Debian package e2fsprogs)")
        command = ["mount", "-o", "loop,errors=remount-ro", str(image), str(where)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        mount_is_broken(f"cannot mount a {kind} disk: {done.stderr.strip()}")
    closers: list[Callable[[], object]] = []
    try:
        yield closers
    finally:
        for close in closers:
            with contextlib.suppress(Exception):
                close()
        if subprocess.run(["umount", str(where)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], check=True)
            if sys.exc_info()[0] is None:
                pytest.fail(f"{where} was still in use after the test: a file was left open")


def disk_error(where: Path) -> None:
    """What the kernel does after a disk error on an `errors=remount-ro` file system: from now
    on every write fails with "Read-only file system", also to files already open."""
    mounts = [line.split() for line in Path("/proc/self/mounts").read_text().splitlines()]
    device = next(source for source, target, *_ in mounts if target == str(where))
    trigger = Path("/sys/fs/ext4") / Path(os.path.realpath(device)).name / "trigger_fs_error"
    if not trigger.exists():
        mount_is_broken(f"the kernel has no {trigger}")
    trigger.write_text("kiosk test: the disk goes read-only")
    with pytest.raises(OSError, match="Read-only file system"):
        (where / "probe").write_text("x")


def saved_events(data_dir: Path) -> int:
    return total_count(data_dir / DB_NAME)


# -- 2. the data disk turns read-only -------------------------------------------------------------

def test_the_data_disk_turning_read_only_keeps_the_kiosk_going_and_what_was_saved(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    need_mount()
    with small_disk(data_dir, "ext4", 16 * 1024) as closers, kiosk_log(data_dir) as log_file:
        kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch)
        closers.append(kiosk.stats.close)
        before = visit(qtbot, kiosk, "ru") + visit(qtbot, kiosk, "kk")
        assert kiosk.stats.flush() and kiosk.stats.unsaved == 0
        disk_error(data_dir)  # no sync first: what SQLite has written with synchronous=FULL is on disk
        during = visit(qtbot, kiosk, "uz") + visit(qtbot, kiosk, "en", pages=3)  # visitors notice nothing
        assert not kiosk.stats.flush() and kiosk.stats.unsaved == during
        warning, visits = staff_figures(qtbot, staff)
        assert warning == ("The statistics file cannot be written (a read-only or missing folder). "
                           f"Statistics events waiting in memory: {during}.")
        assert visits == "2"  # the visits saved; the others are counted, in memory
        clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)  # a retry, and the next visitors
        during += visit(qtbot, kiosk, "ru")
        assert not kiosk.stats.flush() and kiosk.stats.unsaved == during
        # The log cannot be written either: the line goes to stderr (the system journal) instead.
        logging.getLogger("kiosk").warning("a line the read-only disk cannot take")
        assert "Message: 'a line the read-only disk cannot take'" in capsys.readouterr().err
        assert log_file.exists()
    # The disk is mounted again (after a restart, say): every event saved before the error is there.
    # (Log lines the kernel had not yet written out when the disk failed are not: the log is not
    # synced line by line.)
    image = data_dir.with_name(data_dir.name + ".ext4")
    subprocess.run(["mount", "-o", "loop", str(image), str(data_dir)], check=True, capture_output=True)
    try:
        assert saved_events(data_dir) == before
    finally:
        subprocess.run(["umount", str(data_dir)], check=True)


# -- 3. the disk fills up -------------------------------------------------------------------------

def fill(path: Path) -> None:
    """Writes until the disk has not one byte left."""
    with path.open("wb", buffering=0) as fh:
        for chunk in (64 * 1024, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * chunk)


def test_a_full_disk_keeps_the_kiosk_going_and_saves_everything_once_there_is_room(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    need_mount()
    with small_disk(data_dir, "tmpfs", 2048) as closers, kiosk_log(data_dir) as log_file:
        kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch)
        closers.append(kiosk.stats.close)
        before = visit(qtbot, kiosk, "ru") + visit(qtbot, kiosk, "kk")
        assert kiosk.stats.flush() and kiosk.stats.unsaved == 0
        fill(data_dir / "backup.tar")  # another program takes the last byte
        during = visit(qtbot, kiosk, "uz") + visit(qtbot, kiosk, "en", pages=3)
        assert not kiosk.stats.flush() and kiosk.stats.unsaved == during
        assert staff_figures(qtbot, staff) == (
            f"The disk is full. Statistics events waiting in memory: {during}.", "2")
        logging.getLogger("kiosk").warning("a line the full disk cannot take")  # reported on stderr, no more
        (data_dir / "backup.tar").unlink()  # staff make room
        clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
        after = visit(qtbot, kiosk, "ru")
        assert kiosk.stats.flush() and kiosk.stats.unsaved == 0
        assert saved_events(data_dir) == before + during + after  # nothing lost
        assert staff_figures(qtbot, staff) == ("", "5")
        logging.getLogger("kiosk").warning("there is room for the log again")
        assert "there is room for the log again" in log_file.read_text(encoding="utf-8")
        assert "statistics: cannot save (database or disk is full)" in log_file.read_text(encoding="utf-8")


# -- 4. another program holds the statistics file ------------------------------------------------

@pytest.mark.slow  # SQLite's busy timeouts while the other program holds the lock: about 3 s
def test_a_statistics_file_locked_by_another_program_while_visitors_use_the_kiosk(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch)
    before = visit(qtbot, kiosk, "ru") + visit(qtbot, kiosk, "kk")
    assert kiosk.stats.flush()
    # A copy program, a backup or someone's SQLite browser holds the file.
    with held_by_another_program(data_dir / DB_NAME) as release:
        during = visit(qtbot, kiosk, "uz") + visit(qtbot, kiosk, "en", pages=3)
        assert not kiosk.stats.flush() and kiosk.stats.unsaved == during
        assert staff_figures(qtbot, staff) == (
            f"The statistics file is in use by another program. Statistics events waiting in memory: {during}.",
            "2")  # what is saved can still be read
        release()
    clock.advance(seconds=RETRY_AFTER.total_seconds() + 1)
    after = visit(qtbot, kiosk, "ru")
    assert kiosk.stats.flush() and kiosk.stats.unsaved == 0
    assert saved_events(data_dir) == before + during + after
    assert staff_figures(qtbot, staff) == ("", "5")
    kiosk.stats.close()


# -- 5. the clock set years back and forward ----------------------------------------------------

def test_the_clock_set_years_back_and_forward_keeps_every_count_under_its_own_day(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch)
    counted = visit(qtbot, kiosk, "ru")
    assert staff_figures(qtbot, staff) == ("", "1")
    clock.now = START.replace(year=2031)  # a flat CMOS battery, a wrong NTP answer, a curious visitor
    assert staff_figures(qtbot, staff) == ("", "0")  # "today" is the clock's day
    counted += visit(qtbot, kiosk, "kk") + visit(qtbot, kiosk, "kk")
    assert staff_figures(qtbot, staff) == ("", "2")
    clock.now = START.replace(year=2019)
    counted += visit(qtbot, kiosk, "uz")
    assert staff_figures(qtbot, staff) == ("", "1")
    clock.now = START + dt.timedelta(hours=1)  # someone sets the clock right
    counted += visit(qtbot, kiosk, "en")
    assert staff_figures(qtbot, staff) == ("", "2")  # today's visits, before and after the jumps
    assert kiosk.stats.flush() and saved_events(data_dir) == counted
    visits = {(row.day.isoformat(), row.language): row.visits for row in kiosk.stats.day_rows()}
    assert visits == {("2019-05-20", "uz"): 1, ("2025-05-20", "en"): 1, ("2025-05-20", "ru"): 1,
                      ("2031-05-20", "kk"): 2}
    kiosk.stats.close()


def test_a_pin_lock_from_before_the_clock_went_back_ends_five_minutes_later(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch)
    staff.set_language("en")
    staff.open_pin_pad()
    for _ in range(5):
        type_pin(qtbot, staff.pad, "0000")
    assert staff.pad.message.text() == "Too many wrong PINs. Try again in 5 min."
    clock.now -= dt.timedelta(days=3 * 365)  # the lock now ends three years "in the future"
    tap(qtbot, staff.pad.close)
    staff.open_pin_pad()
    assert staff.pad.message.text() == "Too many wrong PINs. Try again in 5 min."
    type_pin(qtbot, staff.pad, PIN)
    assert showing(kiosk, staff.pad)  # still locked, for now
    assert "was the clock set back?" in caplog.text
    clock.advance(minutes=4)
    tap(qtbot, staff.pad.close)
    staff.open_pin_pad()
    assert staff.pad.message.text() == "Too many wrong PINs. Try again in 1 min."
    clock.advance(minutes=1, seconds=1)
    type_pin(qtbot, staff.pad, PIN)
    assert showing(kiosk, staff.panel)
    tap(qtbot, staff.panel.close)
    # Forward: a lock runs out at once (whoever can set the clock can do worse than guess PINs).
    staff.open_pin_pad()
    for _ in range(5):
        type_pin(qtbot, staff.pad, "0000")
    clock.now += dt.timedelta(days=3 * 365)
    type_pin(qtbot, staff.pad, PIN)
    assert showing(kiosk, staff.panel)
    tap(qtbot, staff.panel.close)
    kiosk.stats.close()


def test_a_lock_shortened_after_the_clock_went_back_stays_short_across_a_restart(
        data_dir: Path, clock: Clock) -> None:
    pin_hash = hash_pin(PIN, n=2**10)
    gate = StaffGate(data_dir, pin_hash, clock)
    for _ in range(5):
        gate.check("0000")
    clock.now -= dt.timedelta(days=3 * 365)
    assert gate.locked_for() == 300
    clock.advance(minutes=2)
    assert StaffGate(data_dir, pin_hash, clock).locked_for() == 180  # the shortened end was written
    clock.advance(minutes=3)
    assert StaffGate(data_dir, pin_hash, clock).check(PIN).ok


def test_the_clock_years_off_shows_in_the_staff_content_warnings(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, content_copy: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.core.content import loader

    manifest = content_copy / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('source: "egov.kz"\n    verified_on: null',
                                     'source: "egov.kz"\n    verified_on: 2025-03-01', 1), encoding="utf-8")
    load = loader.load_content
    monkeypatch.setattr(loader, "load_content", lambda root, today=None: load(root, today or clock().date()))
    kiosk, staff = running_kiosk(qtbot, data_dir, clock, monkeypatch, content=content_copy)
    numbers = kiosk.window.contact_bar.numbers()

    def content_warnings() -> str:
        staff.open_pin_pad()
        type_pin(qtbot, staff.pad, PIN)
        tap(qtbot, staff.panel.language_buttons["en"])
        tap(qtbot, staff.panel.tabs[2][1])
        shown = staff.panel.content.content_warnings.text()
        tap(qtbot, staff.panel.close)
        return str(shown)

    police = "manifest.yaml:112: warning: the number 102 (police)"
    assert police not in content_warnings()  # verified 80 days ago: nothing to say
    clock.now = START.replace(year=2028)
    assert f"{police} was last verified 1176 days ago; call it again" in content_warnings()
    clock.now = START.replace(year=2022)
    assert (f"{police} was verified on 2025-03-01, which is after today (2022-05-20); correct the date, "
            "or the clock of this PC") in content_warnings()
    visit(qtbot, kiosk, "ru")
    assert kiosk.window.contact_bar.numbers() == numbers  # visitors see every number as before
    kiosk.stats.close()
