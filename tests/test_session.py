"""The visitor's journey in the Qt-free core."""

from __future__ import annotations

import pytest

from kiosk.core.site.config import SiteConfig
from kiosk.core.site.settings import Settings
from kiosk.core.visit.session import Screen, Session, Visit
from tests.support import RecordingStats, default_content


@pytest.fixture
def content():  # type: ignore[no-untyped-def]
    return default_content()


@pytest.fixture
def session(content) -> Session:  # type: ignore[no-untyped-def]
    return Session(content, SiteConfig(Settings(languages=("kk", "ru", "uz", "en"), default_language="kk")), RecordingStats())


def test_a_visit_from_touch_to_slides(session: Session) -> None:
    seen: list[Screen] = []
    session.changed.connect(lambda old, new: seen.append(new.screen))
    session.start()
    session.choose_language("ru")
    session.open_slides()
    session.next_slide()
    session.previous_slide()
    assert seen == [Screen.LANGUAGE, Screen.MENU, Screen.SLIDES, Screen.SLIDES, Screen.SLIDES]
    assert session.language == "ru"
    assert session.stats.events[0] == ("visit", "ru", "", 1)  # type: ignore[attr-defined]
    assert [e[2] for e in session.stats.events[1:]] == ["who-we-are", "offer", "who-we-are"]  # type: ignore[attr-defined]


def test_last_slide_forward_returns_to_menu(session: Session) -> None:
    session.start()
    session.choose_language("en")
    session.open_slides(len(session.content.slides) - 1)
    session.next_slide()
    assert session.screen is Screen.MENU


def test_quick_exit_wipes_everything_and_shows_the_neutral_screen(session: Session) -> None:
    wiped: list[str] = []
    session.wiped.connect(wiped.append)
    session.start()
    session.choose_language("uz")
    session.open_slides(3)
    session.quick_exit()
    assert session.state == Visit(Screen.NEUTRAL, "kk")
    assert wiped == ["quick_exit"]
    session.back()
    assert session.state == Visit(Screen.ATTRACT, "kk")


def test_idle_warning_then_timeout_returns_to_attract_in_default_language(session: Session) -> None:
    session.start()
    session.choose_language("ru")
    session.idle_warning()
    assert session.state.idle_warning
    session.still_here()
    assert not session.state.idle_warning and session.screen is Screen.MENU
    session.idle_warning()
    session.timeout()
    assert session.state == Visit(Screen.ATTRACT, "kk")


def test_language_switch_mid_visit_keeps_the_screen_and_counts_once(session: Session) -> None:
    languages: list[str] = []
    session.changed.connect(lambda old, new: new.language != old.language and languages.append(new.language))
    session.start()
    session.choose_language("ru")
    session.open_slides(2)
    session.pick_language_again()
    session.choose_language("kk")
    assert languages == ["ru", "kk"]
    kinds = [e[0] for e in session.stats.events]  # type: ignore[attr-defined]
    assert kinds.count("visit") == 1 and kinds.count("language_switch") == 1


def test_back_walks_up_and_attract_ignores_timeouts(session: Session) -> None:
    session.start()
    session.back()
    assert session.screen is Screen.ATTRACT
    changes: list[object] = []
    session.changed.connect(lambda old, new: changes.append(new))
    session.timeout()
    session.idle_warning()
    assert changes == []


def test_unknown_language_is_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        session.choose_language("de")


def test_statistics_never_carry_a_visitor_identity(session: Session) -> None:
    session.start()
    session.choose_language("ru")
    session.open_slides()
    session.quick_exit()
    for _kind, language, key, value in session.stats.events:  # type: ignore[attr-defined]
        assert isinstance(value, int) and language in ("kk", "ru", "uz", "en")
        assert key in {"", *(s.id for s in session.content.slides)}


def test_back_from_the_language_picker_in_a_visit_ends_the_visit(session: Session) -> None:
    """Found by the long monkey run: menu, back to the picker, back again reached the attract loop
    with the visitor's language and the visit still going."""
    session.start()
    session.choose_language("uz")
    session.back()  # the menu's back: to the picker
    assert session.screen is Screen.LANGUAGE and session.state.resume is None
    session.back()
    assert session.state == Visit(Screen.ATTRACT, "kk")  # wiped, in the default language
