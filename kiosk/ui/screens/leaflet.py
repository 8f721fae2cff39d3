"""The leaflet screen: the page the visitor can take away, printed or as a QR code.

The preview is the same layout that is printed, drawn at screen size. "Print" sends one
copy silently through the session and the printing seam (kiosk/core/visit/printer.py); whatever happens, the visitor is told in their
language, and when no paper will come the QR code and the number are shown instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.model import N_, Content, load_translation
from kiosk.core.narration import LEAFLET_EXPLAIN, LEAFLET_HEADING, LIMIT, NOT_READY, PRINTING, QR_HINT
from kiosk.core.site import SiteConfig
from kiosk.core.visit import PrintStatus, Screen, Visit
from kiosk.paper.deferred import later
from kiosk.paper.leaflet import PAGE_H, PAGE_W, draw_leaflet
from kiosk.paper.qr import draw_qr
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.screens.language import BACK
from kiosk.ui.widgets import FitLabel, big_button

log = logging.getLogger(__name__)

# TRANSLATORS: big button on the leaflet screen that prints one copy on the kiosk's printer.
PRINT = N_("Print the leaflet")
# TRANSLATORS: button that shows a large QR code with the phone number, to photograph.
SHOW_QR = N_("Show QR code")
# TRANSLATORS: button on the QR code view that goes back to the picture of the leaflet.
SHOW_LEAFLET = N_("Show the leaflet")
# TRANSLATORS: shown while the kiosk checks the printer and prepares the page (a second or two).
PREPARING = N_("Preparing your leaflet…")

# The words read aloud too are defined once, with the narration.
HEADING, EXPLAIN = LEAFLET_HEADING, LEAFLET_EXPLAIN

FAULT_MESSAGES = {PrintStatus.LIMIT_REACHED: LIMIT}


def status_message(status: PrintStatus | None) -> str:
    """The untranslated visitor message for a print status ("" for none)."""
    if status is None or status is PrintStatus.CANCELLED:
        return ""
    if status is PrintStatus.CHECKING:
        return PREPARING
    if status in (PrintStatus.PRINTING, PrintStatus.DONE, PrintStatus.SENT):
        return PRINTING
    return FAULT_MESSAGES.get(status, NOT_READY)


PreviewKey = tuple[int, str, int, int]  # content, language, width, height in device pixels


def _draw_page(content: Content, language: str, width: int, height: int, ratio: float,
               tr: Callable[[str], str]) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    draw_leaflet(image, content, language, tr)
    image.setDevicePixelRatio(ratio)
    return image


def _draw_preview(key: PreviewKey, content: Content, language: str, ratio: float,
                  tr: Callable[[str], str]) -> QImage | None:
    """The preview, drawn just after the screen is shown (see kiosk/paper/deferred.py)."""
    try:
        return _draw_page(content, language, key[2], key[3], ratio, tr)
    except Exception:  # noqa: BLE001 - a preview is not worth a crash; logged with detail
        log.exception("the leaflet preview (%s) could not be drawn", language)
        return None


class LeafletPreview(QWidget):
    """The A4 page, drawn by the leaflet layout at the size of the widget.

    The page is drawn just after the screen is shown, so a tap on the menu shows the screen at once and
    the page appears a moment later; `render_now()` draws it in place (for proof sheets).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(1, 1)
        self._content: Content | None = None
        self._language = ""
        self._image: QImage | None = None
        self._image_key: PreviewKey | None = None
        self._pending: PreviewKey | None = None

    def set_leaflet(self, content: Content, language: str) -> None:
        if (content, language) != (self._content, self._language):
            self._content, self._language = content, language
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 594)

    def page_rect(self) -> QRectF:
        area = QRectF(self.rect()).adjusted(6, 6, -10, -10)  # room for the shadow
        scale = min(area.width() / PAGE_W, area.height() / PAGE_H)
        w, h = PAGE_W * scale, PAGE_H * scale
        return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)

    def _wanted(self) -> PreviewKey | None:
        if self._content is None or self._content.leaflet is None:
            return None
        page = self.page_rect()
        ratio = self.devicePixelRatioF()
        return id(self._content), self._language, max(1, round(page.width() * ratio)), max(1, round(page.height() * ratio))

    @property
    def ready(self) -> bool:
        """The page shown is the one wanted (language and size)."""
        return self._wanted() is not None and self._wanted() == self._image_key

    def render_now(self) -> None:
        key = self._wanted()
        if key is None or key == self._image_key or self._content is None:
            return
        self._image = _draw_page(self._content, self._language, key[2], key[3], self.devicePixelRatioF(),
                                 load_translation(self._language).gettext)
        self._image_key = key
        self.update()

    def _on_drawn(self, key: PreviewKey, image: QImage | None) -> None:
        if image is None:  # it could not be drawn (logged): the sheet stays blank
            return
        if key == self._pending:
            self._pending = None
        self._image, self._image_key = image, key
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        page = self.page_rect()
        key = self._wanted()
        if key is not None and key != self._image_key and key != self._pending and self._content is not None:
            self._pending = key
            content, language, ratio = self._content, self._language, self.devicePixelRatioF()
            tr = load_translation(language).gettext
            later(self, lambda: _draw_preview(key, content, language, ratio, tr),
                  lambda preview, image: preview._on_drawn(key, image),
                  first=True)  # before the PDFs drawn ahead of time
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(page.translated(4, 5), QColor(0, 0, 0, 40))  # a sheet of paper lifts off the screen
        painter.fillRect(page, QColor("white"))
        same_page = key is not None and self._image_key is not None and self._image_key[:2] == key[:2]
        if self._image is not None and same_page:  # while resizing, the old drawing scaled
            painter.drawImage(page, self._image)
        painter.setPen(QColor("#cbd5e1"))
        painter.drawRect(page)
        painter.end()


