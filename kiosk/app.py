"""The composition root: settings, content, i18n, statistics and the window, wired together."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from kiosk.core.i18n import I18n
from kiosk.core.library import ContentChoice, choose_content
from kiosk.core.logs import setup_logging
from kiosk.core.session import Session, StatsSink
from kiosk.core.settings import Settings, default_data_dir, load_settings, settings_path

log = logging.getLogger("kiosk")


@dataclass
class Kiosk:
    """Everything the running kiosk is made of; tests and `proof` build one too."""

    data_dir: Path
    settings: Settings
    choice: ContentChoice
    i18n: I18n
    session: Session
    stats: StatsSink | None
    window: object  # KioskWindow; typed loosely so this module imports no Qt
    # Why the kiosk runs in safe mode (bundled content, printing off), for the staff screen;
    # None in normal mode. See kiosk/core/safemode.py.
    safe_mode_reason: str | None = None


def resolve_languages(settings: Settings, content_languages: tuple[str, ...],
                      content_default: str) -> tuple[tuple[str, ...], str]:
    """The site may enable fewer languages, or reorder them, but only ones the content has."""
    languages = tuple(lang for lang in settings.languages if lang in content_languages) or content_languages
    default = settings.default_language if settings.default_language in languages else content_default
    if default not in languages:
        default = languages[0]
    return languages, default


def open_stats(data_dir: Path) -> StatsSink | None:
    """The statistics store, opened (and checked) on its own writer thread."""
    from kiosk.core.stats_writer import BackgroundStats

    def opener() -> object:
        from kiosk.core.stats import open_store

        return open_store(data_dir)

    return BackgroundStats(opener)


def build_kiosk(data_dir: Path | None = None, config: Path | None = None, content_dir: Path | None = None,
                size: tuple[int, int] | None = None, with_stats: bool = True,
                safe_mode_reason: str | None = None) -> Kiosk:
    """Builds the whole kiosk; a QApplication must exist. In safe mode (`safe_mode_reason` set):
    the bundled content and no printing, whatever the settings say."""
    from kiosk.ui.shell import KioskWindow
    from kiosk.ui.theme import Theme, load_fonts

    data_dir = data_dir or default_data_dir()
    settings, problems = load_settings(settings_path(data_dir, config))
    for problem in problems.items:
        log.warning("settings: %s", problem)
    wanted = content_dir or (Path(settings.content_dir) if settings.content_dir else None)
    if safe_mode_reason is not None:
        from kiosk.core.resources import default_content_dir

        settings = dataclasses.replace(settings, prints_per_visit=0)
        wanted = default_content_dir()
    choice = choose_content(wanted, data_dir)
    for problem in choice.problems:
        log.info("content: %s", problem)
    content = choice.content
    languages, default = resolve_languages(settings, content.languages, content.default_language)
    i18n = I18n(languages, language=default)
    stats = open_stats(data_dir) if with_stats else None
    session = Session(content, languages, default, stats, quiz_length=settings.quiz_length)
    theme = Theme(family=load_fonts())
    window = KioskWindow(session, i18n, theme, settings)
    if size is not None:
        window.resize(*size)
    return Kiosk(data_dir, settings, choice, i18n, session, stats, window, safe_mode_reason)


def apply_settings(kiosk: Kiosk, settings: Settings) -> None:
    """Settings saved by staff take effect at once, for the next visitor."""
    content = kiosk.session.content
    languages, default = resolve_languages(settings, content.languages, content.default_language)
    kiosk.settings = settings
    kiosk.session.languages = languages
    kiosk.session.default_language = default
    kiosk.session.quiz_length = settings.quiz_length
    kiosk.i18n.languages = languages
    window = kiosk.window
    window.settings = settings  # type: ignore[attr-defined]
    window.idle.set_timeouts(settings.idle_timeout_s, settings.idle_countdown_s)  # type: ignore[attr-defined]
    for hook in getattr(window, "settings_hooks", []):
        hook(settings)


def install_excepthook(kiosk: Kiosk) -> None:
    """An exception anywhere is logged with detail; the visitor only sees the attract loop."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        recover = getattr(kiosk.window, "recover", None)
        if recover is not None:
            recover()

    sys.excepthook = hook


def parse_size(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        return w, h
    except ValueError:
        raise SystemExit(f"kiosk: --size should look like 1366x768, not {text!r}") from None


def run_kiosk(args: argparse.Namespace) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    data_dir = args.data_dir or default_data_dir()
    log_path = setup_logging(data_dir)
    log.info("starting; data in %s, log in %s", data_dir, log_path)
    app = QApplication.instance() or QApplication(sys.argv[:1])
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
    app.installEventFilter(window.input)  # type: ignore[attr-defined]

    def after_first_frame() -> None:
        from kiosk.ui.staff import install_staff_mode

        window.build_all_screens()  # type: ignore[attr-defined]
        install_staff_mode(kiosk, settings_path(data_dir, args.config))
    if args.windowed:
        window.show()  # type: ignore[attr-defined]
    else:
        app.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        window.enter_kiosk_mode()  # type: ignore[attr-defined]
    QTimer.singleShot(100, after_first_frame)  # after the first frame is on the screen
    if os.environ.get("KIOSK_BENCH_TAPS"):
        from kiosk.bench_child import attach_to_running_kiosk

        attach_to_running_kiosk(kiosk, int(os.environ["KIOSK_BENCH_TAPS"]))
    code = int(app.exec())
    close = getattr(kiosk.stats, "close", None)
    if close is not None:
        close()  # the events still queued reach the disk before the process ends
    if code == RESTART_CODE:
        # "Restart the kiosk" on the staff screen: the same command again, in a fresh process.
        log.info("restarting")
        logging.shutdown()
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *sys.argv[1:]])
    return code


RESTART_CODE = 3  # kiosk.ui.staff.RESTART_CODE; kept here so that this module imports no Qt
