"""The staff tab for statistics and exit: write the figures to a USB stick, exit or restart."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.model import N_
from kiosk.ui.staff.common import Staff, Tab, label
from kiosk.ui.staff.figures import D_NO_STATS
from kiosk.ui.widgets import big_button

log = logging.getLogger(__name__)

# TRANSLATORS: staff screen tab.
TAB_DATA = N_("Statistics and exit")
# TRANSLATORS: staff data tab.
D_WRITE_TO = N_("Write statistics (CSV and PDF report) to: {folder}")
D_WRITTEN = N_("Written: {files}")
D_NOT_WRITTEN = N_("Could not write to {folder}: {error}")
D_EXIT = N_("Exit the kiosk")
D_RESTART = N_("Restart the kiosk")
# TRANSLATORS: staff data tab, shown only in safe mode: ends safe mode at once, not after the calm hour.
D_LEAVE_SAFE = N_("Leave safe mode now")
# TRANSLATORS: staff data tab, the question after "Leave safe mode now" was tapped.
D_LEAVE_SAFE_ASK = N_("Leave safe mode now? This clears the count of unexpected stops, and the kiosk restarts in "
                      "normal mode. If the cause is not fixed, three more stops within 30 minutes bring safe mode back.")
# TRANSLATORS: staff data tab, the button that confirms leaving safe mode.
D_LEAVE_SAFE_YES = N_("Yes, leave safe mode")
# TRANSLATORS: staff data tab, the button that keeps safe mode after all.
D_CANCEL = N_("Cancel")
# TRANSLATORS: staff data tab, when the safe-mode state file cannot be written; {error} is the system's reason.
D_LEAVE_SAFE_FAILED = N_("Safe mode could not be left: {error}")
# TRANSLATORS: staff data tab: heading over the kiosk's health as the NGO's fleet page shows it.
D_HEALTH = N_("What the NGO sees of this kiosk:")


class DataTab(Tab):
    title = TAB_DATA

    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.export_box = QVBoxLayout()
        self.export_box.setSpacing(t.mm(2))
        self.export_message = label(t, 4.2)
        self.health = label(t, 4.2)
        self.exit = big_button(role="exit")
        self.restart = big_button(role="secondary")
        for button in (self.exit, self.restart):
            button.setFont(t.font(4.5, bold=True))
        self.exit.clicked.connect(staff.exit_kiosk)
        self.restart.clicked.connect(staff.restart_kiosk)
        exits = QHBoxLayout()
        exits.addWidget(self.restart)
        exits.addWidget(self.exit)
        exits.addStretch(1)
        # Safe mode only: leave it now, after a question (issue 22, item 12).
        self.leave_safe = big_button(role="secondary")
        self.leave_safe.setFont(t.font(4.5, bold=True))
        self.leave_safe.clicked.connect(self._ask_to_leave_safe_mode)
        self.leave_ask = label(t, 4.2)
        self.leave_yes = big_button(role="primary")
        self.leave_no = big_button(role="secondary")
        for button in (self.leave_yes, self.leave_no):
            button.setFont(t.font(4.5, bold=True))
        self.leave_yes.clicked.connect(self._leave_safe_mode)
        self.leave_no.clicked.connect(self._keep_safe_mode)
        answers = QHBoxLayout()
        answers.addWidget(self.leave_yes)
        answers.addWidget(self.leave_no)
        answers.addStretch(1)
        self.leave_question = QWidget()
        question = QVBoxLayout(self.leave_question)
        question.setContentsMargins(0, 0, 0, 0)
        question.addWidget(self.leave_ask)
        question.addLayout(answers)
        self.leave_message = label(t, 4.2)
        leave_row = QHBoxLayout()
        leave_row.addWidget(self.leave_safe)
        leave_row.addStretch(1)
        self.safe_box = QWidget()
        safe = QVBoxLayout(self.safe_box)
        safe.setContentsMargins(0, 0, 0, 0)
        safe.addLayout(leave_row)
        safe.addWidget(self.leave_question)
        safe.addWidget(self.leave_message)
        self.leave_question.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.export_box)
        layout.addWidget(self.export_message)
        layout.addWidget(self.health)
        layout.addStretch(1)
        layout.addWidget(self.safe_box)
        layout.addLayout(exits)
        self.export_buttons: list[tuple[Path, QPushButton]] = []

    def refresh(self) -> None:
        t = self.staff.t
        for _path, button in self.export_buttons:
            self.export_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.export_buttons = []
        for folder in self.staff.export_folders():
            button = big_button(t(D_WRITE_TO).format(folder=folder), role="secondary")
            button.setFont(self.staff.theme.font(4.2))
            button.clicked.connect(lambda _=False, f=folder: self.export_to(f))
            self.export_box.addWidget(button)
            button.show()
            self.export_buttons.append((folder, button))
        self.exit.setText(t(D_EXIT))
        self.restart.setText(t(D_RESTART))
        self.safe_box.setVisible(self.staff.safe_mode_reason is not None)
        self.leave_safe.setText(t(D_LEAVE_SAFE))
        self.leave_ask.setText(t(D_LEAVE_SAFE_ASK))
        self.leave_yes.setText(t(D_LEAVE_SAFE_YES))
        self.leave_no.setText(t(D_CANCEL))
        self.show_health()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """Another tab, or staff mode closed: an open question is not left for the next visit."""
        self._keep_safe_mode()
        super().hideEvent(event)

    def _ask_to_leave_safe_mode(self) -> None:
        self.leave_message.clear()
        self.leave_safe.setEnabled(False)
        self.leave_question.show()

    def _keep_safe_mode(self) -> None:
        self.leave_question.hide()
        self.leave_safe.setEnabled(True)

    def _leave_safe_mode(self) -> None:
        try:
            self.staff.leave_safe_mode()  # logged there; the kiosk restarts in normal mode
        except OSError as exc:
            self._keep_safe_mode()
            self.leave_message.setText(self.staff.t(D_LEAVE_SAFE_FAILED).format(error=exc))

    def show_health(self) -> None:
        """The same words the NGO's page has for this kiosk, for the staff member who calls the NGO."""
        from kiosk.paper.fleet_page import T_WELL

        health = self.staff.health
        self.health.setVisible(health is not None)
        if health is None:
            return
        try:
            reasons = [r.render(self.staff.t) for r in health.reasons()]
        except Exception:  # noqa: BLE001 - the staff screen shows what it can
            log.exception("health: not shown")
            self.health.setVisible(False)
            return
        lines = [f"• {r}" for r in reasons] or [self.staff.t(T_WELL)]
        self.health.setText("\n".join([self.staff.t(D_HEALTH), *lines]))

    def export_to(self, folder: Path) -> None:
        from kiosk.core.staff import write_statistics
        from kiosk.paper.report import write_report_pdf

        staff = self.staff
        store = staff.stats
        language = staff.language
        kiosk_id = staff.config.settings.kiosk_id
        content = staff.session.content
        questions = {q.id: q.prompt.get(language) for q in content.quiz.questions} if content.quiz else {}

        def report(path: Path) -> None:
            write_report_pdf(path, store.figures(30), language, kiosk_id, questions=questions, i18n=staff.i18n,
                             organisation=content.organisation.name.get(language))

        try:
            if store is None or not hasattr(store, "day_rows"):
                raise OSError(staff.t(D_NO_STATS))
            files = write_statistics(store, folder, kiosk_id, language, report)
        except (OSError, RuntimeError) as exc:
            log.error("statistics export to %s failed: %s", folder, exc)
            self.export_message.setText(staff.t(D_NOT_WRITTEN).format(folder=folder, error=exc))
            return
        log.info("statistics exported to %s", folder)
        self.export_message.setText(staff.t(D_WRITTEN).format(files=", ".join(p.name for p in files)))
