"""Running the kiosk from the checkout as a user other than root (cage refuses root).

The test venv may live where another user cannot read it (a Python under /root), so the kiosk
gets a world-readable copy: /usr/bin/python3 (the same minor version as the tests' Python), the
test venv's site-packages hard-linked (copied when /tmp is another file system) and a copy of
the checkout's kiosk/, content/ and translations/ owned by that user (the kiosk compiles its
translation catalogs there at start).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

USER = "kiosk-test"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _fail_or_skip(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def ensure_user(name: str = USER) -> pwd.struct_passwd:
    if os.getuid() != 0:
        try:
            return pwd.getpwuid(os.getuid())  # not root: run as ourselves
        except KeyError:
            _fail_or_skip("the current user has no passwd entry")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        return pwd.getpwnam(name)


@dataclass
class NonRootKiosk:
    user: pwd.struct_passwd
    root: Path  # the world-readable folder
    python: Path
    env: dict[str, str]  # PYTHONPATH and HOME for the kiosk

    def private_dir(self, name: str) -> Path:
        """A folder the user owns (XDG_RUNTIME_DIR, the data folder)."""
        path = self.root / name
        path.mkdir(mode=0o700)
        os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path

    def popen(self, args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[bytes]:
        full = {"PATH": "/usr/local/bin:/usr/bin:/bin", **self.env, **env}
        if os.getuid() != 0:
            return subprocess.Popen(args, env=full, **kwargs)  # type: ignore[call-overload]
        return subprocess.Popen(args, env=full, user=self.user.pw_uid, group=self.user.pw_gid,  # type: ignore[call-overload]
                                extra_groups=[], **kwargs)


def make_nonroot_kiosk(tmp: Path | None = None) -> NonRootKiosk:
    if not SYSTEM_PYTHON.exists():
        _fail_or_skip(f"needs {SYSTEM_PYTHON} (Debian package python3)")
    version = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if version != str(tuple(sys.version_info[:2])):
        _fail_or_skip(f"{SYSTEM_PYTHON} is {version}, the tests run {sys.version_info[:2]}: "
                      "the site-packages cannot be shared")
    user = ensure_user()
    root = Path(tempfile.mkdtemp(prefix="kiosk-nonroot-", dir=tmp))
    root.chmod(0o755)
    site = Path(sysconfig.get_paths()["purelib"])
    packages = root / "site-packages"
    packages.mkdir()
    for entry in site.iterdir():
        if entry.name.startswith("__editable__") or entry.name in ("__pycache__",):
            continue
        _link_tree(entry, packages / entry.name)
    src = root / "src"
    src.mkdir()
    for name in ("kiosk", "content", "translations"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for path in [src, *src.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    home = root / "home"
    home.mkdir()
    os.chown(home, user.pw_uid, user.pw_gid)
    env = {"PYTHONPATH": f"{src}:{packages}", "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    return NonRootKiosk(user, root, SYSTEM_PYTHON, env)


def _link_tree(source: Path, target: Path) -> None:
    """Hard links (instant, same inodes, world-readable as they are); a copy across file systems."""
    try:
        if source.is_dir():
            shutil.copytree(source, target, copy_function=os.link)
        else:
            os.link(source, target)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
