"""The `kiosk` command. Heavy imports (Qt) happen only in the commands that need them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder for settings, logs and statistics (or set KIOSK_DATA_DIR)")
    parser.add_argument("--config", type=Path, default=None,
                        help="site settings file (default: settings.yaml in the data folder)")
    parser.add_argument("--content", type=Path, default=None,
                        help="content folder (default: from the settings, else the bundled content)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Safe-migration information kiosk.")
    _common(parser)
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of full-screen kiosk mode (for authors)")
    parser.add_argument("--size", default=None, help="window size for --windowed, e.g. 1366x768")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a content folder and list every problem")
    check.add_argument("directory", nargs="?", type=Path, default=None)

    proof = sub.add_parser("proof", help="render every visitor screen in every language into one PDF")
    _common(proof)
    proof.add_argument("--output", type=Path, required=True)
    proof.add_argument("--size", default="1366x768", help="screen size, e.g. 1920x1080")
    proof.add_argument("--lang", action="append", default=None, help="only this language (repeatable)")

    bench = sub.add_parser("bench", help="measure start-up, tap latency and memory")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--taps", type=int, default=200, help="taps measured per start (default 200)")
    bench.add_argument("--changes", type=int, default=20_000,
                       help="screen changes in the memory soak (default 20000)")

    monkey = sub.add_parser("monkey", help="random taps, swipes and keys on the real kiosk; counts failures")
    _common(monkey)
    monkey.add_argument("--events", type=int, default=100_000)
    monkey.add_argument("--seed", type=int, default=1)
    monkey.add_argument("--width", type=int, default=1366)
    monkey.add_argument("--height", type=int, default=768)

    for module in _EXTRA_COMMANDS:
        try:
            mod = __import__(f"kiosk.commands.{module}", fromlist=["add_parser"])
        except ImportError:
            continue
        mod.add_parser(sub, _common)
    return parser


# Commands added by later capabilities live in kiosk/commands/<name>.py with
# add_parser(subparsers, common) and run(args) -> int.
_EXTRA_COMMANDS = ("leaflet", "stats", "set_pin", "pack")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return _check(args)
    if args.command == "proof":
        from kiosk.ui.proof import run_proof

        return run_proof(args)
    if args.command == "monkey":
        from kiosk.monkey import run_monkey

        return run_monkey(args)
    if args.command == "bench":
        from kiosk.bench import run_bench

        return run_bench(args)
    if args.command is not None and hasattr(args, "run"):
        return int(args.run(args))
    from kiosk.app import run_kiosk

    return run_kiosk(args)


def _check(args: argparse.Namespace) -> int:
    from kiosk.core.check import check_report
    from kiosk.core.resources import default_content_dir

    directory = args.directory or args.content or default_content_dir()
    result, report = check_report(directory)
    print(report)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
