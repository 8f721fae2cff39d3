"""Small reusable widgets: text that fits, pictures, buttons, the contact bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.model import Contact
from kiosk.paper.pictures import draw_picture  # noqa: F401 (used by screens)
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)


class FitLabel(QLabel):
    """Word-wrapped text that shrinks, step by step, until it fits its box.

    Translations differ in length by half or more; the box is fixed by the layout, so the
    text adapts rather than being clipped. `min_px` is the floor: below it `fits()` is False
    and the layout test fails, which is how an over-long translation is caught.
    """

    def __init__(self, max_px: int, min_px: int, bold: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_px = max_px
        self.min_px = min_px
        self._base = (max_px, min_px)
        self.scale = 1.0
        self._bold = bold
        self._fitted_for: tuple[str, int, int] | None = None
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(1, 1)
        self._apply_px(max_px)

    def set_scale(self, scale: float) -> None:
        """Large text: the size and the floor grow together, then the text fits again."""
        if scale != self.scale:
            self.scale = scale
            self.max_px, self.min_px = (round(px * scale) for px in self._base)
            self._fitted_for = None
            self._apply_px(self.max_px)
            self._fit()

    def refit(self) -> None:
        """After a change of the box that is no resize (a style sheet's padding or border)."""
        self._fitted_for = None
        self._fit()

    def _apply_px(self, px: int) -> None:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self._bold)
        super().setFont(font)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802
        # Ask for little so that the layout, not the text, decides the box.
        return QSize(self.min_px * 4, self.min_px * 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(1, 1)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        # A word-wrapped QLabel asks for the height of its text at its current size, which made
        # the layout squeeze the buttons beside it below their minimum (the quiz's answers came
        # 1.3 mm apart). The layout decides; the text shrinks to fit.
        return False

    def _needed(self, px: int, width: int) -> tuple[int, int]:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self._bold)
        metrics = QFontMetrics(font)
        rect = metrics.boundingRect(0, 0, width, 100_000, int(Qt.TextFlag.TextWordWrap | self.alignment()),
                                    self.text())
        widest_word = max((metrics.horizontalAdvance(w) for w in self.text().split()), default=0)
        return rect.height(), widest_word

    def _fit(self) -> None:
        width, height = self.contentsRect().width(), self.contentsRect().height()
        key = (self.text(), width, height)
        if width <= 1 or height <= 1 or key == self._fitted_for:
            return
        self._fitted_for = key
        px = self.max_px
        while px > self.min_px:
            need_h, widest = self._needed(px, width)
            if need_h <= height and widest <= width:
                break
            px = max(self.min_px, int(px * 0.92))
        self._apply_px(px)

    def fits(self) -> bool:
        """True when the whole text is visible at or above the floor size."""
        width, height = self.contentsRect().width(), self.contentsRect().height()
        need_h, widest = self._needed(self.font().pixelSize(), width)
        return need_h <= height and widest <= width


class Picture(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(1, 1)

    def set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.update()

    @property
    def path(self) -> Path | None:
        return self._path

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 300)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_picture(painter, self._path, QRectF(self.rect()))
        painter.end()


def apply_text_size(root: QWidget, theme: Theme) -> None:
    """Every text under `root` at the theme's size: for large text switched on or off, and for
    a screen built while it is on. Only widgets whose font came from `Theme.set_font` (and
    every FitLabel) change; the staff screens have none."""
    scale = theme.text_scale
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, FitLabel):
            widget.set_scale(scale)
        elif widget.property("font_mm") is not None and widget.property("font_scale") != scale:
            theme.set_font(widget, widget.property("font_mm"), bool(widget.property("font_bold")))
        if isinstance(widget, IconButton):
            widget.set_icon_scale(scale)


class IconButton(QPushButton):
    """A button with an SVG icon drawn for its exact size and the screen's pixel ratio, so it
    stays sharp at any size (a QIcon from a pixmap would be scaled and blur)."""

    def __init__(self, icon: Path, size_px: int, colour: str = "white", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        try:
            self._svg = icon.read_text(encoding="utf-8")
        except OSError as exc:  # a damaged install: the button still works, without its picture
            log.error("icon %s cannot be read: %s", icon, exc)
            self._svg = ""
        self._colour = colour
        self._base_px = size_px
        self._scale = 1.0
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._render_icon()

    def set_icon_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = scale
            self._render_icon()

    def set_icon_colour(self, colour: str) -> None:
        """The icons are drawn in `currentColor`: the colour of the button's text."""
        if colour != self._colour:
            self._colour = colour
            self._render_icon()

    def _render_icon(self) -> None:
        if not self._svg:
            return
        from PySide6.QtCore import QByteArray
        from PySide6.QtGui import QIcon, QPixmap
        from PySide6.QtSvg import QSvgRenderer

        side = round(self._base_px * self._scale)
        gap = round(side * 0.4)  # between the picture and the words: Qt's own spacing is a few pixels
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round((side + gap) * ratio), round(side * ratio))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        svg = QSvgRenderer(QByteArray(self._svg.replace("currentColor", self._colour).encode()))
        svg.render(painter, QRectF(0, 0, side * ratio, side * ratio))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        self.setIcon(QIcon(pixmap))
        self.setIconSize(QSize(side + gap, side))

    @property
    def icon_px(self) -> int:
        return self.iconSize().width()


def big_button(text: str = "", role: str = "primary", parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


def text_fits(button: QPushButton) -> bool:
    metrics = QFontMetrics(button.font())
    lines = button.text().split("\n")
    need_w = max(metrics.horizontalAdvance(line) for line in lines)
    pad = 8
    return need_w + pad <= button.width() and metrics.height() * len(lines) <= button.height()


class ContactBar(QFrame):
    """The phone numbers, from the manifest, on every visitor screen.

    One cell per contact is built once and then only shown, hidden or relabelled: the bar
    changes with every screen, and rebuilding widgets each time would churn memory.
    """

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ContactBar")
        self.theme = theme
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(theme.mm(4), theme.mm(2), theme.mm(4), theme.mm(2))
        self._layout.setSpacing(theme.mm(6))
        self._cells: dict[str, tuple[QWidget, QLabel, QLabel]] = {}
        self._shown: list[Contact] = []

    def _cell(self, contact: Contact) -> tuple[QWidget, QLabel, QLabel]:
        if contact.id not in self._cells:
            cell = QWidget(self)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            number = QLabel(contact.display)
            self.theme.set_font(number, 7.5 if contact.primary else 5.5, bold=True)
            name = QLabel()
            self.theme.set_font(name, 3.6 if contact.primary else 3.2)
            name.setWordWrap(True)
            column.addWidget(number)
            column.addWidget(name)
            column.addStretch(1)
            self._cells[contact.id] = (cell, number, name)
        return self._cells[contact.id]

    def set_contacts(self, contacts: tuple[Contact, ...], language: str) -> None:
        if list(contacts) != self._shown:
            for cell, _n, _l in self._cells.values():
                self._layout.removeWidget(cell)
                cell.hide()
            for contact in contacts:
                cell, _number, _name = self._cell(contact)
                self._layout.addWidget(cell, 3 if contact.primary else 2)
                cell.show()
            self._shown = list(contacts)
        for contact in contacts:
            _cell, number, name = self._cells[contact.id]
            number.setText(contact.display)
            name.setText(contact.name.get(language) if not contact.primary
                         else f"{contact.name.get(language)}: {contact.purpose.get(language)}")

    def numbers(self) -> list[str]:
        return [self._cells[c.id][1].text() for c in self._shown]
