"""The glossary (translations/glossary.yaml): per language, the one term for each concept that
must not vary, and the variants that are forbidden. Qt-free; tests/test_glossary.py holds the
catalogs and the default content to it.

A forbidden variant matches at the start of a word, ignoring case, with any ending (a stem
catches every case form of Kazakh, Russian and Uzbek); a word ending in `|` must be that word
exactly. Letters are Unicode letters, so Cyrillic and the Uzbek ʻ are letters too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGUAGE_KEYS = ("kk", "ru", "uz", "en")
_LETTER = r"[^\W\d_]|[ʻʼ'‘’]"  # Uzbek oʻ/gʻ and the tutuq belgisi are inside a word


@dataclass(frozen=True)
class Rule:
    concept: str
    language: str
    use: str
    variant: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Finding:
    where: str  # file (and line) of the text
    entry: str  # the msgid, or the key path in the YAML
    language: str
    found: str  # the forbidden word as written
    rule: Rule

    def __str__(self) -> str:
        return (f"{self.where}: {self.entry}: [{self.language}] {self.found!r} is a forbidden variant of "
                f"{self.rule.concept!r}; use {self.rule.use!r}")


def variant_pattern(variant: str) -> re.Pattern[str]:
    parts = []
    for word in variant.split():
        exact = word.endswith("|")
        stem = re.escape(word.rstrip("|"))
        parts.append(stem + (rf"(?!{_LETTER})" if exact else rf"(?:{_LETTER})*"))
    return re.compile(rf"(?<!{_LETTER})" + r"\s+".join(parts), re.IGNORECASE)


def load_rules(path: Path) -> list[Rule]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for concept, entry in data.items():
        for language in LANGUAGE_KEYS:
            spec = entry.get(language)
            if not spec:
                continue
            for variant in spec.get("forbid", []):
                rules.append(Rule(concept, language, spec["use"], variant, variant_pattern(variant)))
    return rules


def check(rules: Iterable[Rule], texts: Iterable[tuple[str, str, str, str]]) -> Iterator[Finding]:
    """`texts`: (where, entry, language, text). Yields every forbidden variant found."""
    by_language: dict[str, list[Rule]] = {}
    for rule in rules:
        by_language.setdefault(rule.language, []).append(rule)
    for where, entry, language, text in texts:
        for rule in by_language.get(language, []):
            for match in rule.pattern.finditer(text):
                yield Finding(where, entry, language, match.group(0), rule)


def content_texts(root: Path) -> Iterator[tuple[str, str, str, str]]:
    """Every visitor text of a content folder: each string under a language key (kk, ru, uz, en),
    except narration (file names)."""
    from kiosk.core.model import load_file

    for path in sorted([*root.glob("*.yaml"), *root.glob("slides/*.yaml")]):
        data, _warnings = load_file(path)
        yield from _walk(data, path.relative_to(root).as_posix(), "")


def _walk(node: object, where: str, key_path: str) -> Iterator[tuple[str, str, str, str]]:
    if isinstance(node, dict):
        if node and set(node) <= set(LANGUAGE_KEYS) and not key_path.endswith("narration"):
            line_of = getattr(node, "line_of", None)
            for language, text in node.items():
                if isinstance(text, str):
                    line = line_of(language) if line_of else 0
                    yield f"{where}:{line}" if line else where, key_path, language, text
            return
        for key, value in node.items():
            yield from _walk(value, where, f"{key_path}.{key}" if key_path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, where, f"{key_path}[{i}]")


def catalog_texts(translations: Path) -> Iterator[tuple[str, str, str, str]]:
    """Every msgstr of the four catalogs, with its msgid."""
    from babel.messages.pofile import read_po

    for language in LANGUAGE_KEYS:
        po = translations / language / "LC_MESSAGES" / "kiosk.po"
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            line = message.lineno
            for text in strings:
                if isinstance(text, str) and text:
                    yield f"{po.relative_to(translations.parent).as_posix()}:{line}", f"msgid {msgid!r}", language, text
