"""A visitor's journey by taps on the real widgets."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

from kiosk.app import install_excepthook
from kiosk.core.visit.session import Screen
from tests.ui_helpers import button_with_text, make_kiosk, swipe, tap


def visible_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and w.text()]


def test_touch_pick_russian_swipe_quick_exit(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    assert session.screen is Screen.ATTRACT
    tap(qtbot, window.screens[Screen.ATTRACT])
    assert session.screen is Screen.LANGUAGE
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    assert session.screen is Screen.MENU and session.language == "ru"
    assert "Что вы хотите сделать?" in visible_texts(window)
    tap(qtbot, button_with_text(window, "Как ехать безопасно"))
    slides = window.screens[Screen.SLIDES]
    assert slides.title.text() == session.content.slides[0].title.get("ru")
    swipe(qtbot, slides, -300)
    assert session.state.slide == 1
    assert slides.title.text() == session.content.slides[1].title.get("ru")
    tap(qtbot, slides.next)
    swipe(qtbot, slides, +300)
    assert session.state.slide == 1
    assert slides.progress.text() == f"2 из {len(session.content.slides)}"
    # the numbers are on every screen, from the manifest
    assert window.contact_bar.isVisible() and "8 (7252) 21-61-52" in window.contact_bar.numbers()
    tap(qtbot, window.quick_exit)
    assert session.screen is Screen.NEUTRAL and not session.state.started
    neutral = window.screens[Screen.NEUTRAL]
    assert neutral.title.text() == session.content.neutral.title.get("kk")
    assert not window.quick_exit.isVisible()
    assert window.contact_bar.numbers() == ["102", "112"]  # nothing that names the subject
    tap(qtbot, neutral.home)
    assert session.screen is Screen.ATTRACT


def test_language_switch_mid_visit_changes_every_visible_string(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["kk"])
    tap(qtbot, button_with_text(window, "Қауіпсіз сапар"))
    slides = window.screens[Screen.SLIDES]
    tap(qtbot, slides.next)
    kazakh = visible_texts(window) + [window.quick_exit.text(), slides.menu.text()]
    session.pick_language_again()
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["en"])
    assert session.screen is Screen.SLIDES and session.state.slide == 1  # same place, new language
    english = visible_texts(window) + [window.quick_exit.text(), slides.menu.text()]
    assert slides.title.text() == session.content.slides[1].title.get("en")
    assert "✕  Quick exit" in english and "← Menu" in english
    assert slides.progress.text() == f"2 of {len(session.content.slides)}"
    unchanged = set(kazakh) & set(english) - {c.display for c in session.content.contacts}
    assert unchanged == set(), unchanged


def test_a_language_switch_renders_the_screen_once_and_no_other(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch) -> None:
    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    window.build_all_screens()
    session.start()
    session.choose_language("kk")
    session.open_slides(1)
    session.pick_language_again()
    renders: list[Screen] = []
    for screen, widget in window.screens.items():
        real = widget.render
        monkeypatch.setattr(widget, "render", lambda state, real=real, screen=screen: (renders.append(screen),
                                                                                        real(state)))
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    assert renders == [Screen.SLIDES]  # the language lives in the visit only: one change, one render
    assert window.screens[Screen.SLIDES].title.text() == session.content.slides[1].title.get("ru")


def test_idle_countdown_then_attract_in_default_language(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, settings="idle_timeout_s: 15\nidle_countdown_s: 3\n")
    window, session = kiosk.window, kiosk.session
    window.idle.idle.setInterval(200)  # the setting's floor is 15 s; the test does not wait that long
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=3000)
    assert session.state.idle_warning and "Вы ещё здесь?" in window.overlay.heading.text()
    tap(qtbot, window.overlay.button)  # "Continue": still here
    assert not window.overlay.isVisible() and session.screen is Screen.MENU
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=3000)
    window.idle.tick.setInterval(50)
    qtbot.waitUntil(lambda: session.screen is Screen.ATTRACT, timeout=3000)
    assert session.language == "kk" and not window.overlay.isVisible()


def test_every_touch_restarts_the_idle_timer(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    tap(qtbot, window.screens[Screen.ATTRACT])
    tap(qtbot, window.screens[Screen.LANGUAGE].buttons["ru"])
    window.idle.idle.start(400)
    for _ in range(6):  # 1.2 s of touches 200 ms apart: three times the timeout, never idle
        qtbot.wait(200)
        tap(qtbot, window.screens[Screen.MENU].heading)
        assert not session.state.idle_warning
    qtbot.waitUntil(lambda: session.state.idle_warning, timeout=2000)  # hands off: the countdown comes


def test_an_exception_in_a_slot_is_logged_and_the_visitor_lands_on_attract(
        qtbot, data_dir: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    install_excepthook(kiosk)
    try:
        kiosk.session.start()
        kiosk.session.choose_language("ru")
        try:
            raise RuntimeError("a bug in a screen")
        except RuntimeError:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
        assert kiosk.session.screen is Screen.ATTRACT
        assert "a bug in a screen" in caplog.text and "Traceback" in caplog.text
    finally:
        sys.excepthook = sys.__excepthook__


def test_kiosk_mode_refuses_escape_and_close(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    kiosk = make_kiosk(qtbot, data_dir)
    window = kiosk.window
    window.enter_kiosk_mode()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.close() is False and window.isVisible()
    assert window.isFullScreen()
    window.allow_close = True


def test_bad_content_keeps_the_last_good_content(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.packs.library import LAST_GOOD

    (content_copy / "slides" / "01-who-we-are.yaml").write_text(
        (content_copy / "slides" / "01-who-we-are.yaml").read_text(encoding="utf-8").replace(
            "id: who-we-are", "id: who-we-are-edited"), encoding="utf-8")
    first = make_kiosk(qtbot, data_dir, content=content_copy)
    assert first.session.content.slides[0].id == "who-we-are-edited"
    assert (data_dir / LAST_GOOD / "manifest.yaml").exists()
    (content_copy / "manifest.yaml").write_text("id: [broken\n", encoding="utf-8")
    second = make_kiosk(qtbot, data_dir, content=content_copy)
    assert second.choice.source == data_dir / LAST_GOOD
    assert "manifest.yaml:1: a bracket [ or { is opened on this line and never closed" in second.choice.fallback_reason
    assert second.session.content.slides[0].id == "who-we-are-edited"
    (data_dir / LAST_GOOD / "manifest.yaml").unlink()
    third = make_kiosk(qtbot, data_dir, content=content_copy)
    assert third.session.content.slides[0].id == "who-we-are"  # the bundled default at worst


def test_the_main_journey_by_touch_gives_one_action_per_touch(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Real touch events from a touchscreen device; Qt also makes mouse events from them, and the
    visitor must never get two actions from one touch."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    finger = QTest.createTouchDevice()
    changes: list[tuple[Screen, int]] = []
    session.changed.connect(lambda old, new: changes.append((new.screen, new.slide)))

    def touch(widget, to: QPoint | None = None) -> None:  # type: ignore[no-untyped-def]
        start = widget.mapTo(window, widget.rect().center())
        QTest.touchEvent(window, finger).press(0, start, window).commit()
        if to is not None:
            for step in (1, 2, 3):
                QTest.touchEvent(window, finger).move(0, start + (to - start) * step / 3, window).commit()
        QTest.touchEvent(window, finger).release(0, to or start, window).commit()
        qtbot.wait(1)  # let the events Qt queues for the touch arrive

    touch(window.screens[Screen.ATTRACT])
    assert session.screen is Screen.LANGUAGE
    touch(window.screens[Screen.LANGUAGE].buttons["kk"])
    assert session.screen is Screen.MENU and session.language == "kk"
    touch(window.menu.items[0][1])
    assert session.screen is Screen.SLIDES and session.state.slide == 0
    slides = window.screens[Screen.SLIDES]
    changes.clear()
    touch(slides.next)
    assert session.state.slide == 1 and changes == [(Screen.SLIDES, 1)]  # one touch, one slide
    changes.clear()
    centre = slides.mapTo(window, slides.rect().center())
    touch(slides, to=centre - QPoint(slides.width() // 3, 0))  # a swipe to the left: the next slide
    assert session.state.slide == 2 and changes == [(Screen.SLIDES, 2)]
    touch(window.quick_exit)
    assert session.screen is Screen.NEUTRAL and not session.state.started
