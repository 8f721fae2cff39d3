"""Memory over many visits: nothing is left behind, and freed memory goes back to the system.

The 20,000-change soak with its figures is `kiosk bench`; this is the short version that runs in
every pass. Counting objects is exact, so it needs no margin for the allocator's moods.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import kiosk.core.appliance.memory as memory
from kiosk.core.visit.session import Screen
from kiosk.devtools.soak import count_qobjects, rss_mib, screen_changes
from tests.ui_helpers import make_kiosk


def settle(kiosk) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    kiosk.session.timeout()
    QApplication.processEvents()
    gc.collect()
    return count_qobjects(kiosk.window), len(gc.get_objects())


@pytest.mark.slow  # 3,000 screen changes: about a minute here
def test_visits_leave_no_qt_or_python_objects_behind(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, size=(1366, 768))
    kiosk.window.build_all_screens()
    step = screen_changes(kiosk, seed=7)
    for _ in range(600):  # every screen, every language, caches filled
        step()
    qt_before, py_before = settle(kiosk)
    seen = set()
    for _ in range(2400):
        step()
        seen.add(kiosk.session.state.screen)
    qt_after, py_after = settle(kiosk)
    assert {Screen.SLIDES, Screen.QUIZ, Screen.QUIZ_RESULT, Screen.LEAFLET, Screen.NEUTRAL} <= seen
    assert qt_after == qt_before, f"Qt objects {qt_before} -> {qt_after}"
    assert py_after - py_before < 300, f"Python objects {py_before} -> {py_after}"


def test_the_end_of_a_visit_hands_freed_memory_back(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = memory.release_free_memory

    def counting() -> float:
        calls.append(real())
        return calls[-1]

    monkeypatch.setattr(memory, "release_free_memory", counting)
    kiosk = make_kiosk(qtbot, data_dir)
    session = kiosk.session
    session.start()
    session.choose_language("ru")
    session.open_slides(0)
    QApplication.processEvents()
    assert calls == []  # not while somebody is reading
    session.timeout()
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=2000)
    session.timeout()  # already in the attract loop: nothing more to do
    QApplication.processEvents()
    assert len(calls) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_release_free_memory_gives_fragmented_pages_back() -> None:
    # 2,000-byte objects come from malloc, not Python's own small-object arenas. Keeping every
    # 50th alive stops glibc from giving the heap back from its top by itself.
    blocks = [bytes(2000) + bytes([i % 256]) for i in range(60_000)]
    peak = rss_mib()
    keep = blocks[::50]
    del blocks
    gc.collect()
    before = rss_mib()
    # The 117 MiB freed above is still held: glibc gives back only the top of its heap by
    # itself, so what follows measures malloc_trim, not the allocator's own tidying.
    assert peak - before < 20, f"freeing alone went {peak:.1f} -> {before:.1f} MiB: the heap is not fragmented"
    took_ms = memory.release_free_memory()
    after = rss_mib()
    assert took_ms > 0
    assert before - after > 50, f"{before:.1f} -> {after:.1f} MiB"
    # ... and only free pages went: every block still alive is whole, down to its last byte.
    assert [block[-1] for block in keep] == [(50 * i) % 256 for i in range(1200)]
    assert all(block.count(0) == 2000 + (block[-1] == 0) for block in keep)
