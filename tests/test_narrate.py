"""`kiosk narrate` with the real espeak-ng and ffmpeg, `kiosk check`'s narration coverage, and the
committed narration of the default pack. A small pack (two slides, no quiz, no leaflet) keeps the
synthesis to a few seconds."""

from __future__ import annotations

import json
import math
import os
import shutil
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from kiosk.core.content.check import check_report
from kiosk.core.content.loader import load_content
from kiosk.core.model.i18n import I18n
from kiosk.core.narration.narrate import Engine, NarrateError, narrate_content
from kiosk.core.narration.narration import (
    INDEX_FILE,
    Kind,
    Narration,
    coverage,
    read_index,
    slide,
    spoken_items,
)
from tests.support import CONTENT, content_copy, default_content, need_tool


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


def load(root: Path):  # type: ignore[no-untyped-def]
    result = load_content(root)
    assert result.content is not None, [str(p) for p in result.problems.errors]
    return result.content


def duration(path: Path) -> tuple[float, str, int]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name,channels",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    return float(data["format"]["duration"]), data["streams"][0]["codec_name"], data["streams"][0]["channels"]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted((root / "audio").rglob("*")) if p.is_file()}


def tone(path: Path, seconds: float = 1.0, pitch: float = 8.0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / pitch)))
                                 for i in range(int(8000 * seconds))))


