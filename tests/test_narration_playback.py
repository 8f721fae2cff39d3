"""Playback of the narration with a REAL player process (ffplay, SDL's dummy audio driver):
Listen buttons, the automatic reading, and every rule for when the voice stops.

The audio is made here with espeak-ng and ffmpeg and written where kiosk/core/narration/narration.py
looks for it (audio/<lang>/<digest>.mp3), in a copy of the content: these tests do not depend
on `kiosk narrate`. Each check of "it stopped" looks at the player's real pid.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess

from kiosk.core.content.loader import load_content
from kiosk.core.model.i18n import I18n
from kiosk.core.narration import narration as spoken
from kiosk.core.narration.narration import Narration, Spoken
from kiosk.core.visit.quiz import QuizRun
from kiosk.core.visit.session import Screen, Visit
from kiosk.ui.narration import Narrator
from tests.support import need_tool
from tests.ui_helpers import make_kiosk, tap

FFPLAY = "ffplay -nodisp -autoexit -loglevel quiet"


@pytest.fixture(autouse=True)
def _real_player(monkeypatch: pytest.MonkeyPatch) -> None:
    need_tool("ffplay", "ffmpeg")
    need_tool("espeak-ng", "espeak-ng")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # ffplay plays in real time, into no sound card


def speak(item: Spoken, root: Path) -> Path:
    """A real synthetic recording of the item, named as Narration expects."""
    target = root / "audio" / item.lang / f"{item.digest}.mp3"
    target.parent.mkdir(parents=True, exist_ok=True)
    voice = {"kk": "kk", "ru": "ru", "uz": "uz", "en": "en"}[item.lang]
    wav = target.with_suffix(".wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), item.text], check=True, capture_output=True)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1", "-b:a", "32k", str(target)],
                   check=True, capture_output=True)
    wav.unlink()
    return target


def question_run(content, order: tuple[int, ...] | None = None, chosen: int | None = None) -> QuizRun:  # type: ignore[no-untyped-def]
    q = content.quiz.questions[0]
    order = order or tuple(reversed(range(len(q.answers))))
    return QuizRun((q,), (order,), (chosen,))


def narrated(root: Path, lang: str = "ru") -> Path:
    """The audio of the first two slides, the first question (prompt, answers, explanation)
    and the result of a one-question quiz answered right, in `lang`."""
    content, i18n = load_content(root).content, I18n()
    items = [spoken.slide(content.slides[0], lang), spoken.slide(content.slides[1], lang)]
    q = content.quiz.questions[0]
    items += spoken.question_playlist(q, range(len(q.answers)), lang)
    items += [spoken.explanation(q, lang)]
    items += spoken.result_playlist(content, 1, 1, lang, i18n)
    items += [spoken.leaflet(lang, i18n), spoken.attract(lang, i18n), spoken.neutral(content, lang)]
    for item in items:
        speak(item, root)
    return root


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


class Started:
    """Every player process the narrator starts, by pid."""

    def __init__(self, narrator: Narrator) -> None:
        self.pids: list[int] = []
        narrator.process_started.connect(self.pids.append)


def kiosk_with_audio(qtbot, data_dir: Path, content: Path, extra: str = ""):  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, content=content, settings=f"narration_player: {FFPLAY}\n{extra}")
    controller = kiosk.window.narration
    return kiosk, controller, Started(controller.narrator)


def playing_pid(qtbot, started: Started, count: int = 1) -> int:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: len(started.pids) >= count, timeout=5000)
    pid = started.pids[-1]
    assert not gone(pid)
    return pid


def test_a_playlist_plays_one_file_after_another(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = (speak(Spoken(f"t/{n}", "ru", text), tmp_path) for n, text in ((1, "Один."), (2, "Два.")))
    narrator = Narrator(FFPLAY)
    started = Started(narrator)
    assert narrator.play_list([first, second])
    assert narrator.playing == first and narrator.queue == [second]
    one = playing_pid(qtbot, started)
    qtbot.waitUntil(lambda: narrator.playing == second, timeout=10_000)  # the first ended on its own
    two = playing_pid(qtbot, started, 2)
    assert one != two and gone(one)
    qtbot.waitUntil(lambda: narrator.playing is None, timeout=10_000)
    assert gone(two) and narrator.pid == 0


def test_stop_kills_the_player_and_drops_the_rest(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long = speak(Spoken("t/long", "ru", "Это длинная фраза, которую читают медленно и долго, до самого конца."),
                 tmp_path)
    narrator = Narrator(FFPLAY)
    started = Started(narrator)
    narrator.play_list([long, long, long])
    pid = playing_pid(qtbot, started)
    narrator.stop()
    assert gone(pid), "the player still runs after stop()"
    assert narrator.playing is None and narrator.queue == [] and narrator.pid == 0
    qtbot.wait(300)
    assert started.pids == [pid], "a file of the dropped list started after stop()"


def test_listen_on_a_slide_and_every_navigation_stops_it(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy))
    session, window = kiosk.session, kiosk.window
    session.start()
    session.choose_language("ru")
    session.open_slides(0)
    slides = window.screens[Screen.SLIDES]
    assert slides.listen.isVisible() and slides.listen.text() == "Слушать"
    assert slides.listen.height() >= kiosk.window.theme.mm(15)
    qtbot.wait(300)
    assert started.pids == []  # narration_auto is off: nothing speaks unasked

    def listen() -> int:
        tap(qtbot, slides.listen)
        assert slides.listen.text() == "Стоп"
        pid = playing_pid(qtbot, started, len(started.pids) + 1)
        path = Narration(content_copy).synthetic_path(spoken.slide(session.content.slides[session.state.slide], "ru"))
        assert controller.narrator.playing == path
        return pid

    pid = listen()
    tap(qtbot, slides.listen)  # Stop
    assert gone(pid) and slides.listen.text() == "Слушать"

    pid = listen()
    tap(qtbot, slides.next)  # the next slide
    assert gone(pid) and not controller.playing

    pid = listen()  # the second slide has its own voice
    tap(qtbot, slides.previous)
    assert gone(pid)

    pid = listen()
    session.pick_language_again()  # the language button
    assert gone(pid)
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])

    pid = listen()
    tap(qtbot, slides.menu)
    assert gone(pid) and session.screen is Screen.MENU
    qtbot.wait(300)
    assert all(gone(p) for p in started.pids) and controller.narrator.pid == 0


def test_no_audio_in_this_language_no_button(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, _controller, _started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy, "ru"))
    kiosk.session.start()
    kiosk.session.choose_language("kk")
    kiosk.session.open_slides(0)
    assert not kiosk.window.screens[Screen.SLIDES].listen.isVisible()


def test_a_question_is_read_with_its_answers_in_the_order_shown(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy))
    session, window = kiosk.session, kiosk.window
    content = session.content
    q = content.quiz.questions[0]
    run = question_run(content)
    session.jump(Visit(Screen.QUIZ, "ru", started=True, quiz=run))
    quiz = window.screens[Screen.QUIZ]
    assert quiz.listen.isVisible()
    tap(qtbot, quiz.listen)
    narration = Narration(content_copy)
    expected = [narration.synthetic_path(s) for s in spoken.question_playlist(q, run.orders[0], "ru")]
    assert [controller.narrator.playing, *controller.narrator.queue] == expected
    assert expected[1] == narration.synthetic_path(spoken.answer(q, len(q.answers) - 1, "ru"))  # shown first
    pid = playing_pid(qtbot, started)
    right = next(i for i, (_original, correct) in enumerate(run.displayed_answers()) if correct)
    tap(qtbot, quiz.answer_buttons[right])  # an answer: the reading of the question stops
    assert gone(pid) and controller.narrator.queue == []
    # After answering, Listen reads the explanation.
    assert quiz.listen.isVisible() and quiz.listen.text() == "Слушать"
    tap(qtbot, quiz.listen)
    assert controller.narrator.playing == narration.synthetic_path(spoken.explanation(q, "ru"))
    pid = playing_pid(qtbot, started, 2)
    tap(qtbot, quiz.next)  # the result
    assert gone(pid)
    result = window.screens[Screen.QUIZ_RESULT]
    assert result.listen.isVisible()
    tap(qtbot, result.listen)
    items = spoken.result_playlist(content, 1, 1, "ru", I18n())
    assert controller.narrator.playing == narration.synthetic_path(items[0])
    pid = playing_pid(qtbot, started, 3)
    tap(qtbot, result.menu)
    assert gone(pid)


def test_quick_exit_silences_at_once_and_nothing_starts_after(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy), "narration_auto: true\n")
    session, window = kiosk.session, kiosk.window
    session.start()
    session.choose_language("ru")
    q = session.content.quiz.questions[0]
    session.jump(Visit(Screen.QUIZ, "ru", started=True, quiz=question_run(session.content)))
    pid = playing_pid(qtbot, started)  # read aloud by itself: the prompt, then the answers
    assert len(controller.narrator.queue) == len(q.answers)
    tap(qtbot, window.quick_exit)
    assert gone(pid), "the voice went on after quick exit"
    assert session.screen is Screen.NEUTRAL and controller.narrator.queue == []
    qtbot.wait(800)  # the neutral screen never speaks, even with narration_auto on
    assert started.pids == [pid] and controller.narrator.pid == 0
    assert not any(isinstance(c, QProcess) and c.state() != QProcess.ProcessState.NotRunning
                   for c in controller.narrator.children())


def test_quick_exit_cancels_a_pending_automatic_reading(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy), "narration_auto: true\n")
    session = kiosk.session
    session.start()
    session.choose_language("ru")
    session.open_slides(0)  # the automatic reading is queued for just after this frame...
    session.quick_exit()  # ...and the visitor leaves before it starts
    qtbot.wait(800)
    assert started.pids == [] and not controller.playing


def test_the_idle_timeout_stops_the_voice(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy),
                                                  "idle_timeout_s: 15\nidle_countdown_s: 3\n")
    session, window = kiosk.session, kiosk.window
    session.start()
    session.choose_language("ru")
    session.open_slides(0)
    tap(qtbot, window.screens[Screen.SLIDES].listen)
    pid = playing_pid(qtbot, started)
    window.idle.idle.start(100)  # the setting's floor is 15 s; the real timers do the rest
    window.idle.tick.setInterval(50)
    qtbot.waitUntil(lambda: session.screen is Screen.ATTRACT, timeout=5000)
    assert gone(pid) and not controller.playing
    qtbot.wait(300)
    assert started.pids == [pid]  # and no sound in the attract loop (attract_sound is off)


def test_staff_mode_stops_the_voice(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy), "narration_auto: true\n")
    session = kiosk.session
    session.start()
    session.choose_language("ru")
    session.open_slides(1)
    pid = playing_pid(qtbot, started)
    session.enter_staff()
    assert gone(pid)
    qtbot.wait(300)
    assert started.pids == [pid]


def test_automatic_reading_of_each_screen(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy),
                                                  "narration_auto: true\nnarration_volume: 50\n")
    session = kiosk.session
    narration = Narration(content_copy)
    session.start()
    session.choose_language("ru")
    qtbot.wait(200)
    assert started.pids == []  # the menu has nothing to read
    session.open_slides(0)
    playing_pid(qtbot, started)
    assert controller.narrator.playing == narration.synthetic_path(spoken.slide(session.content.slides[0], "ru"))
    assert controller.narrator.process is not None
    assert controller.narrator.process.arguments()[-3:-1] == ["-volume", "50"]  # ffplay's own volume option
    session.back()
    session.open_leaflet()
    playing_pid(qtbot, started, 2)
    assert controller.narrator.playing == narration.synthetic_path(spoken.leaflet("ru", I18n()))


def test_volume_zero_means_no_narration(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, _controller, started = kiosk_with_audio(qtbot, data_dir, narrated(content_copy),
                                                   "narration_auto: true\nnarration_volume: 0\n")
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    kiosk.session.open_slides(0)
    assert not kiosk.window.screens[Screen.SLIDES].listen.isVisible()
    qtbot.wait(300)
    assert started.pids == []


def test_attract_sound_only_when_set(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    root = narrated(content_copy)
    kiosk, controller, started = kiosk_with_audio(qtbot, data_dir, root, "languages: [ru]\n")
    attract = kiosk.window.screens[Screen.ATTRACT]
    attract._on_tick()
    qtbot.wait(300)
    assert started.pids == []
    import dataclasses

    kiosk.config.save(dataclasses.replace(kiosk.config.settings, attract_sound=True))
    attract._on_tick()  # the next invitation is read
    playing_pid(qtbot, started)
    assert controller.narrator.playing == Narration(root).synthetic_path(spoken.attract("ru", I18n()))
    pid = started.pids[-1]
    kiosk.session.start()  # a touch: the visit begins, the invitation stops
    assert gone(pid)


def test_replaced_content_is_read_from_its_own_folder(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.support import content_copy

    silent = content_copy(tmp_path, "silent")
    kiosk, controller, _started = kiosk_with_audio(qtbot, data_dir, silent)
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    kiosk.session.open_slides(0)
    assert not controller.can_listen()
    spoken_root = narrated(content_copy(tmp_path, "spoken"))
    kiosk.session.replace_content(load_content(spoken_root).content)  # a pack install
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    kiosk.session.open_slides(0)
    assert controller.can_listen() and kiosk.window.screens[Screen.SLIDES].listen.isVisible()
