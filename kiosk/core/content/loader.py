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

from kiosk.core.model import (
    LANGUAGES,
    N_,
    Answer,
    Contact,
    Content,
    Coverage,
    Leaflet,
    LeafletMessage,
    LoadResult,
    Message,
    Neutral,
    Organisation,
    Problems,
    Question,
    Quiz,
    ScoreBand,
    Slide,
    Text,
    YamlError,
    YDict,
    YList,
    load_file,
    msg,
)

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
# What a message is about, such as "'title'" or "question q3: 'prompt'": the names in quotes are
# YAML keys and ids, written as in the file.
KEY = N_("'{key}'")
# TRANSLATORS: {key} is name or about, written as in manifest.yaml.
ORGANISATION = N_("organisation: '{key}'")
# TRANSLATORS: {id} is a contact's id such as sana-sezim; {key} name or purpose.
CONTACT = N_("contact {id}: '{key}'")
# TRANSLATORS: {id} is a question's id; {key} prompt or explanation.
QUESTION = N_("question {id}: '{key}'")
# TRANSLATORS: a hint after "is not valid": what an id may contain.
ID_HINT = N_("An id uses only small Latin letters, digits and dashes, such as passport-check.")
# TRANSLATORS: a hint after "is not valid" for the number a phone dials.
DIAL_HINT = N_("Write digits only, with + in front for a full number, such as +77252216152.")

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
        self._spoken_seen: set[tuple[Path, int]] = set()  # items whose `spoken:` names were checked

    # -- files -----------------------------------------------------------------------------
    def read(self, path: Path, required: bool = True) -> YDict | None:
        if not path.exists():
            if required:
                self.problems.error(path, 0, N_("this file is missing; copy it from the bundled content "
                                                "folder and change it"))
            return None
        try:
            data, duplicates = load_file(path)
        except YamlError as exc:
            self.problems.error(path, exc.line, exc.text)
            return None
        for line, key in duplicates:
            self.problems.error(path, line, N_("'{key}' is written twice in this part of the file; "
                                               "delete one of them"), key=key)
        if not isinstance(data, YDict):
            self.problems.error(path, getattr(data, "line", 1),
                                N_("the file should be made of 'name: value' lines; compare it with the "
                                   "same file in the bundled content"))
            return None
        return data

    def unknown(self, path: Path, line: int, message: Message, word: object, choices: Iterable[str]) -> None:
        """Warns about an unknown name, at most MAX_UNKNOWN times per file, then once more."""
        seen = self._unknown[path] = self._unknown.get(path, 0) + 1
        if seen <= MAX_UNKNOWN:
            self.problems.warning(path, line, with_hint(message, did_you_mean(str(word), choices)))
        elif seen == MAX_UNKNOWN + 1:
            self.problems.warning(path, line, N_("more than {count} unknown names; the rest are ignored "
                                                 "without being listed"), count=MAX_UNKNOWN)

    # -- keys ------------------------------------------------------------------------------
    def keys(self, path: Path, data: YDict, required: Iterable[str], optional: Iterable[str]) -> bool:
        required = list(required)
        known = required + list(optional)
        for key in data:
            if key not in known:
                self.unknown(path, data.line_of(key),
                             msg(N_("the kiosk does not know the name '{key}' and ignores this line"), key=key),
                             key, known)
        ok = True
        for key in required:
            if key not in data or data[key] is None:
                self.problems.error(path, data.line, N_("'{key}:' is missing here; add it"), key=key)
                ok = False
        return ok

    def mapping(self, path: Path, parent: YDict, key: str) -> YDict | None:
        value = parent.get(key)
        if not isinstance(value, YDict):
            self.problems.error(path, parent.line_of(key),
                                N_("'{key}:' should be followed by indented 'name: value' lines"), key=key)
            return None
        return value

    def string(self, path: Path, parent: YDict, key: str, pattern: re.Pattern[str] | None = None,
               hint: str = "") -> str | None:
        value = parent.get(key)
        line = parent.line_of(key)
        if value is not None and not isinstance(value, str):
            value = self.not_text(path, line, msg(N_("'{key}'"), key=key), key, value, parent.raw_of(key))
            if value == "":
                return None  # a YAML trap, reported with its fix
        if not isinstance(value, str) or not value.strip():
            self.problems.error(path, line, N_("'{key}:' should be followed by text; write it after the colon"),
                                key=key)
            return None
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            problem = msg(N_("'{key}: {value}' is not valid"), key=key, value=value)
            self.problems.error(path, line, with_hint(problem, msg(hint) if hint else None))
            return None
        return value

    def not_text(self, path: Path, line: int, what: Message, key: object, value: object,
                 raw: str | None) -> str | None:
        """Text was expected and YAML read something else. A number written exactly as it reads
        (112, 2026) is taken as text; a number YAML changed (0700 is 448, 1.50 is 1.5, 12:30 is 750),
        a yes/no word and a date are refused with the trap named and the fix."""
        shown = raw if raw is not None else _yaml_word(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if raw is None or raw.strip() == str(value):
                return str(value)
            trap = N_("{what}: YAML read {raw} as the number {value}, because it is not in quotes, so the "
                      "kiosk would show {value}. Write it in quotes: {key}: \"{raw}\"")
        elif isinstance(value, bool):
            trap = N_("{what}: YAML read {raw} as {value} (a yes/no value), not as text, because it is not "
                      "in quotes. Write it in quotes: {key}: \"{raw}\"")
        elif isinstance(value, (dt.date, dt.datetime)):
            trap = N_("{what}: YAML read {raw} as a date, not as text, because it is not in quotes. "
                      "Write it in quotes: {key}: \"{raw}\"")
        else:
            return None  # a list or a 'name: value' section: the caller says text was expected
        self.problems.error(path, line, trap, what=what, raw=shown, value=_yaml_word(value), key=key)
        return ""

    def boolean(self, path: Path, parent: YDict, key: str, default: bool = False) -> bool:
        value = parent.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problems.error(path, parent.line_of(key), N_("'{key}:' should be true or false"), key=key)
            return default
        return value

    def integer(self, path: Path, parent: YDict, key: str, low: int, high: int) -> int | None:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.error(path, parent.line_of(key),
                                N_("'{key}:' should be a whole number, such as {low}"), key=key, low=low)
            return None
        if not low <= value <= high:
            self.problems.error(path, parent.line_of(key),
                                N_("'{key}: {value}' is out of range; write a number from {low} to {high}"),
                                key=key, value=value, low=low, high=high)
            return None
        return value

    def listing(self, path: Path, parent: YDict, key: str, low: int = 0, high: int = 10_000) -> YList | None:
        value = parent.get(key)
        if not isinstance(value, YList):
            self.problems.error(path, parent.line_of(key),
                                N_("'{key}:' should be followed by a list: one line per item, each starting "
                                   "with '- '"), key=key)
            return None
        if not low <= len(value) <= high:
            self.problems.error(path, parent.line_of(key),
                                N_("'{key}' has {count} items; it should have {low} to {high}. Add or delete items"),
                                key=key, count=len(value), low=low, high=high)
        return value

    # -- visitor text ----------------------------------------------------------------------
    def text(self, path: Path, parent: YDict | YList, key: Any, what: Message,
             limit: tuple[str, str] | None = None) -> Text | None:
        value = parent.get(key) if isinstance(parent, YDict) else parent[key]
        line = parent.line_of(key)
        if isinstance(value, str):
            self.problems.error(path, line, N_("{what} should have one indented line per language "
                                               "(kk:, ru:, uz:, en:), each with its text"), what=what)
            return None
        if not isinstance(value, YDict):
            self.problems.error(path, line, N_("{what} is missing or empty; write it with one indented line "
                                               "per language (kk:, ru:, uz:, en:)"), what=what)
            return None
        values: dict[str, str] = {}
        for lang, raw in value.items():
            lang_line = value.line_of(lang)
            if lang not in LANGUAGES:
                self.unknown(path, lang_line, msg(LANGUAGE_UNKNOWN, lang=lang), lang, LANGUAGES)
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if not isinstance(raw, str):
                what_lang = msg(N_("{what}, {lang}"), what=what, lang=lang)
                raw = self.not_text(path, lang_line, what_lang, lang, raw, value.raw_of(lang))
                if raw is None:
                    self.problems.error(path, lang_line, N_("{what}, {lang}: should be text, written on the "
                                                            "same line after the colon"), what=what, lang=lang)
                if not raw:
                    continue
            text = " ".join(raw.split()) if "\n" not in raw.strip() else _tidy_paragraphs(raw)
            if len(text) > MAX_TEXT:
                self.problems.error(path, lang_line, N_("{what}, {lang}: has {count} characters; the most the "
                                                        "kiosk takes is {limit}. Shorten it"),
                                    what=what, lang=lang, count=len(text), limit=MAX_TEXT)
                continue
            if lang == "uz":
                text, fixed = normalise_uzbek(text)
                if fixed:
                    self.problems.warning(path, lang_line,
                                          N_("{what}, uz: write oʻ and gʻ with ʻ (U+02BB) and the apostrophe "
                                             "with ʼ (U+02BC), not with '; {count} character(s) were corrected "
                                             "for display"), what=what, count=fixed)
            if limit is not None and len(text) > LIMITS[limit]:
                self.problems.warning(path, lang_line, N_("{what}, {lang}: has {count} characters; shorten it to "
                                                          "under {limit} so that it fits on the screen"),
                                      what=what, lang=lang, count=len(text), limit=LIMITS[limit])
            values[lang] = text
        self.coverage.total += 1
        for lang in self.languages:
            if lang in values:
                self.coverage.present[lang] = self.coverage.present.get(lang, 0) + 1
            else:
                self.coverage.missing.setdefault(lang, []).append((f"{self.problems._name(path)}:{line}", what))
        if not values:
            self.problems.error(path, line, N_("{what} has no text in any language; write at least one"),
                                what=what)
            return None
        spoken = self.spoken(path, parent, key, what, values) if isinstance(parent, YDict) else {}
        return Text(values, spoken=spoken)

    def spoken(self, path: Path, parent: YDict, key: Any, what: Message, values: dict[str, str]) -> dict[str, str]:
        """The author's `spoken:` forms of the text `key` of this item: `spoken: {key: {lang: words}}`
        beside the texts, for the voice only (kiosk/core/narration/spoken.py)."""
        section = parent.get("spoken")
        if section is None:
            return {}
        if not isinstance(section, YDict):
            if (path, parent.line) not in self._spoken_seen:
                self._spoken_seen.add((path, parent.line))
                self.problems.error(path, parent.line_of("spoken"), SPOKEN_SHAPE)
            return {}
        if (path, parent.line) not in self._spoken_seen:
            self._spoken_seen.add((path, parent.line))
            texts = [name for name in parent if name != "spoken" and isinstance(parent.get(name), YDict)]
            for name in section:
                if name not in texts:
                    # TRANSLATORS: content check; 'spoken:' is a YAML key, {key} a name written under it.
                    what_spoken = msg(N_("'spoken:' has '{key}', which is not a text of this item; this line is "
                                         "ignored"), key=name)
                    self.unknown(path, section.line_of(name), what_spoken, name, texts)
        forms = section.get(key)
        if forms is None:
            return {}
        if not isinstance(forms, YDict):
            self.problems.error(path, section.line_of(key), SPOKEN_SHAPE)
            return {}
        result: dict[str, str] = {}
        for lang, raw in forms.items():
            lang_line = forms.line_of(lang)
            if lang not in LANGUAGES:
                self.unknown(path, lang_line, msg(LANGUAGE_UNKNOWN, lang=lang), lang, LANGUAGES)
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if not isinstance(raw, str):
                # TRANSLATORS: content check: names the `spoken:` form of a text, {what} the text
                # (such as "'title'"); 'spoken:' is a YAML key.
                spoken_what = msg(N_("'spoken:' of {what}"), what=what)
                self.problems.error(path, lang_line, N_("{what}, {lang}: should be text, written on the "
                                                        "same line after the colon"), what=spoken_what, lang=lang)
                continue
            if lang not in values:
                # TRANSLATORS: content check; {lang} is kk, ru, uz or en; 'spoken:' is a YAML key.
                self.problems.warning(path, lang_line, N_("'spoken:' of {what} has {lang}, but the text has no "
                                                          "{lang}; write the text first"), what=what, lang=lang)
                continue
            text = " ".join(raw.split())[:MAX_TEXT]
            if lang == "uz":
                text, _fixed = normalise_uzbek(text)
            result[lang] = text
        return result

    # -- media -----------------------------------------------------------------------------
    def media(self, path: Path, parent: YDict, key: str, kinds: set[str], what: str) -> Path | None:
        value = parent.get(key)
        line = parent.line_of(key)
        if not isinstance(value, str) or not value.strip():
            self.problems.error(path, line, what, key=key)
            return None
        if "\x00" in value:
            self.problems.error(path, line, N_("{value} contains an invisible NUL character; type the file name "
                                               "again"), value=repr(value))
            return None
        rel = Path(value.strip())
        try:
            target = (self.root / rel).resolve()
            outside = rel.is_absolute() or not _inside(target, self.root.resolve())
        except (OSError, RuntimeError) as exc:  # a symbolic link that points at itself
            self.problems.error(path, line, CANNOT_OPEN, value=value, reason=_reason(exc))
            return None
        if outside:
            self.problems.error(path, line, N_("'{value}' is outside the content folder; put the file in the "
                                               "content folder and write its path from there, such as "
                                               "pictures/passport.svg"), value=value)
            return None
        if target.suffix.lower() not in kinds:
            self.problems.error(path, line, N_("'{value}' is not a file of a kind the kiosk can use; its name "
                                               "should end in one of {kinds}"),
                                value=value, kinds=", ".join(sorted(kinds)))
            return None
        self.used_media.add(target)
        try:
            is_file = target.is_file()
        except OSError as exc:  # a name too long for the disk, for one
            self.problems.error(path, line, CANNOT_OPEN, value=value, reason=_reason(exc))
            return None
        if not is_file:
            self.problems.error(path, line, with_hint(
                msg(N_("there is no file '{value}' in the content folder; check the name, or copy the file "
                       "there"), value=value), _similar_file(target)))
            return None
        if target.stat().st_size > 5 * 1024 * 1024:
            self.problems.error(path, line, N_("'{value}' is larger than 5 MiB; save it smaller (fewer pixels, "
                                               "or a shorter recording)"), value=value)
            return None
        if target.suffix.lower() == ".svg" and not _svg_is_well_formed(target):
            self.problems.error(path, line, N_("'{value}' is not a valid SVG picture; save it again as SVG "
                                               "from the drawing program"), value=value)
            return None
        return target


# TRANSLATORS: content check; 'spoken:' is a YAML key and is never translated.
SPOKEN_SHAPE = N_("'spoken:' should be followed by the name of a text and, indented under it, one line per "
                  "language: for example 'spoken:', then '  title:', then '    uz: what the voice says'")
# TRANSLATORS: a language code the kiosk does not know, written as a name in a content file.
LANGUAGE_UNKNOWN = N_("'{lang}' is not a language the kiosk knows, so this line is ignored; the "
                      "languages are kk, ru, uz and en")
# TRANSLATORS: {reason} is the system's own words, e.g. "permission denied".
CANNOT_OPEN = N_("'{value}' cannot be opened ({reason}); check that the file is there and can be read")
PICTURE = N_("'{key}:' should be followed by the name of a picture file, such as pictures/passport.svg")
AUDIO = N_("'{key}:' should be followed by the name of a recording, such as audio/01-welcome-kk.ogg")


# -- the pack, file by file ----------------------------------------------------------------

def load_content(root: Path, today: dt.date | None = None) -> LoadResult:
    root = Path(root)
    pack = _Pack(root, today or dt.date.today())
    if not root.is_dir():
        pack.problems.error(root, 0, N_("the content folder does not exist; check the folder name"))
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
    ident = pack.string(path, data, "id", ID_RE, ID_HINT) or ""
    version = pack.string(path, data, "version") or ""
    schema = data.get("schema_version")
    if schema != SCHEMA_VERSION:
        pack.problems.error(path, data.line_of("schema_version"),
                            N_("write schema_version: {version}; this kiosk program reads only format {version} "
                               "(a newer format needs a newer kiosk program)"), version=SCHEMA_VERSION)
    languages, default = _languages(pack, path, data)
    pack.languages = languages
    org = None
    org_data = pack.mapping(path, data, "organisation") if "organisation" in data else None
    if org_data is not None:
        pack.keys(path, org_data, ["name", "about"], [])
        name = pack.text(path, org_data, "name", msg(ORGANISATION, key="name"))
        about = pack.text(path, org_data, "about", msg(ORGANISATION, key="about"))
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
                pack.problems.error(path, raw.line_of(i), with_hint(
                    msg(N_("'{lang}' is not a language the kiosk knows; write one of {languages}"),
                        lang=lang, languages=", ".join(LANGUAGES)), did_you_mean(str(lang), LANGUAGES)))
            elif lang in enabled:
                pack.problems.error(path, raw.line_of(i), N_("'{lang}' is listed twice; delete one"), lang=lang)
            else:
                enabled.append(lang)
        if not enabled:
            pack.problems.error(path, section.line_of("enabled"),
                                N_("no language is enabled; write at least one, such as enabled: [kk, ru, uz, en]"))
    else:
        pack.problems.error(path, section.line_of("enabled"),
                            N_("'enabled:' should be a list of languages, such as enabled: [kk, ru, uz, en]"))
    default = section.get("default")
    if enabled and default not in enabled:
        pack.problems.error(path, section.line_of("default"),
                            N_("the default language '{lang}' is not enabled; write one of {languages}"),
                            lang=default, languages=", ".join(enabled))
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
            pack.problems.error(path, items.line_of(i), N_("each contact should be made of indented 'name: value' "
                                                           "lines; compare it with the contacts above"))
            continue
        if not pack.keys(path, item, ["id", "name", "purpose", "dial", "local", "status", "source"],
                         ["primary", "national", "international", "verified_on", "on_exit_screen", "spoken"]):
            continue
        cid = pack.string(path, item, "id", ID_RE, ID_HINT)
        if cid in seen:
            pack.problems.error(path, item.line_of("id"), N_("the contact id '{id}' is used twice; give each "
                                                             "contact its own id"), id=cid)
        name = pack.text(path, item, "name", msg(CONTACT, id=cid, key="name"))
        purpose = pack.text(path, item, "purpose", msg(CONTACT, id=cid, key="purpose"))
        dial = pack.string(path, item, "dial", DIAL_RE, DIAL_HINT)
        local = pack.string(path, item, "local")
        national = pack.string(path, item, "national") if item.get("national") is not None else None
        international = (pack.string(path, item, "international")
                         if item.get("international") is not None else None)
        status = item.get("status")
        if status not in ("documented", "unverified"):
            pack.problems.error(path, item.line_of("status"),
                                N_("'status:' should be documented (staff called the number and it works) or "
                                   "unverified"))
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
        pack.problems.error(path, items.line, N_("exactly one contact should have 'primary: true' (the number on "
                                                 "the QR code and the tear-off tabs); now {count} have it"),
                            count=len(primaries))
        return None
    return tuple(contacts) if len(contacts) == len(items) else None


def _contact_warnings(pack: _Pack, path: Path, item: YDict, contact: Contact) -> None:
    line = item.line_of("verified_on") if "verified_on" in item else item.line
    who = {"number": contact.local, "id": contact.id}
    if contact.status == "unverified":
        if contact.source:
            pack.problems.warning(path, item.line_of("status"), N_(
                "the number {number} ({id}) is unverified (source: {source}); call it, then set status: "
                "documented and write the date in verified_on"), urgent=True, source=contact.source, **who)
        else:
            pack.problems.warning(path, item.line_of("status"), N_(
                "the number {number} ({id}) is unverified and no source is given; call it, then set status: "
                "documented and write the date in verified_on"), urgent=True, **who)
    elif contact.verified_on is None:
        pack.problems.warning(path, line, N_("the number {number} ({id}) has never been confirmed by staff; "
                                             "after calling it, write the date in verified_on"), urgent=True, **who)
    if contact.verified_on is not None:
        age = (pack.today - contact.verified_on).days
        if age > STALE_AFTER_DAYS:
            pack.problems.warning(path, line, N_("the number {number} ({id}) was last verified {days} days ago; "
                                                 "call it again, then write the new date in verified_on"),
                                  urgent=True, days=age, **who)
        elif age < 0:  # a typing mistake, or this PC's clock was set back
            pack.problems.warning(path, line, N_("the number {number} ({id}) was verified on {date}, which is "
                                                 "after today ({today}); correct the date, or the clock of this PC"),
                                  urgent=True, date=contact.verified_on.isoformat(), today=pack.today.isoformat(),
                                  **who)


def _date(pack: _Pack, path: Path, item: YDict, key: str) -> dt.date | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    pack.problems.error(path, item.line_of(key), N_("'{key}:' should be a date written as 2026-11-29 (without "
                                                    "quotes), or null"), key=key)
    return None


def _slides(pack: _Pack) -> tuple[Slide, ...]:
    folder = pack.root / "slides"
    files = sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        pack.problems.error(folder, 0, N_("there are no slides: add files such as slides/01-welcome.yaml"))
        return ()
    for stray in sorted(folder.glob("*.yml")):
        pack.problems.warning(stray, 0, N_("is ignored: slide files must end in .yaml; rename it"))
    slides: list[Slide] = []
    seen: dict[str, str] = {}
    for path in files:
        data = pack.read(path)
        if data is None:
            continue
        if not pack.keys(path, data, ["id", "title", "body", "picture"], ["narration", "spoken"]):
            continue
        sid = pack.string(path, data, "id", ID_RE, ID_HINT)
        if sid and sid in seen:
            pack.problems.error(path, data.line_of("id"), N_("the slide id '{id}' is already used in {file}; give "
                                                             "this slide an id of its own"), id=sid, file=seen[sid])
        elif sid:
            seen[sid] = path.name
        title = pack.text(path, data, "title", msg(KEY, key="title"), ("slide", "title"))
        body = pack.text(path, data, "body", msg(KEY, key="body"), ("slide", "body"))
        picture = pack.media(path, data, "picture", PICTURE_TYPES, PICTURE)
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
            pack.unknown(path, section.line_of(lang), msg(LANGUAGE_UNKNOWN, lang=lang), lang, LANGUAGES)
            continue
        audio = pack.media(path, section, lang, AUDIO_TYPES, AUDIO)
        if audio is not None:
            result[lang] = audio
    return result


def _neutral(pack: _Pack) -> Neutral | None:
    path = pack.root / "neutral.yaml"
    data = pack.read(path)
    if data is None or not pack.keys(path, data, ["title", "body"], ["picture", "spoken"]):
        return None
    title = pack.text(path, data, "title", msg(KEY, key="title"), ("neutral", "title"))
    body = pack.text(path, data, "body", msg(KEY, key="body"), ("neutral", "body"))
    picture = pack.media(path, data, "picture", PICTURE_TYPES, PICTURE) if data.get("picture") else None
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
            pack.problems.error(path, items.line_of(i), N_("each question should be made of indented 'name: value' "
                                                           "lines; compare it with the questions above"))
            continue
        if not pack.keys(path, item, ["id", "prompt", "answers", "explanation"], ["picture", "before", "spoken"]):
            continue
        qid = pack.string(path, item, "id", ID_RE, ID_HINT)
        if qid in seen:
            pack.problems.error(path, item.line_of("id"), N_("the question id '{id}' is used twice; give each "
                                                             "question its own id"), id=qid)
        if qid:
            seen.add(qid)
        prompt = pack.text(path, item, "prompt", msg(QUESTION, id=qid, key="prompt"), ("quiz", "prompt"))
        explanation = pack.text(path, item, "explanation", msg(QUESTION, id=qid, key="explanation"),
                                ("quiz", "explanation"))
        picture = pack.media(path, item, "picture", PICTURE_TYPES, PICTURE) if item.get("picture") else None
        answers = _answers(pack, path, item, qid or "?")
        if qid and prompt and explanation and answers:
            before = pack.boolean(path, item, "before")
            questions.append(Question(qid, prompt, answers, explanation, picture, before))
    if length is not None and items is not None and length > len(items):
        pack.problems.error(path, data.line_of("length"),
                            N_("length is {length}, but there are only {count} questions; write a smaller "
                               "length or add questions"), length=length, count=len(items))
    if length is None or bands is None or len(questions) != len(items or []):
        return None
    return Quiz(length, bands, tuple(questions))


def _answers(pack: _Pack, path: Path, item: YDict, qid: str) -> tuple[Answer, ...] | None:
    items = pack.listing(path, item, "answers", 2, 4)
    if items is None:
        return None
    answers: list[Answer] = []
    for i, raw in enumerate(items):
        if not isinstance(raw, YDict) or not pack.keys(path, raw, ["text"], ["correct", "spoken"]):
            if not isinstance(raw, YDict):
                pack.problems.error(path, items.line_of(i), N_("each answer should have 'text:' and 'correct:' "
                                                               "lines; compare it with the answers above"))
            continue
        text = pack.text(path, raw, "text", msg(N_("question {id}, answer {number}"), id=qid, number=i + 1),
                         ("quiz", "answer"))
        if text:
            answers.append(Answer(text, pack.boolean(path, raw, "correct")))
    if answers and not any(a.correct for a in answers):
        pack.problems.error(path, items.line, N_("question {id} has no right answer; write 'correct: true' under "
                                                 "the right one"), id=qid)
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
            pack.problems.error(path, items.line_of(i), N_("each band should have 'from:' and 'message:' lines; "
                                                           "compare it with the bands above"))
            continue
        if not pack.keys(path, raw, ["from", "message"], ["spoken"]):
            continue
        start = pack.integer(path, raw, "from", 0, 100)
        message = pack.text(path, raw, "message", msg(N_("the band from {start}: 'message'"), start=start))
        if start is not None and message:
            bands.append(ScoreBand(start, message))
    starts = [b.from_percent for b in bands]
    if bands and starts != sorted(set(starts)):
        pack.problems.error(path, items.line, N_("the bands should be in order of 'from', from small to large, "
                                                 "each with a different number"))
    if bands and 0 not in starts:
        pack.problems.error(path, items.line, N_("the first band should start with 'from: 0', so that every score "
                                                 "has a message"))
    if len(bands) != len(items) or pack.problems.errors and starts != sorted(set(starts)):
        return None
    return tuple(bands)


def _leaflet(pack: _Pack, contacts: Iterable[Contact]) -> Leaflet | None:
    path = pack.root / "leaflet.yaml"
    data = pack.read(path, required=False)
    required = ["title", "intro", "messages", "signs_title", "signs", "about_title", "contacts", "tab"]
    if data is None or not pack.keys(path, data, required, []):
        return None
    title = pack.text(path, data, "title", msg(KEY, key="title"), ("leaflet", "title"))
    intro = pack.text(path, data, "intro", msg(KEY, key="intro"), ("leaflet", "intro"))
    messages: list[LeafletMessage] = []
    items = pack.listing(path, data, "messages", 4, 6)
    for i, raw in enumerate(items or []):
        assert items is not None
        if not isinstance(raw, YDict):
            pack.problems.error(path, items.line_of(i), N_("each message should have 'picture:' and 'text:' lines; "
                                                           "compare it with the messages above"))
            continue
        if not pack.keys(path, raw, ["picture", "text"], []):
            continue
        picture = pack.media(path, raw, "picture", PICTURE_TYPES, PICTURE)
        text = pack.text(path, raw, "text", msg(N_("message {number}"), number=i + 1), ("leaflet", "message"))
        if picture and text:
            messages.append(LeafletMessage(picture, text))
    signs_title = pack.text(path, data, "signs_title", msg(KEY, key="signs_title"))
    signs_items = pack.listing(path, data, "signs", 3, 8)
    signs = [pack.text(path, signs_items, i, msg(N_("sign {number}"), number=i + 1), ("leaflet", "sign"))
             for i in range(len(signs_items))] if signs_items is not None else []
    about_title = pack.text(path, data, "about_title", msg(KEY, key="about_title"))
    tab = pack.text(path, data, "tab", msg(KEY, key="tab"), ("leaflet", "tab"))
    known = {c.id for c in contacts}
    ids: list[str] = []
    contact_items = pack.listing(path, data, "contacts", 1, 5)
    for i, cid in enumerate(contact_items or []):
        assert contact_items is not None
        if known and (not isinstance(cid, str) or cid not in known):
            pack.problems.error(path, contact_items.line_of(i), with_hint(
                msg(N_("'{id}' is not the id of a contact in manifest.yaml; write one of the ids there"), id=cid),
                did_you_mean(str(cid), sorted(known))))
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
            if unused and not path.name.startswith("."):
                pack.problems.warning(path, 0, N_("is not used by any slide, question or leaflet; delete it, or "
                                                  "use it"))


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


# TRANSLATORS: a name the author may have meant, added after a message about an unknown name.
DID_YOU_MEAN = N_("Did you mean '{name}'?")
# TRANSLATORS: a message with a hint after it, e.g. "'x' is not valid. An id uses only ...".
WITH_HINT = N_("{message}. {hint}")


def did_you_mean(word: str, choices: Iterable[str]) -> Message | None:
    choices = list(choices)
    alias = _LANGUAGE_ALIASES.get(word.lower())
    if alias in choices:
        return msg(DID_YOU_MEAN, name=alias)
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return msg(DID_YOU_MEAN, name=match[0]) if match else None


def with_hint(message: Message, hint: Message | None) -> Message:
    return message if hint is None else msg(WITH_HINT, message=message, hint=hint)


def _yaml_word(value: object) -> str:
    """A value as YAML writes it: false, 2026-01-01, 1.5."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _reason(exc: BaseException) -> Message | str:
    if isinstance(exc, RuntimeError):
        return msg(N_("it is a link that leads back to itself"))
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).lower()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _similar_file(target: Path) -> Message | None:
    if not target.parent.is_dir():
        return None
    names = [p.name for p in target.parent.iterdir()]
    return did_you_mean(target.name, names)


def _svg_is_well_formed(path: Path) -> bool:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return False
    return root.tag.endswith("svg")

