"""Which content the kiosk shows: the configured pack, else the last good one, else the bundled default.

A bad edit never takes a running kiosk down. Each pack that loads cleanly is copied to
`<data>/content-last-good`, so even after a restart a broken edit falls back to the last
content that worked, and only then to the bundled default.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.content import fingerprint, load_content_cached
from kiosk.core.model import Content, Problem, default_content_dir

if TYPE_CHECKING:
    from kiosk.core.model import LoadResult

log = logging.getLogger(__name__)
LAST_GOOD = "content-last-good"


@dataclass
class ContentChoice:
    content: Content
    source: Path
    fallback_reason: str = ""  # English, for logs and the command line; the errors below are the data
    problems: list[Problem] = field(default_factory=list)

    @property
    def fallback_errors(self) -> list[Problem]:
        """Why the wanted content was not used: its first errors (empty when it was used)."""
        if not self.fallback_reason:
            return []
        return [p for p in self.problems if p.severity.value == "error"][:5]


def wanted_content(wanted: Path | None, data_dir: Path | None) -> tuple[Path, str]:
    """The folder the kiosk means to show, and why: "settings" (content_dir names it), "pack" (the
    signed pack installed last, kiosk/core/packs/packs.py) or "bundled" (the content it came with).
    `kiosk check` without a folder checks this one; `choose_content` starts from it."""
    if wanted is not None:
        return wanted, "settings"
    installed = _installed_pack(data_dir)
    if installed is not None:
        return installed, "pack"
    return default_content_dir(), "bundled"


def choose_content(wanted: Path | None, data_dir: Path | None) -> ContentChoice:
    wanted, _why = wanted_content(wanted, data_dir)
    result = load_content_cached(wanted, data_dir)
    if result.content is not None:
        _remember(result, wanted, data_dir)
        return ContentChoice(result.content, wanted, "", result.problems.items)
    reason = f"the content in {wanted} has {len(result.problems.errors)} error(s): " + "; ".join(
        str(p) for p in result.problems.errors[:5])
    log.error("%s", reason)
    candidates = []
    if data_dir is not None:
        candidates.append(data_dir / LAST_GOOD)
    candidates.append(default_content_dir())
    for candidate in candidates:
        if candidate.resolve() == wanted.resolve() or not candidate.is_dir():
            continue
        fallback = load_content_cached(candidate, data_dir)
        if fallback.content is not None:
            log.warning("showing the content from %s instead", candidate)
            return ContentChoice(fallback.content, candidate, reason, result.problems.items)
    raise RuntimeError(f"no usable content at all: {reason}")


def _installed_pack(data_dir: Path | None) -> Path | None:
    if data_dir is None or not (data_dir / "packs").is_dir():
        return None  # the common case costs one stat, and no import
    from kiosk.core.packs.pack_state import installed_content_dir

    return installed_content_dir(data_dir)


def reload_content(current: Content, wanted: Path, data_dir: Path | None) -> tuple[Content, LoadResult]:
    """Staff asked to reload: the new pack if it is good, else keep showing the current one."""
    from kiosk.core.content import load_content

    result = load_content(wanted)
    if result.content is None:
        log.error("reload refused, keeping version %s: %s", current.version,
                  "; ".join(str(p) for p in result.problems.errors[:5]))
        return current, result
    _remember(result, wanted, data_dir)
    return result.content, result


def _remember(result: LoadResult, source: Path, data_dir: Path | None) -> None:
    if data_dir is None or source.resolve() in (default_content_dir().resolve(), (data_dir / LAST_GOOD).resolve()):
        return
    if source.resolve().parent == (data_dir / "packs").resolve():
        return  # an installed pack is never changed in place, and its previous version is kept
    target = data_dir / LAST_GOOD
    tmp = data_dir / (LAST_GOOD + ".tmp")
    # What was copied, and what the copy looked like: the same pack, its copy untouched, is
    # not copied again at every start (pictures and recordings can be megabytes).
    stamp = data_dir / (LAST_GOOD + ".key")
    source_key = fingerprint(source)
    try:
        if stamp.read_text(encoding="utf-8") == repr((source_key, fingerprint(target))):
            return
    except (OSError, ValueError):
        pass
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        shutil.copytree(source, tmp, ignore=_not_content(source))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
        stamp.write_text(repr((source_key, fingerprint(target))), encoding="utf-8")
    except OSError as exc:
        log.warning("could not keep a copy of the good content in %s: %s", target, exc)


def _not_content(source: Path) -> Callable[[str, list[str]], set[str]]:
    """What the copy leaves out: anything but files and folders, and links that lead to a folder
    or out of the pack. A link to /dev/zero, to / or to its own parent would never finish copying."""
    root = source.resolve()

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = os.path.join(folder, name)
            try:
                if os.path.islink(path):
                    target = Path(path).resolve(strict=True)
                    if target.is_dir() or not target.is_relative_to(root):
                        skipped.add(name)
                        continue
                mode = os.stat(path).st_mode
            except (OSError, RuntimeError):
                skipped.add(name)
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                skipped.add(name)
        return skipped

    return ignore
