"""kill -9 at every step of an install: the kiosk then starts on the old pack or the new one, never a mix.

A real child process installs pack 2 over pack 1 and is killed with SIGKILL before each of its
file-system steps in turn (tests/pack_kill_child.py: it stops itself there, the harness kills it).
After each kill, the content a starting kiosk would choose is loaded, and every one of its files
is compared with pack 1's or pack 2's: all of one, nothing of the other. Then the next install
must work and leave nothing behind.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.packs import packs
from kiosk.core.packs.library import choose_content
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.packs.packs import content_files, install, read_state
from tests.conftest import CONTENT, ROOT
from tests.pack_helpers import content_with, good_pack


def tree(folder: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in content_files(folder)}


@pytest.mark.skipif(sys.platform != "linux", reason="needs fork and SIGSTOP (Linux)")
def test_kill_9_at_every_step_of_an_install(tmp_path: Path) -> None:
    key = SecretKey.generate()
    new = content_with(tmp_path, "v2", number="21-00-00", slide_title="Changed", version="2.0")
    old_tree, new_tree = tree(CONTENT), tree(new)
    assert old_tree != new_tree
    pack1 = good_pack(tmp_path, key, 1)
    pack2 = good_pack(tmp_path, key, 2, new)
    pristine = tmp_path / "pristine"
    install(pack1, pristine, [key.public])

    harness = subprocess.Popen([sys.executable, "-m", "tests.pack_kill_child"], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert harness.stdin is not None and harness.stdout is not None

    def attempt(k: int, data: Path) -> str:
        assert harness.stdin is not None and harness.stdout is not None
        harness.stdin.write(f"{k} {data} {pack2} {key.public.to_base64()}\n")
        harness.stdin.flush()
        return harness.stdout.readline().strip()

    try:
        first = tmp_path / "count"
        shutil.copytree(pristine, first)
        done = attempt(0, first)
        assert done.startswith("finished "), done
        steps = int(done.split()[1])
        assert steps > 20  # copy, fsyncs per file, renames, the state file, the clean-up
        outcomes = {"old": 0, "new": 0}
        seen_steps = set()
        for k in range(1, steps + 1):
            data = tmp_path / f"kill-{k}"
            shutil.copytree(pristine, data)
            said = attempt(k, data)
            assert said.startswith(f"stopped {k} "), said
            seen_steps.add(said.split()[2])
            choice = choose_content(None, data)  # what a kiosk starting now would show
            shown_tree = tree(choice.source)
            assert shown_tree in (old_tree, new_tree), f"a mix after a kill at step {said}"
            assert choice.source.parent == data / "packs"
            outcomes["old" if shown_tree == old_tree else "new"] += 1
            # the kiosk carries on: the next install works and leaves nothing behind
            if shown_tree == old_tree:
                install(pack2, data, [key.public])
            packs.clean_up(data)
            state = read_state(data)
            assert tree(data / "packs" / state.current) == new_tree
            assert sorted(p.name for p in (data / "packs").iterdir()) == sorted(
                {"state.json", state.current, state.previous} - {""})
            shutil.rmtree(data)
        assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes  # killed before and after the switch
        assert {"mkdir", "fsync", "rename", "replace"} <= seen_steps
        print(f"{steps} steps killed: {outcomes}")
    finally:
        harness.stdin.close()
        harness.wait(timeout=30)
        harness.stdout.close()
