"""`kiosk check`: what an author reads after editing the content, in the author's language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from kiosk.core.content.loader import load_content
from kiosk.core.model import LANGUAGES, N_, NP_, LoadResult, Translate, english, reading_order, render

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

# The narration messages of `kiosk check`, in one place (kiosk/core/narration/narration.py says what they count).
K_NARRATION = N_("Narration (what the Listen button plays in each language):")
# TRANSLATORS: a row of the narration table; {lang} is kk, ru, uz or en, {name} the language's name.
K_NARRATION_ROW = N_("{lang} {name}: {items} items: {recorded} recorded, {synthetic} synthetic, {stale} stale, "
                     "{missing} missing")
K_NARRATION_TODO = NP_("{count} item has no voice: run `kiosk narrate {root}` to make the synthetic voice for it",
                       "{count} items have no voice: run `kiosk narrate {root}` to make the synthetic voice for them")
K_NARRATION_UNUSED = NP_("{count} synthetic file speaks a text no item has any more; `kiosk narrate {root}` "
                         "removes it",
                         "{count} synthetic files speak a text no item has any more; `kiosk narrate {root}` "
                         "removes them")
STALE_RECORDING = N_("was recorded for an older text of {key}; record it again and run `kiosk narrate`, "
                     "or delete it (the synthetic voice reads the new text meanwhile)")
UNKNOWN_RECORDING = N_("is not the name of anything the kiosk reads aloud, so it is never played")
# Evidence of learning (kiosk/core/visit/evidence.py): the question asked before the menu.
# TRANSLATORS: `kiosk check` warning; evidence_before_share and 'before: true' are written as in the files.
K_EVIDENCE_NONE = N_("the settings turn evidence on, but no quiz question is marked 'before: true', so nobody "
                     "is asked before the menu; mark two or three questions that a picture can carry")
# TRANSLATORS: `kiosk check` warning about a question marked 'before: true'; {id} is its id, {why} says why.
K_EVIDENCE_HARD = N_("question {id} is marked 'before: true' but is hard to read before the slides: {why}")
# TRANSLATORS: `kiosk check`: why a before question is hard to read.
K_WHY_PICTURE = N_("it has no picture")
# TRANSLATORS: `kiosk check`: why a before question is hard to read; {lang} kk, ru, uz or en, {count} a number.
K_WHY_PROMPT = N_("its question has {count} letters in {lang} (at most {limit})")
# TRANSLATORS: `kiosk check`: why a before question is hard to read; {lang} kk, ru, uz or en, {count} a number.
K_WHY_ANSWER = N_("an answer has {count} letters in {lang} (at most {limit})")
# TRANSLATORS: `kiosk check`: why a before question is hard to read; {count} is a number of answers.
K_WHY_ANSWERS = N_("it has {count} answers (at most 3)")
# A before question is read by someone who has seen nothing yet: short, three answers, a picture.
BEFORE_PROMPT_MAX = 100
BEFORE_ANSWER_MAX = 60
# TRANSLATORS: `kiosk check`: {key} is an item such as slide/offer, {lang} kk/ru/uz/en, {things} what
# the synthetic voice will read oddly (digits, signs such as % or №, Latin letters in a Cyrillic text,
# abbreviations). 'spoken:' is a YAML key and is never translated.
ODD_SPOKEN = N_("{key}, {lang}: the voice will read {things} oddly; write it in words, or write what the voice "
                "should say under 'spoken:' beside the text")
# Where an item's text is written, for the warning's file name (the kiosk's own words, read on the
# attract and leaflet screens and in the score, are checked by the test of the translations).
_ODD_FILES = {"slide": "slides", "question": "quiz.yaml", "answer": "quiz.yaml", "explanation": "quiz.yaml",
              "band": "quiz.yaml", "advice": "manifest.yaml", "neutral": "neutral.yaml"}



_NAME_LINE = re.compile(r"^\s*(?:-\s*)?[A-Za-z_][A-Za-z0-9_]*\s*:")


def _odd_place(root: Path, key: str, lang: str, things: list[str]) -> tuple[Path, int] | None:
    """The file and line where `lang`'s own text of the item `key` holds the first of `things`, so
    the warning says where to write the words (file:line, as every problem inside a file does).

    None when no text written in `lang` holds them: the screen then shows another language's text
    (a missing translation, reported on its own), and the voice's oddity is that one's."""
    kind, _, ident = key.partition("/")
    where = _ODD_FILES[kind]
    if where == "slides":
        folder = root / "slides"
        files = sorted(folder.glob(f"*-{ident}.yaml")) or sorted(folder.glob("*.yaml"))
    else:
        files = [root / where]
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        inside = False  # in the lines of `lang`'s text: its own line and a block scalar's lines
        for number, line in enumerate(lines, 1):
            if re.search(rf"(?:^|[\s{{,]){re.escape(lang)}\s*:", line):
                inside = True
            elif _NAME_LINE.match(line):
                inside = False
            if inside and any(thing in line for thing in things):
                return path, number
    return None


def check_report(root: Path, today: dt.date | None = None, translate: Translate = english,
                 ngettext: object = None, evidence: bool = False) -> tuple[LoadResult, str]:
    """The report of `kiosk check`; `translate` is the gettext of the reader's language, `ngettext`
    its plural form (singular, plural, n) -> str (English rules without it). `evidence`: the
    settings turn evidence of learning on."""
    result = load_content(root, today)
    t = translate
    from kiosk.core.narration import index_problem

    damaged_index = index_problem(root)  # read here, not at every start of the kiosk (issue 22)
    if damaged_index is not None:
        result.problems.items.append(damaged_index)

    def nt(pair: tuple[str, str], n: int, **params: object) -> str:
        if callable(ngettext):
            template = str(ngettext(pair[0], pair[1], n))
        else:
            template = t(pair[0] if n == 1 else pair[1])
        return render(template, {"count": n, **params}, english)

    lines: list[str] = [render(K_CHECKING, {"folder": root}, t)]
    _evidence_warnings(result, root, evidence)
    narration = _narration_lines(result, root, t, nt)
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
    lines += narration
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


def _narration_lines(result: LoadResult, root: Path, t: Translate,
                     nt: Callable[..., str]) -> list[str]:
    """The coverage table; stale and misnamed human recordings go into the warnings."""
    if result.content is None:
        return []
    from kiosk.core.content.loader import did_you_mean, with_hint
    from kiosk.core.model import I18n, msg
    from kiosk.core.narration import Kind, coverage, slugs

    content, i18n = result.content, I18n()
    cov = coverage(content, i18n)
    problems = result.problems
    for item, path in cov.stale_recordings:
        problems.warning(path, 0, STALE_RECORDING, key=item.key)
    for path in cov.unknown_recordings:
        hint = did_you_mean(path.stem, slugs(content, i18n, path.parent.parent.name))
        problems.warning(path, 0, with_hint(msg(UNKNOWN_RECORDING), hint))
    from kiosk.core.narration import oddities, spoken_items

    for item in spoken_items(content, i18n):
        odd = oddities(item.text, item.lang) if item.key.split("/")[0] in _ODD_FILES else []
        place = _odd_place(content.root, item.key, item.lang, odd) if odd else None
        if place is not None:
            problems.warning(place[0], place[1], ODD_SPOKEN, key=item.key, lang=item.lang,
                             things=", ".join(f"'{thing}'" for thing in odd))
    lines = ["", t(K_NARRATION)]
    for lang in content.languages:
        k = cov.kinds.get(lang, {})
        lines.append("  " + render(K_NARRATION_ROW, {
            "lang": lang, "name": t(LANGUAGE_NAMES[lang]), "items": cov.items.get(lang, 0),
            "recorded": k.get(Kind.RECORDED, 0), "synthetic": k.get(Kind.SYNTHETIC, 0),
            "stale": k.get(Kind.STALE, 0), "missing": k.get(Kind.MISSING, 0)}, t))
    unvoiced = sum(len(v) for v in cov.unvoiced.values())
    if unvoiced:
        lines.append("  " + nt(K_NARRATION_TODO, unvoiced, root=root))
    if cov.unused_synthetic:
        lines.append("  " + nt(K_NARRATION_UNUSED, len(cov.unused_synthetic), root=root))
    return lines


def _evidence_warnings(result: LoadResult, root: Path, evidence: bool) -> None:
    """Questions marked `before: true` that are hard to read; none marked while evidence is on."""
    from kiosk.core.model import msg

    content = result.content
    if content is None or content.quiz is None:
        return
    path = root / "quiz.yaml"
    marked = [q for q in content.quiz.questions if q.before]
    if evidence and not marked:
        result.problems.warning(path, 0, K_EVIDENCE_NONE)
    for q in marked:
        why = []
        if q.picture is None:
            why.append(msg(K_WHY_PICTURE))
        if len(q.answers) > 3:
            why.append(msg(K_WHY_ANSWERS, count=len(q.answers)))
        for lang in content.languages:
            if len(q.prompt.get(lang)) > BEFORE_PROMPT_MAX:
                why.append(msg(K_WHY_PROMPT, count=len(q.prompt.get(lang)), lang=lang, limit=BEFORE_PROMPT_MAX))
            longest = max(len(a.text.get(lang)) for a in q.answers)
            if longest > BEFORE_ANSWER_MAX:
                why.append(msg(K_WHY_ANSWER, count=longest, lang=lang, limit=BEFORE_ANSWER_MAX))
        for reason in why:
            result.problems.warning(path, 0, K_EVIDENCE_HARD, id=q.id, why=reason)
