"""Owns what staff do at the kiosk: the settings draft, the export to a USB stick, the PIN and its lock.
Never shows anything itself, and never installs content.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "pin": "PinCheck StaffGate hash_pin valid_pin",
        "staff": "SettingsDraft export_folders removable_folders write_statistics",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .pin import PinCheck as PinCheck
    from .pin import StaffGate as StaffGate
    from .pin import hash_pin as hash_pin
    from .pin import valid_pin as valid_pin
    from .staff import SettingsDraft as SettingsDraft
    from .staff import export_folders as export_folders
    from .staff import removable_folders as removable_folders
    from .staff import write_statistics as write_statistics
