"""`kiosk narrate DIR`: synthetic narration (MP3) for everything a visitor can hear, in every language."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.model import N_

if TYPE_CHECKING:
    from kiosk.commands import Speaker
    from kiosk.core.model import Content

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
# TRANSLATORS: `kiosk narrate --script/--recordings` (a recording day). Options and file names are
# never translated.
N_ONE_LANGUAGE = N_("--script and --recordings work on one language: name it with --lang (for example --lang kk)")
N_NEEDS_OUTPUT = N_("--script needs --output FILE.pdf, the file to write")
N_SCRIPT_DONE = N_("Wrote {file}: {count} lines to record in {lang}.")
N_BROUGHT = N_("{lang}: {count} recordings brought in to {folder}")
N_MISSING = N_("MISSING: line {number} ({name}) has no recording")
N_UNMATCHED = N_("NOT USED: {file} matches no line of the script (name it by its number or by the name in grey)")
N_TWICE = N_("NOT USED: {file} is a second recording of a line that has one")
N_SILENT = N_("NOT USED: {file} holds no voice (only silence)")
N_TOO_SHORT = N_("TOO SHORT: line {number} ({name}) lasts {seconds} s, the text takes about {expected} s; "
                 "is it the whole line?")
N_TOO_LONG = N_("TOO LONG: line {number} ({name}) lasts {seconds} s, the text takes about {expected} s; "
                "is it the right line?")
N_CLIPPED = N_("CLIPPED: line {number} ({name}): the recording reached full scale and is distorted; "
               "record it again a little further from the microphone")


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
    parser.add_argument("--script", action="store_true",
                        help="instead: write the recording script of one --lang to --output FILE.pdf")
    parser.add_argument("--output", type=Path, default=None, help="with --script: the PDF to write")
    parser.add_argument("--recordings", type=Path, default=None, metavar="FOLDER",
                        help="instead: bring a voice actor's files of one --lang into audio/<lang>/recorded/ "
                             "(named by line number or item name; trimmed, normalised, encoded)")
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
    if args.script or args.recordings is not None:
        if not args.narrate_lang or len(args.narrate_lang) != 1:
            return fail(words.say(N_ONE_LANGUAGE))
        if args.script:
            return _script(args, result.content, words, fail)
        code = _recordings(args, result.content, words, fail)
        if code:
            return code
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


def _script(args: argparse.Namespace, content: Content, words: Speaker, fail: Callable[[str], int]) -> int:
    import os
    import sys

    from kiosk.core.model import I18n
    from kiosk.core.narration import script_items

    if args.output is None:
        return fail(words.say(N_NEEDS_OUTPUT))
    lang = args.narrate_lang[0]
    if lang not in content.languages:
        return fail(words.say(N_("the pack has no language {unknown}; its languages are {languages}"),
                              unknown=lang, languages=", ".join(content.languages)))
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed
    from PySide6.QtGui import QGuiApplication

    from kiosk.paper.script import write_script_pdf

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    i18n = I18n()
    lines = script_items(content, i18n, lang)
    write_script_pdf(args.output, lines, lang, i18n, f"{content.id} {content.version}")
    print(words.say(N_SCRIPT_DONE, file=str(args.output), count=len(lines), lang=lang))
    return 0


def _recordings(args: argparse.Namespace, content: Content, words: Speaker, fail: Callable[[str], int]) -> int:
    """Bring the files in; the normal run that follows registers them in audio/narration.yaml."""
    from kiosk.core.model import I18n
    from kiosk.core.narration import RecordingError, bring_in

    say = words.say
    lang = args.narrate_lang[0]
    if lang not in content.languages:
        return fail(say(N_("the pack has no language {unknown}; its languages are {languages}"),
                        unknown=lang, languages=", ".join(content.languages)))
    try:
        done = bring_in(content, I18n(), lang, args.recordings)
    except RecordingError as exc:
        return fail(say(N_FAILED, reason=exc.args[0]))
    print(say(N_BROUGHT, lang=lang, count=len(done.brought), folder=f"audio/{lang}/recorded/"))
    for b in done.brought:
        name, number = b.line.item.slug, b.line.number
        seconds, expected = f"{b.seconds:.1f}", f"{b.line.expected_seconds:.1f}"
        if b.too_short:
            print("  " + say(N_TOO_SHORT, number=number, name=name, seconds=seconds, expected=expected))
        if b.too_long:
            print("  " + say(N_TOO_LONG, number=number, name=name, seconds=seconds, expected=expected))
        if b.clipped:
            print("  " + say(N_CLIPPED, number=number, name=name))
    for line in done.missing:
        print("  " + say(N_MISSING, number=line.number, name=line.item.slug))
    for path in done.unmatched:
        print("  " + say(N_UNMATCHED, file=path.name))
    for path in done.twice:
        print("  " + say(N_TWICE, file=path.name))
    for path in done.silent:
        print("  " + say(N_SILENT, file=path.name))
    return 0
