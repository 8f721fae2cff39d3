"""Staff mode by taps on the real widgets: the hidden gesture, the PIN pad, the lock, the
figures, the settings and the statistics export."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from kiosk.app import RESTART_CODE as APP_RESTART_CODE
from kiosk.app import install_staff_mode
from kiosk.core.site.settings import load_settings
from kiosk.core.visit.session import Screen
from kiosk.ui.staff import RESTART_CODE
from tests.ui_helpers import button_with_text, hold_corner, make_kiosk, showing, tap, type_pin


def test_a_short_press_or_a_press_elsewhere_does_not_open_staff_mode(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    window = kiosk.window
    # A short press: released before the event loop runs again, so a loaded machine cannot stretch it
    # past the hold time (a qtbot.wait(100) here opened staff mode under load).
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.wait(500)
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(600, 300))
    qtbot.wait(500)
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(600, 300))
    assert not staff.active and staff.pad is None


def test_gesture_then_pin_opens_the_staff_screen_and_idle_closes_it(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    kiosk.session.start()
    kiosk.session.choose_language("ru")
    hold_corner(qtbot, kiosk)
    assert staff.active and showing(kiosk, staff.pad)
    assert kiosk.session.screen is Screen.STAFF and not kiosk.session.state.started  # the visit is gone
    assert not kiosk.window.contact_bar.isVisible()
    type_pin(qtbot, staff.pad, "1111")
    assert "4" in staff.pad.message.text()  # tries left
    type_pin(qtbot, staff.pad, "2468")
    assert showing(kiosk, staff.panel)
    kiosk.config.replace(dataclasses.replace(kiosk.config.settings, staff_idle_s=0.2))  # in force at once
    tap(qtbot, staff.panel.close)  # closes; and the idle timer also closes on its own:
    assert not staff.active and kiosk.window.contact_bar.isVisible()
    hold_corner(qtbot, kiosk)
    type_pin(qtbot, staff.pad, "2468")
    qtbot.waitUntil(lambda: not staff.active, timeout=3000)
    assert kiosk.session.screen is Screen.ATTRACT


def test_five_wrong_pins_lock_and_the_lock_survives_a_restart(qtbot, staff_kiosk, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    hold_corner(qtbot, kiosk)
    for _ in range(5):
        type_pin(qtbot, staff.pad, "0000")
    assert staff.pad.message.text() == "Қате PIN тым көп. 5 мин кейін қайталаңыз."  # staff language: the default
    type_pin(qtbot, staff.pad, "2468")  # even the right PIN is refused while locked
    assert showing(kiosk, staff.pad)
    again = make_kiosk(qtbot, data_dir)  # a restart: new objects, same data folder
    staff2 = install_staff_mode(again)
    staff2.open_pin_pad()
    type_pin(qtbot, staff2.pad, "2468")
    assert showing(again, staff2.pad) and "5 мин" in staff2.pad.message.text()


def test_no_pin_set_means_staff_mode_is_closed(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    staff = install_staff_mode(kiosk)
    staff.open_pin_pad()
    assert "kiosk set-pin" in staff.pad.message.text()
    type_pin(qtbot, staff.pad, "1234")
    assert showing(kiosk, staff.pad)


def test_figures_settings_and_export_by_taps(qtbot, staff_kiosk, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    session = kiosk.session
    for lang in ("ru", "ru", "kk"):
        session.start()
        session.choose_language(lang)
        session.open_slides()
        session.timeout()
    hold_corner(qtbot, kiosk)
    type_pin(qtbot, staff.pad, "2468")
    panel = staff.panel
    tap(qtbot, panel.language_buttons["ru"])
    assert panel.figures.figure_labels["Visits"][0].text() == "Посещения"
    assert panel.figures.figure_labels["Visits"][1].text() == "3"
    assert "Русский: 2" in panel.figures.by_language.text() and "Қазақша: 1" in panel.figures.by_language.text()
    # settings: idle timeout up by 15 s, Uzbek off, saved to the file and applied at once
    tap(qtbot, panel.tabs[panel.pages.index(panel.settings)][1])
    tap(qtbot, button_with_text(panel, "+"))
    tap(qtbot, panel.settings.enabled_buttons["uz"])
    tap(qtbot, panel.settings.save)
    saved = load_settings(data_dir / "settings.yaml")[0]
    assert saved.idle_timeout_s == 105 and "uz" not in saved.languages
    assert saved.staff_pin  # the PIN hash is kept
    assert "uz" not in session.languages and kiosk.window.idle.idle.interval() == 105_000
    # statistics to a folder: CSV with the documented header, and the PDF report
    export = tmp_path / "usb"
    tap(qtbot, panel.tabs[panel.pages.index(panel.data)][1])
    staff.export_folders = lambda: [export]  # the USB stick the clerk plugged in
    panel.refresh()
    tap(qtbot, panel.data.export_buttons[0][1])
    files = sorted(p.name for p in export.iterdir())
    assert any(f.endswith(".csv") for f in files) and any(f.endswith(".pdf") for f in files), files
    with (export / next(f for f in files if f.endswith(".csv"))).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["visits"]) for r in rows) == 3 and {r["language"] for r in rows} == {"ru", "kk"}


def test_exit_from_the_staff_screen_quits_with_code_zero(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    codes: list[int] = []
    staff.quit = codes.append
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, "2468")
    tap(qtbot, staff.panel.tabs[staff.panel.pages.index(staff.panel.data)][1])
    tap(qtbot, staff.panel.data.exit)
    tap(qtbot, staff.panel.data.restart)
    assert codes == [0, RESTART_CODE] and kiosk.window.allow_close
    assert RESTART_CODE == APP_RESTART_CODE  # the window's code is the one kiosk/app.py runs itself again on


def test_staff_prints_a_test_page_and_a_stack_on_the_real_queue(qtbot, staff_kiosk, cups, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk, staff = staff_kiosk
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, "2468")
    panel = staff.panel
    tap(qtbot, panel.language_buttons["en"])
    tap(qtbot, panel.tabs[1][1])
    printer = panel.printer
    qtbot.waitUntil(lambda: bool(printer.printer_buttons), timeout=5000)  # lpstat -e answered
    tap(qtbot, button_with_text(panel, "Use kiosk-pdf"))
    assert load_settings(data_dir / "settings.yaml")[0].printer == "kiosk-pdf"
    tap(qtbot, printer.test)
    qtbot.waitUntil(lambda: printer.job is not None and printer.job.job_id is not None, timeout=10_000)
    pages = cups.wait_for_output("kiosk-pdf", 1, timeout_s=30)
    assert pages, cups.log_tail()
    qtbot.waitUntil(lambda: "done" in printer.status.text() or "printing" in printer.status.text(), timeout=5000)
    tap(qtbot, printer.minus)  # 10 -> 5
    tap(qtbot, printer.language_buttons["kk"])
    qtbot.waitUntil(lambda: len(cups.job_ids("kiosk-pdf")) >= 2, timeout=10_000)
    kiosk.stats.flush()
    assert kiosk.stats.figures(1).leaflets_printed == 5


def test_a_pin_set_while_the_kiosk_runs_opens_staff_mode_at_once(qtbot, staff_kiosk, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch, capsys) -> None:
    import io
    import sys

    from kiosk.cli import main

    kiosk, staff = staff_kiosk
    kiosk.config.update(idle_timeout_s=60)  # the running kiosk has saved a setting of its own
    monkeypatch.setattr(sys, "stdin", io.StringIO("7305\n"))
    assert main(["set-pin", "--pin-stdin", "--data-dir", str(data_dir)]) == 0  # the command, the kiosk running
    assert "works at once" in capsys.readouterr().out
    hold_corner(qtbot, kiosk)
    type_pin(qtbot, staff.pad, "2468")  # the old PIN no longer opens
    assert showing(kiosk, staff.pad) and "4" in staff.pad.message.text()
    type_pin(qtbot, staff.pad, "7305")
    assert showing(kiosk, staff.panel)
    # Saving the settings in staff mode keeps the new PIN (the kiosk does not write its old one back).
    tap(qtbot, staff.panel.tabs[staff.panel.pages.index(staff.panel.settings)][1])
    tap(qtbot, staff.panel.settings.save)
    saved = load_settings(data_dir / "settings.yaml")[0]
    assert saved.idle_timeout_s == 60
    from kiosk.core.staff.pin import verify_pin

    assert verify_pin("7305", saved.staff_pin)
    tap(qtbot, staff.panel.close)
    # set-pin while the PIN pad is already up: the next PIN typed is checked against the new one.
    hold_corner(qtbot, kiosk)
    monkeypatch.setattr(sys, "stdin", io.StringIO("918273\n"))
    assert main(["set-pin", "--pin-stdin", "--data-dir", str(data_dir)]) == 0
    type_pin(qtbot, staff.pad, "7305")
    assert showing(kiosk, staff.pad)
    type_pin(qtbot, staff.pad, "918273")
    assert showing(kiosk, staff.panel)


def test_a_removed_pin_closes_staff_mode_at_once(qtbot, staff_kiosk, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.cli import main

    kiosk, staff = staff_kiosk
    assert main(["set-pin", "--remove", "--data-dir", str(data_dir)]) == 0
    hold_corner(qtbot, kiosk)
    assert "kiosk set-pin" in staff.pad.message.text()
    type_pin(qtbot, staff.pad, "2468")
    assert showing(kiosk, staff.pad)
