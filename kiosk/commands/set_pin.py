"""`kiosk set-pin`: store the staff PIN as a salted slow hash in the kiosk's settings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import N_

# The kiosk builds this parser at every start; the PIN code (hashlib, json) is imported only
# when the command runs. tests/test_pin.py checks that RULE says what kiosk.core.staff.pin.PIN_DIGITS does.
RULE = "4 to 12 digits"
# TRANSLATORS: `kiosk set-pin` on the command line. {rule} is RULE, translated below.
S_RULE = N_("4 to 12 digits")
S_PROBLEMS = N_("{path} has problems; fix them first, then set the PIN again:")
S_CANNOT_WRITE = N_("cannot write {path}: {error}")
S_SET = N_("The staff PIN is set (as a salted hash in {path}). It works at once, also on a kiosk that is running now.")
S_REMOVED = N_("The staff PIN is removed from {path}: staff mode is closed, at once.")
S_STDIN = N_("the PIN on standard input must be {rule}; nothing was changed")
S_ASK = N_("New staff PIN ({rule}): ")
S_BAD = N_("a staff PIN is {rule}; nothing was changed")
S_AGAIN = N_("The same PIN again: ")
S_NOTHING = N_("nothing was changed")
S_DIFFER = N_("the two PINs differ; nothing was changed")
S_NO_TERMINAL = N_("there is no terminal to ask for the PIN (standard input is closed or not a terminal). "
                   "Give it on the first line of standard input with --pin-stdin; nothing was changed")
S_STDIN_EMPTY = N_("--pin-stdin: standard input is closed or empty, so there is no PIN to read; nothing was changed")


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

    from kiosk.commands import speaker
    from kiosk.core.site import default_data_dir, load_settings, save_settings, settings_path
    from kiosk.core.staff import StaffGate, hash_pin

    data_dir = args.data_dir or default_data_dir()
    path = settings_path(data_dir, args.config)
    settings, problems = load_settings(path)
    words = speaker(args)
    if problems.items:
        # Saving rewrites the file from what was understood: a bad or misspelt setting would be lost.
        print("kiosk set-pin: " + words.say(S_PROBLEMS, path=path), file=sys.stderr)
        for problem in problems.items:
            print(f"  {problem.render(words.t)}", file=sys.stderr)
        return 2
    if args.remove:
        pin_hash = ""
    else:
        from kiosk.commands.pack import has_terminal

        if not args.pin_stdin and not has_terminal():
            print("kiosk set-pin: " + words.say(S_NO_TERMINAL), file=sys.stderr)
            return 2
        pin = _pin_from_stdin(words) if args.pin_stdin else _pin_asked_twice(words)
        if isinstance(pin, int):
            return pin
        pin_hash = hash_pin(pin)
    try:
        save_settings(path, dataclasses.replace(settings, staff_pin=pin_hash))
    except OSError as exc:
        print("kiosk set-pin: " + words.say(S_CANNOT_WRITE, path=path, error=exc), file=sys.stderr)
        return 1
    StaffGate(Path(data_dir), pin_hash).reset()
    if pin_hash:
        print(words.say(S_SET, path=path))
    else:
        print(words.say(S_REMOVED, path=path))
    return 0


def _pin_from_stdin(words) -> str | int:  # type: ignore[no-untyped-def]
    """The PIN, or the exit code: 2 when there is nothing to read, 1 for a PIN that breaks the rule."""
    from kiosk.commands.pack import read_stdin_line
    from kiosk.core.staff import valid_pin

    line = read_stdin_line()
    if line is None:
        print("kiosk set-pin: " + words.say(S_STDIN_EMPTY), file=sys.stderr)
        return 2
    pin = line.strip()
    if not valid_pin(pin):
        print("kiosk set-pin: " + words.say(S_STDIN, rule=words.say(S_RULE)), file=sys.stderr)
        return 1
    return pin


def _pin_asked_twice(words) -> str | int:  # type: ignore[no-untyped-def]
    import getpass

    from kiosk.core.staff import valid_pin

    rule = words.say(S_RULE)
    try:
        pin = getpass.getpass(words.say(S_ASK, rule=rule)).strip()
        if not valid_pin(pin):
            print("kiosk set-pin: " + words.say(S_BAD, rule=rule), file=sys.stderr)
            return 1
        again = getpass.getpass(words.say(S_AGAIN)).strip()
    except (EOFError, KeyboardInterrupt):
        print("\nkiosk set-pin: " + words.say(S_NOTHING), file=sys.stderr)
        return 1
    if again != pin:
        print("kiosk set-pin: " + words.say(S_DIFFER), file=sys.stderr)
        return 1
    return pin
