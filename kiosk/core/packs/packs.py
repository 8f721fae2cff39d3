"""Signed content packs: build, verify, install atomically, roll back, and say what changes.

A pack is one zip file, `NAME.kpack`, with a detached minisign signature `NAME.kpack.minisig`
beside it. Inside the zip: `kpack.json` (the pack manifest) and the content files under `content/`.

    kpack.json  {"format": "kiosk-pack/1", "version": 7, "min_kiosk_version": "0.1.0",
                 "content": {"id": "...", "version": "..."},
                 "files": [{"path": "manifest.yaml", "size": 1234, "sha256": "..."}, ...]}

Installing, in `DATA/packs/`:

1. the pack and its signature are copied into `incoming/` (a stick may be pulled at any time;
   everything after this reads the local copy only);
2. the signature is checked with the trusted keys (settings: current and next key), then the
   zip's directory against the limits (names, types, count, sizes, ratio) and the manifest;
3. the files are unpacked into a new folder `.unpack-*`, each hashed as it is written and
   synced to disk, and the folder is loaded as content (`kiosk check`); then renamed `v<N>-*`;
4. the switch: `state.json` (which folder is current, which is the previous one, the history)
   is written to a temporary file, synced, and renamed over the old one: one rename. A kiosk that
   starts reads `state.json` and so sees the old pack or the new one, never a mix; a folder
   `state.json` does not name is never shown and is cleaned up at the next install.

Why a pointer file and not a `current` symlink swapped by rename: symlinks need special rights
on Windows, and one file holds `current` and `previous` together, so both change in the same rename.

The clock is never part of a decision: the pack's version number (it only goes up) and the
signature decide. The wall clock is only written into the history, for people to read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.core.model import N_, Content, Problem, msg, reading_order
from kiosk.core.packs.minisign import MinisignError, PublicKey, Signature, verify_file
from kiosk.core.packs.pack_state import (
    STATE,
    PackState,
    folder_version,
    fsync_dir,
    packs_dir,
    read_state,
    write_state,
)

log = logging.getLogger(__name__)

FORMAT = "kiosk-pack/1"
MANIFEST = "kpack.json"
PREFIX = "content/"
SIG_SUFFIX = ".minisig"
PACK_SUFFIX = ".kpack"
# Limits on what a pack may hold: far above any real content, far below a zip bomb.
MAX_FILES = 5000
MAX_TOTAL = 2 * 1024**3  # unpacked bytes
MAX_FILE = 1024**3
MAX_RATIO = 200  # unpacked / packed, for a file of more than RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_MANIFEST = 4 * 1024 * 1024
# The longest path inside the content folder: with a data folder such as C:\ProgramData\kiosk\packs\
# v12-0123abcd\ in front it stays under Windows' 260 characters.
MAX_NAME = 180
_CHUNK = 1 << 20
_STORED = {".ogg", ".mp3", ".png", ".jpg", ".jpeg", ".webp", ".opus", ".m4a"}
_NAME = re.compile(r"[A-Za-z0-9._-][A-Za-z0-9 ._()-]{0,120}")

# -- what staff read when a pack is refused (kiosk.ui.staff.updates translates them) ---------------
# TRANSLATORS: update refused. {name} is a file name like sana-sezim-7.kpack.
R_NO_SIGNATURE = N_("This update has no signature file ({name}.minisig) beside it, so nobody can tell "
                    "who made it. Ask the NGO for the complete update: both files.")
# TRANSLATORS: update refused.
R_BAD_SIGNATURE = N_("The signature does not match this update: the file was changed or damaged after "
                     "the NGO signed it. Do not use it; ask the NGO for a new copy.")
# TRANSLATORS: update refused; {key} is a key id like 4E83F85A00F4BEA0.
R_UNTRUSTED = N_("This update was signed with a key this kiosk does not trust (key {key}). Only updates "
                 "signed by the NGO can be installed. Ask the NGO.")
# TRANSLATORS: update refused.
R_SIGNATURE_DAMAGED = N_("The signature file of this update is damaged. Ask the NGO for a new copy.")
# TRANSLATORS: update refused.
R_NO_KEYS = N_("This kiosk has no trusted key for updates yet, so it cannot check any update. "
               "The installer must add the NGO's public key to the settings (pack_key_current).")
# TRANSLATORS: update refused; {folder} is where the update was, e.g. /media/usb.
R_COPY = N_("The update could not be copied from {folder}: was the USB stick removed? "
            "Put it back and try again.")
# TRANSLATORS: update refused.
R_NOT_A_PACK = N_("This file is not a complete update: it is damaged or was cut short. "
                  "Ask the NGO for a new copy.")
# TRANSLATORS: update refused; {name} is a file name inside the update.
R_UNSAFE = N_("The update contains a file the kiosk must not write ({name}). It was refused. "
              "Tell the NGO.")
# TRANSLATORS: update refused; {name} is a file name inside the update.
R_TWICE = N_("The name {name} appears twice inside the update, so the kiosk cannot tell which file is "
             "meant. It was refused. Tell the NGO.")
# TRANSLATORS: update refused; {name} and {other} are file names inside the update.
R_TWINS = N_("Two files inside the update have names that differ only in capital letters or accents "
             "({name} and {other}); on Windows they would be one file. It was refused. Tell the NGO.")
# TRANSLATORS: update refused; {name} is a file name inside the update, odd characters shown as \x..
R_NAME_ENCODING = N_("A file name inside the update is not written in UTF-8, so the kiosk cannot read it "
                     "for sure ({name}). It was refused. Tell the NGO.")
# TRANSLATORS: update refused; {detail} says which limit, e.g. "6000 files".
R_TOO_BIG = N_("The update is far bigger than any content update should be ({detail}). It was refused. "
               "Tell the NGO.")
# TRANSLATORS: update refused; {name} is a file name inside the update.
R_HASH = N_("A file in the update is damaged: {name} does not match its checksum. "
            "Ask the NGO for a new copy.")
# TRANSLATORS: update refused.
R_MANIFEST = N_("The list of files inside the update is missing or damaged. Ask the NGO for a new copy.")
# TRANSLATORS: update refused; {needed} and {have} are program versions like 0.2.0.
R_NEWER_KIOSK = N_("This update needs a newer kiosk program (version {needed} or later; this kiosk has "
                   "{have}). The installer must update the kiosk program first.")
# TRANSLATORS: update refused; {version} and {current} are update numbers.
R_NOT_NEWER = N_("This is update number {version}, and the kiosk already has number {current}. "
                 "Only a newer update can be installed; nothing was changed.")
# TRANSLATORS: update refused; {error} is the first problem found by the content check.
R_CONTENT = N_("The content in this update has errors, so the kiosk cannot show it. First error: {error}. "
               "Tell the NGO.")
# TRANSLATORS: update refused.
R_NO_SPACE = N_("The kiosk's disk is full: the update does not fit. The installer must free some space.")
# TRANSLATORS: update refused; {error} is the system's own words, e.g. "Permission denied".
R_DISK = N_("The update could not be written to the kiosk's disk ({error}).")
# TRANSLATORS: rollback refused.
R_NO_PREVIOUS = N_("There is no earlier version to go back to.")
# TRANSLATORS: an update that arrived by itself (the inbox) is not applied. "Look for updates" is the
# button of the staff Updates tab; "kiosk pack install" is a command: never translated.
R_ROLLED_BACK = N_("Update {version} was rolled back on this kiosk, so it is not applied by itself again. "
                   "To use it anyway, apply it by hand: “Look for updates” on the Updates tab, or kiosk pack install.")
# TRANSLATORS: said when a person applies an update staff had rolled back before.
W_ROLLED_BACK_BEFORE = N_("Note: update {version} was rolled back on this kiosk before.")


class PackError(Exception):
    """A refusal: `message` is an N_ template for staff, `params` fill it in. A parameter may be
    a Problem (the first error of the content check), shown in the same language."""

    version: int | None = None  # the refused pack's number, where it could be read

    def __init__(self, message: str, **params: Any) -> None:
        from kiosk.core.model import Message

        self.message = message
        self.params = {k: v if isinstance(v, Message) or hasattr(v, "render") else str(v)
                       for k, v in params.items()}
        super().__init__(self.translated(lambda m: m))

    def translated(self, gettext: Callable[[str], str]) -> str:
        from kiosk.core.model import render

        return render(self.message, self.params, gettext)

    render = translated


def kiosk_version() -> str:
    from kiosk import __version__

    return __version__


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = re.findall(r"\d+", text)
    return tuple(int(p) for p in parts[:4]) or (0,)


# -- the manifest ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PackManifest:
    version: int
    min_kiosk_version: str
    content_id: str
    content_version: str
    files: tuple[FileEntry, ...]

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT, "version": self.version, "min_kiosk_version": self.min_kiosk_version,
            "content": {"id": self.content_id, "version": self.content_version},
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> PackManifest:
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("format")
            version = data["version"]
            if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 2**53:
                raise ValueError("version")
            files = []
            for item in data["files"]:
                path, size, digest = item["path"], item["size"], item["sha256"]
                if not isinstance(path, str) or not isinstance(size, int) or isinstance(size, bool) \
                        or size < 0 or not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
                    raise ValueError("file entry")
                files.append(FileEntry(path, size, digest))
            content = data.get("content") or {}
            return cls(version, str(data.get("min_kiosk_version", "0")), str(content.get("id", "")),
                       str(content.get("version", "")), tuple(files))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise PackError(R_MANIFEST) from None


def safe_member_name(name: str) -> str | None:
    """The path inside the content folder, or None when the kiosk must not write it."""
    if not name.startswith(PREFIX) or "\\" in name or "\x00" in name or ":" in name:
        return None
    rel = name[len(PREFIX):]
    if len(rel) > MAX_NAME:
        return None
    parts = PurePosixPath(rel).parts
    if not rel or rel.startswith("/") or not parts or any(p in ("", ".", "..") for p in parts):
        return None
    if any(not _NAME.fullmatch(p) or p.upper().split(".")[0] in _WINDOWS_DEVICES for p in parts):
        return None
    return "/".join(parts)


_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


# -- building (the NGO's side) ---------------------------------------------------------------------

def content_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file of a content folder, sorted; no links, no hidden files."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


def build_pack(source: Path, version: int, output: Path, min_kiosk_version: str | None = None) -> PackManifest:
    """Zip a checked content folder with its manifest. The caller runs `kiosk check` first."""
    from kiosk.core.content import load_content

    result = load_content(source)
    if result.content is None:
        first = result.problems.errors[0] if result.problems.errors else "?"
        raise PackError(R_CONTENT, error=first)
    entries = []
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
        for rel, path in content_files(source):
            if safe_member_name(PREFIX + rel) is None:
                raise PackError(R_UNSAFE, name=rel)
            info = zipfile.ZipInfo(PREFIX + rel, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if path.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            digest = hashlib.sha256()
            size = 0
            with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
            entries.append(FileEntry(rel, size, digest.hexdigest()))
        manifest = PackManifest(version, min_kiosk_version or kiosk_version(), result.content.id,
                                result.content.version, tuple(entries))
        info = zipfile.ZipInfo(MANIFEST, date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        zf.writestr(info, manifest.to_json())
    tmp.replace(output)
    return manifest


# -- reading a pack ------------------------------------------------------------------------------------

def trusted_keys(texts: Iterable[str]) -> list[PublicKey]:
    keys = []
    for text in texts:
        if text and text.strip():
            try:
                keys.append(PublicKey.from_text(text))
            except MinisignError as exc:
                log.error("a trusted pack key in the settings is not a minisign public key: %s", exc)
    return keys


@dataclass(frozen=True)
class Verified:
    signer: str  # key id, as minisign prints it
    trusted_comment: str


def verify_signature(pack: Path, keys: Sequence[PublicKey], signature: Path | None = None) -> Verified:
    if not keys:
        raise PackError(R_NO_KEYS)
    sig_path = signature or pack.with_name(pack.name + SIG_SUFFIX)
    if not sig_path.exists():
        raise PackError(R_NO_SIGNATURE, name=pack.name)
    try:
        sig = Signature.from_file(sig_path)
        key = verify_file(pack, sig, keys)
    except MinisignError as exc:
        if exc.kind == "untrusted":
            raise PackError(R_UNTRUSTED, key=Signature.from_file(sig_path).key_id_hex) from None
        if exc.kind == "bad-signature":
            raise PackError(R_BAD_SIGNATURE) from None
        if exc.kind == "missing":
            raise PackError(R_NO_SIGNATURE, name=pack.name) from None
        raise PackError(R_SIGNATURE_DAMAGED) from None
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    return Verified(key.id_hex, sig.trusted_comment)


def _is_plain_file(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_IFMT(mode):  # made on Unix, with the file's type
        return stat.S_ISREG(mode)
    return not info.is_dir()


def _shown(name: str) -> str:
    """A name from a zip, short enough for a message (its control characters are escaped where
    the message is rendered)."""
    return name if len(name) <= 120 else name[:120] + "…"


def _check_name(info: zipfile.ZipInfo, seen: dict[str, str]) -> None:
    """The name as the zip holds it, before any other check looks at it.

    - `zipfile` cuts a name at a NUL byte (and, on Windows, turns backslashes into slashes): the
      name it uses is then not the name in the zip, and `a\0b.svg` would be written as `a`.
    - Without flag bit 11 a name is, by the zip format, cp437; every zip tool today writes UTF-8
      there anyway, so only ASCII (where both agree) is read as meant. With the flag, a name that is
      not UTF-8 stops `zipfile` before this (`open_zip` below says so).
    - Two names that differ only by Unicode normalisation (NFC/NFD) or by case are one file on
      Windows and macOS, and one name written twice is two entries of which `zipfile` reads the last:
      each would make the files on disk differ from the files checked.
    """
    import unicodedata

    raw = info.orig_filename
    if raw != info.filename:
        raise PackError(R_UNSAFE, name=_shown(raw))
    if not info.flag_bits & 0x800 and not raw.isascii():
        raise PackError(R_NAME_ENCODING, name=_shown(raw))
    folded = unicodedata.normalize("NFC", raw.rstrip("/")).casefold()
    other = seen.get(folded)
    if other is not None:
        if other == raw:
            raise PackError(R_TWICE, name=_shown(raw))
        raise PackError(R_TWINS, name=_shown(other), other=_shown(raw))
    seen[folded] = raw


def open_zip(pack: Path) -> zipfile.ZipFile:
    """The zip's directory, or a PackError that says what is wrong with it."""
    try:
        return zipfile.ZipFile(pack)
    except UnicodeDecodeError as exc:  # flag bit 11 (UTF-8) on a name that is not UTF-8
        raw = exc.object if isinstance(exc.object, bytes) else b""
        raise PackError(R_NAME_ENCODING, name=_shown(raw.decode("utf-8", "backslashreplace"))) from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise PackError(R_NOT_A_PACK) from None
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None


