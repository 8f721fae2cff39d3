"""Packs that arrive by themselves: the Syncthing inbox (receive-only), and a USB stick's top level.

Syncthing is only the transport: a pack in the inbox goes through exactly the install a USB pack
goes through (copy in, verify, unpack, check, switch). With `packs_auto_apply` it is switched to
at once; otherwise it is staged and offered to staff. A pack is looked at again only when its
files change, so a refused pack is not retried (and logged) every minute; a pack whose signature
has not arrived yet is simply waited for.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.model import escape_controls
from kiosk.core.packs.minisign import PublicKey
from kiosk.core.packs.pack_state import folder_version, read_state
from kiosk.core.packs.packs import (
    SIG_SUFFIX,
    PackError,
    Staged,
    commit,
    find_packs,
    read_manifest,
    stage,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxResult:
    """What one look at the inbox did: nothing, installed a pack, staged one for staff, or refused one."""

    installed: Staged | None = None
    offered: Staged | None = None
    refused: PackError | None = None
    pack: Path | None = None


def _fingerprint(pack: Path) -> tuple[int, int, int, int] | None:
    try:
        a, b = pack.stat(), pack.with_name(pack.name + SIG_SUFFIX).stat()
    except OSError:
        return None
    return (a.st_size, a.st_mtime_ns, b.st_size, b.st_mtime_ns)


class Inbox:
    def __init__(self, folder: Path, data_dir: Path, keys: Sequence[PublicKey], auto_apply: bool) -> None:
        self.folder = folder
        self.data_dir = data_dir
        self.keys = list(keys)
        self.auto_apply = auto_apply
        self._seen: dict[Path, tuple[int, int, int, int]] = {}

    def candidates(self) -> list[tuple[int, Path]]:
        """Complete packs (signature beside them) newer than the installed one and not yet looked at,
        newest first. Only the zip's directory is read here, never trusted."""
        state = read_state(self.data_dir)
        current = folder_version(state.current)
        found = []
        for pack in find_packs(self.folder):
            fingerprint = _fingerprint(pack)
            if fingerprint is None or self._seen.get(pack) == fingerprint:
                continue
            try:
                version = read_manifest(pack).version
            except PackError:
                version = current + 1  # let the install say what is wrong with it, once
            if version in state.rolled_back:
                # staff went back from it: only a person applies it again (the Updates tab, by hand)
                log.info("inbox: %s is update %s, which staff rolled back; it is not applied by itself",
                         escape_controls(pack.name), version)
                self._seen[pack] = fingerprint
            elif version > current:
                found.append((version, pack))
            else:
                self._seen[pack] = fingerprint
        return sorted(found, reverse=True)

    def check(self, source: str = "inbox") -> InboxResult:
        """Looks once; call it from a worker thread (it copies and unpacks)."""
        for _version, pack in self.candidates():
            fingerprint = _fingerprint(pack)
            try:
                staged = stage(pack, self.data_dir, self.keys, source=f"{source}: {pack.name}")
            except PackError as exc:  # logged and kept as the last refusal by stage()
                if fingerprint is not None and fingerprint == _fingerprint(pack):
                    self._seen[pack] = fingerprint  # the same files will be refused the same way
                return InboxResult(refused=exc, pack=pack)
            if fingerprint is not None:
                self._seen[pack] = fingerprint
            if self.auto_apply:
                commit(staged)
                return InboxResult(installed=staged, pack=pack)
            log.info("%s: pack %s is ready; staff are asked to apply it", source, staged.manifest.version)
            return InboxResult(offered=staged, pack=pack)
        return InboxResult()
