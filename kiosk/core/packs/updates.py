"""Content updates as staff see them: look on USB sticks and in the inbox, prepare, apply, cancel,
roll back, and what was applied when. Qt-free; the Updates tab (kiosk/ui/staff/updates.py) runs
the slow calls (look_and_prepare, rollback) off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.model import N_, Content
from kiosk.core.packs.minisign import PublicKey
from kiosk.core.packs.pack_diff import ContentDiff, diff_content
from kiosk.core.packs.pack_state import installed_version, read_state
from kiosk.core.packs.packs import (
    R_NO_PREVIOUS,
    PackError,
    Progress,
    Staged,
    commit,
    find_packs,
    note_refusal,
    read_manifest,
    rollback,
    stage,
    trusted_keys,
)
from kiosk.core.staff import removable_folders

log = logging.getLogger(__name__)

# TRANSLATORS: rollback refused.
R_PREVIOUS_DAMAGED = N_("The previous version on the kiosk's disk is damaged, so the kiosk stays on this one.")


@dataclass(frozen=True)
class Prepared:
    """A pack ready to apply, and what it changes."""

    staged: Staged
    diff: ContentDiff

    @property
    def version(self) -> int:
        return self.staged.manifest.version


class NothingFound(Exception):
    """No pack newer than the installed one on any stick or in the inbox."""


class Updates:
    def __init__(self, data_dir: Path, keys: Sequence[PublicKey], inbox: Path | None = None,
                 folders: Callable[[], list[Path]] = removable_folders) -> None:
        self.data_dir = data_dir
        self.keys = list(keys)
        self.inbox = inbox
        self.folders = folders

    @classmethod
    def from_settings(cls, data_dir: Path, settings: Any, folders: Callable[[], list[Path]] = removable_folders) -> Updates:
        keys = trusted_keys([settings.pack_key_current, settings.pack_key_next])
        return cls(data_dir, keys, Path(settings.inbox_dir) if settings.inbox_dir else None, folders)

    # -- what is there ---------------------------------------------------------------------
    def installed_version(self) -> int:
        return installed_version(self.data_dir)

    def has_previous(self) -> bool:
        state = read_state(self.data_dir)
        return bool(state.previous) and (self.data_dir / "packs" / state.previous).is_dir()

    def history(self, n: int = 5) -> list[dict[str, Any]]:
        return list(reversed(read_state(self.data_dir).history[-n:]))

    def last_refusal(self) -> dict[str, Any]:
        """The last pack refused (version, message, params, source, at: to the hour), or {}."""
        return read_state(self.data_dir).last_refusal

    def packs_on_sticks(self) -> list[Path]:
        found = []
        for folder in self.folders():
            found += find_packs(folder)
        if self.inbox is not None:
            found += find_packs(self.inbox)
        return found

    # -- the slow steps (a worker thread) ---------------------------------------------------
    def look_and_prepare(self, current: Content, language: str, progress: Progress | None = None) -> Prepared:
        """The newest pack found that is newer than the installed one, copied, verified, unpacked
        and checked; NothingFound or PackError otherwise. Nothing is shown to visitors yet."""
        installed = self.installed_version()
        newest: tuple[int, Path] | None = None
        refusal: PackError | None = None
        for pack in self.packs_on_sticks():
            try:
                version = read_manifest(pack).version
            except PackError as exc:
                refusal = refusal or exc
                continue
            if newest is None or version > newest[0]:
                newest = (version, pack)
        if newest is None or newest[0] <= installed:
            if refusal is not None and newest is None:
                note_refusal(self.data_dir, refusal, "USB")
                raise refusal
            raise NothingFound()
        pack = newest[1]
        source = "USB" if self.inbox is None or pack.parent != self.inbox else "inbox"
        # staff asked: a version they rolled back before is prepared too, and the preview says so
        staged = stage(pack, self.data_dir, self.keys, source=f"{source}: {pack}",
                       progress=progress or (lambda *a: None), deliberate=True)
        return Prepared(staged, diff_content(current, staged.content, language))

    def prepare_staged(self, staged: Staged, current: Content, language: str) -> Prepared:
        """A pack the inbox staged already (settings: not applied automatically)."""
        return Prepared(staged, diff_content(current, staged.content, language))

    def apply(self, prepared: Prepared) -> Content:
        """The switch (one rename); returns the content the kiosk must show from now on."""
        commit(prepared.staged)
        return prepared.staged.content

    def cancel(self, prepared: Prepared) -> None:
        prepared.staged.discard()
        log.info("staff cancelled pack %s", prepared.version)

    def roll_back(self) -> Content:
        """Back one version (one rename); returns the content the kiosk must show from now on."""
        from kiosk.core.content import load_content

        state = read_state(self.data_dir)
        if not state.previous:
            raise PackError(R_NO_PREVIOUS)
        content = load_content(self.data_dir / "packs" / state.previous).content
        if content is None:  # checked when it was installed; the disk may have been damaged since
            raise PackError(R_PREVIOUS_DAMAGED)
        rollback(self.data_dir)
        return content
