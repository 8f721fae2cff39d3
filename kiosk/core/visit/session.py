"""The visitor's journey as a state machine, with no Qt.

attract → language → (before: evidence of learning) → menu → slides / quiz / leaflet;
idle timeout or quick exit → wiped.
Staff mode is a state of the same machine: entering it wipes the visit.
Screens call these methods from their slots and redraw from `changed`; the session never
knows which widgets exist. Everything about the person in front of the kiosk is in one
`Visit` value, the leaflet's print status included, so a wipe replaces it whole.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from kiosk.core.model import Content, Question, Signal
from kiosk.core.site import SiteConfig, resolve_languages
from kiosk.core.visit.evidence import Before, Cell, Pairing, assign
from kiosk.core.visit.print_limits import Debounce, LimitReason, PrintLimits
from kiosk.core.visit.printer import LeafletPrinter, PrintOrder, PrintStatus
from kiosk.core.visit.quiz import QuizRun, draw


class Screen(str, Enum):
    ATTRACT = "attract"
    LANGUAGE = "language"
    BEFORE = "before"  # evidence of learning: one quiz question before the menu, no feedback
    MENU = "menu"
    SLIDES = "slides"
    NEUTRAL = "neutral"
    QUIZ = "quiz"
    QUIZ_RESULT = "quiz_result"
    LEAFLET = "leaflet"
    STAFF = "staff"  # the PIN pad and the staff screen: no visitor, no visit


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
    print_status: PrintStatus | None = None  # what the leaflet screen says about the last print
    printed: int = 0  # leaflets the print system accepted for this visitor
    qr: bool = False  # the leaflet screen shows the QR code (instead of the page)
    large_text: bool = False  # the visitor asked for large text and high contrast, for this visit only
    evidence: Pairing | None = None  # this visit's evidence question (before/after), wiped with it

    @property
    def printing(self) -> bool:
        """A print for this visitor is under way: the Print button waits."""
        return self.print_status is not None and not self.print_status.is_final


@dataclass
class _Job:
    """One tap on Print: for which visit and language, and whether the print system took it."""

    visit: int
    language: str
    accepted: bool = False


class Session:
    """The visit, the rules that move it on, and what is counted. Settings are read from
    `config` at the moment they matter, so a staff change applies to the next tap."""

    def __init__(self, content: Content, config: SiteConfig | None = None, stats: StatsSink | None = None,
                 rng: random.Random | None = None, printer: LeafletPrinter | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.content = content
        self.config = config or SiteConfig()
        self.rng = rng or random.Random()
        self.stats: StatsSink = stats or NullStats()
        self.printer = printer
        self.paper = PrintLimits(clock)
        self.debounce = Debounce(1.0, clock)
        self._order: PrintOrder | None = None
        self._visit_number = 0  # tells a print's late news for a visitor who has left from the current one
        self.state = Visit(Screen.ATTRACT, self.default_language)
        self.changed = Signal()  # (old: Visit, new: Visit)
        self.wiped = Signal()  # (reason: str): the visit is gone; anything under way for it stops

    # -- plumbing ------------------------------------------------------------------------
    @property
    def languages(self) -> tuple[str, ...]:
        return resolve_languages(self.config.settings, self.content.languages, self.content.default_language)[0]

    @property
    def default_language(self) -> str:
        return resolve_languages(self.config.settings, self.content.languages, self.content.default_language)[1]

    @property
    def print_order(self) -> PrintOrder | None:
        """The last print of this visit (under way or finished), None once the visit is wiped."""
        return self._order

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
        if new.screen is Screen.LEAFLET and self.printer is not None and self.content.leaflet is not None and (
                old.screen is not Screen.LEAFLET or new.language != old.language):
            # Drawn now (just after this frame), so that Print does not wait; only for visitors who
            # open the leaflet, as most never do (a page costs about 30 ms and 7 MiB at its peak).
            self.printer.prepare(self.content, new.language)
        self.changed.emit(old, new)

    def _wipe(self, screen: Screen, reason: str) -> None:
        self._visit_number += 1
        if self._order is not None and not self._order.done:
            self._order.cancel(reason)  # someone who left must not have a leaflet come out after them
        self._order = None
        self.debounce.reset()
        self._close_evidence()
        self.wiped.emit(reason)
        self._go(**{f.name: f.default for f in dataclasses.fields(Visit) if f.name not in ("screen", "language")},
                 screen=screen, language=self.default_language)

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
            pairing = self._assign_evidence(language)
            if pairing is not None:
                screen = Screen.BEFORE if pairing.asked else Screen.MENU
                self._go(language=language, screen=screen, started=True, resume=None, evidence=pairing)
                return
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

    def toggle_large_text(self) -> None:
        """Large text and high contrast, on or off, until the visit ends (any wipe clears it).

        Not on the attract loop, where there is no visit yet to hold it, nor on the neutral
        screen, which must look like nothing but public information."""
        if self.screen not in (Screen.ATTRACT, Screen.NEUTRAL, Screen.STAFF):
            self._go(large_text=not self.state.large_text)

    # -- evidence of learning (kiosk/core/visit/evidence.py) ---------------------------------
    def _assign_evidence(self, language: str) -> Pairing | None:
        settings = self.config.settings
        if not settings.evidence or self.content.quiz is None:
            return None
        marked = tuple(q.id for q in self.content.quiz.questions if q.before)
        answers = {q.id: len(q.answers) for q in self.content.quiz.questions if q.before}
        return assign(marked, settings.evidence_before_share, language, answers, self.rng)

    @property
    def before_question(self) -> tuple[Question, tuple[int, ...]] | None:
        """The question the before screen shows and its answers' display order (original indexes)."""
        pairing = self.state.evidence
        if pairing is None or not pairing.asked or self.content.quiz is None:
            return None
        question = next((q for q in self.content.quiz.questions if q.id == pairing.question), None)
        return None if question is None else (question, pairing.order)

    def answer_before(self, display_index: int) -> None:
        """An answer on the before screen: kept in the visit, no feedback; the screen says thank you."""
        pairing = self.state.evidence
        shown = self.before_question
        if self.screen is not Screen.BEFORE or pairing is None or shown is None or pairing.before is not Before.WAITING:
            return
        question, order = shown
        if not 0 <= display_index < len(order):
            return
        self._go(evidence=pairing.answered_before(question.answers[order[display_index]].correct))

    def skip_before(self) -> None:
        """Skip: counted as skipped at once; nothing more is counted for this visit."""
        pairing = self.state.evidence
        if self.screen is not Screen.BEFORE or pairing is None:
            return
        if pairing.before is Before.WAITING:
            pairing = dataclasses.replace(pairing, before=Before.SKIPPED)
            self._count_evidence(pairing, Cell.SKIPPED)
            pairing = dataclasses.replace(pairing, counted=True)
        self._go(screen=Screen.MENU, evidence=pairing)

    def leave_before(self) -> None:
        """'Continue' after the thank-you: on to the menu."""
        pairing = self.state.evidence
        if self.screen is not Screen.BEFORE:
            return
        if pairing is not None and pairing.before is Before.WAITING:
            self.skip_before()
        else:
            self._go(screen=Screen.MENU)

    def _count_evidence(self, pairing: Pairing, cell: Cell) -> None:
        self.stats.record("evidence", pairing.language, pairing.question, int(cell))

    def _close_evidence(self) -> None:
        """The visit ends: a visitor asked before who never answered it after is counted as such."""
        pairing = self.state.evidence
        if pairing is not None:
            cell = pairing.closing_cell()
            if cell is not None:
                self._count_evidence(pairing, cell)

    # -- quiz ------------------------------------------------------------------------------
    def start_quiz(self) -> None:
        """A new quiz: questions drawn anew from the pool, answers shuffled ("try again" too).
        A visit's evidence question is always among them, for both groups (evidence.py says why)."""
        if self.content.quiz is None:
            return
        length = self.config.settings.quiz_length
        include = self.state.evidence.question if self.state.evidence is not None else ""
        self._go(screen=Screen.QUIZ, quiz=draw(self.content.quiz, length, self.rng, include))

    def answer_question(self, display_index: int) -> None:
        run = self.state.quiz
        if run is None or run.answered or self.screen is not Screen.QUIZ:
            return
        run = run.answer(display_index)
        question = run.question
        right = run.is_right(run.current)
        self.stats.record("quiz_answer", self.language, question.id, 1 if right else 0)
        pairing = self.state.evidence
        if pairing is not None and question.id == pairing.question:
            cell = pairing.after_cell(right)
            if cell is not None:
                self._count_evidence(pairing, cell)
                self._go(quiz=run, evidence=dataclasses.replace(pairing, counted=True))
                return
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

    # -- the leaflet -----------------------------------------------------------------------
    def open_leaflet(self) -> None:
        """The leaflet screen shows the page, unless a print is still under way for this visitor."""
        if self.content.leaflet is None:
            return
        if self.state.printing:
            self._go(screen=Screen.LEAFLET)
        else:
            self._go(screen=Screen.LEAFLET, print_status=None, qr=False)

    def show_qr(self, on: bool) -> None:
        """The visitor's own choice between the page and the QR code."""
        if self.screen is Screen.LEAFLET and on != self.state.qr:
            if on:
                self.stats.record("qr_shown", self.language, "button")
            self._go(qr=on)

    def print_leaflet(self) -> None:
        """A tap on Print: one leaflet within the paper limits; a double tap prints once."""
        state = self.state
        if state.screen is not Screen.LEAFLET or self.content.leaflet is None or state.printing:
            return
        if not self.debounce.accept():
            return
        settings = self.config.settings
        refusal = self.paper.refusal(settings.prints_per_visit, settings.prints_per_hour, state.printed)
        if refusal is not None or self.printer is None:
            why = ("no printer in this kiosk" if self.printer is None else
                   f"{settings.prints_per_visit} per visitor" if refusal is LimitReason.VISIT
                   else f"{settings.prints_per_hour} per hour")
            self._print_news(_Job(self._visit_number, state.language), PrintStatus.LIMIT_REACHED, why)
            return
        job = _Job(self._visit_number, state.language)
        self._go(print_status=PrintStatus.CHECKING)
        self._order = self.printer.print_leaflet(self.content, job.language, settings.printer, 1,
                                                 lambda status, detail: self._print_news(job, status, detail))

    def _print_news(self, job: _Job, status: PrintStatus, detail: str) -> None:
        """What the printer says. Counted whoever it was for; shown only to the visitor it is for.

        Nothing is logged here: the printing layer logs faults, and a visitor's prints are only
        counted by the hour, in the statistics."""
        accepted = status is PrintStatus.PRINTING and not job.accepted
        if accepted:
            job.accepted = True
            self.paper.record(1)  # the paper budget counts what the print system accepted, once a job
            self.stats.record("leaflet_printed", job.language)
        elif status.is_fault:
            self.stats.record("print_failed", job.language, status.value)
        if job.visit != self._visit_number or self.screen is not Screen.LEAFLET:
            return  # a print of a visitor who has left: nothing to show to the next one
        changes: dict[str, object] = {"print_status": status}
        if accepted:
            changes["printed"] = self.state.printed + 1
        if status.is_fault and not self.state.qr:
            self.stats.record("qr_shown", job.language, status.value)
            changes["qr"] = True  # no paper: the QR code and the number instead
        self._go(**changes)

    # -- navigation ------------------------------------------------------------------------
    def open(self, screen: Screen) -> None:
        """Menu entries that are whole screens of their own."""
        if screen is Screen.LEAFLET:
            self.open_leaflet()
        elif screen is Screen.QUIZ:
            self.start_quiz()
        elif screen is Screen.STAFF:
            self.enter_staff()
        else:
            self._go(screen=screen)

    def back(self) -> None:
        if self.screen is Screen.BEFORE:
            self.pick_language_again()  # back from the before question: the language picker, then back here
            return
        targets = {
            Screen.LANGUAGE: Screen.ATTRACT,
            Screen.MENU: Screen.LANGUAGE,
            Screen.SLIDES: Screen.MENU,
            Screen.QUIZ: Screen.MENU,
            Screen.QUIZ_RESULT: Screen.MENU,
            Screen.LEAFLET: Screen.MENU,
        }
        if self.screen is Screen.NEUTRAL or self.screen is Screen.LANGUAGE and self.state.resume is None:
            # Back from the first choice is the way out: the visit ends here, counted as left.
            if self.state.started:
                self.stats.record("timeout", self.language)
            self._wipe(Screen.ATTRACT, "back")
        elif self.screen is Screen.LANGUAGE and self.state.resume is not None:
            self._go(screen=self.state.resume, resume=None)
        elif self.screen in targets:
            self._go(screen=targets[self.screen])

    def quick_exit(self) -> None:
        """Someone may be watching: show the neutral screen at once and forget everything."""
        if self.screen is Screen.STAFF:
            return
        if self.state.started:
            self.stats.record("quick_exit", self.language)
        self._wipe(Screen.NEUTRAL, "quick_exit")

    # -- idle ----------------------------------------------------------------------------
    def idle_warning(self) -> None:
        if self.screen not in (Screen.ATTRACT, Screen.STAFF):
            self._go(idle_warning=True)

    def still_here(self) -> None:
        self._go(idle_warning=False)

    def timeout(self) -> None:
        if self.screen is Screen.STAFF:
            return  # staff mode has its own idle time (StaffMode), and leaves through leave_staff()
        if self.state != Visit(Screen.ATTRACT, self.default_language):
            if self.state.started:
                self.stats.record("timeout", self.language)
            self._wipe(Screen.ATTRACT, "timeout")

    # -- staff -----------------------------------------------------------------------------
    def enter_staff(self) -> None:
        """The staff gesture: no visitor state survives into staff mode."""
        if self.screen is Screen.STAFF:
            return
        if self.state.started:
            self.stats.record("timeout", self.language)  # the visitor, if any, had left the screen
        self._wipe(Screen.STAFF, "staff")

    def leave_staff(self) -> None:
        if self.screen is Screen.STAFF:
            self._wipe(Screen.ATTRACT, "staff")

    # -- for proof sheets, tests and recovery ---------------------------------------------
    def jump(self, visit: Visit) -> None:
        """Put the session in any state at once: for proof sheets and tests, never for visitors."""
        self._go(**{f.name: getattr(visit, f.name) for f in dataclasses.fields(Visit)})

    def recover(self) -> None:
        """After an unexpected error: back to the attract loop, visit wiped, from any state."""
        if self.state.started:
            self.stats.record("timeout", self.language)
        self._wipe(Screen.ATTRACT, "error")

    def replace_content(self, content: Content) -> None:
        """New content from staff: the current visitor (if any) starts over on it."""
        self.content = content
        self._wipe(self.screen if self.screen is Screen.STAFF else Screen.ATTRACT, "content")
