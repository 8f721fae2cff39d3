"""What every staff tab shares: the strings of the staff frame, label and scroll helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QWidget

from kiosk.core.i18n import N_
from kiosk.ui.theme import Theme

# TRANSLATORS: button that leaves the PIN pad or the staff screen for the kiosk.
CLOSE = N_("Close")


def label(theme: Theme, size: float = 4.5, bold: bool = False, wrap: bool = True) -> QLabel:
    widget = QLabel()
    widget.setFont(theme.font(size, bold=bold))
    widget.setWordWrap(wrap)
    return widget


def set_role(button: QPushButton, role: str) -> None:
    """Primary (chosen) or secondary; the style sheet draws them apart."""
    if button.property("role") != role:
        button.setProperty("role", role)
        button.style().unpolish(button)
        button.style().polish(button)


def scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    page.setObjectName("StaffPage")
    page.setStyleSheet("QWidget#StaffPage { background: #f8fafc; }")
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class Tab(QWidget):
    """One tab of the staff screen: built once, `refresh()` fills it in the staff language."""

    title = ""

    def refresh(self) -> None:
        raise NotImplementedError
