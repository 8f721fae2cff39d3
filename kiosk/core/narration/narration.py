"""Narration: what the kiosk can read aloud, and which recording reads it. Qt-free.

Everything a visitor reads is listed as `Spoken` items: a key (which item), a language and
the exact text spoken. A screen plays a *playlist* of items (a quiz question is its prompt,
then each answer in the order the visitor sees them), so shuffled answers are read in the
order they are shown.

Where the audio lives, in a content pack:

- `audio/<lang>/<hash>.mp3`: a synthetic recording (`kiosk narrate`), named by the first 16
  hex digits of the SHA-256 of the text it speaks. An edited text has another hash, so it
  simply has no synthetic recording until `kiosk narrate` runs again.
- `audio/<lang>/recorded/<key>.mp3|.ogg|.wav`: a human recording, named by the item's key
  with `/` written as `-` (`slide-02-offer.mp3`, `question-q1.mp3`). It always wins over a
  synthetic one while it is fresh.
- `audio/narration.yaml`: written by `kiosk narrate`: for each language and key, the hash of
  the text the synthetic and the human recording were made for. A human recording whose
  text has changed since is *stale*: it is not played (it would say the old words); the
  synthetic voice for the new text is, and `kiosk check` asks for a new recording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.model import N_, NP_, Content, Question, Slide, Text
from kiosk.core.narration.spoken import spoken_form
from kiosk.core.visit import Before, PrintStatus, Screen, Visit

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kiosk.core.model import I18n, Problem


AUDIO_FOLDER = "audio"
INDEX_FILE = "narration.yaml"
SYNTHETIC_SUFFIX = ".mp3"
RECORDED_FOLDER = "recorded"
RECORDED_SUFFIXES = (".mp3", ".ogg", ".wav")
DIGEST_CHARS = 16
MAX_INDEX = 8 * 1024 * 1024  # bytes; the default pack's is 34 kB

# The kiosk's own words that are read aloud are defined here, once, and the screens that show
# them import them (kiosk/ui/screens/leaflet.py, quiz.py): what is heard is always what is shown.
# The attract screen, built before the first frame, keeps its own copy of TOUCH_TO_START, so that
# this module stays out of the start-up (tests/test_narration_players.py holds the two equal).
# TRANSLATORS: the big invitation on the idle kiosk; a visitor touches anywhere to begin.
TOUCH_TO_START = N_("Touch the screen to start")
# TRANSLATORS: heading of the leaflet screen, above the Print and QR code buttons.
LEAFLET_HEADING = N_("Take this leaflet with you")
# TRANSLATORS: short text under the heading on the leaflet screen.
LEAFLET_EXPLAIN = N_("Print it here for free, or photograph the QR code with your phone.")
# TRANSLATORS: shown once the printer has accepted the leaflet.
PRINTING = N_("Printing… Please take your leaflet from the printer.")
# TRANSLATORS: shown when the printer cannot print (off, out of paper, broken); the QR code
# and the number are shown beside it.
NOT_READY = N_("The printer is not ready. Photograph this code with your phone or write down the number.")
# TRANSLATORS: shown when this visitor, or the kiosk this hour, has printed as many leaflets as
# allowed; the QR code and the number are shown beside it.
LIMIT = N_("No more leaflets can be printed right now. Photograph this code with your phone or write down the number.")
# TRANSLATORS: under the large QR code: how to take the number away without paper.
QR_HINT = N_("Photograph this code with your phone camera, or write down the number.")
# TRANSLATORS: the score on the result screen; {n} answers right out of {total} questions.
SCORE = NP_("{n} right answer out of {total}", "{n} right answers out of {total}")
# TRANSLATORS: result screen: above the phone number.
FREE_ADVICE = N_("Free and confidential advice:")

LEAFLET_MESSAGES = {
    "leaflet/printing": PRINTING,
    "leaflet/not-ready": NOT_READY,
    "leaflet/limit": LIMIT,
    "leaflet/qr": QR_HINT,
}


class Kind(str, Enum):
    RECORDED = "recorded"
    SYNTHETIC = "synthetic"
    STALE = "stale"  # a recording exists, but for a text that has changed since
    MISSING = "missing"


def digest(text: str) -> str:
    return str(_sha256(text.encode("utf-8")).hexdigest())[:DIGEST_CHARS]


def _sha256(data: bytes) -> Any:
    """SHA-256 from Python's own module where it has one: importing hashlib loads OpenSSL, 3.7 MiB
    of resident memory in the kiosk process for a few hashes per screen (the digest is the same)."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]  # Python 3.12 and later
        except ImportError:
            import hashlib

            return hashlib.sha256(data)
    return sha256(data)


