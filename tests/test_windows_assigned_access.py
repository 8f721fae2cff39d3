"""deploy/windows/assigned-access.xml against Microsoft's published Assigned Access schema
(deploy/windows/assigned-access-schema/, its source named in the README there), with xmlschema
(XSD 1.1, as the add-on schemas declare). Validation only: it has not been applied on a PC."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ROOT

xmlschema = pytest.importorskip("xmlschema", reason="the test extra brings xmlschema")

SCHEMAS = ROOT / "deploy" / "windows" / "assigned-access-schema"
CONFIG = ROOT / "deploy" / "windows" / "assigned-access.xml"
NS = "http://schemas.microsoft.com/AssignedAccess/{}/config"


def schema() -> object:
    locations = [(NS.format(name), str(SCHEMAS / f"{name}.xsd")) for name in ("201810", "2020", "202010", "2021", "2022")]
    return xmlschema.XMLSchema11(str(SCHEMAS / "2017.xsd"), locations=locations)


def test_the_shipped_configuration_is_valid_and_auto_launches_the_installed_kiosk() -> None:
    checker = schema()
    checker.validate(str(CONFIG))  # type: ignore[attr-defined]
    text = CONFIG.read_text(encoding="utf-8")
    assert 'DesktopAppPath="%ProgramFiles%\\Safe-migration kiosk\\kiosk.exe" rs5:AutoLaunch="true"' in text
    installer = (ROOT / "deploy" / "windows" / "kiosk.nsi").read_text(encoding="utf-8")
    assert '!define NAME "Safe-migration kiosk"' in installer and 'InstallDir "$PROGRAMFILES64\\${NAME}"' in installer
    assert "<AutoLogonAccount" in text and '<Taskbar ShowTaskbar="false"/>' in text


@pytest.mark.parametrize(("broken", "why"), [
    ('rs5:AutoLaunch="true"/>', 'rs5:AutoLaunch="yes"/>'),  # not a boolean
    ('Id="{6C2D9F4E-3B7A-4E51-9A0C-5D8E2F1B7A63}" Name', 'Id="6C2D9F4E" Name'),  # not a GUID in braces
    ('<Taskbar ShowTaskbar="false"/>', ""),  # the taskbar element is required
])
def test_the_schema_catches_a_broken_configuration(tmp_path: Path, broken: str, why: str) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    assert broken in text
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace(broken, why, 1), encoding="utf-8")
    assert not schema().is_valid(str(bad))  # type: ignore[attr-defined]
