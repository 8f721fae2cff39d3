"""Which installed pack is current: `DATA/packs/state.json`, read at every start of the kiosk.

Kept apart from kiosk/core/packs/packs.py so that a starting kiosk reads one small JSON file and
imports nothing heavy (no hashlib and OpenSSL, no zipfile, no signatures).
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PACKS_DIR = "packs"
STATE = "state.json"
HISTORY_KEPT = 50


@dataclass
class PackState:
    current: str = ""
    previous: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)
    # Versions staff went back from: never applied again by themselves (the inbox), only by a person.
    rolled_back: list[int] = field(default_factory=list)
    # The last pack refused, for staff to tell the NGO: version (or None), message (an N_ template),
    # params (text), source, and when, to the hour.
    last_refusal: dict[str, Any] = field(default_factory=dict)


def packs_dir(data_dir: Path) -> Path:
    return data_dir / PACKS_DIR


def read_state(data_dir: Path) -> PackState:
    path = packs_dir(data_dir) / STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        history = [h for h in data.get("history", []) if isinstance(h, dict)][-HISTORY_KEPT:]
        rolled_back = [v for v in data.get("rolled_back", []) if isinstance(v, int) and not isinstance(v, bool)]
        refusal = data.get("last_refusal") or {}
        return PackState(str(data.get("current", "")), str(data.get("previous", "")), history,
                         rolled_back[-HISTORY_KEPT:], refusal if isinstance(refusal, dict) else {})
    except FileNotFoundError:
        return PackState()
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        from kiosk.core.model import D_PACK_STATE, report_damaged

        report_damaged(path, exc, D_PACK_STATE)  # logged, and listed on the staff Content tab
        return PackState()


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_state(data_dir: Path, state: PackState) -> None:
    """One rename: a reader sees the old state or the new one."""
    folder = packs_dir(data_dir)
    tmp = folder / f".state-{os.urandom(4).hex()}.tmp"
    data: dict[str, Any] = {"current": state.current, "previous": state.previous,
                            "history": state.history[-HISTORY_KEPT:]}
    if state.rolled_back:
        data["rolled_back"] = sorted(set(state.rolled_back))[-HISTORY_KEPT:]
    if state.last_refusal:
        data["last_refusal"] = state.last_refusal
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / STATE)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)


def folder_version(name: str) -> int:
    match = re.fullmatch(r"v(\d+)-[0-9a-f]+", name)
    return int(match.group(1)) if match else 0


def installed_version(data_dir: Path) -> int:
    return folder_version(read_state(data_dir).current)


def installed_content_dir(data_dir: Path | None) -> Path | None:
    """The installed pack's content folder, which the kiosk shows when no `content_dir` is set."""
    if data_dir is None:
        return None
    state = read_state(data_dir)
    if not state.current:
        return None
    folder = packs_dir(data_dir) / state.current
    return folder if folder.is_dir() else None
