"""The recording script (`kiosk narrate --script`): what a voice actor reads, one numbered line per
recording, in the order of the screens, on A4. A QTextDocument breaks the pages; the bundled
fonts carry every Kazakh and Uzbek letter."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from kiosk.core.model import N_, NATIVE_NAMES
from kiosk.paper.fonts import load_fonts

if TYPE_CHECKING:
    from kiosk.core.model import I18n
    from kiosk.core.narration import ScriptLine

# TRANSLATORS: the title of the recording script a voice actor reads; {language} is the name of
# the language being recorded (Қазақша, Русский...), {count} the number of lines.
SCRIPT_TITLE = N_("Recording script: {language}, lines: {count}")
# TRANSLATORS: under the title of the recording script: how to record and name the files.
# The file names are examples and stay as they are.
SCRIPT_HOW = N_("Read each line as one recording, calmly, as you would say it to a visitor. Save it under its "
                "number (1.wav, 2.wav …) or under the name in grey. A second of silence before and after is "
                "fine: the kiosk cuts it off.")
# TRANSLATORS: the recording script, before how a line is said where it differs from how it is
# written (numbers in words, for example).
SCRIPT_SAY = N_("Say:")
RESOLUTION_DPI = 300
MARGIN_MM = 18


def write_script_pdf(path: Path, lines: Sequence[ScriptLine], lang: str, i18n: I18n, pack: str = "") -> None:
    """The script of `lines` as an A4 PDF at `path` (written beside it, then renamed)."""
    family = load_fonts()

    def t(text: str) -> str:
        return i18n.gettext(text, lang)

    rows = []
    for line in lines:
        item = line.item
        shown = item.shown or item.text
        say = (f'<p style="margin:2pt 0 0 0; color:#333"><i>{escape(t(SCRIPT_SAY))}</i> {_html(item.text)}</p>'
               if item.shown else "")
        rows.append(
            f'<tr><td width="12%" style="font-size:20pt; font-weight:bold; padding:6pt 4pt">{line.number}</td>'
            f'<td style="padding:6pt 4pt; border-bottom:1px solid #bbb">'
            f'<p style="margin:0; font-size:14pt">{_html(shown)}</p>{say}'
            f'<p style="margin:2pt 0 0 0; font-size:9pt; color:#777">{escape(item.slug)}</p></td></tr>')
    title = t(SCRIPT_TITLE).format(language=NATIVE_NAMES.get(lang, lang), count=len(lines))
    html = (f'<h1 style="font-size:18pt">{escape(title)}</h1>'
            f'<p style="font-size:10pt; color:#555">{escape(pack)}</p>'
            f'<p style="font-size:11pt">{escape(t(SCRIPT_HOW))}</p>'
            f'<table width="100%" cellspacing="0" style="margin-top:8pt">{"".join(rows)}</table>')
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(title)
    writer.setCreator("safe-migration-kiosk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setDefaultFont(QFont(family, 11))
    document.setHtml(html)
    try:
        document.print_(writer)
    finally:
        del writer  # the PDF is complete only once the writer is gone
    tmp.replace(path)


def _html(text: str) -> str:
    return "<br>".join(escape(part) for part in text.splitlines())
