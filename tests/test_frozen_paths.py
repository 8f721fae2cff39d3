"""Where a frozen kiosk finds its bundled files and its data folder (no build needed here;
tests/test_frozen.py checks the same on the real frozen build)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kiosk
from kiosk.core.model import resources
from kiosk.core.site import settings


def test_a_frozen_kiosk_takes_its_bundled_files_from_meipass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert resources._package_dir() == tmp_path / "_internal" / "kiosk"


def test_not_frozen_the_package_is_where_the_module_is() -> None:
    assert resources._package_dir() == Path(kiosk.__file__).resolve().parent


def test_data_dir_file_beside_the_frozen_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = tmp_path / "Program Files" / "kiosk" / "kiosk.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("KIOSK_DATA_DIR")
    # No file: the user's data folder, as before.
    assert settings.frozen_data_dir(exe) is None
    # As the installer writes it (NSIS FileWrite: no BOM, CRLF), and with a BOM from Notepad.
    target = tmp_path / "ProgramData" / "safe-migration-kiosk"
    (exe.parent / settings.DATA_DIR_FILE).write_bytes(f"{target}\r\n".encode())
    assert settings.default_data_dir() == target
    (exe.parent / settings.DATA_DIR_FILE).write_bytes(f"\ufeff# data folder\r\n{target}\r\n".encode())
    assert settings.default_data_dir() == target
    # Relative: beside the executable (a kiosk folder carried on a stick).
    (exe.parent / settings.DATA_DIR_FILE).write_text("data\n", encoding="utf-8")
    assert settings.default_data_dir() == exe.parent / "data"
    # KIOSK_DATA_DIR still wins.
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "env"))
    assert settings.default_data_dir() == tmp_path / "env"


def test_the_file_is_ignored_when_not_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / settings.DATA_DIR_FILE).write_text(str(tmp_path / "elsewhere"), encoding="utf-8")
    monkeypatch.delenv("KIOSK_DATA_DIR")
    assert settings.default_data_dir() != tmp_path / "elsewhere"
