"""Sizes in millimetres, two palettes (the normal one, and large text with high contrast), the bundled font."""

from __future__ import annotations

import math
from dataclasses import dataclass

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

# How much larger every visitor text is with "large text" on: enough to be seen from a step
# further back, little enough that the longest Kazakh and Uzbek texts still fit whole.
LARGE_TEXT_SCALE = 1.35


@dataclass(frozen=True)
class Palette:
    paper: str
    ink: str
    muted: str
    accent: str  # the background of a main button, white text on it
    accent_pressed: str
    secondary_ink: str  # text and border of a secondary (white) button
    secondary_pressed: str
    exit: str
    bar: str  # the contact bar, white text on it
    right: str
    wrong: str
    disabled: str  # the background of a disabled button
    disabled_ink: str
    number: str  # the big phone number on the result screen
    fault: tuple[str, str]  # a print fault: background, edge
    ok: tuple[str, str]  # a print under way: background, edge
    border_mm: float  # the border of a secondary button


NORMAL = Palette(paper=PAPER, ink=INK, muted=MUTED, accent=ACCENT, accent_pressed=ACCENT_DARK,
                 secondary_ink=ACCENT_DARK, secondary_pressed="#ccfbf1", exit=EXIT, bar=BAR, right=RIGHT,
                 wrong=WRONG, disabled="#9ca3af", disabled_ink="#f3f4f6", number=ACCENT_DARK,
                 fault=("#fef3c7", "#b45309"), ok=("#dcfce7", "#15803d"), border_mm=0.6)

# Black on white, every text at least 7:1 (WCAG AAA; tests/test_a11y.py measures each pair).
HIGH_CONTRAST = Palette(paper="#ffffff", ink="#000000", muted="#1f1f1f", accent="#00463f",
                        accent_pressed="#002622", secondary_ink="#000000", secondary_pressed="#d9d9d9",
                        exit="#000000", bar="#000000", right="#0a5c1f", wrong="#8f0f0f", disabled="#ffffff",
                        disabled_ink="#4d4d4d", number="#00463f", fault=("#ffffff", "#8f0f0f"),
                        ok=("#ffffff", "#0a5c1f"), border_mm=0.9)


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""

    def luminance(name: str) -> float:
        colour = QColor(name)
        channels = [colour.redF(), colour.greenF(), colour.blueF()]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dpi_from_diagonal(diagonal_in: float, pixels: tuple[int, int]) -> float:
    """Pixels per inch of a screen of `pixels` whose visible diagonal is `diagonal_in` inches
    (square pixels: the aspect ratio is the pixels')."""
    return math.hypot(*pixels) / diagonal_in


def screen_dpi(diagonal_in: float, size: tuple[int, int] | None = None) -> float | None:
    """The pixels per inch of the kiosk's screen from the site setting `screen_diagonal_in`,
    for the window's size (`--size`) or else the whole screen's; None when it is not set, and
    then the screen's own report (its EDID, often missing or wrong on cheap panels) is used."""
    if diagonal_in <= 0:
        return None
    if size is None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return None
        size = (screen.geometry().width(), screen.geometry().height())
    return dpi_from_diagonal(diagonal_in, size)


def use_bundled_fonts() -> str:
    """Registers the bundled fonts and makes them the application's font, so that every label
    without a font of its own (the headings: kiosk.ui.widgets.FitLabel) is Noto Sans on every
    platform. Under Windows' font engine the application's default face ("MS Shell Dlg 2") fell
    back to a serif one for them (found under Wine). Returns the family."""
    family = load_fonts()
    font = QFont(QGuiApplication.font())
    font.setFamilies([family, SYMBOLS_FAMILY])
    QGuiApplication.setFont(font)
    return family


class Theme:
    def __init__(self, dpi: float | None = None, family: str = FAMILY_FALLBACK) -> None:
        if dpi is None:
            screen = QGuiApplication.primaryScreen()
            dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        # Screens that report nothing (or nonsense, as some projectors do) get 96 dpi.
        self.dpi = dpi if 50 <= dpi <= 400 else 96.0
        self.family = family
        self.large = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.large else NORMAL

    @property
    def text_scale(self) -> float:
        return LARGE_TEXT_SCALE if self.large else 1.0

    def mm(self, millimetres: float) -> int:
        return round(millimetres * self.dpi / 25.4)

    @property
    def button_height(self) -> int:
        return self.mm(16)

    @property
    def gap(self) -> int:
        return self.mm(3)

    def font(self, size_mm: float, bold: bool = False, scaled: bool = True) -> QFont:
        """The font for text `size_mm` high, larger with large text on (unless not `scaled`)."""
        font = QFont()
        font.setFamilies([self.family, SYMBOLS_FAMILY])
        font.setPixelSize(max(8, self.mm(size_mm * (self.text_scale if scaled else 1.0))))
        font.setBold(bold)
        return font

    def set_font(self, widget: object, size_mm: float, bold: bool = False) -> None:
        """Gives `widget` its font and remembers the size, so that large text can redo it
        (kiosk.ui.widgets.apply_text_size)."""
        widget.setProperty("font_mm", float(size_mm))  # type: ignore[attr-defined]
        widget.setProperty("font_bold", bool(bold))  # type: ignore[attr-defined]
        widget.setProperty("font_scale", self.text_scale)  # type: ignore[attr-defined]
        widget.setFont(self.font(size_mm, bold))  # type: ignore[attr-defined]

    def stylesheet(self) -> str:
        r = self.mm(2)
        p = self.palette
        # High contrast: a disabled button is white with a dashed outline and dark grey text (8:1),
        # not pale grey on grey.
        disabled_border = f" border: {self.mm(p.border_mm)}px dashed {p.disabled_ink};" if self.large else ""
        return f"""
        QWidget#KioskWindow, QStackedWidget, QWidget[screen="true"] {{ background: {p.paper}; color: {p.ink}; }}
        QLabel {{ color: {p.ink}; background: transparent; }}
        QLabel[role="muted"] {{ color: {p.muted}; }}
        QPushButton {{
            background: {p.accent}; color: white; border: none; border-radius: {r}px;
            padding: 0 {self.mm(4)}px; min-height: {self.button_height}px;
        }}
        QPushButton:pressed {{ background: {p.accent_pressed}; }}
        QPushButton:disabled {{ background: {p.disabled}; color: {p.disabled_ink};{disabled_border} }}
        QPushButton[role="secondary"] {{ background: white; color: {p.secondary_ink};
            border: {self.mm(p.border_mm)}px solid {p.secondary_ink if self.large else p.accent}; }}
        QPushButton[role="secondary"]:pressed {{ background: {p.secondary_pressed}; }}
        QPushButton[role="secondary"]:checked {{ background: {p.ink if self.large else p.accent_pressed};
            color: white; border-color: {p.ink if self.large else p.accent_pressed}; }}
        QPushButton[role="exit"] {{ background: {p.exit}; color: white; }}
        QPushButton[role="arrow"] {{ background: {p.accent}; border-radius: {self.mm(8)}px; }}
        QPushButton[role="arrow"]:disabled {{ background: {p.disabled}; }}
        QFrame#ContactBar {{ background: {p.bar}; }}
        QFrame#ContactBar QLabel {{ color: white; }}
        QFrame#IdleOverlay {{ background: rgba(15, 23, 42, 200); }}
        QFrame#IdleCard {{ background: white; border-radius: {self.mm(3)}px; }}
        """


def color(name: str) -> QColor:
    return QColor(name)
