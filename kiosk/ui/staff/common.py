"""What every staff tab shares: the narrow view of the staff screen it is given, the strings of the
staff frame, label and scroll helpers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QWidget

from kiosk.core.model import N_
from kiosk.ui.theme import Theme

if TYPE_CHECKING:
    from kiosk.core.model import I18n
    from kiosk.core.packs import ContentChoice
    from kiosk.core.site import SiteConfig
    from kiosk.core.staff import StaffGate
    from kiosk.core.visit import Session

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


@runtime_checkable
class Staff(Protocol):
    """What a staff tab (and the PIN pad) may use of the staff screen that builds it, and no more.

    The staff screen (kiosk/ui/staff/mode.py, `StaffMode`) builds the tabs and hands itself in as
    this; the tabs never import the module that builds them (an import contract in pyproject.toml)."""

    session: Session
    config: SiteConfig
    i18n: I18n
    theme: Theme
    data_dir: Path
    choice: ContentChoice
    stats: Any  # the statistics store, or None where there is none
    printer: Any  # the printing backend (kiosk.core.visit.LeafletPrinter)
    health: Any  # the kiosk's health files (kiosk.ui.health.HealthWriter), or None where there are none
    language: str  # the staff language
    gate: StaffGate
    safe_mode_reason: str | None  # why the kiosk runs in safe mode; None in normal mode

    def t(self, message: str) -> str: ...

    def close(self) -> None: ...

    def reread_pin(self) -> None: ...

    def show_panel(self) -> None: ...

    def export_folders(self) -> list[Path]: ...

    def exit_kiosk(self) -> None: ...

    def restart_kiosk(self) -> None: ...

    def leave_safe_mode(self) -> None: ...  # OSError when the safe-mode state cannot be written
