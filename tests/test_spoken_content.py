"""Spoken forms in a content pack: the author's `spoken:` beside a text, `kiosk check`'s warnings
about what the voice will still read oddly, `kiosk narrate` remaking only the files whose spoken
form changed, human recordings made before spoken forms, and the loudness of what is made."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.content.check import check_report
from kiosk.core.content.loader import load_content
from kiosk.core.model.i18n import I18n
from kiosk.core.narration.loudness import TARGET_LUFS, level
from kiosk.core.narration.narrate import Engine, narrate_content, synthesize, write_index
from kiosk.core.narration.narration import INDEX_FILE, Kind, Narration, digest, slide, spoken_items
from tests.support import content_copy, need_tool

SLIDE = "slides/01-who-we-are.yaml"


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return I18n()


@pytest.fixture
def tools() -> None:
    need_tool("espeak-ng", "espeak-ng")
    need_tool("ffmpeg", "ffmpeg")


def small_pack(tmp_path: Path) -> Path:
    root = content_copy(tmp_path, "small")
    for name in ("quiz.yaml", "leaflet.yaml"):
        (root / name).unlink()
    for path in sorted((root / "slides").glob("*.yaml"))[2:]:
        path.unlink()
    return root


def set_slide(root: Path, body_ru: str | None = None, spoken: str = "") -> None:
    """Rewrite the first slide's Russian body, and put `spoken` (YAML lines) at its end."""
    path = root / SLIDE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = lines[:lines.index("picture: pictures/who-we-are.svg") + 1]
    if body_ru is not None:
        at = next(i for i, line in enumerate(lines) if line.startswith("  ru:") and i > 6)
        lines[at] = f'  ru: "{body_ru}"'
    path.write_text("\n".join(lines) + "\n" + spoken, encoding="utf-8")


def load(root: Path):  # type: ignore[no-untyped-def]
    result = load_content(root)
    assert result.content is not None, [str(p) for p in result.problems.errors]
    return result


