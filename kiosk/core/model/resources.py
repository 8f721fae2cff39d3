"""Where the bundled files are: in a checkout, an installed package and the frozen build alike."""

from __future__ import annotations

import sys
from pathlib import Path


def _package_dir() -> Path:
    # The frozen build (PyInstaller, deploy/kiosk.spec) unpacks nothing: its data files sit in
    # sys._MEIPASS (dist/kiosk/_internal) under kiosk/, as in an installed package.
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "kiosk"
    return Path(__file__).resolve().parents[2]  # kiosk/core/model/resources.py -> kiosk/


PACKAGE_DIR = _package_dir()


def _bundled(name: str) -> Path:
    # `pip install .` copies content/ and translations/ into kiosk/_data (see setup.py);
    # in a checkout (or an editable install) they sit beside the package.
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


def default_content_dir() -> Path:
    return _bundled("content")


def translations_dir() -> Path:
    return _bundled("translations")


def fonts_dir() -> Path:
    return PACKAGE_DIR / "fonts"


def icons_dir() -> Path:
    return PACKAGE_DIR / "ui" / "icons"
