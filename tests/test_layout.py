"""Every visitor screen, in every language, at the four screen sizes: nothing clipped,
buttons big enough to touch. Walks the same states as `kiosk proof`."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.core.model.content import LANGUAGES
from kiosk.ui.proof import states
from kiosk.ui.widgets import FitLabel, text_fits
from tests.ui_helpers import SIZES, make_kiosk


def problems_on_screen(window, theme) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    for label in window.findChildren(FitLabel):
        if label.isVisible() and label.text() and not label.fits():
            found.append(f"text does not fit ({label.width()}x{label.height()}): {label.text()[:60]!r}")
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text() and not isinstance(label, FitLabel) and not label.wordWrap():
            if label.sizeHint().width() > label.width() + 1:
                found.append(f"label cut off: {label.text()!r} needs {label.sizeHint().width()} px, has {label.width()}")
    for button in window.findChildren(QPushButton):
        if not button.isVisible():
            continue
        if not text_fits(button):
            found.append(f"button text cut off: {button.text()!r} ({button.width()}x{button.height()})")
        if button.height() < theme.mm(15):
            found.append(f"button {button.text()!r} is {button.height()} px tall, under 15 mm ({theme.mm(15)} px)")
        if not window.rect().contains(button.mapTo(window, button.rect().bottomRight())):
            found.append(f"button {button.text()!r} is outside the window")
    return found


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_text_clipped_and_buttons_big_enough(qtbot, data_dir: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, size=size)
    window = kiosk.window
    window.build_all_screens()  # else the walk misses the states of the screens not built yet (quiz, leaflet)
    assert (window.width(), window.height()) == size
    failures: list[str] = []
    checked = 0
    for lang in LANGUAGES:
        for caption, _screen, go in states(kiosk, lang):
            go()
            QApplication.processEvents()
            failures += [f"{lang} {caption}: {p}" for p in problems_on_screen(window, kiosk.window.theme)]
            checked += 1
    assert checked >= 4 * 60
    assert failures == []


def test_main_buttons_are_sized_in_millimetres_from_the_screen_dpi() -> None:
    from kiosk.ui.theme import Theme

    assert Theme(dpi=96).mm(15) == 57
    assert Theme(dpi=192).mm(15) == 113
    assert Theme(dpi=0).dpi == 96  # a screen that reports nothing
    assert Theme(dpi=96).button_height >= Theme(dpi=96).mm(15)


def test_an_overlong_translation_is_caught(qtbot, data_dir: Path, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    path = content_copy / "slides" / "04-passport.yaml"
    text = path.read_text(encoding="utf-8")
    long_body = " ".join(["Паспортыңызды"] * 120)
    path.write_text(text.replace('  kk: "Паспортыңызды', f'  kk: "{long_body} ', 1), encoding="utf-8")
    kiosk = make_kiosk(qtbot, data_dir, size=(1366, 768), content=content_copy)
    index = next(i for i, s in enumerate(kiosk.session.content.slides) if s.id == "passport")
    from kiosk.core.visit.session import Screen, Visit

    kiosk.session.jump(Visit(Screen.SLIDES, "kk", slide=index, started=True))
    QApplication.processEvents()
    found = problems_on_screen(kiosk.window, kiosk.window.theme)
    assert any("text does not fit" in p and "Паспортыңызды" in p for p in found), found


@pytest.mark.parametrize("size", [(1024, 600), (800, 600)], ids=["1024x600", "800x600"])
def test_a_small_old_screen_keeps_the_window_and_the_numbers_on_it(qtbot, qtlog, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                   size: tuple[int, int]) -> None:
    """Below the four supported sizes text may get small, but the window never outgrows the
    screen (its minimum would push the contact bar off the bottom) and sends no size hints."""
    kiosk = make_kiosk(qtbot, data_dir, size=size)
    window = kiosk.window
    for caption, _screen, go in states(kiosk, "ru"):
        go()
        QApplication.processEvents()
        assert (window.width(), window.height()) == size, caption
        if window.contact_bar.isVisible():
            assert window.contact_bar.geometry().bottom() < size[1], caption
    assert window.minimumSize().height() <= size[1]
    assert [r.message for r in qtlog.records if "propagateSizeHints" in r.message] == []
