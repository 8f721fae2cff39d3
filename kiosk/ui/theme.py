"""Sizes in millimetres, one palette, the bundled font."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication

from kiosk.paper.fonts import FAMILY_FALLBACK, SYMBOLS_FAMILY, load_fonts  # noqa: F401

INK = "#1f2937"
MUTED = "#4b5563"
PAPER = "#f8fafc"
ACCENT = "#0f766e"  # teal: the kiosk's own colour
ACCENT_DARK = "#115e59"
BAR = "#134e4a"
RIGHT = "#15803d"
WRONG = "#b91c1c"
EXIT = "#374151"


class Theme:
    def __init__(self, dpi: float | None = None, family: str = FAMILY_FALLBACK) -> None:
        if dpi is None:
            screen = QGuiApplication.primaryScreen()
            dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        # Screens that report nothing (or nonsense, as some projectors do) get 96 dpi.
        self.dpi = dpi if 50 <= dpi <= 400 else 96.0
        self.family = family

    def mm(self, millimetres: float) -> int:
        return round(millimetres * self.dpi / 25.4)

    @property
    def button_height(self) -> int:
        return self.mm(16)

    @property
    def gap(self) -> int:
        return self.mm(3)

    def font(self, size_mm: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies([self.family, SYMBOLS_FAMILY])
        font.setPixelSize(max(8, self.mm(size_mm)))
        font.setBold(bold)
        return font

    def stylesheet(self) -> str:
        r = self.mm(2)
        return f"""
        QWidget#KioskWindow, QStackedWidget, QWidget[screen="true"] {{ background: {PAPER}; color: {INK}; }}
        QLabel {{ color: {INK}; background: transparent; }}
        QLabel[role="muted"] {{ color: {MUTED}; }}
        QPushButton {{
            background: {ACCENT}; color: white; border: none; border-radius: {r}px;
            padding: 0 {self.mm(4)}px; min-height: {self.button_height}px;
        }}
        QPushButton:pressed {{ background: {ACCENT_DARK}; }}
        QPushButton:disabled {{ background: #9ca3af; color: #f3f4f6; }}
        QPushButton[role="secondary"] {{ background: white; color: {ACCENT_DARK}; border: {self.mm(0.6)}px solid {ACCENT}; }}
        QPushButton[role="secondary"]:pressed {{ background: #ccfbf1; }}
        QPushButton[role="exit"] {{ background: {EXIT}; color: white; }}
        QPushButton[role="arrow"] {{ background: {ACCENT}; border-radius: {self.mm(8)}px; }}
        QFrame#ContactBar {{ background: {BAR}; }}
        QFrame#ContactBar QLabel {{ color: white; }}
        QFrame#IdleOverlay {{ background: rgba(15, 23, 42, 200); }}
        QFrame#IdleCard {{ background: white; border-radius: {self.mm(3)}px; }}
        """


def color(name: str) -> QColor:
    return QColor(name)
