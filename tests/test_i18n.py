"""UI catalogs and visitor text: every string in every language, every letter in the font."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.core.model.content import LANGUAGES
from kiosk.core.model.i18n import I18n, compile_po
from tests.support import ROOT, default_content

PO = {lang: ROOT / "translations" / lang / "LC_MESSAGES" / "kiosk.po" for lang in LANGUAGES}


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with PO[lang].open("rb") as fh:
        return read_po(fh, locale=lang)


def visitor_strings() -> dict[str, set[str]]:
    """Every string a visitor can see, per language: content texts and UI catalog entries."""
    content = default_content()
    found: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    texts = [content.organisation.name, content.organisation.about, content.neutral.title, content.neutral.body]
    for contact in content.contacts:
        texts += [contact.name, contact.purpose]
    for slide in content.slides:
        texts += [slide.title, slide.body]
    if content.quiz:
        texts += [b.message for b in content.quiz.bands]
        for q in content.quiz.questions:
            texts += [q.prompt, q.explanation, *(a.text for a in q.answers)]
    if content.leaflet:
        lf = content.leaflet
        texts += [lf.title, lf.intro, lf.signs_title, lf.about_title, lf.tab, *lf.signs,
                  *(m.text for m in lf.messages)]
    for text in texts:
        for lang in LANGUAGES:
            found[lang].add(text.get(lang))
    for lang in LANGUAGES:
        for message in catalog(lang):
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found[lang].update(strings)
    return found


def test_template_matches_the_code() -> None:
    """Every string marked in the code is in the template (run pybabel extract after editing)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "kiosk.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "NP_:1,2",
                        "-c", "TRANSLATORS:", "--no-location", "--sort-output", "-o", str(pot), "."],
                       cwd=ROOT, check=True, capture_output=True)
        with pot.open("rb") as fh:
            extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for lang in LANGUAGES:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(lang) if m.id}
        assert extracted <= have, f"{lang}: not in the catalog (run pybabel update): {sorted(extracted - have)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_ui_string_is_translated(lang: str) -> None:
    untranslated = []
    for message in catalog(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            untranslated.append(message.id)
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    import re

    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w+\}", ids[0]))
        for s in strings:
            assert set(re.findall(r"\{\w+\}", s)) == wanted, (lang, ids[0], s)


def test_plural_forms_per_language() -> None:
    assert catalog("ru").num_plurals == 3
    assert catalog("kk").num_plurals == 2 and catalog("uz").num_plurals == 2


def test_catalogs_compile_and_switch_at_run_time() -> None:
    for lang in LANGUAGES:
        assert compile_po(PO[lang], lang).startswith(b"\xde\x12\x04\x95")  # the .mo magic number
    i18n = I18n()
    assert i18n.gettext("Back", "ru") == "Назад"
    assert i18n.gettext("Back", "uz") == "Orqaga"
    assert i18n.gettext("Back", "en") == "Back"


def test_uzbek_uses_the_okina_letter_everywhere() -> None:
    for text in visitor_strings()["uz"]:
        assert "'" not in text and "‘" not in text and "’" not in text, text


def test_every_character_has_a_glyph_in_the_bundled_font(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QRawFont

    from kiosk.core.model.resources import fonts_dir

    fonts = {path.name: QRawFont(str(path), 20, QFont.HintingPreference.PreferNoHinting)
             for path in sorted(fonts_dir().glob("*.ttf"))}
    assert all(f.isValid() for f in fonts.values())
    noto = [fonts["NotoSans-Regular.ttf"], fonts["NotoSans-Bold.ttf"]]
    symbols = [fonts["DejaVuSans.ttf"], fonts["DejaVuSans-Bold.ttf"]]
    missing: dict[str, set[str]] = {}
    for lang, strings in visitor_strings().items():
        chars = {c for s in strings for c in s if not c.isspace()}
        for font in noto:  # every letter of every text in the main font, regular and bold
            for c in chars:
                if not font.supportsCharacter(ord(c)):
                    missing.setdefault(lang, set()).add(f"{c} U+{ord(c):04X}")
    assert missing == {}
    # and the letters that matter most are really there
    for c in "ӘҒҚҢӨҰҮҺІәғқңөұүһіʻʼ₸":
        assert all(f.supportsCharacter(ord(c)) for f in noto), c
    # the symbols the code draws itself come from the bundled fallback font
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "kiosk").rglob("*.py"))
    drawn = {c for c in "✓✗✕←●‹›" if c in code}
    assert drawn, "the symbol list is out of date"
    for c in drawn:
        assert any(f.supportsCharacter(ord(c)) for f in noto) or all(f.supportsCharacter(ord(c)) for f in symbols), c
