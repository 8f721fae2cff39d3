"""The `kiosk` command. Heavy imports (Qt) happen only in the commands that need them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The options every command takes, before or after the command's name: `kiosk --data-dir X stats
# report` and `kiosk stats report --data-dir X` mean the same. Each parser level declares them with
# a suppressed default, so a level where they are absent never overwrites a level where they are given.
GLOBAL_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--data-dir", "data_dir", "folder for settings, logs and statistics (or set KIOSK_DATA_DIR)"),
    ("--config", "config", "site settings file (default: settings.yaml in the data folder)"),
    ("--content", "content", "content folder (default: from the settings, else the bundled content)"),
    ("--lang", "message_lang", "language of the messages: kk, ru, uz or en (default: from the locale, "
                               "LC_ALL / LC_MESSAGES / LANG, else en)"),
)
MESSAGE_LANGUAGES = ("kk", "ru", "uz", "en")


def common(parser: argparse.ArgumentParser) -> None:
    """The global options on one parser level. A command whose own `--lang` means something else
    (`kiosk leaflet --lang ru`: the leaflet's language) builds its parser with
    conflict_handler="resolve", so its option wins after its name; before it, `kiosk --lang kk
    leaflet ...` still sets the language of the messages."""
    for flag, dest, help_text in GLOBAL_OPTIONS:
        if dest == "message_lang":
            parser.add_argument(flag, dest=dest, choices=MESSAGE_LANGUAGES, default=argparse.SUPPRESS,
                                help=help_text)
        else:
            parser.add_argument(flag, dest=dest, type=Path, default=argparse.SUPPRESS, help=help_text)


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    from kiosk.commands import command_modules

    parser = argparse.ArgumentParser(prog="kiosk", description="Safe-migration information kiosk.")
    common(parser)
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of full-screen kiosk mode (for authors)")
    parser.add_argument("--size", default=None, help="window size for --windowed, e.g. 1366x768")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if with_commands:
        for module in command_modules():
            module.add_parser(sub, common)
    return parser


def _names_a_command(words: list[str]) -> bool:
    """False for the kiosk itself (`kiosk [--windowed] [--size S] [--data-dir D] ...`), which then
    needs none of the command modules: not loading them saves start-up time. Anything else, help,
    a command or a word that is not an option's value, builds the whole parser."""
    takes_value = {flag for flag, _dest, _help in GLOBAL_OPTIONS} | {"--size"}
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in takes_value:
            skip = True
        elif word in ("-h", "--help") or not word.startswith("-"):
            return True  # help, a command, or a word that is not an option's value
        elif word != "--windowed" and "=" not in word:
            return True  # an option the kiosk itself does not take: the whole parser says what is wrong
    return False


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(with_commands=_names_a_command(words)).parse_args(argv)
    for _flag, dest, _help in GLOBAL_OPTIONS:
        if not hasattr(args, dest):
            setattr(args, dest, None)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command is not None:
        try:
            return int(args.run(args))
        except BrokenPipeError:  # `kiosk check | head`: the reader has gone, not an error of ours
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
            return 1
    from kiosk.app import run_kiosk

    return run_kiosk(args)


if __name__ == "__main__":
    sys.exit(main())
