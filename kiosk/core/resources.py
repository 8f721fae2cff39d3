"""Where the bundled files are, in a checkout and in an installed package alike."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


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
