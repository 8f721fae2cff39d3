"""What tests share: where things are, the clocks a test moves by hand, a statistics recorder, and
the default content (loaded once, or copied for a test to break). No Qt here: the core's tests
import this too.

    from tests.support import CONTENT, Clock, MonotonicClock, RecordingStats, content_copy, default_content
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kiosk.core.model.content import Content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"  # the bundled default pack, as in the checkout: never write into it
IN_CI = os.environ.get("CI", "").lower() == "true"


def need_tool(name: str, package: str) -> None:
    """Skip with a reason on a developer's machine; fail under CI, where .ci/run installs it."""
    if shutil.which(name) is None:
        if IN_CI:
            pytest.fail(f"{name} is missing under CI: .ci/run must install the Debian package {package}")
        pytest.skip(f"needs {name} (Debian package {package})")


def need(what: str, missing: list[str]) -> None:
    """What a test needs (a CUPS server, a systemd box) and the parts of it this machine lacks:
    skip with them on a developer's machine; fail under CI, where .ci/run installs them."""
    if missing:
        if IN_CI:
            pytest.fail(f"{what} is needed under CI: " + "; ".join(missing))
        pytest.skip(f"needs {what}: " + "; ".join(missing))


# -- clocks ------------------------------------------------------------------------------------

class Clock:
    """A wall clock (what the statistics, the PIN lock and the content's dates read) that the test
    sets or moves by hand: `clock.now = ...`, `clock.advance(minutes=5)`. Years back and forward too."""

    START = dt.datetime(2025, 5, 20, 10, 15, 42)

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class MonotonicClock:
    """Seconds that only the test moves, in the place of time.monotonic (paper limits, the
    debounced tap, anything that measures a duration): `clock.advance(0.15)`."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self.now += seconds


# -- statistics --------------------------------------------------------------------------------

class RecordingStats:
    """Stands in for the statistics writer: keeps every `record(kind, language, key, value)` call."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str, int]] = []

    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None:
        self.events.append((kind, language, key, value))

    def kinds(self) -> list[str]:
        return [event[0] for event in self.events]

    def of_kind(self, kind: str) -> list[tuple[str, str, str, int]]:
        return [event for event in self.events if event[0] == kind]


# -- content -----------------------------------------------------------------------------------

def content_copy(tmp_path: Path, name: str = "content", audio: bool = False) -> Path:
    """A private copy of the default content, at tmp_path/name, that a test may edit or break.

    The narration audio (audio/, 10 MB) is left out unless `audio`: most tests never play it,
    and copying it a hundred times costs seconds and fills the small disks of the full-disk tests."""
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONTENT, target, ignore=None if audio else _top_audio)
    return target


def _top_audio(folder: str, names: list[str]) -> list[str]:
    return ["audio"] if Path(folder) == CONTENT else []


@functools.cache
def default_content() -> Content:
    """The default content, loaded and validated once per test run (it is immutable)."""
    from kiosk.core.content.loader import load_content

    result = load_content(CONTENT)
    assert result.content is not None, [str(p) for p in result.problems.errors]
    return result.content
