"""Names inside a pack, as an attacker with the NGO's key would write them (issue 22, items 1-3),
and outside text in messages (item 2): control characters shown escaped, never sent raw.

The zips are written by zipfile with a placeholder name of the same length, then the name's bytes
(and the UTF-8 flag) are changed in both the local header and the central directory, as a hostile
tool would write them. Then they are signed with a real key, so only the name checks can stop them.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from kiosk.core.model import escape_controls, msg
from kiosk.core.packs import packs
from kiosk.core.packs.minisign import SecretKey
from tests.pack_helpers import good_pack, raw_pack, sign
from tests.support import CONTENT, ROOT

PLACEHOLDER = "content/pictures/aXXXXb.svg"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


def installed(tmp_path: Path, key: SecretKey) -> Path:
    data = tmp_path / "data"
    packs.install(good_pack(tmp_path, key, 1), data, [key.public])
    return data


def patch_names(pack: Path, old: bytes, new: bytes, utf8_flag: bool | None = None) -> None:
    """Every header naming `old` names `new` instead (same length); the UTF-8 flag set or cleared."""
    assert len(old) == len(new)
    data = bytearray(pack.read_bytes())
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            start = at + 4
            (length,) = struct.unpack_from("<H", data, at + name_len_at)
            if bytes(data[at + name_at: at + name_at + length]) != old:
                continue
            data[at + name_at: at + name_at + length] = new
            if utf8_flag is not None:
                (flags,) = struct.unpack_from("<H", data, at + flag_at)
                flags = flags | 0x800 if utf8_flag else flags & ~0x800
                struct.pack_into("<H", data, at + flag_at, flags)
    pack.write_bytes(bytes(data))


def hostile(tmp_path: Path, key: SecretKey, raw_name: bytes, listed_as: str, utf8_flag: bool | None = None,
            placeholder: str = PLACEHOLDER) -> Path:
    """The default content, plus one picture whose name in the zip is `raw_name`; the manifest
    lists it as `listed_as` (what zipfile would call it), so only the name checks stand in the way."""
    out = tmp_path / "hostile.kpack"
    entries = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, path in packs.content_files(CONTENT):
            body = path.read_bytes()
            zf.writestr(packs.PREFIX + rel, body)
            entries.append({"path": rel, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()})
        zf.writestr(placeholder, SVG)
        entries.append({"path": listed_as, "size": len(SVG), "sha256": hashlib.sha256(SVG).hexdigest()})
        zf.writestr(packs.MANIFEST, json.dumps({"format": packs.FORMAT, "version": 2, "min_kiosk_version": "0.1.0",
                                                "content": {"id": "x", "version": "9"}, "files": entries}))
    patch_names(out, placeholder.encode("utf-8"), raw_name, utf8_flag)
    sign(out, key)
    return out


def refused(pack: Path, data: Path, key: SecretKey) -> packs.PackError:
    before = (data / "packs" / "state.json").read_bytes()
    with pytest.raises(packs.PackError) as verify_error:
        packs.verify_pack(pack, [key.public])
    with pytest.raises(packs.PackError) as install_error:
        packs.install(pack, data, [key.public])
    assert install_error.value.message == verify_error.value.message
    assert packs.read_state(data).current.startswith("v1-")
    assert json.loads((data / "packs" / "state.json").read_bytes())["current"] == json.loads(before)["current"]
    return install_error.value


# -- item 1: a NUL byte, and names that are not UTF-8 ------------------------------------------------------

def test_a_name_with_a_nul_byte_is_refused_not_installed_under_its_cut_name(tmp_path: Path, key: SecretKey) -> None:
    data = installed(tmp_path, key)
    pack = hostile(tmp_path, key, b"content/pictures/a\x00XXXb.svg", listed_as="pictures/a")
    with zipfile.ZipFile(pack) as zf:  # what made it dangerous: zipfile's own name is cut at the NUL
        assert "content/pictures/a" in zf.namelist()
    error = refused(pack, data, key)
    assert error.message == packs.R_UNSAFE
    assert "content/pictures/a\\x00XXXb.svg" in str(error)
    assert not any(p.name == "a" for p in (data / "packs").rglob("a"))


@pytest.mark.parametrize(("raw", "flag"), [
    pytest.param(b"content/pictures/a\xff\xfe\xfd\xfcb.svg", True, id="flag-11-not-utf8"),
    pytest.param(b"content/pictures/a\xc3\xa9XXb.svg", False, id="no-flag-cp437"),
    pytest.param(b"content/pictures/a\x81\x82XXb.svg", False, id="no-flag-high-bytes"),
])
def test_a_name_that_is_not_utf8_is_refused_as_unreadable(tmp_path: Path, key: SecretKey, raw: bytes,
                                                         flag: bool) -> None:
    data = installed(tmp_path, key)
    listed = raw[len(packs.PREFIX):].decode("utf-8" if flag else "cp437", "replace")
    error = refused(hostile(tmp_path, key, raw, listed_as=listed, utf8_flag=flag), data, key)
    assert error.message == packs.R_NAME_ENCODING


def test_a_name_written_in_utf8_with_the_flag_is_read_as_utf8(tmp_path: Path, key: SecretKey) -> None:
    # The flag and the name agree: it is refused by the name rule (ASCII names only), not as unreadable.
    data = installed(tmp_path, key)
    name = "content/pictures/aéé.svg"
    pack = hostile(tmp_path, key, name.encode("utf-8"), listed_as=name[len(packs.PREFIX):], utf8_flag=True,
                   placeholder="content/pictures/aXXXX.svg")
    assert refused(pack, data, key).message == packs.R_UNSAFE


# -- twins: Unicode normalisation and case; item 3: a name twice ------------------------------------------

def _two(tmp_path: Path, key: SecretKey, first: str, second: str) -> Path:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the point
        return raw_pack(tmp_path / "twins.kpack", key, [(first, SVG), (second, SVG)])


@pytest.mark.parametrize(("first", "second"), [
    pytest.param("content/pictures/Logo.svg", "content/pictures/logo.svg", id="case"),
    pytest.param("content/PICTURES/x.svg", "content/pictures/x.svg", id="case-in-folder"),
    pytest.param(unicodedata.normalize("NFC", "content/pictures/é.svg"),
                 unicodedata.normalize("NFD", "content/pictures/é.svg"), id="nfc-nfd"),
])
def test_names_that_differ_only_by_case_or_normalisation_are_refused_as_twins(
        tmp_path: Path, key: SecretKey, first: str, second: str) -> None:
    data = installed(tmp_path, key)
    error = refused(_two(tmp_path, key, first, second), data, key)
    assert error.message == packs.R_TWINS
    assert "differ only in capital letters or accents" in str(error)


def test_a_name_that_appears_twice_is_said_to_appear_twice(tmp_path: Path, key: SecretKey) -> None:
    data = installed(tmp_path, key)
    error = refused(_two(tmp_path, key, "content/pictures/x.svg", "content/pictures/x.svg"), data, key)
    assert error.message == packs.R_TWICE
    assert str(error).startswith("The name content/pictures/x.svg appears twice")
    assert "must not write" not in str(error)


def test_the_pack_manifest_twice_is_said_to_appear_twice(tmp_path: Path, key: SecretKey) -> None:
    data = installed(tmp_path, key)
    pack = raw_pack(tmp_path / "two-manifests.kpack", None, [])
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(pack, "a") as zf:
        zf.writestr(packs.MANIFEST, b"{}")
    sign(pack, key)
    assert refused(pack, data, key).message == packs.R_TWICE


def test_a_very_long_name_is_refused_before_the_disk_or_windows_chokes_on_it(tmp_path: Path, key: SecretKey) -> None:
    data = installed(tmp_path, key)
    deep = "content/" + "/".join(["d" * 100] * 2) + "/x.svg"  # every part allowed, the whole too long
    error = refused(raw_pack(tmp_path / "long.kpack", key, [(deep, SVG)]), data, key)
    assert error.message == packs.R_UNSAFE and "…" in str(error)
    assert len(str(error)) < 400


# -- item 2: control characters reach no terminal raw ---------------------------------------------------------

HOSTILE_TEXT = "a\x07b\x1b[2Jc\rd\u202ee\x85f"
SAFE_TEXT = "Қазақстан oʻzbek gʻalla Ўзбекистон"


def test_render_escapes_control_and_format_characters_visibly_and_leaves_letters_alone() -> None:
    shown = msg("{name} and {other}", name=HOSTILE_TEXT, other=SAFE_TEXT).render()
    assert shown == "a\\x07b\\x1b[2Jc\\x0dd\\u202ee\\x85f and " + SAFE_TEXT
    assert escape_controls("tab\there\nline\u2028x\ufeff") == "tab\\x09here\\x0aline\\u2028x\\ufeff"
    assert escape_controls("two\n\tlines\x07\r", lines=True) == "two\n\tlines\\x07\\x0d"
    assert escape_controls(SAFE_TEXT) == SAFE_TEXT


def _raw_bytes_in(text: str) -> list[str]:
    return [c for c in text if c not in "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


def _kiosk(*args: str, cwd: Path = ROOT, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="surrogateescape", stdin=stdin, timeout=120)


def test_pack_commands_show_a_hostile_name_escaped(tmp_path: Path, key: SecretKey) -> None:
    installed(tmp_path, key)
    name = "content/pictures/" + HOSTILE_TEXT + ".svg"
    pack = raw_pack(tmp_path / "ctl.kpack", key, [(name, SVG)])
    public = tmp_path / "ngo.pub"
    public.write_text(key.public.to_text(), encoding="utf-8")
    secret = tmp_path / "ngo.key"
    secret.write_text(key.to_text(None), encoding="utf-8")
    for args in (("pack", "verify", str(pack), "--key", str(public)),
                 ("pack", "install", str(pack), "--key", str(public), "--data-dir", str(tmp_path / "data")),
                 ("pack", "sign", str(pack), "--key", str(secret))):
        done = _kiosk(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert "a\\x07b\\x1b[2Jc\\x0dd\\u202ee\\x85f" in done.stderr, done.stderr
        assert _raw_bytes_in(done.stdout + done.stderr) == [], (args, done.stderr)


def test_kiosk_check_shows_a_hostile_yaml_key_escaped(tmp_path: Path) -> None:
    from tests.support import content_copy

    folder = content_copy(tmp_path, "content")
    neutral = folder / "neutral.yaml"
    # YAML's own escapes write the bytes: BEL, ESC[2J, CR, U+202E, U+0085
    neutral.write_text(neutral.read_text(encoding="utf-8") + '"bad\\a\\e[2J\\r\\u202E\\Nkey": 1\n', encoding="utf-8")
    done = _kiosk("check", str(folder))
    assert "Traceback" not in done.stderr
    assert "bad\\x07\\x1b[2J\\x0d\\u202e\\x85key" in done.stdout + done.stderr, done.stdout
    assert _raw_bytes_in(done.stdout + done.stderr) == []
