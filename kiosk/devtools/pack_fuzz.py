"""`kiosk pack bench --fuzz N`: N packs with hostile names inside, read as a kiosk reads them.

Each case is a small zip whose entry names are drawn at random from what an attacker with the
NGO's key (or a careless zip tool) would write: a NUL byte, control and bidi characters, names
that are not UTF-8 (written into the raw headers, with and without flag bit 11), NFC/NFD and
case-only twins, a name twice, very long names, `..`, backslashes, device names, and plain good
names among them. Each goes through the kiosk's own reading of a pack (`read_manifest`: the zip's
directory, the name checks, the manifest), which every install and `kiosk pack verify` run first.

A case ends in one of three ways: accepted (then every name must be one the kiosk may write, no
two alike), refused with one of the kiosk's messages (rendered, with no raw control character),
or a crash (anything else): the figures count each, and the command fails on any crash.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import struct
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

KINDS = ("good", "nul", "control", "bidi", "utf8-bad-flag", "cp437-no-flag", "nfc-nfd", "case", "twice",
         "long", "deep", "dotdot", "backslash", "device", "absolute", "manifest-twice")
CONTROLS = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u2028", "\ufeff"]
BODY = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def _name(rng: random.Random, kind: str) -> list[tuple[str, bytes | None, bool | None]]:
    """The entries of one case: (name zipfile writes, raw bytes to put in its place or None, UTF-8 flag)."""
    stem = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(1, 12)))
    base = f"content/pictures/{stem}.svg"
    if kind == "good":
        return [(base, None, None)]
    if kind in ("nul", "control", "bidi"):
        pool = ["\x00"] if kind == "nul" else CONTROLS if kind == "control" else BIDI
        at = rng.randint(len("content/"), len(base))
        return [(base[:at] + "".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) + base[at:], None, None)]
    if kind in ("utf8-bad-flag", "cp437-no-flag"):
        junk = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 4)))
        placeholder = f"content/pictures/{'X' * len(junk)}{stem}.svg"
        raw = b"content/pictures/" + junk + f"{stem}.svg".encode()
        return [(placeholder, raw, kind == "utf8-bad-flag")]
    if kind == "nfc-nfd":
        word = rng.choice(["é", "ё", "й", "ş", "ğ", "Ǵ"]) + stem
        first, second = unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)
        return [(f"content/pictures/{first}.svg", None, None), (f"content/pictures/{second}.svg", None, None)]
    if kind == "case":
        upper = "".join(c.upper() if rng.random() < 0.5 else c for c in stem)
        if upper == stem:
            upper = stem.upper() if stem.upper() != stem else stem + "A"
            return [(base, None, None), (f"content/pictures/{upper.lower()}.svg", None, None),
                    (f"content/pictures/{upper}.svg", None, None)]
        return [(base, None, None), (f"content/pictures/{upper}.svg", None, None)]
    if kind == "twice":
        return [(base, None, None), (base, None, None)]
    if kind == "long":
        return [("content/pictures/" + "a" * rng.choice([121, 200, 1000, 65000]) + ".svg", None, None)]
    if kind == "deep":
        parts = ["d" * rng.randint(50, 120) for _ in range(rng.randint(2, 40))]
        return [("content/" + "/".join(parts) + "/x.svg", None, None)]
    if kind == "dotdot":
        return [(rng.choice(["content/../", "content/pictures/../../", "../"]) + f"{stem}.svg", None, None)]
    if kind == "backslash":
        return [(f"content\\..\\{stem}.svg", None, None)]
    if kind == "device":
        return [(f"content/{rng.choice(['CON', 'nul', 'Aux', 'COM1', 'lpt9'])}.{rng.choice(['svg', 'yaml', ''])}",
                 None, None)]
    if kind == "absolute":
        return [(f"/etc/{stem}", None, None)]
    if kind == "manifest-twice":
        return [("kpack.json", None, None)]
    raise AssertionError(kind)


def _patch(data: bytearray, old: bytes, new: bytes, utf8_flag: bool) -> None:
    for signature, flag_at, length_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            start = at + 4
            (length,) = struct.unpack_from("<H", data, at + length_at)
            if bytes(data[at + name_at: at + name_at + length]) == old:
                data[at + name_at: at + name_at + length] = new
                (flags,) = struct.unpack_from("<H", data, at + flag_at)
                struct.pack_into("<H", data, at + flag_at, flags | 0x800 if utf8_flag else flags & ~0x800)


def make_case(rng: random.Random) -> tuple[bytes, list[str]]:
    """One pack (bytes) with 1 to 3 hostile or good entries beside a good manifest.yaml, and its kinds."""
    import warnings

    from kiosk.core.packs import FORMAT, MANIFEST

    kinds = [rng.choice(KINDS) for _ in range(rng.randint(1, 3))]
    entries = [("content/manifest.yaml", None, None)]
    for kind in kinds:
        entries += _name(rng, kind)
    listed = []
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the point
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, _raw, _flag in entries:
                zf.writestr(name, BODY)
                # the manifest lists each entry under the name zipfile will use, as an attacker would
                rel = name.split("\x00")[0][len("content/"):] if name.startswith("content/") else name
                listed.append({"path": rel, "size": len(BODY), "sha256": hashlib.sha256(BODY).hexdigest()})
            zf.writestr(MANIFEST, json.dumps({"format": FORMAT, "version": 2, "min_kiosk_version": "0.1.0",
                                              "content": {"id": "x", "version": "1"}, "files": listed}))
    data = bytearray(buffer.getvalue())
    for name, raw, flag in entries:
        if raw is not None:
            _patch(data, name.encode("utf-8"), raw, bool(flag))
    return bytes(data), kinds


def run_cases(n: int, seed: int, folder: Path) -> dict[str, object]:
    """N cases; the figures. A crash is kept with its case's kinds, and does not stop the run."""
    from kiosk.core.model import escape_controls
    from kiosk.core.packs import PackError, read_manifest, safe_member_name

    rng = random.Random(seed)
    counts = {"cases": 0, "accepted": 0, "refused": 0, "crashed": 0}
    by_message: dict[str, int] = {}
    crashes: list[str] = []
    slowest = 0.0
    pack = folder / "fuzz.kpack"
    started = time.perf_counter()
    for _ in range(n):
        data, kinds = make_case(rng)
        pack.write_bytes(data)
        counts["cases"] += 1
        t0 = time.perf_counter()
        try:
            manifest = read_manifest(pack)
        except PackError as exc:
            counts["refused"] += 1
            text = str(exc)
            if "{" in text.replace("{0}", "") and "}" in text or escape_controls(text) != text:
                crashes.append(f"{kinds}: a refusal that leaks raw text: {text[:200]!r}")
                counts["crashed"] += 1
            by_message[exc.message[:60]] = by_message.get(exc.message[:60], 0) + 1
        except Exception as exc:  # noqa: BLE001 - the figure this run is for
            counts["crashed"] += 1
            crashes.append(f"{kinds}: {type(exc).__name__}: {exc}"[:300])
        else:
            counts["accepted"] += 1
            names = [f.path for f in manifest.files]
            folded = {unicodedata.normalize("NFC", p).casefold() for p in names}
            if len(folded) != len(names) or any(safe_member_name("content/" + p) != p for p in names):
                counts["crashed"] += 1
                crashes.append(f"{kinds}: accepted a name it must not write: {names!r}"[:300])
        slowest = max(slowest, time.perf_counter() - t0)
    return {**counts, "seconds": round(time.perf_counter() - started, 1), "slowest_case_s": round(slowest, 4),
            "refusals": dict(sorted(by_message.items(), key=lambda kv: -kv[1])), "crashes": crashes[:20]}


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="kiosk-pack-fuzz-", dir=args.folder) as tmp:
        figures = run_cases(args.fuzz, args.seed, Path(tmp))
    print(f"pack name fuzz: {figures['cases']} cases (seed {args.seed}) in {figures['seconds']} s: "
          f"{figures['accepted']} accepted, {figures['refused']} refused, {figures['crashed']} crashed; "
          f"slowest case {figures['slowest_case_s']} s")
    for message, count in dict(figures["refusals"]).items():  # type: ignore[call-overload]
        print(f"  {count:6d}  {message}…")
    for crash in list(figures["crashes"]):  # type: ignore[call-overload]
        print(f"  CRASH {crash}")
    return 1 if figures["crashed"] else 0
