"""Owns content packs as files: loading and checking the YAML, the cache, `kiosk check`, the glossary.
Never knows of signed packs, statistics, staff or the appliance.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "cache": "fingerprint load_content_cached",
        "check": "check_report",
        "loader": "load_content",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .cache import fingerprint as fingerprint
    from .cache import load_content_cached as load_content_cached
    from .check import check_report as check_report
    from .loader import load_content as load_content
