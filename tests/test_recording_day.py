"""A recording day: `kiosk narrate --script` prints what the actor reads, `--recordings` brings the
actor's files in. The "actor" is espeak-ng at another speed and pitch; sox adds room noise,
silence around the voice, and clipping."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.model.i18n import I18n
from kiosk.core.narration.loudness import level
from kiosk.core.narration.narration import Kind, Narration, spoken_items
from kiosk.core.narration.recording import bring_in, match, script_items, voice_span
from tests.support import content_copy, need_tool
from tests.test_cli import run_kiosk_command


@pytest.fixture
def tools() -> None:
    for name, package in (("espeak-ng", "espeak-ng"), ("ffmpeg", "ffmpeg"), ("sox", "sox")):
        need_tool(name, package)


def small_pack(tmp_path: Path) -> Path:
    root = content_copy(tmp_path, "small")
    for name in ("quiz.yaml", "leaflet.yaml"):
        (root / name).unlink()
    for path in sorted((root / "slides").glob("*.yaml"))[2:]:
        path.unlink()
    return root


def actor(text: str, path: Path, lang: str = "ru", pad: float = 0.0, noise: bool = False, gain: float = 0.0) -> float:
    """A recording of `text` by a "person" (espeak-ng at 120 words a minute, a higher voice),
    with `pad` seconds of silence on each side, room noise, and `gain` dB (clipping over 0 dBFS).
    Returns the length of the voice alone."""
    voice = path.with_name(path.stem + ".voice.wav")
    subprocess.run(["espeak-ng", "-v", lang, "-s", "120", "-p", "70", "-w", str(voice), text], check=True)
    seconds = float(subprocess.run(["soxi", "-D", str(voice)], capture_output=True, text=True, check=True).stdout)
    effects = ["pad", str(pad), str(pad)] if pad else []
    if gain:
        effects += ["gain", str(gain)]
    if noise:
        padded = path.with_name(path.stem + ".padded.wav")
        subprocess.run(["sox", str(voice), str(padded), *effects], check=True, capture_output=True)
        hiss = path.with_name(path.stem + ".noise.wav")
        subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(hiss), "synth", str(seconds + 2 * pad),
                        "whitenoise", "vol", "0.003"], check=True)
        subprocess.run(["sox", "-m", str(padded), str(hiss), str(path)], check=True)
        padded.unlink()
        hiss.unlink()
    else:
        subprocess.run(["sox", str(voice), str(path), *effects], check=True, capture_output=True)
    voice.unlink()
    return seconds


def test_the_script_numbers_every_line_in_the_order_of_the_screens(tmp_path: Path) -> None:
    need_tool("pdftotext", "poppler-utils")
    root = content_copy(tmp_path, "pack")
    out = tmp_path / "script.pdf"
    done = run_kiosk_command(["narrate", "--script", "--lang", "ru", "--output", str(out), str(root)])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "97 lines to record in ru" in done.stdout
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = unicodedata.normalize("NFKC", text)  # the font's ligatures (ﬀ, ﬂ) back into letters
    content = load_content(root).content
    assert content is not None
    items = [i for i in spoken_items(content, I18n(), ["ru"]) if i.text.strip()]
    at = [text.index(item.slug) for item in items]  # every line's name, in the order of the screens
    assert at == sorted(at)
    assert items[0].text in text and re.search(r"^\s*97\s+\S", text, re.MULTILINE)
    # a line whose spoken form differs shows how it is said
    flat = " ".join(text.split())
    say = I18n().gettext("Say:", "ru")  # the script speaks the language recorded
    assert say != "Say:" and "Многие люди от 18 до 45 лет" in flat
    assert f"{say} Вам предлагают работу или брак за границей? Многие люди от восемнадцати" in flat


def test_the_actors_files_are_matched_trimmed_normalised_and_reported(tools: None, tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    content = load_content(root).content
    assert content is not None
    i18n = I18n()
    lines = script_items(content, i18n, "ru")
    assert [line.item.key for line in lines] == ["attract", "slide/who-we-are", "slide/offer", "neutral"]
    folder = tmp_path / "from the actor"
    folder.mkdir()
    actor(lines[0].item.text, folder / "1.wav", gain=25)  # by number; far too loud: clipped
    voice = actor(lines[1].item.text, folder / "slide-who-we-are.wav", pad=1.5, noise=True)  # by name
    actor("Да", folder / "004 take 2.wav")  # by number with words after it; far too short
    actor("Да", folder / "99.wav")  # no line 99
    actor("Нет", folder / "01.wav")  # a second file for line 1
    (folder / "notes.txt").write_text("not a sound", encoding="utf-8")

    done = bring_in(content, i18n, "ru", folder)
    assert [b.line.number for b in done.brought] == [1, 2, 4]
    assert [line.number for line in done.missing] == [3]
    assert [p.name for p in done.unmatched] == ["99.wav"]
    assert [p.name for p in done.twice] == ["1.wav"]  # "01.wav" sorts first and wins
    first, second, fourth = done.brought
    assert (first.source.name, second.source.name, fourth.source.name) == ("01.wav", "slide-who-we-are.wav",
                                                                           "004 take 2.wav")
    assert fourth.too_short and not second.too_short and not second.too_long
    assert not second.clipped
    # the silence is trimmed (a little of it kept), the noise does not count as voice
    assert abs(second.seconds - voice) < 0.6, (second.seconds, voice)
    recorded = root / "audio/ru/recorded"
    assert sorted(p.name for p in recorded.iterdir()) == ["attract.mp3", "neutral.mp3", "slide-who-we-are.mp3"]
    measured = level(recorded / "slide-who-we-are.mp3")
    assert abs(measured.lufs - (-18)) <= 1.5 and measured.peak <= -1.0, measured
    # the human recordings now win over the synthetic voice
    narration = Narration(root)
    assert narration.kind(lines[1].item) is Kind.RECORDED


def test_a_clipped_recording_is_reported_and_silence_is_not_a_voice(tools: None, tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    content = load_content(root).content
    assert content is not None
    folder = tmp_path / "takes"
    folder.mkdir()
    actor("Коснитесь экрана, чтобы начать", folder / "1.wav", gain=25)
    subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", str(folder / "2.wav"), "trim", "0", "3"], check=True)
    assert voice_span(folder / "2.wav") is None
    done = bring_in(content, I18n(), "ru", folder)
    assert [b.clipped for b in done.brought] == [True]
    assert [p.name for p in done.silent] == ["2.wav"]


def test_matching_by_name_and_number() -> None:
    from kiosk.core.narration.narration import Spoken
    from kiosk.core.narration.recording import ScriptLine

    lines = [ScriptLine(i + 1, Spoken(key, "kk", "x")) for i, key in enumerate(["attract", "slide/a", "slide/b"])]
    files = [Path(n) for n in ("slide-b.wav", "2 take.mp3", "0003.wav", "4.wav", "attract.ogg")]
    found, unmatched, twice = match(files, lines)
    assert {n: p.name for n, p in found.items()} == {1: "attract.ogg", 2: "2 take.mp3", 3: "0003.wav"}
    assert [p.name for p in unmatched] == ["4.wav"] and [p.name for p in twice] == ["slide-b.wav"]


def test_the_command_reports_in_the_authors_words(tools: None, tmp_path: Path) -> None:
    root = small_pack(tmp_path)
    folder = tmp_path / "takes"
    folder.mkdir()
    actor("Да", folder / "4.wav")
    done = run_kiosk_command(["narrate", "--recordings", str(folder), "--lang", "ru", str(root)])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ru: 1 recordings brought in to audio/ru/recorded/" in done.stdout
    assert "TOO SHORT: line 4 (neutral)" in done.stdout
    assert "MISSING: line 1 (attract) has no recording" in done.stdout
    assert "new human recording: audio/ru/recorded/neutral.mp3" in done.stdout  # registered in the index
    one = run_kiosk_command(["narrate", "--recordings", str(folder), str(root)])
    assert one.returncode == 1 and "--lang" in one.stderr
