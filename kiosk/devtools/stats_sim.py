"""A year of heavy use simulated through the real statistics store: the file's size and record()'s cost.

Run with `kiosk bench --stats [--days N] [--visits-per-day N]`.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

SLIDES = tuple(f"{i:02}-slide" for i in range(1, 11))
QUESTIONS = tuple(f"question-{i:02}" for i in range(1, 15))
LANGUAGE_WEIGHTS = (("kk", 45), ("ru", 35), ("uz", 15), ("en", 5))


def simulate(folder: Path, days: int = 365, visits_per_day: int = 300, hours: int = 12,
             seed: int = 1) -> dict[str, float]:
    """Heavy use through the real record(): `visits_per_day` visitors over `hours` hours a day,
    each with the full mix of events (slides, quiz, leaflet, QR, print failures, exits).
    Durability is switched off while simulating, for speed; it does not change the file's size."""
    from kiosk.core.stats import DB_NAME, open_store

    rng = random.Random(seed)
    now = [dt.datetime(2025, 1, 1, 9)]
    store = open_store(folder, clock=lambda: now[0], durable=False)
    languages = [lang for lang, _ in LANGUAGE_WEIGHTS]
    weights = [w for _, w in LANGUAGE_WEIGHTS]
    events = 0
    started = time.perf_counter()
    for day in range(days):
        for visit in range(visits_per_day):
            minute = visit * hours * 60 // visits_per_day
            now[0] = dt.datetime(2025, 1, 1, 9) + dt.timedelta(days=day, minutes=minute)
            lang = rng.choices(languages, weights)[0]
            todo: list[tuple[str, str, int]] = [("visit", "", 1)]
            if rng.random() < 0.1:
                lang = rng.choice(languages)
                todo.append(("language_switch", "", 1))
            todo += [("slide_view", s, 1) for s in rng.sample(SLIDES, rng.randint(1, 10))]
            if rng.random() < 0.4:
                right = 0
                for q in rng.sample(QUESTIONS, 5):
                    ok = int(rng.random() < 0.7)
                    right += ok
                    todo.append(("quiz_answer", q, ok))
                todo.append(("quiz_finished", "", right * 20))
            if rng.random() < 0.25:
                todo.append(("leaflet_printed", "", 1) if rng.random() > 0.05 else ("print_failed", "", 1))
            if rng.random() < 0.3:
                todo.append(("qr_shown", "", 1))
            todo.append(("quick_exit", "", 1) if rng.random() < 0.03 else ("timeout", "", 1))
            for kind, key, value in todo:
                store.record(kind, lang, key, value)
            events += len(todo)
    simulated = time.perf_counter() - started
    store.close()
    size = sum(p.stat().st_size for p in folder.glob(DB_NAME + "*"))
    return {"days": days, "events": events, "bytes": size, "simulated_s": round(simulated, 1)}


def record_latency(folder: Path, n: int = 500) -> dict[str, float]:
    """record() as the kiosk does it (synchronous=FULL, one commit per event) on this disk."""
    from kiosk.core.stats import open_store

    times = []
    with open_store(folder) as store:
        for i in range(n):
            start = time.perf_counter()
            store.record("slide_view", "kk", SLIDES[i % len(SLIDES)])
            times.append(time.perf_counter() - start)
    times.sort()
    return {"median_ms": round(times[n // 2] * 1000, 2), "p99_ms": round(times[n * 99 // 100] * 1000, 2)}


def run_year(days: int = 365, visits_per_day: int = 300, folder: Path | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="kiosk-stats-bench-", dir=folder) as tmp:
        result = simulate(Path(tmp) / "year", days, visits_per_day)
        mib = result["bytes"] / 1024 / 1024
        print(f"{result['days']} days x {visits_per_day} visits/day = {result['events']:,} events "
              f"in {result['simulated_s']} s: file size {result['bytes']:,} bytes ({mib:.2f} MiB)")
        latency = record_latency(Path(tmp) / "latency")
        print(f"record() with synchronous=FULL in {tmp}: median {latency['median_ms']} ms, "
              f"99th percentile {latency['p99_ms']} ms")
    return 0
