"""Messages as data: an N_ template and named parameters, put into words at display time.

`kiosk check`, pack installs and the staff screen report problems that an author or a staff
member reads in their own language. A message is kept as its English template (the gettext
msgid) and its parameters (file names, YAML keys, ids, numbers: never translated), so the same
problem can be shown in Kazakh on the staff screen and in English in the log. A parameter may
itself be a message (a hint, the name of a field), which is translated in the same language.

Rendering never raises: a translation that lost or misspelt a placeholder, or a parameter that
is missing, still gives a readable line (the placeholder stays visible as `{name}`), because a
message about a problem must not become a second problem.
"""

from __future__ import annotations

import os
import string
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.core.model.i18n import I18n

Translate = Callable[[str], str]


def english(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    msgid: str
    params: tuple[tuple[str, Any], ...] = ()

    def render(self, translate: Translate = english) -> str:
        return render(self.msgid, dict(self.params), translate)

    def __str__(self) -> str:
        return self.render()


def msg(msgid: str, **params: Any) -> Message:
    """A message to show later: `msg(N_("'{key}' is missing"), key="title")`. A parameter that is
    not text, a number or a message (a list an author wrote where a name belongs, a path) is kept
    as its text, so a message stays small, hashable and picklable; a Problem is kept, to be said
    in the reader's language."""
    return Message(msgid, tuple((k, v if _kept(v) else str(v)) for k, v in params.items()))


def _kept(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, Message)) or callable(getattr(value, "render", None))


class _Params(dict):  # type: ignore[type-arg]
    """A missing placeholder stays visible as itself rather than raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def _unsafe(char: str) -> bool:
    # Cc: C0 and C1 controls (BEL, ESC, CR, U+0085...); Cf: format characters, among them the
    # bidirectional overrides (U+202E) that turn a name around on screen; Zl/Zp: line and
    # paragraph separators. Letters of any script (Cyrillic, ʻ U+02BB) are none of these.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def _escaped_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_controls(text: str, lines: bool = False) -> str:
    """Text from outside (a file name, a YAML key or value, a printer's name, lpstat's words) as it
    may be shown: every control or format character written out visibly (`\\x07`, `\\x1b`,
    `\\u202e`), so that it can neither ring, clear or move a terminal nor reorder a line on the
    staff screen. Everything else is left as it is."""
    if lines:  # a listing of several lines (lpstat's): its line breaks and tabs stay, nothing else
        return "\n".join("\t".join(escape_controls(part) for part in line.split("\t"))
                         for line in text.split("\n"))
    if text.isprintable() and text.isascii():  # the common case, at C speed
        return text
    return "".join(_escaped_char(c) if _unsafe(c) else c for c in text)


def _value(value: Any, translate: Translate) -> Any:
    # The one place where text from outside enters a message: every parameter that is text is
    # escaped here; templates and their translations are ours and are left alone.
    if isinstance(value, Message):
        return value.render(translate)
    if hasattr(value, "render") and callable(value.render):  # a Problem, a PackError
        try:
            return str(value.render(translate))
        except Exception:  # noqa: BLE001 - never let a message raise
            return escape_controls(str(value))
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, (int, float)) or value is None:
        return value
    text = str(value)  # a Path, a number type of its own: kept for a format spec unless it needs escaping
    safe = escape_controls(text)
    return value if safe == text else safe


def _fill(template: str, params: Mapping[str, Any]) -> str:
    # Only simple named fields are filled; anything else (`{0}`, `{a.b}`, a stray brace from a
    # translator) makes the whole template fall back, below.
    out: list[str] = []
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        out.append(literal)
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(field)
        value = params[field]
        if conversion:
            value = _FORMATTER.convert_field(value, conversion)
        out.append(format(value, spec) if spec else str(value))
    return "".join(out)


def render(msgid: str, params: Mapping[str, Any], translate: Translate = english) -> str:
    values = _Params({k: _value(v, translate) for k, v in params.items()})
    try:
        template = str(translate(msgid))
    except Exception:  # noqa: BLE001 - a broken catalog: English
        template = msgid
    for candidate in (template, msgid):
        try:
            return _fill(candidate, values)
        except Exception:  # noqa: BLE001 - a broken translation: try the English template
            continue
    return msgid + "".join(f" {k}={v}" for k, v in values.items())  # values: escaped above


def translator(i18n: I18n | None, lang: str) -> Translate:
    """The gettext function of one language; English without catalogs."""
    if i18n is None:
        return english
    return lambda message: i18n.gettext(message, lang)


# -- the language of the command line --------------------------------------------------------------

def locale_language(environ: Mapping[str, str] | None = None, known: tuple[str, ...] = ("kk", "ru", "uz", "en")) -> str:
    """The language the locale asks for, as POSIX reads it: LC_ALL, else LC_MESSAGES, else LANG
    (kk_KZ.UTF-8 -> kk, uz_UZ@latin -> uz); English when none is set or none is known."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in known else "en"
    return "en"
