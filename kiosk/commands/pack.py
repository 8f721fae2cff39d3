"""`kiosk pack build|keygen|sign|verify|install|rollback|status|bench`: signed content updates.

The NGO builds, signs and publishes; a kiosk only verifies and installs (its settings hold the
public keys, never a secret key). See README, "Content updates".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


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
    bench.set_defaults(run=run_bench)


def _fail(message: object) -> int:
    print(f"kiosk pack: {message}", file=sys.stderr)
    return 1


def _passphrase(args: argparse.Namespace, confirm: bool) -> str:
    import getpass

    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase (again): ") != first:
        raise SystemExit("kiosk pack: the two passphrases differ")
    return first


def run_build(args: argparse.Namespace) -> int:
    from kiosk.core.check import check_report
    from kiosk.core.packs import PackError, build_pack

    result, report = check_report(args.directory)
    print(report)
    if result.content is None:
        return _fail("the content has errors (listed above); no pack was built")
    if args.version < 1:
        return _fail("--version should be a whole number of 1 or more")
    try:
        manifest = build_pack(args.directory, args.version, args.output, args.min_kiosk_version)
    except (PackError, OSError) as exc:
        return _fail(exc)
    size = args.output.stat().st_size
    print(f"pack {manifest.version} ('{manifest.content_id}' version {manifest.content_version}, "
          f"{len(manifest.files)} files, {size:,} bytes) written to {args.output}")
    print(f"sign it: kiosk pack sign {args.output} --key NGO.key")
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    from kiosk.core.minisign import MEMLIMIT_SENSITIVE, OPSLIMIT_SENSITIVE, SecretKey

    for path in (args.secret, args.public):
        if path.exists() and not args.force:
            return _fail(f"{path} exists already; use --force to replace it")
    passphrase = None if args.unprotected else _passphrase(args, confirm=True)
    key = SecretKey.generate()
    text = key.to_text(passphrase, args.kdf_opslimit or OPSLIMIT_SENSITIVE, args.kdf_memlimit or MEMLIMIT_SENSITIVE)
    args.secret.parent.mkdir(parents=True, exist_ok=True)
    args.secret.write_text(text, encoding="utf-8")
    args.secret.chmod(0o600)
    args.public.write_text(key.public.to_text(), encoding="utf-8")
    print(f"key {key.public.id_hex}: secret key in {args.secret} (keep it off the kiosks), public key in {args.public}")
    print(f"on each kiosk, in settings.yaml:  pack_key_current: {key.public.to_base64()}")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from kiosk.core.minisign import MinisignError, SecretKey, secret_key_is_protected, sign_file
    from kiosk.core.packs import SIG_SUFFIX, PackError, read_manifest

    try:
        text = args.key.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read the secret key {args.key}: {exc}")
    try:
        manifest = read_manifest(args.file)
    except PackError as exc:
        return _fail(exc)
    try:
        key = SecretKey.from_text(text, _passphrase(args, confirm=False) if secret_key_is_protected(text) else None)
        comment = args.comment or (f"pack {manifest.version} of '{manifest.content_id}' "
                                   f"version {manifest.content_version} file:{args.file.name}")
        signature = sign_file(args.file, key, comment)
    except (MinisignError, ValueError) as exc:
        return _fail(exc)
    target = args.file.with_name(args.file.name + SIG_SUFFIX)
    target.write_text(signature.to_text(), encoding="utf-8")
    print(f"signed with key {key.public.id_hex}: {target}")
    return 0


def _keys(args: argparse.Namespace) -> list[object]:
    from kiosk.core.minisign import MinisignError, PublicKey
    from kiosk.core.packs import trusted_keys
    from kiosk.core.settings import default_data_dir, load_settings, settings_path

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
        return _fail(exc)
    print(f"OK: pack {manifest.version}, {len(manifest.files)} files, signed by key {verified.signer}: "
          f"{verified.trusted_comment}")
    return 0


def run_install(args: argparse.Namespace) -> int:
    from kiosk.core.logs import setup_logging
    from kiosk.core.packs import PackError, install
    from kiosk.core.settings import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    keys = _keys(args)
    setup_logging(data_dir)
    try:
        staged = install(args.file, data_dir, keys, source=str(args.file))  # type: ignore[arg-type]
    except PackError as exc:
        return _fail(f"{exc} The kiosk keeps its current content.")
    print(f"installed pack {staged.manifest.version} (content version {staged.manifest.content_version}, "
          f"signed by {staged.verified.signer}); a running kiosk shows it after 'Reload' or a restart")
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    from kiosk.core.logs import setup_logging
    from kiosk.core.packs import PackError, rollback
    from kiosk.core.settings import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    setup_logging(data_dir)
    try:
        state = rollback(data_dir)
    except PackError as exc:
        return _fail(exc)
    print(f"back to {state.current}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from kiosk.core.pack_state import read_state
    from kiosk.core.settings import default_data_dir

    state = read_state(args.data_dir or default_data_dir())
    print(f"current: {state.current or 'none (the bundled content)'}")
    print(f"previous: {state.previous or 'none'}")
    for entry in state.history[-10:]:
        print(f"  {entry.get('at', '?')}  {entry.get('action', '?')} {entry.get('version', '?')}  "
              f"{entry.get('signer', '')} {entry.get('comment', '')}")
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from kiosk.devtools.pack_bench import run

    return run(args)
