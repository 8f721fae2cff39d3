"""Damaged files the kiosk reads are named, never passed over in silence (issue 22, item 9).

The narration index first: empty, cut short, not UTF-8, binary, not a mapping, a folder. Each is
reported by `kiosk check` as file:line with the fix, and on the staff Content tab the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.content.check import check_report
from kiosk.core.model import msg, render
from kiosk.core.narration import index_problem
from kiosk.core.narration.narration import I_DAMAGED, I_NOT_TEXT, read_index
from tests.support import CONTENT, ROOT, content_copy

INDEX = CONTENT / "audio" / "narration.yaml"


def damage(folder: Path, how: str) -> int:
    """Writes a damaged audio/narration.yaml into `folder`; returns the line a reader should be sent to."""
    audio = folder / "audio"
    audio.mkdir(exist_ok=True)
    index = audio / "narration.yaml"
    good = INDEX.read_bytes()
    if how == "empty":
        index.write_bytes(b"")
        return 1
    if how == "cut-short":  # cut inside an entry: still YAML, but not what kiosk narrate writes
        lines = good.split(b"\n")
        index.write_bytes(b"\n".join(lines[:12]) + b"\n  answer/contract-language/2:\n    engine: [espeak-ng\n")
        return 15  # where the YAML reader saw the end come too soon
    if how == "cut-in-entry":  # cut so that it is still YAML, but not in kiosk narrate's form
        lines = good.split(b"\n")
        index.write_bytes(b"\n".join(lines[:12]) + b"\n  answer/contract-language/2:\n    synth")
        return 14
    if how == "not-utf8":
        lines = good.split(b"\n")
        lines[20] = lines[20] + b" \xff\xfe"
        index.write_bytes(b"\n".join(lines))
        return 21
    if how == "binary":
        index.write_bytes(b"\x00\x01\x02\x89PNG\r\n\x1a\n" + os.urandom(64).replace(b"\xff", b"\x00"))
        return 1
    if how == "not-a-mapping":
        index.write_text("- en\n- ru\n", encoding="utf-8")
        return 1
    if how == "a-folder":
        index.mkdir()
        (index / "x").write_text("x", encoding="utf-8")
        return 0
    raise AssertionError(how)


WHAT = {"empty": "it is empty", "cut-short": "not valid YAML, perhaps cut short",
        "cut-in-entry": "this entry is not in the form `kiosk narrate` writes", "not-utf8": "not UTF-8 text",
        "binary": "not UTF-8 text", "not-a-mapping": "not a list of languages and items",
        "a-folder": "it is a folder, not a file"}


@pytest.mark.parametrize("how", list(WHAT))
def test_kiosk_check_names_a_damaged_narration_index_with_its_line_and_the_fix(tmp_path: Path, how: str) -> None:
    folder = content_copy(tmp_path)
    line = damage(folder, how)
    result, report = check_report(folder)
    where = f"audio/narration.yaml:{line}" if line else "audio/narration.yaml"
    found = [r for r in report.splitlines() if "narration index is damaged" in r]
    assert len(found) == 1, report
    assert found[0].strip().startswith(f"{where}: warning: the narration index is damaged: "), found[0]
    assert WHAT[how] in found[0] and "Run `kiosk narrate` on this content folder" in found[0]
    assert result.content is not None  # the kiosk still shows the content: a warning, not an error


def test_a_sound_or_missing_index_says_nothing(tmp_path: Path) -> None:
    assert index_problem(CONTENT) is None
    assert index_problem(content_copy(tmp_path)) is None  # no audio folder at all


def test_a_damaged_index_is_logged_when_the_kiosk_reads_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = content_copy(tmp_path)
    damage(folder, "cut-in-entry")
    index = read_index(folder / "audio" / "narration.yaml")
    assert set(index) == {"en"}  # what could be read is used
    assert "narration index is damaged" in caplog.text


def test_kiosk_check_says_it_through_the_real_command(tmp_path: Path) -> None:
    folder = content_copy(tmp_path)
    damage(folder, "binary")
    done = subprocess.run([sys.executable, "-m", "kiosk", "check", str(folder)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "audio/narration.yaml:1: warning: the narration index is damaged" in done.stdout


def test_the_staff_content_tab_shows_the_same(qtbot, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import install_staff_mode
    from kiosk.ui.staff.content import ContentTab
    from tests.ui_helpers import make_kiosk

    folder = content_copy(tmp_path, audio=False)
    shutil.copytree(CONTENT / "audio", folder / "audio", ignore=shutil.ignore_patterns("*.mp3", "*.ogg"))
    damage(folder, "not-utf8")
    kiosk = make_kiosk(qtbot, data_dir, content=folder)
    tab = ContentTab(install_staff_mode(kiosk))
    qtbot.addWidget(tab)
    tab.refresh()
    text = tab.content_warnings.text()
    said = render(I_DAMAGED, {"what": msg(I_NOT_TEXT)}, tab.staff.t)  # in the staff's language
    assert "audio/narration.yaml:21: " in text and said in text, text


# -- the sweep: the kiosk's own files ---------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fresh_registry():  # type: ignore[no-untyped-def]
    from kiosk.core.model import forget_damaged

    forget_damaged()
    yield
    forget_damaged()


def listed(name: str) -> list[str]:
    from kiosk.core.model import damaged_files

    return [str(p) for p in damaged_files() if p.file.endswith(name)]


JUNK = {"binary": b"\x00\x01\x89PNG\r\n\x1a\n\xff", "cut-short": b'{"current": "v2-ab', "not-a-mapping": b"[1, 2]",
        "empty": b""}


@pytest.mark.parametrize("how", [*JUNK, "a-folder"])
def test_a_damaged_pack_state_is_named_and_the_bundled_content_shown(tmp_path: Path, how: str) -> None:
    from kiosk.core.packs.library import choose_content
    from kiosk.core.packs.pack_state import read_state

    state = tmp_path / "data" / "packs" / "state.json"
    state.parent.mkdir(parents=True)
    if how == "a-folder":
        state.mkdir()
    else:
        state.write_bytes(JUNK[how])
    assert read_state(tmp_path / "data").current == ""
    assert choose_content(None, tmp_path / "data").source == CONTENT
    [line] = listed("packs/state.json")
    assert "this file of the kiosk cannot be read" in line and "content it came with" in line


@pytest.mark.parametrize("how", [*JUNK, "a-folder"])
def test_a_damaged_staff_lock_is_named_and_the_pin_still_works(tmp_path: Path, how: str) -> None:
    from kiosk.core.staff.pin import StaffGate, hash_pin

    gate = StaffGate(tmp_path, hash_pin("2468", n=2**10))
    if how == "a-folder":
        gate.path.mkdir()
    else:
        gate.path.write_bytes(JUNK[how])
    assert gate.check("2468").ok
    [line] = listed("staff-lock.json")
    assert "wrong staff PINs" in line


@pytest.mark.parametrize("data", [*JUNK.values(), b'{"unclean": 5}', b'{"unclean": "x"}'])
def test_a_damaged_safe_mode_counter_is_named_and_starts_over(tmp_path: Path, data: bytes) -> None:
    from kiosk.core.appliance.safemode import STATE_FILE, SafeMode

    (tmp_path / STATE_FILE).write_bytes(data)
    state = SafeMode(tmp_path).load()  # b'{"unclean": 5}' was a TypeError at start-up before
    assert state.unclean == [] and not state.safe_mode
    [line] = listed(STATE_FILE)
    assert "crashes for safe mode starts again from zero" in line


def test_damaged_statistics_are_set_aside_and_named(tmp_path: Path) -> None:
    from kiosk.core.stats.stats import DB_NAME, StatsStore

    (tmp_path / DB_NAME).write_bytes(b"this is not a database " * 200)
    store = StatsStore(tmp_path)
    store.record("visit", "kk")
    store.close()
    [aside] = list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
    [line] = listed(DB_NAME)
    assert f"it was set aside as {aside.name}" in line


def test_the_content_tab_lists_damaged_settings_and_pack_state(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import install_staff_mode
    from kiosk.ui.staff.content import ContentTab
    from tests.ui_helpers import make_kiosk

    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.yaml").write_bytes(b"kiosk_id: a\xff\xfe\n")
    (data_dir / "packs").mkdir()
    (data_dir / "packs" / "state.json").write_bytes(b"\x00\x01")
    kiosk = make_kiosk(qtbot, data_dir)  # starts, on its defaults and the bundled content
    tab = ContentTab(install_staff_mode(kiosk))
    qtbot.addWidget(tab)
    tab.staff.set_language("en")
    tab.refresh()
    text = tab.content_warnings.text()
    assert "settings.yaml:1: this line is not UTF-8 text" in text, text
    assert "packs/state.json: this file of the kiosk cannot be read" in text, text
