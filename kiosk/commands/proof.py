"""`kiosk proof`: every visitor screen in every language, one PDF page each, for review."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import N_


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    # its own --lang (the languages to render) wins after its name over the global --lang
    parser = subparsers.add_parser("proof", help="render every visitor screen in every language into one PDF",
                                   conflict_handler="resolve")
    common(parser)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--size", default="1366x768", help="screen size, e.g. 1920x1080")
    parser.add_argument("--lang", action="append", default=None, help="only this language (repeatable)")
    parser.add_argument("--large-text", action="store_true",
                        help="the screens as a visitor sees them with large text and high contrast on")
    parser.set_defaults(run=run)


# TRANSLATORS: `kiosk proof` on the command line. {reason} lists the content's errors as file:line: message.
F_FALLBACK = N_("the content cannot be used, so there is nothing to proof: {reason}. Run kiosk check for the "
                "whole list")
F_UNKNOWN = N_("unknown language(s) {languages}; the languages are kk, ru, uz and en")
F_WROTE = N_("wrote {pages} pages to {output}")


def run(args: argparse.Namespace) -> int:
    import sys

    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, close_kiosk, parse_size
    from kiosk.commands import speaker
    from kiosk.core.model import LANGUAGES
    from kiosk.ui.application import application
    from kiosk.ui.proof import shots, write_pdf
    _app = application(QApplication)
    size = parse_size(args.size) or (1366, 768)
    kiosk = build_kiosk(args.data_dir, args.config, args.content, size, with_stats=False)
    words = speaker(args)
    if kiosk.choice.fallback_reason:
        reason = "; ".join(p.render(words.t) for p in kiosk.choice.fallback_errors) or kiosk.choice.fallback_reason
        print("kiosk proof: " + words.say(F_FALLBACK, reason=reason), file=sys.stderr)
        return 1
    wanted = tuple(args.lang or kiosk.session.languages)
    unknown = [lang for lang in wanted if lang not in LANGUAGES]
    if unknown:
        print("kiosk proof: " + words.say(F_UNKNOWN, languages=", ".join(unknown)), file=sys.stderr)
        return 2
    title = f"Proof: {kiosk.choice.content.id} {kiosk.choice.content.version} at {size[0]}x{size[1]}"
    if args.large_text:
        title += ", large text"
    pages = write_pdf(args.output, shots(kiosk, wanted, large_text=args.large_text), title)
    print(words.say(F_WROTE, pages=pages, output=args.output))
    close_kiosk(kiosk)
    return 0
