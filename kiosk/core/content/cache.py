"""A cache of the validated content, so that start-up need not parse YAML at all.

The key is every file's path, size and modification time, plus the kiosk's version: any edit
of the content, or a new kiosk, misses the cache and the content is loaded and checked anew.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__

if TYPE_CHECKING:
    from kiosk.core.model import LoadResult

log = logging.getLogger(__name__)
# Raised when what is pickled changes shape within one kiosk version (2: problems as messages;
# 3: Question.before; 4: Text.spoken).
FORMAT = "4"


def fingerprint(root: Path) -> tuple[str, ...]:
    """Every file's path, size and time under `root`, with the kiosk's version."""
    # The whole key, not a digest of it: compared exactly, and no hashlib (OpenSSL) to load at start.
    key = [__version__, FORMAT, str(root.resolve())]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            key.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return tuple(key)


def _cache_file(root: Path, data_dir: Path) -> Path:
    # One file per content folder; two folders sharing a name only take turns (the key tells them apart).
    name = zlib.crc32(str(root.resolve()).encode())
    return data_dir / "cache" / f"content-{name:08x}.pickle"


def load_content_cached(root: Path, data_dir: Path | None) -> LoadResult:
    if data_dir is None:
        from kiosk.core.content.loader import load_content

        return load_content(root)
    key = fingerprint(root)
    path = _cache_file(root, data_dir)
    try:
        with path.open("rb") as fh:
            stored_key, result = pickle.load(fh)
        if stored_key == key:
            return result  # type: ignore[no-any-return]
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        pass  # no cache, or one from another version: load from the YAML
    from kiosk.core.content.loader import load_content

    result = load_content(root)
    if result.content is not None:
        _store(path, key, result)
    return result


def _store(path: Path, key: tuple[str, ...], result: LoadResult) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, result), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a full or read-only disk only costs start-up time
        log.info("content cache not written: %s", exc)
