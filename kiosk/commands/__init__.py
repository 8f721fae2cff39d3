"""The commands of `kiosk`, one module each: `add_parser(subparsers, common)` and `run(args) -> int`.

`COMMANDS` is the one registry. A module listed here that cannot be imported is a bug and
fails loudly (tests/test_cli.py imports every one); it is never skipped as a missing command.
Each module imports only argparse and pathlib at the top, so building the parser at every
start of the kiosk costs almost nothing; the real work is imported inside `run`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMANDS = ("check", "proof", "narrate", "leaflet", "stats", "set_pin", "supervise", "bench", "monkey", "pack")


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMANDS]
