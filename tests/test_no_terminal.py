"""Commands that ask a person (issue 22, item 7): with no terminal they say what to do instead,
exit 2, and write nothing; never an EOFError traceback.

Run through the real `kiosk` command in a subprocess, twice each: stdin at EOF (/dev/null, as a
scheduled task has it) and stdin truly closed (fd 0 closed before the program starts, as
`cmd <&-` gives it). Neither has a terminal, so nothing here can block on getpass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.packs.minisign import SecretKey
from tests.pack_helpers import good_pack
from tests.support import ROOT

CHEAP = ["--kdf-opslimit", str(1 << 20), "--kdf-memlimit", str(1 << 24)]


def _close_stdin() -> None:
    os.close(0)


def kiosk(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    if stdin == "eof":
        return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=120)
    # fd 0 closed in the child before Python starts: sys.stdin is None there
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, close_fds=True, preexec_fn=_close_stdin, timeout=120)  # noqa: PLW1509


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A pack, and a secret key protected by a passphrase."""
    folder = tmp_path_factory.mktemp("protected")
    key = SecretKey.generate()
    secret = folder / "ngo.key"
    secret.write_text(key.to_text("pass phrase", 1 << 20, 1 << 24), encoding="utf-8")
    pack = good_pack(folder, key, 3)
    pack.with_name(pack.name + ".minisig").unlink()
    return pack, secret


def assert_told(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "EOFError" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.mark.parametrize("stdin", ["eof", "closed"])
def test_keygen_without_a_terminal_asks_for_passphrase_stdin_or_unprotected(stdin: str, tmp_path: Path) -> None:
    args = ["pack", "keygen", "--secret", str(tmp_path / "k.key"), "--public", str(tmp_path / "k.pub"), *CHEAP]
    assert_told(kiosk(args, stdin, tmp_path), "no terminal", "--passphrase-stdin", "--unprotected")
    assert_told(kiosk([*args, "--passphrase-stdin"], stdin, tmp_path), "--passphrase-stdin", "closed or empty")
    assert not (tmp_path / "k.key").exists() and not (tmp_path / "k.pub").exists()
    done = kiosk([*args, "--unprotected"], stdin, tmp_path)  # the way out the message names works
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "k.key").exists()


@pytest.mark.parametrize("stdin", ["eof", "closed"])
def test_sign_with_a_protected_key_and_no_terminal_asks_for_passphrase_stdin(
        stdin: str, tmp_path: Path, protected: tuple[Path, Path]) -> None:
    pack, secret = protected
    args = ["pack", "sign", str(pack), "--key", str(secret)]
    assert_told(kiosk(args, stdin, tmp_path), "no terminal", "--passphrase-stdin", str(secret))
    assert_told(kiosk([*args, "--passphrase-stdin"], stdin, tmp_path), "closed or empty")
    assert not pack.with_name(pack.name + ".minisig").exists()


@pytest.mark.parametrize("stdin", ["eof", "closed"])
def test_set_pin_without_a_terminal_asks_for_pin_stdin(stdin: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert_told(kiosk(["set-pin", "--data-dir", str(data)], stdin, tmp_path), "no terminal", "--pin-stdin")
    assert_told(kiosk(["set-pin", "--pin-stdin", "--data-dir", str(data)], stdin, tmp_path), "closed or empty")
    assert not (data / "settings.yaml").exists()
    assert kiosk(["set-pin", "--remove", "--data-dir", str(data)], stdin, tmp_path).returncode == 0  # asks nothing
