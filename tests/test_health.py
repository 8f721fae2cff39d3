"""The fleet's health (issue 23): the kiosk's health files, `kiosk fleet status|report`, bad input,
the page in real headless Chromium, and a disabled printer on a real CUPS queue."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.stats.fleet_health import read_fleet
from kiosk.core.stats.health import HEALTH_FIELDS, TODAY_FILE, HealthLog, write_health
from kiosk.devtools.fleet_sim import health, write_fleet
from tests.conftest import ROOT
from tests.support import need_tool

TODAY = dt.date(2026, 12, 7)  # a Monday; the simulated kiosks close on Sundays


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def facts(day: dt.date) -> dict[str, object]:
    return {"program": "0.1.0", "open_hours": "09:00-19:00", "open_days": ["mon"], "hours_open": 10,
            "safe_mode_now": False, "printer": {"jobs_sent": 3, "jobs_failed": 1, "sheets_used": 12},
            "content": {"pack_version": 4, "unverified_phones": 0}, "narration_player": True,
            "disk": {"free_mb": 9000, "data_mb": 120}, "visits": day.day}


def kiosk_cmd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "LANG": "C.UTF-8"})


def test_the_kiosk_replaces_today_hourly_and_writes_each_finished_day_once(tmp_path: Path) -> None:
    data, outbox = tmp_path / "data", tmp_path / "outbox"
    clock = Clock(dt.datetime(2026, 12, 1, 9, 17, 42))
    log = HealthLog(data, clock)
    log.started(safe_mode=False)
    log.printer("ready")
    write_health(log, outbox, "shymkent 1", facts)
    today = json.loads((outbox / "shymkent-1" / TODAY_FILE).read_text())
    assert tuple(sorted(today)) == tuple(sorted(HEALTH_FIELDS))
    assert today["written_at"] == "2026-12-01T09" and not today["final"]  # the hour, never minutes
    assert today["starts"] == 1 and today["unclean_ends"] == 0 and today["hours_up"] == 1
    clock.now = dt.datetime(2026, 12, 1, 10, 5)
    assert log.up()
    log.printer("out_of_paper")
    write_health(log, outbox, "shymkent 1", facts)
    assert json.loads((outbox / "shymkent-1" / TODAY_FILE).read_text())["printer"]["hours"] == {
        "09": "ready", "10": "out_of_paper"}
    # the kiosk dies without a clean stop; it starts again the next day: the day over is written once
    clock.now = dt.datetime(2026, 12, 2, 8, 0)
    again = HealthLog(data, clock)
    again.started(safe_mode=True)
    written = write_health(again, outbox, "shymkent 1", facts)
    assert [p.name for p in written] == ["health-2026-12-01.json", TODAY_FILE]
    day = json.loads((outbox / "shymkent-1" / "health-2026-12-01.json").read_text())
    assert day["final"] and day["hours_up"] == 2 and day["visits"] == 1 and day["printer"]["jobs_failed"] == 1
    before = (outbox / "shymkent-1" / "health-2026-12-01.json").read_bytes()
    now = json.loads((outbox / "shymkent-1" / TODAY_FILE).read_text())
    assert now["unclean_ends"] == 1 and now["safe_mode"]["entries"] == 1
    again.stopped_cleanly()
    assert write_health(again, outbox, "shymkent 1", facts)[0].name == TODAY_FILE  # nothing else again
    assert (outbox / "shymkent-1" / "health-2026-12-01.json").read_bytes() == before
    assert not [p for p in outbox.rglob("*") if p.name.startswith(".") and p.name != ".stignore"]
    assert (outbox / ".stignore").read_text() == "*.part\n"
    # a damaged state file does not stop the kiosk: it starts a new one
    (data / "health-state.json").write_text("{not json", encoding="utf-8")
    HealthLog(data, clock).started(safe_mode=False)


def test_status_names_each_kind_of_trouble_worst_first_and_the_well_last(tmp_path: Path) -> None:
    truth = write_fleet(tmp_path / "fleet", 12, 60, TODAY)
    fleet = read_fleet([tmp_path / "fleet"], TODAY, arrivals=False, newest_pack=7)
    words = {k.kiosk_id: [r.render() for r in k.reasons] for k in fleet.kiosks.values()}
    assert words["kiosk-000"] == ["Not heard from for 2 open day(s) (last word 2026-12-03)."]  # Sunday is closed
    assert words["kiosk-001"] == ["Stuck in safe mode: 3 unclean exits in 30 minutes"]
    assert words["kiosk-002"] == ["Printer out of paper since 2026-12-02."]
    assert words["kiosk-003"] == ["Printer not printing since 2026-12-06: The printer was stopped by someone."]
    assert words["kiosk-004"] == ["Paper running low: 230 of 250 sheets used since the last refill."]
    assert words["kiosk-005"] == ["Content is pack 5, older than the newest published pack 7."]
    assert words["kiosk-006"] == ["Phone numbers still unverified: 2."]
    assert words["kiosk-007"] == ["Disk nearly full: 300 MB free."]
    assert words["kiosk-008"] == ["Clock wrong by 400 day(s)."]
    assert words["kiosk-009"][0].startswith("Up but no visitor for 2 open day(s), while its median is")
    assert [k.kiosk_id for k in fleet.worst_first()][-2:] == ["kiosk-010", "kiosk-011"]
    assert all(words[k] == [] for k, t in truth.items() if t == "well")
    done = kiosk_cmd("fleet", "status", str(tmp_path / "fleet"), "--today", TODAY.isoformat(), "--lang", "ru")
    assert done.returncode == 1, done.stderr  # someone needs a visit
    lines = done.stdout.splitlines()
    assert lines[0].startswith("kiosk-000") and "Нет вестей 2 раб. дн." in lines[0]
    assert lines[-1].startswith("kiosk-011") and lines[-1].endswith("В порядке.")


def test_a_gap_is_not_heard_from_never_zero_and_forwarded_days_land_in_their_place(tmp_path: Path) -> None:
    """Store and forward: a kiosk cut off for a week keeps writing its files; they arrive later."""
    outbox = tmp_path / "fleet" / "k1"
    outbox.mkdir(parents=True)
    for d in range(20, 0, -1):
        day = TODAY - dt.timedelta(days=d)
        if not 3 <= d <= 9:  # a week of files still on the kiosk, not yet sent
            (outbox / f"health-{day}.json").write_text(json.dumps(health("k1", day, 12)))
    fleet = read_fleet([tmp_path / "fleet"], TODAY, arrivals=False)
    kiosk = fleet.kiosks["k1"]
    assert kiosk.visits(TODAY - dt.timedelta(days=5)) is None  # not heard from: not zero
    assert kiosk.visits(TODAY - dt.timedelta(days=10)) == 12
    for d in range(3, 10):  # Syncthing is back: every missed day arrives
        day = TODAY - dt.timedelta(days=d)
        (outbox / f"health-{day}.json").write_text(json.dumps(health("k1", day, 30 + d)))
    kiosk = read_fleet([tmp_path / "fleet"], TODAY, arrivals=False).kiosks["k1"]
    assert [kiosk.visits(TODAY - dt.timedelta(days=d)) for d in range(9, 2, -1)] == [
        0 if (TODAY - dt.timedelta(days=d)).weekday() == 6 else 30 + d for d in range(9, 2, -1)]
    page = tmp_path / "fleet.html"
    done = kiosk_cmd("fleet", "report", str(tmp_path / "fleet"), "--today", TODAY.isoformat(), "--output", str(page))
    assert done.returncode == 0, done.stderr
    assert "2026-11-30: 37" in page.read_text()  # the forwarded day, in its place on the chart


def test_bad_files_are_named_and_nothing_else_is_lost(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    write_fleet(fleet, 3, 10, TODAY)
    day = TODAY - dt.timedelta(days=1)
    bad = fleet / "kiosk-002"
    good = json.dumps(health("kiosk-002", day - dt.timedelta(days=1), 5))
    (bad / f"health-{day - dt.timedelta(days=1)}.json").write_text(good[: len(good) // 2])  # cut short
    (bad / f"health-{day - dt.timedelta(days=2)}.json").write_text("name,phone\nAida,777\n")  # not JSON
    (bad / f"health-{day - dt.timedelta(days=3)}.json").write_text(
        json.dumps({**health("kiosk-002", day - dt.timedelta(days=3), 5), "version": 99}))
    (bad / f"health-{day - dt.timedelta(days=4)}.json").write_text(
        json.dumps(health("../x", day - dt.timedelta(days=4), 5)))  # a hostile id inside
    with (bad / f"health-{day - dt.timedelta(days=5)}.json").open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB
    (fleet / "evil\x1b[2J").mkdir()
    (fleet / "evil\x1b[2J" / TODAY_FILE).write_text(json.dumps(health("evil\x1b[2J", TODAY, 1, final=False)))
    page = tmp_path / "fleet.html"
    done = kiosk_cmd("fleet", "report", str(fleet), "--today", TODAY.isoformat(), "--output", str(page))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr and "evil\\x1b[2J" in done.stderr
    text = page.read_text()
    for why in ("not a health file, or cut short", "written by a newer program (format 99)",
                "the kiosk id inside is not this folder", "bigger than a health file can be"):
        assert why in text, why
    assert text.count('class="bad-file"') == 6 and "\x1b" not in text
    assert all(f'<td class="id">kiosk-00{k}</td>' in text for k in range(3))  # nothing else lost
    assert "kiosk-002" in text and f"health-{day - dt.timedelta(days=2)}.json" in text


def test_the_page_in_real_headless_chromium(tmp_path: Path) -> None:
    need_tool("chromium", "chromium")
    write_fleet(tmp_path / "fleet", 12, 60, TODAY)
    page = tmp_path / "fleet.html"
    done = kiosk_cmd("fleet", "report", str(tmp_path / "fleet"), "--today", TODAY.isoformat(), "--output", str(page),
                     "--lang", "en")
    assert done.returncode == 0, done.stderr
    flags = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    reasons = re.findall(r'<li class="reason">([^<]*)</li>', dom)
    assert reasons[:3] == ["Not heard from for 2 open day(s) (last word 2026-12-03).",
                           "Stuck in safe mode: 3 unclean exits in 30 minutes", "Printer out of paper since 2026-12-02."]
    for words in ("Printer not printing since 2026-12-06: The printer was stopped by someone.",
                  "Paper running low: 230 of 250 sheets used", "Phone numbers still unverified: 2.",
                  "Disk nearly full: 300 MB free.", "Clock wrong by 400 day(s).", "Up but no visitor for 2 open day(s)"):
        assert any(r.startswith(words) for r in reasons), words
    assert dom.rindex("kiosk-011") > dom.rindex("kiosk-009")  # the well ones last
    assert "<script" not in page.read_text() and "http" not in page.read_text().replace("http://www.w3.org", "")
    shot = tmp_path / "fleet-page.png"  # looked at by a person when the page changes
    subprocess.run([*flags, "--window-size=1200,1000", f"--screenshot={shot}", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.cups
def test_the_running_kiosk_writes_health_with_a_disabled_printer(qtbot, data_dir: Path, cups,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    from kiosk.ui.health import HealthWriter
    from tests.ui_helpers import make_kiosk

    outbox = tmp_path / "outbox"
    cups.run("cupsdisable", "kiosk-pdf")
    kiosk = make_kiosk(qtbot, data_dir, settings=f"printer: kiosk-pdf\noutbox_dir: {outbox}\nkiosk_id: village-3\n")
    writer = HealthWriter(kiosk, kiosk.window)
    writer.start()
    qtbot.waitUntil(lambda: "stopped" in writer.log.day().get("printer", {}).values(), timeout=10_000)
    writer.wait_idle()
    writer.write_now()  # the next hour's writing carries what the printer said
    writer.wait_idle()
    today = json.loads((outbox / "village-3" / TODAY_FILE).read_text())
    assert "stopped" in today["printer"]["hours"].values()
    assert today["safe_mode"] == {"entries": 0, "now": False, "reason": None}
    assert today["content"]["pack_version"] is None  # the bundled content
    assert today["disk"]["free_mb"] > 0 and isinstance(today["narration_player"], bool)
    fleet = read_fleet([outbox], dt.date.today())
    assert [r.render() for r in fleet.kiosks["village-3"].reasons][0].startswith("Printer not printing since")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_staff_see_what_the_ngo_sees_and_say_paper_refilled(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            lang: str) -> None:
    from kiosk.app import install_staff_mode
    from kiosk.core.model import I18n
    from kiosk.core.stats import open_store
    from kiosk.ui.health import HealthWriter
    from kiosk.ui.staff.data import D_HEALTH
    from kiosk.ui.staff.printer import P_SHEETS, P_SHEETS_UNKNOWN
    from tests.ui_helpers import make_kiosk, tap

    kiosk = make_kiosk(qtbot, data_dir, settings=f"outbox_dir: {tmp_path / 'outbox'}\nkiosk_id: village-7\n")
    kiosk.safe_mode_reason = "three crashes in 30 minutes"
    kiosk.health = HealthWriter(kiosk, kiosk.window)
    staff = install_staff_mode(kiosk)
    staff.open_pin_pad()
    staff.show_panel()  # as after the right PIN
    staff.set_language(lang)
    t = I18n().gettext
    panel = staff.panel
    tap(qtbot, panel.tabs[panel.pages.index(panel.printer)][1])
    tab = panel.printer
    assert tab.sheets.text() == t(P_SHEETS_UNKNOWN, lang)
    with open_store(data_dir) as store:
        for _ in range(3):
            store.record("leaflet_printed", "kk")
    tap(qtbot, tab.refilled)
    assert tab.sheets.text() == t(P_SHEETS, lang).format(count=0)
    with open_store(data_dir) as store:
        for _ in range(2):
            store.record("leaflet_printed", "ru")
    tab.refresh()
    assert tab.sheets.text() == t(P_SHEETS, lang).format(count=2)
    qtbot.wait(100)  # laid out in the staff language
    kiosk.window.grab().save(str(tmp_path / f"printer-{lang}.png"))
    tap(qtbot, panel.tabs[panel.pages.index(panel.data)][1])
    words = panel.data.health.text()
    assert words.startswith(t(D_HEALTH, lang))
    safe = t("Stuck in safe mode: {reason}", lang).format(reason="three crashes in 30 minutes")
    assert safe in words
    kiosk.health.write_now()  # the NGO's page says the same
    kiosk.health.wait_idle()
    fleet = read_fleet([tmp_path / "outbox"], dt.date.today(), arrivals=False)
    assert [r.render(lambda m: t(m, lang)) for r in fleet.kiosks["village-7"].reasons][0] == safe
    qtbot.wait(100)  # the label's new height is laid out
    kiosk.window.grab().save(str(tmp_path / f"data-{lang}.png"))
    if os.environ.get("KIOSK_SHOTS"):
        import shutil

        for name in (f"printer-{lang}.png", f"data-{lang}.png"):
            shutil.copy(tmp_path / name, Path(os.environ["KIOSK_SHOTS"]) / name)


def test_a_paper_limit_refusal_is_counted_for_the_day(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.visit import PrintStatus, Screen, Visit
    from kiosk.ui.health import HealthWriter
    from tests.ui_helpers import make_kiosk

    kiosk = make_kiosk(qtbot, data_dir, settings=f"outbox_dir: {tmp_path / 'outbox'}\nkiosk_id: v1\n")
    writer = HealthWriter(kiosk, kiosk.window)
    kiosk.session.jump(Visit(Screen.LEAFLET, "uz", started=True, printed=1))  # this visitor had their leaflet
    kiosk.session.print_leaflet()
    assert kiosk.session.state.print_status is PrintStatus.LIMIT_REACHED
    writer.write_now()
    writer.wait_idle()
    today = json.loads((tmp_path / "outbox" / "v1" / TODAY_FILE).read_text())
    assert today["printer"]["limit_hits"] == 1


def test_a_clock_days_wrong_is_seen_against_the_files_arrival(tmp_path: Path) -> None:
    """Syncthing keeps the kiosk's modification time; the time the file changed here is its arrival."""
    today = dt.date.today()
    wrong = (dt.datetime.now() - dt.timedelta(days=5)).date()
    (tmp_path / "fleet" / "k1").mkdir(parents=True)
    record = health("k1", wrong, 9, final=False)
    record["written_at"] = (dt.datetime.now() - dt.timedelta(days=5)).strftime("%Y-%m-%dT%H")
    (tmp_path / "fleet" / "k1" / TODAY_FILE).write_text(json.dumps(record))
    kiosk = read_fleet([tmp_path / "fleet"], today).kiosks["k1"]  # arrivals: the default
    assert [r.render() for r in kiosk.reasons] == ["Clock wrong by 5 day(s)."]  # heard from just now: not silent
    judged_by_its_own_clock = read_fleet([tmp_path / "fleet"], today, arrivals=False).kiosks["k1"]
    assert judged_by_its_own_clock.reasons[0].render().startswith("Not heard from")


def test_the_fleet_bench_prints_the_truth_and_the_report_finds_every_kiosk_in_trouble(tmp_path: Path) -> None:
    done = kiosk_cmd("bench", "--fleet", "12", "--days", "40", "--folder", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    troubles = re.findall(r"truth: (kiosk-\d+) (\w+)", done.stdout)
    assert len(troubles) == 10 and {t for _k, t in troubles} >= {"silent", "old_content", "clock"}
    # every kiosk in trouble is named (with the NGO's published pack for the one on old content)
    assert "12 kiosk(s), 10 needing attention, 0 file(s) not read" in done.stdout
    assert re.search(r"a day's health file: \d+ bytes", done.stdout)
    assert not list(tmp_path.iterdir())  # the simulated fleet is removed at the end