def inspect_zip(zf: zipfile.ZipFile) -> PackManifest:
    """Check the zip's directory and the manifest against each other and the limits; read nothing else."""
    infos = zf.infolist()
    if len(infos) > MAX_FILES + 1:
        raise PackError(R_TOO_BIG, detail=f"{len(infos)} files")
    members: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}  # the name folded (NFC, no case) -> the name as written
    manifest_info = None
    total = 0
    for info in infos:  # the names first, each against all: a twin is said as a twin
        _check_name(info, seen)
    for info in infos:
        if info.filename == MANIFEST:
            manifest_info = info
            continue
        if info.is_dir() and safe_member_name(info.filename.rstrip("/")) is not None:
            continue
        rel = safe_member_name(info.filename)
        if rel is None:
            raise PackError(R_UNSAFE, name=_shown(info.filename))
        if not _is_plain_file(info) or info.flag_bits & 0x1:  # links, devices, fifos; encrypted entries
            raise PackError(R_UNSAFE, name=_shown(info.filename))
        if info.file_size > MAX_FILE:
            raise PackError(R_TOO_BIG, detail=f"{info.filename[:80]}: {info.file_size // 1024**2} MB")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackError(R_TOO_BIG, detail=f"{info.filename[:80]}: {info.file_size // 1024**2} MB packed "
                                              f"into {info.compress_size // 1024} KB")
        total += info.file_size
        members[rel] = info
    if total > MAX_TOTAL:
        raise PackError(R_TOO_BIG, detail=f"{total // 1024**2} MB")
    if manifest_info is None or manifest_info.file_size > MAX_MANIFEST:
        raise PackError(R_MANIFEST)
    try:
        with zf.open(manifest_info) as fh:
            raw = fh.read(MAX_MANIFEST + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise PackError(R_NOT_A_PACK) from None
    manifest = PackManifest.from_json(raw)
    listed = {f.path: f for f in manifest.files}
    if len(listed) != len(manifest.files) or set(listed) != set(members):
        raise PackError(R_MANIFEST)
    for path, entry in listed.items():
        if members[path].file_size != entry.size:
            raise PackError(R_HASH, name=path)
    return manifest


def read_manifest(pack: Path) -> PackManifest:
    try:
        with open_zip(pack) as zf:
            return inspect_zip(zf)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise PackError(R_NOT_A_PACK) from None
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None


def verify_pack(pack: Path, keys: Sequence[PublicKey]) -> tuple[PackManifest, Verified]:
    """The signature, the zip's directory and every file's checksum, read in place, nothing written."""
    verified = verify_signature(pack, keys)
    try:
        with open_zip(pack) as zf:
            manifest = inspect_zip(zf)
            for entry in manifest.files:
                digest = hashlib.sha256()
                size = 0
                with zf.open(PREFIX + entry.path) as src:
                    while chunk := src.read(_CHUNK):
                        size += len(chunk)
                        if size > entry.size:
                            raise PackError(R_HASH, name=entry.path)
                        digest.update(chunk)
                if size != entry.size or digest.hexdigest() != entry.sha256:
                    raise PackError(R_HASH, name=entry.path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error):
        raise PackError(R_NOT_A_PACK) from None
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    return manifest, verified


# -- the packs folder: state.json lives in kiosk/core/packs/pack_state.py (read at every start) -----------

# -- installing -------------------------------------------------------------------------------------

@dataclass
class Staged:
    """A pack copied, verified, unpacked and checked, not yet shown: `commit` or `discard` it."""

    data_dir: Path
    folder: Path
    manifest: PackManifest
    verified: Verified
    source: str
    content: Content
    warnings: list[Problem] = field(default_factory=list)
    rolled_back_before: bool = False  # staff went back from this version once; a person applies it anyway

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


Progress = Callable[[str, int, int], None]  # step, done bytes, total bytes


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def copy_in(pack: Path, data_dir: Path, progress: Progress = _no_progress) -> tuple[Path, Path]:
    """Copy the pack and its signature into DATA/packs/incoming; refuse a copy that did not finish."""
    incoming = packs_dir(data_dir) / "incoming"
    sig_source = pack.with_name(pack.name + SIG_SUFFIX)
    if not pack.is_file():
        raise PackError(R_COPY, folder=pack.parent)
    if not sig_source.is_file():
        raise PackError(R_NO_SIGNATURE, name=pack.name)
    try:
        incoming.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(4)
        local = incoming / f"{token}{PACK_SUFFIX}"
        local_sig = incoming / f"{token}{PACK_SUFFIX}{SIG_SUFFIX}"
        for src, dst, counted in ((sig_source, local_sig, False), (pack, local, True)):
            _copy_file(src, dst, progress if counted else _no_progress)
    except PackError:
        _remove_incoming(data_dir)
        raise
    except OSError as exc:
        _remove_incoming(data_dir)
        if exc.errno == 28:
            raise PackError(R_NO_SPACE) from None
        raise PackError(R_COPY, folder=pack.parent) from None
    return local, local_sig


def _copy_file(src: Path, dst: Path, progress: Progress) -> None:
    import errno

    with src.open("rb") as fin:
        before = os.fstat(fin.fileno())
        size = before.st_size
        done = 0
        try:
            with dst.open("wb") as fout:
                while chunk := fin.read(_CHUNK):
                    fout.write(chunk)
                    done += len(chunk)
                    progress("copy", done, size)
                fout.flush()
                os.fsync(fout.fileno())
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise
            raise PackError(R_COPY, folder=src.parent) from None
    try:
        after = src.stat()
    except OSError:
        after = None
    # A stick pulled (or a file still being written) shows up as a short read or a changed file.
    if after is None or done != size or after.st_size != size or after.st_mtime_ns != before.st_mtime_ns:
        raise PackError(R_COPY, folder=src.parent)


def _remove_incoming(data_dir: Path) -> None:
    shutil.rmtree(packs_dir(data_dir) / "incoming", ignore_errors=True)


_THREAD_LOCK = threading.Lock()


@contextlib.contextmanager
def exclusive(data_dir: Path) -> Iterator[None]:
    """One install, rollback or clean-up at a time: across threads (the staff tab and the inbox
    watcher) and across processes (`kiosk pack install` beside a running kiosk; a lock the
    system drops when the process dies, so a killed install leaves no stale lock)."""
    with _THREAD_LOCK:
        handle = None
        if os.name != "nt":  # Windows (not run here): the thread lock only
            import fcntl

            try:
                data_dir.mkdir(parents=True, exist_ok=True)
                handle = (data_dir / "packs.lock").open("a+b")
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            except OSError as exc:
                if handle is not None:
                    handle.close()
                raise PackError(R_DISK, error=exc.strerror or exc) from None
        try:
            yield
        finally:
            if handle is not None:
                handle.close()


def stage(pack: Path, data_dir: Path, keys: Sequence[PublicKey], source: str = "",
          progress: Progress = _no_progress, deliberate: bool = False) -> Staged:
    """Steps 1-3: copy in, verify, unpack into a new folder, check. The running content is untouched.

    `deliberate`: a person asked for this pack (the Updates tab, `kiosk pack install`), so a version
    staff rolled back before is staged too (`Staged.rolled_back_before` says so); the inbox is not
    a person, and such a version is refused there. Every refusal is logged with its reason and kept
    as the last refusal in the packs state, for the Updates tab."""
    with exclusive(data_dir):
        try:
            return _stage(pack, data_dir, keys, source, progress, deliberate)
        except PackError as exc:
            _note_refusal(data_dir, exc, source or str(pack), pack)
            raise


def note_refusal(data_dir: Path, exc: PackError, source: str, pack: Path | None = None,
                 now: dt.datetime | None = None) -> None:
    """A refusal that happened outside `stage` (a damaged pack seen while looking): logged and kept."""
    with exclusive(data_dir):
        _note_refusal(data_dir, exc, source, pack, now)


def _note_refusal(data_dir: Path, exc: PackError, source: str, pack: Path | None,
                  now: dt.datetime | None = None) -> None:
    from kiosk.core.model import escape_controls

    if exc.version is None and pack is not None:
        with contextlib.suppress(PackError):
            exc.version = read_manifest(pack).version
    log.error("pack %s refused (%s): %s", exc.version or "?", escape_controls(source), exc)
    refusal = {"version": exc.version, "message": exc.message,
               "params": {k: str(v) for k, v in exc.params.items()},  # a Problem: in English
               "source": source,
               # to the hour: enough to tell the NGO which day's update it was, and no more
               "at": (now or dt.datetime.now()).strftime("%Y-%m-%dT%H:00")}
    try:
        state = read_state(data_dir)
        if state.last_refusal == refusal:
            return
        packs_dir(data_dir).mkdir(parents=True, exist_ok=True)
        write_state(data_dir, dataclasses.replace(state, last_refusal=refusal))
    except OSError as exc_write:  # a full disk refused the pack; the log line above says it all
        log.warning("packs: the refusal could not be kept in %s: %s", STATE, exc_write)


def _stage(pack: Path, data_dir: Path, keys: Sequence[PublicKey], source: str, progress: Progress,
           deliberate: bool) -> Staged:
    packs = packs_dir(data_dir)
    try:
        packs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    clean_up(data_dir)
    local, local_sig = copy_in(pack, data_dir, progress)
    try:
        verified = verify_signature(local, keys, local_sig)
        return _unpack_and_check(local, data_dir, verified, source or str(pack), progress, deliberate)
    finally:
        _remove_incoming(data_dir)  # no other install runs meanwhile: this one holds the lock


def _unpack_and_check(local: Path, data_dir: Path, verified: Verified, source: str,
                      progress: Progress, deliberate: bool) -> Staged:
    zf = open_zip(local)
    with zf:
        manifest = inspect_zip(zf)
        try:
            return _unpack_and_check_zip(zf, manifest, data_dir, verified, source, progress, deliberate)
        except PackError as exc:
            exc.version = manifest.version
            raise


def _unpack_and_check_zip(zf: zipfile.ZipFile, manifest: PackManifest, data_dir: Path, verified: Verified,
                          source: str, progress: Progress, deliberate: bool) -> Staged:
    packs = packs_dir(data_dir)
    have = kiosk_version()
    if _version_tuple(manifest.min_kiosk_version) > _version_tuple(have):
        raise PackError(R_NEWER_KIOSK, needed=manifest.min_kiosk_version, have=have)
    state = read_state(data_dir)
    current = folder_version(state.current)
    if manifest.version <= current:
        raise PackError(R_NOT_NEWER, version=manifest.version, current=current)
    rolled_back_before = manifest.version in state.rolled_back
    if rolled_back_before and not deliberate:
        raise PackError(R_ROLLED_BACK, version=manifest.version)
    folder = packs / f".unpack-{manifest.version}-{secrets.token_hex(4)}"
    try:
        _unpack(zf, manifest, folder, progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    from kiosk.core.content import load_content

    result = load_content(folder)
    if result.content is None:
        shutil.rmtree(folder, ignore_errors=True)
        first = result.problems.errors[0] if result.problems.errors else "?"
        raise PackError(R_CONTENT, error=first)
    final = packs / f"v{manifest.version}-{secrets.token_hex(4)}"
    try:
        os.rename(folder, final)
        fsync_dir(packs)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    # loaded again from its final place, so that its paths are the ones the kiosk will read
    content = load_content(final).content
    if content is None:  # the same files that loaded a moment ago: only a failing disk gets here
        shutil.rmtree(final, ignore_errors=True)
        raise PackError(R_DISK, error=msg(N_("the unpacked files cannot be read back")))
    warnings = reading_order(result.problems.warnings)
    return Staged(data_dir, final, manifest, verified, source, content, warnings, rolled_back_before)


def _unpack(zf: zipfile.ZipFile, manifest: PackManifest, folder: Path, progress: Progress) -> None:
    import errno

    total = sum(f.size for f in manifest.files)
    done = 0
    try:
        folder.mkdir()
        for entry in manifest.files:
            target = folder.joinpath(*entry.path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            written = 0
            with zf.open(PREFIX + entry.path) as src, target.open("xb") as dst:
                while chunk := src.read(min(_CHUNK, entry.size - written + 1)):
                    written += len(chunk)
                    if written > entry.size:
                        raise PackError(R_HASH, name=entry.path)
                    digest.update(chunk)
                    dst.write(chunk)
                    done += len(chunk)
                    progress("unpack", done, total)
                dst.flush()
                os.fsync(dst.fileno())
            if written != entry.size or digest.hexdigest() != entry.sha256:
                raise PackError(R_HASH, name=entry.path)
        for sub in sorted({p for p in folder.rglob("*") if p.is_dir()}, reverse=True):
            fsync_dir(sub)
        fsync_dir(folder)
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise PackError(R_NOT_A_PACK) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise PackError(R_NO_SPACE) from None
        raise PackError(R_DISK, error=exc.strerror or exc) from None


def commit(staged: Staged, now: dt.datetime | None = None) -> PackState:
    """Step 4, the switch: one rename of state.json. The previous pack is kept for a rollback."""
    with exclusive(staged.data_dir):
        return _commit(staged, now)


def _commit(staged: Staged, now: dt.datetime | None) -> PackState:
    state = read_state(staged.data_dir)
    if staged.manifest.version <= folder_version(state.current):
        staged.discard()
        raise PackError(R_NOT_NEWER, version=staged.manifest.version, current=folder_version(state.current))
    if not (staged.folder / "manifest.yaml").is_file():
        raise PackError(R_DISK, error=msg(N_("the unpacked update is gone from the disk")))
    entry = {
        "action": "install", "version": staged.manifest.version, "folder": staged.folder.name,
        "content_version": staged.manifest.content_version, "signer": staged.verified.signer,
        "comment": staged.verified.trusted_comment, "source": staged.source,
        # for people only: kiosk clocks are often wrong, and nothing decides by this
        "at": (now or dt.datetime.now()).isoformat(timespec="seconds"),
    }
    if staged.rolled_back_before:
        entry["rolled_back_before"] = True
    version = staged.manifest.version
    refused = state.last_refusal.get("version")
    new = PackState(staged.folder.name, state.current, [*state.history, entry],
                    # applied by a person: no longer a version that was rolled back
                    [v for v in state.rolled_back if v != version],
                    # a refusal this pack makes up for is no longer news
                    {} if not isinstance(refused, int) or refused <= version else state.last_refusal)
    try:
        write_state(staged.data_dir, new)
    except OSError as exc:
        staged.discard()
        if exc.errno == 28:
            raise PackError(R_NO_SPACE) from None
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    log.info("pack %s installed from %s (signed by %s: %s); previous: %s", staged.manifest.version,
             staged.source, staged.verified.signer, staged.verified.trusted_comment, state.current or "none")
    clean_up(staged.data_dir)
    return new


def install(pack: Path, data_dir: Path, keys: Sequence[PublicKey], source: str = "",
            progress: Progress = _no_progress, deliberate: bool = True) -> Staged:
    """Stage and commit at once: `kiosk pack install`, a person's deliberate act by default."""
    staged = stage(pack, data_dir, keys, source, progress, deliberate)
    commit(staged)
    return staged


def rollback(data_dir: Path, now: dt.datetime | None = None) -> PackState:
    """Back one version: the previous pack becomes current (one rename), and can be left again
    only by a newer pack."""
    with exclusive(data_dir):
        return _rollback(data_dir, now)


def _rollback(data_dir: Path, now: dt.datetime | None) -> PackState:
    state = read_state(data_dir)
    if not state.previous or not (packs_dir(data_dir) / state.previous).is_dir():
        raise PackError(R_NO_PREVIOUS)
    entry = {"action": "rollback", "version": folder_version(state.previous), "folder": state.previous,
             "from_version": folder_version(state.current),
             "at": (now or dt.datetime.now()).isoformat(timespec="seconds")}
    # remembered, so that the same pack in the inbox is not applied again by itself (issue 22)
    rolled_back = sorted({*state.rolled_back, folder_version(state.current)} - {0})
    new = PackState(state.previous, "", [*state.history, entry], rolled_back, state.last_refusal)
    try:
        write_state(data_dir, new)
    except OSError as exc:
        raise PackError(R_DISK, error=exc.strerror or exc) from None
    log.info("pack rolled back from %s to %s; version %s is not applied by itself again",
             state.current, state.previous, folder_version(state.current))
    clean_up(data_dir)
    return new


def clean_up(data_dir: Path) -> None:
    """Removes what an interrupted install left, and packs that are neither current nor previous.
    A staged pack newer than the current one (waiting for staff to apply it) is kept; it goes once
    it is applied, discarded, or overtaken by a newer pack."""
    packs = packs_dir(data_dir)
    state = read_state(data_dir)
    keep = {state.current, state.previous, STATE}
    current = folder_version(state.current)
    try:
        children = list(packs.iterdir())
    except OSError:
        return
    for child in children:
        if child.name in keep or folder_version(child.name) > current:
            continue
        try:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        except OSError as exc:
            log.warning("packs: could not remove %s: %s", child, exc)


def find_packs(folder: Path) -> list[Path]:
    """Pack files in a folder (a USB stick's top level, an inbox), highest name last."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == PACK_SUFFIX and p.is_file())
    except OSError:
        return []
