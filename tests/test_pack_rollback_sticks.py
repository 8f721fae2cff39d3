"""A rollback that sticks (issue 22, item 4) and refusals that leave a trace (item 5).

Real signed packs (tests/pack_helpers.py), the real inbox logic run in a new process each time
(a restart: it knows only what is on disk), the real `kiosk pack install` command, and the real
Updates tab rendered in every language.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.packs import packs
from kiosk.core.packs.inbox import Inbox
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.packs.updates import Updates
from tests.pack_helpers import content_with, good_pack, raw_pack
from tests.support import ROOT


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture
def rolled_back(tmp_path: Path, key: SecretKey) -> tuple[Path, Path, Path]:
    """Packs 1 and 2 installed, then staff went back to 1; pack 2 still lies in the inbox."""
    data = tmp_path / "data"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    packs.install(good_pack(tmp_path, key, 1), data, [key.public])
    two = good_pack(inbox, key, 2, content_with(tmp_path, "v2", number="21-00-02", version="2.0"))
    packs.install(two, data, [key.public])
    packs.rollback(data)
    assert packs.read_state(data).current.startswith("v1-")
    public = tmp_path / "ngo.pub"
    public.write_text(key.public.to_text(), encoding="utf-8")
    return data, inbox, public


INBOX_RUN = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from kiosk.core.appliance import setup_logging
    from kiosk.core.packs import Inbox, PublicKey
    data, inbox, public = (Path(a) for a in sys.argv[1:4])
    setup_logging(data)
    result = Inbox(inbox, data, [PublicKey.from_file(public)], auto_apply=True).check()
    print(json.dumps({"installed": result.installed.manifest.version if result.installed else None,
                      "refused": result.refused.message if result.refused else None}))
""")


