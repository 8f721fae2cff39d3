"""The short monkey: random taps, swipes and keys on the real kiosk, in every screen.

The long run (100,000 events) is `kiosk monkey --events 100000`; see the README.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.app import install_excepthook, install_staff_mode
from kiosk.core.pin import hash_pin
from kiosk.core.settings import Settings, save_settings
from kiosk.devtools.monkey import Monkey, prepare
from tests.ui_helpers import make_kiosk


def test_monkey_finds_no_exception_no_qt_warning_and_ends_in_attract(qtbot, data_dir: Path, cups) -> None:  # type: ignore[no-untyped-def]
    save_settings(data_dir / "settings.yaml", Settings(staff_pin=hash_pin("975310", n=2**10), prints_per_visit=2,
                                                       printer="kiosk-pdf"))
    kiosk = make_kiosk(qtbot, data_dir, stats=True)
    install_excepthook(kiosk)
    staff = install_staff_mode(kiosk)
    prepare(kiosk, staff)
    report = Monkey(kiosk, staff, seed=20261129).run(800)
    assert report.exceptions == []
    assert report.qt_warnings == []
    assert report.ended_in_attract
    # it really went everywhere: every visitor screen, the staff PIN pad, printing, quick exits
    assert {"attract", "language", "menu", "slides", "quiz", "leaflet", "neutral"} <= set(report.screens)
    assert report.actions["staff_wrong_pin"] > 0 and report.actions["quick_exit"] > 0
    log = (data_dir / "logs" / "kiosk.log").read_text(encoding="utf-8") if (data_dir / "logs").exists() else ""
    assert "Traceback" not in log
    kiosk.stats.flush()
    figures = kiosk.stats.figures(1)
    assert figures.visits > 0
    # it printed on the real cups-pdf queue (the count is of jobs CUPS accepted)
    assert figures.leaflets_printed > 0 and cups.job_ids("kiosk-pdf"), figures
