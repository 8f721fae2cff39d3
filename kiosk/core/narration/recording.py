"""A recording day: the script a voice actor reads, and bringing the actor's files in. Qt-free.

The script (`script_items`) is every item of one language that has something to say, numbered
from 1 in the order a visitor meets the screens (the order of `spoken_items`). The actor's
files are matched to items by their name (`slide-offer.wav`, the item's slug) or by the
number at the start of the name (`7.wav`, `007 take 2.wav`, `07-slide.mp3`): the number on the
script. Each file is trimmed of the silence around the voice, normalised to the kiosk's
loudness (loudness.py) and encoded as `audio/<lang>/recorded/<slug>.mp3`, where it wins over
the synthetic voice.

The report names what is missing, files that match no item, and recordings that are too long
or too short for their text (more than twice or less than half the time the text takes at
SECONDS_PER_CHARACTER), or clipped (samples at full scale in the file as it came).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.model import N_, msg
from kiosk.core.narration.narration import AUDIO_FOLDER, RECORDED_FOLDER, Spoken, spoken_items

if TYPE_CHECKING:
    from kiosk.core.model import Content, I18n

# Sound files the actor's recorder or phone may write.
SOUND_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac", ".m4a", ".opus")
# Reading speed of a calm voice, measured on the default pack's synthetic narration (43 minutes
# for 388 texts, 150 words a minute): about 14 characters a second. A person reads a little slower.
SECONDS_PER_CHARACTER = 1 / 13
TOO_SHORT = 0.5  # times the expected length
TOO_LONG = 2.0
# Silence around the voice: quieter than this for at least MIN_SILENCE seconds (a room's hum and a
# phone's hiss stay under it; the quietest syllables of a voice do not).
SILENCE_DB = -40
MIN_SILENCE = 0.3
MARGIN = 0.15  # seconds of the silence kept before and after the voice
CLIPPED_DB = -0.1  # a sample peak at or over this (dBFS) in the file as it came: clipped
TIMEOUT = 120


@dataclass(frozen=True)
class ScriptLine:
    number: int
    item: Spoken

    @property
    def expected_seconds(self) -> float:
        return len(self.item.text) * SECONDS_PER_CHARACTER


def script_items(content: Content, i18n: I18n, lang: str) -> list[ScriptLine]:
    """What the actor reads, numbered in the order of the screens."""
    items = [item for item in spoken_items(content, i18n, [lang]) if item.text.strip()]
    return [ScriptLine(i + 1, item) for i, item in enumerate(items)]


@dataclass
class Brought:
    """One recording brought in."""

    line: ScriptLine
    source: Path
    target: Path
    seconds: float
    clipped: bool

    @property
    def too_short(self) -> bool:
        return self.seconds < TOO_SHORT * self.line.expected_seconds

    @property
    def too_long(self) -> bool:
        return self.seconds > TOO_LONG * self.line.expected_seconds


@dataclass
class Import:
    brought: list[Brought] = field(default_factory=list)
    missing: list[ScriptLine] = field(default_factory=list)
    unmatched: list[Path] = field(default_factory=list)  # files that match no line of the script
    twice: list[Path] = field(default_factory=list)  # a second file for a line already matched
    silent: list[Path] = field(default_factory=list)  # files in which no voice was found


class RecordingError(Exception):
    """A Message: what the NGO must fix (nothing was written)."""


def match(files: list[Path], lines: list[ScriptLine]) -> tuple[dict[int, Path], list[Path], list[Path]]:
    """The file of each line (by slug, else by the number its name starts with), the files that
    match nothing and the files that match a line taken already."""
    by_slug = {line.item.slug: line.number for line in lines}
    numbers = {line.number for line in lines}
    found: dict[int, Path] = {}
    unmatched: list[Path] = []
    twice: list[Path] = []
    for path in sorted(files, key=lambda p: p.name):
        number = by_slug.get(path.stem)
        if number is None:
            lead = re.match(r"\s*0*(\d+)", path.stem)
            number = int(lead.group(1)) if lead and int(lead.group(1)) in numbers else None
        if number is None:
            unmatched.append(path)
        elif number in found:
            twice.append(path)
        else:
            found[number] = path
    return found, unmatched, twice


def voice_span(path: Path) -> tuple[float, float, float] | None:
    """(start, end, length) in seconds of the voice in `path`, the silence around it left out
    (MARGIN of it kept); None when the file holds no voice at all."""
    out = _ffmpeg(["-i", str(path), "-af", f"silencedetect=noise={SILENCE_DB}dB:d={MIN_SILENCE}", "-f", "null", "-"])
    length = _length(out)
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", out)]
    ends = [float(x) for x in re.findall(r"silence_end: (-?[\d.]+)", out)]
    begin, finish = 0.0, length
    if starts and starts[0] <= 0.05:
        if not ends:
            return None  # silence from start to end
        begin = ends[0]
    if starts and (len(starts) > len(ends) or starts[-1] > ends[-1] or ends[-1] >= length - 0.05):
        finish = starts[-1]  # silence runs to the end of the file (ffmpeg may or may not say where it ends)
    if finish - begin <= 0.05:
        return None
    return max(0.0, begin - MARGIN), min(length, finish + MARGIN), length


def _length(ffmpeg_output: str) -> float:
    """The length ffmpeg read: the last progress time (exact after decoding), else the header's."""
    found = re.findall(r"time=(\d+):(\d+):([\d.]+)", ffmpeg_output) or \
        re.findall(r"Duration: (\d+):(\d+):([\d.]+)", ffmpeg_output)
    if not found:
        return 0.0
    h, m, s = found[-1]
    return int(h) * 3600 + int(m) * 60 + float(s)


