"""The rules behind the staff screen, with no Qt: the settings draft and the statistics export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.core.model import Content
from kiosk.core.site import RANGES, Settings, resolve_languages


class SettingsDraft:
    """What staff are editing on the Settings tab, before they tap Save."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def enabled_languages(self, content: Content) -> tuple[str, ...]:
        return tuple(lang for lang in self.settings.languages if lang in content.languages) or content.languages

    def default_language(self, content: Content) -> str:
        return resolve_languages(self.settings, content.languages, content.default_language)[1]

    def step(self, key: str, step: int) -> None:
        low, high = RANGES.get(key, (0, 10**6))
        value = min(high, max(low, getattr(self.settings, key) + step))
        self.settings = dataclasses.replace(self.settings, **{key: value})

    def toggle_language(self, language: str, content: Content) -> None:
        """On or off; the last language stays on."""
        enabled = list(self.enabled_languages(content))
        if language in enabled:
            if len(enabled) > 1:
                enabled.remove(language)
        elif language in content.languages:
            enabled.append(language)
        self.settings = dataclasses.replace(self.settings, languages=tuple(enabled))

    def set_default_language(self, language: str, content: Content) -> None:
        """The default is always offered: choosing it switches it on."""
        languages = self.enabled_languages(content)
        if language not in languages:
            languages = (*languages, language)
        self.settings = dataclasses.replace(self.settings, default_language=language, languages=languages)


def removable_folders() -> list[Path]:
    """Mounted USB sticks: /media/USER/*, /run/media/USER/*, /media/*, /mnt/*; drive letters on Windows."""
    found: list[Path] = []
    user = os.environ.get("USER", "")
    for base in (Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/mnt")):
        try:
            for child in sorted(base.iterdir()):
                if child.is_dir() and os.path.ismount(child) and child not in found:
                    found.append(child)
        except OSError:
            continue
    if sys.platform == "win32":  # not run here: drive letters D: to Z:
        import string

        found += [Path(f"{d}:\\") for d in string.ascii_uppercase[3:] if Path(f"{d}:\\").exists()]
    return found


def export_folders(data_dir: Path) -> list[Path]:
    """Where staff can write the statistics: removable drives first (a USB stick is how figures
    leave an offline kiosk), then the data folder's own `exports`."""
    return [*removable_folders(), data_dir / "exports"]


def write_statistics(store: Any, folder: Path, kiosk_id: str, language: str,
                     write_report: Callable[[Path], None], today: dt.date | None = None) -> list[Path]:
    """The CSV of every day and (through `write_report`) a one-page PDF report, into `folder`.

    Each file is written under a temporary name and renamed, so a stick pulled in the middle
    leaves no half file with the final name."""
    from kiosk.core.stats import write_csv

    store.flush()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (today or dt.date.today()).isoformat()
    csv_path = folder / f"kiosk-stats-{kiosk_id}-{stamp}.csv"
    tmp = csv_path.with_name(csv_path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        write_csv(out, store.day_rows(), kiosk_id)
    tmp.replace(csv_path)
    report = folder / f"kiosk-report-{kiosk_id}-{stamp}-{language}.pdf"
    write_report(report)
    return [csv_path, report]
