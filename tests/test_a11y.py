"""Large text and high contrast for visitors, and touch targets measured in millimetres.

Every visitor screen, in each state the proof walks (`kiosk.ui.proof.states`), in kk, ru, uz and
en, with large text off and on, on the four screens the kiosk is installed on, each given its
physical size (offscreen Qt reports a made-up 100 dpi): no text cut, every button at least
15 mm by 15 mm, at least 3 mm between any two buttons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.core.model.content import LANGUAGES
from kiosk.core.visit.session import Screen, Session, Visit
from kiosk.ui.proof import states
from kiosk.ui.theme import HIGH_CONTRAST, LARGE_TEXT_SCALE, NORMAL, Palette, contrast_ratio, dpi_from_diagonal
from kiosk.ui.widgets import FitLabel, IconButton
from tests.support import default_content
from tests.ui_helpers import make_kiosk, tap

# The screens of the guide: pixels and the visible diagonal in inches.
SCREENS = [((1920, 1080), 21.5), ((1366, 768), 15.6), ((1280, 1024), 17.0), ((1080, 1920), 21.5)]
MIN_TARGET_MM = 15.0
MIN_GAP_MM = 3.0


# -- the visit holds it, and every wipe clears it -------------------------------------------------
def visiting(session: Session, large: bool = True) -> None:
    session.start()
    session.choose_language("kk")
    if large:
        session.toggle_large_text()
    assert session.state.large_text is large


def test_large_text_lasts_for_the_visit() -> None:
    session = Session(default_content())
    visiting(session)
    session.open_slides(0)
    session.next_slide()
    session.start_quiz()
    session.back()
    session.pick_language_again()
    session.choose_language("ru")
    assert session.state.large_text is True
    session.toggle_large_text()
    assert session.state.large_text is False


@pytest.mark.parametrize("wipe", ["quick_exit", "timeout", "back", "enter_staff", "recover"])
def test_every_wipe_clears_large_text(wipe: str) -> None:
    session = Session(default_content())
    visiting(session)
    if wipe == "back":  # the end of a visit by its own buttons: back to the language picker, then out
        session.back()
        assert session.screen is Screen.LANGUAGE
    getattr(session, wipe)()
    assert session.state.large_text is False
    assert session.state == Visit(session.screen, session.default_language)


def test_no_large_text_where_there_is_no_visit_or_on_the_neutral_screen() -> None:
    session = Session(default_content())
    session.toggle_large_text()  # the attract loop: no visit to hold it, the next visitor would inherit it
    assert session.state.large_text is False
    visiting(session)
    session.quick_exit()
    session.toggle_large_text()
    assert session.screen is Screen.NEUTRAL and session.state.large_text is False


def test_the_toggle_in_the_top_bar_enlarges_the_text_and_a_quick_exit_undoes_it(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir)
    window, session = kiosk.window, kiosk.session
    assert not window.large_text.isVisible()  # attract loop
    tap(qtbot, window.screens[Screen.ATTRACT])
    assert window.large_text.isVisible()  # the language picker: the visit begins
    session.choose_language("uz")
    menu = window.screens[Screen.MENU]
    heading_px, button_px = menu.heading.max_px, menu.items[0][1].font().pixelSize()
    assert "Aa" in window.large_text.text() and window.large_text.accessibleName() == "Yirik matn va yuqori kontrast"
    tap(qtbot, window.large_text)
    assert session.state.large_text and window.theme.large and window.large_text.isChecked()
    assert menu.heading.max_px == round(heading_px * LARGE_TEXT_SCALE)
    assert menu.items[0][1].font().pixelSize() == window.theme.mm(7 * LARGE_TEXT_SCALE)
    assert menu.items[0][1].font().pixelSize() > button_px * 1.3
    assert HIGH_CONTRAST.paper in window.styleSheet()
    # a screen built (or shown) while it is on is large too
    tap(qtbot, menu.items[0][1])
    slides = window.screens[Screen.SLIDES]
    assert slides.title.scale == LARGE_TEXT_SCALE
    tap(qtbot, window.quick_exit)
    assert session.screen is Screen.NEUTRAL and not window.theme.large
    assert not window.large_text.isVisible()  # the neutral screen shows nothing of the kiosk's own
    neutral = window.screens[Screen.NEUTRAL]
    assert neutral.title.scale == 1.0 and NORMAL.paper in window.styleSheet()
    tap(qtbot, neutral.home)
    tap(qtbot, window.screens[Screen.ATTRACT])
    session.choose_language("uz")
    assert menu.heading.max_px == heading_px and menu.items[0][1].font().pixelSize() == button_px


# -- contrast -------------------------------------------------------------------------------------
def text_pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """Every text colour on the background it is shown on (foreground, background)."""
    return {
        "text": (p.ink, p.paper), "muted text": (p.muted, p.paper),
        "main button": ("#ffffff", p.accent), "main button pressed": ("#ffffff", p.accent_pressed),
        "secondary button": (p.secondary_ink, "#ffffff"), "quick exit": ("#ffffff", p.exit),
        "contact bar": ("#ffffff", p.bar), "right answer": ("#ffffff", p.right), "wrong answer": ("#ffffff", p.wrong),
        "verdict right": (p.right, p.paper), "verdict wrong": (p.wrong, p.paper),
        "disabled button": (p.disabled_ink, p.disabled), "phone number": (p.number, p.paper),
        "print fault": (p.ink, p.fault[0]), "print ok": (p.ink, p.ok[0]),
        "large text on (checked)": ("#ffffff", p.ink if p is HIGH_CONTRAST else p.accent_pressed),
        "idle card": (p.ink, "#ffffff"),
    }


def test_the_ratio_is_measured_as_wcag_says() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_high_contrast_text_is_at_least_7_to_1() -> None:
    ratios = {name: contrast_ratio(*pair) for name, pair in text_pairs(HIGH_CONTRAST).items()}
    print("\nhigh contrast:", ", ".join(f"{k} {v:.1f}" for k, v in sorted(ratios.items(), key=lambda kv: kv[1])))
    print("normal:", ", ".join(f"{k} {contrast_ratio(*v):.1f}" for k, v in text_pairs(NORMAL).items()))
    assert {k: round(v, 2) for k, v in ratios.items() if v < 7.0} == {}


# -- nothing clipped, targets big enough ----------------------------------------------------------
def label_problem(label: QLabel) -> str | None:
    if isinstance(label, FitLabel):
        return None if label.fits() else f"text does not fit ({label.width()}x{label.height()})"
    box = label.contentsRect()
    metrics = QFontMetrics(label.font())
    # as QLabel measures itself: the horizontal alignment (a vertical one only moves the text)
    flags = (int(label.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask) | int(Qt.AlignmentFlag.AlignTop)
             | (int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0))
    need = metrics.boundingRect(QRect(0, 0, box.width(), 100_000), flags, label.text())
    widest = max((metrics.horizontalAdvance(w) for w in label.text().split()), default=0)
    if need.height() > box.height() or need.width() > box.width() or widest > box.width():
        return f"text needs {need.width()}x{need.height()} px, has {box.width()}x{box.height()}"
    return None


def button_problem(button: QPushButton, padding: int) -> str | None:
    if not button.text():
        return None  # the answer buttons: their text is in a FitLabel inside
    metrics = QFontMetrics(button.font())
    lines = button.text().split("\n")
    icon = button.iconSize().width() if not button.icon().isNull() else 0
    need_w = max(metrics.horizontalAdvance(line) for line in lines) + icon + 2 * padding
    need_h = max(metrics.height() * len(lines), button.iconSize().height() if icon else 0)
    if need_w > button.width() or need_h > button.height():
        return f"text needs {need_w}x{need_h} px with its padding, has {button.width()}x{button.height()}"
    return None


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def gap_px(a: QRect, b: QRect) -> float:
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return math.hypot(dx, dy)


@dataclass
class Smallest:
    target: tuple[float, str] = (1e9, "")
    gap: tuple[float, str] = (1e9, "")
    checked: int = 0
    failures: list[str] = field(default_factory=list)


def check_screen(window, where: str, px_per_mm: float, found: Smallest) -> None:  # type: ignore[no-untyped-def]
    padding = window.theme.mm(4)
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text() and (problem := label_problem(label)):
            found.failures.append(f"{where}: label {label.text()[:50]!r}: {problem}")
    overlay = window.idle.overlay if window.idle.overlay_shown() else None
    buttons = [b for b in window.findChildren(QPushButton) if b.isVisible()
               and (overlay is None or overlay.isAncestorOf(b))]  # under the countdown: covered
    for button in buttons:
        if problem := button_problem(button, padding):
            found.failures.append(f"{where}: button {button.text()!r}: {problem}")
    rects = [(b.text().replace("\n", " ") or b.__class__.__name__, rect_in(b, window)) for b in buttons]
    for name, rect in rects:
        w_mm, h_mm = rect.width() / px_per_mm, rect.height() / px_per_mm
        found.target = min(found.target, (min(w_mm, h_mm), f"{name!r} {w_mm:.1f}x{h_mm:.1f} mm ({where})"))
        if w_mm < MIN_TARGET_MM or h_mm < MIN_TARGET_MM:
            found.failures.append(f"{where}: button {name!r} is {w_mm:.1f} x {h_mm:.1f} mm, under {MIN_TARGET_MM} mm")
    for i, (name_a, a) in enumerate(rects):
        for name_b, b in rects[i + 1:]:
            mm = gap_px(a, b) / px_per_mm
            found.gap = min(found.gap, (mm, f"{name_a!r} / {name_b!r} ({where})"))
            if mm < MIN_GAP_MM:
                found.failures.append(f"{where}: {mm:.1f} mm between {name_a!r} and {name_b!r}, under {MIN_GAP_MM} mm")
    found.checked += 1


@pytest.mark.parametrize(("size", "diagonal"), SCREENS, ids=[f"{w}x{h}-{d}in" for (w, h), d in SCREENS])
def test_no_text_clipped_and_targets_measured_in_millimetres(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                             size: tuple[int, int], diagonal: float) -> None:
    kiosk = make_kiosk(qtbot, data_dir, size=size, settings=f"screen_diagonal_in: {diagonal}\n")
    window = kiosk.window
    window.build_all_screens()  # so that the walk includes every screen's own states (quiz, leaflet)
    assert (window.width(), window.height()) == size
    px_per_mm = dpi_from_diagonal(diagonal, size) / 25.4
    assert window.theme.dpi == pytest.approx(px_per_mm * 25.4)  # the layout follows the real screen
    results = {}
    for large in (False, True):
        found = Smallest()
        for lang in LANGUAGES:
            for caption, _screen, go in states(kiosk, lang, large_text=large):
                go()
                # Twice: a word-wrapped label whose text changed gets its new height in a second
                # pass of the layout (the contact bar on the first screen in a new language).
                QApplication.processEvents()
                QApplication.processEvents()
                assert window.theme.large is (large and kiosk.session.screen not in (Screen.ATTRACT, Screen.NEUTRAL))
                check_screen(window, f"{size[0]}x{size[1]} {lang} {caption}", px_per_mm, found)
        results[large] = found
        print(f"\n{size[0]}x{size[1]} {diagonal}\" large text {'on' if large else 'off'}: {found.checked} states;"
              f" smallest target {found.target[0]:.1f} mm: {found.target[1]};"
              f" narrowest gap {found.gap[0]:.1f} mm: {found.gap[1]}")
        assert found.checked >= 4 * 40
    failures = results[False].failures + results[True].failures
    assert failures == [], "\n".join(failures[:60]) + f"\n... {len(failures)} in all"


def test_the_menu_buttons_have_sharp_icons_at_any_size(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(qtbot, data_dir, size=(1366, 768))
    kiosk.session.jump(Visit(Screen.MENU, "kk", started=True))
    menu = kiosk.window.screens[Screen.MENU]
    buttons = [b for _l, b, _a in menu.items] + [menu.language]
    assert all(isinstance(b, IconButton) and not b.icon().isNull() for b in buttons)
    small = buttons[0].icon().pixmap(buttons[0].iconSize()).toImage()
    kiosk.session.jump(Visit(Screen.MENU, "kk", started=True, large_text=True))
    large = buttons[0].icon().pixmap(buttons[0].iconSize()).toImage()
    # drawn anew from the SVG for the larger size (not a small picture blown up)
    assert large.height() == round(small.height() * LARGE_TEXT_SCALE)
    edge = {large.pixelColor(x, y).alpha() for x in range(large.width()) for y in range(large.height())}
    assert 255 in edge and 0 in edge  # solid lines on a clear ground


def test_a_target_too_small_or_too_close_is_named_with_its_size(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The check above can fail: the same kiosk measured as if its screen were twice as dense
    (a 15.6" 1366x768 layout shown on a panel half the size) has every button under 15 mm."""
    kiosk = make_kiosk(qtbot, data_dir, size=(1366, 768), settings="screen_diagonal_in: 15.6\n")
    kiosk.session.jump(Visit(Screen.MENU, "kk", started=True))
    QApplication.processEvents()
    found = Smallest()
    px_per_mm = 2 * dpi_from_diagonal(15.6, (1366, 768)) / 25.4
    check_screen(kiosk.window, "1366x768 kk Menu", px_per_mm, found)
    assert any("1366x768 kk Menu: button '← Артқа' is" in f and "under 15.0 mm" in f for f in found.failures), found
    assert any("mm between" in f and "under 3.0 mm" in f for f in found.failures), found.failures


