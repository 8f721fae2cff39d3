"""Starts the real kiosk (offscreen) as Windows' Python would see it, for tests/test_windows_start.py.

    python tests/windows_like_start.py REPORT.json KIOSK-ARGS...

Before the kiosk is imported, the names that Windows' Python does not have are taken away: the
POSIX-only signals (SIGHUP, SIGUSR1, ...), the POSIX-only calls of `os`, and the modules fcntl,
resource, pwd, grp, termios. The application's default font is made a serif face, as the default
UI font resolved under Windows' font engine (Wine). Once the window has shown its first frame,
the report says whether the kiosk ignored the desktop's settings and which font family each
visible text resolved to. The test then stops it with SIGTERM, which Windows has too.
"""

from __future__ import annotations

import json
import os
import signal
import sys

POSIX_SIGNALS = ("SIGHUP", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT", "SIGKILL", "SIGALRM", "SIGCHLD",
                 "SIGPIPE", "SIGQUIT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGWINCH", "SIGVTALRM", "SIGPROF",
                 "SIGIO", "SIGPOLL", "SIGPWR", "SIGSYS", "SIGTRAP", "SIGURG", "SIGXCPU", "SIGXFSZ",
                 "SIGRTMIN", "SIGRTMAX", "SIGIOT", "SIGCLD", "SIGSTKFLT",
                 "alarm", "pause", "setitimer", "getitimer", "siginterrupt", "pthread_kill", "pthread_sigmask",
                 "sigpending", "sigwait", "sigwaitinfo", "sigtimedwait", "pidfd_send_signal")
POSIX_OS = ("getuid", "geteuid", "getgid", "getegid", "getgroups", "fork", "forkpty", "setsid", "setpgid",
            "getpgid", "killpg", "getpgrp", "setuid", "setgid", "nice", "getpriority", "setpriority",
            "sched_getaffinity", "sync", "fchown", "chown", "lchown", "mkfifo", "getloadavg", "wait3", "wait4")
POSIX_MODULES = ("fcntl", "resource", "pwd", "grp", "termios")


def windows_like() -> None:
    for name in POSIX_SIGNALS:
        if hasattr(signal, name):
            delattr(signal, name)
    for name in POSIX_OS:
        if hasattr(os, name):
            delattr(os, name)
    for name in POSIX_MODULES:
        sys.modules[name] = None  # type: ignore[assignment]  # `import fcntl` raises ImportError


def main() -> int:
    report_path, kiosk_args = sys.argv[1], sys.argv[2:]
    windows_like()
    from PySide6.QtGui import QFont, QFontInfo, QGuiApplication
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    import kiosk.ui.application as application_module
    from kiosk.app import run_kiosk
    from kiosk.cli import parse_args

    make = application_module.application

    def with_a_serif_default(kind):  # type: ignore[no-untyped-def]
        app = make(kind)
        app.setFont(QFont("DejaVu Serif"))  # what the default face resolved to under Windows' font engine
        return app

    application_module.application = with_a_serif_default  # type: ignore[assignment]
    report: dict[str, object] = {}

    def on_started(kiosk) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QTimer

        report["desktop_settings_aware"] = QGuiApplication.desktopSettingsAware()
        window = kiosk.window

        def look() -> None:
            if kiosk.staff is None or not window.isVisible():  # every screen is built after the first frame
                QTimer.singleShot(200, look)
                return
            fonts = {}
            for widget in window.findChildren(QWidget):
                if isinstance(widget, QLabel | QAbstractButton) and widget.isVisible() and widget.text().strip():
                    name = f"{type(widget).__name__}:{widget.objectName() or widget.text()[:30]}"
                    fonts[name] = QFontInfo(widget.font()).family()
            report["fonts"] = fonts
            with open(report_path, "w", encoding="utf-8") as out:
                json.dump(report, out, ensure_ascii=False, indent=1)

        QTimer.singleShot(200, look)

    return run_kiosk(parse_args(kiosk_args), on_started=on_started)


if __name__ == "__main__":
    sys.exit(main())