def edit_slide_title(root: Path, lang: str, new: str) -> None:
    path = sorted((root / "slides").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{lang}:"))
    lines[at] = lines[at].split(f"{lang}:")[0] + f"{lang}: {new}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- making files ----------------------------------------------------------------------------
def test_files_are_mp3_named_by_the_text_and_a_second_run_makes_nothing(tools: None, tmp_path: Path,
                                                                        i18n: I18n) -> None:
    root = small_pack(tmp_path)
    content = load(root)
    summary = narrate_content(content, i18n, ["en", "kk"], jobs=2)
    items = [item for item in spoken_items(content, i18n) if item.lang in ("en", "kk")]
    assert len(items) == 8  # attract, two slides, neutral
    assert {lang: (s.made, s.kept, len(s.removed)) for lang, s in summary.languages.items()} == \
        {"en": (4, 0, 0), "kk": (4, 0, 0)}
    for item in items:
        path = root / "audio" / item.lang / f"{item.digest}.mp3"
        seconds, codec, channels = duration(path)
        assert codec == "mp3" and channels == 1 and seconds > 1.0, (item.key, seconds)
    assert not (root / "audio" / "ru").exists()  # languages not asked for are not touched
    index = read_index(root / "audio" / INDEX_FILE)
    assert index["kk"]["slide/who-we-are"] == {"synthetic": slide(content.slides[0], "kk").digest,
                                               "engine": "espeak-ng kk -s 150 loudnorm -18"}
    assert (root / "audio" / INDEX_FILE).read_text(encoding="utf-8").startswith("# Written by `kiosk narrate`")

    before = snapshot(root)
    again = narrate_content(load(root), i18n, ["en", "kk"], jobs=2)
    assert {lang: (s.made, s.kept) for lang, s in again.languages.items()} == {"en": (0, 4), "kk": (0, 4)}
    assert snapshot(root) == before  # not a byte written, the index included


def test_an_edited_text_is_stale_then_made_again_and_its_old_file_removed(tools: None, tmp_path: Path,
                                                                          i18n: I18n) -> None:
    root = small_pack(tmp_path)
    narrate_content(load(root), i18n, ["en"], jobs=2)
    old = slide(load(root).slides[0], "en")
    edit_slide_title(root, "en", "Free help before you travel abroad")
    content = load(root)
    new = slide(content.slides[0], "en")
    assert new.digest != old.digest
    assert Narration(root).kind(new) is Kind.STALE
    before = snapshot(root)
    summary = narrate_content(content, i18n, ["en"], jobs=2).languages["en"]
    assert (summary.made, summary.kept, summary.removed) == (1, 3, [f"{old.digest}.mp3"])
    after = snapshot(root)
    assert f"audio/en/{new.digest}.mp3" in after and f"audio/en/{old.digest}.mp3" not in after
    unchanged = {k: v for k, v in before.items() if k != f"audio/en/{old.digest}.mp3" and k != "audio/narration.yaml"}
    assert {k: after[k] for k in unchanged} == unchanged  # the other three files were left alone
    assert Narration(root).kind(new) is Kind.SYNTHETIC


def test_a_human_recording_wins_and_goes_stale_when_its_text_changes(tools: None, tmp_path: Path,
                                                                     i18n: I18n) -> None:
    root = small_pack(tmp_path)
    narrate_content(load(root), i18n, ["en"], jobs=2)
    item = slide(load(root).slides[0], "en")
    recording = root / "audio" / "en" / "recorded" / f"{item.slug}.wav"
    assert recording.name == "slide-who-we-are.wav"
    tone(recording)
    assert Narration(root).find(item) == recording  # even before narrate registers it
    summary = narrate_content(load(root), i18n, ["en"], jobs=2).languages["en"]
    assert summary.recorded == 1 and summary.new_recordings == ["audio/en/recorded/slide-who-we-are.wav"]
    assert summary.removed == [f"{item.digest}.mp3"]  # the synthetic voice is not needed beside it
    assert Narration(root).find(item) == recording
    assert read_index(root / "audio" / INDEX_FILE)["en"][item.key]["recorded"] == item.digest

    edit_slide_title(root, "en", "Free help before you travel abroad")
    new = slide(load(root).slides[0], "en")
    narration = Narration(root)
    assert narration.kind(new) is Kind.STALE and narration.stale_recording(new) and narration.find(new) is None
    _result, report = check_report(root)
    assert ("audio/en/recorded/slide-who-we-are.wav: warning: was recorded for an older text of "
            "slide/who-we-are; record it again") in report

    summary = narrate_content(load(root), i18n, ["en"], jobs=2).languages["en"]
    assert summary.made == 1 and summary.stale_recordings == ["audio/en/recorded/slide-who-we-are.wav"]
    narration = Narration(root)
    assert narration.kind(new) is Kind.SYNTHETIC  # the new words, by the synthetic voice
    assert narration.find(new) == root / "audio" / "en" / f"{new.digest}.mp3"
    assert recording.is_file()  # a human's work is never deleted

    tone(recording, pitch=5.0)  # recorded again, for the new text
    summary = narrate_content(load(root), i18n, ["en"], jobs=2).languages["en"]
    assert summary.recorded == 1 and summary.stale_recordings == [] and summary.removed == [f"{new.digest}.mp3"]
    assert Narration(root).find(new) == recording


# -- kiosk check -------------------------------------------------------------------------------
def test_check_reports_coverage_per_language(tools: None, tmp_path: Path, i18n: I18n) -> None:
    root = small_pack(tmp_path)
    narrate_content(load(root), i18n, ["en"], jobs=2)
    tone(root / "audio" / "en" / "recorded" / "neutral.wav")
    tone(root / "audio" / "ru" / "recorded" / "slide-who-we-ar.wav")  # misspelt
    (root / "audio" / "en" / "0123456789abcdef.mp3").write_bytes(b"left over")
    _result, report = check_report(root)
    table = report[report.index("Narration"):]
    assert "  en English: 4 items: 1 recorded, 3 synthetic, 0 stale, 0 missing" in table
    assert "  kk Kazakh: 4 items: 0 recorded, 0 synthetic, 0 stale, 4 missing" in table
    assert "12 items have no voice: run `kiosk narrate" in table
    assert "1 synthetic file speaks a text no item has any more" in table
    assert ("audio/ru/recorded/slide-who-we-ar.wav: warning: is not the name of anything the kiosk reads aloud, "
            "so it is never played. Did you mean 'slide-who-we-are'?") in report
    # the loader leaves narration files to this table (the pictures of the slides taken out are unused)
    assert not [line for line in report.splitlines() if "audio/" in line and "is not used by any" in line]
    cov = coverage(load(root), i18n)
    assert cov.kinds["en"][Kind.RECORDED] == 1 and not cov.complete


def test_the_loader_leaves_narration_alone_and_still_flags_other_stray_audio(tmp_path: Path) -> None:
    assert not [p for p in load_content(CONTENT).problems.warnings if "is not used" in p.message]
    root = content_copy(tmp_path, audio=True)
    tone(root / "audio" / "kk" / "hello.wav")
    tone(root / "audio" / "extra" / "0123456789abcdef.mp3")  # not a language folder
    tone(root / "audio" / "kk" / "recorded" / "slide-offer.wav")
    flagged = sorted(p.file for p in load_content(root).problems.warnings if "is not used" in p.message)
    assert flagged == ["audio/extra/0123456789abcdef.mp3", "audio/kk/hello.wav"]


# -- errors --------------------------------------------------------------------------------------
def test_errors_are_clear_and_change_nothing(tools: None, tmp_path: Path, i18n: I18n,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_pack(tmp_path)
    narrate_content(load(root), i18n, ["en"], jobs=1)
    before = snapshot(root)
    content = load(root)
    with pytest.raises(NarrateError, match="the pack has no language de; its languages are kk, ru, uz, en"):
        narrate_content(content, i18n, ["de"])
    with pytest.raises(NarrateError, match="--engine piper needs --voice FILE"):
        narrate_content(content, i18n, ["ru"], Engine("piper"))
    with pytest.raises(NarrateError, match="a Piper voice speaks one language"):
        narrate_content(content, i18n, None, Engine("piper", tmp_path / "ru.onnx"))
    with pytest.raises(NarrateError, match="the Piper voice model .*ru.onnx does not exist"):
        narrate_content(content, i18n, ["ru"], Engine("piper", tmp_path / "ru.onnx"))
    (tmp_path / "ru.onnx").write_bytes(b"not really a model")
    if shutil.which("piper") is None:
        with pytest.raises(NarrateError, match="piper is not installed"):
            narrate_content(content, i18n, ["ru"], Engine("piper", tmp_path / "ru.onnx"))
    # espeak-ng missing: a PATH with ffmpeg only
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(shutil.which("ffmpeg"), bin_dir / "ffmpeg")  # type: ignore[arg-type]
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(NarrateError, match="espeak-ng is not installed"):
        narrate_content(content, i18n, ["kk"])
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(NarrateError, match="ffmpeg is not installed"):
        narrate_content(content, i18n, ["kk"])
    monkeypatch.undo()
    # a folder that cannot be written: the language folder is a file
    (root / "audio" / "kk").write_bytes(b"")
    with pytest.raises(NarrateError, match="cannot write into .*audio/kk"):
        narrate_content(content, i18n, ["kk"])
    (root / "audio" / "kk").unlink()
    assert snapshot(root) == before


def test_a_full_disk_keeps_the_audio_that_was_there(tools: None, tmp_path: Path, i18n: I18n) -> None:
    from tests.test_runtime_faults import need_mount, small_disk

    need_mount()
    disk = tmp_path / "disk"
    with small_disk(disk, "tmpfs", 512):
        root = disk / "pack"
        shutil.copytree(small_pack(tmp_path), root)
        narrate_content(load(root), i18n, ["en"], jobs=1)
        before = snapshot(root)
        index = (root / "audio" / INDEX_FILE).read_bytes()
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last block
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        with pytest.raises(NarrateError, match="the disk is full"):
            narrate_content(load(root), i18n, ["kk"], jobs=1)
        assert snapshot(root) == before and (root / "audio" / INDEX_FILE).read_bytes() == index
        assert not [p for p in (root / "audio").rglob(".narrate-*")]  # no half-written file left


def test_piper_is_run_as_documented_by_a_stand_in(tools: None, tmp_path: Path, i18n: I18n,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Piper cannot run here (no voice model may be downloaded): a stand-in `piper` on the PATH
    checks the command line kiosk narrate gives it (the model, the output file, the text on stdin)
    and speaks with espeak-ng. What the real Piper does with it is untested."""
    root = small_pack(tmp_path)
    narrate_content(load(root), i18n, ["ru"], jobs=2)
    voice = tmp_path / "ru_RU-test-medium.onnx"
    voice.write_bytes(b"a voice model")
    calls = tmp_path / "calls.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "piper").write_text(f"""#!/bin/sh
[ "$1" = --model ] && [ "$2" = "{voice}" ] && [ "$3" = --output_file ] || exit 3
echo "$4" >> "{calls}"
exec espeak-ng -v ru -s 120 -w "$4" --stdin
""", encoding="utf-8")
    (bin_dir / "piper").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    kept = narrate_content(load(root), i18n, ["ru"], Engine("piper", voice), jobs=2).languages["ru"]
    assert (kept.made, kept.kept, kept.other_engine) == (0, 4, 4)  # espeak-ng's files stay without --redo
    redone = narrate_content(load(root), i18n, ["ru"], Engine("piper", voice), jobs=2, redo=True).languages["ru"]
    assert redone.made == 4 and len(calls.read_text().splitlines()) == 4
    index = read_index(root / "audio" / INDEX_FILE)
    assert {entry["engine"] for entry in index["ru"].values()} == {"piper ru_RU-test-medium.onnx loudnorm -18"}
    assert set(index) == {"ru"}  # the other languages were never narrated


# -- the command -----------------------------------------------------------------------------------
def test_the_command_prints_what_it_did(tools: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    root = small_pack(tmp_path)
    assert main(["narrate", str(root), "--lang", "uz", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "uz: 4 items, 4 synthetic files: made 4, kept 0, removed 0" in out and "Done in" in out
    assert main(["narrate", str(root), "--lang", "uz"]) == 0
    assert "uz: 4 items, 4 synthetic files: made 0, kept 4, removed 0" in capsys.readouterr().out
    (root / "manifest.yaml").write_text("id: [broken", encoding="utf-8")
    assert main(["narrate", str(root)]) == 1
    err = capsys.readouterr().err
    assert "has 1 error(s); fix them first (kiosk check" in err


def test_the_command_speaks_the_authors_language(tools: None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`kiosk --lang ru narrate`: what it did and what went wrong, in Russian; names stay as written."""
    from kiosk.cli import main

    root = small_pack(tmp_path)
    assert main(["--lang", "ru", "narrate", str(root), "--lang", "uz", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "uz: текстов для чтения 4, синтезированных файлов 4: сделано 4, оставлено 0, удалено 0" in out
    assert "Готово за" in out
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["--lang", "kk", "narrate", str(root), "--lang", "uz"]) == 1
    assert "ffmpeg орнатылмаған" in capsys.readouterr().err
    monkeypatch.undo()
    assert main(["--lang", "uz", "narrate", str(root), "--lang", "de"]) == 1
    assert "paketda de tili yoʻq; uning tillari: kk, ru, uz, en. Avvalgi audio oʻzgarmadi." in capsys.readouterr().err


# -- the default pack ------------------------------------------------------------------------------
def test_the_default_pack_is_narrated_in_full_and_fresh(i18n: I18n) -> None:
    """Edit a text of content/ without narrating it again, and this fails: run `kiosk narrate content/`."""
    content = default_content()
    cov = coverage(content, i18n)
    todo = {lang: [item.key for item in items] for lang, items in cov.unvoiced.items() if items}
    assert not todo, f"narration is missing or stale for {todo}: run `kiosk narrate content/` and commit content/audio"
    assert not cov.unused_synthetic, \
        f"{len(cov.unused_synthetic)} audio files no text uses: run `kiosk narrate content/` to remove them"
    assert set(cov.items) == {"kk", "ru", "uz", "en"} and all(n == 97 for n in cov.items.values())
    index = read_index(CONTENT / "audio" / INDEX_FILE)
    engines = {entry["engine"].split()[0] for entries in index.values() for entry in entries.values()}
    assert engines == {"espeak-ng"}  # marked synthetic: no human recording in the default pack yet
    assert not any((CONTENT / "audio" / lang / "recorded").exists() for lang in content.languages)


# -- what each screen reads ------------------------------------------------------------------------
def test_each_screen_reads_what_it_shows_in_the_order_shown(i18n: I18n) -> None:
    import random

    from kiosk.core.narration.narration import question, screen_playlist
    from kiosk.core.visit.session import Screen, Session

    content = default_content()
    session = Session(content, rng=random.Random(3))
    session.start()
    session.choose_language("uz")
    assert screen_playlist(content, i18n, session.state) == []  # the menu reads nothing
    session.open_slides(1)
    assert screen_playlist(content, i18n, session.state) == [slide(content.slides[1], "uz")]
    session.start_quiz()
    run = session.state.quiz
    assert run is not None
    played = screen_playlist(content, i18n, session.state)
    assert played[0] == question(run.question, "uz")
    shown = [run.question.answers[i].text.get("uz") for i, _right in run.displayed_answers()]
    assert [item.text for item in played[1:]] == shown  # shuffled, and read as shown
    session.answer_question(0)
    assert [item.key for item in screen_playlist(content, i18n, session.state)] == [f"explanation/{run.question.id}"]
    while session.state.screen is Screen.QUIZ:
        session.answer_question(0)
        session.next_question()
    assert session.state.screen is Screen.QUIZ_RESULT
    keys = [item.key for item in screen_playlist(content, i18n, session.state)]
    assert keys[0].startswith("score/") and keys[1].startswith("band/") and keys[2] == "advice"
    assert all(key in {item.key for item in spoken_items(content, i18n)} for key in keys)  # all narrated
    session.open_leaflet()
    assert [item.key for item in screen_playlist(content, i18n, session.state)] == ["leaflet"]
