"""`kiosk set-pin`: store the staff PIN as a salted slow hash in the kiosk's settings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

# The kiosk builds this parser at every start; the PIN code (hashlib, json) is imported only
# when the command runs. tests/test_pin.py checks that RULE says what kiosk.core.pin.PIN_DIGITS does.
RULE = "4 to 12 digits"


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "set-pin", help="set the staff PIN (stored as a salted hash in the settings)",
        description=f"Set the PIN that opens staff mode: {RULE}. It is asked twice; only a salted "
                    "scrypt hash is written to the settings file. A running kiosk takes it at the next "
                    "staff gesture, without a restart. Setting a PIN also lifts a lockout after wrong PINs.")
    common(parser)
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--pin-stdin", action="store_true",
                     help="read the PIN from the first line of standard input (for installer scripts)")
    how.add_argument("--remove", action="store_true", help="remove the PIN: staff mode is closed")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from kiosk.core.pin import StaffGate, hash_pin
    from kiosk.core.settings import default_data_dir, load_settings, save_settings, settings_path

    data_dir = args.data_dir or default_data_dir()
    path = settings_path(data_dir, args.config)
    settings, problems = load_settings(path)
    if problems.items:
        # Saving rewrites the file from what was understood: a bad or misspelt setting would be lost.
        print(f"kiosk set-pin: {path} has problems; fix them first, then set the PIN again:", file=sys.stderr)
        for problem in problems.items:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.remove:
        pin_hash = ""
    else:
        pin = _pin_from_stdin() if args.pin_stdin else _pin_asked_twice()
        if pin is None:
            return 1
        pin_hash = hash_pin(pin)
    try:
        save_settings(path, dataclasses.replace(settings, staff_pin=pin_hash))
    except OSError as exc:
        print(f"kiosk set-pin: cannot write {path}: {exc}", file=sys.stderr)
        return 1
    StaffGate(Path(data_dir), pin_hash).reset()
    if pin_hash:
        print(f"The staff PIN is set (as a salted hash in {path}). It works at once, "
              "also on a kiosk that is running now.")
    else:
        print(f"The staff PIN is removed from {path}: staff mode is closed, at once.")
    return 0


def _pin_from_stdin() -> str | None:
    from kiosk.core.pin import valid_pin

    pin = sys.stdin.readline().strip()
    if not valid_pin(pin):
        print(f"kiosk set-pin: the PIN on standard input must be {RULE}", file=sys.stderr)
        return None
    return pin


def _pin_asked_twice() -> str | None:
    import getpass

    from kiosk.core.pin import valid_pin

    try:
        pin = getpass.getpass(f"New staff PIN ({RULE}): ").strip()
        if not valid_pin(pin):
            print(f"kiosk set-pin: a staff PIN is {RULE}; nothing was changed", file=sys.stderr)
            return None
        again = getpass.getpass("The same PIN again: ").strip()
    except (EOFError, KeyboardInterrupt):
        print("\nkiosk set-pin: nothing was changed", file=sys.stderr)
        return None
    if again != pin:
        print("kiosk set-pin: the two PINs differ; nothing was changed", file=sys.stderr)
        return None
    return pin
