"""Soak and transition measurements, run inside a kiosk process (for `kiosk bench` and tests).

A screen change here is what a visitor causes: the next slide, a quiz answer, the leaflet
preview, a language switch, a quick exit, a visit ending. Memory is read from the kernel
(resident set, not peak), and Qt objects are counted, after a number of changes.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk.core.model import Content
from kiosk.core.visit import Screen
from kiosk.paper.pdf import leaflet_pdf


def rss_mib() -> float:
    """Current resident memory of this process, MiB."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, AttributeError):  # not Linux: the peak is the best there is
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_qobjects(root: QObject) -> int:
    return len(root.findChildren(QObject)) + len(QApplication.topLevelWidgets())


def screen_changes(kiosk: Any, seed: int = 1) -> Callable[[], None]:
    """Returns a step function; each call makes one visitor-like screen change."""
    session = kiosk.session
    rng = random.Random(seed)
    app = QApplication.instance()
    assert app is not None

    def step() -> None:
        state = session.state
        if state.screen is Screen.ATTRACT:
            session.start()
            session.choose_language(rng.choice(session.languages))
        elif state.screen is Screen.MENU:
            choice = rng.random()
            if choice < 0.45:
                session.open_slides(0)
            elif choice < 0.8 and session.content.quiz is not None:
                session.start_quiz()
            elif session.content.leaflet is not None and kiosk.window.has_screen(Screen.LEAFLET):
                session.open(Screen.LEAFLET)
            else:
                session.open_slides(0)
        elif state.screen is Screen.SLIDES:
            r = rng.random()
            if r < 0.04:
                session.pick_language_again()
            elif r < 0.06:
                session.quick_exit()
            else:
                session.next_slide()
        elif state.screen is Screen.LANGUAGE:
            session.choose_language(rng.choice(session.languages))
        elif state.screen is Screen.QUIZ and state.quiz is not None:
            if state.quiz.answered:
                session.next_question()
            else:
                session.answer_question(rng.randrange(len(state.quiz.question.answers)))
        elif state.screen is Screen.QUIZ_RESULT:
            session.back()
        elif state.screen is Screen.LEAFLET:
            if rng.random() < 0.5:
                session.pick_language_again()  # the preview is drawn again in another language
            else:
                session.timeout()
        else:  # neutral screen and anything else: the visit ends
            session.timeout()
        app.processEvents()

    return step


def soak(kiosk: Any, checkpoints: tuple[int, ...] = (1_000, 20_000), seed: int = 1) -> dict[str, float]:
    """RSS (MiB) and Qt object counts after each checkpoint number of screen changes."""
    step = screen_changes(kiosk, seed)
    window = kiosk.window
    window.build_all_screens()
    results: dict[str, float] = {}
    done = 0
    for mark in checkpoints:
        while done < mark:
            step()
            done += 1
        kiosk.session.timeout()
        QApplication.processEvents()
        gc.collect()
        results[f"rss_mib_{mark}"] = round(rss_mib(), 1)
        results[f"qobjects_{mark}"] = count_qobjects(window)
    return results


def transition_fps(kiosk: Any, transitions: int = 6) -> float:
    """Frames painted per second while slides slide, measured on the real transition widget."""
    session = kiosk.session
    window = kiosk.window
    app = QApplication.instance()
    assert app is not None
    session.timeout()
    session.start()
    session.choose_language(session.languages[0])
    session.open_slides(0)
    app.processEvents()
    slides = window.screens[Screen.SLIDES]
    transition = slides.transition
    frames, elapsed = 0, 0.0
    for i in range(transitions):
        if session.state.slide + 1 >= len(session.content.slides):
            session.open_slides(0)
            app.processEvents()
        before = transition.frames
        start = time.perf_counter()
        session.next_slide()
        while transition.animation.state() == transition.animation.State.Running:
            app.processEvents()
        elapsed += time.perf_counter() - start
        frames += transition.frames - before
        _ = i
    return round(frames / elapsed, 1) if elapsed else 0.0


def bench_main(changes: int = 20_000) -> None:
    """The in-process half of `kiosk bench`: prints one JSON line."""
    import json
    import tempfile
    from pathlib import Path

    from kiosk.ui.application import application

    app = application(QApplication)
    from kiosk.app import build_kiosk

    data = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    kiosk = build_kiosk(data, None, None, (1920, 1080), with_stats=True)
    kiosk.window.show()
    app.processEvents()
    figures: dict[str, Any] = {"transition_fps": transition_fps(kiosk)}
    figures["leaflet_ms"] = bench_leaflet_ms(kiosk.session.content)
    first = min(1_000, changes)
    figures.update(soak(kiosk, (first, changes)))
    print("SOAK " + json.dumps(figures), flush=True)
    kiosk.window.close()


def bench_leaflet_ms(content: Content, repeat: int = 3) -> dict[str, float]:
    """Milliseconds to make one leaflet PDF, per language: the best of `repeat` runs.

    The first run also pays for loading fonts and pictures once; the kiosk pays that once
    too, so the best run is what a visitor waits for.
    """
    results: dict[str, float] = {}
    for language in content.languages:
        best = float("inf")
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            leaflet_pdf(content, language)
            best = min(best, (time.perf_counter() - start) * 1000)
        results[language] = round(best, 1)
    return results
