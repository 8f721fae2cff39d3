"""The leaflet screen without a printer: proof states, the QR code on the glass, languages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.core.model.content import LANGUAGES
from kiosk.core.model.i18n import I18n
from kiosk.core.visit.printer import PrintStatus
from kiosk.core.visit.session import Screen, Visit
from kiosk.ui.proof import states
from kiosk.ui.screens.leaflet import EXPLAIN, LIMIT, NOT_READY, PREPARING, PRINTING, QR_HINT, LeafletScreen
from tests.support import need_tool
from tests.ui_helpers import make_kiosk, tap

EXPECTED = {
    "Leaflet": (EXPLAIN, False),
    "Leaflet: QR code": (QR_HINT, True),
    "Leaflet: preparing": (PREPARING, False),
    "Leaflet: printing": (PRINTING, False),
    "Leaflet: printer not ready": (NOT_READY, True),
    "Leaflet: limit reached": (LIMIT, True),
}


def test_kiosk_proof_shows_the_leaflet_the_qr_code_and_every_print_message(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    screen = kiosk.window.screens[Screen.LEAFLET]
    i18n = I18n()
    for lang in LANGUAGES:
        seen = []
        for caption, name, go in states(kiosk, lang):
            if caption not in EXPECTED:
                continue
            go()
            QApplication.processEvents()
            message, qr = EXPECTED[caption]
            assert name == "leaflet" and kiosk.session.screen is Screen.LEAFLET
            assert screen.message.text() == i18n.gettext(message, lang) != message or lang == "en"
            assert screen.showing_qr is qr
            seen.append(caption)
        assert seen == list(EXPECTED), lang


def test_the_qr_code_on_the_screen_dials_the_number(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_tool("zbarimg", "zbar-tools")
    kiosk = make_kiosk(qtbot, data_dir, size=(1366, 768))
    kiosk.session.jump(Visit(Screen.LEAFLET, "kk", started=True))
    screen = kiosk.window.screens[Screen.LEAFLET]
    tap(qtbot, screen.qr_button)
    assert screen.showing_qr
    QApplication.processEvents()
    kiosk.window.grab().save(str(tmp_path / "qr.png"))
    found = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert found.stdout.split() == ["tel:+77252216152"]


def test_the_print_message_follows_a_language_switch(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    kiosk.session.jump(Visit(Screen.LEAFLET, "ru", started=True, print_status=PrintStatus.PRINTER_STOPPED, qr=True))
    screen = kiosk.window.screens[Screen.LEAFLET]
    assert isinstance(screen, LeafletScreen)
    assert screen.message.text() == I18n().gettext(NOT_READY, "ru")
    kiosk.session.pick_language_again()  # the language button, in the middle of the visit
    kiosk.session.choose_language("kk")
    assert kiosk.session.screen is Screen.LEAFLET
    QApplication.processEvents()
    assert screen.message.text() == I18n().gettext(NOT_READY, "kk")
    assert screen.print_button.text() == I18n().gettext("Print the leaflet", "kk")


def test_leaving_forgets_the_message_and_the_qr_code(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    kiosk.session.jump(Visit(Screen.LEAFLET, "uz", started=True, printed=1))  # this visitor had their leaflet
    screen = kiosk.window.screens[Screen.LEAFLET]
    tap(qtbot, screen.print_button)
    assert screen.status is PrintStatus.LIMIT_REACHED and screen.showing_qr
    assert screen.message.text() == I18n().gettext(LIMIT, "uz")
    kiosk.session.quick_exit()
    kiosk.session.jump(Visit(Screen.LEAFLET, "en", started=True))
    assert not screen.showing_qr and screen.status is None
    assert screen.message.text() == EXPLAIN


def test_no_print_button_where_printing_is_switched_off(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, settings="prints_per_visit: 0\n")
    kiosk.session.jump(Visit(Screen.LEAFLET, "ru", started=True))
    screen = kiosk.window.screens[Screen.LEAFLET]
    assert not screen.print_button.isVisible()
    tap(qtbot, screen.qr_button)
    assert screen.showing_qr


def test_the_menu_offers_the_leaflet(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.ui_helpers import button_with_text

    kiosk = make_kiosk(qtbot, data_dir)
    kiosk.session.jump(Visit(Screen.MENU, "kk", started=True))
    tap(qtbot, button_with_text(kiosk.window, I18n().gettext("Take the number with you", "kk")))
    assert kiosk.session.screen is Screen.LEAFLET
    assert kiosk.window.screens[Screen.LEAFLET].preview.isVisible()
