"""Owns one kiosk's settings: the file, the settings in force (SiteConfig), opening hours, the daily restart.
Never knows about a visitor, a pack or a statistic.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "config": "SiteConfig resolve_languages",
        "schedule": "Schedule",
        "settings": "RANGES Settings default_data_dir load_settings save_settings settings_path",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .config import SiteConfig as SiteConfig
    from .config import resolve_languages as resolve_languages
    from .schedule import Schedule as Schedule
    from .settings import RANGES as RANGES
    from .settings import Settings as Settings
    from .settings import default_data_dir as default_data_dir
    from .settings import load_settings as load_settings
    from .settings import save_settings as save_settings
    from .settings import settings_path as settings_path
