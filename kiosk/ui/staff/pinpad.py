"""The staff PIN pad: digits, erase, open; a lock after five wrong PINs (kiosk/core/staff/pin.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.model import N_
from kiosk.core.staff import PinCheck
from kiosk.ui.staff.common import CLOSE, Staff
from kiosk.ui.theme import WRONG
from kiosk.ui.widgets import big_button

# TRANSLATORS: staff PIN pad heading.
ENTER_PIN = N_("Staff: enter the PIN")
# TRANSLATORS: PIN pad, after a wrong PIN.
WRONG_PIN = N_("Wrong PIN. Tries left: {count}")
# TRANSLATORS: PIN pad, after five wrong PINs.
LOCKED = N_("Too many wrong PINs. Try again in {minutes} min.")
# TRANSLATORS: PIN pad, when no PIN has been set for this kiosk.
NOT_SET = N_("Staff mode is closed: no PIN is set. An installer sets one with the command: kiosk set-pin")
# TRANSLATORS: PIN pad button that erases the last digit.
ERASE = N_("Erase")
# TRANSLATORS: PIN pad button that checks the PIN.
OPEN = N_("Open")


class PinPad(QWidget):
    def __init__(self, staff: Staff) -> None:
        super().__init__()
        self.staff = staff
        t = staff.theme
        self.entered = ""
        self.heading = QLabel()
        self.heading.setFont(t.font(7, bold=True))
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setFont(t.font(9, bold=True))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setFont(t.font(4.5))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {WRONG};")
        grid = QGridLayout()
        grid.setSpacing(t.mm(3))
        self.digits: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self.digits[digit] = self._key(digit, grid, i // 3, i % 3)
        self.erase = big_button(role="secondary")
        self.erase.clicked.connect(self._on_erase)
        grid.addWidget(self.erase, 3, 0)
        self.digits["0"] = self._key("0", grid, 3, 1)
        self.open = big_button()
        self.open.clicked.connect(self._on_open)
        grid.addWidget(self.open, 3, 2)
        for button in (self.erase, self.open):
            button.setFont(t.font(5, bold=True))
            button.setMinimumSize(t.mm(30), t.mm(16))
        self.close = big_button(role="secondary")
        self.close.setFont(t.font(5))
        self.close.clicked.connect(staff.close)
        pad = QWidget()
        pad.setLayout(grid)
        pad.setMaximumWidth(t.mm(110))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(t.mm(8), t.mm(4), t.mm(8), t.mm(4))
        layout.addWidget(self.heading)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addWidget(pad, 1, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.close, 0, Qt.AlignmentFlag.AlignLeft)

    def _key(self, digit: str, grid: QGridLayout, row: int, column: int) -> QPushButton:
        button = big_button(digit)
        button.setFont(self.staff.theme.font(8, bold=True))
        button.setMinimumSize(self.staff.theme.mm(30), self.staff.theme.mm(16))
        button.clicked.connect(lambda _=False, d=digit: self._on_digit(d))
        grid.addWidget(button, row, column)
        return button

    def reset(self) -> None:
        self.entered = ""
        self.message.setText("")
        self.retranslate()
        gate = self.staff.gate
        if not gate.is_set:
            self.message.setText(self.staff.t(NOT_SET))
        elif gate.locked_for():
            self.message.setText(self.staff.t(LOCKED).format(minutes=-(-gate.locked_for() // 60)))

    def retranslate(self) -> None:
        t = self.staff.t
        self.heading.setText(t(ENTER_PIN))
        self.erase.setText(t(ERASE))
        self.open.setText(t(OPEN))
        self.close.setText("← " + t(CLOSE))
        self.dots.setText("●" * len(self.entered) or "–")

    def _on_digit(self, digit: str) -> None:
        if len(self.entered) < 12:
            self.entered += digit
            self.dots.setText("●" * len(self.entered))

    def _on_erase(self) -> None:
        self.entered = self.entered[:-1]
        self.dots.setText("●" * len(self.entered) or "–")

    def _on_open(self) -> None:
        self.staff.reread_pin()  # `kiosk set-pin` may have run while the pad was up
        result = self.staff.gate.check(self.entered)
        self.entered = ""
        self.dots.setText("–")
        if result.ok:
            self.staff.show_panel()
        elif result.outcome is PinCheck.WRONG:
            self.message.setText(self.staff.t(WRONG_PIN).format(count=result.tries_left))
        elif result.outcome is PinCheck.LOCKED:
            self.message.setText(self.staff.t(LOCKED).format(minutes=-(-result.locked_for // 60)))
        else:
            self.message.setText(self.staff.t(NOT_SET))
