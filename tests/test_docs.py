"""The documentation holds together: the README stays a short front door, every relative link in
the Markdown files leads to a file (and a heading) that exists, and no file names a path of one
particular machine (a developer's home or workplace), which nobody else has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT

MARKDOWN = sorted([ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("deploy/*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")  # [text](target)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped but - and _, spaces to -.
    Letters of any script are kept (``\\w`` is Unicode-aware)."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.MULTILINE)}


def relative_links(path: Path) -> list[str]:
    """The link targets of a Markdown file that point into the checkout (not web, not mail)."""
    text = INLINE_CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path: Path) -> None:
    broken = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert not broken, "\n".join(broken)


def test_the_readme_is_a_short_front_door() -> None:
    """The README says what the kiosk is and how to start; the rest lives in the guides in docs/."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 220, f"README.md has {lines} lines: move sections into a guide in docs/"


TEXT_SUFFIXES = {".md", ".py", ".toml", ".service", ".timer", ".yaml", ".yml", ".spec", ".nsi",
                 ".ps1", ".cmd", ".cfg", ".conf", ".sh"}
# A path of one machine: the development workplace, a shared tools folder beside the checkout,
# root's or a user's home. Written in pieces so that this file does not match itself.
MACHINE_PATHS = ("/" + "work/", "../" + "shared/", "/" + "root/", "/" + "home/")


def text_files() -> list[Path]:
    """The files git would commit (tracked, and new ones not ignored) that hold text we write."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True, timeout=60).stdout.splitlines()
    files = []
    for name in names:
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree
        if path.suffix in TEXT_SUFFIXES:
            files.append(path)
        elif not path.suffix:  # shell scripts such as .ci/run and deploy/build-deb
            with path.open("rb") as f:
                if f.read(2) == b"#!":
                    files.append(path)
    return files


def test_no_file_names_a_path_of_one_particular_machine() -> None:
    """The project must build and be read anywhere: nothing may depend on (or point the reader
    to) a folder that exists on one machine only."""
    found = []
    for path in text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for machine_path in MACHINE_PATHS:
                if machine_path in line:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