@dataclass(frozen=True)
class Spoken:
    key: str  # "slide/02-offer", "question/q1", "answer/q1/2", "explanation/q1", "band/50", "score/3-of-5", ...
    lang: str
    text: str  # what the voice reads: the spoken form (spoken.py), which names the synthetic file
    shown: str = ""  # what the screen shows, where it differs

    @property
    def digest(self) -> str:
        return digest(self.text)

    def reads(self, hexdigest: str | None) -> bool:
        """A human recording registered for `hexdigest` reads today's words: those of the spoken
        form, or those shown (recordings made before spoken forms existed were hashed by those)."""
        return hexdigest is None or hexdigest == self.digest or (bool(self.shown) and hexdigest == digest(self.shown))

    @property
    def slug(self) -> str:
        """The file name (without suffix) of a human recording of this item."""
        return self.key.replace("/", "-")


def say(key: str, lang: str, *texts: Text | str) -> Spoken:
    """The item `key`: its texts read one after another, each as the voice must say it."""
    shown = _join(*(t if isinstance(t, str) else t.get(lang) for t in texts))
    spoken = spoken_form(_join(*(t if isinstance(t, str) else t.said(lang) for t in texts)), lang)
    return Spoken(key, lang, spoken, shown if shown != spoken else "")


def _join(*parts: str) -> str:
    """Sentences read one after another; a full stop between them gives the voice a pause."""
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1][-1] not in ".!?…:;":
            out[-1] += "."
        out.append(part)
    return "\n".join(out)


# -- the items of each screen ----------------------------------------------------------------
def slide(item: Slide, lang: str) -> Spoken:
    return say(f"slide/{item.id}", lang, item.title, item.body)


def question(item: Question, lang: str) -> Spoken:
    return say(f"question/{item.id}", lang, item.prompt)


def answer(item: Question, index: int, lang: str) -> Spoken:
    """Answer `index` (its place in the file, not on the screen)."""
    return say(f"answer/{item.id}/{index + 1}", lang, item.answers[index].text)


def question_playlist(item: Question, order: Iterable[int], lang: str) -> list[Spoken]:
    """The prompt, then each answer in the order the visitor sees them."""
    return [question(item, lang), *(answer(item, i, lang) for i in order)]


def explanation(item: Question, lang: str) -> Spoken:
    return say(f"explanation/{item.id}", lang, item.explanation)


def score(n: int, total: int, lang: str, i18n: I18n) -> Spoken:
    text = i18n.ngettext(*SCORE, n, lang).format(n=n, total=total)
    return say(f"score/{n}-of-{total}", lang, text)


def result_playlist(content: Content, n: int, total: int, lang: str, i18n: I18n) -> list[Spoken]:
    """The score, then the message for its band, then who gives free advice."""
    from kiosk.core.visit import band_for

    assert content.quiz is not None
    percent = round(100 * n / total) if total else 0
    band = band_for(content.quiz, percent)
    return [score(n, total, lang, i18n),
            say(f"band/{band.from_percent}", lang, band.message),
            advice(content, lang, i18n)]


def advice(content: Content, lang: str, i18n: I18n) -> Spoken:
    contact = content.primary_contact
    name = Text({lang: f"{i18n.gettext(FREE_ADVICE, lang)} {contact.name.get(lang)}"},
                spoken={lang: f"{i18n.gettext(FREE_ADVICE, lang)} {contact.name.said(lang)}"})
    return say("advice", lang, name, contact.display)


def leaflet(lang: str, i18n: I18n) -> Spoken:
    return say("leaflet", lang, i18n.gettext(LEAFLET_HEADING, lang), i18n.gettext(LEAFLET_EXPLAIN, lang))


def leaflet_message(key: str, lang: str, i18n: I18n) -> Spoken:
    return say(key, lang, i18n.gettext(LEAFLET_MESSAGES[key], lang))


def neutral(content: Content, lang: str) -> Spoken:
    return say("neutral", lang, content.neutral.title, content.neutral.body)


