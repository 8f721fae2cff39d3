"""`kiosk leaflet`: the A4 leaflet as a PDF, or printed, for staff (a stack for a seminar)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.model import LANGUAGES, N_, NP_

if TYPE_CHECKING:
    from kiosk.commands import Speaker

# TRANSLATORS: `kiosk leaflet` on the command line, read by staff. Options (--output, --print),
# commands (cupsenable, lpadmin, systemctl, kiosk check) and printer names are never translated.
L_WHERE = N_("say where the leaflet goes: --output FILE (or DIR with --all), or --print")
L_COPIES = N_("--copies should be between 1 and 500")
L_FIX_FIRST = N_("{reason}\nfix the content first (kiosk check {folder})")
L_NO_LEAFLET = N_("the content in {folder} has no leaflet.yaml")
L_NO_LANGUAGE = N_("the content has no {missing} (it has {languages})")
L_WROTE = N_("wrote {path} ({lang}, smallest text {points} pt)")
L_TOO_LONG = N_("{lang}: some text does not fit on the page ({where}); shorten it in leaflet.yaml")
L_TOO_LONG_WHERE = N_("too long")
L_DEFAULT_PRINTER = N_("the default printer")
L_NO_PRINTER = N_("no printer to print on: give --printer NAME, set 'printer:' in the settings, "
                  "or make one the default (lpadmin -d NAME)")
L_STOPPED = N_("{name} is stopped or refuses jobs (start it with: cupsenable {queue}; cupsaccept {queue})")
L_FAULT = N_("{name} reports a fault (paper, cable, power?)")
L_MISSING = N_("there is no printer called '{queue}' (lpstat -p lists the printers)")
L_CUPS_DOWN = N_("the print system (CUPS) is not running or does not answer (start it with: systemctl start cups)")
L_JOB_FAILED = N_("the print job on {name} failed")
L_DID_NOT_WORK = N_("printing on {name} did not work")
L_WITH_DETAIL = N_("{advice}: {detail}")
L_PRINTED = NP_("{lang}: {copies} copy printed on {name} (job {job}) through {backend}",
                "{lang}: {copies} copies printed on {name} (job {job}) through {backend}")
L_SENT = NP_("{lang}: {copies} copy sent, still printing on {name} (job {job}) through {backend}",
             "{lang}: {copies} copies sent, still printing on {name} (job {job}) through {backend}")

EXAMPLES = """examples:
  kiosk leaflet --lang kk --output leaflet-kk.pdf
  kiosk leaflet --all --output leaflets/
  kiosk leaflet --lang ru --print --copies 20
  kiosk leaflet --lang uz --print --printer Office"""


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "leaflet", help="write the A4 leaflet as PDF, or print it",
        description="Write the one-page A4 leaflet (with its QR code and tear-off tabs) as a PDF, or print "
                    "it on a CUPS printer without any dialog.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        conflict_handler="resolve")  # its own --lang (the leaflet's language) wins after its name
    common(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--lang", choices=LANGUAGES, help="the language of the leaflet")
    which.add_argument("--all", action="store_true", help="every language the content has")
    parser.add_argument("--output", type=Path, default=None,
                        help="the PDF file to write; with --all, a folder (leaflet-kk.pdf, leaflet-ru.pdf, ...)")
    parser.add_argument("--print", dest="to_printer", action="store_true", help="print it instead of (or as well as) "
                        "writing a file")
    parser.add_argument("--printer", default=None,
                        help="the CUPS printer (default: 'printer:' in the settings, else the system default)")
    parser.add_argument("--copies", type=int, default=1, help="copies of each leaflet (default: 1)")
    parser.add_argument("--backend", choices=("auto", "cups", "qt"), default=None,
                        help="how to print: cups (lp), qt (QPrinter) or auto (lp where installed); "
                             "default: 'print_backend:' in the settings")
    parser.set_defaults(run=run)


def _fail(message: str, code: int = 1) -> int:
    print(f"kiosk leaflet: {message}", file=sys.stderr)
    return code


def _qt_app() -> object:
    from PySide6.QtGui import QGuiApplication

    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # staff may run this over ssh: no screen needed
    from kiosk.ui.application import application

    return application(QGuiApplication)


def print_problem(status: object, printer: str, detail: str, say: Callable[..., str] | None = None) -> str:
    """What staff should read when a print did not happen, and what to do about it."""
    from kiosk.core.model import msg, render
    from kiosk.core.visit import PrintStatus

    say = say or (lambda message, **params: render(message, params))
    name = printer or msg(L_DEFAULT_PRINTER)
    advice = {
        PrintStatus.NO_PRINTER: msg(L_NO_PRINTER),
        PrintStatus.PRINTER_STOPPED: msg(L_STOPPED, name=name, queue=printer or "NAME"),
        PrintStatus.PRINTER_ERROR: msg(L_FAULT, name=name),
        PrintStatus.PRINTER_MISSING: msg(L_MISSING, queue=printer),
        PrintStatus.CUPS_DOWN: msg(L_CUPS_DOWN),
        PrintStatus.JOB_FAILED: msg(L_JOB_FAILED, name=name),
    }.get(status, msg(L_DID_NOT_WORK, name=name))  # type: ignore[call-overload]
    return say(L_WITH_DETAIL, advice=advice, detail=detail) if detail else say(advice.msgid, **dict(advice.params))


def run(args: argparse.Namespace) -> int:
    from kiosk.commands import speaker
    from kiosk.core.packs import choose_content
    from kiosk.core.site import default_data_dir, load_settings, settings_path

    words = speaker(args)
    if args.output is None and not args.to_printer:
        return _fail(words.say(L_WHERE), 2)
    if args.copies < 1 or args.copies > 500:
        return _fail(words.say(L_COPIES), 2)
    data_dir = args.data_dir or default_data_dir()
    settings, _problems = load_settings(settings_path(data_dir, args.config))
    wanted = args.content or (Path(settings.content_dir) if settings.content_dir else None)
    try:
        choice = choose_content(wanted, None)
    except RuntimeError as exc:
        return _fail(str(exc))
    if choice.fallback_reason:
        reason = "; ".join(p.render(words.t) for p in choice.fallback_errors) or choice.fallback_reason
        return _fail(words.say(L_FIX_FIRST, reason=reason, folder=str(choice.source)))
    content = choice.content
    if content.leaflet is None:
        return _fail(words.say(L_NO_LEAFLET, folder=str(choice.source)))
    languages = list(content.languages) if args.all else [args.lang]
    missing = [lang for lang in languages if lang not in content.languages]
    if missing:
        return _fail(words.say(L_NO_LANGUAGE, missing=", ".join(missing), languages=", ".join(content.languages)), 2)

    _qt_app()
    from kiosk.paper.pdf import write_leaflet_pdf

    status = 0
    if args.output is not None:
        for lang in languages:
            path = args.output / f"leaflet-{lang}.pdf" if args.all else args.output
            metrics = write_leaflet_pdf(path, content, lang)
            print(words.say(L_WROTE, path=str(path), lang=lang, points=f"{metrics.min_pt:.1f}"))
            if not metrics.fits:
                where = ", ".join(metrics.overflowing) or words.say(L_TOO_LONG_WHERE)
                status = _fail(words.say(L_TOO_LONG, lang=lang, where=where))
    if args.to_printer:
        from kiosk.printing import backend_name, make_backend

        printer = args.printer if args.printer is not None else settings.printer
        kind = backend_name(args.backend or settings.print_backend)
        from PySide6.QtCore import QCoreApplication

        # Owned by the application and deleted by Qt at a safe point: a QObject freed by Python's
        # refcount while Qt still holds events for its children crashes PySide.
        backend = make_backend(kind, QCoreApplication.instance())
        try:
            return _print_all(backend, kind, content, languages, printer, args.copies, status, words)
        finally:
            backend.deleteLater()
    return status


def _print_all(backend: object, kind: str, content: object, languages: list[str], printer: str, copies: int,
               status: int, words: Speaker) -> int:
    from kiosk.core.visit import PrintStatus
    from kiosk.printing import print_and_wait

    for lang in languages:
        result, detail, job = print_and_wait(backend, content, lang, printer, copies)
        if result not in (PrintStatus.PRINTING, PrintStatus.DONE, PrintStatus.SENT):
            return _fail(print_problem(result, printer, detail, words.say))
        name = printer or words.say(L_DEFAULT_PRINTER)
        template = words.nt(*(L_PRINTED if result is PrintStatus.DONE else L_SENT), copies)
        print(words.say(template, lang=lang, copies=copies, name=name, job=job or "-", backend=kind))
    return status
