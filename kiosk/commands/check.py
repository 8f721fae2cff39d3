"""`kiosk check [DIR]`: every problem of a content folder, as file:line: message."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import N_

# TRANSLATORS: `kiosk check` with no folder named says which content it checked. {folder} is a path,
# {version} an update number; content_dir is a setting's name: never translated.
C_SHOWN_SETTINGS = N_("This is the content this kiosk shows: the folder content_dir names in the settings.")
C_SHOWN_PACK = N_("This is the content this kiosk shows: update {version}, installed from a signed pack.")
C_SHOWN_BUNDLED = N_("This is the content this kiosk shows: the content it came with (no update is installed).")
# TRANSLATORS: after the errors of the content the kiosk means to show.
C_FALLS_BACK = N_("With these errors the kiosk does not show it: it keeps the last content that worked, "
                  "or the content it came with.")


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "check", help="check a content folder and list every problem",
        description="Check a content folder. Exit 0 when the kiosk can use it, 1 with every error listed. "
                    "Without DIR: --content, else what this kiosk shows: the content the settings name, "
                    "else the installed signed pack, else the bundled content; it says which.")
    common(parser)
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.commands import speaker
    from kiosk.core.content import check_report
    from kiosk.core.packs import wanted_content
    from kiosk.core.site import default_data_dir, load_settings, settings_path

    words = speaker(args)
    directory = args.directory or args.content
    which = ""
    data_dir = args.data_dir or default_data_dir()
    settings, _problems = load_settings(settings_path(data_dir, args.config))
    if directory is None:
        directory, why = wanted_content(Path(settings.content_dir) if settings.content_dir else None, data_dir)
        if why == "pack":
            version = directory.name[1:].split("-")[0]  # packs/v<N>-<token>
            which = words.say(C_SHOWN_PACK, version=version)
        else:
            which = words.say(C_SHOWN_SETTINGS if why == "settings" else C_SHOWN_BUNDLED)
    result, report = check_report(directory, translate=words.t, ngettext=words.nt, evidence=settings.evidence)
    if which:
        first, _, rest = report.partition("\n")
        report = "\n".join([first, which, rest]) if rest else f"{first}\n{which}"
        if not result.ok:
            report += "\n" + words.say(C_FALLS_BACK)
    print(report)
    return 0 if result.ok else 1
