"""The one way the kiosk makes its Qt application object, on every platform.

The kiosk has its own theme: a visitor's screen must not follow a desktop's dark mode, accent
colour or font settings. `QGuiApplication.setDesktopSettingsAware(False)` says so, and it only
counts before the application object exists. On Windows it also keeps Qt's `windows` platform
plugin from reading the desktop theme through WinRT, which aborts the process (exit code 3)
where that API is missing (Wine; found by the Wine suite, tests/windows/).
"""

from __future__ import annotations

import sys
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

App = TypeVar("App", bound=QGuiApplication)


def application(kind: type[App]) -> App:
    """The running application object, or a new `kind` (QApplication, QGuiApplication) that
    ignores the desktop's settings."""
    running = QCoreApplication.instance()
    if running is not None:
        return running  # type: ignore[return-value]
    QGuiApplication.setDesktopSettingsAware(False)
    return kind(sys.argv[:1])
