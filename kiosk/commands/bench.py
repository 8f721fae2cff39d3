"""`kiosk bench`: figures measured on this machine (the code is in kiosk/devtools)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure start-up, tap latency and memory (or, with --stats, the statistics file)")
    common(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--taps", type=int, default=200, help="taps measured per start (default 200)")
    parser.add_argument("--changes", type=int, default=20_000,
                        help="screen changes in the memory soak (default 20000)")
    parser.add_argument("--stats", action="store_true",
                        help="instead: simulate a year of heavy use; print the statistics file's size and "
                             "the time of one recorded event")
    parser.add_argument("--printing", action="store_true",
                        help="instead: time from a tap on Print to the job accepted, for the cups and qt backends "
                             "(needs --printer; a cups-pdf queue prints nothing on paper)")
    parser.add_argument("--printer", default="", help="with --printing: the printer to print on")
    parser.add_argument("--narration", action="store_true",
                        help="instead: time from a tap on Listen to the audio player started, and from Stop to "
                             "it gone (--taps, at most 50 here)")
    parser.add_argument("--player", default="",
                        help="with --narration: the player command (default: the one this kiosk would use)")
    parser.add_argument("--loudness", type=Path, default=None, metavar="AUDIO_DIR",
                        help="instead: the loudness (LUFS) and true peak (dBTP) of every audio file under "
                             "AUDIO_DIR, e.g. content/audio, per language (ffmpeg's ebur128)")
    parser.add_argument("--repeat", type=int, default=5, help="with --printing: prints per backend (default 5)")
    parser.add_argument("--days", type=int, default=365, help="with --stats: days simulated (default 365)")
    parser.add_argument("--visits-per-day", type=int, default=300,
                        help="with --stats (default 300); with --evidence (default 100)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="with --stats or --fleet: where to simulate (default: a temporary folder)")
    parser.add_argument("--fleet", type=int, default=0, metavar="N",
                        help="instead: simulate N kiosks' health and statistics files for --days days (a few "
                             "in each kind of trouble, the truth printed) and time `kiosk fleet report` on them")
    parser.add_argument("--evidence", action="store_true",
                        help="instead: a year of visits at one kiosk from known true rates, through the real session "
                             "and statistics store; prints the truth beside the report's gain, interval and "
                             "testing effect, the taps added and the counters' size")
    parser.add_argument("--seed", type=int, default=1, help="with --evidence: the random seed (default 1)")
    parser.add_argument("--fleet-kiosks", type=int, default=0, metavar="N",
                        help="with --evidence: also time adding up and reporting N kiosks' daily files of that year")
    parser.add_argument("--frozen", type=Path, default=None, metavar="PATH",
                        help="instead: start to first frame of the frozen kiosk PATH (dist/kiosk/kiosk) against "
                             "this Python's kiosk, taking turns, in one sitting")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.fleet:
        from kiosk.devtools.fleet_sim import run_fleet

        return run_fleet(args.fleet, args.days, args.folder)
    if args.loudness is not None:
        return _loudness(args.loudness, args.json)
    if args.narration:
        from kiosk.devtools.narration_bench import run as run_narration

        return run_narration(min(args.taps, 50), args.player, args.json)
    if args.printing:
        if not args.printer:
            print("kiosk bench: --printing needs --printer NAME (a cups-pdf queue prints nothing)", file=sys.stderr)
            return 2
        from kiosk.devtools.print_bench import run as run_printing

        return run_printing(args.printer, args.repeat)
    if args.evidence:
        from kiosk.devtools.evidence_bench import run as run_evidence

        visits = args.visits_per_day if args.visits_per_day != 300 else 100  # one kiosk: 100 a day by default
        return run_evidence(args.seed, args.days, visits, args.json, args.fleet_kiosks)
    if args.stats:
        given = [flag for flag, dest in (("--data-dir", "data_dir"), ("--config", "config"), ("--content", "content"))
                 if getattr(args, dest, None) is not None]
        if given:  # the simulated year never touches a kiosk's folder, settings or content
            print(f"kiosk bench --stats: {', '.join(given)} mean nothing here: it simulates a year in a "
                  "temporary folder of its own (put that folder elsewhere with --folder DIR)", file=sys.stderr)
            return 2
        from kiosk.devtools.stats_sim import run_year

        return run_year(args.days, args.visits_per_day, args.folder)
    from kiosk.devtools.bench import run_bench

    return run_bench(args)


def _loudness(folder: Path, as_json: bool) -> int:
    """Per language folder: files, the range of integrated loudness, the highest true peak and how
    many files peak above -1 dBTP; then the same for all."""
    import json

    from kiosk.core.narration import LoudnessError, level

    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".mp3", ".ogg", ".wav") and p.is_file())
    if not files:
        print(f"kiosk bench --loudness: no audio files under {folder}", file=sys.stderr)
        return 2
    import os
    from concurrent.futures import ThreadPoolExecutor

    rows: dict[str, list[tuple[float, float]]] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one ffmpeg per CPU
        try:
            levels = list(pool.map(level, files))
        except LoudnessError as exc:
            print(f"kiosk bench --loudness: {exc}", file=sys.stderr)
            return 1
    for path, measured in zip(files, levels, strict=True):
        group = path.relative_to(folder).parts[0] if len(path.relative_to(folder).parts) > 1 else "."
        rows.setdefault(group, []).append((measured.lufs, measured.peak))
    rows["all"] = [r for group in list(rows.values()) for r in group]
    figures = {group: {"files": len(values), "lufs_min": min(v[0] for v in values),
                       "lufs_max": max(v[0] for v in values), "peak_max": max(v[1] for v in values),
                       "over_minus_1_dbtp": sum(1 for v in values if v[1] > -1.0)}
               for group, values in rows.items()}
    if as_json:
        print(json.dumps(figures))
        return 0
    for group, f in figures.items():
        print(f"{group}: {f['files']} files, {f['lufs_min']:.1f} to {f['lufs_max']:.1f} LUFS, "
              f"highest true peak {f['peak_max']:.1f} dBTP, {f['over_minus_1_dbtp']} above -1 dBTP")
    return 0