class QrCode(QWidget):
    """A large QR code that dials `data` when photographed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)

    def set_data(self, data: str) -> None:
        if data != self.data:
            self.data = data
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, 400)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self.data:
            return
        side = min(self.width(), self.height())
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        draw_qr(painter, self.data, rect)
        painter.end()


class QrView(QWidget):
    """For phones: the QR code as large as the screen allows and the number in big digits."""

    def __init__(self, screen: LeafletScreen) -> None:
        super().__init__()
        t = screen.theme
        self.code = QrCode()
        self.number = FitLabel(t.mm(16), t.mm(5), bold=True)
        self.number.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.international = FitLabel(t.mm(9), t.mm(4), bold=True)
        self.international.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.purpose = FitLabel(t.mm(5.5), t.mm(4))
        self.purpose.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        numbers = QVBoxLayout()
        numbers.setSpacing(t.mm(1))
        numbers.addWidget(self.number, 3)
        numbers.addWidget(self.international, 2)
        numbers.addWidget(self.purpose, 3)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(t.mm(3))
        self.box.addWidget(self.code, 5)
        self.box.addLayout(numbers, 3)

    def show_contact(self, content: Content, language: str) -> None:
        contact = content.primary_contact
        self.code.set_data(contact.tel_uri)
        # No-break spaces: a phone number split over two lines gets dialled wrong.
        self.number.setText(contact.display.replace(" ", "\u00a0"))
        self.international.setText((contact.international or "").replace(" ", "\u00a0"))
        self.international.setVisible(bool(contact.international))
        self.purpose.setText(f"{contact.name.get(language)}: {contact.purpose.get(language)}")


class LeafletScreen(ScreenBase):
    """Renders the visit's leaflet state (print status, QR view); taps become session calls."""

    def __init__(self, *args: object, config: SiteConfig | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        t = self.theme
        self.config = config or self.session.config

        self.preview = LeafletPreview()
        self.qr = QrView(self)
        self.visual = QStackedWidget()
        self.visual.addWidget(self.preview)
        self.visual.addWidget(self.qr)

        self.heading = FitLabel(t.mm(8), t.mm(5), bold=True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.message = FitLabel(t.mm(6), t.mm(4.2))
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setObjectName("LeafletMessage")
        self.print_button = big_button()
        t.set_font(self.print_button, 6, bold=True)
        self.print_button.setStyleSheet(f"min-height: {t.mm(20)}px;")  # the style sheet's 16 mm would win
        self.print_button.clicked.connect(self.session.print_leaflet)
        self.qr_button = big_button(role="secondary")
        t.set_font(self.qr_button, 5.5, bold=True)
        self.qr_button.setStyleSheet(f"min-height: {t.mm(17)}px;")
        self.qr_button.clicked.connect(lambda: self.session.show_qr(not self.session.state.qr))
        self.back = big_button(role="secondary")
        t.set_font(self.back, 5)
        self.back.clicked.connect(self.session.back)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back)
        bottom.addStretch(1)

        side = QVBoxLayout()
        side.setSpacing(t.mm(4))
        side.addWidget(self.heading, 2)
        side.addWidget(self.message, 4)
        side.addWidget(self.print_button)
        side.addWidget(self.qr_button)
        side.addStretch(0)
        side.addLayout(bottom)
        self.main = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.main.setContentsMargins(t.mm(8), t.mm(4), t.mm(8), t.mm(4))
        self.main.setSpacing(t.mm(8))
        self.main.addWidget(self.visual, 5)
        self.main.addLayout(side, 4)

    # -- what is shown -------------------------------------------------------------------
    @property
    def showing_qr(self) -> bool:
        return self.visual.currentWidget() is self.qr

    @property
    def status(self) -> PrintStatus | None:
        return self.session.state.print_status

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        portrait = event.size().height() > event.size().width()
        self.main.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def render(self, state: Visit) -> None:
        self.preview.set_leaflet(self.content, state.language)
        self.qr.show_contact(self.content, state.language)
        self.visual.setCurrentWidget(self.qr if state.qr else self.preview)
        self.print_button.setVisible(self.config.settings.prints_per_visit > 0)
        self.print_button.setEnabled(not state.printing)
        self.retranslate()

    def retranslate(self) -> None:
        state = self.session.state
        self.heading.setText(self.t(HEADING))
        message = status_message(state.print_status) or (QR_HINT if state.qr else EXPLAIN)
        self.message.setText(self.t(message))
        self.print_button.setText(self.t(PRINT))
        self.qr_button.setText(self.t(SHOW_LEAFLET) if state.qr else self.t(SHOW_QR))
        self.back.setText("← " + self.t(BACK))
        self._style_message(state.print_status)

    def _style_message(self, status: PrintStatus | None) -> None:
        """A fault reads as a notice (amber), a print under way as good news (green)."""
        tone = "" if status is None or status is PrintStatus.CANCELLED else ("fault" if status.is_fault else "ok")
        if (tone, self.theme.large) == getattr(self, "_tone", None):
            return
        self._tone = (tone, self.theme.large)
        t = self.theme
        colours = {"fault": t.palette.fault, "ok": t.palette.ok}
        if tone:
            background, edge = colours[tone]
            # High contrast: white with a dark red or green outline (the pale fills are not enough).
            # Padding in the style sheet, not contents margins: those fell outside the border, and
            # the text ran to its very end.
            outline = f" border: {t.mm(0.5)}px solid {edge};" if t.large else ""
            self.message.setStyleSheet(
                f"QLabel#LeafletMessage {{ background: {background};{outline} border-left: {t.mm(1.5)}px solid {edge};"
                f" border-radius: {t.mm(1.5)}px; padding: {t.mm(3)}px {t.mm(3)}px {t.mm(3)}px {t.mm(4)}px; }}")
        else:
            self.message.setStyleSheet("")
        self.message.ensurePolished()
        self.message.refit()  # the padding changed the box, not the widget's size

    # -- proof sheets --------------------------------------------------------------------
    def proof_states(self, language: str) -> list[tuple[str, Callable[[], None]]]:
        def at(status: PrintStatus | None, qr: bool = False) -> Callable[[], None]:
            def go() -> None:
                fault = status is not None and status.is_fault
                self.session.jump(Visit(Screen.LEAFLET, language, started=True, print_status=status,
                                        qr=qr or fault))
                if not (qr or fault):
                    self.layout().activate()
                    self.preview.render_now()  # the proof sheet shows the page, not a blank sheet

            return go

        return [
            ("Leaflet", at(None)),
            ("Leaflet: QR code", at(None, qr=True)),
            ("Leaflet: preparing", at(PrintStatus.CHECKING)),
            ("Leaflet: printing", at(PrintStatus.PRINTING)),
            ("Leaflet: printer not ready", at(PrintStatus.PRINTER_STOPPED)),
            ("Leaflet: limit reached", at(PrintStatus.LIMIT_REACHED)),
        ]
