"""`kiosk supervise`: start the kiosk and keep it up, where systemd does not (Windows)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "supervise", help="run the kiosk and restart it when it stops or freezes (for Windows)",
        description="Start the kiosk and restart it when it exits or when its heartbeat stops (the same "
                    "GUI-thread heartbeat as the systemd watchdog). A clean exit (staff: 'Exit the kiosk') "
                    "ends the supervisor too. Arguments after -- go to the kiosk.")
    common(parser)
    parser.add_argument("--watchdog", type=float, default=30.0,
                        help="seconds without a heartbeat before the kiosk is restarted (default 30)")
    parser.add_argument("--ready", type=float, default=60.0,
                        help="seconds the kiosk may take to show its first frame (default 60)")
    parser.add_argument("kiosk_args", nargs=argparse.REMAINDER, help="arguments for the kiosk, after --")
    parser.set_defaults(run=run)


def kiosk_command(args: argparse.Namespace) -> list[str]:
    import sys

    own = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "kiosk"]
    extra = [a for a in args.kiosk_args if a != "--"]
    for flag, value in (("--data-dir", args.data_dir), ("--config", args.config), ("--content", args.content)):
        if value is not None:
            extra = [flag, str(value), *extra]
    return [*own, *extra]


def run(args: argparse.Namespace) -> int:
    import logging

    from kiosk.core.appliance import Supervisor, setup_logging
    from kiosk.core.site import default_data_dir

    if args.watchdog < 1 or args.ready < 1:
        print("kiosk supervise: --watchdog and --ready are seconds, at least 1", flush=True)
        return 2
    setup_logging(args.data_dir or default_data_dir())
    logging.getLogger("kiosk").info("supervising: %s", " ".join(kiosk_command(args)))
    return Supervisor(kiosk_command(args), ready_s=args.ready, watchdog_s=args.watchdog).run()
