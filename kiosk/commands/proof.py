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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.ui.proof import run_proof

    return run_proof(args)
