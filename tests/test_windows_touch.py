"""Touch on a Windows kiosk (kiosk/ui/windows_touch.py). The window property itself is set and
read back on the real window under Wine (tests/windows/test_installed_kiosk.py); here: the flags,
and that no widget of the whole kiosk takes text, so Windows' touch keyboard never opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from kiosk.ui.windows_touch import PEN_FLAGS, quiet_touch


def test_the_pen_flags_turn_off_press_and_hold_and_the_feedback() -> None:
    assert PEN_FLAGS == 0x1 | 0x8 | 0x10 | 0x10000 | 0x100000
    assert quiet_touch(0) == {"pen_property": False, "feedback": False}  # not Windows: nothing, no error


def test_no_widget_of_the_kiosk_takes_text_so_no_touch_keyboard_opens(qapp, data_dir) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import build_kiosk, close_kiosk, install_staff_mode

    kiosk = build_kiosk(data_dir, size=(1366, 768), with_stats=False)
    try:
        kiosk.window.build_all_screens()
        install_staff_mode(kiosk)
        widgets = kiosk.window.findChildren(QWidget)
        assert len(widgets) > 100  # every screen and the staff screen were built
        takes_text = [w for w in widgets if isinstance(w, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox)
                      or (isinstance(w, QComboBox) and w.isEditable())
                      or w.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)]
        assert takes_text == []
    finally:
        close_kiosk(kiosk)
