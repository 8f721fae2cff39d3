"""The staff PIN: a salted slow hash, five tries, a lock that survives a restart, and set-pin."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.site.settings import Settings, load_settings, save_settings
from kiosk.core.staff import pin as pin_module
from kiosk.core.staff.pin import (
    LOCK_FILE,
    PinCheck,
    StaffGate,
    hash_pin,
    is_pin_hash,
    valid_pin,
    verify_pin,
)
from tests.support import ROOT, Clock

FAST = {"n": 2**8, "r": 8, "p": 1}  # cheap parameters, so the lockout tests stay fast
START = dt.datetime(2025, 5, 20, 9, 0, 0)


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("482916", **FAST)


# -- hashing -----------------------------------------------------------------------------------

def test_the_hash_is_one_scrypt_string_with_a_random_salt() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    name, n, r, p, salt, digest = first.split("$")
    assert (name, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert first != second  # a new salt every time
    assert "1234" not in first
    assert verify_pin("1234", first) and verify_pin("1234", second)
    assert not verify_pin("1235", first)
    assert not verify_pin("12345", first)


@pytest.mark.parametrize("text", ["123", "1234567890123", "12a4", " ", "", "١٢٣٤", "１２３４", "12 34"])
def test_only_4_to_12_ascii_digits_are_a_pin(text: str) -> None:
    assert not valid_pin(text)
    with pytest.raises(ValueError):
        hash_pin(text)


@pytest.mark.parametrize("stored", ["", "1234", "scrypt$16384$8$1$abc", "scrypt$1000$8$1$AAAAAAAAAAA=$" + "A" * 44,
                                    "scrypt$1073741824$8$1$AAAAAAAAAAA=$" + "A" * 44, "bcrypt$x$y$z$a$b"])
def test_anything_but_a_hash_from_set_pin_never_matches(stored: str) -> None:
    assert not is_pin_hash(stored)
    assert not verify_pin("1234", stored)


# -- the gate on the PIN pad ---------------------------------------------------------------------

def test_the_right_pin_opens_and_clears_earlier_wrong_tries(data_dir: Path, pin_hash: str) -> None:
    gate = StaffGate(data_dir, pin_hash, Clock(START))
    assert gate.check("0000").outcome is PinCheck.WRONG
    result = gate.check("482916")
    assert result.ok
    assert [gate.check("0000").tries_left for _ in range(4)] == [4, 3, 2, 1]


def test_five_wrong_pins_lock_staff_mode_for_five_minutes(data_dir: Path, pin_hash: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(START)
    gate = StaffGate(data_dir, pin_hash, clock)
    results = [gate.check(f"000{i}") for i in range(5)]
    assert [r.outcome for r in results] == [PinCheck.WRONG] * 4 + [PinCheck.LOCKED]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].locked_for == 300
    # While locked even the right PIN is refused, and no hash is computed at all.
    monkeypatch.setattr(pin_module, "verify_pin", lambda *a: pytest.fail("hashed while locked"))
    clock.now += dt.timedelta(minutes=4, seconds=30)
    locked = gate.check("482916")
    assert (locked.outcome, locked.locked_for) == (PinCheck.LOCKED, 30)
    monkeypatch.undo()
    clock.now += dt.timedelta(seconds=30)
    assert gate.locked_for() == 0
    assert gate.check("482916").ok


def test_after_a_lock_there_are_five_fresh_tries(data_dir: Path, pin_hash: str) -> None:
    clock = Clock(START)
    gate = StaffGate(data_dir, pin_hash, clock)
    for _ in range(5):
        gate.check("1111")
    clock.now += dt.timedelta(minutes=5, seconds=1)
    assert gate.check("1111").tries_left == 4


def test_the_lock_survives_a_restart(data_dir: Path, pin_hash: str) -> None:
    clock = Clock(START)
    before = StaffGate(data_dir, pin_hash, clock)
    for _ in range(3):
        before.check("1111")
    # "Restart": new objects that only share the data folder.
    after = StaffGate(data_dir, pin_hash, clock)
    assert after.check("2222").tries_left == 1
    assert after.check("3333").outcome is PinCheck.LOCKED
    clock.now += dt.timedelta(minutes=2)
    again = StaffGate(data_dir, pin_hash, clock)
    assert again.locked_for() == 180
    result = again.check("482916")
    assert (result.outcome, result.locked_for) == (PinCheck.LOCKED, 180)
    saved = json.loads((data_dir / LOCK_FILE).read_text())
    assert saved == {"failures": 5, "locked_until": "2025-05-20T09:05:00"}


def test_a_clock_set_back_does_not_lock_staff_out_for_hours(data_dir: Path, pin_hash: str) -> None:
    clock = Clock(START)
    gate = StaffGate(data_dir, pin_hash, clock)
    for _ in range(5):
        gate.check("1111")
    clock.now -= dt.timedelta(days=1)  # the RTC battery died and the clock went back a day
    assert gate.locked_for() == 300


def test_the_lock_holds_when_the_data_folder_cannot_be_written(tmp_path: Path, pin_hash: str) -> None:
    (tmp_path / "a-file").write_text("")
    gate = StaffGate(tmp_path / "a-file" / "data", pin_hash, Clock(START))
    outcomes = [gate.check("1111").outcome for _ in range(6)]
    assert outcomes[-2:] == [PinCheck.LOCKED, PinCheck.LOCKED]


def test_a_damaged_lock_file_does_not_block_the_pin_pad(data_dir: Path, pin_hash: str) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / LOCK_FILE).write_text("{not json")
    assert StaffGate(data_dir, pin_hash, Clock(START)).check("482916").ok


@pytest.mark.parametrize("stored", ["", "1234"])
def test_no_pin_set_keeps_staff_mode_closed_and_says_how_to_set_one(
        data_dir: Path, stored: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    gate = StaffGate(data_dir, stored, Clock(START))
    assert not gate.is_set
    assert gate.check("1234").outcome is PinCheck.NOT_SET
    assert "kiosk set-pin" in caplog.text
    assert not (data_dir / LOCK_FILE).exists()


# -- kiosk set-pin -----------------------------------------------------------------------------

def test_set_pin_from_stdin_stores_only_a_hash_and_keeps_other_settings(
        data_dir: Path, pin_hash: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "settings.yaml"
    save_settings(path, Settings(kiosk_id="turkistan-bus-station", idle_timeout_s=60))
    for _ in range(5):
        StaffGate(data_dir, pin_hash, Clock(START)).check("1111")  # locked before the new PIN
    monkeypatch.setattr(sys, "stdin", io.StringIO("7305\n"))
    assert main(["set-pin", "--pin-stdin", "--data-dir", str(data_dir)]) == 0
    settings, problems = load_settings(path)
    assert problems.items == []
    assert (settings.kiosk_id, settings.idle_timeout_s) == ("turkistan-bus-station", 60)
    assert settings.staff_pin.startswith("scrypt$") and "7305" not in path.read_text()
    gate = StaffGate(data_dir, settings.staff_pin)
    assert gate.locked_for() == 0  # a new PIN lifts the lock
    assert gate.check("7305").ok
    assert "staff PIN is set" in capsys.readouterr().out


def test_set_pin_refuses_a_pin_that_is_not_4_to_12_digits(data_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--pin-stdin", "--data-dir", str(data_dir)],
                          input="12ab\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert "4 to 12 digits" in done.stderr
    assert not (data_dir / "settings.yaml").exists()


def test_set_pin_asks_twice_and_refuses_two_different_pins(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["2468", "2469", "2468", "2468"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("kiosk.commands.pack.has_terminal", lambda: True)  # the person at getpass above
    assert main(["set-pin", "--data-dir", str(data_dir)]) == 1
    assert load_settings(data_dir / "settings.yaml")[0].staff_pin == ""
    assert main(["set-pin", "--data-dir", str(data_dir)]) == 0
    assert verify_pin("2468", load_settings(data_dir / "settings.yaml")[0].staff_pin)
    assert main(["set-pin", "--remove", "--data-dir", str(data_dir)]) == 0
    assert load_settings(data_dir / "settings.yaml")[0].staff_pin == ""


def test_set_pin_does_not_rewrite_a_settings_file_with_problems(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "settings.yaml"
    path.write_text("kiosk_id: shymkent-1\nidle_timout_s: 60\n")  # misspelt: saving would drop it
    monkeypatch.setattr(sys, "stdin", io.StringIO("7305\n"))
    assert main(["set-pin", "--pin-stdin", "--data-dir", str(data_dir)]) == 2
    assert path.read_text() == "kiosk_id: shymkent-1\nidle_timout_s: 60\n"
    assert "idle_timeout_s" in capsys.readouterr().err  # the "did you mean" hint


def test_set_pin_states_the_same_rule_as_the_check() -> None:
    from kiosk.commands.set_pin import RULE

    low, high = pin_module.PIN_DIGITS
    assert RULE == f"{low} to {high} digits"
    assert valid_pin("1" * low) and valid_pin("1" * high)
    assert not valid_pin("1" * (low - 1)) and not valid_pin("1" * (high + 1))
