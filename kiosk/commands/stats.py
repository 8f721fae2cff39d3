"""`kiosk stats export|report|merge|outbox`: the anonymous statistics for the NGO and its donors.
`--evidence` on export and merge: the evidence-of-learning counters (kiosk/core/stats/evidence.py).

Both read the statistics file without writing to it, so they can run while the kiosk runs.
The CSV columns are documented at `kiosk.core.stats.stats.EXPORT_COLUMNS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.commands import date_argument
from kiosk.core.model import LANGUAGES
from kiosk.core.site import Settings, default_data_dir, load_settings, settings_path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser("stats", help="export the anonymous statistics (CSV) or a donor report (PDF)")
    common(parser)
    actions = parser.add_subparsers(dest="stats_action", metavar="ACTION", required=True)

    export = actions.add_parser(
        "export", help="one CSV row per day, kiosk and language",
        description="Write the statistics as CSV: one row per day, kiosk id and language, with a fixed "
                    "header, so files from many kiosks can be put one after another.")
    common(export)
    export.add_argument("--output", type=Path, required=True, help="the CSV file to write ('-' for the screen)")
    export.add_argument("--since", type=date_argument, default=None, help="first day, e.g. 2025-05-01 (default: the first)")
    export.add_argument("--until", type=date_argument, default=None, help="last day (default: today)")
    export.add_argument("--evidence", action="store_true",
                        help="the evidence-of-learning counters instead: one row per day, kiosk, language and "
                             "question, with their own fixed header")
    export.set_defaults(run=run_export)

    report = actions.add_parser(
        "report", help="a one-page PDF report for donors",
        description="Write a one-page A4 PDF with the figures and charts of a period (default: the last "
                    "30 days), in one language.",
        conflict_handler="resolve")  # its own --lang (the report's language) wins after its name
    common(report)
    report.add_argument("--output", type=Path, required=True, help="the PDF file to write")
    report.add_argument("--fleet", type=Path, action="append", default=None, metavar="DIR",
                        help="the daily files of many kiosks (a Syncthing folder): a page for all, then one per kiosk")
    report.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default: en)")
    report.add_argument("--since", type=date_argument, default=None, help="first day (default: 29 days before --until)")
    report.add_argument("--until", type=date_argument, default=None, help="last day (default: today)")
    report.set_defaults(run=run_report)

    merge = actions.add_parser(
        "merge", help="merge the daily files of many kiosks into one CSV",
        description="Read every <kiosk_id>/<date>.csv below the folders (the kiosks' outboxes, as Syncthing "
                    "delivers them) and write one CSV with the export's header; a row seen twice counts once.")
    merge.add_argument("folders", type=Path, nargs="+", metavar="DIR")
    merge.add_argument("--output", type=Path, required=True, help="the CSV file to write ('-' for the screen)")
    merge.add_argument("--evidence", action="store_true",
                       help="merge the evidence-of-learning files (<date>.evidence.csv) instead")
    merge.set_defaults(run=run_merge)

    outbox = actions.add_parser(
        "outbox", help="write the daily files of finished days into the outbox folder now")
    common(outbox)
    outbox.add_argument("--folder", type=Path, default=None, help="the outbox (default: outbox_dir in the settings)")
    outbox.set_defaults(run=run_outbox)


def _settings(args: argparse.Namespace) -> tuple[Path, Settings]:
    data_dir = args.data_dir or default_data_dir()
    settings, problems = load_settings(settings_path(data_dir, args.config))
    if problems.items:
        from kiosk.commands import speaker

        translate = speaker(args).t
        for problem in problems.items:
            print(f"kiosk stats: {problem.render(translate)}", file=sys.stderr)
    return data_dir, settings


def _write_evidence(output: Path, rows: list, kiosk_id: str | None) -> int:  # type: ignore[type-arg]
    from kiosk.core.stats import write_evidence_csv as write_csv

    if str(output) == "-":
        write_csv(sys.stdout, rows, kiosk_id)
        return len(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        n = write_csv(fh, rows, kiosk_id)
    tmp.replace(output)
    print(f"{n} evidence row(s) written to {output}")
    return n


def run_export(args: argparse.Namespace) -> int:
    from kiosk.core.stats import StatsUnavailable, open_store, write_csv

    data_dir, settings = _settings(args)
    try:
        store = open_store(data_dir, readonly=True)
    except StatsUnavailable as exc:
        print(f"kiosk stats: {exc}", file=sys.stderr)
        return 2
    if args.evidence:
        with store:
            evidence_rows = store.evidence_rows(args.since, args.until, settings.kiosk_id)
        _write_evidence(args.output, evidence_rows, settings.kiosk_id)
        return 0
    with store:
        rows = store.day_rows(args.since, args.until)
    if str(args.output) == "-":
        write_csv(sys.stdout, rows, settings.kiosk_id)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        n = write_csv(fh, rows, settings.kiosk_id)
    tmp.replace(args.output)
    span = f" from {rows[0].day} to {rows[-1].day}" if rows else ""
    print(f"{n} row(s){span} written to {args.output}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from kiosk.core.stats import merge_lines, write_merged_lines

    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        print(f"kiosk stats: not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.evidence:
        from kiosk.core.stats import merge_evidence

        evidence_rows, skipped = merge_evidence(args.folders)
        for problem in skipped:
            print(f"kiosk stats: skipped {problem}", file=sys.stderr)
        _write_evidence(args.output, evidence_rows, None)
        return 1 if skipped and not evidence_rows else 0
    rows, problems = merge_lines(args.folders)
    for problem in problems:
        print(f"kiosk stats: skipped {problem}", file=sys.stderr)
    if str(args.output) == "-":
        write_merged_lines(sys.stdout, rows)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        n = write_merged_lines(fh, rows)
    tmp.replace(args.output)
    kiosks = len({r.split(",", 2)[1] for r in rows})
    print(f"{n} row(s) from {kiosks} kiosk(s) written to {args.output}")
    return 1 if problems and not rows else 0


def run_outbox(args: argparse.Namespace) -> int:
    from kiosk.core.stats import StatsUnavailable, open_store, write_daily_files

    data_dir, settings = _settings(args)
    folder = args.folder or (Path(settings.outbox_dir) if settings.outbox_dir else None)
    if folder is None:
        print("kiosk stats: no outbox: set outbox_dir in the settings or give --folder", file=sys.stderr)
        return 2
    try:
        store = open_store(data_dir, readonly=True)
    except StatsUnavailable as exc:
        print(f"kiosk stats: {exc}", file=sys.stderr)
        return 2
    with store:
        written = write_daily_files(store, folder, settings.kiosk_id)
    print(f"{len(written)} daily file(s) written to {folder}")
    return 0


def _fleet_report(args: argparse.Namespace) -> int:
    from kiosk.core.stats import fleet_figures, merge

    rows, problems = merge(args.fleet)
    for problem in problems:
        print(f"kiosk stats: skipped {problem}", file=sys.stderr)
    total, per_kiosk = fleet_figures(rows, args.since, args.until)
    from kiosk.core.stats import evidence_figures, merge_evidence

    evidence_rows, skipped = merge_evidence(args.fleet)
    for problem in skipped:
        print(f"kiosk stats: skipped {problem}", file=sys.stderr)
    evidence = evidence_figures(evidence_rows, total.first, total.last)
    questions: dict[str, str] = {}
    if not evidence.empty:
        questions, _organisation = _content_texts(args, _settings(args)[1], args.lang)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from kiosk.core.model import I18n
    from kiosk.paper.report import write_fleet_report_pdf
    from kiosk.ui.application import application

    _app = application(QGuiApplication)
    write_fleet_report_pdf(args.output, total, per_kiosk, args.lang, i18n=I18n(),
                           made_on=dt.date.today(), evidence=evidence, questions=questions)
    print(f"fleet report for {total.first} to {total.last}: {total.visits} visits at {len(per_kiosk)} kiosk(s), "
          f"{len(per_kiosk) + 1 + (not evidence.empty)} page(s) written to {args.output}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from kiosk.core.stats import StatsUnavailable, open_store

    if args.fleet:
        return _fleet_report(args)
    data_dir, settings = _settings(args)
    try:
        store = open_store(data_dir, readonly=True)
    except StatsUnavailable as exc:
        print(f"kiosk stats: {exc}", file=sys.stderr)
        return 2
    until = args.until or dt.date.today()
    since = args.since or until - dt.timedelta(days=29)
    if since > until:
        print("kiosk stats: --since is after --until", file=sys.stderr)
        return 2
    with store:
        figures = store.figures_between(since, until)
        evidence_rows = store.evidence_rows(since, until)
    from kiosk.core.stats import evidence_figures

    evidence = evidence_figures(evidence_rows)
    questions, organisation = _content_texts(args, settings, args.lang)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a report needs no screen
    from PySide6.QtGui import QGuiApplication

    from kiosk.core.model import I18n
    from kiosk.paper.report import write_report_pdf
    from kiosk.ui.application import application

    _app = application(QGuiApplication)
    write_report_pdf(args.output, figures, args.lang, settings.kiosk_id, questions=questions,
                     i18n=I18n(), made_on=dt.date.today(),
                     organisation=organisation, evidence=evidence)
    pages = "" if evidence.empty else f", evidence of learning on page 2 ({evidence.overall.paired} pairs)"
    print(f"report for {since} to {until} ({figures.visits} visits{pages}) written to {args.output}")
    return 0


def _content_texts(args: argparse.Namespace, settings: Settings, language: str) -> tuple[dict[str, str], str]:
    """Question texts and the organisation's name, when the kiosk's content can be read."""
    from kiosk.core.content import load_content
    from kiosk.core.model import default_content_dir

    folder = args.content or (Path(settings.content_dir) if settings.content_dir else default_content_dir())
    content = load_content(folder).content
    if content is None:
        print(f"kiosk stats: the content in {folder} has errors; questions are shown by id", file=sys.stderr)
        return {}, ""
    questions = {q.id: q.prompt.get(language) for q in content.quiz.questions} if content.quiz else {}
    return questions, content.organisation.name.get(language)
