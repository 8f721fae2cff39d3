"""The staff screen's printer tab: which printer, its state, a test page, a stack of leaflets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.core.content import NATIVE_NAMES
from kiosk.core.i18n import N_
from kiosk.printing.cups import CommandResult, PrintJob, run_command
from kiosk.printing.cups_status import PrintStatus
from kiosk.ui.widgets import big_button

if TYPE_CHECKING:
    from kiosk.ui.staff import StaffMode

log = logging.getLogger(__name__)

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


def test_page_pdf(kiosk_id: str, printer: str) -> bytes:
    """A one-page PDF that says what it is, so staff know which kiosk and printer it came from."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    painter = QPainter(writer)
    font = QFont("Noto Sans")
    font.setPointSize(20)
    painter.setFont(font)
    page = QRectF(painter.viewport())
    text = (f"Kiosk test page\n\nkiosk: {kiosk_id}\nprinter: {printer or 'default'}\n"
            f"{dt.datetime.now():%Y-%m-%d %H:%M}\n\nТест · Сынақ · Sinov")
    painter.drawText(page, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text)
    for i in range(6):  # grey steps: shows whether the toner is low
        painter.fillRect(QRectF(i * page.width() / 6, page.height() * 0.7, page.width() / 6, page.height() * 0.1),
                         Qt.GlobalColor.black if i == 0 else [Qt.GlobalColor.darkGray, Qt.GlobalColor.gray,
                                                              Qt.GlobalColor.lightGray, Qt.GlobalColor.white,
                                                              Qt.GlobalColor.white][i - 1])
    painter.end()
    buffer.close()
    return bytes(data.data())


class PrinterTab:
    def __init__(self, staff: StaffMode, layout: QVBoxLayout) -> None:
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
        layout.addWidget(self.current)
        layout.addWidget(self.state)
        layout.addLayout(self.printers_row)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.stack_row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        self.job: PrintJob | None = None
        self.printers: list[str] = []

    @property
    def printer(self) -> str:
        return self.staff.pending.printer

    def refresh(self) -> None:
        t = self.staff.t
        self.current.setText(t(P_CURRENT).format(printer=self.printer or t(P_SYSTEM_DEFAULT)))
        self.test.setText(t(P_TEST))
        self.again.setText(t(P_REFRESH))
        self.stack_label.setText(t(P_STACK).format(count=self.count))
        content = self.staff.kiosk.session.content
        for lang, button in self.language_buttons.items():
            button.setVisible(lang in content.languages and content.leaflet is not None)
        run_command(self.staff, ["lpstat", "-e"], 2000, self._on_printers)
        args = ["lpstat", "-p", self.printer] if self.printer else ["lpstat", "-d", "-p"]
        run_command(self.staff, args, 2000, self._on_state)

    def _on_printers(self, result: CommandResult) -> None:
        self.printers = [line.strip() for line in result.out.splitlines() if line.strip()] if result.ok else []
        for button in self.printer_buttons:
            self.printers_row.removeWidget(button)
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
        if not self.printers:
            self.state.setText(self.staff.t(P_NONE))

    def _on_state(self, result: CommandResult) -> None:
        if self.printers or result.ok:
            text = result.text
            self.state.setText(self.staff.t(P_STATE).format(state=text))

    def use(self, printer: str) -> None:
        """Choosing a printer is saved at once: it is the one thing staff change here."""
        from kiosk.app import apply_settings
        from kiosk.core.settings import save_settings

        self.staff.pending = dataclasses.replace(self.staff.pending, printer=printer)
        try:
            save_settings(self.staff.settings_file, self.staff.pending)
        except OSError as exc:
            log.error("printer choice not saved: %s", exc)
        apply_settings(self.staff.kiosk, self.staff.pending)
        log.info("staff chose the printer %s", printer)
        self.refresh()

    def _step(self, step: int) -> None:
        self.count = max(1, min(100, self.count + step))
        self.refresh()

    def print_test_page(self) -> None:
        self._start(PrintJob(self.printer, 1, "Kiosk test page", parent=self.staff),
                    test_page_pdf(self.staff.kiosk.settings.kiosk_id, self.printer))

    def print_stack(self, language: str) -> None:
        from kiosk.paper.pdf import leaflet_pdf

        content = self.staff.kiosk.session.content
        title = f"Leaflet {language} x{self.count}"
        self._start(PrintJob(self.printer, self.count, title, parent=self.staff), leaflet_pdf(content, language))
        for _ in range(self.count):  # the figures count leaflets; "staff" tells a seminar stack apart
            self.staff.kiosk.session.stats.record("leaflet_printed", language, "staff")

    def _start(self, job: PrintJob, pdf: bytes) -> None:
        self.job = job
        job.status_changed.connect(self._on_status)
        job.start(pdf)

    def _on_status(self, status: PrintStatus, detail: str) -> None:
        t = self.staff.t
        self.status.setText(t(P_STATUS).format(status=t(STATUS_NAMES.get(status, status.value)), detail=detail))
        if status not in (PrintStatus.CHECKING, PrintStatus.PRINTING, PrintStatus.DONE):
            log.warning("staff print: %s: %s", status.value, detail)
