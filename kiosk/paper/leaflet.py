"""The A4 leaflet: one layout routine for PDF, paper and the on-screen preview.

The page is laid out in device-independent units (tenths of a point) and then scaled onto
whatever device is being painted: a QPdfWriter at 1200 dpi, a QPrinter, a QImage for the
preview. Text is set with design metrics and without hinting, so the line breaks are the
same on every device and what the tests measure is what is printed.

Text starts at its design size and shrinks, all blocks together, until the page fits; no
block ever goes below its floor (9 pt at the smallest). `leaflet_metrics()` reports the
smallest size used and whether everything fits, so an over-long translation fails a test
instead of running off the paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPaintDevice,
    QPainter,
    QPen,
)

from kiosk.core.model import N_, Contact, Content, load_translation
from kiosk.paper.page import MM, PAGE_H, PAGE_W, PT, a4_painter, prepare_page  # noqa: F401 (re-exported)
from kiosk.paper.qr import draw_qr, qr_modules  # noqa: F401 (re-exported)
from kiosk.paper.text import INK, Para, Style, advance, bind_short_words, font_family  # noqa: F401

# TRANSLATORS: printed under the QR code on the paper leaflet. The code dials the number.
QR_CAPTION = N_("Point your phone camera here to call")


MIN_PT = 9.0  # nothing on the leaflet is smaller

ACCENT = QColor("#0b4f49")  # dark teal: prints as a dark grey, not a faint one, in greyscale
RULE = QColor("#0f766e")
TINT = QColor("#eef3f2")  # the signs box: a light tint that a laser printer renders evenly
CUT = QColor("#4b5563")


TITLE = Style(25, 16, bold=True, color=ACCENT, leading=1.12)
INTRO = Style(12.5, 9.5)
MESSAGE = Style(12, 9)
STEP = Style(11, 9, bold=True)
SIGNS_TITLE = Style(13, 10, bold=True, color=ACCENT, leading=1.15)
SIGN = Style(11.5, 9)
HELP_TITLE = Style(15, 10.5, bold=True, color=ACCENT, leading=1.15)
ORG = Style(11.5, 9, bold=True)
ABOUT = Style(11, 9)
PRIMARY_NUMBER = Style(25, 16, bold=True, leading=1.1)
PRIMARY_INTL = Style(15, 10.5, bold=True, leading=1.15)
PURPOSE = Style(11, 9)
OTHER_NUMBER = Style(17, 12, bold=True, leading=1.1)
OTHER_NAME = Style(10.5, 9, bold=True)
OTHER_PURPOSE = Style(10, 9)
QR_TEXT = Style(10, 9)
TAB_TEXT = Style(10, 9)
TAB_NUMBER = Style(11.5, 9, bold=True)

ALL_STYLES = (TITLE, INTRO, MESSAGE, STEP, SIGNS_TITLE, SIGN, HELP_TITLE, ORG, ABOUT, PRIMARY_NUMBER,
              PRIMARY_INTL, PURPOSE, OTHER_NUMBER, OTHER_NAME, OTHER_PURPOSE, QR_TEXT, TAB_TEXT, TAB_NUMBER)
assert min(s.min_pt for s in ALL_STYLES) >= MIN_PT

MARGIN_X = 12 * MM
MARGIN_TOP = 11 * MM
PRINTABLE_BOTTOM = 6 * MM  # cheap lasers cannot print the last 4-5 mm: no text there
GAP = 5 * MM


@dataclass(frozen=True)
class BlockMetric:
    """One piece of text (or the QR code) as placed on the page, in millimetres."""

    name: str
    rect: QRectF
    pt: float  # 0 for drawings
    fits: bool  # the whole text is inside its box at this size


@dataclass(frozen=True)
class LeafletMetrics:
    language: str
    scale: float  # 1.0: every text at its design size
    min_pt: float
    fits: bool  # every block fits and the page is not overfull
    blocks: tuple[BlockMetric, ...]
    pages: int = 1

    @property
    def overflowing(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.blocks if not b.fits)


# -- the plan: everything placed, nothing drawn yet ----------------------------------------
Op = Callable[[QPainter], None]


@dataclass
class Plan:
    scale: float
    ops: list[Op] = field(default_factory=list)
    blocks: list[BlockMetric] = field(default_factory=list)
    overfull: float = 0.0  # units the content runs past its space (0 when it fits)

    def text(self, name: str, para: Para, x: float, y: float, box_h: float | None = None) -> float:
        """Places `para` at (x, y); returns the y below it."""
        h = para.height if box_h is None else box_h
        self.ops.append(lambda p, para=para, x=x, y=y: para.draw(p, x, y))
        self.blocks.append(BlockMetric(name, _mm_rect(QRectF(x, y, para.width, h)), para.pt,
                                       para.fits_width and para.height <= h + 0.5))
        return y + para.height

    @property
    def fits(self) -> bool:
        return self.overfull <= 0 and all(b.fits for b in self.blocks)


def _mm_rect(rect: QRectF) -> QRectF:
    return QRectF(rect.x() / MM, rect.y() / MM, rect.width() / MM, rect.height() / MM)


def _tr(language: str) -> Callable[[str], str]:
    catalog = load_translation(language)
    return catalog.gettext


def _plan(content: Content, language: str, scale: float, tr: Callable[[str], str]) -> Plan:
    leaflet = content.leaflet
    if leaflet is None:
        raise ValueError("this content has no leaflet (content/leaflet.yaml)")
    lang = language
    plan = Plan(scale)
    width = PAGE_W - 2 * MARGIN_X
    left = MARGIN_X
    primary = content.primary_contact

    # Tear-off strip first: its size is fixed by the number, and the rest fills what is left.
    strip_h, tab_ops = _tabs(plan, leaflet.tab.get(lang), primary, scale, left, width)
    strip_top = PAGE_H - strip_h
    limit = strip_top - 6 * MM

    # Header: title, intro, a rule.
    y = MARGIN_TOP
    title = Para(leaflet.title.get(lang), TITLE, scale, width)
    header_ops: list[tuple[str, Para, float]] = [("title", title, 0.0)]
    intro = Para(leaflet.intro.get(lang), INTRO, scale, width)
    header_ops.append(("intro", intro, title.height + 1.5 * MM))
    header_h = title.height + 1.5 * MM + intro.height

    # Section A: numbered messages with pictograms (left), signs of trafficking (right).
    col_gap = 6 * MM
    left_w = width * 0.6
    right_w = width - left_w - col_gap
    pic_w = 22 * MM * max(0.8, min(1.0, scale))
    pic_h = pic_w * 0.75
    text_w = left_w - pic_w - 4 * MM
    messages = []
    msg_h = 0.0
    for message in leaflet.messages:
        para = Para(message.text.get(lang), MESSAGE, scale, text_w)
        row_h = max(pic_h, para.height)
        messages.append((message.picture, para, row_h))
        msg_h += row_h
    row_gap = 3.5 * MM
    msg_h += row_gap * (len(messages) - 1)

    pad = 4 * MM
    inner = right_w - 2 * pad
    bullet_indent = 4.5 * MM
    signs_title = Para(leaflet.signs_title.get(lang), SIGNS_TITLE, scale, inner)
    signs = [Para(s.get(lang), SIGN, scale, inner - bullet_indent) for s in leaflet.signs]
    sign_gap = 1.8 * MM
    signs_h = (pad + signs_title.height + 2.5 * MM + sum(s.height for s in signs)
               + sign_gap * (len(signs) - 1) + pad)
    section_a = max(msg_h, signs_h)

    # Section B: who can help, the numbers, the QR code.
    help_pad = 5 * MM
    qr_side = 34 * MM
    qr_col = 40 * MM
    help_inner = width - 2 * help_pad
    text_col = help_inner - qr_col - 5 * MM
    help_title = Para(leaflet.about_title.get(lang), HELP_TITLE, scale, text_col)
    org = Para(content.organisation.name.get(lang), ORG, scale, text_col)
    about = Para(content.organisation.about.get(lang), ABOUT, scale, text_col)
    contacts = [content.contact(cid) for cid in leaflet.contacts]
    featured = [c for c in contacts if c.primary]
    others = [c for c in contacts if not c.primary]
    featured_paras = []
    for contact in featured:
        number = Para(contact.national or contact.local, PRIMARY_NUMBER, scale, text_col, prose=False)
        intl = (Para(contact.international, PRIMARY_INTL, scale, text_col, prose=False)
                if contact.international else None)
        purpose = Para(f"{contact.name.get(lang)}: {contact.purpose.get(lang)}", PURPOSE, scale, text_col)
        featured_paras.append((contact, number, intl, purpose))
    cell_gap = 5 * MM
    columns = 2 if len(others) > 1 else 1
    cell_w = (help_inner - (columns - 1) * cell_gap) / columns
    other_paras = []
    for contact in others:
        number_text = contact.national or contact.local
        if contact.international:
            number_text += f"   {contact.international}"
        number = Para(number_text, OTHER_NUMBER, scale, cell_w, prose=False)
        name = Para(contact.name.get(lang), OTHER_NAME, scale, cell_w)
        purpose = Para(contact.purpose.get(lang), OTHER_PURPOSE, scale, cell_w)
        other_paras.append((contact, number, name, purpose))

    upper_h = help_title.height + 2 * MM + org.height + 0.8 * MM + about.height
    for _c, number, intl, purpose in featured_paras:
        upper_h += 3.5 * MM + number.height + (intl.height + 0.5 * MM if intl else 0) + 0.8 * MM + purpose.height
    qr_caption = Para(tr(QR_CAPTION), QR_TEXT, scale, qr_col, Qt.AlignmentFlag.AlignHCenter)
    qr_h = qr_side + 1.5 * MM + qr_caption.height
    upper_h = max(upper_h, qr_h)
    rows: list[float] = []
    for i in range(0, len(other_paras), columns):
        row = other_paras[i:i + columns]
        rows.append(max(n.height + 0.8 * MM + m.height + 0.4 * MM + p.height for _c, n, m, p in row))
    lower_h = (4 * MM + sum(rows) + 3 * MM * max(0, len(rows) - 1)) if rows else 0.0
    help_h = help_pad + upper_h + lower_h + help_pad

    # Spread what is left over between the sections, so a short language does not leave a
    # hole above the tabs; an overfull page shrinks the text instead (see leaflet_metrics).
    used = header_h + GAP + 1.2 * MM + GAP + section_a + 2 * GAP + help_h
    spare = limit - MARGIN_TOP - used
    plan.overfull = max(0.0, -spare)
    extra = min(max(0.0, spare) / 4, 6 * MM)

    # -- place everything ---------------------------------------------------------------
    for name, para, dy in header_ops:
        plan.text(name, para, left, y + dy)
    y += header_h + GAP + extra / 2
    rule_y = y
    plan.ops.append(lambda p: _rule(p, left, rule_y, width))
    y += 1.2 * MM + GAP + extra / 2

    top_a = y
    my = top_a
    for i, (picture, para, row_h) in enumerate(messages):
        pic_rect = QRectF(left, my + (row_h - pic_h) / 2 if para.height > pic_h else my, pic_w, pic_h)
        plan.ops.append(lambda p, path=picture, r=pic_rect: _picture(p, path, r))
        badge = Para(str(i + 1), STEP, scale, 6 * MM, Qt.AlignmentFlag.AlignHCenter, prose=False)
        badge_rect = QRectF(pic_rect.x() - 1.5 * MM, pic_rect.y() - 1 * MM, 6.4 * MM, 6.4 * MM)
        plan.ops.append(lambda p, r=badge_rect: _badge(p, r))
        badge_y = badge_rect.y() + (badge_rect.height() - badge.height) / 2
        plan.text(f"step {i + 1}", badge, badge_rect.x() + 0.2 * MM, badge_y)
        text_y = my + (row_h - para.height) / 2
        plan.text(f"message {i + 1}", para, left + pic_w + 4 * MM, text_y)
        my += row_h + row_gap

    box = QRectF(left + left_w + col_gap, top_a, right_w, section_a)
    plan.ops.append(lambda p, r=box: _box(p, r, fill=TINT, pen=None))
    sy = plan.text("signs title", signs_title, box.x() + pad, box.y() + pad) + 2.5 * MM
    for i, para in enumerate(signs):
        dot_y = sy + para.pt * PT * para.style.leading / 2
        dot_x = box.x() + pad
        plan.ops.append(lambda p, x=dot_x, yy=dot_y: _bullet(p, x, yy))
        sy = plan.text(f"sign {i + 1}", para, box.x() + pad + bullet_indent, sy) + sign_gap
    y = top_a + section_a + 2 * GAP + extra

    help_box = QRectF(left, y, width, help_h)
    plan.ops.append(lambda p, r=help_box: _box(p, r, fill=None, pen=QPen(RULE, 0.7 * MM)))
    hx, hy = left + help_pad, y + help_pad
    ty = plan.text("help title", help_title, hx, hy) + 2 * MM
    ty = plan.text("organisation", org, hx, ty) + 0.8 * MM
    ty = plan.text("about", about, hx, ty)
    for contact, number, intl, purpose in featured_paras:
        ty += 3.5 * MM
        ty = plan.text(f"number {contact.id}", number, hx, ty)
        if intl is not None:
            ty = plan.text(f"international {contact.id}", intl, hx, ty + 0.5 * MM)
        ty = plan.text(f"purpose {contact.id}", purpose, hx, ty + 0.8 * MM)
    qr_x = left + width - help_pad - qr_col
    qr_rect = QRectF(qr_x + (qr_col - qr_side) / 2, hy, qr_side, qr_side)
    plan.ops.append(lambda p, r=qr_rect: draw_qr(p, primary.tel_uri, r))
    plan.blocks.append(BlockMetric("qr", _mm_rect(qr_rect), 0.0, True))
    plan.text("qr caption", qr_caption, qr_x, qr_rect.bottom() + 1.5 * MM)

    oy = hy + upper_h + 4 * MM
    if rows:
        line_y = oy - 2 * MM
        plan.ops.append(lambda p: _thin_rule(p, hx, line_y, help_inner))
    for r, row_h in enumerate(rows):
        for c, (contact, number, name, purpose) in enumerate(other_paras[r * columns:(r + 1) * columns]):
            cx = hx + c * (cell_w + cell_gap)
            cy = plan.text(f"number {contact.id}", number, cx, oy) + 0.8 * MM
            cy = plan.text(f"name {contact.id}", name, cx, cy) + 0.4 * MM
            plan.text(f"purpose {contact.id}", purpose, cx, cy)
        oy += row_h + 3 * MM

    plan.ops.extend(tab_ops)
    return plan


def _tabs(plan: Plan, tab_text: str, primary: Contact, scale: float, left: float,
          width: float) -> tuple[float, list[Op]]:
    """The tear-off strip along the bottom edge: (its height, how to draw it).

    Each tab carries the tab text and the number, turned 90 degrees so the number reads
    along the tab, as on a notice pinned to a village board.
    """
    number_text = primary.national or primary.local
    pad_len = 3.5 * MM  # along the tab
    pad_side = 1.8 * MM  # across it
    max_len = 58 * MM
    number = Para(number_text, TAB_NUMBER, scale, max_len - 2 * pad_len, prose=False)
    # The tab text wraps at the number's length, so a long text makes the tab a line
    # thicker rather than the strip taller (the page needs its height more than its tabs).
    longest_word = max((advance(w, TAB_TEXT, scale) for w in tab_text.split()), default=0.0)
    text_w = min(max_len - 2 * pad_len, max(longest_word, number.natural_width))
    text = Para(tab_text, TAB_TEXT, scale, text_w, Qt.AlignmentFlag.AlignHCenter)
    number = Para(number_text, TAB_NUMBER, scale, text_w, Qt.AlignmentFlag.AlignHCenter, prose=False)
    length = max(text.natural_width, number.natural_width) + 2 * pad_len
    strip_h = max(40 * MM, length + PRINTABLE_BOTTOM) + 2 * MM
    thickness = text.height + number.height + 2 * pad_side
    count = max(1, min(12, int(width // thickness)))
    tab_w = width / count
    top = PAGE_H - strip_h
    ops: list[Op] = [lambda p: _cut_line(p, left, top, width)]
    for i in range(count):
        x = left + i * tab_w
        if i:
            ops.append(lambda p, x=x: _dashed(p, QLineF(x, top, x, PAGE_H)))
        # Rotated: the tab's "width" for the text is its length on paper.
        block_h = text.height + number.height
        cx = x + (tab_w - block_h) / 2
        rect = QRectF(cx, top + 2 * MM, block_h, strip_h - 2 * MM - PRINTABLE_BOTTOM)
        ops.append(lambda p, r=rect: _rotated(p, r, text, number))
        plan.blocks.append(BlockMetric(f"tab {i + 1} text", _mm_rect(rect), text.pt,
                                       text.fits_width and length - 2 * pad_len <= rect.height() + 0.5))
        plan.blocks.append(BlockMetric(f"tab {i + 1} number", _mm_rect(rect), number.pt,
                                       number.fits_width and thickness <= tab_w + 0.5))
    ops.append(lambda p: _dashed(p, QLineF(left, top, left, PAGE_H)))
    ops.append(lambda p: _dashed(p, QLineF(left + width, top, left + width, PAGE_H)))
    return strip_h, ops


# -- drawing primitives ------------------------------------------------------------------
def _rule(painter: QPainter, x: float, y: float, width: float) -> None:
    painter.fillRect(QRectF(x, y, width, 1.2 * MM), RULE)


def _thin_rule(painter: QPainter, x: float, y: float, width: float) -> None:
    painter.setPen(QPen(QColor("#9ca3af"), 0.25 * MM))
    painter.drawLine(QLineF(x, y, x + width, y))


def _box(painter: QPainter, rect: QRectF, fill: QColor | None, pen: QPen | None) -> None:
    painter.save()
    painter.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
    inset = pen.widthF() / 2 if pen is not None else 0.0
    painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), 2.5 * MM, 2.5 * MM)
    painter.restore()


def _bullet(painter: QPainter, x: float, y: float) -> None:
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ACCENT)
    r = 0.9 * MM
    painter.drawEllipse(QPointF(x + r, y), r, r)
    painter.restore()


def _badge(painter: QPainter, rect: QRectF) -> None:
    painter.save()
    painter.setPen(QPen(QColor("white"), 0.5 * MM))
    painter.setBrush(ACCENT)
    painter.drawEllipse(rect)
    painter.restore()


def _dashed(painter: QPainter, line: QLineF) -> None:
    pen = QPen(CUT, 0.3 * MM)
    pen.setDashPattern([6, 4])  # in pen widths: 1.8 mm dash, 1.2 mm gap
    painter.setPen(pen)
    painter.drawLine(line)


def _cut_line(painter: QPainter, x: float, y: float, width: float) -> None:
    """The dashed line over the tabs, with a pair of scissors at its start."""
    _dashed(painter, QLineF(x + 7 * MM, y, x + width, y))
    painter.save()
    painter.translate(x + 3 * MM, y)
    pen = QPen(CUT, 0.35 * MM)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    r = 0.9 * MM
    painter.drawEllipse(QPointF(-1.6 * MM, -1.3 * MM), r, r)
    painter.drawEllipse(QPointF(-1.6 * MM, 1.3 * MM), r, r)
    painter.drawLine(QLineF(-0.8 * MM, -0.9 * MM, 3.2 * MM, 1.2 * MM))
    painter.drawLine(QLineF(-0.8 * MM, 0.9 * MM, 3.2 * MM, -1.2 * MM))
    painter.restore()


def _rotated(painter: QPainter, rect: QRectF, text: Para, number: Para) -> None:
    """Tab text then the number, reading upwards from the bottom of the tab."""
    painter.save()
    painter.translate(rect.x(), rect.bottom())
    painter.rotate(-90)
    # Now x runs up the tab (0 .. rect.height) and y across it (0 .. rect.width).
    x = (rect.height() - text.width) / 2
    text.draw(painter, x, 0)
    number.draw(painter, x, text.height)
    painter.restore()


def _picture(painter: QPainter, path: Path, rect: QRectF) -> None:
    from kiosk.paper.pictures import draw_picture

    draw_picture(painter, path, rect)


# -- public entry points -----------------------------------------------------------------
# The scale found for a leaflet, so the preview, the PDF and the print search only once.
# The content is kept in the value: its id() cannot be reused while the entry lives.
_scales: dict[tuple[int, str, str], tuple[Content, float]] = {}


def _best_plan(content: Content, language: str, tr: Callable[[str], str]) -> Plan:
    """The largest text that fits: design size if it fits, else the largest scale that does."""
    key = (id(content), language, tr(QR_CAPTION))
    known = _scales.get(key)
    if known is not None:
        return _plan(content, language, known[1], tr)
    plan = _plan(content, language, 1.0, tr)
    if not plan.fits:
        low, high = 0.3, 1.0
        plan = _plan(content, language, low, tr)  # every style at its floor
        if plan.fits:
            for _ in range(6):  # to within 1 % of the size
                mid = (low + high) / 2
                candidate = _plan(content, language, mid, tr)
                if candidate.fits:
                    low, plan = mid, candidate
                else:
                    high = mid
    if len(_scales) > 32:
        _scales.clear()
    _scales[key] = (content, plan.scale)
    return plan


def _metrics(plan: Plan, language: str) -> LeafletMetrics:
    sizes = [b.pt for b in plan.blocks if b.pt > 0]
    return LeafletMetrics(language, plan.scale, min(sizes), plan.fits, tuple(plan.blocks))


def leaflet_metrics(content: Content, language: str, tr: Callable[[str], str] | None = None) -> LeafletMetrics:
    """How the leaflet in `language` comes out, without drawing it."""
    return _metrics(_best_plan(content, language, tr or _tr(language)), language)


def draw_leaflet(target: QPaintDevice | QPainter, content: Content, language: str,
                 tr: Callable[[str], str] | None = None) -> LeafletMetrics:
    """Draws the leaflet in `language` onto a painter or a paint device, fitted to its page.

    A QPdfWriter or QPrinter is set to A4 portrait without margins first. On any other
    device (a QImage for the preview) the page is scaled to fit and centred.
    """
    plan = _best_plan(content, language, tr or _tr(language))
    with a4_painter(target, "leaflet") as painter:
        for op in plan.ops:
            op(painter)
    return _metrics(plan, language)