def inbox_after_a_restart(data: Path, inbox: Path, public: Path) -> dict[str, object]:
    """The inbox logic of a kiosk that just started: a new process, settings `packs_auto_apply: true`."""
    done = subprocess.run([sys.executable, "-c", INBOX_RUN, str(data), str(inbox), str(public)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


# -- item 4 --------------------------------------------------------------------------------------

def test_a_rolled_back_pack_in_the_inbox_is_not_applied_again_after_restarts(
        rolled_back: tuple[Path, Path, Path]) -> None:
    data, inbox, public = rolled_back
    state_file = data / "packs" / "state.json"
    assert json.loads(state_file.read_text(encoding="utf-8"))["rolled_back"] == [2]  # on disk, written atomically
    for _restart in range(2):
        assert inbox_after_a_restart(data, inbox, public) == {"installed": None, "refused": None}
        assert packs.read_state(data).current.startswith("v1-")
    log = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "update 2, which staff rolled back; it is not applied by itself" in log


def test_a_newer_pack_after_a_rollback_is_applied_as_usual(rolled_back: tuple[Path, Path, Path], tmp_path: Path,
                                                           key: SecretKey) -> None:
    data, inbox, public = rolled_back
    good_pack(inbox, key, 3, content_with(tmp_path, "v3", number="21-00-03", version="3.0"))
    assert inbox_after_a_restart(data, inbox, public) == {"installed": 3, "refused": None}
    assert packs.read_state(data).current.startswith("v3-")


def test_staging_a_rolled_back_version_for_the_inbox_is_refused_with_the_way_out(
        rolled_back: tuple[Path, Path, Path], key: SecretKey) -> None:
    data, inbox, _public = rolled_back
    with pytest.raises(packs.PackError) as refusal:
        packs.stage(inbox / "pack-2.kpack", data, [key.public], source="inbox")  # not deliberate
    assert refusal.value.message == packs.R_ROLLED_BACK
    assert "“Look for updates” on the Updates tab, or kiosk pack install" in str(refusal.value)


def test_a_person_may_install_it_by_hand_and_is_told_it_was_rolled_back(rolled_back: tuple[Path, Path, Path]) -> None:
    data, inbox, public = rolled_back
    done = kiosk("pack", "install", str(inbox / "pack-2.kpack"), "--key", str(public), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert "Note: update 2 was rolled back on this kiosk before." in done.stdout
    state = packs.read_state(data)
    assert state.current.startswith("v2-") and state.rolled_back == []
    assert state.history[-1]["rolled_back_before"] is True


def test_the_updates_tab_prepares_it_when_staff_look_and_says_so(qtbot, rolled_back: tuple[Path, Path, Path],  # type: ignore[no-untyped-def]
                                                                 key: SecretKey) -> None:
    from tests.test_staff_updates import make_tab
    from tests.ui_helpers import tap

    data, inbox, _public = rolled_back
    tab = make_tab(qtbot, Updates(data, [key.public], inbox=inbox, folders=list), data)
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.prepared is not None, timeout=60_000)
    assert tab.prepared is not None and tab.prepared.staged.rolled_back_before
    assert "Note: update 2 was rolled back on this kiosk before." in tab.preview.text()
    tap(qtbot, tab.apply_button)
    qtbot.waitUntil(lambda: tab.operation is None, timeout=30_000)
    assert packs.read_state(data).current.startswith("v2-")


# -- item 5 ----------------------------------------------------------------------------------------

def test_kiosk_pack_install_logs_a_refusal_and_keeps_it_to_the_hour(tmp_path: Path, key: SecretKey) -> None:
    data = tmp_path / "data"
    packs.install(good_pack(tmp_path, key, 1), data, [key.public])
    public = tmp_path / "ngo.pub"
    public.write_text(key.public.to_text(), encoding="utf-8")
    bad = raw_pack(tmp_path / "bad.kpack", key, [], version=7, lie={"neutral.yaml": "0" * 64})
    done = kiosk("pack", "install", str(bad), "--key", str(public), "--data-dir", str(data))
    assert done.returncode == 1 and "does not match its checksum" in done.stderr
    log = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "pack 7 refused" in log and "neutral.yaml does not match its checksum" in log
    refusal = packs.read_state(data).last_refusal
    assert refusal["version"] == 7 and refusal["message"] == packs.R_HASH
    assert refusal["params"] == {"name": "neutral.yaml"} and refusal["at"].endswith(":00")
    assert packs.read_state(data).current.startswith("v1-")


def test_an_inbox_refusal_is_logged_kept_and_cleared_by_a_newer_install(tmp_path: Path, key: SecretKey,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    packs.install(good_pack(tmp_path, key, 1), data, [key.public])
    good_pack(inbox, SecretKey.generate(), 4)  # signed with a key the kiosk does not trust
    result = Inbox(inbox, data, [key.public], auto_apply=True).check()
    assert result.refused is not None and result.refused.message == packs.R_UNTRUSTED
    assert "pack 4 refused (inbox: pack-4.kpack)" in caplog.text and "key this kiosk does not trust" in caplog.text
    assert packs.read_state(data).last_refusal["version"] == 4
    packs.install(good_pack(tmp_path, key, 5), data, [key.public])
    assert packs.read_state(data).last_refusal == {}


@pytest.mark.parametrize("lang", ["kk", "ru", "uz", "en"])
def test_the_updates_tab_shows_the_last_refusal(qtbot, tmp_path: Path, key: SecretKey, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tests.test_staff_updates import make_tab

    data = tmp_path / "data"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    packs.install(good_pack(tmp_path, key, 1), data, [key.public], source="USB: /media/stick/pack-1.kpack")
    good_pack(inbox, SecretKey.generate(), 4)
    Inbox(inbox, data, [key.public], auto_apply=True).check()
    tab = make_tab(qtbot, Updates(data, [key.public]), data, lang=lang)
    i18n = I18n()
    text = tab.refusal.text()
    assert tab.refusal.isVisible() and "4" in text and "4E" not in text[:3]
    assert i18n.gettext(packs.R_UNTRUSTED, lang).split("{")[0][:20] in text
    if lang != "en":
        assert "Last update refused" not in text
    out = Path(os.environ.get("KIOSK_SHOTS", tmp_path)) / f"updates-last-refusal-{lang}.png"
    tab.grab().save(str(out))
    assert out.stat().st_size > 0


def test_a_usb_refusal_on_the_updates_tab_is_logged_and_kept(qtbot, tmp_path: Path, key: SecretKey,  # type: ignore[no-untyped-def]
                                                             caplog: pytest.LogCaptureFixture) -> None:
    from tests.test_staff_updates import make_tab
    from tests.ui_helpers import tap

    data = tmp_path / "data"
    packs.install(good_pack(tmp_path, key, 1), data, [key.public])
    stick = tmp_path / "stick"
    stick.mkdir()
    raw_pack(stick / "pack-6.kpack", key, [], version=6, lie={"neutral.yaml": "0" * 64})
    tab = make_tab(qtbot, Updates(data, [key.public], folders=lambda: [stick]), data)
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.operation is None and "checksum" in tab.status.text(), timeout=60_000)
    refusal = packs.read_state(data).last_refusal
    assert refusal["version"] == 6 and refusal["source"].startswith("USB: ")
    assert "pack 6 refused (USB: " in caplog.text
    assert "number 6" in tab.refusal.text() and tab.refusal.isVisible()
