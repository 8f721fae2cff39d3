"""Signed content packs: install, what staff see changing, roll back, and every refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.core.packs import packs
from kiosk.core.packs.library import choose_content
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.packs.pack_diff import diff_content
from kiosk.core.packs.packs import PackError, install, read_state, rollback, stage
from tests.conftest import CONTENT, ROOT
from tests.pack_helpers import (
    CHAR_DEVICE,
    FIFO,
    SYMLINK,
    content_with,
    good_pack,
    raw_pack,
    sign,
    special,
)


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


@pytest.fixture
def installed(tmp_path: Path, data_dir: Path, key: SecretKey) -> Path:
    """A kiosk with pack 1 (the default content) installed."""
    install(good_pack(tmp_path, key, 1), data_dir, [key.public])
    return data_dir


def shown(data_dir: Path) -> tuple[str, str]:
    choice = choose_content(None, data_dir)
    return choice.content.version, choice.content.primary_contact.local


def leftovers(data_dir: Path) -> list[str]:
    state = read_state(data_dir)
    return sorted(p.name for p in (data_dir / "packs").iterdir() if p.name not in (state.current, state.previous,
                                                                                   "state.json"))


def test_install_switches_the_content_keeps_the_previous_and_rolls_back(tmp_path: Path, installed: Path,
                                                                        key: SecretKey) -> None:
    assert shown(installed) == ("1.0", "21-61-52")
    new = content_with(tmp_path, "v2", number="21-00-00", slide_title="A new title", version="2.0")
    staged = stage(good_pack(tmp_path, key, 2, new), installed, [key.public], source="USB")
    # staged, not shown: a visitor still sees version 1
    assert shown(installed) == ("1.0", "21-61-52")
    diff = diff_content(choose_content(None, installed).content, staged.content, "en")
    assert [(n.name, n.old, n.new) for n in diff.numbers] == [("Sana Sezim", "21-61-52", "21-00-00")]
    assert diff.slides_changed == ["A new title"] and not diff.slides_added and not diff.slides_removed
    assert not diff.quiz_changed and not diff.leaflet_changed
    packs.commit(staged)
    assert shown(installed) == ("2.0", "21-00-00")
    state = read_state(installed)
    assert state.previous.startswith("v1-") and state.current.startswith("v2-")
    assert [h["action"] for h in state.history] == ["install", "install"]
    assert state.history[-1]["signer"] == key.public.id_hex and state.history[-1]["source"] == "USB"
    rollback(installed)
    assert shown(installed) == ("1.0", "21-61-52")
    with pytest.raises(PackError) as refused:
        rollback(installed)
    assert refused.value.message == packs.R_NO_PREVIOUS
    # after a rollback, the same or a lower number is still refused; a newer one is fine
    with pytest.raises(PackError) as refused:
        install(good_pack(tmp_path, key, 1, name="again-1.kpack"), installed, [key.public])
    assert refused.value.message == packs.R_NOT_NEWER
    install(good_pack(tmp_path, key, 3, new, name="p3.kpack"), installed, [key.public])
    assert shown(installed) == ("2.0", "21-00-00")
    assert leftovers(installed) == []


def test_a_configured_content_folder_still_wins_over_packs(installed: Path, content_copy: Path) -> None:
    assert choose_content(content_copy, installed).source == content_copy
    assert choose_content(None, installed).source.parent == installed / "packs"


def test_a_kiosk_with_a_damaged_state_file_shows_the_bundled_content(installed: Path) -> None:
    (installed / "packs" / "state.json").write_text("{not json", encoding="utf-8")
    assert choose_content(None, installed).source == CONTENT


def test_the_commands_build_sign_verify_install_and_roll_back(tmp_path: Path, data_dir: Path) -> None:
    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=120, env={**os.environ, "KIOSK_DATA_DIR": str(data_dir)})

    assert kiosk("pack", "keygen", "--secret", str(tmp_path / "k.key"), "--public", str(tmp_path / "k.pub"),
                 "--unprotected").returncode == 0
    broken = content_with(tmp_path, "broken")
    (broken / "quiz.yaml").write_text("questions: [\n", encoding="utf-8")
    done = kiosk("pack", "build", str(broken), "--version", "1", "--output", str(tmp_path / "bad.kpack"))
    assert done.returncode == 1 and "no pack was built" in done.stderr and "quiz.yaml:" in done.stdout
    assert not (tmp_path / "bad.kpack").exists()
    for version in (1, 2):
        assert kiosk("pack", "build", str(CONTENT), "--version", str(version), "--output",
                     str(tmp_path / f"p{version}.kpack")).returncode == 0
        assert kiosk("pack", "sign", str(tmp_path / f"p{version}.kpack"), "--key", str(tmp_path / "k.key")).returncode == 0
    done = kiosk("pack", "verify", str(tmp_path / "p1.kpack"), "--key", str(tmp_path / "k.pub"))
    assert done.returncode == 0 and "OK: pack 1" in done.stdout, done.stderr
    done = kiosk("pack", "install", str(tmp_path / "p1.kpack"))
    assert done.returncode == 1 and "no trusted key" in done.stderr  # none in the settings yet
    public = (tmp_path / "k.pub").read_text().splitlines()[1]
    (data_dir / "settings.yaml").write_text(f"pack_key_next: {public}\n", encoding="utf-8")
    assert kiosk("pack", "install", str(tmp_path / "p2.kpack")).returncode == 0
    done = kiosk("pack", "install", str(tmp_path / "p1.kpack"))
    assert done.returncode == 1 and "already has number 2" in done.stderr
    assert kiosk("pack", "rollback").returncode == 1  # nothing before 2
    done = kiosk("pack", "status")
    assert "current: v2-" in done.stdout


# -- refusals: each with its message, the running content untouched ------------------------------

def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _hostile(tmp: Path, key: SecretKey, kind: str) -> tuple[Path, str]:
    out = tmp / f"{kind}.kpack"
    if kind == "no-signature":
        good_pack(tmp, key, 5, name=out.name)
        out.with_name(out.name + ".minisig").unlink()
        return out, packs.R_NO_SIGNATURE
    if kind == "bad-signature":
        good_pack(tmp, key, 5, name=out.name)
        _flip_last_byte(out)
        return out, packs.R_BAD_SIGNATURE
    if kind == "damaged-signature":
        good_pack(tmp, key, 5, name=out.name)
        out.with_name(out.name + ".minisig").write_text("untrusted comment: x\nAAAA\n", encoding="utf-8")
        return out, packs.R_SIGNATURE_DAMAGED
    if kind == "untrusted-key":
        return good_pack(tmp, SecretKey.generate(), 5, name=out.name), packs.R_UNTRUSTED
    if kind == "hash-mismatch":
        return raw_pack(out, key, [], lie={"neutral.yaml": "0" * 64}), packs.R_HASH
    if kind == "truncated-zip":
        good_pack(tmp, key, 5, name=out.name)
        out.write_bytes(out.read_bytes()[: out.stat().st_size * 2 // 3])
        sign(out, key)  # signed as it is, so only the zip check can catch it
        return out, packs.R_NOT_A_PACK
    if kind == "dotdot-path":
        return raw_pack(out, key, [("content/../../escape.txt", b"x")]), packs.R_UNSAFE
    if kind == "absolute-path":
        return raw_pack(out, key, [("/etc/escape.txt", b"x")]), packs.R_UNSAFE
    if kind == "backslash-path":
        return raw_pack(out, key, [("content\\..\\escape.txt", b"x")]), packs.R_UNSAFE
    if kind == "symlink":
        return raw_pack(out, key, [(special("content/pictures/link.svg", SYMLINK), b"/etc/passwd")]), packs.R_UNSAFE
    if kind == "device-file":
        return raw_pack(out, key, [(special("content/zero", CHAR_DEVICE), b"")]), packs.R_UNSAFE
    if kind == "fifo":
        return raw_pack(out, key, [(special("content/pipe", FIFO), b"")]), packs.R_UNSAFE
    if kind == "zip-bomb-ratio":
        return raw_pack(out, key, [("content/audio/silence.wav", bytes(64 * 1024 * 1024))]), packs.R_TOO_BIG
    if kind == "zip-bomb-count":
        return raw_pack(out, key, [(f"content/x/{i}.txt", b"") for i in range(packs.MAX_FILES + 1)]), packs.R_TOO_BIG
    if kind == "unlisted-file":
        raw_pack(out, None, [])
        with zipfile.ZipFile(out, "a") as zf:
            zf.writestr("content/extra.svg", b"<svg/>")
        sign(out, key)
        return out, packs.R_MANIFEST
    if kind == "no-manifest":
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("content/manifest.yaml", b"id: x\n")
        sign(out, key)
        return out, packs.R_MANIFEST
    if kind == "newer-kiosk":
        return _newer(out, key), packs.R_NEWER_KIOSK
    if kind == "older-version":
        return good_pack(tmp, key, 1, name=out.name), packs.R_NOT_NEWER
    if kind == "content-errors":
        broken = content_with(tmp, "broken-content")
        (broken / "neutral.yaml").write_text("title: [\n", encoding="utf-8")
        return raw_pack(out, key, [], files_from=broken), packs.R_CONTENT
    if kind == "not-a-zip":
        out.write_bytes(b"this is a text file, not a zip\n" * 10)
        sign(out, key)
        return out, packs.R_NOT_A_PACK
    raise AssertionError(kind)


def _newer(out: Path, key: SecretKey) -> Path:
    import hashlib

    from kiosk.core.packs.packs import FORMAT, content_files

    files = [{"path": rel, "size": p.stat().st_size, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
             for rel, p in content_files(CONTENT)]
    manifest = {"format": FORMAT, "version": 5, "min_kiosk_version": "99.0", "content": {}, "files": files}
    return raw_pack(out, key, [], manifest=manifest)


KINDS = ["no-signature", "bad-signature", "damaged-signature", "untrusted-key", "hash-mismatch", "truncated-zip",
         "dotdot-path", "absolute-path", "backslash-path", "symlink", "device-file", "fifo", "zip-bomb-ratio",
         "zip-bomb-count", "unlisted-file", "no-manifest", "newer-kiosk", "older-version", "content-errors",
         "not-a-zip"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_packs_are_refused_and_the_content_is_untouched(tmp_path: Path, installed: Path, key: SecretKey,
                                                            kind: str) -> None:
    before = (installed / "packs" / "state.json").read_bytes()
    pack, expected = _hostile(tmp_path, key, kind)
    with pytest.raises(PackError) as refused:
        install(pack, installed, [key.public])
    assert refused.value.message == expected, str(refused.value)
    import re

    assert not re.search(r"\{\w+\}", str(refused.value))  # every placeholder was filled in
    assert ".unpack" not in str(refused.value) and str(installed) not in str(refused.value)
    after = json.loads((installed / "packs" / "state.json").read_bytes())
    kept = ("current", "previous", "history")
    assert {k: after[k] for k in kept} == {k: json.loads(before)[k] for k in kept}
    assert after["last_refusal"]["message"] == expected  # kept for staff (issue 22, item 5)
    assert shown(installed) == ("1.0", "21-61-52")
    assert leftovers(installed) == []
    assert not (tmp_path / "escape.txt").exists() and not Path("/etc/escape.txt").exists()


def test_no_trusted_key_refuses_everything(tmp_path: Path, data_dir: Path, key: SecretKey) -> None:
    with pytest.raises(PackError) as refused:
        install(good_pack(tmp_path, key, 1), data_dir, [])
    assert refused.value.message == packs.R_NO_KEYS


def test_the_limit_on_the_total_size(tmp_path: Path, installed: Path, key: SecretKey,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    big = content_with(tmp_path, "big", audio_bytes=3 * 1024 * 1024)
    pack = good_pack(tmp_path, key, 2, big)
    monkeypatch.setattr(packs, "MAX_TOTAL", 2 * 1024 * 1024)
    with pytest.raises(PackError) as refused:
        install(pack, installed, [key.public])
    assert refused.value.message == packs.R_TOO_BIG
    monkeypatch.undo()
    install(pack, installed, [key.public])  # the same pack within the limit goes in


def test_a_stick_pulled_during_the_copy(tmp_path: Path, installed: Path, key: SecretKey) -> None:
    """The pack on the 'stick' is cut short while the kiosk copies it, as a pulled stick leaves it
    (the copy reads 1 MiB at a time; after the first MiB the rest of the file is gone)."""
    big = content_with(tmp_path, "big", audio_bytes=4 * 1024 * 1024)
    stick = tmp_path / "stick"
    stick.mkdir()
    pack = good_pack(stick, key, 2, big)
    calls = []

    def pull(step: str, done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 1:
            os.truncate(pack, done)

    with pytest.raises(PackError) as refused:
        install(pack, installed, [key.public], progress=pull)
    assert refused.value.message == packs.R_COPY and str(stick) in str(refused.value)
    assert shown(installed) == ("1.0", "21-61-52") and leftovers(installed) == []
    # the stick is gone altogether
    with pytest.raises(PackError) as refused:
        install(stick / "gone.kpack", installed, [key.public])
    assert refused.value.message == packs.R_COPY


def test_a_full_disk_during_the_unpack(tmp_path: Path, key: SecretKey) -> None:
    """The data folder is a real 3 MiB tmpfs holding pack 1; pack 2 (2 MiB of audio) is copied in
    (it fits) but cannot be unpacked beside its copy."""
    from tests.test_runtime_faults import need_mount, small_disk

    need_mount()
    data = tmp_path / "small"
    big = content_with(tmp_path, "big", audio_bytes=2 * 1024 * 1024)
    pack = good_pack(tmp_path, key, 2, big)
    text_only = content_with(tmp_path, "v1-text", version="1.0")  # without the 10 MB of narration
    with small_disk(data, "tmpfs", 3 * 1024):
        install(good_pack(tmp_path, key, 1, text_only), data, [key.public])
        with pytest.raises(PackError) as refused:
            install(pack, data, [key.public])
        assert refused.value.message == packs.R_NO_SPACE
        assert shown(data) == ("1.0", "21-61-52")
        assert leftovers(data) == []
        assert json.loads((data / "packs" / "state.json").read_text())["current"].startswith("v1-")


def test_two_installs_at_once_take_turns_and_a_waiting_staged_pack_is_kept(tmp_path: Path, installed: Path,
                                                                           key: SecretKey) -> None:
    """The staff tab and the inbox watcher may stage at the same moment, on two threads."""
    import threading

    new = content_with(tmp_path, "v2", number="21-00-00", version="2.0")
    packs_to_stage = [good_pack(tmp_path, key, 2, new), good_pack(tmp_path, key, 3, new)]
    results: dict[int, object] = {}

    def run(pack: Path) -> None:
        try:
            results[packs_to_stage.index(pack)] = stage(pack, installed, [key.public])
        except BaseException as exc:  # noqa: BLE001 - the test reports it below
            results[packs_to_stage.index(pack)] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in packs_to_stage]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    staged2, staged3 = results[0], results[1]
    assert isinstance(staged2, packs.Staged) and isinstance(staged3, packs.Staged), results
    assert staged2.folder.is_dir() and staged3.folder.is_dir()  # neither cleaned the other away
    packs.commit(staged3)
    with pytest.raises(PackError) as refused:
        packs.commit(staged2)  # overtaken while it waited
    assert refused.value.message == packs.R_NOT_NEWER
    assert shown(installed) == ("2.0", "21-00-00") and leftovers(installed) == []
