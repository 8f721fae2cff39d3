"""Which player reads the narration, with which volume option; the narration settings; the
staff Settings rows for them; what each screen reads (kiosk/core/narration/narration.py page_items).

The Windows MCI part cannot run here: only its command strings are tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.narration import narration as spoken
from kiosk.core.narration.players import (
    Player,
    find_player,
    mci_close,
    mci_open,
    mci_quote,
    mci_status,
    volume_options,
)
from kiosk.core.site.settings import load_settings
from kiosk.core.visit.printer import PrintStatus
from kiosk.core.visit.quiz import QuizRun
from kiosk.core.visit.session import Screen, Visit
from tests.support import default_content, need_tool
from tests.ui_helpers import STAFF_PIN, tap, type_pin


@pytest.mark.parametrize(("name", "volume", "options"), [
    ("pw-play", 50, ["--volume=0.5"]),
    ("paplay", 50, ["--volume=32768"]),
    ("ffplay", 30, ["-volume", "30"]),
    ("mpg123", 50, ["-f", "16384"]),
    ("aplay", 50, []),  # aplay has no volume option: the system mixer alone
    ("ffplay", 100, []),  # full level: the player's own default, nothing added
    ("pw-play", 0, ["--volume=0"]),
])
def test_each_players_own_volume_option(name: str, volume: int, options: list[str]) -> None:
    assert volume_options(name, volume) == options


def test_the_command_line_puts_the_volume_before_the_file() -> None:
    player = Player(("/usr/bin/ffplay", "-nodisp", "-autoexit"))
    assert player.name == "ffplay" and player.has_volume
    assert player.arguments(Path("/a/b.mp3"), 40) == ["/usr/bin/ffplay", "-nodisp", "-autoexit", "-volume", "40",
                                                       "/a/b.mp3"]
    assert Player(("C:/ffmpeg/FFPLAY.EXE",)).name == "ffplay"
    assert not Player(("aplay", "-q")).has_volume


def test_aplay_is_never_given_an_mp3() -> None:
    need_tool("aplay", "alsa-utils")
    aplay = find_player("aplay -q -D null")
    assert aplay is not None and aplay.plays(Path("x.wav")) and not aplay.plays(Path("x.mp3"))
    assert find_player("no-such-player-here") is None


def test_mci_command_strings() -> None:
    path = Path("C:/Program Files/kiosk/content/audio/ru/0123456789abcdef.mp3")
    assert mci_open(path, "kiosk1", 70) == [
        f'open "{path}" type mpegvideo alias kiosk1',
        "setaudio kiosk1 volume to 700",
        "play kiosk1",
    ]
    assert mci_open(path, "kiosk2", 150)[1] == "setaudio kiosk2 volume to 1000"
    assert mci_status("kiosk1") == "status kiosk1 mode" and mci_close("kiosk1") == "close kiosk1"
    with pytest.raises(ValueError):
        mci_quote('a"b.mp3')


def test_the_narration_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("narration_auto: true\nnarration_volume: 60\nattract_sound: true\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert not problems.items
    assert (settings.narration_auto, settings.narration_volume, settings.attract_sound) == (True, 60, True)
    path.write_text("narration_volume: 150\nnarration_auto: yes please\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert settings.narration_volume == 100 and settings.narration_auto is False
    assert len(problems.items) == 2
    defaults = load_settings(tmp_path / "none.yaml")[0]
    assert (defaults.narration_auto, defaults.narration_volume, defaults.attract_sound) == (False, 100, False)


def test_what_each_screen_reads() -> None:
    content, i18n = default_content(), I18n()
    q = content.quiz.questions[0]
    order = tuple(reversed(range(len(q.answers))))
    run = QuizRun((q,), (order,), (None,))
    asked = spoken.page_items(content, Visit(Screen.QUIZ, "uz", quiz=run), i18n)
    assert [s.key for s in asked] == [f"question/{q.id}", *(f"answer/{q.id}/{i + 1}" for i in order)]
    answered = spoken.page_items(content, Visit(Screen.QUIZ, "uz", quiz=run.answer(0)), i18n)
    assert [s.key for s in answered] == [f"explanation/{q.id}"]
    slide = spoken.page_items(content, Visit(Screen.SLIDES, "kk", slide=1), i18n)
    assert slide == [spoken.slide(content.slides[1], "kk")]
    leaflet = Visit(Screen.LEAFLET, "en")
    assert spoken.page_items(content, leaflet, i18n)[0].key == "leaflet"
    for status, key in ((PrintStatus.PRINTING, "leaflet/printing"), (PrintStatus.LIMIT_REACHED, "leaflet/limit"),
                        (PrintStatus.PRINTER_ERROR, "leaflet/not-ready")):
        visit = Visit(Screen.LEAFLET, "en", print_status=status, qr=status.is_fault)
        assert spoken.page_items(content, visit, i18n)[0].key == key
    # Never a word on the neutral quick-exit screen, nor in staff mode, nor on the attract loop
    # (which reads its invitation only with attract_sound, itself).
    for screen in (Screen.NEUTRAL, Screen.STAFF, Screen.ATTRACT, Screen.MENU, Screen.LANGUAGE):
        assert spoken.page_items(content, Visit(screen, "ru"), i18n) == []
    # The page changes (and the voice stops) with the slide, the language, an answer; not with the idle warning.
    base = Visit(Screen.SLIDES, "ru", slide=0)
    assert spoken.page_key(base) == spoken.page_key(Visit(Screen.SLIDES, "ru", slide=0, idle_warning=True))
    assert spoken.page_key(base) != spoken.page_key(Visit(Screen.SLIDES, "ru", slide=1))
    assert spoken.page_key(base) != spoken.page_key(Visit(Screen.SLIDES, "kk", slide=0))
    quiz = Visit(Screen.QUIZ, "ru", quiz=run)
    assert spoken.page_key(quiz) != spoken.page_key(Visit(Screen.QUIZ, "ru", quiz=run.answer(1)))


def test_staff_set_the_voice_on_the_settings_tab(qtbot, staff_kiosk, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    tap(qtbot, panel.language_buttons["ru"])
    tap(qtbot, panel.tabs[panel.pages.index(panel.settings)][1])
    tab = panel.settings
    minus, _plus = tab.step_buttons["narration_volume"]
    assert tab.steppers["narration_volume"][1].text() == "100"
    for _ in range(3):
        tap(qtbot, minus)
    assert tab.steppers["narration_volume"][1].text() == "70"
    name, switch = tab.switches["narration_auto"]
    assert name.text() == "Читать каждый экран вслух" and switch.text() == "Выкл."
    tap(qtbot, switch)
    assert switch.text() == "Вкл."
    tap(qtbot, tab.save)
    saved = load_settings(data_dir / "settings.yaml")[0]
    assert (saved.narration_volume, saved.narration_auto, saved.attract_sound) == (70, True, False)
    narrator = kiosk.window.narration.narrator
    assert narrator.volume == 70 and kiosk.window.narration.auto  # in force at once, no restart
    for _ in range(7):
        tap(qtbot, minus)
    tap(qtbot, tab.save)
    assert narrator.volume == 0 and not narrator.available  # 0: no voice, no Listen button


def test_the_digest_is_sha256_without_loading_openssl() -> None:
    import hashlib
    import subprocess
    import sys

    text = "Паспорт — сізнікі. Oʻzingizda saqlang."
    assert spoken.digest(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    code = "import sys, kiosk.core.narration.narration as n; n.digest('x'); print('_hashlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # 3.7 MiB of OpenSSL kept out of the kiosk's memory


def test_a_recording_the_player_cannot_play_gives_way_to_the_synthetic_voice(tmp_path: Path) -> None:
    import shutil

    from kiosk.core.narration.narration import Narration, page_files
    from tests.support import CONTENT

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    content, i18n = default_content(), I18n()
    item = spoken.slide(content.slides[0], "ru")
    synthetic = root / "audio" / "ru" / f"{item.digest}.mp3"
    recorded = root / "audio" / "ru" / "recorded" / f"{item.slug}.ogg"
    for path in (synthetic, recorded):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not really audio")
    narration = Narration(root)
    visit = Visit(Screen.SLIDES, "ru", slide=0)
    assert page_files(narration, content, visit, i18n) == [recorded]  # the human voice wins...
    mp3_only = Player(("mpg123",), frozenset({".mp3"}))
    assert page_files(narration, content, visit, i18n, mp3_only.plays) == [synthetic]  # ...where it can play
    wav_only = Player(("aplay",), frozenset({".wav"}))
    assert page_files(narration, content, visit, i18n, wav_only.plays) == []  # no button, rather than noise


def test_the_attract_screen_shows_the_words_the_narration_reads() -> None:
    """The attract screen keeps its own TOUCH_TO_START (the narration module stays out of the
    start-up); the voice must read exactly what it shows."""
    from kiosk.core.narration import narration
    from kiosk.ui.screens import attract, leaflet, quiz

    assert attract.TOUCH_TO_START == narration.TOUCH_TO_START
    assert (leaflet.HEADING, leaflet.EXPLAIN, leaflet.LIMIT) == (narration.LEAFLET_HEADING,
                                                                 narration.LEAFLET_EXPLAIN, narration.LIMIT)
    assert quiz.SCORE is narration.SCORE and quiz.FREE_ADVICE is narration.FREE_ADVICE
