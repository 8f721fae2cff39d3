"""`kiosk check`: what an author reads after editing the content, in the author's language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.core.content import LANGUAGES
from kiosk.core.i18n import N_, NP_
from kiosk.core.loader import load_content
from kiosk.core.messages import Translate, english, render
from kiosk.core.problems import LoadResult, reading_order

# TRANSLATORS: the first line of `kiosk check`; {folder} is a folder path.
K_CHECKING = N_("Checking the content in {folder}")
# TRANSLATORS: `kiosk check`, before the list of errors.
K_ERRORS = NP_("{count} error: the kiosk cannot use this content until it is fixed",
               "{count} errors: the kiosk cannot use this content until they are fixed")
# TRANSLATORS: `kiosk check`, before the list of warnings.
K_WARNINGS = NP_("{count} warning: the kiosk works, but look at it",
                 "{count} warnings: the kiosk works, but look at these")
K_TRANSLATIONS = N_("Translations (visitor texts written in each language):")
# TRANSLATORS: a row of the translations table: {lang} is kk, ru, uz or en, {name} the language's
# name, {have} and {total} numbers, {percent} a number from 0 to 100.
K_COVERAGE = N_("{lang} {name}: {have} of {total} ({percent}%)")
# TRANSLATORS: under a row of the translations table: a text not written in that language yet.
# {where} is a file and line such as slides/04-passport.yaml:3; {what} the field, such as 'title'.
K_MISSING = N_("missing: {where} {what}")
K_MORE = N_("… and {count} more")
# TRANSLATORS: the last line of a good `kiosk check`. {id}, {version} are written as in manifest.yaml.
K_OK = N_("OK: '{id}' version {version}: {slides} slides, {questions} quiz questions, {leaflet}, "
          "{numbers} phone numbers, languages {languages}.")
K_LEAFLET = N_("a leaflet")
K_NO_LEAFLET = N_("no leaflet")
K_NOT_USABLE = N_("NOT USABLE: fix the errors above; a running kiosk keeps its last good content.")
LANGUAGE_NAMES = {"kk": N_("Kazakh"), "ru": N_("Russian"), "uz": N_("Uzbek"), "en": N_("English")}


def check_report(root: Path, today: dt.date | None = None, translate: Translate = english,
                 ngettext: object = None) -> tuple[LoadResult, str]:
    """The report of `kiosk check`; `translate` is the gettext of the reader's language, `ngettext`
    its plural form (singular, plural, n) -> str (English rules without it)."""
    result = load_content(root, today)
    t = translate

    def nt(pair: tuple[str, str], n: int, **params: object) -> str:
        if callable(ngettext):
            template = str(ngettext(pair[0], pair[1], n))
        else:
            template = t(pair[0] if n == 1 else pair[1])
        return render(template, {"count": n, **params}, english)

    lines: list[str] = [render(K_CHECKING, {"folder": root}, t)]
    errors, warnings = result.problems.errors, result.problems.warnings
    if errors:
        lines.append("")
        lines.append(nt(K_ERRORS, len(errors)))
        lines += [f"  {p.render(t)}" for p in sorted(errors)]
    if warnings:
        lines.append("")
        lines.append(nt(K_WARNINGS, len(warnings)))
        # The most urgent warning for the NGO comes first: a phone number nobody has confirmed.
        lines += [f"  {p.render(t)}" for p in reading_order(warnings)]
    cov = result.coverage
    if cov.total:
        lines.append("")
        lines.append(t(K_TRANSLATIONS))
        for lang in LANGUAGES:
            have = cov.present.get(lang, 0)
            lines.append("  " + render(K_COVERAGE, {"lang": lang, "name": t(LANGUAGE_NAMES[lang]), "have": have,
                                                    "total": cov.total, "percent": 100 * have // cov.total}, t))
            for where, what in cov.missing.get(lang, [])[:10]:
                lines.append("      " + render(K_MISSING, {"where": where, "what": what}, t))
            more = len(cov.missing.get(lang, [])) - 10
            if more > 0:
                lines.append("      " + render(K_MORE, {"count": more}, t))
    lines.append("")
    if result.content is not None:
        c = result.content
        lines.append(render(K_OK, {"id": c.id, "version": c.version, "slides": len(c.slides),
                                   "questions": len(c.quiz.questions) if c.quiz else 0,
                                   "leaflet": t(K_LEAFLET if c.leaflet else K_NO_LEAFLET),
                                   "numbers": len(c.contacts), "languages": ", ".join(c.languages)}, t))
    else:
        lines.append(t(K_NOT_USABLE))
    return result, "\n".join(lines)
