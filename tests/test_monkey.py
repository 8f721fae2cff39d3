"""The short monkey: random taps, touches, swipes and keys on the real kiosk, staff mode included.

The long run (100,000 events) is `kiosk monkey --events 100000 --staff`; see docs/DEVELOPERS.md, "The monkey".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import install_excepthook, install_staff_mode
from kiosk.core.site.settings import Settings, save_settings
from kiosk.core.staff.pin import hash_pin
from kiosk.devtools.monkey import STAFF_PIN, Monkey, prepare
from tests.ui_helpers import make_kiosk


@pytest.mark.slow
def test_monkey_finds_no_exception_no_qt_warning_and_ends_in_attract(qtbot, data_dir: Path, cups,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin(STAFF_PIN, n=2**10), prints_per_visit=2,
                                                       printer="kiosk-pdf", evidence=True))
    kiosk = make_kiosk(qtbot, data_dir, stats=True)
    install_excepthook(kiosk)
    staff = install_staff_mode(kiosk)
    prepare(kiosk, staff)
    report = Monkey(kiosk, staff, seed=20261129, with_staff=True, export_folder=tmp_path / "stick").run(1500)
    assert report.exceptions == []
    assert report.qt_warnings == []
    assert report.broken_invariants == []
    assert report.ended_in_attract
    # it really went everywhere, by mouse and by touch
    reached = set(report.coverage)
    assert {f"screen {s}" for s in ("attract", "language", "menu", "slides", "quiz", "quiz_result", "leaflet",
                                    "neutral", "staff", "before")} <= reached, sorted(reached)
    assert {"before question right", "before question wrong", "before question skipped"} <= reached, sorted(reached)
    assert any(k.startswith("quiz ") and k.endswith(" right") for k in reached)
    assert any(k.startswith("quiz ") and k.endswith(" wrong") for k in reached)
    assert any(k.startswith("quiz result band") for k in reached)
    assert {"leaflet checking", "leaflet printing", "leaflet QR view", "idle countdown"} <= reached, sorted(reached)
    assert {"staff opened", "staff save settings"} <= reached, sorted(reached)
    assert "large text on" in reached, sorted(reached)
    assert report.actions["(touch)"] > 300 and report.actions["(mouse)"] > 300
    assert report.actions["staff_wrong_pin"] > 0 and report.actions["quick_exit"] > 0
    log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8") if (data_dir / "logs").exists() else ""
    assert "Traceback" not in log
    kiosk.stats.flush()
    figures = kiosk.stats.figures(1)
    assert figures.visits > 0
    # it printed on the real cups-pdf queue (the count is of jobs CUPS accepted)
    assert figures.leaflets_printed > 0 and cups.job_ids("kiosk-pdf"), figures


def test_the_coverage_table_lists_what_was_never_reached() -> None:
    """A state the run never entered is a row at 0, flagged, and in --json's below_floor."""
    from kiosk.devtools.monkey import MonkeyReport

    report = MonkeyReport(coverage={"screen quiz": 250, "leaflet done": 3},
                          expected=["screen quiz", "leaflet done", "leaflet limit_reached"])
    rows = {line[:21].strip(): line[21:].split() for line in report.table().splitlines()[1:]}
    assert rows == {"leaflet done": ["3", "<", "200"], "leaflet limit_reached": ["0", "<", "200"],
                    "screen quiz": ["250"]}
    assert report.below() == {"leaflet done": 3, "leaflet limit_reached": 0}
    assert report.as_dict()["below_floor"] == {"leaflet done": 3, "leaflet limit_reached": 0}
