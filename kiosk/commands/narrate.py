"""`kiosk narrate DIR`: synthetic narration (MP3) for everything a visitor can hear, in every language."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import N_

# TRANSLATORS: `kiosk narrate` on the command line, read by authors. Options (--jobs, --redo),
# commands (kiosk check) and file names are never translated.
N_JOBS = N_("--jobs must be 1 or more")
N_CONTENT_ERRORS = N_("the content in {directory} has {count} error(s); fix them first "
                      "(kiosk check {directory} lists them all)")
N_START = N_("Narrating {directory} ({languages}) with {engine}")
N_FAILED = N_("{reason}. The audio that was there is unchanged.")
N_STOPPED = N_("stopped. The audio that was there is unchanged; run it again to finish.")
N_LANGUAGE = N_("{lang}: {items} items, {texts} synthetic files: made {made}, kept {kept}, removed {removed}")
N_RECORDED = N_("; {count} read by a human recording")
N_REMOVED = N_("removed {file} (no text uses it any more)")
N_NEW_RECORDING = N_("new human recording: {file}")
N_STALE = N_("STALE: {file} reads an older text; record it again (the synthetic voice reads it meanwhile)")
N_OTHER_ENGINE = N_("{count} kept files were made by another engine or voice (--redo makes them again)")
N_NOT_USED = N_("NOT USED: {file} is not the name of anything the kiosk reads aloud (kiosk check says which are)")
N_DONE = N_("Done in {seconds} s; the audio folder holds {megabytes} MB.")


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

    from kiosk.commands import speaker
    from kiosk.core.content import load_content
    from kiosk.core.model import I18n
    from kiosk.core.narration import Engine, NarrateError, narrate_content

    words = speaker(args)

    def fail(message: str) -> int:
        print(f"kiosk narrate: {message}", file=sys.stderr)
        return 1

    if args.jobs is not None and args.jobs < 1:
        return fail(words.say(N_JOBS))
    result = load_content(args.directory)
    if result.content is None:
        errors = result.problems.errors
        for problem in sorted(errors)[:20]:
            print(f"  {problem.render(words.t)}", file=sys.stderr)
        return fail(words.say(N_CONTENT_ERRORS, directory=str(args.directory), count=len(errors)))
    engine = Engine(args.engine, args.voice)
    languages = args.narrate_lang or list(result.content.languages)
    print(words.say(N_START, directory=str(args.directory), languages=", ".join(languages), engine=args.engine))

    def progress(message: str) -> None:
        if sys.stdout.isatty():
            print(f"\r  {message}", end="", flush=True)

    try:
        summary = narrate_content(result.content, I18n(), languages, engine, args.jobs, args.redo, progress)
    except NarrateError as exc:
        if sys.stdout.isatty():
            print()
        return fail(words.say(N_FAILED, reason=exc.message))
    except KeyboardInterrupt:
        return fail(words.say(N_STOPPED))
    if sys.stdout.isatty():
        print("\r", end="")
    for lang, s in summary.languages.items():
        line = words.say(N_LANGUAGE, lang=lang, items=s.items, texts=s.texts, made=s.made, kept=s.kept,
                         removed=len(s.removed))
        if s.recorded:
            line += words.say(N_RECORDED, count=s.recorded)
        print(f"  {line}")
        for name in s.removed:
            print("      " + words.say(N_REMOVED, file=f"audio/{lang}/{name}"))
        for name in s.new_recordings:
            print("      " + words.say(N_NEW_RECORDING, file=name))
        for name in s.stale_recordings:
            print("      " + words.say(N_STALE, file=name))
        if s.other_engine:
            print("      " + words.say(N_OTHER_ENGINE, count=s.other_engine))
    for path in summary.unknown_recordings:
        print("  " + words.say(N_NOT_USED, file=str(path.relative_to(result.content.root))))
    print(words.say(N_DONE, seconds=f"{summary.seconds:.1f}", megabytes=f"{summary.bytes / 1e6:.1f}"))
    return 0
