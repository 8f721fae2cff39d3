"""`kiosk check`: what an author reads after editing the content."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.core.content import LANGUAGES
from kiosk.core.loader import LANGUAGE_NAMES, load_content
from kiosk.core.problems import LoadResult


def check_report(root: Path, today: dt.date | None = None) -> tuple[LoadResult, str]:
    result = load_content(root, today)
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
