"""UI strings through one translation service, switched per visitor at run time.

Catalogs are gettext `.po` files managed with Babel. The install compiles them to `.mo`;
in a checkout, a missing or stale `.mo` is compiled in memory at start-up, so an edited
`.po` shows up without a build step.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from kiosk.core.model.resources import translations_dir

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
    """The catalogs of the kiosk's own words, looked up for the language each caller names.

    It holds no "current" language: the visitor's language lives in the visit, the staff
    member's in staff mode, the report's in its command line.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._catalogs: dict[str, gettext.NullTranslations] = {}

    def catalog(self, lang: str) -> gettext.NullTranslations:
        if lang not in self._catalogs:
            self._catalogs[lang] = load_translation(lang, self._directory)
        return self._catalogs[lang]

    def gettext(self, message: str, lang: str) -> str:
        return self.catalog(lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, lang: str) -> str:
        return self.catalog(lang).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str, lang: str) -> str:
        return self.catalog(lang).pgettext(context, message)

    def format_number(self, value: float, lang: str) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=BABEL_LOCALES[lang])

    def format_date(self, value: object, lang: str, fmt: str = "long") -> str:
        from babel.dates import format_date

        return format_date(value, format=fmt, locale=BABEL_LOCALES[lang])  # type: ignore[arg-type]


def N_(message: str) -> str:  # noqa: N802
    """Marks a string for extraction where it is translated later (at display time)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Marks a singular/plural pair for extraction; translate with `ngettext(*pair, n)`."""
    return singular, plural
