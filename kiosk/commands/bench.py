"""`kiosk bench`: figures measured on this machine (the code is in kiosk/devtools)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure start-up, tap latency and memory (or, with --stats, the statistics file)")
    common(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--taps", type=int, default=200, help="taps measured per start (default 200)")
    parser.add_argument("--changes", type=int, default=20_000,
                        help="screen changes in the memory soak (default 20000)")
    parser.add_argument("--stats", action="store_true",
                        help="instead: simulate a year of heavy use; print the statistics file's size and "
                             "the time of one recorded event")
    parser.add_argument("--days", type=int, default=365, help="with --stats: days simulated (default 365)")
    parser.add_argument("--visits-per-day", type=int, default=300, help="with --stats (default 300)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="with --stats: where to simulate (default: a temporary folder)")
    parser.add_argument("--frozen", type=Path, default=None, metavar="PATH",
                        help="instead: start to first frame of the frozen kiosk PATH (dist/kiosk/kiosk) against "
                             "this Python's kiosk, taking turns, in one sitting")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.stats:
        from kiosk.devtools.stats_sim import run_year

        return run_year(args.days, args.visits_per_day, args.folder)
    from kiosk.devtools.bench import run_bench

    return run_bench(args)
