"""The composition root: settings, content, statistics, printing and the window, wired together.

No rule lives here: who uses a setting subscribes to the one `SiteConfig`; the visit's rules
are the `Session`'s; the screens render them. This module only builds and connects.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kiosk.core.appliance import setup_logging
from kiosk.core.model import I18n, report_problem
from kiosk.core.packs import ContentChoice, choose_content
from kiosk.core.site import SiteConfig, default_data_dir, load_settings, settings_path
from kiosk.core.visit import LazyPrinter, LeafletPrinter, Session, StatsSink

if TYPE_CHECKING:
    from kiosk.ui.shell import KioskWindow
    from kiosk.ui.staff import StaffMode

log = logging.getLogger("kiosk")

RESTART_CODE = 3  # the same as kiosk.ui.staff.RESTART_CODE (a test holds them equal); no Qt import here


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests and `proof` build one too."""

    data_dir: Path
    config: SiteConfig
    choice: ContentChoice
    i18n: I18n
    session: Session
    stats: StatsSink | None
    window: KioskWindow
    printer: Any = None  # the printing backend (kiosk.core.visit.printer.LeafletPrinter)
    staff: StaffMode | None = None
    # Why the kiosk runs in safe mode (bundled content, printing off), for the staff screen;
    # None in normal mode. See kiosk/core/appliance/safemode.py.
    safe_mode_reason: str | None = None
    health: Any = None  # kiosk.ui.health.HealthWriter once the kiosk runs


def open_stats(data_dir: Path) -> StatsSink | None:
    """The statistics store, opened (and checked) on its own writer thread."""
    from kiosk.core.stats import BackgroundStats

    def opener() -> object:
        from kiosk.core.stats import open_store

        return open_store(data_dir)

    return BackgroundStats(opener)


def build_kiosk(data_dir: Path | None = None, config: Path | None = None, content_dir: Path | None = None,
                size: tuple[int, int] | None = None, with_stats: bool = True,
                printer: Any = None, safe_mode_reason: str | None = None) -> Kiosk:
    """Builds the whole kiosk; a QApplication must exist. `printer`: a backend of the printing
    seam (default: from the settings). In safe mode (`safe_mode_reason` set): the bundled content
    and no printing, whatever the settings say (and whatever staff save meanwhile)."""
    from kiosk.ui.shell import KioskWindow
    from kiosk.ui.theme import Theme, screen_dpi, use_bundled_fonts

    data_dir = data_dir or default_data_dir()
    path = settings_path(data_dir, config)
    settings, problems = load_settings(path)
    for problem in problems.items:
        log.warning("settings: %s", problem)
        report_problem(problem)  # the staff Content tab lists it beside damaged files
    wanted = content_dir or (Path(settings.content_dir) if settings.content_dir else None)
    overrides: dict[str, object] = {}
    if safe_mode_reason is not None:
        from kiosk.core.model import default_content_dir

        overrides = {"prints_per_visit": 0}  # in force, never written to the settings file
        wanted = default_content_dir()
    site = SiteConfig(settings, path, overrides=overrides)
    choice = choose_content(wanted, data_dir)
    for problem in choice.problems:
        log.info("content: %s", problem)
    i18n = I18n()
    stats = open_stats(data_dir) if with_stats else None
    holder: list[KioskWindow] = []

    def backend_now() -> LeafletPrinter:
        from kiosk.printing import make_backend

        return make_backend(site.settings.print_backend, holder[0] if holder else None)  # dies with the window

    backend = printer if printer is not None else LazyPrinter(backend_now)
    if isinstance(backend, LazyPrinter):
        site.watch(("print_backend",), lambda _settings: backend.reset())
    session = Session(choice.content, site, stats, printer=backend)
    theme = Theme(dpi=screen_dpi(settings.screen_diagonal_in, size), family=use_bundled_fonts())
    window = KioskWindow(session, i18n, theme, site)
    holder.append(window)
    if size is not None:
        window.resize(*size)
    return Kiosk(data_dir, site, choice, i18n, session, stats, window, backend, safe_mode_reason=safe_mode_reason)


def install_staff_mode(kiosk: Kiosk) -> StaffMode:
    from kiosk.ui.staff import install_staff_mode as install

    kiosk.staff = install(kiosk.window, kiosk.session, kiosk.config, kiosk.i18n, kiosk.data_dir, kiosk.choice,
                          kiosk.stats, kiosk.printer, kiosk.safe_mode_reason)
    kiosk.staff.health = kiosk.health
    return kiosk.staff


