"""`kiosk narrate`: synthetic narration for everything a visitor can hear. Qt-free.

For each language, each text a visitor can hear (`narration.spoken_items`) gets one MP3 file,
`audio/<lang>/<hash>.mp3`, named by the hash of the text it speaks: a text spoken by two items
is one file, and an edited text simply has no file until this runs again. Only what is missing
is made; files no text uses any more are removed; human recordings (`audio/<lang>/recorded/`)
are never touched, only registered in `audio/narration.yaml` with the text they read.

The voice is espeak-ng (offline, in Debian and on Windows, kk/ru/uz/en) or Piper with a voice
model the NGO has installed. The WAV it writes is encoded by ffmpeg (libmp3lame) as mono MP3.

Nothing is lost on a failure: every file is written beside its final name and renamed into
place, the index is written last, and old files are removed only after that succeeded.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.model import N_, Message, msg
from kiosk.core.narration.narration import (
    AUDIO_FOLDER,
    DIGEST_CHARS,
    INDEX_FILE,
    RECORDED_FOLDER,
    RECORDED_SUFFIXES,
    SYNTHETIC_SUFFIX,
    Spoken,
    read_index,
    spoken_items,
)

if TYPE_CHECKING:
    from kiosk.core.model import Content, I18n

ENGINES = ("espeak-ng", "piper")
# Words per minute. espeak-ng's own default is 175; slower is easier for people who read (and
# listen to officialese) poorly, and much slower starts to sound drawn out.
SPEED = 150
# MP3 bit rate, kbit/s, mono at espeak-ng's 22 050 Hz. Measured on the default pack (43 minutes
# of speech; docs/CONTENT.md): 16 kbit/s 5.3 MB, 24 kbit/s 7.9 MB, 32 kbit/s 10.6 MB, 48 kbit/s
# 15.8 MB. At 24 and below the encoder cuts everything above about 6 kHz, where the hissing
# sounds that tell с/ш/щ/ц apart live; 32 keeps them to about 8 kHz; 48 adds nothing audible
# from a kiosk's loudspeaker.
BITRATE = 32
# espeak-ng's voice for each language the kiosk speaks.
ESPEAK_VOICES = {"kk": "kk", "ru": "ru", "uz": "uz", "en": "en"}
SYNTHETIC_RE = re.compile(rf"^[0-9a-f]{{{DIGEST_CHARS}}}\{SYNTHETIC_SUFFIX}$")
TMP_PREFIX = ".narrate-"
TIMEOUT = 120  # seconds for one text; espeak-ng takes well under one
# Written into each file's engine in the index: files made before loudness was normalised (or at
# another target) are "made by another engine" and `--redo` makes them again.
LOUDNESS_LABEL = "loudnorm -18"

INDEX_HEADER = """\
# Written by `kiosk narrate`; do not edit by hand (run it again instead).
# For each language and each item a visitor can hear:
#   synthetic: hash of the text audio/<lang>/<hash>.mp3 speaks, and the engine that made it;
#   recorded:  hash of the text the human recording audio/<lang>/recorded/<item>.* was made for,
#              and recording: the hash of that audio file (a new recording is noticed by it).
# A human recording whose text has changed since is stale: `kiosk check` names it.
"""


class NarrateError(Exception):
    """Something the author must fix before narration can be made; nothing was changed. Its
    argument is a Message: `str()` gives English (the log), `.message` the words to translate."""

    @property
    def message(self) -> Message:
        first = self.args[0] if self.args else ""
        return first if isinstance(first, Message) else msg(str(first))


@dataclass(frozen=True)
class Engine:
    name: str = "espeak-ng"
    voice: Path | None = None  # piper: the .onnx voice model
    speed: int = SPEED

    def label(self, lang: str) -> str:
        """What the index records: enough to tell which voice made a file."""
        if self.name == "piper":
            return f"piper {self.voice.name if self.voice else '?'} {LOUDNESS_LABEL}"
        return f"espeak-ng {ESPEAK_VOICES.get(lang, lang)} -s {self.speed} {LOUDNESS_LABEL}"

    def command(self, lang: str, wav: Path) -> list[str]:
        """The command that reads the text on its stdin and writes `wav`."""
        if self.name == "piper":
            assert self.voice is not None
            return ["piper", "--model", str(self.voice), "--output_file", str(wav)]
        return ["espeak-ng", "-v", ESPEAK_VOICES[lang], "-s", str(self.speed), "-w", str(wav), "--stdin"]


@dataclass
class LanguageSummary:
    items: int = 0
    texts: int = 0  # distinct texts, one synthetic file each
    made: int = 0
    kept: int = 0
    removed: list[str] = field(default_factory=list)
    recorded: int = 0  # items a fresh human recording reads (no synthetic file is made for them)
    stale_recordings: list[str] = field(default_factory=list)
    new_recordings: list[str] = field(default_factory=list)
    other_engine: int = 0  # kept files that another engine (or voice) made


@dataclass
class Summary:
    languages: dict[str, LanguageSummary]
    seconds: float
    bytes: int
    unknown_recordings: list[Path]


# -- checks before anything is written -------------------------------------------------------
def check_tools(engine: Engine, languages: Iterable[str]) -> None:
    if engine.name not in ENGINES:
        raise NarrateError(msg(N_("unknown engine '{engine}'; use one of {engines}"), engine=engine.name,
                               engines=", ".join(ENGINES)))
    if shutil.which("ffmpeg") is None:
        raise NarrateError(msg(N_("ffmpeg is not installed; it turns the voice into MP3 files "
                                  "(Debian: apt-get install ffmpeg; Windows: ffmpeg.org, put ffmpeg.exe on the PATH)")))
    if engine.name == "piper":
        if engine.voice is None:
            raise NarrateError(msg(N_("--engine piper needs --voice FILE, a Piper voice model (.onnx)")))
        if not engine.voice.is_file():
            raise NarrateError(msg(N_("the Piper voice model {file} does not exist"), file=str(engine.voice)))
        if shutil.which("piper") is None:
            raise NarrateError(msg(N_("piper is not installed (github.com/rhasspy/piper); "
                                      "or leave out --engine to use espeak-ng")))
        return
    if shutil.which("espeak-ng") is None:
        raise NarrateError(msg(N_("espeak-ng is not installed (Debian: apt-get install espeak-ng; "
                                  "Windows: the installer from github.com/espeak-ng/espeak-ng/releases)")))
    for lang in languages:
        voice = ESPEAK_VOICES.get(lang)
        if voice is None:
            raise NarrateError(msg(N_("espeak-ng has no voice chosen for the language '{lang}'"), lang=lang))
        done = subprocess.run(["espeak-ng", f"--voices={voice}"], capture_output=True, text=True, timeout=30)
        if len(done.stdout.strip().splitlines()) < 2:
            raise NarrateError(msg(N_("espeak-ng has no '{voice}' voice for {lang} on this computer "
                                      "(Debian: apt-get install espeak-ng-data)"), voice=voice, lang=lang))


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=TMP_PREFIX):
            pass
    except OSError as exc:
        raise NarrateError(msg(N_("cannot write into {folder}: {reason}"), folder=str(folder),
                               reason=exc.strerror or str(exc))) from exc


# -- making one file ----------------------------------------------------------------------------
def synthesize(engine: Engine, lang: str, text: str, target: Path, bitrate: int = BITRATE) -> None:
    """Speak `text` into the MP3 file `target`, which appears whole or not at all."""
    with tempfile.TemporaryDirectory(prefix="kiosk-narrate-") as work:
        wav, mp3 = Path(work) / "voice.wav", Path(work) / "voice.mp3"
        _run(engine.command(lang, wav), text, f"{engine.name} ({lang})")
        encode(wav, mp3, bitrate)
        # ffmpeg can end with status 0 after a failed write (a full disk): a constant bit rate
        # file shorter than its duration says is refused rather than renamed into the pack.
        expected = _seconds(wav) * bitrate * 1000 / 8
        size = mp3.stat().st_size if mp3.is_file() else 0
        if size == 0 or size < 0.9 * expected - 2048:
            raise NarrateError(msg(N_("ffmpeg wrote {size} bytes for {file}, not the {expected} expected "
                                      "(is the disk of {folder} full?)"), size=size, file=target.name,
                                   expected=round(expected), folder=work))
        tmp = target.with_name(f"{TMP_PREFIX}{target.name}")
        try:
            shutil.copyfile(mp3, tmp)  # a full disk here raises, unlike inside ffmpeg
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)


def encode(source: Path, mp3: Path, bitrate: int = BITRATE, start: float = 0.0, end: float | None = None) -> None:
    """`source` (from `start` to `end` seconds) as a mono MP3 at the kiosk's loudness (loudness.py:
    measured, then one gain), at the sample rate of the source (22 050 Hz from espeak-ng)."""
    from kiosk.core.narration.loudness import (
        LIMIT_DBFS,
        MAX_PEAK,
        SHORT,
        TARGET_LUFS,
        LoudnessError,
        duration,
        level,
        limiter_filter,
        measure,
        normalise_filter,
    )

    rate = _rate(source)
    try:
        seconds = (end if end is not None else duration(source)) - start
        if seconds < SHORT:
            trim = _trim_only(start, end)
            gain = TARGET_LUFS - level(source, trim).lufs
            after = level(source, limiter_filter(gain, start, end) + ",")  # what the limiter took
            audio_filter = limiter_filter(gain + TARGET_LUFS - after.lufs, start, end)
        else:
            audio_filter = normalise_filter(measure(source, start, end), seconds, start, end)
    except LoudnessError as exc:
        raise NarrateError(msg(N_("{program} failed: {reason}"), program="ffmpeg", reason=str(exc))) from exc
    _encode(source, mp3, audio_filter, rate, bitrate)
    try:
        # The MP3 encoder can overshoot by up to 2 dB at 32 kbit/s: measured, and where a peak is over
        # MAX_PEAK, made again with the gain and limiter, its ceiling lowered by the excess.
        limit = LIMIT_DBFS
        limited = seconds < SHORT  # made with the limiter (not loudnorm) already
        for _attempt in range(3):
            peak = level(mp3).peak
            if peak <= MAX_PEAK:
                break
            if limited:
                limit -= peak - MAX_PEAK + 0.2
            limited = True
            gain = TARGET_LUFS - level(source, _trim_only(start, end)).lufs
            after = level(source, limiter_filter(gain, start, end, limit) + ",")
            audio_filter = limiter_filter(gain + TARGET_LUFS - after.lufs, start, end, limit)
            _encode(source, mp3, audio_filter, rate, bitrate)
    except LoudnessError as exc:
        raise NarrateError(msg(N_("{program} failed: {reason}"), program="ffmpeg", reason=str(exc))) from exc


def _encode(source: Path, mp3: Path, audio_filter: str, rate: int, bitrate: int) -> None:
    _run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(source),
          "-af", audio_filter, "-ac", "1", "-ar", str(min(rate, 48000)),
          "-codec:a", "libmp3lame", "-b:a", f"{bitrate}k",
          "-map_metadata", "-1", "-id3v2_version", "0", "-f", "mp3", str(mp3)], None, "ffmpeg")


def _trim_only(start: float, end: float | None) -> str:
    if not start and end is None:
        return ""
    stop = f":end={end:.3f}" if end is not None else ""
    return f"atrim=start={start:.3f}{stop},asetpts=PTS-STARTPTS,"


def _rate(source: Path) -> int:
    """The sample rate of a WAV file; 44 100 Hz for anything else (the encoder's usual)."""
    import wave

    try:
        with wave.open(str(source), "rb") as sound:
            return int(sound.getframerate()) or 44100
    except (OSError, EOFError, wave.Error):
        return 44100


def _seconds(wav: Path) -> float:
    import wave

    try:
        with wave.open(str(wav), "rb") as sound:
            return sound.getnframes() / max(1, sound.getframerate())
    except (OSError, EOFError, wave.Error) as exc:
        raise NarrateError(msg(N_("the voice wrote no usable sound ({reason})"), reason=str(exc))) from exc


def _run(command: list[str], stdin: str | None, what: str) -> None:
    try:
        done = subprocess.run(command, input=stdin.encode("utf-8") if stdin is not None else None,
                              capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as exc:
        raise NarrateError(msg(N_("{program} is not installed"), program=command[0])) from exc
    except subprocess.TimeoutExpired as exc:
        raise NarrateError(msg(N_("{program} took longer than {seconds} s and was stopped"), program=what,
                               seconds=TIMEOUT)) from exc
    if done.returncode:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {done.returncode}"
        if "No space left" in reason:
            raise NarrateError(msg(N_("the disk is full; free some space and run kiosk narrate again")))
        raise NarrateError(msg(N_("{program} failed: {reason}"), program=what, reason=reason))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()[:DIGEST_CHARS]


# -- the whole pack -----------------------------------------------------------------------------
def narrate_content(content: Content, i18n: I18n, languages: Iterable[str] | None = None, engine: Engine | None = None,
            jobs: int | None = None, redo: bool = False,
            progress: Callable[[str], None] | None = None) -> Summary:
    """Make what is missing, register human recordings, write the index, remove what no item uses."""
    started = time.monotonic()
    engine = engine or Engine()
    wanted = tuple(languages or content.languages)
    unknown = [lang for lang in wanted if lang not in content.languages]
    if unknown:
        raise NarrateError(msg(N_("the pack has no language {unknown}; its languages are {languages}"),
                               unknown=", ".join(unknown), languages=", ".join(content.languages)))
    if engine.name == "piper" and len(wanted) != 1:
        raise NarrateError(msg(N_("a Piper voice speaks one language: name it with --lang (for example --lang ru)")))
    check_tools(engine, wanted)
    audio = content.root / AUDIO_FOLDER
    for lang in wanted:
        _check_writable(audio / lang)
    index = read_index(audio / INDEX_FILE)
    items = spoken_items(content, i18n)  # every language: the index keeps the others as they are
    by_lang: dict[str, list[Spoken]] = {}
    for item in items:
        if item.text.strip():  # nothing to say (an optional text left empty): no file
            by_lang.setdefault(item.lang, []).append(item)

    summaries: dict[str, LanguageSummary] = {}
    todo: dict[tuple[str, str], str] = {}  # (lang, digest) -> text
    new_index: dict[str, dict[str, dict[str, str]]] = {}
    unknown_recordings: list[Path] = []
    for lang in content.languages:
        old = index.get(lang, {})
        if lang not in wanted:
            known = {item.key for item in by_lang.get(lang, [])}
            new_index[lang] = {key: entry for key, entry in old.items() if key in known}
            continue
        s = summaries[lang] = LanguageSummary(items=len(by_lang.get(lang, [])))
        recorded = _recordings(audio / lang / RECORDED_FOLDER)
        entries: dict[str, dict[str, str]] = {}
        made_by = {e["synthetic"]: e.get("engine", "") for e in old.values() if e.get("synthetic")}
        needed: dict[str, str] = {}  # digest -> text of the synthetic files this language keeps
        for item in by_lang.get(lang, []):
            entry: dict[str, str] = {}
            before = old.get(item.key, {})
            fresh_recording = False
            path = recorded.pop(item.slug, None)
            if path is not None:
                sound = file_digest(path)
                if before.get("recording") == sound and before.get("recorded"):
                    entry["recorded"] = before["recorded"]  # the same file as last time: it reads what it read
                else:
                    entry["recorded"] = item.digest  # a new recording is taken to read today's text
                    s.new_recordings.append(str(path.relative_to(content.root)))
                entry["recording"] = sound
                fresh_recording = item.reads(entry["recorded"])
                if fresh_recording:
                    s.recorded += 1
                else:
                    s.stale_recordings.append(str(path.relative_to(content.root)))
            if not fresh_recording:
                needed[item.digest] = item.text
                entry["synthetic"] = item.digest
                entry["engine"] = made_by.get(item.digest) or engine.label(lang)
            entries[item.key] = entry
        unknown_recordings.extend(recorded.values())
        s.texts = len(needed)
        for hexdigest, text in needed.items():
            exists = (audio / lang / f"{hexdigest}{SYNTHETIC_SUFFIX}").is_file()
            if exists and not redo:
                if made_by.get(hexdigest, engine.label(lang)) != engine.label(lang):
                    s.other_engine += 1
                continue
            todo[(lang, hexdigest)] = text
            for entry in entries.values():
                if entry.get("synthetic") == hexdigest:
                    entry["engine"] = engine.label(lang)
        s.kept = s.texts - sum(1 for (lang_, _d) in todo if lang_ == lang)
        new_index[lang] = entries

    lock = threading.Lock()

    def make(job: tuple[str, str]) -> None:
        lang, hexdigest = job
        synthesize(engine, lang, todo[job], audio / lang / f"{hexdigest}{SYNTHETIC_SUFFIX}")
        with lock:
            summaries[lang].made += 1
            if progress:
                progress(f"{sum(x.made for x in summaries.values())} of {len(todo)}")

    workers = max(1, jobs or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(make, job) for job in sorted(todo)]
        try:
            done, _pending = wait(futures, return_when=FIRST_EXCEPTION)
        except BaseException:  # Ctrl+C: what runs finishes (whole files), nothing new starts
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        failed = [f for f in done if f.exception() is not None]
        if failed:
            pool.shutdown(wait=True, cancel_futures=True)
            exc = failed[0].exception()
            if isinstance(exc, OSError):
                raise _os_error(exc) from exc
            raise exc  # type: ignore[misc]

    write_index(audio / INDEX_FILE, new_index)
    for lang in wanted:
        keep = {e["synthetic"] for e in new_index[lang].values() if "synthetic" in e}
        for path in sorted((audio / lang).iterdir()):
            stale_tmp = path.name.startswith(TMP_PREFIX)
            if stale_tmp or (SYNTHETIC_RE.match(path.name) and path.name[:DIGEST_CHARS] not in keep):
                path.unlink(missing_ok=True)
                if not stale_tmp:
                    summaries[lang].removed.append(path.name)
    total = sum(p.stat().st_size for p in audio.rglob("*") if p.is_file())
    return Summary(summaries, time.monotonic() - started, total, unknown_recordings)


def _os_error(exc: OSError) -> NarrateError:
    if exc.errno == 28:  # ENOSPC
        return NarrateError(msg(N_("the disk is full; free some space and run kiosk narrate again "
                                   "(the audio made so far is kept, nothing was removed)")))
    if exc.filename:
        return NarrateError(msg(N_("cannot write {file}: {reason}"), file=str(exc.filename),
                                reason=exc.strerror or str(exc)))
    return NarrateError(msg(N_("cannot write the audio: {reason}"), reason=exc.strerror or str(exc)))


def _recordings(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in RECORDED_SUFFIXES and not p.name.startswith(".")}


def write_index(path: Path, index: dict[str, dict[str, dict[str, str]]]) -> None:
    """Sorted, so that an unchanged pack gives the same bytes (and a small diff when it changes)."""
    import yaml

    data: dict[str, Any] = {lang: {key: dict(sorted(entry.items())) for key, entry in sorted(entries.items())}
                            for lang, entries in sorted(index.items()) if entries}
    text = INDEX_HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, default_flow_style=False,
                                         width=200)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(exc) from exc
