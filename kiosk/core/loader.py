"""Load a content pack from YAML, validate it, and report every problem at once.

The result is either a usable `Content` and a list of warnings, or `None` and a list with at
least one error. Nothing here raises for bad content: authors get `file:line: message`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.core.content import (
    LANGUAGES,
    Answer,
    Contact,
    Content,
    Leaflet,
    LeafletMessage,
    Neutral,
    Organisation,
    Question,
    Quiz,
    ScoreBand,
    Slide,
    Text,
)
from kiosk.core.problems import Coverage, LoadResult, Problems
from kiosk.core.yamlio import YamlError, YDict, YList, load_file

SCHEMA_VERSION = 1
PICTURE_TYPES = {".svg", ".png", ".jpg", ".jpeg"}
AUDIO_TYPES = {".ogg", ".mp3", ".wav"}
MAX_TEXT = 2000
STALE_AFTER_DAYS = 365
# Unknown names listed per file; past this a file is plainly not content (or pasted in twice),
# and tens of thousands of "did you mean" guesses would take `kiosk check` seconds.
MAX_UNKNOWN = 50
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DIAL_RE = re.compile(r"^\+?[0-9]{2,15}$")
LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "uz": "Uzbek", "en": "English"}

# Recommended lengths (characters); longer text still loads but `kiosk check` warns.
LIMITS = {
    ("slide", "title"): 60,
    ("slide", "body"): 320,
    ("neutral", "title"): 60,
    ("neutral", "body"): 320,
    ("quiz", "prompt"): 150,
    ("quiz", "answer"): 70,
    ("quiz", "explanation"): 220,
    ("leaflet", "title"): 50,
    ("leaflet", "intro"): 160,
    ("leaflet", "message"): 110,
    ("leaflet", "sign"): 60,
    ("leaflet", "tab"): 25,
}

class _Pack:
    """Validation state for one content folder."""

    def __init__(self, root: Path, today: dt.date) -> None:
        self.root = root
        self.today = today
        self.problems = Problems(root)
        self.languages: tuple[str, ...] = LANGUAGES
        self.coverage = Coverage()
        self.used_media: set[Path] = set()
        self._unknown: dict[Path, int] = {}

    # -- files -----------------------------------------------------------------------------
    def read(self, path: Path, required: bool = True) -> YDict | None:
        if not path.exists():
            if required:
                self.problems.error(path, 0, "this file is missing")
            return None
        try:
            data, duplicates = load_file(path)
        except YamlError as exc:
            self.problems.error(path, exc.line, exc.message)
            return None
        for line, key in duplicates:
            self.problems.error(path, line, f"'{key}' is written twice here; keep one")
        if not isinstance(data, YDict):
            self.problems.error(path, getattr(data, "line", 1), "the file should be a list of 'name: value' lines")
            return None
        return data

    def unknown(self, path: Path, line: int, message: str, word: object, choices: Iterable[str]) -> None:
        """Warns about an unknown name, at most MAX_UNKNOWN times per file, then once more."""
        seen = self._unknown[path] = self._unknown.get(path, 0) + 1
        if seen <= MAX_UNKNOWN:
            self.problems.warning(path, line, message + _did_you_mean(str(word), choices))
        elif seen == MAX_UNKNOWN + 1:
            self.problems.warning(path, line, f"more than {MAX_UNKNOWN} unknown names; "
                                  "the rest are ignored without being listed")

    # -- keys ------------------------------------------------------------------------------
    def keys(self, path: Path, data: YDict, required: Iterable[str], optional: Iterable[str]) -> bool:
        required = list(required)
        known = required + list(optional)
        for key in data:
            if key not in known:
                self.unknown(path, data.line_of(key), f"unknown name '{key}' is ignored", key, known)
        ok = True
        for key in required:
            if key not in data or data[key] is None:
                self.problems.error(path, data.line, f"'{key}' is missing")
                ok = False
        return ok

    def mapping(self, path: Path, parent: YDict, key: str) -> YDict | None:
        value = parent.get(key)
        if not isinstance(value, YDict):
            self.problems.error(path, parent.line_of(key), f"'{key}' should contain 'name: value' lines")
            return None
        return value

    def string(self, path: Path, parent: YDict, key: str, pattern: re.Pattern[str] | None = None,
               hint: str = "") -> str | None:
        value = parent.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problems.error(path, parent.line_of(key), f"'{key}' should be text")
            return None
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            self.problems.error(path, parent.line_of(key), f"'{key}: {value}' is not valid{hint}")
            return None
        return value

    def boolean(self, path: Path, parent: YDict, key: str, default: bool = False) -> bool:
        value = parent.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problems.error(path, parent.line_of(key), f"'{key}' should be true or false")
            return default
        return value

    def integer(self, path: Path, parent: YDict, key: str, low: int, high: int) -> int | None:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.error(path, parent.line_of(key), f"'{key}' should be a whole number")
            return None
        if not low <= value <= high:
            self.problems.error(path, parent.line_of(key), f"'{key}' should be between {low} and {high}")
            return None
        return value

    def listing(self, path: Path, parent: YDict, key: str, low: int = 0, high: int = 10_000) -> YList | None:
        value = parent.get(key)
        if not isinstance(value, YList):
            self.problems.error(path, parent.line_of(key), f"'{key}' should be a list of '- ' items")
            return None
        if not low <= len(value) <= high:
            self.problems.error(path, parent.line_of(key),
                                f"'{key}' has {len(value)} items; it should have {low} to {high}")
        return value

    # -- visitor text ----------------------------------------------------------------------
    def text(self, path: Path, parent: YDict | YList, key: Any, what: str,
             limit: tuple[str, str] | None = None) -> Text | None:
        value = parent.get(key) if isinstance(parent, YDict) else parent[key]
        line = parent.line_of(key)
        if isinstance(value, str):
            self.problems.error(path, line, f"'{what}' should have one line per language (kk:, ru:, uz:, en:)")
            return None
        if not isinstance(value, YDict):
            self.problems.error(path, line, f"'{what}' is missing or empty")
            return None
        values: dict[str, str] = {}
        for lang, raw in value.items():
            lang_line = value.line_of(lang)
            if lang not in LANGUAGES:
                self.unknown(path, lang_line, f"'{lang}' is not a language the kiosk knows", lang, LANGUAGES)
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if not isinstance(raw, str):
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    raw = str(raw)
                else:
                    self.problems.error(path, lang_line, f"'{what}' in {LANGUAGE_NAMES[lang]} should be text")
                    continue
            text = " ".join(raw.split()) if "\n" not in raw.strip() else _tidy_paragraphs(raw)
            if len(text) > MAX_TEXT:
                self.problems.error(path, lang_line, f"'{what}' in {LANGUAGE_NAMES[lang]} has "
                                    f"{len(text)} characters; at most {MAX_TEXT}")
                continue
            if lang == "uz":
                text, fixed = normalise_uzbek(text)
                if fixed:
                    self.problems.warning(path, lang_line, f"'{what}' in Uzbek: write oʻ and gʻ with ʻ "
                                          "(U+02BB) and the apostrophe with ʼ (U+02BC); "
                                          f"{fixed} character(s) were corrected for display")
            if limit is not None and len(text) > LIMITS[limit]:
                self.problems.warning(path, lang_line, f"'{what}' in {LANGUAGE_NAMES[lang]} has "
                                      f"{len(text)} characters; keep it under {LIMITS[limit]} so it fits")
            values[lang] = text
        self.coverage.total += 1
        for lang in self.languages:
            if lang in values:
                self.coverage.present[lang] = self.coverage.present.get(lang, 0) + 1
            else:
                self.coverage.missing.setdefault(lang, []).append(f"{self.problems._name(path)}:{line} {what}")
        if not values:
            self.problems.error(path, line, f"'{what}' has no text in any language")
            return None
        return Text(values)

    # -- media -----------------------------------------------------------------------------
    def media(self, path: Path, parent: YDict, key: str, kinds: set[str], what: str) -> Path | None:
        value = parent.get(key)
        line = parent.line_of(key)
        if not isinstance(value, str) or not value.strip():
            self.problems.error(path, line, f"'{key}' should be the path of {what} file")
            return None
        if "\x00" in value:
            self.problems.error(path, line, f"{value!r} contains a NUL character; write the file name itself")
            return None
        rel = Path(value.strip())
        try:
            target = (self.root / rel).resolve()
            outside = rel.is_absolute() or not _inside(target, self.root.resolve())
        except (OSError, RuntimeError) as exc:  # a symbolic link that points at itself
            self.problems.error(path, line, f"'{value}' cannot be opened: {_reason(exc)}")
            return None
        if outside:
            self.problems.error(path, line, f"'{value}' must be a path inside the content folder")
            return None
        if target.suffix.lower() not in kinds:
            self.problems.error(path, line, f"'{value}' should end in one of {', '.join(sorted(kinds))}")
            return None
        self.used_media.add(target)
        try:
            is_file = target.is_file()
        except OSError as exc:  # a name too long for the disk, for one
            self.problems.error(path, line, f"'{value}' cannot be opened: {_reason(exc)}")
            return None
        if not is_file:
            self.problems.error(path, line, f"'{value}' does not exist{_similar_file(target)}")
            return None
        if target.stat().st_size > 5 * 1024 * 1024:
            self.problems.error(path, line, f"'{value}' is larger than 5 MiB; make it smaller")
            return None
        if target.suffix.lower() == ".svg" and not _svg_is_well_formed(target):
            self.problems.error(path, line, f"'{value}' is not a valid SVG picture")
            return None
        return target


# -- the pack, file by file ----------------------------------------------------------------

def load_content(root: Path, today: dt.date | None = None) -> LoadResult:
    root = Path(root)
    pack = _Pack(root, today or dt.date.today())
    if not root.is_dir():
        pack.problems.error(root, 0, "the content folder does not exist")
        return LoadResult(None, pack.problems, pack.coverage)
    manifest = _manifest(pack)
    slides = _slides(pack)
    neutral = _neutral(pack)
    quiz = _quiz(pack)
    leaflet = _leaflet(pack, manifest[3] if manifest else ())
    _unused_media(pack)
    content: Content | None = None
    if not pack.problems.errors and manifest is not None and neutral is not None:
        ident, version, org, contacts, languages, default = manifest
        content = Content(root=root, id=ident, version=version, schema_version=SCHEMA_VERSION,
                          languages=languages, default_language=default, organisation=org,
                          contacts=contacts, slides=slides, neutral=neutral, quiz=quiz, leaflet=leaflet)
    return LoadResult(content, pack.problems, pack.coverage)


def _manifest(pack: _Pack) -> tuple[str, str, Organisation, tuple[Contact, ...], tuple[str, ...], str] | None:
    path = pack.root / "manifest.yaml"
    data = pack.read(path)
    if data is None:
        return None
    pack.keys(path, data, ["id", "version", "schema_version", "languages", "organisation", "contacts"], [])
    ident = pack.string(path, data, "id", ID_RE, " (use small letters, digits and dashes)") or ""
    version = pack.string(path, data, "version") or ""
    schema = data.get("schema_version")
    if schema != SCHEMA_VERSION:
        pack.problems.error(path, data.line_of("schema_version"),
                            f"schema_version should be {SCHEMA_VERSION}; this kiosk reads format {SCHEMA_VERSION} only")
    languages, default = _languages(pack, path, data)
    pack.languages = languages
    org = None
    org_data = pack.mapping(path, data, "organisation") if "organisation" in data else None
    if org_data is not None:
        pack.keys(path, org_data, ["name", "about"], [])
        name = pack.text(path, org_data, "name", "organisation name")
        about = pack.text(path, org_data, "about", "organisation about")
        if name and about:
            org = Organisation(name, about)
    contacts = _contacts(pack, path, data)
    if org is None or contacts is None:
        return None
    return ident, version, org, contacts, languages, default


def _languages(pack: _Pack, path: Path, data: YDict) -> tuple[tuple[str, ...], str]:
    section = pack.mapping(path, data, "languages") if "languages" in data else None
    if section is None:
        return LANGUAGES, LANGUAGES[0]
    pack.keys(path, section, ["enabled", "default"], [])
    enabled: list[str] = []
    raw = section.get("enabled")
    if isinstance(raw, YList):
        for i, lang in enumerate(raw):
            if lang not in LANGUAGES:
                pack.problems.error(path, raw.line_of(i), f"'{lang}' is not a language the kiosk knows; "
                                    f"use {', '.join(LANGUAGES)}{_did_you_mean(str(lang), LANGUAGES)}")
            elif lang in enabled:
                pack.problems.error(path, raw.line_of(i), f"'{lang}' is listed twice")
            else:
                enabled.append(lang)
        if not enabled:
            pack.problems.error(path, section.line_of("enabled"), "enable at least one language")
    else:
        pack.problems.error(path, section.line_of("enabled"), "'enabled' should be a list such as [kk, ru, uz, en]")
    default = section.get("default")
    if enabled and default not in enabled:
        pack.problems.error(path, section.line_of("default"),
                            f"the default language '{default}' should be one of the enabled: {', '.join(enabled)}")
        default = enabled[0]
    return tuple(enabled) or LANGUAGES, str(default or LANGUAGES[0])


def _contacts(pack: _Pack, path: Path, data: YDict) -> tuple[Contact, ...] | None:
    items = pack.listing(path, data, "contacts", 1, 20) if "contacts" in data else None
    if items is None:
        return None
    contacts: list[Contact] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, YDict):
            pack.problems.error(path, items.line_of(i), "each contact should contain 'name: value' lines")
            continue
        if not pack.keys(path, item, ["id", "name", "purpose", "dial", "local", "status", "source"],
                         ["primary", "national", "international", "verified_on", "on_exit_screen"]):
            continue
        cid = pack.string(path, item, "id", ID_RE, " (use small letters, digits and dashes)")
        if cid in seen:
            pack.problems.error(path, item.line_of("id"), f"the contact id '{cid}' is used twice")
        name = pack.text(path, item, "name", f"contact {cid} name")
        purpose = pack.text(path, item, "purpose", f"contact {cid} purpose")
        dial = pack.string(path, item, "dial", DIAL_RE, " (digits only, with + in front for a full number)")
        local = pack.string(path, item, "local")
        national = pack.string(path, item, "national") if item.get("national") is not None else None
        international = (pack.string(path, item, "international")
                         if item.get("international") is not None else None)
        status = item.get("status")
        if status not in ("documented", "unverified"):
            pack.problems.error(path, item.line_of("status"), "'status' should be documented or unverified")
        source = pack.string(path, item, "source") or ""
        verified = _date(pack, path, item, "verified_on")
        if cid and name and purpose and dial and local and status in ("documented", "unverified"):
            seen.add(cid)
            contacts.append(Contact(
                id=cid, name=name, purpose=purpose, dial=dial, local=local, national=national,
                international=international, primary=pack.boolean(path, item, "primary"),
                status=str(status), source=source, verified_on=verified,
                on_exit_screen=pack.boolean(path, item, "on_exit_screen")))
            _contact_warnings(pack, path, item, contacts[-1])
    primaries = [c for c in contacts if c.primary]
    if len(primaries) != 1 and len(contacts) == len(items):
        pack.problems.error(path, items.line, f"exactly one contact should have 'primary: true' "
                            f"(the number on the QR code and the tear-off tabs); found {len(primaries)}")
        return None
    return tuple(contacts) if len(contacts) == len(items) else None


def _contact_warnings(pack: _Pack, path: Path, item: YDict, contact: Contact) -> None:
    line = item.line_of("verified_on") if "verified_on" in item else item.line
    who = f"the number {contact.local} ({contact.id})"
    if contact.status == "unverified":
        pack.problems.warning(path, item.line_of("status"),
                              f"{who} is unverified (source: {contact.source or 'none given'}); "
                              "call it, then set status: documented and verified_on")
    elif contact.verified_on is None:
        pack.problems.warning(path, line, f"{who} has never been confirmed by staff; "
                              "after calling it, write the date in verified_on")
    if contact.verified_on is not None:
        age = (pack.today - contact.verified_on).days
        if age > STALE_AFTER_DAYS:
            pack.problems.warning(path, line, f"{who} was last verified {age} days ago; call it again")
        elif age < 0:  # a typing mistake, or this PC's clock was set back
            pack.problems.warning(path, line, f"{who} was verified on {contact.verified_on.isoformat()}, "
                                  f"which is after today ({pack.today.isoformat()}); is the date or the "
                                  "clock of this PC wrong?")


def _date(pack: _Pack, path: Path, item: YDict, key: str) -> dt.date | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    pack.problems.error(path, item.line_of(key), f"'{key}' should be a date written as 2026-11-29, or null")
    return None


def _slides(pack: _Pack) -> tuple[Slide, ...]:
    folder = pack.root / "slides"
    files = sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        pack.problems.error(folder, 0, "there are no slides: add files such as slides/01-welcome.yaml")
        return ()
    for stray in sorted(folder.glob("*.yml")):
        pack.problems.warning(stray, 0, "is ignored: slide files must end in .yaml")
    slides: list[Slide] = []
    seen: dict[str, str] = {}
    for path in files:
        data = pack.read(path)
        if data is None:
            continue
        if not pack.keys(path, data, ["id", "title", "body", "picture"], ["narration"]):
            continue
        sid = pack.string(path, data, "id", ID_RE, " (use small letters, digits and dashes)")
        if sid and sid in seen:
            pack.problems.error(path, data.line_of("id"), f"the slide id '{sid}' is already used in {seen[sid]}")
        elif sid:
            seen[sid] = path.name
        title = pack.text(path, data, "title", "title", ("slide", "title"))
        body = pack.text(path, data, "body", "body", ("slide", "body"))
        picture = pack.media(path, data, "picture", PICTURE_TYPES, "a picture")
        narration = _narration(pack, path, data)
        if sid and title and body and picture:
            slides.append(Slide(sid, title, body, picture, narration))
    return tuple(slides)


def _narration(pack: _Pack, path: Path, data: YDict) -> dict[str, Path]:
    if data.get("narration") is None:
        return {}
    section = pack.mapping(path, data, "narration")
    result: dict[str, Path] = {}
    if section is None:
        return result
    for lang in list(section):
        if lang not in LANGUAGES:
            pack.unknown(path, section.line_of(lang), f"'{lang}' is not a language the kiosk knows", lang, LANGUAGES)
            continue
        audio = pack.media(path, section, lang, AUDIO_TYPES, "an audio")
        if audio is not None:
            result[lang] = audio
    return result


def _neutral(pack: _Pack) -> Neutral | None:
    path = pack.root / "neutral.yaml"
    data = pack.read(path)
    if data is None or not pack.keys(path, data, ["title", "body"], ["picture"]):
        return None
    title = pack.text(path, data, "title", "title", ("neutral", "title"))
    body = pack.text(path, data, "body", "body", ("neutral", "body"))
    picture = pack.media(path, data, "picture", PICTURE_TYPES, "a picture") if data.get("picture") else None
    if title and body:
        return Neutral(title, body, picture)
    return None


def _quiz(pack: _Pack) -> Quiz | None:
    path = pack.root / "quiz.yaml"
    data = pack.read(path, required=False)
    if data is None or not pack.keys(path, data, ["length", "bands", "questions"], []):
        return None
    length = pack.integer(path, data, "length", 1, 50)
    bands = _bands(pack, path, data)
    questions: list[Question] = []
    items = pack.listing(path, data, "questions", 1, 500)
    seen: set[str] = set()
    for i, item in enumerate(items or []):
        assert items is not None
        if not isinstance(item, YDict):
            pack.problems.error(path, items.line_of(i), "each question should contain 'name: value' lines")
            continue
        if not pack.keys(path, item, ["id", "prompt", "answers", "explanation"], ["picture"]):
            continue
        qid = pack.string(path, item, "id", ID_RE, " (use small letters, digits and dashes)")
        if qid in seen:
            pack.problems.error(path, item.line_of("id"), f"the question id '{qid}' is used twice")
        if qid:
            seen.add(qid)
        prompt = pack.text(path, item, "prompt", f"question {qid} prompt", ("quiz", "prompt"))
        explanation = pack.text(path, item, "explanation", f"question {qid} explanation", ("quiz", "explanation"))
        picture = pack.media(path, item, "picture", PICTURE_TYPES, "a picture") if item.get("picture") else None
        answers = _answers(pack, path, item, qid or "?")
        if qid and prompt and explanation and answers:
            questions.append(Question(qid, prompt, answers, explanation, picture))
    if length is not None and items is not None and length > len(items):
        pack.problems.error(path, data.line_of("length"),
                            f"length is {length} but there are only {len(items)} questions")
    if length is None or bands is None or len(questions) != len(items or []):
        return None
    return Quiz(length, bands, tuple(questions))


def _answers(pack: _Pack, path: Path, item: YDict, qid: str) -> tuple[Answer, ...] | None:
    items = pack.listing(path, item, "answers", 2, 4)
    if items is None:
        return None
    answers: list[Answer] = []
    for i, raw in enumerate(items):
        if not isinstance(raw, YDict) or not pack.keys(path, raw, ["text"], ["correct"]):
            if not isinstance(raw, YDict):
                pack.problems.error(path, items.line_of(i), "each answer should have 'text:' and 'correct:'")
            continue
        text = pack.text(path, raw, "text", f"question {qid} answer {i + 1}", ("quiz", "answer"))
        if text:
            answers.append(Answer(text, pack.boolean(path, raw, "correct")))
    if answers and not any(a.correct for a in answers):
        pack.problems.error(path, items.line, f"question {qid} has no answer with 'correct: true'")
        return None
    if len(answers) != len(items) or not 2 <= len(answers) <= 4:
        return None
    return tuple(answers)


def _bands(pack: _Pack, path: Path, data: YDict) -> tuple[ScoreBand, ...] | None:
    items = pack.listing(path, data, "bands", 1, 10)
    if items is None:
        return None
    bands: list[ScoreBand] = []
    for i, raw in enumerate(items):
        if not isinstance(raw, YDict):
            pack.problems.error(path, items.line_of(i), "each band should have 'from:' and 'message:'")
            continue
        if not pack.keys(path, raw, ["from", "message"], []):
            continue
        start = pack.integer(path, raw, "from", 0, 100)
        message = pack.text(path, raw, "message", f"band from {start} message")
        if start is not None and message:
            bands.append(ScoreBand(start, message))
    starts = [b.from_percent for b in bands]
    if bands and starts != sorted(set(starts)):
        pack.problems.error(path, items.line, "bands should be in order of 'from', each different")
    if bands and 0 not in starts:
        pack.problems.error(path, items.line, "one band should start 'from: 0'")
    if len(bands) != len(items) or pack.problems.errors and starts != sorted(set(starts)):
        return None
    return tuple(bands)


def _leaflet(pack: _Pack, contacts: Iterable[Contact]) -> Leaflet | None:
    path = pack.root / "leaflet.yaml"
    data = pack.read(path, required=False)
    required = ["title", "intro", "messages", "signs_title", "signs", "about_title", "contacts", "tab"]
    if data is None or not pack.keys(path, data, required, []):
        return None
    title = pack.text(path, data, "title", "title", ("leaflet", "title"))
    intro = pack.text(path, data, "intro", "intro", ("leaflet", "intro"))
    messages: list[LeafletMessage] = []
    items = pack.listing(path, data, "messages", 4, 6)
    for i, raw in enumerate(items or []):
        assert items is not None
        if not isinstance(raw, YDict):
            pack.problems.error(path, items.line_of(i), "each message should have 'picture:' and 'text:'")
            continue
        if not pack.keys(path, raw, ["picture", "text"], []):
            continue
        picture = pack.media(path, raw, "picture", PICTURE_TYPES, "a picture")
        text = pack.text(path, raw, "text", f"message {i + 1}", ("leaflet", "message"))
        if picture and text:
            messages.append(LeafletMessage(picture, text))
    signs_title = pack.text(path, data, "signs_title", "signs_title")
    signs_items = pack.listing(path, data, "signs", 3, 8)
    signs = [pack.text(path, signs_items, i, f"sign {i + 1}", ("leaflet", "sign"))
             for i in range(len(signs_items))] if signs_items is not None else []
    about_title = pack.text(path, data, "about_title", "about_title")
    tab = pack.text(path, data, "tab", "tab", ("leaflet", "tab"))
    known = {c.id for c in contacts}
    ids: list[str] = []
    contact_items = pack.listing(path, data, "contacts", 1, 5)
    for i, cid in enumerate(contact_items or []):
        assert contact_items is not None
        if known and (not isinstance(cid, str) or cid not in known):
            pack.problems.error(path, contact_items.line_of(i), f"'{cid}' is not a contact id in manifest.yaml"
                                f"{_did_you_mean(str(cid), sorted(known))}")
        else:
            ids.append(str(cid))
    parts = [title, intro, signs_title, about_title, tab, items, signs_items, contact_items]
    if any(p is None for p in parts) or None in signs or len(messages) != len(items or []):
        return None
    assert title and intro and signs_title and about_title and tab
    return Leaflet(title, intro, tuple(messages), signs_title, tuple(s for s in signs if s),
                   about_title, tuple(ids), tab)


def _unused_media(pack: _Pack) -> None:
    root = pack.root.resolve()
    for folder in ("pictures", "audio"):
        base = pack.root / folder
        # A folder that is a link out of the pack (to / even) is not walked: its pictures are
        # already refused as outside the content folder.
        if not base.is_dir() or not base.resolve().is_relative_to(root):
            continue
        for path in sorted(base.rglob("*")):
            if path.name.startswith(".") or (folder == "audio" and _is_narration(base, path)):
                continue
            try:
                unused = path.is_file() and path.resolve() not in pack.used_media
            except (OSError, RuntimeError):  # a file this user may not read, a link to itself
                continue
            if unused:
                pack.problems.warning(path, 0, "is not used by any slide, question or leaflet")


def _is_narration(audio: Path, path: Path) -> bool:
    """A file `kiosk narrate` and the Listen button account for (core/narration.py): the index,
    audio/<lang>/<hash>.mp3 and audio/<lang>/recorded/<item>.*. `kiosk check` reports the ones
    that no text uses (left over after an edit) or that name no item (a misspelt recording)."""
    from kiosk.core.narration import INDEX_FILE, RECORDED_FOLDER, is_synthetic_name

    parts = path.relative_to(audio).parts
    if parts == (INDEX_FILE,):
        return True
    if len(parts) == 2 and parts[0] in LANGUAGES:
        return is_synthetic_name(parts[1])
    return (len(parts) == 3 and parts[0] in LANGUAGES and parts[1] == RECORDED_FOLDER
            and path.suffix.lower() in AUDIO_TYPES)


# -- helpers -------------------------------------------------------------------------------

_UZ_OKINA = re.compile(r"(?<=[OoGg])['‘’`ʼ]")
_UZ_TUTUQ = re.compile(r"(?<=\w)['’`‘](?=\w)")


def normalise_uzbek(text: str) -> tuple[str, int]:
    """Replace the apostrophes translators type with the letters Uzbek Latin uses."""
    fixed = _UZ_OKINA.sub("ʻ", text)
    fixed = _UZ_TUTUQ.sub("ʼ", fixed)
    changed = sum(1 for a, b in zip(text, fixed, strict=True) if a != b)
    return fixed, changed


def _tidy_paragraphs(raw: str) -> str:
    paragraphs = [" ".join(p.split()) for p in raw.strip().split("\n\n")]
    return "\n".join(p for p in paragraphs if p)


# Codes authors often type for these languages (kz is the country, not the language).
_LANGUAGE_ALIASES = {"kz": "kk", "kaz": "kk", "qq": "kk", "rus": "ru", "uzb": "uz", "oz": "uz", "eng": "en", "gb": "en"}


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    alias = _LANGUAGE_ALIASES.get(word.lower())
    if alias in choices:
        return f"; did you mean '{alias}'?"
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else ""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError):
        return "it is a link that leads back to itself"
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).lower()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _similar_file(target: Path) -> str:
    if not target.parent.is_dir():
        return ""
    names = [p.name for p in target.parent.iterdir()]
    return _did_you_mean(target.name, names)


def _svg_is_well_formed(path: Path) -> bool:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return False
    return root.tag.endswith("svg")

