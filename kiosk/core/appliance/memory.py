"""Giving freed memory back to the system when a visit ends.

A visit builds and drops pictures, text layouts and leaflet previews. Python and Qt free all
of it (the soak counts objects), but the C allocator may keep freed pages for later. Once a
visit is over, when nobody waits for the screen, `release_free_memory()` asks it to hand them
back. What that means depends on the allocator, so the call is chosen by platform:

- **Linux with glibc:** glibc keeps freed pages in several arenas, so the resident size crept up
  by a few MiB in steps over thousands of visits although nothing leaked (measured: docs/PERFORMANCE.md). `malloc_trim(0)` hands them back.
- **Windows:** `_heapmin()` of the Universal CRT (ucrtbase.dll, the C runtime that python.org's
  Python 3.11 and Qt's MSVC build both use). Microsoft documents it as "releases unused heap
  memory to the operating system": the CRT's heap is the Windows process heap, and the heap
  manager decommits large free ranges by itself anyway, so this is the nearest equivalent of
  `malloc_trim` and expected to matter less. Python's own small-object arenas (obmalloc) are
  VirtualAlloc'ed and handed back with VirtualFree as soon as one is empty, on every platform,
  without any call. What is *not* done: trimming the working set (`EmptyWorkingSet`,
  `SetProcessWorkingSetSize(-1, -1)`). That only pages memory out of RAM; the commit charge
  stays the same, and the next visit pays for it in page faults.
  **Not run on Windows** (this project has no Windows machine); a unit test checks on Linux that
  the Windows choice is the one made for `win32`, and that it is never called here.
- **Elsewhere** (musl, macOS): nothing is called; 0 ms.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

Release = Callable[[], object]

_release: Release | None = None
_release_name = ""
_looked = False


def choose_release(platform: str, load: Callable[[str], object] | None = None) -> tuple[str, Release | None]:
    """(name, function) that gives freed heap memory back on `platform`; (name, None) when none.

    `load(library)` opens a C library (ctypes.CDLL by default); injected by the tests.
    """
    opener = load or ctypes.CDLL
    try:
        if platform == "win32":
            heapmin = opener("ucrtbase")._heapmin  # type: ignore[attr-defined]
            return "_heapmin", lambda: heapmin()
        if platform.startswith("linux"):
            trim = opener(ctypes.util.find_library("c") or "libc.so.6").malloc_trim  # type: ignore[attr-defined]
            return "malloc_trim", lambda: trim(0)
    except (OSError, AttributeError):  # not glibc (musl), or no UCRT
        pass
    return "", None


def _chosen() -> tuple[str, Release | None]:
    global _release, _release_name, _looked
    if not _looked:
        _looked = True
        _release_name, _release = choose_release(sys.platform)
    return _release_name, _release


def release_free_memory() -> float:
    """Returns the milliseconds it took (0 where there is nothing to call)."""
    name, release = _chosen()
    if release is None:
        return 0.0
    start = time.perf_counter()
    try:
        release()
    except Exception as exc:  # a foreign C library must never stop the kiosk
        log.warning("%s failed: %s", name, exc)
        return 0.0
    return (time.perf_counter() - start) * 1000
