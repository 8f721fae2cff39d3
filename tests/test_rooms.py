"""The core in rooms by domain (README, "How it is built"): what each room's `__init__` promises.

import-linter (tests/test_lint.py) holds the arrows between rooms; this file holds the rest: each
room says in two lines what it owns and what it never does, exports the names the other layers
use, lazily, and the list mypy reads is the list the room serves."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import pytest

from tests.support import ROOT

CORE = ROOT / "kiosk" / "core"
ROOMS = sorted(p.parent.name for p in CORE.glob("*/__init__.py"))


def test_the_core_is_rooms_with_no_loose_module() -> None:
    assert ROOMS == ["appliance", "content", "model", "narration", "packs", "site", "staff", "stats", "visit"]
    loose = sorted(p.name for p in CORE.glob("*.py") if p.name not in ("__init__.py", "_exports.py"))
    assert loose == [], f"a module outside any room: {loose}"


def _exports(room: str) -> tuple[dict[str, str], dict[str, str], str]:
    """(name -> module) as served at run time, (name -> module) as mypy reads it, the docstring."""
    tree = ast.parse((CORE / room / "__init__.py").read_text(encoding="utf-8"))
    served: dict[str, str] = {}
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "lazy_exports":
            mapping = ast.literal_eval(node.args[1])
            served = {name: module for module, names in mapping.items() for name in names.split()}
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                assert alias.asname == alias.name, f"{room}: re-export {alias.name} as itself"
                typed[alias.name] = str(node.module)
    return served, typed, ast.get_docstring(tree) or ""


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_says_what_it_owns_and_what_it_never_does(room: str) -> None:
    _, _, doc = _exports(room)
    lines = doc.strip().splitlines()
    assert len(lines) == 2, f"kiosk/core/{room}/__init__.py: two lines, what it owns and what it never does"
    assert lines[0].startswith("Owns ") and lines[1].startswith("Never "), lines


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_serves_the_names_mypy_reads_and_each_is_the_real_object(room: str) -> None:
    served, typed, _ = _exports(room)
    assert served == typed, f"kiosk/core/{room}/__init__.py: the lazy map and the TYPE_CHECKING imports differ"
    package = importlib.import_module(f"kiosk.core.{room}")
    modules = {p.stem for p in (CORE / room).glob("*.py")}
    for name, module in served.items():
        assert name not in modules, f"{room}.{name} is also a module's name: `from room import` would be ambiguous"
        assert getattr(package, name) is getattr(importlib.import_module(f"kiosk.core.{room}.{module}"), name)
    assert sorted(package.__all__) == sorted(served)
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018


def test_what_other_layers_import_from_a_room_it_exports() -> None:
    """`from kiosk.core.<room> import X` anywhere in the product names an X the room serves."""
    wanted: list[str] = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")) + sorted((ROOT / "deploy").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.count(".") == 2 \
                    and node.module.startswith("kiosk.core.") and node.module.split(".")[2] in ROOMS:
                served, _, _ = _exports(node.module.split(".")[2])
                wanted += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                           if a.name not in served]
    assert wanted == []


def test_importing_a_room_loads_none_of_its_modules() -> None:
    """Start-up and `kiosk check` load only what they use: a room's names come when first used."""
    code = ("import sys, kiosk.core.packs as p, kiosk.core.narration, kiosk.core.stats;"
            "print(sorted(m for m in sys.modules if m.startswith('kiosk.core.') and m.count('.') == 3));"
            "p.read_state; print(sorted(m for m in sys.modules if m.startswith('kiosk.core.packs.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['kiosk.core.packs.pack_state']"


def test_the_staff_screen_is_what_its_tabs_are_given(qtbot, staff_kiosk) -> None:  # type: ignore[no-untyped-def]
    """The tabs see the staff screen only through the `Staff` protocol; the real one fits it."""
    from kiosk.ui.staff.common import Staff

    _, staff = staff_kiosk
    assert isinstance(staff, Staff)


def test_a_room_serves_what_its_module_holds_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is cached on the room: a name its module rebinds (a test's monkeypatch) is what the next
    `from kiosk.core.<room> import name` gets, and the original comes back after."""
    import kiosk.core.appliance as appliance
    import kiosk.core.appliance.memory as memory

    real = memory.release_free_memory
    assert appliance.release_free_memory is real

    def stand_in() -> float:
        return 0.0

    with monkeypatch.context() as patch:
        patch.setattr(memory, "release_free_memory", stand_in)
        from kiosk.core.appliance import release_free_memory

        assert release_free_memory is stand_in
    assert appliance.release_free_memory is real
