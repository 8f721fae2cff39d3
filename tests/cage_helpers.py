"""The kiosk from the checkout under cage's headless backend, as a non-root user, with a real
NOTIFY_SOCKET the test listens on."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import need_tool
from tests.nonroot import NonRootKiosk


def need_cage() -> None:
    need_tool("cage", "cage")
    need_tool("Xwayland", "xwayland")
    need_tool("grim", "grim")
    need_tool("wlr-randr", "wlr-randr")


class NotifyListener:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        path.chmod(0o777)  # the kiosk runs as another user
        self.messages: list[tuple[float, str]] = []

    def wait_for(self, text: str, timeout: float) -> float | None:
        """The arrival time (monotonic) of the first datagram containing `text`."""
        deadline = time.monotonic() + timeout
        for at, message in self.messages:
            if text in message:
                return at
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                break
            at = time.monotonic()
            self.messages.append((at, data.decode()))
            if text in data.decode():
                return at
        return None

    def collect(self, seconds: float) -> list[tuple[float, str]]:
        got: list[tuple[float, str]] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                break
            got.append((time.monotonic(), data.decode()))
        self.messages += got
        return got

    def collect_in_background(self) -> threading.Event:
        """Reads on a thread (so a sender never finds the queue full) until the event is set."""
        stop = threading.Event()

        def read() -> None:
            self.sock.settimeout(0.05)
            while not stop.is_set():
                try:
                    data = self.sock.recv(4096)
                except TimeoutError:
                    continue
                self.messages.append((time.monotonic(), data.decode()))

        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        stop.thread = thread  # type: ignore[attr-defined]
        return stop

    def close(self) -> None:
        self.sock.close()


@dataclass
class CageRun:
    proc: subprocess.Popen[bytes]
    runtime: Path
    data: Path
    notify: NotifyListener
    started: float
    log: Path
    kiosk: NonRootKiosk

    def wayland_env(self) -> dict[str, str]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            sockets = sorted(p.name for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock"))
            if sockets:
                return {"XDG_RUNTIME_DIR": str(self.runtime), "WAYLAND_DISPLAY": sockets[0]}
            assert self.proc.poll() is None, self.log.read_text(errors="replace")
            time.sleep(0.05)
        raise AssertionError("cage made no Wayland socket: " + self.log.read_text(errors="replace"))

    def as_user(self, args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        proc = self.kiosk.popen(args, self.wayland_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = proc.communicate(timeout=30)
        return subprocess.CompletedProcess(args, proc.returncode, out, err)

    def screenshot(self, path: Path) -> Path:
        done = self.as_user(["grim", "-"])
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        path.write_bytes(done.stdout)
        return path


@contextmanager
def kiosk_under_cage(kiosk: NonRootKiosk, settings: str = "", kiosk_args: tuple[str, ...] = (),
                     program: tuple[str, ...] = ("-m", "kiosk"), env_extra: dict[str, str] | None = None
                     ) -> Iterator[CageRun]:
    tag = f"{time.monotonic_ns() % 10**6}"
    runtime = kiosk.private_dir(f"r{tag}")
    data = kiosk.private_dir(f"d{tag}")
    if settings:
        (data / "settings.yaml").write_text(settings)
        os.chown(data / "settings.yaml", kiosk.user.pw_uid, kiosk.user.pw_gid)
    notify = NotifyListener(kiosk.root / f"n{tag}")
    log = kiosk.root / f"cage-{tag}.log"
    env = {"XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
           "WLR_LIBINPUT_NO_DEVICES": "1", "NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "2000000",
           "QT_QPA_PLATFORM": "wayland", "KIOSK_DATA_DIR": str(data), **(env_extra or {})}
    with log.open("wb") as out:
        started = time.monotonic()
        proc = kiosk.popen(["cage", "-d", "--", str(kiosk.python), *program, *kiosk_args], env,
                           stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    run = CageRun(proc, runtime, data, notify, started, log, kiosk)
    try:
        yield run
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=15)
        notify.close()
