"""`kiosk leaflet` writing PDFs (printing from the command line is in test_leaflet_printing.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import main


def test_one_language_to_a_file(qapp, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "leaflet-kk.pdf"
    assert main(["leaflet", "--lang", "kk", "--output", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert f"wrote {out} (kk, smallest text" in capsys.readouterr().out


def test_every_language_into_a_folder(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert main(["leaflet", "--all", "--output", str(tmp_path / "leaflets")]) == 0
    assert sorted(p.name for p in (tmp_path / "leaflets").iterdir()) == [
        "leaflet-en.pdf", "leaflet-kk.pdf", "leaflet-ru.pdf", "leaflet-uz.pdf"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "leaflets" / "leaflet-uz.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Chet elga ishga" in text


def test_nothing_to_do_is_a_usage_error(qapp, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["leaflet", "--lang", "ru"]) == 2
    assert "--output" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["leaflet", "--output", "x.pdf"])  # neither --lang nor --all


def test_a_language_the_content_lacks(qapp, tmp_path: Path, content_copy: Path,  # type: ignore[no-untyped-def]
                                      capsys: pytest.CaptureFixture[str]) -> None:
    manifest = content_copy / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("enabled: [kk, ru, uz, en]",
                                                                      "enabled: [kk, ru]"), encoding="utf-8")
    code = main(["leaflet", "--content", str(content_copy), "--lang", "uz", "--output", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "the content has no uz" in capsys.readouterr().err


def test_broken_content_is_refused_rather_than_printing_something_else(  # type: ignore[no-untyped-def]
        qapp, tmp_path: Path, content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "leaflet.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code = main(["leaflet", "--content", str(content_copy), "--lang", "ru", "--output", str(tmp_path / "x.pdf")])
    assert code == 1
    assert "leaflet.yaml" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
