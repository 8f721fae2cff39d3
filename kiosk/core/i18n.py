"""UI strings through one translation service, switched per visitor at run time.

Catalogs are gettext `.po` files managed with Babel. The install compiles them to `.mo`;
in a checkout, a missing or stale `.mo` is compiled in memory at start-up, so an edited
`.po` shows up without a build step.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from kiosk.core.content import LANGUAGES
from kiosk.core.resources import translations_dir
from kiosk.core.signals import Signal

DOMAIN = "kiosk"
BABEL_LOCALES = {"kk": "kk", "ru": "ru", "uz": "uz_Latn", "en": "en"}


def load_translation(lang: str, directory: Path | None = None) -> gettext.NullTranslations:
    base = (directory or translations_dir()) / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        data = compile_po(po, lang)
        _save_quietly(mo, data)  # the next start reads the .mo and needs no Babel at all
        return gettext.GNUTranslations(io.BytesIO(data))
    return gettext.NullTranslations()


def _save_quietly(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".mo.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only install compiles in memory each start


def compile_po(po: Path, lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALES.get(lang, lang), domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


class I18n:
    """The current visitor language and its catalog; `language_changed` fires on switches."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES, directory: Path | None = None,
                 language: str | None = None) -> None:
        self._directory = directory
        self._catalogs: dict[str, gettext.NullTranslations] = {}
        self.languages = languages
        self.language = language or languages[0]
        self.language_changed = Signal()

    def catalog(self, lang: str) -> gettext.NullTranslations:
        if lang not in self._catalogs:
            self._catalogs[lang] = load_translation(lang, self._directory)
        return self._catalogs[lang]

    def set_language(self, lang: str) -> None:
        if lang == self.language:
            return
        self.language = lang
        self.language_changed.emit(lang)

    def gettext(self, message: str, lang: str | None = None) -> str:
        return self.catalog(lang or self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, lang: str | None = None) -> str:
        return self.catalog(lang or self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str, lang: str | None = None) -> str:
        return self.catalog(lang or self.language).pgettext(context, message)

    def format_number(self, value: float, lang: str | None = None) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=BABEL_LOCALES[lang or self.language])

    def format_date(self, value: object, lang: str | None = None, fmt: str = "long") -> str:
        from babel.dates import format_date

        return format_date(value, format=fmt, locale=BABEL_LOCALES[lang or self.language])  # type: ignore[arg-type]


def N_(message: str) -> str:  # noqa: N802
    """Marks a string for extraction where it is translated later (at display time)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Marks a singular/plural pair for extraction; translate with `ngettext(*pair, n)`."""
    return singular, plural
