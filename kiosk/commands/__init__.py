"""The commands of `kiosk`, one module each: `add_parser(subparsers, common)` and `run(args) -> int`.

`COMMANDS` is the one registry. A module listed here that cannot be imported is a bug and
fails loudly (tests/test_cli.py imports every one); it is never skipped as a missing command.
Each module imports only argparse and pathlib at the top, so building the parser at every
start of the kiosk costs almost nothing; the real work is imported inside `run`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from types import ModuleType

COMMANDS = ("check", "proof", "narrate", "leaflet", "stats", "set_pin", "supervise", "bench", "monkey", "pack", "fleet")


def date_argument(text: str) -> dt.date:
    """A day on the command line (`--since`, `--until`, `--today`), as 2025-05-31."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-05-31") from None


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMANDS]


class Speaker:
    """The messages of one command in the language it was asked for: `--lang`, else the locale
    (LC_ALL, LC_MESSAGES, LANG), else English. The catalogs load on the first message."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._i18n: object = None

    def _catalogs(self):  # type: ignore[no-untyped-def]
        if self._i18n is None:
            from kiosk.core.model import I18n

            self._i18n = I18n()
        return self._i18n

    def t(self, message: str) -> str:
        """The translated template (placeholders not filled)."""
        return str(self._catalogs().gettext(message, self.lang))

    def nt(self, singular: str, plural: str, n: int) -> str:
        return str(self._catalogs().ngettext(singular, plural, n, self.lang))

    def say(self, message: str, **params: object) -> str:
        """The message in words, its placeholders filled; never raises."""
        from kiosk.core.model import render

        return render(message, params, self.t)


def speaker(args: object) -> Speaker:
    from kiosk.core.model import locale_language

    return Speaker(getattr(args, "message_lang", None) or locale_language())
