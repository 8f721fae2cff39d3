"""The staff test page: which kiosk and printer it came from, and grey steps that show low toner."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPaintDevice, QPainter, QPdfWriter


def draw_test_page(device: QPaintDevice, kiosk_id: str, printer: str) -> None:
    """The page on any device: a QPdfWriter (for `lp`) or a QPrinter (the Qt backend)."""
    if isinstance(device, QPagedPaintDevice):
        device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("cannot paint the test page on this device")
    font = QFont("Noto Sans")
    font.setPointSize(20)
    painter.setFont(font)
    page = QRectF(painter.viewport())
    text = (f"Kiosk test page\n\nkiosk: {kiosk_id}\nprinter: {printer or 'default'}\n"
            f"{dt.datetime.now():%Y-%m-%d %H:%M}\n\nТест · Сынақ · Sinov")
    painter.drawText(page, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text)
    greys = [Qt.GlobalColor.black, Qt.GlobalColor.darkGray, Qt.GlobalColor.gray, Qt.GlobalColor.lightGray,
             Qt.GlobalColor.white, Qt.GlobalColor.white]
    for i, grey in enumerate(greys):  # grey steps: shows whether the toner is low
        painter.fillRect(QRectF(i * page.width() / 6, page.height() * 0.7, page.width() / 6, page.height() * 0.1), grey)
    painter.end()


def test_page_pdf(kiosk_id: str, printer: str) -> bytes:
    """The test page as PDF bytes (for `lp`)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    draw_test_page(writer, kiosk_id, printer)
    del writer
    buffer.close()
    return bytes(data.data())
