"""`kiosk check [DIR]`: every problem of a content folder, as file:line: message."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "check", help="check a content folder and list every problem",
        description="Check a content folder. Exit 0 when the kiosk can use it, 1 with every error listed. "
                    "Without DIR: --content, else the content the settings name, else the bundled content.")
    common(parser)
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.commands import speaker
    from kiosk.core.content import check_report
    from kiosk.core.model import default_content_dir
    from kiosk.core.site import default_data_dir, load_settings, settings_path

    directory = args.directory or args.content
    settings, _problems = load_settings(settings_path(args.data_dir or default_data_dir(), args.config))
    if directory is None:
        directory = Path(settings.content_dir) if settings.content_dir else default_content_dir()
    words = speaker(args)
    result, report = check_report(directory, translate=words.t, ngettext=words.nt, evidence=settings.evidence)
    print(report)
    return 0 if result.ok else 1
