"""The core must run where Qt is not installed: importing it with PySide6 blocked must work."""

from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT

BLOCK_QT = """
import importlib.abc, sys, pkgutil
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ImportError('Qt is blocked in the core: ' + name)
sys.meta_path.insert(0, Block())
import kiosk.core
names = [m.name for m in pkgutil.walk_packages(kiosk.core.__path__, 'kiosk.core.')]
for name in names:
    __import__(name)
from kiosk.core.content.loader import load_content
from kiosk.core.content.check import check_report
result, report = check_report(__import__('pathlib').Path('content'))
assert result.ok, report
print(len(names), 'core modules imported without Qt')
"""


def test_core_imports_and_loads_content_with_qt_blocked() -> None:
    done = subprocess.run([sys.executable, "-c", BLOCK_QT], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "core modules imported without Qt" in done.stdout


def test_kiosk_check_and_help_do_not_import_qt() -> None:
    code = ("import sys; from kiosk.cli import main; rc = main(['check', 'content']);"
            "print('QT' if 'PySide6' in sys.modules else 'NOQT'); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("NOQT")
