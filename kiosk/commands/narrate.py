"""`kiosk narrate DIR`: synthetic narration (MP3) for everything a visitor can hear, in every language."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser(
        "narrate", help="make the narration audio of a content folder (espeak-ng or Piper)",
        description="Write audio/<lang>/<hash>.mp3 for every text a visitor can hear and audio/narration.yaml. "
                    "Only what changed is made again; files no text uses any more are removed; human "
                    "recordings in audio/<lang>/recorded/ are kept and win over the synthetic voice.",
        conflict_handler="resolve")  # its own --lang (the languages to narrate) wins after its name
    common(parser)
    parser.add_argument("directory", type=Path, help="the content folder, e.g. content/")
    parser.add_argument("--lang", dest="narrate_lang", action="append", default=None,
                        help="only this language (repeatable)")
    parser.add_argument("--engine", default="espeak-ng", choices=("espeak-ng", "piper"),
                        help="the voice: espeak-ng (default, offline, kk ru uz en) or piper (needs --voice)")
    parser.add_argument("--voice", type=Path, default=None, help="piper: the voice model, e.g. ru_RU-irina-medium.onnx")
    parser.add_argument("--jobs", type=int, default=None, help="texts spoken at once (default: the number of CPUs)")
    parser.add_argument("--redo", action="store_true", help="make every file again, e.g. with another engine")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from kiosk.core.i18n import I18n
    from kiosk.core.loader import load_content
    from kiosk.core.narrate import Engine, NarrateError, narrate

    def fail(message: str) -> int:
        print(f"kiosk narrate: {message}", file=sys.stderr)
        return 1

    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be 1 or more")
    result = load_content(args.directory)
    if result.content is None:
        errors = result.problems.errors
        for problem in sorted(errors)[:20]:
            print(f"  {problem}", file=sys.stderr)
        return fail(f"the content in {args.directory} has {len(errors)} error(s); fix them first "
                    f"(kiosk check {args.directory} lists them all)")
    engine = Engine(args.engine, args.voice)
    languages = args.narrate_lang or list(result.content.languages)
    print(f"Narrating {args.directory} ({', '.join(languages)}) with {args.engine}")

    def progress(message: str) -> None:
        if sys.stdout.isatty():
            print(f"\r  {message}", end="", flush=True)

    try:
        summary = narrate(result.content, I18n(), languages, engine, args.jobs, args.redo, progress)
    except NarrateError as exc:
        if sys.stdout.isatty():
            print()
        return fail(f"{exc}. The audio that was there is unchanged.")
    except KeyboardInterrupt:
        return fail("stopped. The audio that was there is unchanged; run it again to finish.")
    if sys.stdout.isatty():
        print("\r", end="")
    for lang, s in summary.languages.items():
        line = (f"  {lang}: {s.items} items, {s.texts} synthetic files: made {s.made}, kept {s.kept}, "
                f"removed {len(s.removed)}")
        if s.recorded:
            line += f"; {s.recorded} read by a human recording"
        print(line)
        for name in s.removed:
            print(f"      removed audio/{lang}/{name} (no text uses it any more)")
        for name in s.new_recordings:
            print(f"      new human recording: {name}")
        for name in s.stale_recordings:
            print(f"      STALE: {name} reads an older text; record it again (the synthetic voice reads it meanwhile)")
        if s.other_engine:
            print(f"      {s.other_engine} kept files were made by another engine or voice (--redo makes them again)")
    for path in summary.unknown_recordings:
        print(f"  NOT USED: {path.relative_to(result.content.root)} is not the name of anything the kiosk reads aloud (kiosk check says which are)")
    print(f"Done in {summary.seconds:.1f} s; the audio folder holds {summary.bytes / 1e6:.1f} MB.")
    return 0
