"""`kiosk proof`: every visitor screen in every language, one PDF page each, for review."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser("proof", help="render every visitor screen in every language into one PDF")
    common(parser)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--size", default="1366x768", help="screen size, e.g. 1920x1080")
    parser.add_argument("--lang", action="append", default=None, help="only this language (repeatable)")
    parser.add_argument("--large-text", action="store_true",
                        help="the screens as a visitor sees them with large text and high contrast on")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_kiosk, close_kiosk, parse_size
    from kiosk.core.content import LANGUAGES
    from kiosk.ui.proof import shots, write_pdf

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    size = parse_size(args.size) or (1366, 768)
    kiosk = build_kiosk(args.data_dir, args.config, args.content, size, with_stats=False)
    if kiosk.choice.fallback_reason:
        print(f"kiosk proof: {kiosk.choice.fallback_reason}", file=sys.stderr)
        return 1
    wanted = tuple(args.lang or kiosk.session.languages)
    unknown = [lang for lang in wanted if lang not in LANGUAGES]
    if unknown:
        print(f"kiosk proof: unknown language(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    title = f"Proof: {kiosk.choice.content.id} {kiosk.choice.content.version} at {size[0]}x{size[1]}"
    if args.large_text:
        title += ", large text"
    pages = write_pdf(args.output, shots(kiosk, wanted, large_text=args.large_text), title)
    print(f"wrote {pages} pages to {args.output}")
    close_kiosk(kiosk)
    return 0
