"""Looking at PDF pages as a reader would: rendered with poppler, compared pixel by pixel.

Text in cups-pdf output is not reliably extractable (fonts become Type 3), so printed
jobs are compared with the PDF Qt made by rendering both to grey images.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Page:
    width: int
    height: int
    pixels: bytes  # 8-bit grey, row by row


def render_pages(pdf: Path, dpi: int = 50) -> list[Page]:
    """Every page of `pdf` as a grey image (pdftoppm, Debian package poppler-utils)."""
    prefix = pdf.with_name(pdf.stem + f"-{dpi}dpi")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(prefix)], check=True, timeout=60)
    pages = []
    for path in sorted(prefix.parent.glob(prefix.name + "-*.pgm")):
        pages.append(_read_pgm(path))
        path.unlink()
    return pages


def _read_pgm(path: Path) -> Page:
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:  # magic, width, height, maxval: separated by whitespace
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    assert fields[0] == b"P5" and fields[3] == b"255", fields
    width, height = int(fields[1]), int(fields[2])
    return Page(width, height, data[pos + 1:pos + 1 + width * height])


def pooled(page: Page, block: int) -> list[float]:
    """Mean grey of each `block` x `block` square: what the eye sees from reading distance."""
    out = []
    for by in range(page.height // block):
        for bx in range(page.width // block):
            total = 0
            for y in range(by * block, by * block + block):
                row = y * page.width + bx * block
                total += sum(page.pixels[row:row + block])
            out.append(total / (block * block))
    return out


def difference(a: Page, b: Page, block: int = 6, tolerance: int = 24) -> tuple[float, float]:
    """(mean absolute difference 0..255, share of squares that differ by more than `tolerance`).

    Compared in squares (3 mm at 50 dpi), not pixels: Ghostscript (in cups-pdf) turns the
    fonts into bitmaps and anti-aliases them differently, which moves single pixels but not
    what a square of the page looks like. A different page (another language) differs in
    a quarter of its squares; the same page in under 1 %.
    """
    assert (a.width, a.height) == (b.width, b.height), f"page sizes differ: {a.width}x{a.height} vs {b.width}x{b.height}"
    pa, pb = pooled(a, block), pooled(b, block)
    diffs = [abs(x - y) for x, y in zip(pa, pb, strict=True)]
    return sum(diffs) / len(diffs), sum(1 for d in diffs if d > tolerance) / len(diffs)


def ink(page: Page, threshold: int = 128) -> float:
    """The share of dark pixels: a blank page has none."""
    return sum(1 for v in page.pixels if v < threshold) / len(page.pixels)
