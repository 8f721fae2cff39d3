"""The staff Printer tab: which printer, its state, a test page, a stack of leaflets.

Everything goes through the printing seam (kiosk/core/visit/printer.py): the tab never runs a
print system's command itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.core.model import N_, NATIVE_NAMES, escape_controls, render
from kiosk.core.visit import PrinterCondition, PrinterReport, PrintOrder, PrintStatus, condition_after_job
from kiosk.ui.staff.common import Staff, Tab
from kiosk.ui.theme import RIGHT, WRONG
from kiosk.ui.widgets import big_button

log = logging.getLogger(__name__)

# TRANSLATORS: staff screen tab.
TAB_PRINTER = N_("Printer")
# TRANSLATORS: staff printer tab: the printer named in the settings.
P_CURRENT = N_("The kiosk prints on: {printer}")
# TRANSLATORS: staff printer tab: none in the settings, the computer's default is used.
P_CURRENT_DEFAULT = N_("The kiosk prints on the computer's default printer: {printer}")
P_USE = N_("Use {printer}")
P_TEST = N_("Print a test page")
P_STACK = N_("Print {count} leaflets in:")
# TRANSLATORS: staff printer tab: a button staff press after putting new paper in the printer.
P_REFILLED = N_("Paper refilled")
# TRANSLATORS: staff printer tab: {count} leaflets printed since staff last pressed "Paper refilled".
P_SHEETS = N_("Sheets printed since the paper was refilled: {count}")
# TRANSLATORS: staff printer tab: "Paper refilled" has never been pressed on this kiosk.
P_SHEETS_UNKNOWN = N_("Press \"Paper refilled\" after putting in new paper: the NGO then sees when paper runs low.")
# TRANSLATORS: staff printer tab: the last print job's state, e.g. "Print job: done."
P_JOB = N_("Print job: {status}.")
P_REFRESH = N_("Look again")
# TRANSLATORS: staff printer tab: button that shows (or hides) what the print system says, in its own words.
P_DETAILS = N_("Details")
P_HIDE_DETAILS = N_("Hide details")
P_LOOKING = N_("Looking at the printer…")
STATUS_NAMES = {
    PrintStatus.CHECKING: N_("checking the printer"),
    PrintStatus.PRINTING: N_("printing"),
    PrintStatus.DONE: N_("done"),
    PrintStatus.SENT: N_("sent; the computer cannot say whether it printed"),
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
    """The printer's state in big plain words with what to do, the printers to choose from, a test
    page and a stack of leaflets; what the print system itself says is behind "Details"."""

    title = TAB_PRINTER

    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.headline = QLabel()
        self.headline.setFont(t.font(6.5, bold=True))
        self.headline.setWordWrap(True)
        self.action = QLabel()
        self.action.setFont(t.font(4.5))
        self.action.setWordWrap(True)
        self.current = QLabel()
        self.current.setFont(t.font(4.2))
        self.current.setWordWrap(True)
        self.printers_row = QHBoxLayout()
        self.printers_row.addStretch(1)
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
        self.refilled = big_button(role="secondary")
        self.refilled.clicked.connect(self.paper_refilled)
        self.sheets = QLabel()
        self.sheets.setFont(t.font(4.2))
        self.sheets.setWordWrap(True)
        self.paper_row = QHBoxLayout()
        self.paper_row.addWidget(self.refilled)
        self.paper_row.addWidget(self.sheets, 1)
        self.status = QLabel()
        self.status.setFont(t.font(4.2))
        self.status.setWordWrap(True)
        self.again = big_button(role="secondary")
        self.again.clicked.connect(self.refresh)
        self.details_button = big_button(role="secondary")
        self.details_button.clicked.connect(self.toggle_details)
        self.details = QLabel()
        self.details.setFont(t.font(3.2))
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.details.setVisible(False)
        for button in (self.test, self.minus, self.plus, self.again, self.details_button, self.refilled,
                       *self.language_buttons.values()):
            button.setFont(t.font(4.5, bold=True))
        bottom = QHBoxLayout()
        bottom.addWidget(self.again)
        bottom.addWidget(self.details_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.action)
        layout.addWidget(self.current)
        layout.addLayout(self.printers_row)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.stack_row)
        layout.addLayout(self.paper_row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(bottom)
        layout.addWidget(self.details)
        self.job: PrintOrder | None = None
        self.printers: list[str] = []
        self.report: PrinterReport | None = None  # the print system's last word on the printer
        self.job_condition: PrinterCondition | None = None  # what the last failed job showed
        self.job_detail = ""
        self.job_status: PrintStatus | None = None

    @property
    def printer(self) -> str:
        return self.staff.config.settings.printer

    @property
    def condition(self) -> PrinterCondition | None:
        """What the tab shows in big letters: the printer's state, or what the last job showed
        when the printer itself says nothing is wrong (a printer switched off may look ready)."""
        if self.report is None:
            return None
        if self.report.condition.ok and self.job_condition is not None:
            return self.job_condition
        return self.report.condition

    def refresh(self) -> None:
        t = self.staff.t
        self.test.setText(t(P_TEST))
        self.again.setText(t(P_REFRESH))
        self.stack_label.setText(t(P_STACK).format(count=self.count))
        self.refilled.setText(t(P_REFILLED))
        self._show_sheets()
        content = self.staff.session.content
        for lang, button in self.language_buttons.items():
            button.setVisible(lang in content.languages and content.leaflet is not None)
        self._show_state()  # what is known now, in the staff language; then ask the print system again
        backend = self.staff.printer
        if backend is None:
            self._on_printers([])
            self._on_report(PrinterReport(PrinterCondition.NO_PRINTERS, "", False, "printing is off"))
            return
        backend.list_printers(self._on_printers)
        backend.look_at(self.printer, self._on_report)

    def _show_sheets(self) -> None:
        health = self.staff.health
        self.refilled.setVisible(health is not None)
        self.sheets.setVisible(health is not None)
        if health is None:
            return
        used = health.sheets_used()
        self.sheets.setText(self.staff.t(P_SHEETS_UNKNOWN) if used is None
                            else self.staff.t(P_SHEETS).format(count=used))

    def paper_refilled(self) -> None:
        """Staff put new paper in: sheets are counted from here (the health files carry them)."""
        if self.staff.health is not None:
            self.staff.health.paper_refilled()
            log.info("staff: paper refilled")
        self._show_sheets()

    def _on_printers(self, printers: list[str]) -> None:
        self.printers = printers
        for button in self.printer_buttons:
            self.printers_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.printer_buttons = []
        for name in self.printers:
            button = big_button(render(P_USE, {"printer": name}, self.staff.t),
                                role="primary" if name == self.printer else "secondary")
            button.setFont(self.staff.theme.font(4.2))
            button.clicked.connect(lambda _=False, n=name: self.use(n))
            self.printers_row.insertWidget(self.printers_row.count() - 1, button)  # before the stretch
            button.show()
            self.printer_buttons.append(button)
        self._show_state()

    def _on_report(self, report: PrinterReport) -> None:
        self.report = report
        self._show_state()

    def _show_state(self) -> None:
        t = self.staff.t
        condition = self.condition
        self.details_button.setText(t(P_HIDE_DETAILS if self.details.isVisible() else P_DETAILS))
        if condition is None:
            self.headline.setText(t(P_LOOKING))
            self.headline.setStyleSheet("")
            self.action.setText("")
        else:
            self.headline.setText(t(condition.headline))
            self.headline.setStyleSheet(f"color: {RIGHT if condition.ok else WRONG};")
            self.action.setText(t(condition.action))
        report = self.report
        if report is not None and report.printer:
            self.current.setText(render(P_CURRENT if report.chosen else P_CURRENT_DEFAULT, {"printer": report.printer}, t))
        elif self.printer:
            self.current.setText(render(P_CURRENT, {"printer": self.printer}, t))
        else:
            self.current.setText("")
        self.current.setVisible(bool(self.current.text()))
        raw = report.details if report is not None else ""
        if self.job_detail:
            raw = f"{raw}\n\n{self.job_detail}".strip()
        # lpstat's words and the printer's own message come from outside: escaped, line by line
        self.details.setText(escape_controls(raw.replace("\t", "    "), lines=True))
        status = self.job_status
        self.status.setText("" if status is None else t(P_JOB).format(status=t(STATUS_NAMES.get(status, status.value))))

    def toggle_details(self) -> None:
        self.details.setVisible(not self.details.isVisible())
        self._show_state()

    def use(self, printer: str) -> None:
        """Choosing a printer is saved and in force at once: the next leaflet goes there."""
        try:
            self.staff.config.update(printer=printer)
        except OSError as exc:
            log.error("printer choice not saved: %s", exc)
            return
        log.info("staff chose the printer %s", printer)
        self.job_condition, self.job_detail = None, ""
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
        self.job_status = status
        self.job_detail = f"{status.value}: {detail}" if detail else status.value
        if status in (PrintStatus.DONE, PrintStatus.SENT):
            self.job_condition = None
        elif status.is_final and status.is_fault and status is not PrintStatus.LIMIT_REACHED:
            job = self.job
            condition = job.condition if job is not None and job.done else None
            self.job_condition = condition or condition_after_job(status, detail) or PrinterCondition.JOB_FAILED
        self._show_state()
