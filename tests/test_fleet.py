"""Statistics of a fleet: immutable daily files in the outbox, merged and reported at the NGO."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

from kiosk.core.stats.fleet import fleet_figures, merge, write_daily_files, write_merged
from kiosk.core.stats.stats import EXPORT_COLUMNS, open_store, write_csv
from tests.conftest import ROOT, need_tool


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2025, 5, 1, 10)

    def __call__(self) -> dt.datetime:
        return self.now


def use(data_dir: Path, days: int, visits: int, clock: Clock | None = None) -> Clock:
    clock = clock or Clock()
    store = open_store(data_dir, clock)
    start = clock.now
    for day in range(days):
        clock.now = start + dt.timedelta(days=day, hours=1)
        for i in range(visits + day):
            store.record("visit", "kk" if i % 3 else "ru")
            store.record("slide_view", "kk" if i % 3 else "ru", "passport")
        store.record("quiz_finished", "kk", value=80)
    store.close()
    return clock


def test_one_file_per_finished_day_written_once(tmp_path: Path) -> None:
    data, outbox = tmp_path / "k1", tmp_path / "outbox"
    clock = use(data, 3, 5)
    with open_store(data, clock, readonly=True) as store:
        written = write_daily_files(store, outbox, "shymkent 1/a")  # today (the 3rd) is not over
        assert [p.name for p in written] == ["2025-05-01.csv", "2025-05-02.csv"]
        assert written[0].parent == outbox / "shymkent-1-a"
        expected = io.StringIO()
        write_csv(expected, store.day_rows(dt.date(2025, 5, 1), dt.date(2025, 5, 1)), "shymkent 1/a")
        assert written[0].read_text(encoding="utf-8") == expected.getvalue()
        assert written[0].read_text(encoding="utf-8").startswith(",".join(EXPORT_COLUMNS) + "\n")
        assert write_daily_files(store, outbox, "shymkent 1/a") == []
    before = written[0].read_bytes()
    # a wrong clock puts more events on a day already sent: the file stays as it was
    clock.now = dt.datetime(2025, 5, 1, 15)
    with open_store(data, clock) as store:
        store.record("visit", "en")
    clock.now = dt.datetime(2025, 5, 4, 9)
    with open_store(data, clock, readonly=True) as store:
        assert [p.name for p in write_daily_files(store, outbox, "shymkent 1/a")] == ["2025-05-03.csv"]
    assert written[0].read_bytes() == before
    assert (outbox / ".stignore").read_text() == "*.part\n"
    assert not list(outbox.rglob("*.part")) and not list(outbox.rglob(".*.csv*"))


def test_merge_counts_each_row_once_and_keeps_the_header(tmp_path: Path) -> None:
    ngo = tmp_path / "ngo"
    for kiosk, visits in (("shymkent-1", 4), ("turkestan-2", 7)):
        clock = use(tmp_path / kiosk, 4, visits)
        with open_store(tmp_path / kiosk, clock, readonly=True) as store:
            write_daily_files(store, ngo / "inbox-a", kiosk)
    (ngo / "copy").mkdir()
    subprocess.run(["cp", "-r", str(ngo / "inbox-a" / "shymkent-1"), str(ngo / "copy")], check=True)
    (ngo / "inbox-a" / "stray").mkdir()
    (ngo / "inbox-a" / "stray" / "2025-01-01.csv").write_text("name,phone\nAida,777\n", encoding="utf-8")
    rows, problems = merge([ngo / "inbox-a", ngo / "copy"])
    assert len(problems) == 1 and "not a statistics export" in problems[0]
    assert {r.kiosk_id for r in rows} == {"shymkent-1", "turkestan-2"}
    assert len(rows) == 2 * 3 * 2  # kiosks x finished days x languages, the copy not counted twice
    out = io.StringIO()
    write_merged(out, rows)
    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(table[0]) == EXPORT_COLUMNS
    assert sum(int(r[3]) for r in table[1:]) == (4 + 5 + 6) + (7 + 8 + 9)
    total, per_kiosk = fleet_figures(rows)
    assert total.visits == 39 and per_kiosk["shymkent-1"].visits == 15 and per_kiosk["turkestan-2"].visits == 24
    assert total.quiz_score_avg == 80.0 and total.days == 3


def test_merge_and_fleet_report_commands(tmp_path: Path) -> None:
    need_tool("pdfinfo", "poppler-utils")
    ngo = tmp_path / "ngo"
    for kiosk in ("a-1", "b-2", "c-3"):
        clock = use(tmp_path / kiosk, 2, 3)
        with open_store(tmp_path / kiosk, clock, readonly=True) as store:
            write_daily_files(store, ngo, kiosk)
    kiosk_cmd = [sys.executable, "-m", "kiosk", "stats"]
    done = subprocess.run([*kiosk_cmd, "merge", str(ngo), "--output", str(tmp_path / "fleet.csv")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "6 row(s) from 3 kiosk(s)" in done.stdout
    done = subprocess.run([*kiosk_cmd, "report", "--fleet", str(ngo), "--output", str(tmp_path / "fleet.pdf"),
                           "--lang", "ru"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(tmp_path / "fleet.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M), info  # all together, then one page per kiosk
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "fleet.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "(3)" in text


def _export(kiosk: str, day: str, visits: int, extra: str = "") -> str:
    row = f"{day},{kiosk},kk,{visits},0,5,1,80.0,5,4,1,0,0,0,2{extra}"
    return ",".join(EXPORT_COLUMNS) + ("," + "future_column" if extra else "") + "\n" + row + "\n"


def test_merge_reads_every_shape_of_a_good_export_and_names_the_bad_line(tmp_path: Path) -> None:
    """The merge reads a whole file with one pattern; whatever that pattern does not account for
    (Windows line ends, blank lines, a bad row) is read line by line, so no row is lost or invented."""
    from kiosk.core.stats.fleet import merge_lines, write_merged_lines

    ngo = tmp_path / "ngo"
    (ngo / "a").mkdir(parents=True)
    (ngo / "b").mkdir()
    (ngo / "a" / "2025-05-01.csv").write_text(_export("a", "2025-05-01", 3), encoding="utf-8")
    (ngo / "a" / "2025-05-02.csv").write_bytes(_export("a", "2025-05-02", 4).replace("\n", "\r\n").encode())
    (ngo / "a" / "2025-05-03.csv").write_text(_export("a", "2025-05-03", 5) + "\n\n", encoding="utf-8")
    (ngo / "a" / "2025-05-04.csv").write_text(_export("a", "2025-05-04", 6, extra=",later"), encoding="utf-8")
    (ngo / "a" / "2025-05-05.csv").write_text(_export("a", "2025-05-05", 7).rstrip("\n"), encoding="utf-8")
    bad = _export("b", "2025-05-01", 1) + "2025-05-01,b,ru,1,0,5,1,80.0,5,4,1,0,0,0,2\x85,x\n"
    (ngo / "b" / "2025-05-01.csv").write_text(bad, encoding="utf-8")
    (ngo / "b" / "2025-05-02.csv").write_text(_export("b", "2025-05-02", 1) + "Aida,+7 777\n", encoding="utf-8")
    # a kiosk id that is the start of another sorts as the columns would ('a' before 'a-2')
    (ngo / "a-2").mkdir()
    (ngo / "a-2" / "2025-05-01.csv").write_text(_export("a-2", "2025-05-01", 9), encoding="utf-8")
    lines, problems = merge_lines([ngo])
    assert sorted(problems) == [f"{ngo / 'b' / '2025-05-01.csv'}:4: a row that is not a statistics row",
                                f"{ngo / 'b' / '2025-05-02.csv'}:3: a row that is not a statistics row"]
    assert [line.split(",")[:4] for line in lines] == [
        ["2025-05-01", "a", "kk", "3"], ["2025-05-01", "a-2", "kk", "9"], ["2025-05-02", "a", "kk", "4"],
        ["2025-05-03", "a", "kk", "5"], ["2025-05-04", "a", "kk", "6"], ["2025-05-05", "a", "kk", "7"]]
    assert all(len(line.split(",")) == len(EXPORT_COLUMNS) for line in lines)  # 'later' is not carried
    out = io.StringIO()
    assert write_merged_lines(out, lines) == 6
    assert list(csv.reader(io.StringIO(out.getvalue())))[1:] == [line.split(",") for line in lines]
    rows, _ = merge([ngo])  # the rows for the donor report are the same
    assert [",".join(r.values) for r in rows] == lines
    assert rows[0].kiosk_id == "a" and rows[0].quiz_score_total == 80
