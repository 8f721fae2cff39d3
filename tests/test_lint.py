"""The style we hold ourselves to: ruff on everything, mypy (strict) on the Qt-free core, and the
import contract of the layers (import-linter, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import ROOT


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "kiosk", "tests"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_core_is_mypy_strict_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_layers_hold_import_linter_finds_no_broken_contract() -> None:
    """core <- paper <- printing <- ui <- app/commands/cli; devtools never imported by product code;
    no Qt in the core. Imports inside functions count too: a lazy import must respect the layers."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), f"{lint_imports} is missing: pip install -e '.[test]' installs import-linter"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 7 kept, 0 broken." in done.stdout, done.stdout  # all seven were read and checked
