"""Test set-up shared by every test: offscreen Qt, and nothing written outside tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import support
from tests.cups_server import CupsServer, missing_requirements

if TYPE_CHECKING:
    from kiosk.core.model.content import Content

# Before anything imports Qt: no screen is needed except in the tests that start Xvfb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Shared names live in tests/support.py; these stay for the files that still import them from here.
ROOT, CONTENT, IN_CI, need_tool = support.ROOT, support.CONTENT, support.IN_CI, support.need_tool


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, logs and statistics go to a per-test folder, never to the machine's."""
    data = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    # The commands speak the locale's language: a developer's Russian desktop must not turn the
    # English the tests expect into Russian. Tests that want a language set it themselves.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # What the kiosk found damaged is kept for its whole process (the staff Content tab lists it):
    # each test starts as a new kiosk would, with another test's damaged files forgotten.
    from kiosk.core.model.damaged import forget_damaged

    forget_damaged()
    return data


@pytest.fixture
def data_dir(_isolated_data: Path) -> Path:
    return _isolated_data


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the default content that a test may break (tmp_path/content)."""
    return support.content_copy(tmp_path)


@pytest.fixture
def default_content() -> Content:
    """The default content, loaded once per run and shared: it is immutable."""
    return support.default_content()


@pytest.fixture(autouse=True)
def _workers_finish() -> object:
    """Pages queued to be drawn just after a frame are drawn inside the test that queued them."""
    yield
    import sys

    if "kiosk.paper.deferred" in sys.modules:
        sys.modules["kiosk.paper.deferred"].run_pending()


# A real, private CUPS server with a cups-pdf queue, for every test that prints (see
# tests/cups_server.py): skipped with the reason on a machine without CUPS, failing under CI.
@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    support.need("a real CUPS server", missing_requirements())
    server = CupsServer()
    try:
        server.start()
        server.add_pdf_queue("kiosk-pdf")
        yield server
    finally:
        server.close()


@pytest.fixture
def cups(cups_server: CupsServer, monkeypatch: pytest.MonkeyPatch) -> CupsServer:
    """The session's server, for this test's processes; the main queue enabled and accepting."""
    monkeypatch.setenv("CUPS_SERVER", str(cups_server.socket))
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    cups_server.run("cupsenable", "kiosk-pdf")
    cups_server.run("cupsaccept", "kiosk-pdf")
    return cups_server


@pytest.fixture
def staff_kiosk(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    """(kiosk, staff mode) with the PIN tests.ui_helpers.STAFF_PIN."""
    from tests.ui_helpers import open_staff_kiosk

    return open_staff_kiosk(qtbot, data_dir)