def attract(lang: str, i18n: I18n) -> Spoken:
    return say("attract", lang, i18n.gettext(TOUCH_TO_START, lang))


def quiz_length(content: Content) -> int:
    quiz = content.quiz
    return min(quiz.length, len(quiz.questions)) if quiz is not None else 0


def spoken_items(content: Content, i18n: I18n, languages: Iterable[str] | None = None) -> list[Spoken]:
    """Everything a visitor can hear, in every language of the pack (or those named)."""
    items: list[Spoken] = []
    for lang in languages or content.languages:
        items.extend(_items(content, i18n, lang))
    return items


def _items(content: Content, i18n: I18n, lang: str) -> Iterator[Spoken]:
    yield attract(lang, i18n)
    for item in content.slides:
        yield slide(item, lang)
    quiz = content.quiz
    if quiz is not None:
        for q in quiz.questions:
            yield question(q, lang)
            for i in range(len(q.answers)):
                yield answer(q, i, lang)
            yield explanation(q, lang)
        total = quiz_length(content)
        for n in range(total + 1):
            yield score(n, total, lang, i18n)
        for band in quiz.bands:
            yield say(f"band/{band.from_percent}", lang, band.message)
        yield advice(content, lang, i18n)
    if content.leaflet is not None:
        yield leaflet(lang, i18n)
        for key in LEAFLET_MESSAGES:
            yield leaflet_message(key, lang, i18n)
    yield neutral(content, lang)


