"""The staff Printer tab: which printer, its state, a test page, a stack of leaflets.

Everything goes through the printing seam (kiosk/core/printer.py): the tab never runs a
print system's command itself.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.core.content import NATIVE_NAMES
from kiosk.core.i18n import N_
from kiosk.core.printer import PrintOrder, PrintStatus
from kiosk.ui.staff.common import Tab
from kiosk.ui.widgets import big_button

if TYPE_CHECKING:
    from kiosk.ui.staff.mode import StaffMode

log = logging.getLogger(__name__)

# TRANSLATORS: staff screen tab.
TAB_PRINTER = N_("Printer")
# TRANSLATORS: staff printer tab.
P_CURRENT = N_("The kiosk prints on: {printer}")
P_SYSTEM_DEFAULT = N_("the system's default printer")
P_STATE = N_("State reported by the print system: {state}")
P_NONE = N_("No printer is installed. Install one in the system's printer settings (CUPS).")
P_USE = N_("Use {printer}")
P_TEST = N_("Print a test page")
P_STACK = N_("Print {count} leaflets in:")
P_STATUS = N_("Print job: {status}. {detail}")
P_REFRESH = N_("Look again")
STATUS_NAMES = {
    PrintStatus.CHECKING: N_("checking the printer"),
    PrintStatus.PRINTING: N_("printing"),
    PrintStatus.DONE: N_("done"),
    PrintStatus.NO_PRINTER: N_("no printer"),
    PrintStatus.PRINTER_STOPPED: N_("the printer is stopped"),
    PrintStatus.PRINTER_ERROR: N_("the printer reports a fault"),
    PrintStatus.PRINTER_MISSING: N_("the printer does not exist"),
    PrintStatus.CUPS_DOWN: N_("the print system is not running"),
    PrintStatus.JOB_FAILED: N_("the job failed"),
    PrintStatus.LIMIT_REACHED: N_("the paper limit is reached"),
    PrintStatus.CANCELLED: N_("cancelled"),
}


class PrinterTab(Tab):
    title = TAB_PRINTER

    def __init__(self, staff: StaffMode) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.current = QLabel()
        self.current.setFont(t.font(4.5, bold=True))
        self.current.setWordWrap(True)
        self.state = QLabel()
        self.state.setFont(t.font(4))
        self.state.setWordWrap(True)
        self.printers_row = QHBoxLayout()
        self.printer_buttons: list[QPushButton] = []
        self.test = big_button()
        self.test.clicked.connect(self.print_test_page)
        self.count = 10
        self.minus, self.plus = big_button("−"), big_button("+")
        self.minus.clicked.connect(lambda: self._step(-5))
        self.plus.clicked.connect(lambda: self._step(5))
        self.stack_label = QLabel()
        self.stack_label.setFont(t.font(4.5))
        self.stack_row = QHBoxLayout()
        self.stack_row.addWidget(self.minus)
        self.stack_row.addWidget(self.stack_label)
        self.stack_row.addWidget(self.plus)
        self.language_buttons: dict[str, QPushButton] = {}
        for lang, name in NATIVE_NAMES.items():
            button = big_button(name, role="secondary")
            button.clicked.connect(lambda _=False, lang=lang: self.print_stack(lang))
            self.stack_row.addWidget(button)
            self.language_buttons[lang] = button
        self.stack_row.addStretch(1)
        self.status = QLabel()
        self.status.setFont(t.font(4.2))
        self.status.setWordWrap(True)
        self.again = big_button(role="secondary")
        self.again.clicked.connect(self.refresh)
        for button in (self.test, self.minus, self.plus, self.again, *self.language_buttons.values()):
            button.setFont(t.font(4.5, bold=True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.state)
        layout.addLayout(self.printers_row)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.stack_row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        self.job: PrintOrder | None = None
        self.printers: list[str] = []
        self._state: tuple[bool, str] = (False, "")  # the print system's last word on the printer

    @property
    def printer(self) -> str:
        return self.staff.config.settings.printer

    def refresh(self) -> None:
        t = self.staff.t
        self.current.setText(t(P_CURRENT).format(printer=self.printer or t(P_SYSTEM_DEFAULT)))
        self.test.setText(t(P_TEST))
        self.again.setText(t(P_REFRESH))
        self.stack_label.setText(t(P_STACK).format(count=self.count))
        content = self.staff.session.content
        for lang, button in self.language_buttons.items():
            button.setVisible(lang in content.languages and content.leaflet is not None)
        self._show_state()  # what is known now, in the staff language; then ask the print system again
        backend = self.staff.printer
        if backend is None:
            self._on_printers([])
            return
        backend.list_printers(self._on_printers)
        backend.describe(self.printer, self._on_state)

    def _on_printers(self, printers: list[str]) -> None:
        self.printers = printers
        for button in self.printer_buttons:
            self.printers_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.printer_buttons = []
        for name in self.printers:
            button = big_button(self.staff.t(P_USE).format(printer=name),
                                role="primary" if name == self.printer else "secondary")
            button.setFont(self.staff.theme.font(4.2))
            button.clicked.connect(lambda _=False, n=name: self.use(n))
            self.printers_row.addWidget(button)
            button.show()
            self.printer_buttons.append(button)
        self._show_state()

    def _on_state(self, ok: bool, text: str) -> None:
        self._state = (ok, text)
        self._show_state()

    def _show_state(self) -> None:
        ok, text = self._state
        if self.printers or ok:
            self.state.setText(self.staff.t(P_STATE).format(state=text))
        else:
            self.state.setText(self.staff.t(P_NONE))

    def use(self, printer: str) -> None:
        """Choosing a printer is saved and in force at once: the next leaflet goes there."""
        try:
            self.staff.config.update(printer=printer)
        except OSError as exc:
            log.error("printer choice not saved: %s", exc)
            return
        log.info("staff chose the printer %s", printer)
        self.refresh()

    def _step(self, step: int) -> None:
        self.count = max(1, min(100, self.count + step))
        self.refresh()

    def print_test_page(self) -> None:
        if self.staff.printer is None:
            return
        self.job = self.staff.printer.print_test_page(self.staff.config.settings.kiosk_id, self.printer,
                                                      self._on_status)

    def print_stack(self, language: str) -> None:
        if self.staff.printer is None:
            return
        content = self.staff.session.content
        self.job = self.staff.printer.print_leaflet(content, language, self.printer, self.count, self._on_status)
        for _ in range(self.count):  # the figures count leaflets; "staff" tells a seminar stack apart
            self.staff.session.stats.record("leaflet_printed", language, "staff")

    def _on_status(self, status: PrintStatus, detail: str) -> None:
        t = self.staff.t
        self.status.setText(t(P_STATUS).format(status=t(STATUS_NAMES.get(status, status.value)), detail=detail))