def is_clipped(path: Path) -> bool:
    """Samples at (or a hair under) full scale in the file as it came from the recorder."""
    out = _ffmpeg(["-i", str(path), "-af", "volumedetect", "-f", "null", "-"])
    peak = re.search(r"max_volume: (-?[\d.]+) dB", out)
    return peak is not None and float(peak.group(1)) >= CLIPPED_DB


def bring_in(content: Content, i18n: I18n, lang: str, folder: Path) -> Import:
    """Trim, normalise and encode the actor's files of `folder` into audio/<lang>/recorded/."""
    from kiosk.core.narration.narrate import NarrateError, encode

    if not folder.is_dir():
        raise RecordingError(msg(N_("the folder of recordings {folder} does not exist"), folder=str(folder)))
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SOUND_SUFFIXES
             and not p.name.startswith(".")]
    lines = script_items(content, i18n, lang)
    found, unmatched, twice = match(files, lines)
    result = Import(unmatched=unmatched, twice=twice)
    target_folder = content.root / AUDIO_FOLDER / lang / RECORDED_FOLDER
    target_folder.mkdir(parents=True, exist_ok=True)
    for line in lines:
        source = found.get(line.number)
        if source is None:
            result.missing.append(line)
            continue
        span = voice_span(source)
        if span is None:
            result.silent.append(source)
            continue
        start, end, _length_ = span
        target = target_folder / f"{line.item.slug}.mp3"
        with tempfile.TemporaryDirectory(prefix="kiosk-recording-") as work:
            mp3 = Path(work) / "voice.mp3"
            try:
                encode(source, mp3, start=start, end=end)
            except NarrateError as exc:
                raise RecordingError(exc.message) from exc
            for other in target_folder.glob(f"{line.item.slug}.*"):
                if other.suffix.lower() in (".mp3", ".ogg", ".wav") and other != target:
                    other.unlink()  # one recording per item: the new one replaces an .ogg or .wav
            tmp = target.with_name(f".{target.name}.part")
            tmp.write_bytes(mp3.read_bytes())
            os.replace(tmp, target)
        result.brought.append(Brought(line, source, target, end - start, is_clipped(source)))
    return result


def _ffmpeg(arguments: list[str]) -> str:
    try:
        done = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", *arguments], capture_output=True,
                              timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RecordingError(msg(N_("{program} failed: {reason}"), program="ffmpeg", reason=str(exc))) from exc
    text = done.stderr.decode("utf-8", "replace")
    if done.returncode:
        lines = text.strip().splitlines()
        raise RecordingError(msg(N_("{program} failed: {reason}"), program="ffmpeg",
                                 reason=lines[-1] if lines else str(done.returncode)))
    return text
