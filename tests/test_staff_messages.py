"""The staff screen says content problems and refused updates in the staff language: the Content
tab's warnings, and the first error of an update whose content is broken, on the Updates tab."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.packs.packs import install
from kiosk.core.packs.updates import Updates
from kiosk.ui.staff.updates import U_KEPT
from tests.pack_helpers import good_pack, raw_pack
from tests.support import content_copy
from tests.test_staff_updates import make_tab
from tests.ui_helpers import STAFF_PIN, open_staff_kiosk, tap, type_pin

# Words that may stay in Latin letters on a Kazakh or Russian staff screen: names, keys, codes.
NAMES = {"PIN", "YAML", "id", "kk", "ru", "uz", "en", "status", "documented", "verified_on", "egov", "kz",
         "sanasezim", "org", "eng", "node", "USB", "NGO", "sana", "sezim", "shymkent",  # the content id
         "No", "false"}  # what the author wrote, and what YAML made of it


def latin_words(text: str) -> set[str]:
    """Latin words outside file names, quoted names and the contacts' own ids and sources."""
    text = re.sub(r"\S+\.(yaml|svg|kpack)(:\d+)?|/\S*", " ", text)  # file names and folder paths
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|«[^»\n]*»|\([a-z0-9-]+\)", " ", text)
    text = re.sub(r"\(source[^)]*\)|Printed in .*?sources|news reports .*?2023", " ", text)
    return set(re.findall(r"[A-Za-z_]{2,}", text)) - NAMES


@pytest.mark.parametrize("lang", ["kk", "ru", "uz", "en"])
def test_the_content_tab_lists_the_warnings_in_the_staff_language(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  lang: str) -> None:
    kiosk, staff = open_staff_kiosk(qtbot, data_dir)
    kiosk.window.resize(1366, 768)
    staff.open_pin_pad()
    type_pin(qtbot, staff.pad, STAFF_PIN)
    tap(qtbot, staff.panel.language_buttons[lang])
    tab = staff.panel.content
    tap(qtbot, next(button for _name, button in staff.panel.tabs if button.text() == staff.t("Content")))
    shown = tab.content_warnings.text()
    qtbot.wait(50)  # the layout settles after the texts changed
    kiosk.window.grab().save(str(tmp_path / f"staff-content-{lang}.png"))
    lines = shown.splitlines()
    assert len(lines) == 5 and all("manifest.yaml:" in line for line in lines), shown  # the phone numbers
    assert "21-61-52" in lines[0] and "sana-sezim" in lines[0] and "verified_on" in lines[0], shown
    expected = {"kk": "ескерту", "ru": "предупреждение", "uz": "ogohlantirish", "en": "warning"}[lang]
    assert all(f": {expected}: " in line for line in lines), shown
    if lang in ("kk", "ru"):
        assert latin_words(shown + "\n" + tab.content_info.text() + "\n" + tab.reload.text()) == set(), shown
    if lang == "uz":
        assert "tekshirilmagan" in shown and "warning" not in shown, shown
    kiosk.stats.close()


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


def test_an_update_with_broken_content_is_refused_in_the_staff_language(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        key: SecretKey) -> None:
    install(good_pack(tmp_path, key, 1), data_dir, [key.public], source="USB: /media/stick/pack-1.kpack")
    broken = content_copy(tmp_path, "broken")
    neutral = broken / "neutral.yaml"
    neutral.write_text(neutral.read_text(encoding="utf-8").replace('en: "Look after your health"', "en: No"),
                       encoding="utf-8")
    stick = tmp_path / "stick"
    stick.mkdir()
    raw_pack(stick / "pack-3.kpack", key, [], version=3, files_from=broken)
    updates = Updates(data_dir, [key.public], folders=lambda: [stick])
    i18n = I18n()
    for lang, words in (("kk", "Тырнақшаға алып жазыңыз"), ("ru", "Напишите в кавычках"),
                        ("uz", "Qoʻshtirnoqda yozing"), ("en", "Write it in quotes")):
        tab = make_tab(qtbot, updates, data_dir, lang=lang)
        tap(qtbot, tab.look)
        kept = i18n.gettext(U_KEPT, lang)
        qtbot.waitUntil(lambda tab=tab, kept=kept: tab.operation is None and kept in tab.status.text(),
                        timeout=15_000)
        status = tab.status.text()
        assert 'neutral.yaml:7: ' in status and f'{words}: en: "No"' in status, status
        if lang in ("kk", "ru"):
            assert latin_words(status) == set(), status
        tab.grab().save(str(tmp_path / f"updates-broken-{lang}.png"))
        tab.close()
