"""The content loader: the default pack loads, and every kind of author mistake is reported
with the right file, line and plain words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content, normalise_uzbek
from kiosk.core.model.problems import Severity
from tests.support import CONTENT


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file with `new`; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text[:index].count("\n") + 1


def problems_of(root: Path, severity: Severity = Severity.ERROR) -> list[str]:
    result = load_content(root, today=dt.date(2026, 11, 29))
    return [str(p) for p in result.problems.items if p.severity is severity]


def test_default_content_loads_without_errors() -> None:
    result = load_content(CONTENT)
    assert result.problems.errors == []
    content = result.content
    assert content is not None
    assert content.languages == ("kk", "ru", "uz", "en")
    assert content.default_language == "kk"
    assert 8 <= len(content.slides) <= 12
    assert content.primary_contact.local == "21-61-52"
    assert content.primary_contact.tel_uri == "tel:+77252216152"
    assert all(s.title.has(lang) and s.body.has(lang) for s in content.slides for lang in content.languages)
    assert {c.local for c in content.exit_screen_contacts} == {"102", "112"}


def test_default_content_warns_that_the_2002_number_is_unverified_first() -> None:
    from kiosk.core.content.check import check_report

    _result, report = check_report(CONTENT)
    warnings = [line for line in report.splitlines() if "warning:" in line]
    assert "21-61-52" in warnings[0] and "unverified" in warnings[0]
    # and nothing else: the bundled pack gives staff no warning but the numbers to confirm
    assert all("the number" in w for w in warnings), warnings


MISTAKES = [
    # (file, old, new, expected file:line marker offset, expected words)
    ("slides/04-passport.yaml", "title:\n  kk:", "title:\n\tkk:", 1, "TAB"),
    ("slides/04-passport.yaml", "picture: pictures/passport.svg", "picture: pictures/pasport.svg", 0,
     "there is no file 'pictures/pasport.svg' in the content folder; check the name, or copy the file there. Did you mean 'passport.svg'?"),
    ("slides/04-passport.yaml", "picture: pictures/passport.svg", "picture: ../../etc/passwd.svg", 0,
     "is outside the content folder; put the file in the content folder"),
    ("slides/04-passport.yaml", "title:", "title: &t\n  x: y\nother: *t\ntitle2:", 2, "aliases"),
    ("slides/04-passport.yaml", 'ru: "Паспорт и удостоверение храните сами"',
     'ru: "Паспорт и удостоверение храните сами\n  uz: x', 0, "quote \" is opened on this line"),
    ("slides/04-passport.yaml", 'ru: "Паспорт и удостоверение храните сами"',
     'ru: "Паспорт"\n  ru: "Паспорт снова"', 1, "'ru' is written twice in this part of the file; delete one of them"),
    ("slides/04-passport.yaml", "id: passport", "id: offer", 0, "the slide id 'offer' is already used in 02-offer.yaml; give this slide an id of its own"),
    ("slides/04-passport.yaml", "id: passport", "id: Passport Slide", 0, "is not valid"),
    ("slides/04-passport.yaml", "picture: pictures/passport.svg\n", "", None, "'picture:' is missing here; add it"),
    ("slides/04-passport.yaml", 'en: "Keep your passport and ID yourself"', "en: Keep: your passport", 0,
     "a colon ':' where YAML does not expect one; put the text in double quotes"),
    ("manifest.yaml", "    verified_on: null", "    verified_on: 29.11.2026", 0,
     "'verified_on:' should be a date written as 2026-11-29 (without quotes), or null"),
    ("manifest.yaml", "    primary: false", "    primary: true", None,
     "exactly one contact should have 'primary: true'"),
    ("manifest.yaml", "enabled: [kk, ru, uz, en]", "enabled: [kz, ru, uz, en]", 0, "Did you mean 'kk'?"),
    ("manifest.yaml", "  default: kk", "  default: de", 0, "the default language 'de' is not enabled; write one of"),
    ("manifest.yaml", "schema_version: 1", "schema_version: 7", 0, "write schema_version: 1"),
    ("manifest.yaml", 'dial: "+77252216152"', 'dial: "21-61-52 ext"', 0, "'dial: 21-61-52 ext' is not valid"),
    ("quiz.yaml", "        correct: true", "        correct: false", None, "has no right answer; write 'correct: true' under the right one"),
    ("quiz.yaml", "length: 5", "length: 40", 0, "length is 40, but there are only"),
    ("leaflet.yaml", "contacts: [sana-sezim, family-111, police]", "contacts: [sana-sezim, famly-111, police]", 0,
     "'famly-111' is not the id of a contact in manifest.yaml; write one of the ids there. Did you mean 'family-111'?"),
]


@pytest.mark.parametrize(("file", "old", "new", "offset", "words"), MISTAKES,
                         ids=[m[4][:40] for m in MISTAKES])
def test_each_author_mistake_gives_file_line_and_plain_words(
        content_copy: Path, file: str, old: str, new: str, offset: int | None, words: str) -> None:
    line = edit(content_copy / file, old, new)
    errors = problems_of(content_copy)
    matching = [e for e in errors if words in e]
    assert matching, f"no error mentions {words!r}; got {errors}"
    assert matching[0].startswith(f"{file}:"), matching[0]
    if offset is not None:
        assert matching[0].startswith(f"{file}:{line + offset}:"), matching[0]
    assert load_content(content_copy).content is None


def test_unknown_key_is_a_warning_with_did_you_mean(content_copy: Path) -> None:
    line = edit(content_copy / "slides/04-passport.yaml", "picture:", "pictrue: x\npicture:")
    warnings = problems_of(content_copy, Severity.WARNING)
    assert f"slides/04-passport.yaml:{line}: warning: the kiosk does not know the name 'pictrue' and ignores this line. Did you mean 'picture'?" in warnings


def test_missing_translation_is_a_warning_and_falls_back(content_copy: Path) -> None:
    path = content_copy / "slides/04-passport.yaml"
    edit(path, '  uz: "Pasport va shaxsiy guvohnomani oʻzingiz saqlang"\n', "")
    result = load_content(content_copy)
    assert result.content is not None
    assert any("04-passport.yaml" in where and "title" in str(what) for where, what in result.coverage.missing["uz"])
    slide = next(s for s in result.content.slides if s.id == "passport")
    assert slide.title.get("uz") == slide.title.get("en")


def test_uzbek_apostrophes_are_corrected_and_reported(content_copy: Path) -> None:
    line = edit(content_copy / "slides/04-passport.yaml", "oʻzingiz saqlang", "o'zingiz saqlang")
    result = load_content(content_copy)
    assert result.content is not None
    slide = next(s for s in result.content.slides if s.id == "passport")
    assert "oʻzingiz" in slide.title.get("uz") and "'" not in slide.title.get("uz")
    assert any(p.line == line and "U+02BB" in p.message for p in result.problems.warnings)


def test_normalise_uzbek_letters() -> None:
    assert normalise_uzbek("O'zbekiston g‘alaba ma'lumot") == ("Oʻzbekiston gʻalaba maʼlumot", 3)


def test_text_that_is_not_utf8_is_reported_with_its_line(content_copy: Path) -> None:
    path = content_copy / "slides/04-passport.yaml"
    data = path.read_bytes().replace("Паспорт и".encode(), "Паспорт и".encode("cp1251"), 1)
    path.write_bytes(data)
    line = data[: data.index("Паспорт и".encode("cp1251"))].count(b"\n") + 1
    assert f"slides/04-passport.yaml:{line}: this line is not UTF-8 text; save the file as UTF-8 in your editor" \
        in problems_of(content_copy)


def test_alias_bomb_is_refused_quickly(content_copy: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    (content_copy / "neutral.yaml").write_text(bomb, encoding="utf-8")
    errors = problems_of(content_copy)
    assert any(e.startswith("neutral.yaml:2:") and "aliases" in e for e in errors), errors


def test_huge_file_is_refused(content_copy: Path) -> None:
    (content_copy / "neutral.yaml").write_text("title: " + "x" * (2 * 1024 * 1024), encoding="utf-8")
    assert any("neutral.yaml" in e and "at most 1024 KiB" in e for e in problems_of(content_copy))


def test_missing_required_files_and_folders(content_copy: Path) -> None:
    (content_copy / "neutral.yaml").unlink()
    for slide in (content_copy / "slides").glob("*.yaml"):
        slide.unlink()
    errors = problems_of(content_copy)
    assert "neutral.yaml: this file is missing; copy it from the bundled content folder and change it" in errors
    assert any(e.startswith("slides: there are no slides") for e in errors)


def test_every_problem_is_reported_at_once(content_copy: Path) -> None:
    edit(content_copy / "slides/04-passport.yaml", "picture: pictures/passport.svg", "picture: pictures/nope.svg")
    edit(content_copy / "slides/05-check.yaml", "id: check", "id: offer")
    edit(content_copy / "manifest.yaml", "schema_version: 1", "schema_version: 2")
    errors = problems_of(content_copy)
    assert {e.split(":")[0] for e in errors} >= {"slides/04-passport.yaml", "slides/05-check.yaml", "manifest.yaml"}


def test_unused_pictures_and_stale_numbers_are_warnings(content_copy: Path) -> None:
    (content_copy / "pictures" / "old.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    edit(content_copy / "manifest.yaml", "    verified_on: null", "    verified_on: 2020-01-15")
    result = load_content(content_copy, today=dt.date(2026, 11, 29))
    assert result.content is not None
    warnings = [str(p) for p in result.problems.warnings]
    assert "pictures/old.svg: warning: is not used by any slide, question or leaflet; delete it, or use it" in warnings
    assert any("last verified 2510 days ago" in w for w in warnings)


def test_broken_svg_is_an_error(content_copy: Path) -> None:
    (content_copy / "pictures" / "passport.svg").write_text("<svg><path d='M0 0'", encoding="utf-8")
    assert any("'pictures/passport.svg' is not a valid SVG picture" in e for e in problems_of(content_copy))


def test_slides_are_ordered_by_file_name(content_copy: Path) -> None:
    (content_copy / "slides" / "04-passport.yaml").rename(content_copy / "slides" / "00-passport.yaml")
    result = load_content(content_copy)
    assert result.content is not None and result.content.slides[0].id == "passport"
