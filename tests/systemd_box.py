"""A fresh Debian 12 with systemd as PID 1, booted in a container, for tests of the systemd unit.

debootstrap makes the root file system once per package list (kept under /var/tmp, about a
minute the first time); systemd-nspawn boots it; commands run inside through nsenter. Needs
root, debootstrap and systemd-nspawn (Debian packages debootstrap and systemd-container, which
.ci/run installs). The box has libpam-systemd, as every standard Debian 12 install has: that is
what moves a service with PAMName= into a logind session's scope.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

PACKAGES = ("systemd", "systemd-sysv", "dbus", "libpam-systemd", "python3", "procps")
# Added to a box once it exists (apt-get in a chroot; listed in the box's .extras): adduser, as
# the package's postinst and postrm use it; the libraries PySide6 links to, so that the checkout's
# kiosk itself (Qt's offscreen platform, no cage) can run in the box.
EXTRAS = ("adduser", "libegl1", "libgl1", "libglib2.0-0", "libfontconfig1", "libxkbcommon0", "libdbus-1-3")
SUITE = "bookworm"


def missing_requirements() -> list[str]:
    problems = []
    if os.geteuid() != 0:
        problems.append("root (debootstrap and systemd-nspawn)")
    for tool, package in (("debootstrap", "debootstrap"), ("systemd-nspawn", "systemd-container"),
                          ("nsenter", "util-linux")):
        if shutil.which(tool) is None:
            problems.append(f"{tool} (Debian package {package})")
    return problems


def _mirror() -> str:
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.exists():
        for line in sources.read_text().splitlines():
            if line.startswith("URIs:"):
                return line.split()[1]
    listing = Path("/etc/apt/sources.list")
    if listing.exists():
        for line in listing.read_text().splitlines():
            if line.startswith("deb "):
                return line.split()[1]
    return "http://deb.debian.org/debian"


class SystemdBox:
    def __init__(self, root: Path | None = None) -> None:
        tag = hashlib.sha256(" ".join((SUITE, *PACKAGES)).encode()).hexdigest()[:10]
        self.root = root or Path(f"/var/tmp/kiosk-test-box-{tag}")
        self.nspawn: subprocess.Popen[bytes] | None = None
        self.pid = 0  # the box's systemd, as seen from here

    def create(self) -> None:
        if not ((self.root / "usr/lib/systemd/systemd").exists() and (self.root / ".complete").exists()):
            shutil.rmtree(self.root, ignore_errors=True)
            done = subprocess.run(["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE,
                                   str(self.root), _mirror()], capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                raise RuntimeError(f"debootstrap failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
            (self.root / ".complete").write_text("ok\n")
        self._add_extras()

    def _add_extras(self) -> None:
        marker = self.root / ".extras"
        if marker.exists() and marker.read_text().split() == list(EXTRAS):
            return
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C"}
        for command in (["apt-get", "-q", "-o", "Acquire::Check-Valid-Until=false", "update"],
                        ["apt-get", "-q", "-y", "--no-install-recommends", "install", *EXTRAS]):
            done = subprocess.run(["chroot", str(self.root), *command], capture_output=True, text=True, env=env,
                                  timeout=900)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} in the box failed:\n{done.stdout[-2000:]}\n"
                                   f"{done.stderr[-2000:]}")
        marker.write_text(" ".join(EXTRAS) + "\n")

    def boot(self, timeout_s: float = 60.0, binds: dict[Path, str] | None = None) -> None:
        """`binds`: folders of this machine shown read-only in the box (this path: that path)."""
        try:
            self._boot(timeout_s, binds)
        except RuntimeError as exc:
            # The box's folder still locked by a box that was just killed (an interrupted earlier run):
            # systemd-nspawn says "currently busy". Once the lock is let go, a second try boots.
            if "currently busy" not in str(exc):
                raise
            time.sleep(15)
            self._boot(timeout_s, binds)

    def _boot(self, timeout_s: float, binds: dict[Path, str] | None) -> None:
        self.create()
        console = open(str(self.root) + ".console", "wb")  # noqa: SIM115 - kept for the box's life
        self.nspawn = subprocess.Popen(
            ["systemd-nspawn", "-q", "-D", str(self.root), "--boot", "--register=no", "--keep-unit",
             "--console=pipe", *(f"--bind-ro={here}:{there}" for here, there in (binds or {}).items())],
            stdin=subprocess.DEVNULL, stdout=console, stderr=console, start_new_session=True)
        console.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.nspawn.poll() is not None:
                break
            found = subprocess.run(["pgrep", "-P", str(self.nspawn.pid), "-x", "systemd"], capture_output=True,
                                   text=True)
            if found.stdout.split():
                self.pid = int(found.stdout.split()[0])
                state = self.run("systemctl", "is-system-running", check=False).stdout.strip()
                if state in ("running", "degraded"):
                    return
            time.sleep(0.5)
        log = Path(str(self.root) + ".console").read_text(errors="replace")[-3000:]
        self.stop()
        raise RuntimeError(f"the box did not boot; its console:\n{log}")

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["nsenter", "-t", str(self.pid), "-a", "env", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                               *args], capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def write(self, path: str, text: str, mode: int = 0o644) -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        target.chmod(mode)

    def stop(self) -> None:
        if self.pid:
            self.run("systemctl", "poweroff", check=False, timeout=30)
        if self.nspawn is not None:
            try:
                self.nspawn.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.nspawn.pid, signal.SIGKILL)
                self.nspawn.wait(10)
        self.pid = 0
