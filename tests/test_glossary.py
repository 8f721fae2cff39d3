"""The glossary (translations/glossary.yaml) holds: no catalog msgstr and no visitor text of the
default content uses a variant it forbids. Qt-free, real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.content.glossary import (
    LANGUAGE_KEYS,
    catalog_texts,
    check,
    content_texts,
    load_rules,
    variant_pattern,
)
from tests.support import ROOT

GLOSSARY = ROOT / "translations" / "glossary.yaml"


def test_no_catalog_and_no_default_content_uses_a_forbidden_variant() -> None:
    rules = load_rules(GLOSSARY)
    texts = [*catalog_texts(ROOT / "translations"), *content_texts(ROOT / "content")]
    assert len(texts) > 1000  # every msgstr of four catalogs and every visitor text: not an empty walk
    findings = [str(f) for f in check(rules, texts)]
    assert findings == [], "\n".join(findings)


def test_every_concept_has_its_term_and_variants_in_every_language() -> None:
    import yaml

    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert set(data) == {"quiz", "leaflet", "staff", "quick_exit", "organisation"}
    for concept, entry in data.items():
        assert entry["why"].strip(), concept
        for language in LANGUAGE_KEYS:
            spec = entry[language]
            assert spec["use"] and spec["forbid"], (concept, language)
            for variant in spec["forbid"]:  # a term never forbids itself
                assert not variant_pattern(variant).search(spec["use"]), (concept, language, variant)


def test_the_quick_exit_term_is_the_catalogs_translation_of_quick_exit() -> None:
    import yaml

    from kiosk.core.model.i18n import load_translation

    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    for language in LANGUAGE_KEYS:
        assert load_translation(language).gettext("Quick exit") == data["quick_exit"][language]["use"]


@pytest.mark.parametrize(("variant", "text", "found"), [
    ("сауалнама", "Сауалнаманы бастаңыз", "Сауалнаманы"),  # case forms, any case
    ("сауалнама", "Қысқа САУАЛНАМАҒА қатысыңыз", "САУАЛНАМАҒА"),
    ("тест", "Вопросы теста", "теста"),
    ("тест", "пробная страница, контекст", None),  # inside a word is not a word start
    ("опрос", "Вопросы викторины", None),
    ("tez| chiqish", "Tezkor chiqish", None),  # `|`: this word exactly
    ("tez| chiqish", "Tez  chiqish tugmasi", "Tez  chiqish"),
    ("soʻrovnoma", "qisqa soʻrovnomani", "soʻrovnomani"),  # the okina is a letter of the word
    ("экстренн выход", "Экстренный выход", "Экстренный выход"),
    ("сана сезим|", "«Сана Сезім» орталығы", None),  # і and и are different letters
    ("сана сезим|", "«Сана Сезим» орталығы", "Сана Сезим"),
])
def test_variants_match_word_stems_case_and_script_aware(variant: str, text: str, found: str | None) -> None:
    match = variant_pattern(variant).search(text)
    assert (match.group(0) if match else None) == found


def test_a_finding_names_the_file_the_entry_and_the_term_to_use(tmp_path: Path) -> None:
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "01.yaml").write_text(
        "id: one\ntitle:\n  kk: \"Қысқа сауалнама\"\n  ru: \"Короткий тест\"\nnarration:\n  kk: audio/test.wav\n",
        encoding="utf-8")
    findings = [str(f) for f in check(load_rules(GLOSSARY), content_texts(tmp_path))]
    assert findings == [
        "slides/01.yaml:3: title: [kk] 'сауалнама' is a forbidden variant of 'quiz'; use 'викторина'",
        "slides/01.yaml:4: title: [ru] 'тест' is a forbidden variant of 'quiz'; use 'викторина'",
    ]  # the narration file name is not visitor text
