"""The staff test page: which kiosk and printer it came from, and grey steps that show low toner."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter


def test_page_pdf(kiosk_id: str, printer: str) -> bytes:
    """A one-page PDF that says what it is, so staff know which kiosk and printer it came from."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    painter = QPainter(writer)
    font = QFont("Noto Sans")
    font.setPointSize(20)
    painter.setFont(font)
    page = QRectF(painter.viewport())
    text = (f"Kiosk test page\n\nkiosk: {kiosk_id}\nprinter: {printer or 'default'}\n"
            f"{dt.datetime.now():%Y-%m-%d %H:%M}\n\nТест · Сынақ · Sinov")
    painter.drawText(page, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text)
    for i in range(6):  # grey steps: shows whether the toner is low
        painter.fillRect(QRectF(i * page.width() / 6, page.height() * 0.7, page.width() / 6, page.height() * 0.1),
                         Qt.GlobalColor.black if i == 0 else [Qt.GlobalColor.darkGray, Qt.GlobalColor.gray,
                                                              Qt.GlobalColor.lightGray, Qt.GlobalColor.white,
                                                              Qt.GlobalColor.white][i - 1])
    painter.end()
    buffer.close()
    return bytes(data.data())
