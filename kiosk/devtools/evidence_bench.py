"""`kiosk bench --evidence`: a year of visits at one kiosk from known true rates, through the real
session (who is asked, the before screen, the forced quiz question) and the real statistics store;
then the truth beside what the report says. With `--fleet-kiosks N`: the time to add up and report
the evidence of N kiosks × the same year from their daily files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.devtools.evidence_sim import TrueRates


def _answer(session: Any, right: bool, before: bool) -> None:
    if before:
        shown = session.before_question
        question, order = shown
        session.answer_before(next(i for i, o in enumerate(order) if question.answers[o].correct is right))
        return
    shown = session.state.quiz.displayed_answers()
    session.answer_question(next(i for i, (_o, correct) in enumerate(shown) if correct is right))


class _EvidenceOnly:
    """The real store, given only the evidence events (the year's other counts are `kiosk bench --stats`'s)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def record(self, kind: str, language: str, key: str = "", value: int = 1) -> None:
        if kind == "evidence":
            self.store.record(kind, language, key, value)


def simulate_year(folder: Path, rates: TrueRates, days: int, visits_per_day: int, seed: int) -> dict[str, Any]:
    """Visits through the real Session into the real store; returns counts and taps."""
    from kiosk.core.content import load_content
    from kiosk.core.model import default_content_dir
    from kiosk.core.site import Settings, SiteConfig
    from kiosk.core.stats import open_store
    from kiosk.core.visit import Before, Screen, Session

    content = load_content(default_content_dir()).content
    assert content is not None
    share = round(rates.share * 100)
    config = SiteConfig(Settings(evidence=True, evidence_before_share=share))
    now = [dt.datetime(2025, 1, 1, 9)]
    store = open_store(folder, clock=lambda: now[0], durable=False)
    rng = random.Random(seed)
    session = Session(content, config, _EvidenceOnly(store), rng=random.Random(seed + 1))
    languages = content.languages
    taps_before = 0
    asked_visits = 0
    started = time.perf_counter()
    for day in range(days):
        for visit in range(visits_per_day):
            now[0] = dt.datetime(2025, 1, 1, 9) + dt.timedelta(days=day, minutes=visit * 600 // visits_per_day)
            session.start()
            session.choose_language(rng.choice(languages))
            pairing = session.state.evidence
            assert pairing is not None
            right_before: bool | None = None
            if session.screen is Screen.BEFORE:
                asked_visits += 1
                if rng.random() < rates.skip:
                    session.skip_before()
                    taps_before += 1
                else:
                    right_before = rng.random() < rates.before
                    _answer(session, right_before, before=True)
                    session.leave_before()
                    taps_before += 2
            if rng.random() < rates.quiz:
                session.start_quiz()
                while session.screen is Screen.QUIZ:
                    run = session.state.quiz
                    if run.question.id == pairing.question:
                        if not pairing.asked:
                            right = rng.random() < rates.after
                        elif session.state.evidence.before is Before.SKIPPED:
                            right = rng.random() < rates.after
                        elif right_before:
                            right = rng.random() < rates.keep
                        else:
                            right = rng.random() < rates.learn
                    else:
                        right = rng.random() < 0.7
                    _answer(session, right, before=False)
                    session.next_question()
            else:
                session.open_slides()
            session.timeout()
    store.flush()
    elapsed = time.perf_counter() - started
    rows = store.evidence_rows()
    store.close()
    return {"rows": rows, "seconds": elapsed, "taps_before_per_asked_visit": taps_before / max(1, asked_visits),
            "taps_before_per_visit": taps_before / max(1, days * visits_per_day)}


def _fleet(rows: list[Any], kiosks: int, folder: Path) -> dict[str, float]:
    """Daily files of `kiosks` kiosks with the same year, then merge + figures + the evidence page."""
    import os

    from kiosk.core.stats import evidence_figures, merge_evidence, write_evidence_csv

    by_day: dict[str, list[Any]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    outbox = folder / "fleet"
    for k in range(kiosks):
        kiosk = f"kiosk-{k:03}"
        (outbox / kiosk).mkdir(parents=True)
        for day, day_rows in by_day.items():
            with open(outbox / kiosk / f"{day}.evidence.csv", "w", encoding="utf-8", newline="") as fh:
                write_evidence_csv(fh, [dataclasses.replace(r, kiosk_id=kiosk) for r in day_rows], kiosk)
    files = sum(len(f) for _d, _s, f in os.walk(outbox))
    started, cpu = time.perf_counter(), time.process_time()
    merged, problems = merge_evidence([outbox])
    merged_s, merged_cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = evidence_figures(merged)
    figures_s, figures_cpu = time.perf_counter() - started - merged_s, time.process_time() - cpu - merged_cpu
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sys

    from PySide6.QtGui import QGuiApplication, QPdfWriter

    from kiosk.core.model import I18n
    from kiosk.paper.report import draw_evidence_page

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    started = time.perf_counter()
    writer = QPdfWriter(str(folder / "evidence.pdf"))
    draw_evidence_page(writer, figures, "en", "fleet", dt.date(2025, 1, 1), dt.date(2025, 12, 31), i18n=I18n())
    del writer
    page_s = time.perf_counter() - started
    assert not problems
    return {"kiosks": kiosks, "files": files, "rows": len(merged), "merge_s": merged_s, "figures_s": figures_s,
            "page_s": page_s, "total_s": merged_s + figures_s + page_s, "merge_cpu_s": merged_cpu,
            "figures_cpu_s": figures_cpu}


def run(seed: int = 1, days: int = 365, visits_per_day: int = 100, as_json: bool = False,
        fleet_kiosks: int = 0) -> int:
    from kiosk.core.stats import evidence_figures, write_evidence_files

    rates = TrueRates()
    shm = Path("/dev/shm")  # noqa: S108 - a simulation: memory, not the shared disk, where there is one
    folder = Path(tempfile.mkdtemp(prefix="kiosk-evidence-bench-", dir=shm if shm.is_dir() else None))
    try:
        year = simulate_year(folder, rates, days, visits_per_day, seed)
        rows = year["rows"]
        figures = evidence_figures(rows)
        overall = figures.overall
        files = write_evidence_files(rows, folder / "outbox", "bench", dt.date(2099, 1, 1))
        files_bytes = sum(p.stat().st_size for p in files)
        db = folder / "stats.sqlite3"
        import contextlib
        import sqlite3

        with contextlib.closing(sqlite3.connect(db)) as con:
            table_rows = con.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
            con.execute("VACUUM")
        db_bytes = db.stat().st_size  # the file holds nothing but the evidence table here
        gain, effect = overall.gain, overall.testing_effect
        result: dict[str, Any] = {
            "seed": seed, "days": days, "visits": days * visits_per_day,
            "truth": {"before": rates.before, "after_asked": rates.after_asked, "after_not_asked": rates.after,
                      "gain": rates.gain, "testing_effect": rates.testing},
            "report": {"pairs": overall.paired, "before": overall.before, "after": overall.after,
                       "gain": gain, "not_asked": overall.control, "after_not_asked": overall.control_after,
                       "testing_effect": effect, "asked": overall.asked, "skipped": overall.skipped,
                       "left_before_quiz": overall.no_after},
            "gain_covered": gain is not None and gain[1] <= rates.gain <= gain[2],
            "testing_effect_covered": effect is not None and effect[1] <= rates.testing <= effect[2],
            "taps_added_per_asked_visit": year["taps_before_per_asked_visit"],
            "taps_added_per_visit": year["taps_before_per_visit"],
            "counter_rows": table_rows, "counter_file_bytes": db_bytes, "daily_files": len(files), "daily_files_bytes": files_bytes,
            "simulation_s": year["seconds"],
        }
        if fleet_kiosks:
            result["fleet"] = _fleet(rows, fleet_kiosks, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if as_json:
        print(json.dumps(result, indent=1))
        return 0

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{100 * x:5.1f} %"

    def span(t: tuple[float, float, float] | None) -> str:
        return "–" if t is None else f"{100 * t[0]:+5.1f} points (95 %: {100 * t[1]:+.1f} to {100 * t[2]:+.1f})"

    r = result["report"]
    print(f"evidence bench: {days} days × {visits_per_day} visits at one kiosk, seed {seed}, through the real "
          f"session and statistics store ({result['simulation_s']:.1f} s)")
    print(f"{'':28}{'truth':>12}   report")
    print(f"{'right before (asked)':28}{pct(rates.before):>12}   {pct(r['before'])} of {r['pairs']} pairs")
    print(f"{'right after (asked)':28}{pct(rates.after_asked):>12}   {pct(r['after'])}")
    print(f"{'gain':28}{100 * rates.gain:+9.1f} pts   {span(r['gain'])}  covered: {result['gain_covered']}")
    print(f"{'right after (not asked)':28}{pct(rates.after):>12}   {pct(r['after_not_asked'])} of {r['not_asked']}")
    print(f"{'testing effect':28}{100 * rates.testing:+9.1f} pts   {span(r['testing_effect'])}  "
          f"covered: {result['testing_effect_covered']}")
    print(f"asked before: {r['asked']}, skipped {r['skipped']}, left before the quiz {r['left_before_quiz']}")
    print(f"taps added: {result['taps_added_per_asked_visit']:.2f} per visit asked, "
          f"{result['taps_added_per_visit']:.2f} per visit on average")
    print(f"counters after the year: {result['counter_rows']} rows (day × language × question × cell), "
          f"{result['counter_file_bytes'] / 1024:.0f} KiB of SQLite; "
          f"{result['daily_files']} daily files, {result['daily_files_bytes'] / 1024:.0f} KiB")
    if fleet_kiosks:
        f = result["fleet"]
        print(f"fleet: {f['kiosks']} kiosks × {days} days = {f['files']} daily files, {f['rows']} rows: merged in "
              f"{f['merge_s']:.2f} s, figures {f['figures_s']:.2f} s, evidence page {f['page_s']:.2f} s "
              f"(total {f['total_s']:.2f} s; processor time: merge {f['merge_cpu_s']:.2f} s, "
              f"figures {f['figures_cpu_s']:.2f} s)")
    return 0
