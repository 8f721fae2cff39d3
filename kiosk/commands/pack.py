"""`kiosk pack build|keygen|sign|verify|install|rollback|status|bench`: signed content updates.

The NGO builds, signs and publishes; a kiosk only verifies and installs (its settings hold the
public keys, never a secret key). See docs/FLEET.md, "Content updates".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.core.model import N_

# TRANSLATORS: `kiosk pack` on the command line. Words after "kiosk pack" or "--" are commands and
# options: never translated.
P_NOT_BUILT = N_("the content has errors (listed above); no pack was built. Fix them and build again")
P_VERSION = N_("--version should be a whole number of 1 or more, higher than the last pack published")
P_BUILT = N_("pack {version} ('{id}' version {content_version}, {files} files, {size} bytes) written to {output}")
P_SIGN_IT = N_("now sign it: kiosk pack sign {output} --key NGO.key")
P_EXISTS = N_("{path} exists already; use --force to replace it")
P_KEYS = N_("key {id}: the secret key is in {secret} (keep it off the kiosks), the public key in {public}")
P_KEY_LINE = N_("on each kiosk, in settings.yaml:  pack_key_current: {key}")
P_PASSPHRASE = N_("Passphrase: ")
P_PASSPHRASE_AGAIN = N_("Passphrase (again): ")
P_PASSPHRASES_DIFFER = N_("the two passphrases differ; nothing was written")
P_NO_TERMINAL_KEYGEN = N_("there is no terminal to ask for a passphrase (standard input is closed or not a "
                          "terminal). Give it on the first line of standard input with --passphrase-stdin, or "
                          "make a key without one with --unprotected. Nothing was written")
P_NO_TERMINAL_SIGN = N_("the secret key {path} is protected by a passphrase, and there is no terminal to ask "
                        "for it (standard input is closed or not a terminal). Give it on the first line of "
                        "standard input with --passphrase-stdin. Nothing was written")
P_STDIN_EMPTY = N_("--passphrase-stdin: standard input is closed or empty, so there is no passphrase to read. "
                   "Nothing was written")
P_EMPTY_PASSPHRASE = N_("the passphrase is empty; for a key without a passphrase use --unprotected. "
                        "Nothing was written")
# TRANSLATORS: {error} is the system's own words.
P_NO_SECRET = N_("cannot read the secret key {path}: {error}")
P_SIGNED = N_("signed with key {id}: {file}")
P_VERIFIED = N_("OK: pack {version}, {files} files, signed by key {signer}: {comment}")
P_KEPT = N_("The kiosk keeps its current content.")
P_INSTALLED = N_("installed pack {version} (content version {content}, signed by {signer}); a running kiosk "
                 "shows it after “Reload content from disk” on the staff screen, or after a restart")
P_ROLLED_BACK = N_("back to {folder}")
P_CURRENT = N_("current: {folder}")
P_PREVIOUS = N_("previous: {folder}")
P_NONE_BUNDLED = N_("none (the bundled content)")
P_NONE = N_("none")


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = subparsers.add_parser("pack", help="signed content updates: build, sign, verify, install, roll back")
    actions = parser.add_subparsers(dest="pack_action", metavar="ACTION", required=True)

    build = actions.add_parser("build", help="check a content folder and zip it into one pack file")
    build.add_argument("directory", type=Path, help="the content folder")
    build.add_argument("--version", type=int, required=True, help="the pack's number: higher than the last one published")
    build.add_argument("--output", type=Path, required=True, help="the pack to write, e.g. sana-sezim-7.kpack")
    build.add_argument("--min-kiosk-version", default=None,
                       help="the oldest kiosk program that can show it (default: this program's version)")
    build.set_defaults(run=run_build)

    keygen = actions.add_parser("keygen", help="make the NGO's key pair (minisign format)")
    keygen.add_argument("--secret", type=Path, required=True, help="the secret key file to write (keep it off kiosks)")
    keygen.add_argument("--public", type=Path, required=True, help="the public key file to write")
    keygen.add_argument("--unprotected", action="store_true", help="no passphrase (as minisign -W)")
    keygen.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from the first line of stdin")
    keygen.add_argument("--force", action="store_true", help="overwrite existing key files")
    # The cost of deriving the key from the passphrase; minisign's (1 GiB) unless told. Tests only.
    keygen.add_argument("--kdf-opslimit", type=int, default=None, help=argparse.SUPPRESS)
    keygen.add_argument("--kdf-memlimit", type=int, default=None, help=argparse.SUPPRESS)
    keygen.set_defaults(run=run_keygen)

    sign = actions.add_parser("sign", help="sign a pack: writes FILE.minisig beside it")
    sign.add_argument("file", type=Path)
    sign.add_argument("--key", type=Path, required=True, help="the secret key")
    sign.add_argument("--comment", default=None, help="the trusted comment (default: the pack's number and content)")
    sign.add_argument("--passphrase-stdin", action="store_true")
    sign.set_defaults(run=run_sign)

    verify = actions.add_parser("verify", help="check a pack's signature and every file's checksum")
    verify.add_argument("file", type=Path)
    verify.add_argument("--key", type=Path, action="append", default=None,
                        help="a public key file (default: the keys in the settings); repeatable")
    common(verify)
    verify.set_defaults(run=run_verify)

    install = actions.add_parser("install", help="verify and install a pack on this kiosk")
    install.add_argument("file", type=Path)
    install.add_argument("--key", type=Path, action="append", default=None,
                         help="a public key file (default: the keys in the settings); repeatable")
    common(install)
    install.set_defaults(run=run_install)

    rollback = actions.add_parser("rollback", help="go back to the previously installed pack")
    common(rollback)
    rollback.set_defaults(run=run_rollback)

    status = actions.add_parser("status", help="which pack is installed, the previous one and the history")
    common(status)
    status.set_defaults(run=run_status)

    bench = actions.add_parser("bench", help="time verify+install of the default pack and a big one; peak memory")
    bench.add_argument("--big-mb", type=int, default=200, help="size of the big pack's audio (default 200 MB)")
    bench.add_argument("--folder", type=Path, default=None, help="scratch folder (default: a temporary one)")
    bench.add_argument("--merge-kiosks", type=int, default=100)
    bench.add_argument("--merge-days", type=int, default=365)
    bench.add_argument("--fuzz", type=int, default=0, metavar="N",
                       help="instead: N packs with hostile names inside, read as a kiosk reads them; "
                            "prints accepted/refused/crashed (exit 1 on any crash)")
    bench.add_argument("--seed", type=int, default=22, help="--fuzz: the seed of the random names")
    bench.set_defaults(run=run_bench)


def _words(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kiosk.commands import speaker

    return speaker(args)


def _fail(message: object, args: argparse.Namespace | None = None, **params: object) -> int:
    """`message` is an N_ template (with `params`), a PackError, or the words of another library."""
    from kiosk.core.packs import PackError

    if args is not None and isinstance(message, PackError):
        message = message.translated(_words(args).t)
    elif args is not None and isinstance(message, str):
        message = _words(args).say(message, **params)
    from kiosk.core.model import escape_controls

    # a message rendered above is escaped already (escaping is idempotent); another library's words
    # (an OSError, minisign's) may hold a file name from outside
    print(f"kiosk pack: {escape_controls(str(message))}", file=sys.stderr)
    return 1


def has_terminal() -> bool:
    """Whether a person can be asked: standard input is open and a terminal. A script, a scheduled
    task or `ssh host cmd` has none (closed, /dev/null, a pipe); asking there would end at EOF."""
    try:
        return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def read_stdin_line() -> str | None:
    """The first line of standard input without its line end; None when stdin is closed or at EOF."""
    try:
        if sys.stdin is None or sys.stdin.closed:
            return None
        line = sys.stdin.readline()
    except (OSError, ValueError):
        return None
    return line.rstrip("\r\n") if line else None


class NoInput(Exception):
    """The passphrase cannot be had: a message for the person, exit code 2 (a usage error)."""


def _passphrase(args: argparse.Namespace, confirm: bool, no_terminal: str = P_NO_TERMINAL_KEYGEN,
                **params: object) -> str:
    import getpass

    words = _words(args)
    if args.passphrase_stdin:
        line = read_stdin_line()
        if line is None:
            raise NoInput(words.say(P_STDIN_EMPTY))
        if confirm and not line:
            raise NoInput(words.say(P_EMPTY_PASSPHRASE))
        return line
    if not has_terminal():
        raise NoInput(words.say(no_terminal, **params))
    try:
        first = getpass.getpass(words.say(P_PASSPHRASE))
        if confirm and getpass.getpass(words.say(P_PASSPHRASE_AGAIN)) != first:
            raise SystemExit("kiosk pack: " + words.say(P_PASSPHRASES_DIFFER))
    except EOFError:  # the terminal closed while asking (Ctrl-D)
        raise NoInput(words.say(no_terminal, **params)) from None
    if confirm and not first:
        raise NoInput(words.say(P_EMPTY_PASSPHRASE))
    return first


def _no_input(exc: NoInput) -> int:
    print(f"kiosk pack: {exc}", file=sys.stderr)
    return 2


def run_build(args: argparse.Namespace) -> int:
    from kiosk.core.content import check_report
    from kiosk.core.packs import PackError, build_pack

    words = _words(args)
    result, report = check_report(args.directory, translate=words.t, ngettext=words.nt)
    print(report)
    if result.content is None:
        return _fail(P_NOT_BUILT, args)
    if args.version < 1:
        return _fail(P_VERSION, args)
    try:
        manifest = build_pack(args.directory, args.version, args.output, args.min_kiosk_version)
    except PackError as exc:
        return _fail(exc, args)
    except OSError as exc:
        return _fail(exc)
    size = args.output.stat().st_size
    print(words.say(P_BUILT, version=manifest.version, id=manifest.content_id,
                    content_version=manifest.content_version, files=len(manifest.files), size=f"{size:,}",
                    output=args.output))
    print(words.say(P_SIGN_IT, output=args.output))
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    from kiosk.core.packs import MEMLIMIT_SENSITIVE, OPSLIMIT_SENSITIVE, SecretKey

    for path in (args.secret, args.public):
        if path.exists() and not args.force:
            return _fail(P_EXISTS, args, path=path)
    try:
        passphrase = None if args.unprotected else _passphrase(args, confirm=True)
    except NoInput as exc:
        return _no_input(exc)
    key = SecretKey.generate()
    text = key.to_text(passphrase, args.kdf_opslimit or OPSLIMIT_SENSITIVE, args.kdf_memlimit or MEMLIMIT_SENSITIVE)
    args.secret.parent.mkdir(parents=True, exist_ok=True)
    args.secret.write_text(text, encoding="utf-8")
    args.secret.chmod(0o600)
    args.public.write_text(key.public.to_text(), encoding="utf-8")
    words = _words(args)
    print(words.say(P_KEYS, id=key.public.id_hex, secret=args.secret, public=args.public))
    print(words.say(P_KEY_LINE, key=key.public.to_base64()))
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from kiosk.core.packs import (
        SIG_SUFFIX,
        MinisignError,
        PackError,
        SecretKey,
        read_manifest,
        secret_key_is_protected,
        sign_file,
    )

    try:
        text = args.key.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(P_NO_SECRET, args, path=args.key, error=exc)
    try:
        manifest = read_manifest(args.file)
    except PackError as exc:
        return _fail(exc, args)
    try:
        passphrase = (_passphrase(args, confirm=False, no_terminal=P_NO_TERMINAL_SIGN, path=args.key)
                      if secret_key_is_protected(text) else None)
    except NoInput as exc:
        return _no_input(exc)
    try:
        key = SecretKey.from_text(text, passphrase)
        comment = args.comment or (f"pack {manifest.version} of '{manifest.content_id}' "
                                   f"version {manifest.content_version} file:{args.file.name}")
        signature = sign_file(args.file, key, comment)
    except (MinisignError, ValueError) as exc:
        return _fail(exc)
    target = args.file.with_name(args.file.name + SIG_SUFFIX)
    target.write_text(signature.to_text(), encoding="utf-8")
    print(_words(args).say(P_SIGNED, id=key.public.id_hex, file=target))
    return 0


def _keys(args: argparse.Namespace) -> list[object]:
    from kiosk.core.packs import MinisignError, PublicKey, trusted_keys
    from kiosk.core.site import default_data_dir, load_settings, settings_path

    if args.key:
        keys = []
        for path in args.key:
            try:
                keys.append(PublicKey.from_file(path))
            except MinisignError as exc:
                raise SystemExit(f"kiosk pack: {exc}") from None
        return keys
    settings, _problems = load_settings(settings_path(args.data_dir or default_data_dir(), args.config))
    return list(trusted_keys([settings.pack_key_current, settings.pack_key_next]))


def run_verify(args: argparse.Namespace) -> int:
    from kiosk.core.packs import PackError, verify_pack

    keys = _keys(args)
    try:
        manifest, verified = verify_pack(args.file, keys)  # type: ignore[arg-type]
    except PackError as exc:
        return _fail(exc, args)
    print(_words(args).say(P_VERIFIED, version=manifest.version, files=len(manifest.files), signer=verified.signer,
                           comment=verified.trusted_comment))
    return 0


def run_install(args: argparse.Namespace) -> int:
    from kiosk.core.appliance import setup_logging
    from kiosk.core.packs import PackError, install
    from kiosk.core.site import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    keys = _keys(args)
    setup_logging(data_dir)
    try:
        staged = install(args.file, data_dir, keys, source=str(args.file))  # type: ignore[arg-type]
    except PackError as exc:
        words = _words(args)
        return _fail(exc.translated(words.t) + " " + words.say(P_KEPT))
    from kiosk.core.packs import W_ROLLED_BACK_BEFORE

    words = _words(args)
    if staged.rolled_back_before:
        print(words.say(W_ROLLED_BACK_BEFORE, version=staged.manifest.version))
    print(words.say(P_INSTALLED, version=staged.manifest.version, content=staged.manifest.content_version,
                    signer=staged.verified.signer))
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    from kiosk.core.appliance import setup_logging
    from kiosk.core.packs import PackError, rollback
    from kiosk.core.site import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    setup_logging(data_dir)
    try:
        state = rollback(data_dir)
    except PackError as exc:
        return _fail(exc, args)
    print(_words(args).say(P_ROLLED_BACK, folder=state.current))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from kiosk.core.packs import read_state
    from kiosk.core.site import default_data_dir

    state = read_state(args.data_dir or default_data_dir())
    words = _words(args)
    print(words.say(P_CURRENT, folder=state.current or words.say(P_NONE_BUNDLED)))
    print(words.say(P_PREVIOUS, folder=state.previous or words.say(P_NONE)))
    for entry in state.history[-10:]:
        print(f"  {entry.get('at', '?')}  {entry.get('action', '?')} {entry.get('version', '?')}  "
              f"{entry.get('signer', '')} {entry.get('comment', '')}")
    return 0


def run_bench(args: argparse.Namespace) -> int:
    if args.fuzz:
        from kiosk.devtools.pack_fuzz import run as fuzz

        return fuzz(args)
    from kiosk.devtools.pack_bench import run

    return run(args)