# -- spoken: in the YAML ----------------------------------------------------------------------------
def test_spoken_beside_the_text_is_what_the_voice_reads(tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    set_slide(root, spoken='spoken:\n  body:\n    uz: "Biz Chimkentdagi huquqiy markazmiz, 2001-yildan beri."\n'
                           '  title:\n    en: "Sana Sezim. Free help before you go abroad."\n')
    result = load(root)
    first = result.content.slides[0]
    assert first.body.spoken == {"uz": "Biz Chimkentdagi huquqiy markazmiz, 2001-yildan beri."}
    assert not [p for p in result.problems.warnings if "spoken" in p.render(str)] and not result.problems.errors
    uz = slide(first, "uz")
    assert uz.text.endswith("Biz Chimkentdagi huquqiy markazmiz, ikki ming birinchi yildan beri.")  # rules on top
    assert uz.shown.startswith("«Sana Sezim»") and "Chimkent va Turkiston" in uz.shown  # the screen keeps its text
    assert slide(first, "en").text.startswith("Sana Sezim. Free help before you go abroad.\nWe are a legal centre")
    assert slide(first, "kk").shown == ""  # no spoken form differs: the file keeps its old name
    assert slide(first, "kk").digest == digest(slide(first, "kk").text)


def test_spoken_mistakes_are_reported_where_they_are(tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    set_slide(root, spoken='spoken:\n  bodi:\n    uz: "x"\n  title:\n    xx: "y"\n')
    result = load(root)
    warnings = [p.render(str) for p in result.problems.warnings]
    assert any("'spoken:' has 'bodi', which is not a text of this item" in w and "body" in w for w in warnings), warnings
    assert any("'xx' is not a language" in w for w in warnings), warnings
    set_slide(root, spoken='spoken: "the whole slide"\n')
    errors = [p.render(str) for p in load_content(root).problems.errors]
    assert any("'spoken:' should be followed by the name of a text" in e and SLIDE in e for e in errors), errors


# -- kiosk check ---------------------------------------------------------------------------------------
def test_check_warns_about_what_will_still_be_read_oddly_until_spoken_says_it(tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    set_slide(root, body_ru="Помогаем 90% жителей, звоните с 9 до 18.")
    _result, report = check_report(root)
    odd = [line for line in report.splitlines() if "oddly" in line]
    assert odd == ["  slides/01-who-we-are.yaml:9: warning: slide/who-we-are, ru: the voice will read '%' oddly; "
                   "write it in words, or write what the voice should say under 'spoken:' beside the text"]
    set_slide(root, body_ru="Помогаем 90% жителей, звоните с 9 до 18.",
              spoken='spoken:\n  body:\n    ru: "Помогаем девяноста процентам жителей, звоните с 9 до 18."\n')
    _result, report = check_report(root)
    assert "oddly" not in report


def test_a_text_shown_from_another_language_is_a_missing_translation_not_an_oddity(tmp_path: Path) -> None:
    """Found by the content fuzzer: with neutral.yaml's Kazakh body gone, the screen shows the English
    one, and the check said the Kazakh voice would read 'Wash', 'your', ... oddly, with no line."""
    root = small_pack(tmp_path)
    path = root / "neutral.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines.index("body:")
    assert lines[body + 1].startswith("  kk:")
    path.write_text("\n".join(lines[:body + 1] + lines[body + 2:]) + "\n", encoding="utf-8")
    result, report = check_report(root)
    assert "oddly" not in report
    assert result.ok and "missing: neutral.yaml:8 'body'" in report  # the missing translation is said


def test_the_default_pack_has_nothing_read_oddly() -> None:
    _result, report = check_report(Path(__file__).resolve().parent.parent / "content")
    assert "oddly" not in report


# -- kiosk narrate: only what changed in the spoken form ----------------------------------------------------
def test_narrate_remakes_only_files_whose_spoken_form_changed(tools: None, tmp_path: Path, i18n: I18n) -> None:
    root = small_pack(tmp_path)
    set_slide(root, body_ru="Звоните с 9 до 18.")
    first = narrate_content(load(root).content, i18n, ["ru"], jobs=2).languages["ru"]
    assert (first.made, first.kept) == (4, 0)
    said = slide(load(root).content.slides[0], "ru")
    assert said.text.endswith("Звоните с девяти до восемнадцати.") and (root / "audio/ru" / f"{said.digest}.mp3").is_file()

    # the written text changes, the spoken form does not: nothing is made
    set_slide(root, body_ru="Звоните с 9 до 18!", spoken='spoken:\n  body:\n    ru: "Звоните с 9 до 18."\n')
    same = narrate_content(load(root).content, i18n, ["ru"], jobs=2).languages["ru"]
    assert (same.made, same.kept, same.removed) == (0, 4, [])

    # the spoken form changes: that file alone is made, the old one removed
    set_slide(root, body_ru="Звоните с 9 до 18!", spoken='spoken:\n  body:\n    ru: "Звоните с девяти утра."\n')
    new = slide(load(root).content.slides[0], "ru")
    changed = narrate_content(load(root).content, i18n, ["ru"], jobs=2).languages["ru"]
    assert (changed.made, changed.kept, changed.removed) == (1, 3, [f"{said.digest}.mp3"])
    assert Narration(root).kind(new) is Kind.SYNTHETIC


def test_a_recording_made_before_spoken_forms_still_plays(tools: None, tmp_path: Path, i18n: I18n) -> None:
    """A human recording registered by the hash of the written text (before this change) reads
    the same words: it is neither stale nor made again."""
    root = small_pack(tmp_path)
    set_slide(root, body_ru="Звоните с 9 до 18.")
    content = load(root).content
    item = slide(content.slides[0], "ru")
    assert item.shown and item.shown != item.text
    recorded = root / "audio/ru/recorded" / f"{item.slug}.mp3"
    recorded.parent.mkdir(parents=True)
    synthesize(Engine(), "ru", "Проверка", recorded)
    from kiosk.core.narration.narrate import file_digest

    write_index(root / "audio" / INDEX_FILE,
                {"ru": {item.key: {"recorded": digest(item.shown), "recording": file_digest(recorded)}}})
    narration = Narration(root)
    assert narration.kind(item) is Kind.RECORDED and narration.find(item) == recorded
    summary = narrate_content(content, i18n, ["ru"], jobs=2).languages["ru"]
    assert summary.recorded == 1 and not summary.stale_recordings


# -- loudness ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text"), [
    ("ru", "Многие люди от восемнадцати до сорока пяти лет ищут работу за границей. Прежде чем соглашаться, "
           "проверьте."),
    ("uz", "Qulflab qoʻyish va haq toʻlamaslik odam savdosi belgilari."),
    ("kk", "Иә"),  # half a second: the gain and limiter of loudness.limiter_filter
    ("en", "Many people aged eighteen to forty-five."),  # about 3 seconds
    # loudnorm let this one through at -0.7 dBTP, and the limiter at -2.5 dBFS at -0.6 once MP3:
    # the file is measured and made again until it is under -1 dBTP
    ("ru", "Вам дают договор на языке, которого вы не знаете, и говорят: «Просто подпишите». Что вы сделаете?"),
])
def test_what_narrate_makes_is_at_one_loudness_under_minus_one_dbtp(tools: None, tmp_path: Path, lang: str,
                                                                     text: str) -> None:
    target = tmp_path / "voice.mp3"
    synthesize(Engine(), lang, text, target)
    measured = level(target)
    assert measured.peak <= -1.0, measured
    assert abs(measured.lufs - TARGET_LUFS) <= 1.5, measured  # a word about as loud as a slide


def test_spoken_items_of_the_default_pack_that_changed(i18n: I18n) -> None:
    """The figure of the note: the items whose spoken form differs from their text, per language."""
    content = load(Path(__file__).resolve().parent.parent / "content").content
    changed: dict[str, int] = {}
    for item in spoken_items(content, i18n):
        changed[item.lang] = changed.get(item.lang, 0) + bool(item.shown)
    assert changed == {"kk": 11, "ru": 11, "uz": 14, "en": 11}


def test_bench_loudness_prints_the_spread_per_language(tools: None, tmp_path: Path) -> None:
    import json
    import math
    import struct
    import wave

    from tests.test_cli import run_kiosk_command

    def tone(path: Path, amplitude: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(b"".join(struct.pack("<h", int(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / 22050)))
                                     for i in range(22050 * 2)))

    tone(tmp_path / "audio/kk/loud.wav", 1.0)  # a sine at full scale: about -3 LUFS, a 0 dBTP peak
    tone(tmp_path / "audio/ru/quiet.wav", 0.1)  # 20 dB below it
    done = run_kiosk_command(["bench", "--loudness", str(tmp_path / "audio"), "--json"])
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["kk"]["files"] == 1 and figures["kk"]["over_minus_1_dbtp"] == 1
    assert figures["ru"]["over_minus_1_dbtp"] == 0
    assert abs((figures["kk"]["lufs_max"] - figures["ru"]["lufs_max"]) - 20) < 0.5
    assert figures["all"]["files"] == 2 and figures["all"]["peak_max"] == figures["kk"]["peak_max"]
