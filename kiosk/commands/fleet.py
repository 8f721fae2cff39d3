"""`kiosk fleet status|report`: which kiosk needs a visit, from the health files the kiosks send.

Both read the folders Syncthing fills at the NGO (`<kiosk_id>/health-*.json`); nothing is written
there. `status` prints one line per kiosk, worst first; `report` writes one self-contained HTML page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.commands import date_argument


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser("fleet", help="the fleet's health: which kiosk needs a visit")
    common(parser)
    actions = parser.add_subparsers(dest="fleet_action", metavar="ACTION", required=True)

    def shared(p: argparse.ArgumentParser) -> None:
        common(p)
        p.add_argument("folders", type=Path, nargs="+", metavar="DIR",
                       help="the kiosks' outboxes as Syncthing delivers them (one per kiosk or one for all)")
        p.add_argument("--packs", type=Path, default=None, metavar="DIR",
                       help="the NGO's published packs: a kiosk on an older pack is named")
        p.add_argument("--today", type=date_argument, default=None,
                       help="judge as of this day by the kiosks' own clocks (a replay or a simulation; "
                            "default: today, with the files' arrival times)")
        p.add_argument("--tray-sheets", type=int, default=250, metavar="N",
                       help="sheets the printers' trays hold (default 250): 'paper running low' at 80%%")

    status = actions.add_parser("status", help="one line per kiosk, worst first")
    shared(status)
    status.set_defaults(run=run_status)
    report = actions.add_parser("report", help="one HTML page: every kiosk, its reasons and a chart, worst first")
    shared(report)
    report.add_argument("--output", type=Path, required=True, help="the HTML file to write")
    report.set_defaults(run=run_report)


def _newest_pack(folder: Path | None) -> int | None:
    if folder is None:
        return None
    from kiosk.core.packs import PackError, read_manifest

    newest = None
    for path in sorted(folder.glob("*")):
        if path.is_file() and path.suffix in (".kpack", ".zip"):
            try:
                version = read_manifest(path).version
            except PackError:
                continue
            newest = version if newest is None else max(newest, version)
    return newest


def _fleet(args: argparse.Namespace) -> Any:
    from kiosk.core.stats import read_fleet

    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        print(f"kiosk fleet: not a folder: {', '.join(missing)}", file=sys.stderr)
        return None
    today = args.today or dt.date.today()
    return read_fleet(args.folders, today, arrivals=args.today is None, newest_pack=_newest_pack(args.packs),
                      tray_sheets=args.tray_sheets)


def run_status(args: argparse.Namespace) -> int:
    from kiosk.commands import speaker
    from kiosk.core.stats import shown
    from kiosk.paper.fleet_page import T_WELL

    fleet = _fleet(args)
    if fleet is None:
        return 2
    say = speaker(args)
    kiosks = fleet.worst_first()
    width = max((len(k.kiosk_id) for k in kiosks), default=5)
    for kiosk in kiosks:
        words = shown("; ".join(r.render(say.t) for r in kiosk.reasons)) or say.say(T_WELL)
        print(f"{kiosk.kiosk_id:<{width}}  {words}")
    for problem in fleet.problems:
        print(f"kiosk fleet: {problem.render(say.t)}", file=sys.stderr)
    return 1 if any(k.reasons for k in kiosks) else 0


def run_report(args: argparse.Namespace) -> int:
    from kiosk.commands import speaker
    from kiosk.core.stats import CHART_DAYS, totals
    from kiosk.paper.fleet_page import fleet_page

    fleet = _fleet(args)
    if fleet is None:
        return 2
    say = speaker(args)
    days = [fleet.today - dt.timedelta(days=i) for i in range(CHART_DAYS, 0, -1)]
    rows = []
    for kiosk in fleet.worst_first():
        values = [(d, kiosk.visits(d)) for d in days]
        known = sorted(v for d, v in values if v is not None and (r := kiosk.record(d)) and r.get("hours_open") != 0)
        median = known[len(known) // 2] if known else 0
        closed = {d for d in days if (r := kiosk.record(d)) is not None and r.get("hours_open") == 0}
        rows.append({"kiosk_id": kiosk.kiosk_id, "reasons": [r.render(say.t) for r in kiosk.reasons],
                     "days": values, "median": median, "closed": closed})
    problems = [p.render(say.t) for p in fleet.problems]
    page = fleet_page(rows, totals(fleet), problems, fleet.today, say.t, say.lang)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".part")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(args.output)
    for problem in problems:
        print(f"kiosk fleet: {problem}", file=sys.stderr)
    attention = sum(1 for r in rows if r["reasons"])
    print(f"{len(rows)} kiosk(s), {attention} needing attention, {len(problems)} file(s) not read: "
          f"{args.output} ({len(page.encode()) // 1024} KiB)")
    return 0
