"""Every setting takes effect at once, without a restart.

Those on the staff screen are changed there, by taps on the real widgets, saved, and then
observed where a visitor meets them: the language picker, the next leaflet (on the printer
chosen, within the new limits), the idle timer. The others, which only the settings file
holds, are changed through the same `SiteConfig` and observed the same way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.core.site.settings import load_settings
from kiosk.core.visit.printer import PrintStatus
from kiosk.core.visit.session import Screen, Visit
from tests.cups_server import CupsServer
from tests.support import need_tool
from tests.ui_helpers import STAFF_PIN, hold_corner, tap, type_pin


def open_settings_tab(qtbot, kiosk, staff):  # type: ignore[no-untyped-def]
    hold_corner(qtbot, kiosk)
    type_pin(qtbot, staff.pad, STAFF_PIN)
    panel = staff.panel
    tap(qtbot, panel.tabs[panel.pages.index(panel.settings)][1])
    return panel.settings


def save_and_leave(qtbot, staff, tab) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, tab.save)
    assert tab.settings_message.text() == staff.t("Settings saved.")
    tap(qtbot, staff.panel.close)


def test_idle_time_changed_by_staff_applies_to_the_next_visit(qtbot, staff_kiosk, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    tab = open_settings_tab(qtbot, kiosk, staff)
    minus, plus = tab.step_buttons["idle_timeout_s"]
    for _ in range(2):
        tap(qtbot, plus)
    assert tab.steppers["idle_timeout_s"][1].text() == "120"
    save_and_leave(qtbot, staff, tab)
    assert load_settings(data_dir / "settings.yaml")[0].idle_timeout_s == 120
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    idle = kiosk.window.idle.idle
    assert idle.isActive() and idle.interval() == 120_000


def test_languages_and_the_default_changed_by_staff_apply_to_the_next_visitor(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    tab = open_settings_tab(qtbot, kiosk, staff)
    tap(qtbot, tab.enabled_buttons["uz"])  # off
    tap(qtbot, tab.default_buttons["ru"])
    save_and_leave(qtbot, staff, tab)
    session, window = kiosk.session, kiosk.window
    assert session.state == Visit(Screen.ATTRACT, "ru")  # the attract loop speaks the new default
    tap(qtbot, window.screens[Screen.ATTRACT])
    picker = window.screens[Screen.LANGUAGE]
    assert [lang for lang, b in picker.buttons.items() if b.isVisible()] == ["kk", "ru", "en"]
    tap(qtbot, picker.buttons["en"])
    session.timeout()
    assert session.state.language == "ru"


def test_paper_limits_changed_by_staff_apply_to_the_next_tap(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    session, window = kiosk.session, kiosk.window
    tab = open_settings_tab(qtbot, kiosk, staff)
    tap(qtbot, tab.step_buttons["prints_per_visit"][0])  # 1 -> 0: no printing at all
    save_and_leave(qtbot, staff, tab)
    session.jump(Visit(Screen.LEAFLET, "kk", started=True))
    leaflet = window.screens[Screen.LEAFLET]
    assert not leaflet.print_button.isVisible()

    session.timeout()
    tab = open_settings_tab(qtbot, kiosk, staff)
    for _ in range(3):
        tap(qtbot, tab.step_buttons["prints_per_visit"][1])  # 0 -> 3
    for _ in range(6):
        tap(qtbot, tab.step_buttons["prints_per_hour"][0])  # 30 -> 0
    assert tab.steppers["prints_per_hour"][1].text() == "0"
    save_and_leave(qtbot, staff, tab)
    session.jump(Visit(Screen.LEAFLET, "kk", started=True, printed=2))  # two of three: the visitor may
    assert leaflet.print_button.isVisible()
    tap(qtbot, leaflet.print_button)
    assert session.state.print_status is PrintStatus.LIMIT_REACHED  # ...but not this hour
    assert leaflet.showing_qr


def test_the_printer_chosen_by_staff_prints_the_next_leaflet(qtbot, staff_kiosk, cups: CupsServer) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    session = kiosk.session
    cups.add_pdf_queue("kiosk-second")
    try:
        hold_corner(qtbot, kiosk)
        type_pin(qtbot, staff.pad, STAFF_PIN)
        panel = staff.panel
        tap(qtbot, panel.tabs[panel.pages.index(panel.printer)][1])
        printer_tab = panel.printer
        qtbot.waitUntil(lambda: any("kiosk-second" in b.text() for b in printer_tab.printer_buttons), timeout=5000)
        tap(qtbot, next(b for b in printer_tab.printer_buttons if "kiosk-second" in b.text()))
        assert kiosk.config.settings.printer == "kiosk-second"
        tap(qtbot, panel.close)
        session.start()
        session.choose_language("uz")
        session.open_leaflet()
        before = len(cups.outputs("kiosk-second"))
        tap(qtbot, kiosk.window.screens[Screen.LEAFLET].print_button)
        qtbot.waitUntil(lambda: session.state.print_status is PrintStatus.DONE, timeout=20_000)
        assert len(cups.wait_for_output("kiosk-second", before + 1)) == before + 1
    finally:
        cups.remove_queue("kiosk-second")


def test_settings_only_the_file_holds_apply_at_once_too(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    need_tool("aplay", "alsa-utils")
    kiosk, staff = staff_kiosk
    config, session, window = kiosk.config, kiosk.session, kiosk.window
    session.start()
    session.choose_language("kk")
    session.open_slides()  # every screen that uses a setting exists before it changes
    narrator = window.screens[Screen.SLIDES].narrator
    session.timeout()
    config.replace(dataclasses.replace(config.settings, attract_slide_s=11, staff_idle_s=40, idle_countdown_s=7,
                                       quiz_length=3, narration_player="aplay -q"))
    assert window.screens[Screen.ATTRACT].timer.interval() == 11_000
    assert narrator.command == ["aplay", "-q"]
    session.start()
    session.choose_language("kk")
    session.start_quiz()
    assert session.state.quiz is not None and len(session.state.quiz.questions) == 3
    session.idle_warning()
    assert window.idle.remaining == 7  # the countdown starts from the new length
    session.timeout()
    staff.open_pin_pad()
    assert staff.idle.interval() == 40_000
