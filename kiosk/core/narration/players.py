"""Which program plays the narration, with which options. Qt-free, so it is tested alone.

Linux: the system's own player in a separate process (kiosk/ui/narration.py starts it with a
QProcess): a missing codec or a broken sound card can never take the kiosk down, stopping is
a kill, and PySide6-Essentials (which has no QtMultimedia) is enough. The first one found is
used, unless the site settings name one (`narration_player`).

Windows has none of these programs: there the kiosk plays through winmm's MCI, in the
kiosk's own process (see `mci_open` below and docs/INSTALLING.md, "Windows"). The command strings are
built here so that they are tested on Linux; the calls themselves have not run on Windows.
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePath

# (program, options, the suffixes it plays). pw-play and paplay read files through libsndfile
# (MP3 since 1.1, Debian 12 has 1.2); aplay only reads WAV: given an MP3 it would play noise.
PLAYERS: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("pw-play", (), frozenset({".mp3", ".ogg", ".wav"})),
    ("paplay", (), frozenset({".mp3", ".ogg", ".wav"})),
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet"), frozenset({".mp3", ".ogg", ".wav"})),
    ("mpg123", ("-q",), frozenset({".mp3"})),
    ("aplay", ("-q",), frozenset({".wav"})),
)
ANY_SUFFIX = frozenset({".mp3", ".ogg", ".wav"})
# MCI's "mpegvideo" device (DirectShow) plays MP3 and WAV on every Windows since XP; Ogg
# Vorbis needs a codec Windows does not ship, so a human recording for Windows is .mp3 or .wav.
MCI_SUFFIXES = frozenset({".mp3", ".wav"})
NO_VOLUME = ("aplay",)  # no volume option: the system mixer alone sets its loudness


@dataclass(frozen=True)
class Player:
    """A player command line: `arguments(path, volume)` is what to start."""

    words: tuple[str, ...]
    suffixes: frozenset[str] = ANY_SUFFIX

    @property
    def name(self) -> str:
        name = PurePath(self.words[0]).name.lower()
        return name[:-4] if name.endswith(".exe") else name

    @property
    def has_volume(self) -> bool:
        return self.name not in NO_VOLUME

    def plays(self, path: Path) -> bool:
        return path.suffix.lower() in self.suffixes

    def arguments(self, path: Path, volume: int = 100) -> list[str]:
        """The command for one file at `volume` percent (0 to 100) of the player's full level."""
        return [*self.words, *volume_options(self.name, volume), str(path)]


def volume_options(name: str, volume: int) -> list[str]:
    """Each player's own volume option; 100 is its normal level, so nothing is added."""
    volume = max(0, min(100, volume))
    if volume == 100:
        return []
    if name == "pw-play":
        return [f"--volume={volume / 100:g}"]  # 0.0 to 1.0
    if name == "paplay":
        return [f"--volume={round(65536 * volume / 100)}"]  # 65536 is 100 %
    if name == "ffplay":
        return ["-volume", str(volume)]  # 0 to 100
    if name == "mpg123":
        return ["-f", str(round(32768 * volume / 100))]  # the output scale; 32768 is normal
    return []  # aplay has none


def find_player(configured: str = "") -> Player | None:
    """The `narration_player` setting if it names a program found here, else the first found."""
    if configured.strip():
        words = tuple(shlex.split(configured))
        if not words or shutil.which(words[0]) is None:
            return None
        known = {name: suffixes for name, _options, suffixes in PLAYERS}
        player = Player(words)
        return Player(words, known.get(player.name, ANY_SUFFIX))
    for name, options, suffixes in PLAYERS:
        if shutil.which(name):
            return Player((name, *options), suffixes)
    return None


# -- Windows: winmm MCI command strings ------------------------------------------------------
def mci_quote(path: Path | str) -> str:
    """A file name for an MCI command: in double quotes (which no Windows file name contains)."""
    text = str(path)
    if '"' in text:
        raise ValueError(f"an MCI file name cannot contain a double quote: {text}")
    return f'"{text}"'


def mci_open(path: Path | str, alias: str, volume: int = 100) -> list[str]:
    """The commands that open a file and start it, at `volume` percent (MCI counts to 1000)."""
    volume = max(0, min(100, volume))
    return [f"open {mci_quote(path)} type mpegvideo alias {alias}",
            f"setaudio {alias} volume to {volume * 10}",
            f"play {alias}"]


def mci_status(alias: str) -> str:
    """Answered with "playing" while it plays, "stopped" at the end."""
    return f"status {alias} mode"


def mci_close(alias: str) -> str:
    """Stops the sound at once and frees the device."""
    return f"close {alias}"
