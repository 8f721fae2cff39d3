"""Loudness: every file the kiosk plays at one loudness, with room under full scale. Qt-free.

EBU R128 through ffmpeg's `loudnorm`, in two passes: the first measures the file, the second
applies one gain computed from that measure (`linear=true`), so speech keeps its own rise and
fall instead of being pumped by a compressor. The targets:

- TARGET_LUFS, -18 LUFS integrated: near the -16 of spoken-word streams and podcasts (AES
  TD1004), loud enough for a small kiosk loudspeaker in a hall without turning the volume to the
  top, where cheap amplifiers distort (EBU R128 broadcast's -23 LUFS leaves a kiosk there). Not
  -16: espeak-ng's voice has 18 to 20 dB between its loudness and its true peak, so at -16 every
  file would be squeezed by 3 to 5 dB of limiting (measured on the default pack); at -18 most
  get one gain and a little limiting on their loudest syllables.
- TARGET_PEAK, -2 dBTP asked of loudnorm, so that the MP3 stays at or under MAX_PEAK, -1 dBTP.
  The MP3 is measured: where loudnorm's limiter let a peak through (11 of the 157 long files of
  the default pack reached -1.1 to -0.4 dBTP), the file is made again with the gain and limiter
  below.

A file under SHORT seconds (a word, an answer, a score) is not given to loudnorm: its second pass
left such files 2 to 5 LU under the target (measured on the default pack). It gets one gain to the
target and a limiter that holds its true peak, then is measured again and the gain corrected once
for what the limiter took (`limiter_filter`): -18.5 LUFS and -2.3 dBTP for a 2.6-second answer
that came in at -19.9 LUFS and -2.4 dBTP before its gain.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

TARGET_LUFS = -18.0
TARGET_PEAK = -2.0
TARGET_LRA = 11.0
TIMEOUT = 120
SHORT = 6.0  # seconds: shorter files get a gain and a limiter (limiter_filter), not loudnorm
MAX_PEAK = -1.0  # dBTP: the most a file the kiosk plays may reach (measured on the MP3)
LIMIT_DBFS = -2.5  # the limiter's ceiling, on the signal oversampled four times (near the true peak)
PAD = "apad=whole_dur=3,"  # loudnorm measures in 3-second windows


class LoudnessError(Exception):
    """ffmpeg could not measure a file (its last words are the argument)."""


@dataclass(frozen=True)
class Measure:
    """loudnorm's first pass: what the second needs."""

    integrated: float
    true_peak: float
    lra: float
    threshold: float


def measure(source: Path, start: float = 0.0, end: float | None = None) -> Measure:
    """The loudness of `source` (perhaps of its part from `start` to `end` seconds)."""
    trim = _trim(start, end)
    done = _ffmpeg(["-i", str(source), "-af",
                    f"{trim}{PAD}loudnorm=I={TARGET_LUFS}:TP={TARGET_PEAK}:LRA={TARGET_LRA}:print_format=json",
                    "-f", "null", "-"])
    found = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", done)
    if not found:
        raise LoudnessError("loudnorm printed no measure")
    data = json.loads(found.group(0))
    try:
        values = [float(data[k]) for k in ("input_i", "input_tp", "input_lra", "input_thresh")]
    except (KeyError, ValueError) as exc:  # "-inf": silence
        raise LoudnessError(f"no sound to measure in {source.name}") from exc
    if any(v != v or abs(v) == float("inf") for v in values):
        raise LoudnessError(f"no sound to measure in {source.name}")
    return Measure(*values)


def normalise_filter(m: Measure, seconds: float, start: float = 0.0, end: float | None = None) -> str:
    """The ffmpeg audio filter that brings a file measured as `m` to the targets; `seconds`: how
    long the sound is (from `start` to `end`), where the padding is cut off."""
    return (f"{_trim(start, end)}{PAD}loudnorm=I={TARGET_LUFS}:TP={TARGET_PEAK}:LRA={TARGET_LRA}"
            f":measured_I={m.integrated}:measured_TP={m.true_peak}:measured_LRA={m.lra}"
            f":measured_thresh={m.threshold}:linear=true,atrim=end={seconds:.3f}")


def limiter_filter(gain: float, start: float = 0.0, end: float | None = None, limit: float = LIMIT_DBFS) -> str:
    """One gain, then a limiter on the signal oversampled to 88.2 kHz (so that it catches the peaks
    between samples, as a true-peak meter does) at `limit` dBFS."""
    ceiling = 10 ** (limit / 20)
    return (f"{_trim(start, end)}volume={gain:.2f}dB,aresample=88200,"
            f"alimiter=limit={ceiling:.4f}:level=disabled:attack=1:release=50")


def _trim(start: float, end: float | None) -> str:
    if not start and end is None:
        return ""
    stop = f":end={end:.3f}" if end is not None else ""
    return f"atrim=start={start:.3f}{stop},asetpts=PTS-STARTPTS,"


@dataclass(frozen=True)
class Level:
    """What ffmpeg's ebur128 filter says of a file: its integrated loudness and true peak."""

    lufs: float
    peak: float


def level(path: Path, before: str = "") -> Level:
    """Integrated loudness (LUFS) and true peak (dBTP) of `path`, by `ebur128=peak=true` (after the
    filters `before`, if any, end with a comma)."""
    out = _ffmpeg(["-i", str(path), "-af", f"{before}ebur128=peak=true", "-f", "null", "-"])
    summary = out[out.rfind("Summary:"):]
    lufs = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not lufs or not peak:
        raise LoudnessError(f"ebur128 printed no summary for {path.name}")
    return Level(float(lufs.group(1)), float(peak.group(1)))


def duration(path: Path) -> float:
    """Seconds of sound in `path` (ffprobe)."""
    try:
        done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                               str(path)], capture_output=True, text=True, timeout=TIMEOUT)
        return float(done.stdout.strip())
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        raise LoudnessError(f"cannot tell how long {path.name} is") from exc


def _ffmpeg(arguments: list[str]) -> str:
    try:
        done = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-nostdin", *arguments],
                              capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LoudnessError(str(exc)) from exc
    text = done.stderr.decode("utf-8", "replace")
    if done.returncode:
        lines = text.strip().splitlines()
        raise LoudnessError(lines[-1] if lines else f"ffmpeg exit status {done.returncode}")
    return text
