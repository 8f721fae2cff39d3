"""The A4 leaflet in every language: one page, nothing below 9 pt, nothing overflowing, real
text in the PDF, a QR code that dials the number, and the same page on every device."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter

from kiosk.core.model.content import LANGUAGES, Content, Text
from kiosk.devtools.soak import bench_leaflet_ms
from kiosk.paper.leaflet import MIN_PT, draw_leaflet, leaflet_metrics
from kiosk.paper.pdf import leaflet_pdf, write_leaflet_pdf
from tests.pdf_pages import difference, ink, render_pages
from tests.support import default_content, need_tool

TEL = "tel:+77252216152"


@pytest.fixture(scope="module")
def content() -> Content:
    loaded = default_content()
    assert loaded.leaflet is not None
    return loaded


def squash(text: str) -> str:
    """pdftotext breaks lines where the layout did and keeps no-break spaces: compare words."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_page_nothing_below_9_pt_nothing_overflowing(qapp, content: Content, lang: str) -> None:  # type: ignore[no-untyped-def]
    metrics = leaflet_metrics(content, lang)
    assert metrics.fits, f"{lang}: overflowing {metrics.overflowing}"
    assert metrics.pages == 1
    assert metrics.min_pt >= MIN_PT == 9.0
    assert all(b.pt >= 9.0 for b in metrics.blocks if b.pt), [b for b in metrics.blocks if 0 < b.pt < 9]
    for block in metrics.blocks:  # on the sheet, and no text in the strip a cheap laser cannot print
        r = block.rect
        assert 0 <= r.left() and r.right() <= 210 and 0 <= r.top() and r.bottom() <= 297 - 5.9, block
    texts = [b for b in metrics.blocks if not b.name.startswith("tab ")]
    for a, b in combinations(texts, 2):
        assert not a.rect.intersects(b.rect), f"{lang}: {a.name} overlaps {b.name}"
    names = {b.name for b in metrics.blocks}
    assert {"title", "intro", "signs title", "help title", "organisation", "about", "qr", "qr caption"} <= names
    assert sum(n.startswith("message ") for n in names) == len(content.leaflet.messages)  # type: ignore[union-attr]
    assert sum(n.startswith("sign ") for n in names) == len(content.leaflet.signs)  # type: ignore[union-attr]
    assert sum(n.endswith(" number") and n.startswith("tab ") for n in names) >= 6  # a row of tear-off tabs
    for cid in content.leaflet.contacts:  # type: ignore[union-attr]
        assert f"number {cid}" in names and f"purpose {cid}" in names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_is_one_a4_page_with_real_text_and_embedded_fonts(qapp, content: Content, lang: str,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    need_tool("pdftotext", "poppler-utils")
    pdf = tmp_path / f"leaflet-{lang}.pdf"
    write_leaflet_pdf(pdf, content, lang)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(r"^Page size:\s+595(\.\d+)? x 842 pts \(A4\)$", info, re.MULTILINE), info
    text = squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    leaflet = content.leaflet
    assert leaflet is not None
    assert squash(leaflet.title.get(lang)) in text
    assert "8 (7252) 21-61-52" in text
    assert "+7 7252 21 61 52" in text
    assert "111" in text and "102" in text
    assert squash(leaflet.signs[0].get(lang)) in text
    assert squash(content.organisation.name.get(lang)) in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("NotoSans" in row for row in rows), fonts
    assert all(row.split()[-5] == "yes" for row in rows), f"a font is not embedded:\n{fonts}"


@pytest.mark.parametrize("lang", ["kk", "uz"])
def test_the_qr_code_on_the_page_dials_the_number(qapp, content: Content, lang: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_tool("zbarimg", "zbar-tools")
    need_tool("pdftoppm", "poppler-utils")
    pdf = tmp_path / "leaflet.pdf"
    write_leaflet_pdf(pdf, content, lang)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    found = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert found.stdout.split() == [TEL], found.stderr


def test_the_preview_on_screen_is_the_same_page(qapp, content: Content, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_tool("zbarimg", "zbar-tools")
    image = QImage(1240, 1754, QImage.Format.Format_RGB32)  # A4 at 150 dpi
    image.fill(QColor("white"))
    metrics = draw_leaflet(image, content, "ru")
    assert metrics == leaflet_metrics(content, "ru")
    image.save(str(tmp_path / "preview.png"))
    found = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "preview.png")], capture_output=True, text=True)
    assert found.stdout.split() == [TEL]


def test_a_qprinter_gets_the_same_page_as_qpdfwriter(qapp, content: Content, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The one layout routine on QPrinter (as paper would get it) and on QPdfWriter."""
    need_tool("pdftoppm", "poppler-utils")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    printer.setFullPage(True)
    draw_leaflet(printer, content, "kk")
    write_leaflet_pdf(tmp_path / "writer.pdf", content, "kk")
    (a,), (b,) = render_pages(tmp_path / "printer.pdf"), render_pages(tmp_path / "writer.pdf")
    mean, share = difference(a, b)
    assert mean < 1 and share == 0, (mean, share)
    assert ink(a) > 0.05  # not two blank pages


def test_an_overlong_translation_is_caught(qapp, content: Content) -> None:  # type: ignore[no-untyped-def]
    assert content.leaflet is not None
    long_intro = Text({**content.leaflet.intro.values, "kk": " ".join(["Паспортыңызды сақтаңыз"] * 60)})
    longer = dataclasses.replace(content, leaflet=dataclasses.replace(content.leaflet, intro=long_intro))
    metrics = leaflet_metrics(longer, "kk")
    assert not metrics.fits
    assert metrics.min_pt >= 9.0  # it never shrinks below the floor to hide the problem
    assert leaflet_metrics(longer, "ru").fits  # only the language with the long text is affected


def test_a_word_too_long_for_its_box_is_caught(qapp, content: Content) -> None:  # type: ignore[no-untyped-def]
    assert content.leaflet is not None
    signs = (Text({"en": "Ridiculouslylongwordthatnoboxonthisleafletcouldeverholdinonelinewhatsoever"}),)
    metrics = leaflet_metrics(dataclasses.replace(content, leaflet=dataclasses.replace(content.leaflet, signs=signs)),
                              "en")
    assert "sign 1" in metrics.overflowing


def test_short_text_keeps_its_design_size(qapp, content: Content) -> None:  # type: ignore[no-untyped-def]
    assert leaflet_metrics(content, "en").scale == 1.0


def test_the_pdf_is_made_in_memory_for_printing(qapp, content: Content) -> None:  # type: ignore[no-untyped-def]
    data = leaflet_pdf(content, "uz")
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_benchmark_figure_per_language(qapp, content: Content) -> None:  # type: ignore[no-untyped-def]
    figures = bench_leaflet_ms(content, repeat=1)
    assert set(figures) == set(content.languages)
    assert all(ms > 0 for ms in figures.values())