# -- which file speaks an item ---------------------------------------------------------------
class Narration:
    """The audio of one content folder. Reads the folder once; `find` is a dict lookup."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.audio = root / AUDIO_FOLDER
        self._index: dict[str, dict[str, dict[str, str]]] | None = None
        self._files: dict[str, set[str]] = {}
        self._recorded: dict[str, dict[str, Path]] = {}
        if self.audio.is_dir():
            for folder in self.audio.iterdir():
                if not folder.is_dir():
                    continue
                self._files[folder.name] = {p.name for p in folder.iterdir() if p.suffix == SYNTHETIC_SUFFIX}
                recorded = folder / RECORDED_FOLDER
                if recorded.is_dir():
                    self._recorded[folder.name] = {p.stem: p for p in sorted(recorded.iterdir())
                                                   if p.suffix.lower() in RECORDED_SUFFIXES}

    def recordings(self) -> dict[str, dict[str, Path]]:
        """The human recordings in the pack: by language, by file stem (the item's slug)."""
        return self._recorded

    def synthetic_names(self) -> dict[str, set[str]]:
        """The synthetic files' names in the pack, by language."""
        return self._files

    @property
    def index(self) -> dict[str, dict[str, dict[str, str]]]:
        """Read when first needed: a pack without human recordings plays without parsing it."""
        if self._index is None:
            self._index = read_index(self.audio / INDEX_FILE)
        return self._index

    def synthetic_path(self, item: Spoken) -> Path:
        return self.audio / item.lang / f"{item.digest}{SYNTHETIC_SUFFIX}"

    def recorded_path(self, item: Spoken) -> Path | None:
        return self._recorded.get(item.lang, {}).get(item.slug)

    def recorded_digest(self, item: Spoken) -> str | None:
        return self.index.get(item.lang, {}).get(item.key, {}).get("recorded")

    def kind(self, item: Spoken) -> Kind:
        """What plays for this item (recorded, synthetic), or why nothing does (stale, missing)."""
        if self.recorded_path(item) is not None and item.reads(self.recorded_digest(item)):
            # a recording `kiosk narrate` has not seen yet is taken to read the text of today
            return Kind.RECORDED
        if f"{item.digest}{SYNTHETIC_SUFFIX}" in self._files.get(item.lang, set()):
            return Kind.SYNTHETIC
        entry = self.index.get(item.lang, {}).get(item.key, {})
        if self.recorded_path(item) is not None or entry.get("synthetic"):
            return Kind.STALE
        return Kind.MISSING

    def stale_recording(self, item: Spoken) -> bool:
        """A human recording that reads an older text than today's (re-record it)."""
        return self.recorded_path(item) is not None and not item.reads(self.recorded_digest(item))

    def find(self, item: Spoken) -> Path | None:
        """The file to play for this item, or None. (As `kind`, but the index is read only when a
        human recording exists: the answer for a stale item and a missing one is the same, None.)"""
        recorded = self.recorded_path(item)
        if recorded is not None and item.reads(self.recorded_digest(item)):
            return recorded
        if f"{item.digest}{SYNTHETIC_SUFFIX}" in self._files.get(item.lang, set()):
            return self.synthetic_path(item)
        return None

    def find_playable(self, item: Spoken, plays: Callable[[Path], bool]) -> Path | None:
        """`find`, for a player that plays only some formats: a human recording it cannot play
        (an .ogg on Windows) gives way to the synthetic one, rather than to silence."""
        path = self.find(item)
        if path is None or plays(path):
            return path
        if f"{item.digest}{SYNTHETIC_SUFFIX}" in self._files.get(item.lang, set()):
            synthetic = self.synthetic_path(item)
            if synthetic != path and plays(synthetic):
                return synthetic
        return None

    def playlist(self, items: Iterable[Spoken]) -> list[Path]:
        """The files of the items that have one, in order (an item with none is skipped)."""
        return [path for path in map(self.find, items) if path is not None]


def read_index(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The index `kiosk narrate` writes; a missing one is an empty index, and so is a damaged one,
    which is also logged (and named by `kiosk check` and the staff Content tab: `index_problem`)."""
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10 times faster
    try:
        if path.stat().st_size > MAX_INDEX:
            return _damaged_index(path)
        data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return _damaged_index(path)
    if not isinstance(data, dict):
        return _damaged_index(path)
    index: dict[str, dict[str, dict[str, str]]] = {}
    whole = True
    for lang, entries in data.items():
        if not isinstance(entries, dict):
            whole = False
            continue
        index[str(lang)] = {str(key): {str(k): str(v) for k, v in entry.items()}
                            for key, entry in entries.items() if isinstance(entry, dict)}
        whole = whole and len(index[str(lang)]) == len(entries)
    if not whole:
        _damaged_index(path)
    return index


def _damaged_index(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    problem = index_problem(path.parent.parent)
    if problem is not None:
        log.warning("%s: %s", path.parent.parent, problem)
    return {}


# TRANSLATORS: `kiosk check` and the staff Content tab: audio/narration.yaml, written by `kiosk narrate`,
# is damaged. {what} says how (one of the phrases below); `kiosk narrate` is a command: never translated.
I_DAMAGED = N_("the narration index is damaged: {what}. Until it is rebuilt, a human recording made for an "
               "older text cannot be recognised as out of date. Run `kiosk narrate` on this content folder "
               "to rebuild it")
# TRANSLATORS: {what} of the message above.
I_FOLDER = N_("it is a folder, not a file")
# TRANSLATORS: {what} of the message above.
I_EMPTY = N_("it is empty")
# TRANSLATORS: {what} of the message above; {size} is a number.
I_TOO_BIG = N_("it is bigger than {size} MB")
# TRANSLATORS: {what} of the message above.
I_NOT_TEXT = N_("it is not UTF-8 text (a binary file?)")
# TRANSLATORS: {what} of the message above; {error} is the YAML reader's own words, in English.
I_NOT_YAML = N_("it is not valid YAML, perhaps cut short ({error})")
# TRANSLATORS: {what} of the message above.
I_NOT_MAPPING = N_("it is not a list of languages and items as `kiosk narrate` writes it")
# TRANSLATORS: {what} of the message above.
I_BAD_ENTRY = N_("this entry is not in the form `kiosk narrate` writes (cut short, or edited by hand)")


def index_problem(root: Path) -> Problem | None:
    """What is wrong with the narration index of the content folder `root`, as file:line (a
    warning: the kiosk still plays every file; only stale recordings go unnoticed); None when it is
    missing or sound. Reads and parses the file: for `kiosk check` and the staff screen, never at
    start-up."""
    import yaml

    from kiosk.core.model import Problems, msg

    path = root / AUDIO_FOLDER / INDEX_FILE

    def damaged(line: int, what: Any) -> Problem:
        problems = Problems(root)
        problems.warning(path, line, msg(I_DAMAGED, what=what))
        return problems.items[0]

    try:
        if path.is_dir():
            return damaged(0, msg(I_FOLDER))
        size = path.stat().st_size
        if size > MAX_INDEX:
            return damaged(0, msg(I_TOO_BIG, size=MAX_INDEX // 1024**2))
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return damaged(0, exc.strerror or str(exc))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return damaged(raw[: exc.start].count(b"\n") + 1, msg(I_NOT_TEXT))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure loader: its marks say the line
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        else:  # a reader error (a control character, a NUL of a binary file): where it is
            line = text[: getattr(exc, "position", 0)].count("\n") + 1
        return damaged(line, msg(I_NOT_YAML, error=str(getattr(exc, "problem", None) or exc).strip()))
    if node is None:
        return damaged(1, msg(I_EMPTY))
    if not isinstance(node, yaml.MappingNode):
        return damaged(node.start_mark.line + 1, msg(I_NOT_MAPPING))
    for _lang, entries in node.value:
        if not isinstance(entries, yaml.MappingNode):
            return damaged(entries.start_mark.line + 1, msg(I_BAD_ENTRY))
        for _key, entry in entries.value:
            if not isinstance(entry, yaml.MappingNode) or not all(
                    isinstance(v, yaml.ScalarNode) for _k, v in entry.value):
                return damaged(entry.start_mark.line + 1, msg(I_BAD_ENTRY))
    return None


# -- what `kiosk check` reports --------------------------------------------------------------
def is_synthetic_name(name: str) -> bool:
    """`audio/<lang>/<name>` is a file `kiosk narrate` made (and removes when no text uses it)."""
    stem, dot, suffix = name.partition(".")
    return (dot == "." and f".{suffix}" == SYNTHETIC_SUFFIX and len(stem) == DIGEST_CHARS
            and all(c in "0123456789abcdef" for c in stem))


@dataclass
class Coverage:
    """How much of what a visitor can hear has a voice, per language."""

    items: dict[str, int]
    kinds: dict[str, dict[Kind, int]]
    unvoiced: dict[str, list[Spoken]]  # stale or missing: nothing plays for these
    stale_recordings: list[tuple[Spoken, Path]]  # human recordings of an older text
    unknown_recordings: list[Path]  # recorded/<name>.* where no item has that name
    unused_synthetic: list[Path]  # synthetic files no text of today speaks

    @property
    def complete(self) -> bool:
        return not any(self.unvoiced.values())


def coverage(content: Content, i18n: I18n, narration: Narration | None = None) -> Coverage:
    narration = narration or Narration(content.root)
    result = Coverage({}, {}, {}, [], [], [])
    spoken: dict[str, set[str]] = {}
    for item in spoken_items(content, i18n):
        if not item.text.strip():
            continue  # nothing to say: `kiosk narrate` makes no file for it
        lang = item.lang
        result.items[lang] = result.items.get(lang, 0) + 1
        kinds = result.kinds.setdefault(lang, dict.fromkeys(Kind, 0))
        kind = narration.kind(item)
        kinds[kind] += 1
        result.unvoiced.setdefault(lang, [])
        if kind in (Kind.STALE, Kind.MISSING):
            result.unvoiced[lang].append(item)
        if narration.stale_recording(item):
            path = narration.recorded_path(item)
            assert path is not None
            result.stale_recordings.append((item, path))
        spoken.setdefault(lang, set()).add(item.slug)
        spoken.setdefault(f"{lang}#", set()).add(f"{item.digest}{SYNTHETIC_SUFFIX}")
    for lang, recorded in sorted(narration.recordings().items()):
        result.unknown_recordings += [p for stem, p in recorded.items() if stem not in spoken.get(lang, set())]
    for lang, names in sorted(narration.synthetic_names().items()):
        result.unused_synthetic += [narration.audio / lang / name for name in sorted(names)
                                    if is_synthetic_name(name) and name not in spoken.get(f"{lang}#", set())]
    return result


def slugs(content: Content, i18n: I18n, lang: str) -> list[str]:
    """The names a human recording of `lang` can have (`kiosk check` suggests them)."""
    return [item.slug for item in _items(content, i18n, lang)]


# -- what the screen in front of the visitor reads ----------------------------------------------
# Screens that never speak: the neutral quick-exit screen above all (it exists so that someone
# watching sees, and hears, nothing special), staff mode, and the choices without a text of
# their own. The attract loop speaks only with `attract_sound` on, through `attract()`.
SILENT_SCREENS = frozenset({Screen.NEUTRAL, Screen.STAFF, Screen.ATTRACT, Screen.LANGUAGE, Screen.MENU})


def page_key(visit: Visit) -> tuple[object, ...]:
    """What the visitor hears changes exactly when this changes: another screen, language,
    slide, question, an answer given, a print message. A voice still reading the old page stops."""
    run = visit.quiz
    quiz: tuple[object, ...] | None = (run.current, run.answered) if run is not None and visit.screen is Screen.QUIZ else None
    leaflet = (visit.print_status, visit.qr) if visit.screen is Screen.LEAFLET else None
    slide_index = visit.slide if visit.screen is Screen.SLIDES else None
    if visit.screen is Screen.BEFORE and visit.evidence is not None:  # evidence: an answer given stops the voice
        quiz = (visit.evidence.question, visit.evidence.before)
    return (visit.screen, visit.language, slide_index, quiz, leaflet)


def page_items(content: Content, visit: Visit, i18n: I18n) -> list[Spoken]:
    """The playlist of the screen the visit is on ([] for a screen that never speaks)."""
    lang = visit.language
    screen = visit.screen
    if screen in SILENT_SCREENS:
        return []
    if screen is Screen.SLIDES and content.slides:
        return [slide(content.slides[min(visit.slide, len(content.slides) - 1)], lang)]
    pairing = visit.evidence
    if screen is Screen.BEFORE and pairing is not None and content.quiz is not None:
        # Evidence of learning: the question and its answers, read like a quiz question (the same
        # recordings); after the answer the screen only says thank you, without a voice of its own.
        item = next((q for q in content.quiz.questions if q.id == pairing.question), None)
        if item is None or pairing.before is not Before.WAITING:
            return []
        return question_playlist(item, pairing.order, lang)
    run = visit.quiz
    if screen is Screen.QUIZ and run is not None:
        if run.answered:
            return [explanation(run.question, lang)]
        return question_playlist(run.question, (i for i, _ in run.displayed_answers()), lang)
    if screen is Screen.QUIZ_RESULT and run is not None and content.quiz is not None:
        return result_playlist(content, run.right, len(run.questions), lang, i18n)
    if screen is Screen.LEAFLET and content.leaflet is not None:
        key = _leaflet_key(visit)
        return [leaflet_message(key, lang, i18n) if key else leaflet(lang, i18n)]
    return []


def _leaflet_key(visit: Visit) -> str:
    """The leaflet screen's message, as the screen shows it (kiosk/ui/screens/leaflet.py)."""
    status = visit.print_status
    if status is not None and status in (PrintStatus.PRINTING, PrintStatus.DONE, PrintStatus.SENT):
        return "leaflet/printing"
    if status is not None and status is PrintStatus.LIMIT_REACHED:
        return "leaflet/limit"
    if status is not None and status.is_fault:
        return "leaflet/not-ready"
    return "leaflet/qr" if visit.qr else ""


def page_files(narration: Narration, content: Content, visit: Visit, i18n: I18n,
               plays: Callable[[Path], bool] | None = None) -> list[Path]:
    """The files that read the visit's screen, in order. A slide's `narration:` recording,
    declared in its YAML file, wins for that slide in its language. `plays`: the formats the
    player can play (a file it cannot play is left out, or replaced by one it can)."""
    if visit.screen is Screen.SLIDES and content.slides:
        declared = content.slides[min(visit.slide, len(content.slides) - 1)].narration.get(visit.language)
        if declared is not None and (plays is None or plays(declared)):
            return [declared]
    items = page_items(content, visit, i18n)
    if plays is None:
        return narration.playlist(items)
    return [path for path in (narration.find_playable(item, plays) for item in items) if path is not None]


# -- what `kiosk proof` prints under each page -----------------------------------------------------
def leaflet_key(visit: Visit) -> str | None:
    """Which of LEAFLET_MESSAGES the leaflet screen of this visit shows, if any."""
    return _leaflet_key(visit) or None


def screen_playlist(content: Content, i18n: I18n, visit: Visit) -> list[Spoken]:
    """The items the screen of `visit` reads aloud, in order (`kiosk proof` prints them): the
    playlist of the page, and on the attract loop its invitation (read when `attract_sound` is on)."""
    if visit.screen is Screen.ATTRACT:
        return [attract(visit.language, i18n)]
    return page_items(content, visit, i18n)
