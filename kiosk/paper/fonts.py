"""The bundled fonts, registered once: Kazakh and Uzbek letters must not depend on the PC."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from kiosk.core.model import fonts_dir

FAMILY_FALLBACK = "Noto Sans"
# Noto Sans has every letter of the four languages but not the few symbols the kiosk draws
# (✓ ✗ ✕ ← ●); DejaVu Sans, also bundled, supplies those, so no PC font is ever needed.
SYMBOLS_FAMILY = "DejaVu Sans"

_registered: str | None = None


def load_fonts() -> str:
    """Register the bundled Noto Sans; Kazakh and Uzbek letters must not depend on the PC.

    Once per process: registering a font again makes Qt drop its font caches.
    """
    global _registered
    if _registered is not None:
        return _registered
    family = FAMILY_FALLBACK
    for path in sorted(fonts_dir().glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families and path.name.startswith("NotoSans"):
            family = families[0]
    _registered = family
    return family
