"""`kiosk monkey`: random input on the real kiosk; exit 1 on any unhandled exception or Qt warning."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser("monkey", help="random taps, swipes and keys on the real kiosk; counts failures")
    common(parser)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--staff", action="store_true",
                        help="also open staff mode with the right PIN (the monkey sets its own) and use every tab")
    parser.add_argument("--json", action="store_true", help="print the report, coverage included, as one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.devtools.monkey import run_monkey

    return run_monkey(args)
