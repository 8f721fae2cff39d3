"""Giving freed memory back to the system when a visit ends.

A visit builds and drops pictures, text layouts and leaflet previews. Python and Qt free all
of it (the soak counts objects), but glibc's allocator keeps the freed pages for later, in
several arenas, so the resident size creeps up by a few MiB in steps over thousands of visits
although nothing leaks. `malloc_trim(0)` hands those pages back; it is called once a visit is
over, when nobody waits for the screen. Elsewhere than glibc (Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

_trim: Callable[[int], int] | None = None
_looked = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
        except (OSError, AttributeError):  # not glibc
            _trim = None
    return _trim


def release_free_memory() -> float:
    """Returns the milliseconds it took (0 where there is nothing to call)."""
    trim = _malloc_trim()
    if trim is None:
        return 0.0
    start = time.perf_counter()
    try:
        trim(0)
    except Exception as exc:  # a foreign C library must never stop the kiosk
        log.warning("malloc_trim failed: %s", exc)
        return 0.0
    return (time.perf_counter() - start) * 1000