def install_excepthook(kiosk: Kiosk) -> None:
    """An exception anywhere is logged with detail; the visitor only sees the attract loop."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        kiosk.window.recover()

    sys.excepthook = hook


def parse_size(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        return w, h
    except ValueError:
        raise SystemExit(f"kiosk: --size should look like 1366x768, not {text!r}") from None


WINDOWED_SIZE = (1366, 768)  # the most common kiosk screen, and small enough for an author's laptop


def windowed_size(available: tuple[int, int], wanted: tuple[int, int] = WINDOWED_SIZE) -> tuple[int, int]:
    """`--windowed` without `--size`: 1366x768, or the screen where it is smaller. Set by the kiosk
    itself, because without a window manager (Xvfb, cage) nobody else sizes the window, and Qt's
    own guess from the layouts is a small 904x598."""
    return min(wanted[0], available[0]), min(wanted[1], available[1])


def run_kiosk(args: argparse.Namespace, on_started: Callable[[Kiosk], None] | None = None) -> int:
    """The kiosk until it quits. `on_started` (for kiosk/devtools) sees the kiosk before the first frame."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    data_dir = args.data_dir or default_data_dir()
    log_path = setup_logging(data_dir)
    log.info("starting; data in %s, log in %s", data_dir, log_path)
    from kiosk.ui.application import application

    app = application(QApplication)
    app.setApplicationName("safe-migration-kiosk")
    from kiosk.appliance import start_appliance

    appliance = start_appliance(data_dir)  # safe mode decides what is built
    try:
        kiosk = build_kiosk(data_dir, args.config, args.content, parse_size(getattr(args, "size", None)),
                            safe_mode_reason=appliance.safe_mode_reason)
    except Exception:
        log.exception("the kiosk could not start")
        print("kiosk: could not start; see the log", log_path, file=sys.stderr)
        return 2
    install_excepthook(kiosk)
    appliance.attach(kiosk, app)  # watchdog, safe-mode timer, opening hours, clean stop on SIGTERM
    window = kiosk.window
    app.installEventFilter(window.input)

    def after_first_frame() -> None:
        # The health files (the printer asked, a JSON written) wait for the first frame, like the
        # other screens: they cost the visitor's first screen about 0.3 s when they came before it.
        attach_health(kiosk, app)
        window.build_all_screens()
        install_staff_mode(kiosk)
    if args.windowed:
        if getattr(args, "size", None) is None:
            screen = window.screen().availableGeometry()
            window.resize(*windowed_size((screen.width(), screen.height())))
        window.show()
    else:
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        window.enter_kiosk_mode()
    if sys.platform == "win32":  # once the native window is final (kiosk mode changes its flags)
        from kiosk.ui.windows_touch import quiet_touch

        quiet_touch(int(window.winId()))
    QTimer.singleShot(100, after_first_frame)  # after the first frame is on the screen
    if on_started is not None:
        on_started(kiosk)
    code = int(app.exec())
    appliance.ended(code)  # STOPPING=1, or RELOADING=1 before the restart below
    close_printer(kiosk)  # no `lpstat` left running when the window goes
    close = getattr(kiosk.stats, "close", None)
    if close is not None:
        close()  # the events still queued reach the disk before the process ends
    if code == RESTART_CODE:
        # "Restart the kiosk" on the staff screen: the same command again, in a fresh process.
        log.info("restarting")
        logging.shutdown()
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *sys.argv[1:]])
    return code


def attach_health(kiosk: Kiosk, app: Any) -> None:
    """The health files for the NGO (kiosk/ui/health.py): a start now, a clean stop at the end."""
    from kiosk.ui.health import HealthWriter

    try:
        kiosk.health = HealthWriter(kiosk, kiosk.window)
        app.aboutToQuit.connect(kiosk.health.stopped_cleanly)
        kiosk.health.start()
    except Exception:  # noqa: BLE001 - health never stops the kiosk
        log.exception("health: not started")


def close_printer(kiosk: Kiosk) -> None:
    """The printing backend's commands still running end now (the kiosk is ending)."""
    close = getattr(kiosk.printer, "close", None)
    if callable(close):
        close()


def close_kiosk(kiosk: Kiosk) -> None:
    """For commands that build a kiosk and end (proof): widgets go before the application
    object; the other order crashes at interpreter exit."""
    import gc

    from PySide6.QtWidgets import QApplication

    close_printer(kiosk)
    window = kiosk.window
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    del kiosk.window
    gc.collect()
