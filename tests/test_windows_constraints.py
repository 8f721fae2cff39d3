"""What is tested is what ships: deploy/windows/constraints.txt pins every Windows dependency of the
kiosk at the version the Wine suite ran, and both the Wine suite and the Windows CI workflow use it."""

from __future__ import annotations

import tomllib
from packaging.requirements import Requirement

from tests.support import ROOT
from tests.windows.box import CONSTRAINTS, pinned

WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def test_every_windows_dependency_is_pinned_to_a_version_the_project_allows() -> None:
    pins = {Requirement(line).name.lower(): Requirement(line) for line in pinned()}
    for req in pins.values():
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", req
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for text in [*project["dependencies"], *project["optional-dependencies"]["frozen"]]:
        wanted = Requirement(text)
        if wanted.marker is not None and not wanted.marker.evaluate({"sys_platform": "win32", "platform_system": "Windows"}):
            continue
        pin = pins.get(wanted.name.lower())
        assert pin is not None, f"{wanted.name} ships on Windows but is not pinned in {CONSTRAINTS.name}"
        version = next(iter(pin.specifier)).version
        assert wanted.specifier.contains(version, prereleases=True), (wanted, version)
    assert str(pins["pyside6-essentials"].specifier) == "==6.9.3"  # 6.10+ needs icuuc.dll, absent in Wine


def test_the_wine_suite_and_the_windows_workflow_install_with_the_constraints() -> None:
    assert "-c deploy/windows/constraints.txt" in WORKFLOW.read_text(encoding="utf-8")
    box = (ROOT / "tests" / "windows" / "box.py").read_text(encoding="utf-8")
    assert '"-r", str(CONSTRAINTS)' in box and '"-c", winpath(CONSTRAINTS)' in box
