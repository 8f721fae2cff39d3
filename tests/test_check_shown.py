"""`kiosk check` with no folder named checks what this kiosk shows, and says which (issue 22, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.core.packs import packs
from kiosk.core.packs.minisign import SecretKey
from tests.pack_helpers import content_with, good_pack
from tests.support import ROOT


def check(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("KIOSK_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "check", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_with_a_data_dir_checks_the_installed_pack_and_says_so(tmp_path: Path) -> None:
    key = SecretKey.generate()
    data = tmp_path / "data"
    packs.install(good_pack(tmp_path, key, 2, content_with(tmp_path, "v2", version="2.7")), data, [key.public])
    folder = data / "packs" / packs.read_state(data).current
    done = check("--data-dir", str(data))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Checking the content in {folder}"
    assert lines[1] == "This is the content this kiosk shows: update 2, installed from a signed pack."
    assert "version 2.7" in done.stdout
    # the disk damaged the installed pack since: check says so, not "OK" about the bundled content
    (folder / "quiz.yaml").write_text("questions: [\n", encoding="utf-8")
    done = check("--data-dir", str(data))
    assert done.returncode == 1
    assert "quiz.yaml:" in done.stdout and "the kiosk does not show it" in done.stdout


def test_check_without_a_pack_says_it_checks_the_bundled_content(tmp_path: Path) -> None:
    done = check("--data-dir", str(tmp_path / "empty"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[1] == ("This is the content this kiosk shows: the content it came with "
                                           "(no update is installed).")


def test_check_of_a_named_folder_says_nothing_about_what_the_kiosk_shows(tmp_path: Path) -> None:
    done = check(str(ROOT / "content"), "--data-dir", str(tmp_path / "empty"))
    assert done.returncode == 0 and "this kiosk shows" not in done.stdout
