"""Making packs for tests: good ones from a content folder, hostile ones by hand, all signed."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

from kiosk.core.packs.minisign import SecretKey, sign_file
from kiosk.core.packs.packs import FORMAT, MANIFEST, PREFIX, SIG_SUFFIX, build_pack, content_files
from tests.conftest import CONTENT
from tests.support import content_copy


def sign(pack: Path, key: SecretKey, comment: str = "test pack") -> Path:
    sig = pack.with_name(pack.name + SIG_SUFFIX)
    sig.write_text(sign_file(pack, key, comment).to_text(), encoding="utf-8")
    return sig


def content_with(tmp: Path, name: str, number: str | None = None, slide_title: str | None = None,
                 version: str = "2.0", audio_bytes: int = 0) -> Path:
    """A copy of the default content (without its 10 MB of narration audio), with the primary number,
    a slide title or a narration changed."""
    folder = content_copy(tmp, name)
    manifest = folder / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8").replace('version: "1.0"', f'version: "{version}"')
    if number is not None:
        text = text.replace('local: "21-61-52"', f'local: "{number}"')
    manifest.write_text(text, encoding="utf-8")
    if slide_title is not None:
        slide = sorted((folder / "slides").glob("*.yaml"))[1]
        lines = slide.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if line.strip().startswith("en:"))
        lines[at] = lines[at].split("en:")[0] + f"en: {slide_title}"
        slide.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if audio_bytes:
        add_narration(folder, audio_bytes)
    return folder


def add_narration(folder: Path, size: int) -> None:
    """A real WAV narration of `size` bytes (noise, so it does not compress) on the first slide."""
    import os
    import struct

    audio = folder / "audio" / "ru"
    audio.mkdir(parents=True, exist_ok=True)
    data_len = size - 44
    with (audio / "first.wav").open("wb") as fh:
        fh.write(b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVEfmt " +
                 struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", data_len))
        left = data_len
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            fh.write(chunk)
            left -= len(chunk)
    slide = sorted((folder / "slides").glob("*.yaml"))[0]
    text = slide.read_text(encoding="utf-8")
    slide.write_text(text.rstrip("\n") + "\nnarration:\n  ru: audio/ru/first.wav\n", encoding="utf-8")


def good_pack(tmp: Path, key: SecretKey, version: int, source: Path = CONTENT, name: str | None = None) -> Path:
    out = tmp / (name or f"pack-{version}.kpack")
    build_pack(source, version, out)
    sign(out, key, f"pack {version}")
    return out


def raw_pack(out: Path, key: SecretKey | None, members: Iterable[tuple[zipfile.ZipInfo | str, bytes]],
             version: int = 5, manifest: dict[str, object] | None = None, files_from: Path | None = CONTENT,
             lie: dict[str, str] | None = None) -> Path:
    """A zip written by hand: the default content's files (unless files_from is None), then
    `members`, and a manifest listing every member (unless `manifest` is given)."""
    entries: list[dict[str, object]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        if files_from is not None:
            for rel, path in content_files(files_from):
                data = path.read_bytes()
                zf.writestr(PREFIX + rel, data)
                entries.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        for info, data in members:
            zf.writestr(info, data)
            name = info.filename if isinstance(info, zipfile.ZipInfo) else info
            rel = name[len(PREFIX):] if name.startswith(PREFIX) else name
            entries.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        for entry in entries:
            if lie and entry["path"] in lie:
                entry["sha256"] = lie[str(entry["path"])]
        data = manifest if manifest is not None else {
            "format": FORMAT, "version": version, "min_kiosk_version": "0.1.0",
            "content": {"id": "x", "version": "9"}, "files": entries}
        zf.writestr(MANIFEST, json.dumps(data))
    if key is not None:
        sign(out, key)
    return out


def special(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


SYMLINK = stat.S_IFLNK | 0o777
CHAR_DEVICE = stat.S_IFCHR | 0o666
FIFO = stat.S_IFIFO | 0o644
