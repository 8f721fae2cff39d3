"""Building a real kiosk window for tests, and tapping it as a visitor would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.app import Kiosk, build_kiosk

SIZES = [(1920, 1080), (1366, 768), (1280, 1024), (1080, 1920)]


def make_kiosk(qtbot, data_dir: Path, size: tuple[int, int] = (1366, 768), content: Path | None = None,
               settings: str | None = None, stats: bool = False) -> Kiosk:  # type: ignore[no-untyped-def]
    if settings is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "settings.yaml").write_text(settings, encoding="utf-8")
    kiosk = build_kiosk(data_dir, None, content, size, with_stats=stats)
    qtbot.addWidget(kiosk.window)
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


