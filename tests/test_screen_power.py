"""Screen sleep in the window: the black cover, the wake-up touch, the commands per platform."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from kiosk.app import build_kiosk
from kiosk.core.visit.session import Screen
from kiosk.ui.screen_power import ScreenPower, display_commands


def test_sleep_covers_the_window_in_black_and_a_touch_wakes_it_to_attract(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = build_kiosk(data_dir, size=(1024, 600), with_stats=False)
    window = kiosk.window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    woken: list[bool] = []
    ran: list[list[str]] = []
    power = ScreenPower(window, on_wake=lambda: woken.append(True), run=lambda cmd: ran.append(cmd))
    window.input.add(lambda kind, event: power.touched())
    QApplication.instance().installEventFilter(window.input)  # as run_kiosk does
    power.sleep()
    image = window.grab().toImage()
    for x, y in ((2, 2), (512, 300), (1021, 597)):
        assert image.pixelColor(x, y) == QColor("black"), (x, y)
    assert not power.display_off  # offscreen: no command switches this display off
    qtbot.mouseClick(power.cover, Qt.MouseButton.LeftButton, pos=QPoint(500, 300))
    assert woken == [True] and not power.asleep and not power.cover.isVisible()
    assert window.grab().toImage().pixelColor(2, 2) != QColor("black")
    assert kiosk.session.screen is Screen.ATTRACT


def test_display_commands_per_platform(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DISPLAY", ":5")
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    assert display_commands(False, "xcb") == [["xset", "dpms", "force", "off"]]
    assert display_commands(True, "xcb") == [["xset", "dpms", "force", "on"]]
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert display_commands(False, "wayland") == [["wlopm", "--off", "*"]]
    assert display_commands(False, "offscreen") == []
