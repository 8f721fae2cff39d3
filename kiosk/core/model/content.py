"""The content model: immutable, typed, and free of YAML and Qt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that refuses changes, can be hashed and pickled (the content cache pickles it)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("content is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))


LANGUAGES: tuple[str, ...] = ("kk", "ru", "uz", "en")
NATIVE_NAMES: Mapping[str, str] = FrozenDict(
    {"kk": "Қазақша", "ru": "Русский", "uz": "Oʻzbekcha", "en": "English"}
)


@dataclass(frozen=True)
class Text:
    """One piece of visitor text in every language it was written in."""

    values: Mapping[str, str]
    fallback: tuple[str, ...] = ("en", "ru")
    # The author's `spoken:` form, per language, where the voice must read other words than
    # those shown (kiosk/core/narration/spoken.py rewrites numbers and signs on top of it).
    spoken: Mapping[str, str] = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", FrozenDict(self.values))
        object.__setattr__(self, "spoken", FrozenDict(self.spoken))

    def get(self, lang: str) -> str:
        """The text in `lang`, else in a fallback language, so a gap never shows blank."""
        if lang in self.values:
            return self.values[lang]
        for other in self.fallback:
            if other in self.values:
                return self.values[other]
        return next(iter(self.values.values()), "")

    def has(self, lang: str) -> bool:
        return bool(self.values.get(lang))

    def said(self, lang: str) -> str:
        """What the voice reads (before spoken.py's rules): the `spoken:` form, else the text."""
        return self.spoken.get(lang) or self.get(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values.values())


@dataclass(frozen=True)
class Contact:
    id: str
    name: Text
    purpose: Text
    dial: str
    local: str
    national: str | None = None
    international: str | None = None
    primary: bool = False
    status: str = "unverified"
    source: str = ""
    verified_on: dt.date | None = None
    on_exit_screen: bool = False

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.dial}"

    @property
    def display(self) -> str:
        """The big form: the national one when there is one, else the short number."""
        return self.national or self.local


@dataclass(frozen=True)
class Organisation:
    name: Text
    about: Text


@dataclass(frozen=True)
class Slide:
    id: str
    title: Text
    body: Text
    picture: Path
    narration: Mapping[str, Path] = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "narration", FrozenDict(self.narration))


@dataclass(frozen=True)
class Neutral:
    title: Text
    body: Text
    picture: Path | None


@dataclass(frozen=True)
class Answer:
    text: Text
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    prompt: Text
    answers: tuple[Answer, ...]
    explanation: Text
    picture: Path | None = None
    before: bool = False  # may be asked before the menu, for evidence of learning (visit/evidence.py)


@dataclass(frozen=True)
class ScoreBand:
    from_percent: int
    message: Text


@dataclass(frozen=True)
class Quiz:
    length: int
    bands: tuple[ScoreBand, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class LeafletMessage:
    picture: Path
    text: Text


@dataclass(frozen=True)
class Leaflet:
    title: Text
    intro: Text
    messages: tuple[LeafletMessage, ...]
    signs_title: Text
    signs: tuple[Text, ...]
    about_title: Text
    contacts: tuple[str, ...]
    tab: Text


@dataclass(frozen=True)
class Content:
    root: Path
    id: str
    version: str
    schema_version: int
    languages: tuple[str, ...]
    default_language: str
    organisation: Organisation
    contacts: tuple[Contact, ...]
    slides: tuple[Slide, ...]
    neutral: Neutral
    quiz: Quiz | None = None
    leaflet: Leaflet | None = None

    @property
    def primary_contact(self) -> Contact:
        return next(c for c in self.contacts if c.primary)

    def contact(self, contact_id: str) -> Contact:
        return next(c for c in self.contacts if c.id == contact_id)

    @property
    def exit_screen_contacts(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.on_exit_screen)
