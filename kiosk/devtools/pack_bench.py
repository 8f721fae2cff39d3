"""`kiosk pack bench`: figures for content updates on this machine, printed (a developer tool).

- verify + install of the default pack, and of a big pack with narrations (default 200 MB),
  each as the real `kiosk pack install` command in a child process: its wall time and its peak
  resident memory (from the kernel, for the child alone);
- `kiosk stats merge` of N kiosks x D daily files, as the real command.

Everything happens in a scratch folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Runs `python -m kiosk ARGS`; returns (wall seconds, peak RSS MiB, output). The child's CPU
    seconds (user + system) are left in LAST_CPU: on a shared machine they say more than the wall."""
    global LAST_CPU
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kiosk", *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    output = process.stdout.read() if process.stdout else ""
    if process.stdout:
        process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"kiosk pack bench: {' '.join(args[:2])} failed:\n{output}")
    LAST_CPU = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024, output


LAST_CPU = 0.0


def _wav(path: Path, size: int) -> None:
    """A WAV file of `size` bytes of noise (so the zip cannot shrink it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data_len = size - 44
    with path.open("wb") as fh:
        fh.write(b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVEfmt "
                 + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16) + b"data" + struct.pack("<I", data_len))
        left = data_len
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            fh.write(chunk)
            left -= len(chunk)


def _big_content(source: Path, target: Path, total_mb: int) -> None:
    """The default content with a narration of total_mb/10 MB in every language on 10 slides... or fewer."""
    shutil.copytree(source, target)
    slides = sorted((target / "slides").glob("*.yaml"))
    languages = ("kk", "ru", "uz", "en")
    count = min(len(slides) * len(languages), max(1, total_mb // 5))
    each = total_mb * 1024 * 1024 // count
    done = 0
    for slide in slides:
        lines = []
        for lang in languages:
            if done == count:
                break
            _wav(target / "audio" / lang / f"{slide.stem}.wav", each)
            lines.append(f"  {lang}: audio/{lang}/{slide.stem}.wav")
            done += 1
        if lines:
            slide.write_text(slide.read_text(encoding="utf-8").rstrip("\n") + "\nnarration:\n" + "\n".join(lines) + "\n",
                             encoding="utf-8")


def _daily_files(folder: Path, kiosks: int, days: int) -> int:
    from kiosk.core.stats import DayRow, write_csv

    first = dt.date(2025, 1, 1)
    n = 0
    for k in range(kiosks):
        kiosk_id = f"kiosk-{k:03}"
        (folder / kiosk_id).mkdir(parents=True)
        for d in range(days):
            day = first + dt.timedelta(days=d)
            rows = [DayRow(day, lang, visits=10 + (k + d) % 7, slides_viewed=50, quizzes_finished=3,
                           quiz_score_total=210, quiz_answers=15, quiz_right=10, leaflets_printed=2, timeouts=9)
                    for lang in ("kk", "ru", "uz", "en")]
            with (folder / kiosk_id / f"{day.isoformat()}.csv").open("w", encoding="utf-8", newline="") as fh:
                write_csv(fh, rows, kiosk_id)
            n += 1
    return n


def run(args: argparse.Namespace) -> int:
    from kiosk.core.model import default_content_dir
    from kiosk.core.packs import SIG_SUFFIX, SecretKey, build_pack, sign_file

    with tempfile.TemporaryDirectory(prefix="kiosk-pack-bench-", dir=args.folder) as tmp_name:
        tmp = Path(tmp_name)
        key = SecretKey.generate()
        (tmp / "ngo.pub").write_text(key.public.to_text(), encoding="utf-8")
        env = {**os.environ, "KIOSK_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen"}

        def pack(source: Path, version: int, name: str) -> Path:
            out = tmp / name
            build_pack(source, version, out)
            (out.with_name(out.name + SIG_SUFFIX)).write_text(sign_file(out, key).to_text(), encoding="utf-8")
            return out

        small = pack(default_content_dir(), 1, "default.kpack")
        wall, rss, _ = _child(["pack", "install", str(small), "--key", str(tmp / "ngo.pub")], env)
        print(f"default pack ({small.stat().st_size / 1024:.0f} KiB): verify + install {wall:.2f} s "
              f"(the whole command, Python start included), peak memory {rss:.0f} MiB")

        started = time.perf_counter()
        _big_content(default_content_dir(), tmp / "big", args.big_mb)
        big = pack(tmp / "big", 2, "big.kpack")
        made = time.perf_counter() - started
        size_mb = big.stat().st_size / 1e6
        wall, rss, _ = _child(["pack", "install", str(big), "--key", str(tmp / "ngo.pub")], env)
        print(f"big pack ({size_mb:.0f} MB, narrations; built and signed in {made:.1f} s): verify + install "
              f"{wall:.2f} s, peak memory {rss:.0f} MiB")
        wall, rss, _ = _child(["pack", "verify", str(big), "--key", str(tmp / "ngo.pub")], env)
        print(f"big pack: verify alone (signature and every checksum) {wall:.2f} s, peak memory {rss:.0f} MiB")
        shutil.rmtree(tmp / "big")
        shutil.rmtree(tmp / "data")

        fleet = tmp / "fleet"
        started = time.perf_counter()
        n = _daily_files(fleet, args.merge_kiosks, args.merge_days)
        made = time.perf_counter() - started
        wall, rss, output = _child(["stats", "merge", str(fleet), "--output", str(tmp / "fleet.csv")], env)
        print(f"stats merge: {args.merge_kiosks} kiosks x {args.merge_days} daily files ({n:,} files, made in "
              f"{made:.1f} s): {wall:.2f} s (the whole command; {LAST_CPU:.2f} s of CPU), peak memory {rss:.0f} MiB; "
              f"{output.strip()}")
    return 0
