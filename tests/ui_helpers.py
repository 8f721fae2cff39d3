"""Building a real kiosk window for tests, and tapping it as a visitor would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.app import Kiosk, build_kiosk, close_printer, install_staff_mode
from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.staff.pin import hash_pin

SIZES = [(1920, 1080), (1366, 768), (1280, 1024), (1080, 1920)]


def make_kiosk(qtbot, data_dir: Path, size: tuple[int, int] = (1366, 768), content: Path | None = None,
               settings: str | None = None, stats: bool = False) -> Kiosk:  # type: ignore[no-untyped-def]
    if settings is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "settings.yaml").write_text(settings, encoding="utf-8")
    kiosk = build_kiosk(data_dir, None, content, size, with_stats=stats)
    # At the test's end the printing backend closes, as when the kiosk ends: no job of this
    # test is still watched (and logs) during the next one.
    qtbot.addWidget(kiosk.window, before_close_func=lambda _window: close_printer(kiosk))
    kiosk.window.show()
    QApplication.instance().installEventFilter(kiosk.window.input)
    qtbot.waitExposed(kiosk.window)
    return kiosk


def tap(qtbot, widget: QWidget, pos: QPoint | None = None) -> None:  # type: ignore[no-untyped-def]
    assert widget.isVisible(), f"{widget!r} is not visible"
    if isinstance(widget, QPushButton):
        assert widget.isEnabled(), f"{widget.text()!r} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def swipe(qtbot, widget: QWidget, dx: int) -> None:  # type: ignore[no-untyped-def]
    start = widget.rect().center()
    end = QPoint(start.x() + dx, start.y())
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def button_with_text(root: QWidget, text: str) -> QPushButton:
    for button in root.findChildren(QPushButton):
        if button.isVisible() and text in button.text():
            return button
    raise AssertionError(f"no visible button with {text!r}: "
                         f"{[b.text() for b in root.findChildren(QPushButton) if b.isVisible()]}")


# -- staff mode ----------------------------------------------------------------------------
STAFF_PIN = "2468"


def open_staff_kiosk(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    """A kiosk with staff mode installed and the PIN STAFF_PIN set (the `staff_kiosk` fixture)."""
    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin(STAFF_PIN, n=2**10)))
    kiosk = make_kiosk(qtbot, data_dir, stats=True)
    staff = install_staff_mode(kiosk)
    staff.hold.timer.setInterval(300)  # the real gesture is 5 s; the mechanism is the same
    return kiosk, staff


def showing(kiosk, page) -> bool:  # type: ignore[no-untyped-def]
    """The window shows staff mode, on this page of it."""
    return kiosk.window.stack.currentWidget() is kiosk.staff.screen and kiosk.staff.screen.currentWidget() is page


def hold_corner(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    window = kiosk.window
    target = window.childAt(QPoint(5, 5)) or window
    pos = target.mapFrom(window, QPoint(5, 5))
    with qtbot.waitSignal(kiosk.window.staff.hold.held, timeout=3000):
        qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=pos)


def type_pin(qtbot, pad, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        tap(qtbot, pad.digits[digit])
    tap(qtbot, pad.open)
