"""The visitor's journey as a state machine, with no Qt.

attract → language → menu → slides / quiz / leaflet; idle timeout or quick exit → wiped.
Screens call these methods from their slots and redraw from `changed`; the session never
knows which widgets exist.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from kiosk.core.content import Content
from kiosk.core.quiz import QuizRun, draw
from kiosk.core.signals import Signal


class Screen(str, Enum):
    ATTRACT = "attract"
    LANGUAGE = "language"
    MENU = "menu"
    SLIDES = "slides"
    NEUTRAL = "neutral"
    QUIZ = "quiz"
    QUIZ_RESULT = "quiz_result"
    LEAFLET = "leaflet"


VISITOR_SCREENS = tuple(Screen)


class StatsSink(Protocol):
    """Where the session reports counts. No visitor id is ever passed."""

    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None: ...


class NullStats:
    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None:
        return None


@dataclass(frozen=True)
class Visit:
    """Everything the kiosk knows about the person in front of it. Wiped on leaving."""

    screen: Screen
    language: str
    slide: int = 0
    idle_warning: bool = False
    started: bool = False  # a language was chosen: this is a visit, counted once
    resume: Screen | None = None  # where a mid-visit language change returns to
    quiz: QuizRun | None = None


class Session:
    def __init__(self, content: Content, languages: tuple[str, ...], default_language: str,
                 stats: StatsSink | None = None, quiz_length: int = 0,
                 rng: random.Random | None = None) -> None:
        self.content = content
        self.quiz_length = quiz_length  # 0: what the quiz content asks for
        self.rng = rng or random.Random()
        self.languages = languages
        self.default_language = default_language
        self.stats: StatsSink = stats or NullStats()
        self.state = Visit(Screen.ATTRACT, default_language)
        self.changed = Signal()  # (old: Visit, new: Visit)
        self.language_changed = Signal()  # (language: str)
        self.wiped = Signal()  # (reason: str): cancel anything the visitor had under way

    # -- plumbing ------------------------------------------------------------------------
    @property
    def screen(self) -> Screen:
        return self.state.screen

    @property
    def language(self) -> str:
        return self.state.language

    def _go(self, **changes: object) -> None:
        old = self.state
        new = dataclasses.replace(old, **changes)  # type: ignore[arg-type]
        if new == old:
            return
        self.state = new
        if new.language != old.language:
            self.language_changed.emit(new.language)
        self.changed.emit(old, new)

    def _wipe(self, screen: Screen, reason: str) -> None:
        self.wiped.emit(reason)
        self._go(screen=screen, language=self.default_language, slide=0, idle_warning=False,
                 started=False, resume=None, quiz=None)

    # -- visitor intents -----------------------------------------------------------------
    def start(self) -> None:
        """A touch on the attract loop."""
        if self.screen is Screen.ATTRACT:
            if len(self.languages) == 1:
                self.choose_language(self.languages[0])
            else:
                self._go(screen=Screen.LANGUAGE)

    def choose_language(self, language: str) -> None:
        if language not in self.languages:
            raise ValueError(f"language {language!r} is not enabled")
        if not self.state.started:
            self.stats.record("visit", language)
        else:
            self.stats.record("language_switch", language)
        screen = self.state.resume or Screen.MENU
        self._go(language=language, screen=screen, started=True, resume=None)

    def pick_language_again(self) -> None:
        """The language picker in the middle of a visit; choosing returns to where they were."""
        if self.screen is not Screen.LANGUAGE:
            self._go(screen=Screen.LANGUAGE, resume=self.screen)

    def open_slides(self, index: int = 0) -> None:
        index = max(0, min(index, len(self.content.slides) - 1))
        self._go(screen=Screen.SLIDES, slide=index)
        self._record_slide()

    def next_slide(self) -> None:
        if self.state.slide + 1 < len(self.content.slides):
            self._go(slide=self.state.slide + 1)
            self._record_slide()
        else:
            self._go(screen=Screen.MENU)

    def previous_slide(self) -> None:
        if self.state.slide > 0:
            self._go(slide=self.state.slide - 1)
            self._record_slide()

    def _record_slide(self) -> None:
        self.stats.record("slide_view", self.language, self.content.slides[self.state.slide].id)

    # -- quiz ------------------------------------------------------------------------------
    def start_quiz(self) -> None:
        """A new quiz: questions drawn anew from the pool, answers shuffled ("try again" too)."""
        if self.content.quiz is None:
            return
        self._go(screen=Screen.QUIZ, quiz=draw(self.content.quiz, self.quiz_length, self.rng))

    def answer_question(self, display_index: int) -> None:
        run = self.state.quiz
        if run is None or run.answered or self.screen is not Screen.QUIZ:
            return
        run = run.answer(display_index)
        question = run.question
        self.stats.record("quiz_answer", self.language, question.id, 1 if run.is_right(run.current) else 0)
        self._go(quiz=run)

    def next_question(self) -> None:
        run = self.state.quiz
        if run is None or not run.answered:
            return
        if run.finished:
            self.stats.record("quiz_finished", self.language, "", run.percent)
            self._go(screen=Screen.QUIZ_RESULT)
        else:
            self._go(quiz=run.next())

    def open(self, screen: Screen) -> None:
        """Menu entries that are whole screens of their own (quiz, leaflet)."""
        self._go(screen=screen)

    def back(self) -> None:
        targets = {
            Screen.LANGUAGE: Screen.ATTRACT,
            Screen.MENU: Screen.LANGUAGE,
            Screen.SLIDES: Screen.MENU,
            Screen.QUIZ: Screen.MENU,
            Screen.QUIZ_RESULT: Screen.MENU,
            Screen.LEAFLET: Screen.MENU,
        }
        if self.screen is Screen.NEUTRAL or self.screen is Screen.LANGUAGE and not self.state.started:
            self._wipe(Screen.ATTRACT, "back")
        elif self.screen is Screen.LANGUAGE and self.state.resume is not None:
            self._go(screen=self.state.resume, resume=None)
        elif self.screen in targets:
            self._go(screen=targets[self.screen])

    def quick_exit(self) -> None:
        """Someone may be watching: show the neutral screen at once and forget everything."""
        if self.state.started:
            self.stats.record("quick_exit", self.language)
        self._wipe(Screen.NEUTRAL, "quick_exit")

    # -- idle ----------------------------------------------------------------------------
    def idle_warning(self) -> None:
        if self.screen is not Screen.ATTRACT:
            self._go(idle_warning=True)

    def still_here(self) -> None:
        self._go(idle_warning=False)

    def timeout(self) -> None:
        if self.screen is not Screen.ATTRACT or self.state != Visit(Screen.ATTRACT, self.default_language):
            if self.state.started:
                self.stats.record("timeout", self.language)
            self._wipe(Screen.ATTRACT, "timeout")

    def jump(self, visit: Visit) -> None:
        """Put the session in any state at once: for proof sheets and tests, never for visitors."""
        self._go(**{f.name: getattr(visit, f.name) for f in dataclasses.fields(Visit)})

    def replace_content(self, content: Content) -> None:
        """New content from staff: the current visitor (if any) starts over on it."""
        self.content = content
        self._wipe(Screen.ATTRACT, "content")
