"""The kiosk window: quick exit on top, the current screen, the phone numbers below."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.appliance import visitor_log
from kiosk.core.model import BABEL_LOCALES, N_, I18n
from kiosk.core.site import SiteConfig
from kiosk.core.visit import Screen, Session, Visit
from kiosk.ui.idle import IdleController
from kiosk.ui.input import InputWatcher
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.base import ScreenBase
from kiosk.ui.screens.menu import GET_LEAFLET, TAKE_QUIZ
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ContactBar, FitLabel, apply_text_size, big_button

if TYPE_CHECKING:
    from kiosk.ui.narration import NarrationController

log = logging.getLogger(__name__)

# TRANSLATORS: the button on every screen that at once hides everything and shows neutral
# information, for a visitor who is being watched. Keep it short.
QUICK_EXIT = N_("Quick exit")
# TRANSLATORS: the button beside "Quick exit" that makes every text larger and darker, for this
# visit only; shown after the letters "Aa". Keep it short.
LARGE_TEXT = N_("Large text")
# TRANSLATORS: what a screen reader says for the large text button.
LARGE_TEXT_NAME = N_("Large text and high contrast")


class _Screens(dict):  # type: ignore[type-arg]
    """Screens are built the first time they are needed: the first frame needs only one."""

    def __init__(self, build: Callable[[Screen], ScreenBase]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, screen: Screen) -> ScreenBase:
        widget = self._build(screen)
        self[screen] = widget
        return widget


class KioskWindow(QWidget):
    def __init__(self, session: Session, i18n: I18n, theme: Theme, config: SiteConfig | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setWindowTitle("Safe-migration kiosk")
        self.session, self.i18n, self.theme = session, i18n, theme
        self.config = config = config or session.config
        self.kiosk_mode = False
        self.allow_close = True
        self.setStyleSheet(theme.stylesheet())
        theme.set_font(self, 5)
        self._qt_translator: QTranslator | None = None
        self._qt_translators: dict[str, QTranslator | None] = {}
        self._qt_language = ""

        self.quick_exit = big_button(role="exit")
        theme.set_font(self.quick_exit, 5, bold=True)
        self.quick_exit.setMinimumWidth(theme.mm(40))
        self.quick_exit.clicked.connect(session.quick_exit)
        # Large text and high contrast for this visit (the visit holds it: Visit.large_text).
        self.large_text = big_button(role="secondary")
        self.large_text.setCheckable(True)
        theme.set_font(self.large_text, 5, bold=True)
        self.large_text.clicked.connect(lambda _checked=False: session.toggle_large_text())
        # The organisation's name is long (63 letters in Kazakh): it wraps and shrinks rather than
        # pushing the buttons off a portrait screen.
        self.org = FitLabel(theme.mm(4.5), theme.mm(3), bold=True)
        self.org.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.org.setProperty("role", "muted")
        top = QHBoxLayout()
        top.setContentsMargins(theme.mm(6), theme.mm(3), theme.mm(6), 0)
        top.setSpacing(theme.mm(5))
        top.addWidget(self.org, 1)
        top.addWidget(self.large_text)
        top.addWidget(self.quick_exit)
        self.top = QFrame()
        self.top.setLayout(top)

        self._narration: NarrationController | None = None  # built when first needed (not for the first frame)
        self.stack = QStackedWidget()
        self._factories: dict[Screen, Callable[[], ScreenBase]] = {}
        self.screens: dict[Screen, ScreenBase] = _Screens(self._build_screen)
        self._menu_entries: list[tuple[str, Callable[[], None], Callable[[], bool]]] = []
        args = (session, i18n, theme)

        def leaflet() -> ScreenBase:
            from kiosk.ui.screens.leaflet import LeafletScreen

            return LeafletScreen(*args, config=config)

        def language() -> ScreenBase:
            from kiosk.ui.screens.language import LanguageScreen

            return LanguageScreen(*args)

        def menu() -> ScreenBase:
            from kiosk.ui.screens.menu import MenuScreen

            screen = MenuScreen(*args)
            for entry in self._menu_entries:
                screen.add_item(*entry)
            return screen

        def slides() -> ScreenBase:
            from kiosk.ui.screens.slides import SlidesScreen

            return SlidesScreen(*args, config=config, narration=self.narration)

        def neutral() -> ScreenBase:
            from kiosk.ui.screens.neutral import NeutralScreen

            return NeutralScreen(*args)

        def quiz() -> ScreenBase:
            from kiosk.ui.screens.quiz import QuizScreen

            return QuizScreen(*args, narration=self.narration)

        def before() -> ScreenBase:
            from kiosk.ui.screens.before import BeforeScreen

            return BeforeScreen(*args, narration=self.narration)

        def quiz_result() -> ScreenBase:
            from kiosk.ui.screens.quiz import QuizResultScreen

            return QuizResultScreen(*args, leaflet_available=lambda: self.has_screen(Screen.LEAFLET)
                                    and session.content.leaflet is not None, narration=self.narration)

        self.add_screen(Screen.ATTRACT, AttractScreen(*args, config=config, narration=lambda: self.narration))
        self.add_screen(Screen.LANGUAGE, language)
        self.add_screen(Screen.BEFORE, before)  # evidence of learning, when the settings turn it on
        self.add_screen(Screen.MENU, menu)
        self.add_screen(Screen.SLIDES, slides)
        self.add_screen(Screen.NEUTRAL, neutral)
        self.add_screen(Screen.QUIZ, quiz)
        self.add_screen(Screen.QUIZ_RESULT, quiz_result)
        self.add_menu_item(TAKE_QUIZ, session.start_quiz, available=lambda: session.content.quiz is not None)
        self.add_screen(Screen.LEAFLET, leaflet)
        self.add_menu_item(GET_LEAFLET, session.open_leaflet,
                           available=lambda: session.content.leaflet is not None)

        self.contact_bar = ContactBar(theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The screen decides the window's size, not the longest text: without this, each screen
        # change sent the window manager new size hints (a minimum of 898x620 px, taller than a
        # 1024x600 screen).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.contact_bar)

        self.idle = IdleController(session, self, config, self)
        self.input = InputWatcher(self)  # the application installs it (app.py): it sees every widget
        self.input.add(self.idle.on_input)
        session.changed.connect(self._on_changed)
        self.render(session.state)

    # -- composition ---------------------------------------------------------------------
    def add_screen(self, screen: Screen, widget: ScreenBase | Callable[[], ScreenBase]) -> None:
        """A screen, or a function that builds it when it is first needed."""
        self.screens.pop(screen, None)
        if isinstance(widget, QWidget):
            self.screens[screen] = widget
            self.stack.addWidget(widget)
        else:
            self._factories[screen] = widget

    def _build_screen(self, screen: Screen) -> ScreenBase:
        widget = self._factories.pop(screen)()
        if self.theme.large:
            apply_text_size(widget, self.theme)
        self.stack.addWidget(widget)
        return widget

    def has_screen(self, screen: Screen) -> bool:
        return screen in self.screens or screen in self._factories

    def build_all_screens(self) -> None:
        """Called just after the first frame, so that the first tap finds its screen ready."""
        for screen in list(self._factories):
            _ = self.screens[screen]
        _ = self.overlay

    def add_menu_item(self, label: str, action: Callable[[], None],
                      available: Callable[[], bool] = lambda: True) -> None:
        """Capabilities (quiz, leaflet) add their entry to the menu here."""
        self._menu_entries.append((label, action, available))
        if Screen.MENU in self.screens:
            self.menu.add_item(label, action, available)

    @property
    def narration(self) -> NarrationController:
        """What the screen reads aloud, and when the voice stops (kiosk/ui/narration.py)."""
        if self._narration is None:
            from kiosk.ui.narration import NarrationController

            self._narration = NarrationController(self.session, self.i18n, self.config, self)
        return self._narration

    @property
    def menu(self) -> ScreenBase:
        return self.screens[Screen.MENU]

    @property
    def overlay(self) -> QWidget:
        return self.idle.overlay

    # -- rendering -----------------------------------------------------------------------
    def _on_changed(self, old: Visit, new: Visit) -> None:
        if self._narration is not None:
            self._narration.on_changed(old, new)  # first: a voice of the old page stops before the new one renders
        if dataclasses.replace(old, idle_warning=new.idle_warning) != new or new.screen is Screen.MENU:
            self.render(new)  # once per change, the visible screen only (the others render when shown)
        elif new.language != old.language and self.idle.overlay_shown():
            self.overlay.retranslate()
        if new.screen is Screen.ATTRACT and old.screen is not Screen.ATTRACT:
            QTimer.singleShot(0, self._after_visit)

    def _after_visit(self) -> None:
        """The visit is over and the attract loop is on the screen: a good moment to tidy up."""
        import gc

        from kiosk.core.appliance import release_free_memory

        gc.collect()
        visitor_log().debug("visit over; freed memory handed back in %.1f ms", release_free_memory())

    def render(self, state: Visit) -> None:
        if state.language != self._qt_language:
            self._install_qt_translator(state.language)
        large = state.large_text and state.screen not in (Screen.ATTRACT, Screen.NEUTRAL, Screen.STAFF)
        if large != self.theme.large:
            self._use_large_text(large)
        try:
            widget = self.screens[state.screen]
        except KeyError:  # a capability that is not installed: fall back to the menu
            log.error("no screen for %s", state.screen)
            widget = self.screens[Screen.MENU]
        widget.render(state)
        self.stack.setCurrentWidget(widget)
        content = self.session.content
        if state.screen is Screen.STAFF:  # no visitor screen: no contact bar, no quick exit
            self.contact_bar.hide()
            self.top.hide()
            return
        self.top.show()
        neutral = state.screen is Screen.NEUTRAL
        # The neutral screen must look like ordinary public information: only the general
        # emergency numbers, no quick-exit button, no organisation name.
        contacts = content.exit_screen_contacts if neutral else content.contacts
        self.contact_bar.set_contacts(contacts, state.language)
        self.contact_bar.setVisible(bool(contacts))
        self.quick_exit.setVisible(not neutral)
        # Not on the attract loop (no visit yet to hold it) nor on the neutral screen (nothing
        # there may look like the kiosk's own; a quick exit has switched it off anyway).
        self.large_text.setVisible(not neutral and state.screen is not Screen.ATTRACT)
        self.large_text.setChecked(state.large_text)
        self.large_text.setText(("Aa  ✓ " if state.large_text else "Aa  ") + self.i18n.gettext(LARGE_TEXT, state.language))
        self.large_text.setAccessibleName(self.i18n.gettext(LARGE_TEXT_NAME, state.language))
        self.org.setText("" if neutral else content.organisation.name.get(state.language))
        self.quick_exit.setText("✕  " + self.i18n.gettext(QUICK_EXIT, state.language))

    def _use_large_text(self, on: bool) -> None:
        """Every visitor text larger and the high-contrast palette, or back to normal."""
        self.theme.large = on
        self.setStyleSheet(self.theme.stylesheet())
        apply_text_size(self, self.theme)

    def _install_qt_translator(self, language: str) -> None:
        """Qt's own strings (there are few in a kiosk, but some) follow the visitor's language."""
        app = QCoreApplication.instance()
        if app is None:
            return
        self._qt_language = language
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        QLocale.setDefault(QLocale(BABEL_LOCALES.get(language, language).replace("_Latn", "")))
        if language not in self._qt_translators:  # loaded once per language, then reused
            translator = QTranslator(self)
            path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._qt_translators[language] = translator if translator.load(f"qtbase_{language}", path) else None
        translator = self._qt_translators[language]
        if translator is not None:
            app.installTranslator(translator)
            self._qt_translator = translator

    # -- safety --------------------------------------------------------------------------
    def recover(self) -> None:
        """After an unexpected error: the visitor lands on the attract loop, state wiped."""
        try:
            if self.idle.overlay_shown():
                self.overlay.hide()
            self.session.recover()
            self.render(self.session.state)
        except Exception:  # noqa: BLE001 - the last line of defence must not raise
            log.exception("could not return to the attract loop")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.idle.overlay_shown():
            self.overlay.setGeometry(self.rect())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.kiosk_mode:
            event.accept()  # refused: Esc must not leave kiosk mode
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.kiosk_mode and not self.allow_close:
            visitor_log().info("a close request (Alt+F4 or the window manager) was refused in kiosk mode")
            event.ignore()
            return
        if self._narration is not None:
            self._narration.stop()  # no voice outlives the window
        super().closeEvent(event)

    def enter_kiosk_mode(self) -> None:
        self.kiosk_mode = True
        self.allow_close = False
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setCursor(Qt.CursorShape.BlankCursor)
        # Without a window manager (a bare X server, as many kiosk set-ups have) the full-screen
        # request alone leaves the window at its default size: cover the screen ourselves too.
        # On Wayland the compositor sizes a full-screen window, but under cage 0.1.4 (Debian 12)
        # the size the window first commits decides what is shown: with Qt's default size
        # (853x480) the screen kept showing only that part after cage's full-screen configure;
        # with one pixel less than the screen the last row and column stayed black; with exactly
        # the screen's size the whole screen stayed black (the bug that was reported). Starting
        # one pixel larger than the screen, cage's configure then brings the window to the
        # screen's size and all of it is shown (tests/test_cage.py compares the screen).
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            if QGuiApplication.platformName() == "wayland":
                self.resize(screen.geometry().width() + 1, screen.geometry().height() + 1)
            else:
                self.setGeometry(screen.geometry())
        self.showFullScreen()
