"""`kiosk check`: what an author reads after editing the content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.core.content import LANGUAGES
from kiosk.core.loader import LANGUAGE_NAMES, load_content
from kiosk.core.problems import LoadResult

# The narration messages of `kiosk check`, in one place (kiosk/core/narration.py says what they count).
NARRATION_HEADING = "Narration (what the Listen button plays in each language):"
NARRATION_COLUMNS = "items  recorded  synthetic  stale  missing"
NARRATION_TODO = "{n} item(s) have no voice: run `kiosk narrate {root}` to make the synthetic voice for them"
NARRATION_UNUSED = "{n} synthetic file(s) speak a text no item has any more; `kiosk narrate {root}` removes them"
STALE_RECORDING = ("was recorded for an older text of {key}; record it again and run `kiosk narrate`, "
                   "or delete it (the synthetic voice reads the new text meanwhile)")
UNKNOWN_RECORDING = "is not the name of anything the kiosk reads aloud, so it is never played{hint}"


def check_report(root: Path, today: dt.date | None = None) -> tuple[LoadResult, str]:
    result = load_content(root, today)
    narration = _narration_lines(result, root)
    lines: list[str] = [f"Checking the content in {root}"]
    errors, warnings = result.problems.errors, result.problems.warnings
    # The most urgent warning for the NGO comes first: a phone number nobody has confirmed.
    warnings.sort(key=lambda p: (0 if "number" in p.message else 1, p.file, p.line))
    if errors:
        lines.append("")
        lines.append(f"{len(errors)} error(s): the kiosk cannot use this content until they are fixed")
        lines += [f"  {p}" for p in sorted(errors)]
    if warnings:
        lines.append("")
        lines.append(f"{len(warnings)} warning(s): the kiosk works, but look at these")
        lines += [f"  {p}" for p in warnings]
    cov = result.coverage
    if cov.total:
        lines.append("")
        lines.append("Translations (visitor texts written in each language):")
        for lang in LANGUAGES:
            have = cov.present.get(lang, 0)
            pct = 100 * have // cov.total
            lines.append(f"  {lang} {LANGUAGE_NAMES[lang]:<8} {have:>4} of {cov.total}  {pct:>3}%")
            for where in cov.missing.get(lang, [])[:10]:
                lines.append(f"      missing: {where}")
            more = len(cov.missing.get(lang, [])) - 10
            if more > 0:
                lines.append(f"      … and {more} more")
    lines += narration
    lines.append("")
    if result.content is not None:
        c = result.content
        quiz = f", {len(c.quiz.questions)} quiz questions" if c.quiz else ""
        leaflet = ", a leaflet" if c.leaflet else ""
        lines.append(f"OK: '{c.id}' version {c.version}: {len(c.slides)} slides{quiz}{leaflet}, "
                     f"{len(c.contacts)} phone numbers, languages {', '.join(c.languages)}.")
    else:
        lines.append("NOT USABLE: fix the errors above; a running kiosk keeps its last good content.")
    return result, "\n".join(lines)


def _narration_lines(result: LoadResult, root: Path) -> list[str]:
    """The coverage table; stale and misnamed human recordings go into the warnings."""
    if result.content is None:
        return []
    from kiosk.core.i18n import I18n
    from kiosk.core.loader import _did_you_mean
    from kiosk.core.narration import Kind, coverage, slugs

    content, i18n = result.content, I18n()
    cov = coverage(content, i18n)
    problems = result.problems
    for item, path in cov.stale_recordings:
        problems.warning(path, 0, STALE_RECORDING.format(key=item.key))
    for path in cov.unknown_recordings:
        hint = _did_you_mean(path.stem, slugs(content, i18n, path.parent.parent.name))
        problems.warning(path, 0, UNKNOWN_RECORDING.format(hint=hint))
    lines = ["", NARRATION_HEADING, f"  {'':<11} {NARRATION_COLUMNS}"]
    for lang in content.languages:
        k = cov.kinds.get(lang, {})
        lines.append(f"  {lang} {LANGUAGE_NAMES[lang]:<8} {cov.items.get(lang, 0):>5} {k.get(Kind.RECORDED, 0):>9} "
                     f"{k.get(Kind.SYNTHETIC, 0):>10} {k.get(Kind.STALE, 0):>6} {k.get(Kind.MISSING, 0):>8}")
    unvoiced = sum(len(v) for v in cov.unvoiced.values())
    if unvoiced:
        lines.append("  " + NARRATION_TODO.format(n=unvoiced, root=root))
    if cov.unused_synthetic:
        lines.append("  " + NARRATION_UNUSED.format(n=len(cov.unused_synthetic), root=root))
    return lines
