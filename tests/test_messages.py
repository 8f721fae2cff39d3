"""Messages as data: `kiosk check`, settings and pack refusals in the reader's language, the YAML
traps named with their fix, and rendering that never raises, whatever the parameters or the
translation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.content.loader import load_content
from kiosk.core.model.content import LANGUAGES
from kiosk.core.model.i18n import I18n
from kiosk.core.model.messages import Message, locale_language, msg, render, translator
from kiosk.core.model.problems import Problem, Severity
from kiosk.core.site.settings import load_settings
from tests.support import CONTENT, ROOT, content_copy

I18N = I18n()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def in_lang(problem: Problem, lang: str) -> str:
    return problem.render(translator(I18N, lang))


# -- rendering never raises ------------------------------------------------------------------

def test_a_missing_parameter_stays_visible_instead_of_raising() -> None:
    assert render("'{key}' is missing in {file}", {"key": "title"}) == "'title' is missing in {file}"


def test_a_broken_translation_falls_back_to_the_english_template() -> None:
    for broken in ("{0} сломано", "{key.attr}", "{key", "}{", "{key!z}", "{key:>>>}"):
        assert render("'{key}' is missing", {"key": "title"}, lambda m, b=broken: b) == "'title' is missing"


def test_a_translation_that_raises_gives_english() -> None:
    def boom(message: str) -> str:
        raise RuntimeError("catalog gone")

    assert render("'{key}' is missing", {"key": "id"}, boom) == "'id' is missing"


def test_a_template_no_one_can_fill_still_says_something() -> None:
    assert render("{0} and {", {"key": "id"}) == "{0} and { key=id"


def test_nested_messages_and_problems_are_said_in_the_same_language() -> None:
    inner = Problem("neutral.yaml", 7, msg("'{key}:' is missing here; add it", key="title"))
    outer = msg("The content in this update has errors, so the kiosk cannot show it. First error: {error}. "
                "Tell the NGO.", error=inner)
    ru = outer.render(translator(I18N, "ru"))
    assert "neutral.yaml:7: Здесь нет 'title:'; добавьте его" in ru, ru
    assert "First error" not in ru and "add it" not in ru, ru
    assert str(outer).startswith("The content in this update has errors")


CATALOG_IDS = sorted({m for m in I18N.catalog("en")._catalog if isinstance(m, str) and m})  # type: ignore[attr-defined]
VALUES = st.one_of(st.text(max_size=30), st.integers(), st.none(), st.floats(allow_nan=True),
                   st.builds(lambda t: msg("{x} {y}", x=t), st.text(max_size=10)), st.just("{key}"), st.just("{"))


@settings(max_examples=300, deadline=None)
@given(msgid=st.sampled_from(CATALOG_IDS), lang=st.sampled_from(LANGUAGES),
       params=st.dictionaries(st.sampled_from(["key", "what", "value", "raw", "count", "file", "lang", "id",
                                               "where", "message", "hint", "0", ""]), VALUES, max_size=6))
def test_every_catalog_message_renders_with_any_parameters_in_every_language(msgid: str, lang: str,
                                                                             params: dict[str, object]) -> None:
    text = Message(msgid, tuple(params.items())).render(translator(I18N, lang))
    assert isinstance(text, str) and text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_message_fills_every_placeholder_in_every_language(lang: str) -> None:
    tr = translator(I18N, lang)
    for msgid in CATALOG_IDS:
        names = set(re.findall(r"\{(\w+)\}", msgid))
        text = render(msgid, {n: f"<{n}>" for n in names}, tr)
        assert not re.search(r"(?<!\{)\{\w+\}(?!\})", text), (lang, msgid, text)
        assert all(f"<{n}>" in text for n in names), (lang, msgid, text)


# -- the YAML traps -------------------------------------------------------------------------------

TRAPS = [  # (file, old, new, the fix an author must read, what YAML made of it)
    ("neutral.yaml", 'en: "Look after your health"', "en: No", 'en: "No"', "false"),
    ("neutral.yaml", 'en: "Look after your health"', "en: on", 'en: "on"', "true"),
    ("slides/01-who-we-are.yaml", 'kk: "«Сана Сезім»: шетелге барар алдында тегін көмек"', "kk: 2024-01-01",
     'kk: "2024-01-01"', "2024-01-01"),
    ("manifest.yaml", 'local: "21-61-52"', "local: 0700", 'local: "0700"', "448"),
    ("manifest.yaml", 'version: "1.0"', "version: 1.10", 'version: "1.10"', "1.1"),
    ("slides/01-who-we-are.yaml", 'en: "Sana Sezim: free help before you go abroad"', "en: 12:30",
     'en: "12:30"', "750"),
]


@pytest.mark.parametrize(("file", "old", "new", "fix", "made"), TRAPS, ids=[t[2] for t in TRAPS])
def test_each_yaml_trap_is_named_with_its_fix_in_every_language(tmp_path: Path, file: str, old: str, new: str,
                                                                fix: str, made: str) -> None:
    pack = content_copy(tmp_path)
    edit(pack / file, old, new)
    result = load_content(pack)
    assert result.content is None
    traps = [p for p in result.problems.errors if "YAML read" in p.message]
    assert len(traps) == 1, [str(p) for p in result.problems.errors]
    trap = traps[0]
    assert trap.file == file and trap.line > 0
    raw = new.split(": ", 1)[1]
    english = str(trap)
    assert f"YAML read {raw} as" in english and "because it is not in quotes" in english
    assert f"Write it in quotes: {fix}" in english and made in english
    words = {"kk": "тырнақша", "ru": "кавычк", "uz": "qoʻshtirnoq", "en": "quotes"}
    for lang in LANGUAGES:
        shown = in_lang(trap, lang)
        assert fix in shown and raw in shown and f"{file}:{trap.line}:" in shown, (lang, shown)
        assert words[lang] in shown, (lang, shown)
    assert "YAML" in in_lang(trap, "kk") and "тырнақшада емес" in in_lang(trap, "kk")


def test_a_number_written_as_it_reads_is_taken_as_text(tmp_path: Path) -> None:
    pack = content_copy(tmp_path)
    edit(pack / "manifest.yaml", 'local: "21-61-52"', "local: 216152")
    edit(pack / "neutral.yaml", 'en: "Look after your health"', "en: 112")
    result = load_content(pack)
    assert result.content is not None, [str(p) for p in result.problems.errors]
    assert result.content.neutral.title.get("en") == "112"
    assert any(c.local == "216152" for c in result.content.contacts)


def test_a_yaml_trap_in_the_settings_is_explained_too(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("printer: No\nkiosk_id: 0700\n", encoding="utf-8")
    settings_, problems = load_settings(path)
    assert settings_.printer == "" and settings_.kiosk_id == "kiosk"
    texts = [str(p) for p in problems.items]
    assert any('YAML read No as false' in t and 'printer: "No"' in t for t in texts), texts
    assert any('YAML read 0700 as the number 448' in t and 'kiosk_id: "0700"' in t for t in texts), texts
    kk = [in_lang(p, "kk") for p in problems.items]
    assert any('printer: "No"' in t and "тырнақша" in t for t in kk), kk


# -- kiosk check in the author's language ------------------------------------------------------------

def broken_pack(tmp_path: Path) -> Path:
    pack = content_copy(tmp_path, "broken")
    edit(pack / "neutral.yaml", 'en: "Look after your health"', "en: No")
    edit(pack / "slides/01-who-we-are.yaml", 'kk: "«Сана Сезім»: шетелге барар алдында тегін көмек"',
         "kk: 2024-01-01")
    edit(pack / "manifest.yaml", 'local: "21-61-52"', "local: 0700")
    edit(pack / "slides/04-passport.yaml", "picture: pictures/passport.svg", "pictrue: x\npicture: pictures/pasport.svg")
    edit(pack / "quiz.yaml", "length: 5", "length: 40")
    return pack


def run_check(args: list[str], **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    environ.update(env)
    done = subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == "", done.stderr
    return done.stdout


def content_names() -> set[str]:
    """What an author writes as names in the files: every YAML key, and the words YAML itself knows."""
    names = {"YAML", "PIN", "SVG", "MiB", "KiB", "UTF", "TAB", "NUL", "id", "kk", "ru", "uz", "en",
             "true", "false", "null", "yes", "no", "documented", "unverified"}
    for path in CONTENT.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"^\s*(?:- )?([a-z_]+):", text, re.M))
        for ident in re.findall(r"^\s*(?:- )?id: (\S+)", text, re.M):
            names |= set(ident.split("-"))
    return names


def english_words(report: str, pack: Path) -> set[str]:
    """The Latin words of a report, less file names, quoted names and values, keys and raw details."""
    text = report.replace(str(pack), " ")
    for source in re.findall(r'^\s*source: "(.*)"$', (pack / "manifest.yaml").read_text(encoding="utf-8"), re.M):
        text = text.replace(source.replace('\\"', '"'), " ")
    text = re.sub(r"\S+\.(yaml|yml|svg|png|ogg|wav|mp3)(:\d+)?", " ", text)
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|«[^»\n]*»", " ", text)
    return set(re.findall(r"[A-Za-z_]{2,}", text)) - content_names() - {"No"}  # "No": what the author wrote


def test_check_speaks_kazakh_with_lang(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path)
    out = run_check(["--lang", "kk", "check", str(pack)])
    assert "қате" in out and "ескерту" in out and "тырнақша" in out, out
    assert 'en: "No"' in out and 'kk: "2024-01-01"' in out and 'local: "0700"' in out, out
    assert "Мүмкін, 'picture' деп жазғыңыз келген шығар?" in out, out
    assert english_words(out, pack) == set(), out
    # the phone numbers first among the warnings, as in English
    warnings = [line for line in out.splitlines() if ": ескерту: " in line]
    assert len(warnings) == 5 and all("нөмір" in w for w in warnings[:4]) and "pictrue" in warnings[4], warnings


def test_check_speaks_russian_from_the_locale_and_english_by_default(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path)
    out = run_check(["check", str(pack)], LANG="ru_RU.UTF-8")
    assert out.startswith("Проверка содержания в ") and "ошиб" in out and "кавычк" in out, out
    assert english_words(out, pack) == set(), out
    assert run_check(["check", str(pack)], LC_ALL="kk_KZ.UTF-8", LANG="ru_RU.UTF-8").startswith(
        f"{pack} ішіндегі мазмұн тексерілуде")
    english = run_check(["check", str(pack)])
    assert english.startswith(f"Checking the content in {pack}") and 'Write it in quotes: en: "No"' in english
    assert "errors: the kiosk cannot use this content" in english


def test_check_speaks_uzbek_with_the_okina(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path)
    out = run_check(["check", str(pack), "--lang", "uz"])
    assert "xato" in out and "qoʻshtirnoq" in out and 'en: "No"' in out, out
    # Uzbek names things in «», never with the apostrophe that stands for a letter in Uzbek
    assert "«picture»" in out and "'" not in out.replace(str(pack), ""), out


@pytest.mark.parametrize(("environ", "lang"), [
    ({"LANG": "kk_KZ.UTF-8"}, "kk"), ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LANG": "uz_UZ.UTF-8"}, "uz"),
    ({"LANG": "uz_UZ@latin"}, "uz"), ({"LANG": "uz_UZ.UTF-8@latin"}, "uz"), ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"), ({}, "en"), ({"LC_MESSAGES": "ru_RU", "LANG": "kk_KZ"}, "ru"),
    ({"LC_ALL": "kk_KZ.UTF-8", "LC_MESSAGES": "ru_RU"}, "kk"), ({"LC_ALL": "", "LANG": "ru_RU"}, "ru"),
])
def test_the_locale_names_the_language(environ: dict[str, str], lang: str) -> None:
    assert locale_language(environ) == lang


def test_the_problem_keeps_file_line_and_english_as_before() -> None:
    problem = Problem("manifest.yaml", 52, msg("the number {number} ({id}) has never been confirmed by staff; "
                                               "after calling it, write the date in verified_on",
                                               number="21-61-52", id="sana-sezim"), Severity.WARNING, urgent=True)
    assert str(problem).startswith("manifest.yaml:52: warning: the number 21-61-52 (sana-sezim)")
    kk = in_lang(problem, "kk")
    assert kk.startswith("manifest.yaml:52: ескерту: 21-61-52 нөмірін (sana-sezim)") and "verified_on" in kk


def test_a_problem_about_a_list_written_as_a_name_is_hashable_and_picklable(tmp_path: Path) -> None:
    import pickle

    pack = content_copy(tmp_path)
    edit(pack / "manifest.yaml", "enabled: [kk, ru, uz, en]", "enabled: [{a: b}, ru, uz, en]")
    problems = load_content(pack).problems.items
    assert any("'{'a': 'b'}' is not a language the kiosk knows" in str(p) for p in problems), problems
    assert len(set(problems)) == len(problems)
    assert [str(p) for p in pickle.loads(pickle.dumps(problems))] == [str(p) for p in problems]


def test_a_problem_made_with_plain_text_still_shows_it() -> None:
    problem = Problem("x.yaml", 3, "a message written as an f-string {with braces", Severity.WARNING)  # type: ignore[arg-type]
    assert str(problem) == "x.yaml:3: warning: a message written as an f-string {with braces"
    assert in_lang(problem, "kk") == "x.yaml:3: ескерту: a message written as an f-string {with braces"
