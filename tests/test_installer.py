"""The Windows installer script (deploy/windows/kiosk.nsi), compiled here with Debian's makensis.

This shows that the script compiles, against the layout the frozen build has on Windows, and
that the result is a 64-bit Windows program. That the installer works is shown under Wine
(tests/windows/); it has never run on a real Windows PC.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, need_tool
from tests.test_frozen import FROZEN_MUST_HAVE

NSI = ROOT / "deploy" / "windows" / "kiosk.nsi"


def _windows_tree(root: Path) -> Path:
    """A stand-in for dist\\kiosk on Windows: the files the frozen test requires there, empty."""
    tree = root / "kiosk"
    for name in ("kiosk.exe", "kioskw.exe"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"MZ" + bytes(62))
    inside = tree / "_internal"
    for name in FROZEN_MUST_HAVE["win32"] + FROZEN_MUST_HAVE["any"]:
        path = inside / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    shutil.copytree(CONTENT, inside / "kiosk" / "_data" / "content")
    return tree


def _makensis(tree: Path, out: Path) -> subprocess.CompletedProcess[str]:
    # -WX: a warning is an error, so the script stays clean.
    return subprocess.run(["makensis", "-V2", "-WX", f"-DSRC={tree}", "-DVERSION=0.1.0", f"-DOUTFILE={out}", str(NSI)],
                          capture_output=True, text=True, timeout=300)


def test_the_installer_compiles_against_the_frozen_windows_layout(tmp_path: Path) -> None:
    need_tool("makensis", "nsis")
    out = tmp_path / "kiosk-setup.exe"
    done = _makensis(_windows_tree(tmp_path), out)
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    assert data[pe_offset:pe_offset + 4] == b"PE\0\0"
    (machine,) = struct.unpack_from("<H", data, pe_offset + 4)
    assert machine == 0x8664  # amd64: a 32-bit installer installs nothing on a 64-bit-only Windows (Wine)
    assert b"Nullsoft" in data or b"NullsoftInst" in data


def test_the_installer_built_for_a_32_bit_target_fails_loudly(tmp_path: Path) -> None:
    """Found under Wine: the 32-bit installer exited 0 and installed nothing. Should the target
    line be changed back (or lost in a merge), the build stops with the reason, not the install."""
    need_tool("makensis", "nsis")
    script = NSI.read_text(encoding="utf-8")
    assert "\nTarget amd64-unicode\n" in script
    wrong = NSI.with_name("kiosk-x86-test.nsi")
    wrong.write_text(script.replace("\nTarget amd64-unicode\n", "\nTarget x86-unicode\n"), encoding="utf-8")
    try:
        done = subprocess.run(["makensis", "-V2", "-WX", f"-DSRC={_windows_tree(tmp_path)}", "-DVERSION=0.1.0",
                               f"-DOUTFILE={tmp_path / 'setup.exe'}", str(wrong)],
                              capture_output=True, text=True, timeout=300)
    finally:
        wrong.unlink()
    assert done.returncode != 0
    assert "must be built as a 64-bit installer" in done.stdout + done.stderr
    assert not (tmp_path / "setup.exe").exists()


@pytest.mark.parametrize("missing", ["kiosk.exe", "kioskw.exe", "_internal/kiosk/_data/content/manifest.yaml"])
def test_the_installer_refuses_a_tree_that_is_not_the_frozen_build(tmp_path: Path, missing: str) -> None:
    need_tool("makensis", "nsis")
    tree = _windows_tree(tmp_path)
    (tree / missing).unlink()
    done = _makensis(tree, tmp_path / "setup.exe")
    assert done.returncode != 0
    assert "not the frozen Windows tree" in done.stdout + done.stderr or "no bundled content" in done.stdout + done.stderr
    assert not (tmp_path / "setup.exe").exists()


def test_every_staff_tool_the_installer_lists_exists_and_uses_the_installed_kiosk() -> None:
    text = NSI.read_text(encoding="utf-8")
    tools = ROOT / "deploy" / "windows" / "tools"
    for name in ("set-pin.cmd", "export-statistics.cmd", "install-pack.cmd", "kiosk-windowed.cmd"):
        assert f"$INSTDIR\\tools\\{name}" in text, name
        script = (tools / name).read_bytes()
        assert b"\r\n" in script and b'"%~dp0..\\kiosk.exe"' in script, name
    assert b"pack install" in (tools / "install-pack.cmd").read_bytes()
    assert b"set-pin" in (tools / "set-pin.cmd").read_bytes()
    assert b"stats export --output" in (tools / "export-statistics.cmd").read_bytes()
