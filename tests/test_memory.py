"""kiosk.core.appliance.memory: the call that gives freed memory back is chosen by platform.

The Windows branch (`_heapmin` from ucrtbase) has not run on Windows: here it is checked with a
recording loader that it is the one chosen for win32, and that on Linux it is never called.
"""

from __future__ import annotations

import ctypes
import sys

import pytest

from kiosk.core.appliance import memory


class _Library:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def _heapmin(self) -> int:
        self.calls.append("_heapmin")
        return 0

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(f"malloc_trim({pad})")
        return 1


def _recording() -> tuple[list[str], list[str], object]:
    opened: list[str] = []
    calls: list[str] = []

    def load(name: str) -> _Library:
        opened.append(name)
        return _Library(calls)

    return opened, calls, load


def test_windows_gets_heapmin_from_the_universal_crt() -> None:
    opened, calls, load = _recording()
    name, release = memory.choose_release("win32", load)  # type: ignore[arg-type]
    assert (name, opened, calls) == ("_heapmin", ["ucrtbase"], [])
    assert release is not None
    release()
    assert calls == ["_heapmin"]


def test_linux_gets_malloc_trim_and_other_systems_nothing() -> None:
    opened, calls, load = _recording()
    name, release = memory.choose_release("linux", load)  # type: ignore[arg-type]
    assert name == "malloc_trim" and release is not None
    release()
    assert calls == ["malloc_trim(0)"]
    opened.clear()
    assert memory.choose_release("darwin", load) == ("", None)  # type: ignore[arg-type]
    assert opened == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks this Linux machine")
def test_here_the_kiosk_calls_glibc_and_the_windows_branch_is_a_no_op() -> None:
    assert memory.choose_release(sys.platform)[0] == "malloc_trim"
    # There is no ucrtbase on Linux: the Windows choice finds nothing and does nothing.
    with pytest.raises(OSError):
        ctypes.CDLL("ucrtbase")
    assert memory.choose_release("win32") == ("", None)
    assert memory.release_free_memory() >= 0.0
    assert memory._chosen()[0] == "malloc_trim"
