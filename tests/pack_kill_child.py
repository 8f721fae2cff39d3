"""Test harness, not product code: installs a pack in a child process that stops itself before
its k-th file-system step, so the test kills it there with SIGKILL.

The steps are the calls that change what is on disk: os.mkdir, os.rename, os.replace, os.fsync,
os.unlink, os.rmdir (Path and shutil go through them). The harness wraps them in this process
only; kiosk/core/packs/packs.py knows nothing about it.

Protocol (one process serves every kill point, so Python and the kiosk are imported once):
stdin  "K DATA_DIR PACK KEY_B64\\n"  -> fork; the child installs, stopping before step K (0: never)
stdout "stopped K STEP ARG" (then the harness kills the child with SIGKILL) or "finished N"
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from kiosk.core.packs.minisign import PublicKey
from kiosk.core.packs.packs import PackError, install

STEPS = ("mkdir", "rename", "replace", "fsync", "unlink", "rmdir")


def child(kill_at: int, data_dir: Path, pack: Path, key: PublicKey, report: int) -> None:
    count = [0]
    for name in STEPS:
        real = getattr(os, name)

        def wrapper(*args: object, _real: object = real, _name: str = name, **kwargs: object) -> object:
            count[0] += 1
            if count[0] == kill_at:
                os.write(report, f"stopped {kill_at} {_name} {str(args[0])[-60:]}\n".encode())
                os.kill(os.getpid(), signal.SIGSTOP)
            return _real(*args, **kwargs)  # type: ignore[operator]

        setattr(os, name, wrapper)
    try:
        install(pack, data_dir, [key])
    except PackError as exc:
        os.write(report, f"refused {exc}\n".encode())
        os._exit(1)
    os.write(report, f"finished {count[0]}\n".encode())
    os._exit(0)


def main() -> None:
    for line in sys.stdin:
        k, data_dir, pack, key = line.split()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            child(int(k), Path(data_dir), Path(pack), PublicKey.from_base64(key), write)
        os.close(write)
        _, status = os.waitpid(pid, os.WUNTRACED)
        message = os.read(read, 4096).decode().strip()
        if os.WIFSTOPPED(status):
            os.kill(pid, signal.SIGKILL)  # kill -9, at that exact step
            os.waitpid(pid, 0)
        os.close(read)
        print(message, flush=True)


if __name__ == "__main__":
    main()