def test_the_screen_size_setting_gives_the_pixels_per_millimetre(tmp_path: Path) -> None:
    from kiosk.core.site.settings import load_settings
    from kiosk.ui.theme import screen_dpi

    assert dpi_from_diagonal(21.5, (1920, 1080)) == pytest.approx(102.46, abs=0.01)
    assert dpi_from_diagonal(15.6, (1366, 768)) == pytest.approx(100.45, abs=0.01)
    assert dpi_from_diagonal(17.0, (1280, 1024)) == pytest.approx(96.42, abs=0.01)
    assert dpi_from_diagonal(21.5, (1080, 1920)) == dpi_from_diagonal(21.5, (1920, 1080))
    assert screen_dpi(0.0, (1920, 1080)) is None  # not set: the screen's own report
    path = tmp_path / "settings.yaml"
    path.write_text("screen_diagonal_in: 21.5\n", encoding="utf-8")
    assert load_settings(path)[0].screen_diagonal_in == 21.5
    for bad, why in (("'big'", "should be a number"), ("3", "a number from 7 to 110"), ("true", "should be a number")):
        path.write_text(f"screen_diagonal_in: {bad}\n", encoding="utf-8")
        settings, problems = load_settings(path)
        assert settings.screen_diagonal_in == 0.0 and any(why in str(p) for p in problems.items), problems.items


def test_a_missing_icon_leaves_the_button_working(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    button = IconButton(tmp_path / "gone.svg", 40)
    qtbot.addWidget(button)
    assert button.icon().isNull()
    with qtbot.waitSignal(button.clicked, timeout=1000):
        button.click()
