"""The staff screen's Updates tab: a content update from a USB stick (or the inbox), previewed
before it is applied; apply, cancel, go back one version; what was applied and when.

Self-contained: it takes the Qt-free `Updates` service, a function returning the content on the
screen now, a translate function and the theme. Copying, verifying and unpacking run on a worker
thread; the worker only calls the core and hands the result back through a queued signal, so no
UI call ever happens off the GUI thread. When a pack is applied or rolled back the tab emits
`content_changed(new_content)`; the kiosk answers with `session.replace_content(new_content)`
(the screens follow the session), so the next visitor sees all of the new pack and no visitor
ever sees half of one.

`InboxWatcher` looks at the Syncthing inbox now and then (and writes the outbox's daily
statistics files): with `packs_auto_apply` it installs and emits `content_changed`; otherwise it
hands the staged pack to the tab, which offers it to staff.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.model import N_, NP_, Content, render
from kiosk.core.packs import (
    W_ROLLED_BACK_BEFORE,
    Inbox,
    InboxResult,
    NothingFound,
    PackError,
    Prepared,
    Updates,
)
from kiosk.ui.theme import ACCENT, MUTED, WRONG, Theme
from kiosk.ui.widgets import big_button

log = logging.getLogger(__name__)

# TRANSLATORS: staff Updates tab: the title of the tab.
TAB_UPDATES = N_("Updates")
# TRANSLATORS: staff Updates tab. {version} is an update number, {content} the content's own version.
U_INSTALLED = N_("Installed: update {version} (content version {content}).")
U_BUNDLED = N_("No update is installed: the kiosk shows the content it came with.")
U_LOOK = N_("Look for updates")
U_LOOKING = N_("Looking on the USB stick and checking the update. Please wait…")
# TRANSLATORS: {percent} is a number from 0 to 100.
U_COPYING = N_("Copying and checking the update: {percent}%")
U_NOTHING = N_("No newer update was found. Put in the USB stick with the update from the NGO, wait a few seconds, "
               "and tap “Look for updates” again.")
# TRANSLATORS: {signer} is a key id like 4E83F85A00F4BEA0; {comment} the NGO's note on the update.
U_READY = N_("Update {version} is ready. Signed by the NGO's key {signer}: {comment}")
U_CHANGES = N_("What changes:")
U_NUMBER_CHANGED = N_("Phone number of {name}: was {old}, now {new}")
U_NUMBER_ADDED = N_("New phone number: {name}, {new}")
U_NUMBER_REMOVED = N_("Phone number removed: {name}, {old}")
U_CONTACT_CHANGED = N_("Details of {name} changed (name, purpose or checked date)")
U_SLIDES_ADDED = NP_("{count} new page: {titles}", "{count} new pages: {titles}")
U_SLIDES_REMOVED = NP_("{count} page removed: {titles}", "{count} pages removed: {titles}")
U_SLIDES_CHANGED = NP_("{count} page changed: {titles}", "{count} pages changed: {titles}")
U_QUIZ = N_("The quiz changes: {added} new, {removed} removed, {changed} changed questions.")
U_LEAFLET = N_("The printed leaflet changes.")
U_NO_CHANGES = N_("Nothing a visitor sees changes.")
U_APPLY = N_("Apply the update")
U_CANCEL = N_("Cancel")
U_APPLIED = N_("Update {version} is applied. The kiosk shows it from the next visitor on.")
U_CANCELLED = N_("Cancelled. Nothing was changed.")
U_ROLLBACK = N_("Go back to the previous version")
U_ROLLED_BACK = N_("The kiosk went back to update {version}.")
# TRANSLATORS: added after every refusal.
U_KEPT = N_("The kiosk keeps showing the content it had.")
U_HISTORY = N_("Applied on this kiosk:")
# TRANSLATORS: a line of the history. {when} is a date and time, {source} where it came from (USB, inbox).
U_HISTORY_INSTALL = N_("{when}: update {version} installed (from {source})")
U_HISTORY_ROLLBACK = N_("{when}: went back to update {version}")
# TRANSLATORS: where an update came from, in a line of the history: the Syncthing inbox folder.
U_FROM_INBOX = N_("the inbox folder")
SOURCE_NAMES = {"inbox": U_FROM_INBOX}  # "USB" is the same word in every language
U_STICK = N_("A USB stick was found. Looking for an update on it…")
U_FROM_INBOX = N_("An update arrived over the network.")
U_FAILED = N_("Something went wrong while checking the update: {error}")
# TRANSLATORS: staff Updates tab: the last update the kiosk refused, so staff can tell the NGO why.
# {version} is an update number, {when} a date and hour like 2026-12-07 14:00, {reason} the refusal.
U_LAST_REFUSAL = N_("Last update refused: number {version}, {when}. {reason}")
# TRANSLATORS: as above, when the update's number could not be read (a damaged file).
U_LAST_REFUSAL_UNKNOWN = N_("Last update refused: {when}. {reason}")


def _fill(template: str, **params: object) -> str:
    """A translated template with its parameters: names and numbers from a pack are outside text,
    escaped by render like every message (issue 22)."""
    return render(template, params, lambda m: m)


class Operation(QObject):
    """Runs `work` on a worker thread. `succeeded(operation, result)`, `failed(operation, exception)`
    and `progress(done, total)` are emitted from the worker and, connected to methods of an object
    of the GUI thread, arrive there queued. The worker never touches a widget."""

    succeeded = Signal(object, object)
    failed = Signal(object, object)
    progress = Signal(int, int)

    def __init__(self, work: Callable[[Operation], Any], then: Callable[[Any], None] | None = None) -> None:
        # No Qt parent, no deleteLater: Python owns it, and the caller drops it once the result is in
        # (a queued result still holds a reference to it, so it cannot go while one is on its way).
        super().__init__()
        self._work = work
        self.then = then
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="kiosk-update", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            result = self._work(self)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.failed.emit(self, exc)
            return
        self.succeeded.emit(self, result)

    def finish(self) -> None:
        """On the GUI thread, once a result arrived: the worker has only its return left to do."""
        if self.thread is not None:
            self.thread.join(5)


class UpdatesTab(QWidget):
    content_changed = Signal(object)  # the new Content: the kiosk calls session.replace_content(content)
    busy_changed = Signal(bool)

    def __init__(self, updates: Updates, current_content: Callable[[], Content], translate: Callable[[str], str],
                 theme: Theme, ngettext: Callable[[str, str, int], str] | None = None,
                 language: Callable[[], str] = lambda: "en", parent: QWidget | None = None,
                 watch_sticks_ms: int = 2000) -> None:
        super().__init__(parent)
        self.updates = updates
        self.current_content = current_content
        self.t = translate
        self.nt = ngettext or (lambda s, p, n: translate(s) if n == 1 else translate(p))
        self.language = language
        self.theme = theme
        self.prepared: Prepared | None = None
        self.operation: Operation | None = None
        # what the message line says, kept to translate it again: (N_ text or a refusal, params, error)
        self._message: tuple[str | PackError, dict[str, object], bool] = ("", {}, False)
        self._sticks: set[Path] = set()
        self.watcher: InboxWatcher | None = None  # set by attach_updates: follows the settings too

        self.installed = self._label(4.5, bold=True)
        self.status = self._label(4.3)
        self.preview = self._label(4.3)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.history_title = self._label(4.0, bold=True)
        self.history = self._label(3.8, color=MUTED)
        self.refusal = self._label(3.8, color=WRONG)
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.look = big_button()
        self.apply_button = big_button()
        self.cancel_button = big_button(role="secondary")
        self.rollback_button = big_button(role="secondary")
        for button in (self.look, self.apply_button, self.cancel_button, self.rollback_button):
            button.setFont(theme.font(4.5, bold=True))
        self.look.clicked.connect(self.look_for_updates)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.cancel)
        self.rollback_button.clicked.connect(self.roll_back)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.mm(3))
        layout.addWidget(self.installed)
        layout.addWidget(self.look, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addWidget(self.preview)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history)
        layout.addWidget(self.refusal)
        layout.addWidget(self.rollback_button, 0, Qt.AlignmentFlag.AlignLeft)

        # A stick appearing starts a look by itself (a cheap check of the mount points, every 2 s).
        self.stick_timer = QTimer(self)
        self.stick_timer.setInterval(watch_sticks_ms)
        self.stick_timer.timeout.connect(self._on_stick_timer)
        self._sticks = set(self.updates.folders())
        if watch_sticks_ms > 0:
            self.stick_timer.start()
        self.retranslate()

    def _label(self, size: float, bold: bool = False, color: str = "") -> QLabel:
        label = QLabel()
        label.setFont(self.theme.font(size, bold=bold))
        label.setWordWrap(True)
        if color:
            label.setStyleSheet(f"color: {color};")
        return label

    # -- showing -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        t = self.t
        self.look.setText(t(U_LOOK))
        self.apply_button.setText(t(U_APPLY))
        self.cancel_button.setText(t(U_CANCEL))
        self.rollback_button.setText(t(U_ROLLBACK))
        self.history_title.setText(t(U_HISTORY))
        version = self.updates.installed_version()
        if version:
            self.installed.setText(_fill(t(U_INSTALLED), version=version, content=self.current_content().version))
        else:
            self.installed.setText(t(U_BUNDLED))
        self._show_message()
        self._show_preview()
        self._show_history()
        self._show_last_refusal()
        busy = self.operation is not None
        self.look.setEnabled(not busy and self.prepared is None)
        self.apply_button.setVisible(self.prepared is not None)
        self.cancel_button.setVisible(self.prepared is not None)
        self.apply_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self.rollback_button.setVisible(self.updates.has_previous())
        self.rollback_button.setEnabled(not busy and self.prepared is None)

    def _say(self, message: str | PackError, *, failed: bool = False, **params: object) -> None:
        self._message = (message, params, failed)
        self._show_message()

    def _show_message(self) -> None:
        message, params, error = self._message
        if isinstance(message, PackError):
            text = message.translated(self.t) + " " + self.t(U_KEPT)
        elif message:
            text = _fill(self.t(message), **params)
        else:
            text = ""
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {WRONG if error else ACCENT};")

    def _show_preview(self) -> None:
        prepared = self.prepared
        if prepared is None:
            self.preview.setText("")
            return
        t, d = self.t, prepared.diff
        lines = [render(U_READY, {"version": prepared.version, "signer": prepared.staged.verified.signer,
                                  "comment": prepared.staged.verified.trusted_comment}, t)]
        if prepared.staged.rolled_back_before:
            lines.append(render(W_ROLLED_BACK_BEFORE, {"version": prepared.version}, t))
        lines += ["", t(U_CHANGES)]
        for change in d.numbers:  # first: what a visitor will dial
            if change.old and change.new:
                lines.append("• " + _fill(t(U_NUMBER_CHANGED), name=change.name, old=change.old, new=change.new))
            elif change.new:
                lines.append("• " + _fill(t(U_NUMBER_ADDED), name=change.name, new=change.new))
            else:
                lines.append("• " + _fill(t(U_NUMBER_REMOVED), name=change.name, old=change.old))
        for name in d.other_contact_changes:
            lines.append("• " + _fill(t(U_CONTACT_CHANGED), name=name))
        for pair, titles in ((U_SLIDES_ADDED, d.slides_added), (U_SLIDES_REMOVED, d.slides_removed),
                             (U_SLIDES_CHANGED, d.slides_changed)):
            if titles:
                lines.append("• " + _fill(self.nt(*pair, len(titles)), count=len(titles), titles="; ".join(titles)))
        if d.quiz_changed:
            lines.append("• " + _fill(t(U_QUIZ), added=d.questions_added, removed=d.questions_removed,
                                                 changed=d.questions_changed))
        if d.leaflet_changed:
            lines.append("• " + t(U_LEAFLET))
        if d.empty:
            lines.append("• " + t(U_NO_CHANGES))
        self.preview.setText("\n".join(lines))

    def _show_history(self) -> None:
        lines = []
        for entry in self.updates.history():
            when = str(entry.get("at", ""))[:16].replace("T", " ")
            if entry.get("action") == "rollback":
                lines.append(_fill(self.t(U_HISTORY_ROLLBACK), when=when, version=entry.get("version", "?")))
            else:
                source = str(entry.get("source", "")).split(":")[0] or "?"
                source = self.t(SOURCE_NAMES[source]) if source in SOURCE_NAMES else source
                lines.append(_fill(self.t(U_HISTORY_INSTALL), when=when, version=entry.get("version", "?"),
                                                              source=source))
        self.history.setText("\n".join(lines))
        self.history_title.setVisible(bool(lines))

    def _show_last_refusal(self) -> None:
        refusal = self.updates.last_refusal()
        message = refusal.get("message")
        if not isinstance(message, str) or not message:
            self.refusal.setText("")
            self.refusal.setVisible(False)
            return
        params = refusal.get("params")
        reason = render(message, params if isinstance(params, dict) else {}, self.t)
        when = str(refusal.get("at", "?"))[:16].replace("T", " ")
        version = refusal.get("version")
        if isinstance(version, int):
            text = render(U_LAST_REFUSAL, {"version": version, "when": when, "reason": reason}, self.t)
        else:
            text = render(U_LAST_REFUSAL_UNKNOWN, {"when": when, "reason": reason}, self.t)
        self.refusal.setText(text)
        self.refusal.setVisible(True)

    # -- the operations ---------------------------------------------------------------------
    def _run(self, work: Callable[[Operation], Any], done: Callable[[Any], None]) -> None:
        operation = Operation(work, done)
        # bound methods of this widget: Qt queues the calls to the GUI thread
        operation.succeeded.connect(self._on_operation_succeeded)
        operation.failed.connect(self._on_operation_failed)
        operation.progress.connect(self._on_progress)
        self.operation = operation
        self.busy_changed.emit(True)
        self.retranslate()
        operation.start()

    def _on_operation_succeeded(self, operation: Operation, result: Any) -> None:
        self._finished(operation, operation.then or (lambda _: None), result)

    def _on_operation_failed(self, operation: Operation, exc: BaseException) -> None:
        self._finished(operation, self._on_failed, exc)

    def _finished(self, operation: Operation, then: Callable[[Any], None], value: Any) -> None:
        operation.finish()
        if self.operation is operation:
            self.operation = None
            self.busy_changed.emit(False)
        then(value)
        self.retranslate()

    def look_for_updates(self) -> None:
        if self.operation is not None or self.prepared is not None:
            return
        current, language = self.current_content(), self.language()
        self._say(U_LOOKING)

        def work(op: Operation) -> Prepared:
            def progress(step: str, done: int, total: int) -> None:
                op.progress.emit(done * 100 // max(total, 1), 100)  # a signal: queued to the GUI thread

            return self.updates.look_and_prepare(current, language, progress)

        self._run(work, self._on_prepared)

    def offer(self, prepared: Prepared) -> None:
        """A pack staged elsewhere (the inbox) is shown for staff to apply or cancel."""
        if self.prepared is not None:
            self.prepared.staged.discard()
        self.prepared = prepared
        self._say(U_FROM_INBOX)
        self.retranslate()

    def use_settings(self, settings: Any) -> None:
        """Settings changed while the kiosk runs (SiteConfig): the trusted keys and the inbox follow."""
        from kiosk.core.packs import trusted_keys

        self.updates.keys = trusted_keys([settings.pack_key_current, settings.pack_key_next])
        self.updates.inbox = Path(settings.inbox_dir) if settings.inbox_dir else None
        if self.watcher is not None:
            self.watcher.use_settings(settings, self.updates.data_dir, self.updates.keys)
        self.retranslate()

    def show_refusal(self, refusal: PackError) -> None:
        """A pack refused elsewhere (the inbox): staff read why."""
        self._say(refusal, failed=True)

    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self._say(U_COPYING, percent=min(100, done * 100 // total))

    def _on_prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self._say("")
        log.info("staff: pack %s prepared from %s", prepared.version, prepared.staged.source)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NothingFound):
            self._say(U_NOTHING)
        elif isinstance(exc, PackError):
            log.error("staff: update refused: %s", exc)
            self._say(exc, failed=True)
        else:
            log.error("staff: the update failed unexpectedly: %r", exc)
            self._say(U_FAILED, failed=True, error=str(exc))

    def apply(self) -> None:
        prepared = self.prepared
        if prepared is None or self.operation is not None:
            return

        def done(content: Content) -> None:
            self.prepared = None
            log.info("staff applied pack %s", prepared.version)
            self._say(U_APPLIED, version=prepared.version)
            self.content_changed.emit(content)

        # the switch is one rename: quick, but it writes to disk, so it too runs off the GUI thread
        self._run(lambda op: self.updates.apply(prepared), done)

    def cancel(self) -> None:
        if self.prepared is None or self.operation is not None:
            return
        self.updates.cancel(self.prepared)
        self.prepared = None
        self._say(U_CANCELLED)
        self.retranslate()

    def roll_back(self) -> None:
        if self.operation is not None or self.prepared is not None:
            return

        def done(content: Content) -> None:
            version = self.updates.installed_version()
            log.info("staff went back to pack %s", version)
            self._say(U_ROLLED_BACK, version=version)
            self.content_changed.emit(content)

        self._run(lambda op: self.updates.roll_back(), done)

    def _on_stick_timer(self) -> None:
        now = set(self.updates.folders())
        new = now - self._sticks
        self._sticks = now
        if new and self.operation is None and self.prepared is None:
            self._say(U_STICK)
            self.look_for_updates()

    def wait_idle(self, timeout_s: float = 60) -> None:  # for tests and for closing
        if self.operation is not None and self.operation.thread is not None:
            self.operation.thread.join(timeout_s)


class InboxWatcher(QObject):
    """Looks at the inbox every `every_ms` on a worker thread; calls `outbox` (which writes the
    daily statistics files) at the first look and then at most once an hour."""

    installed = Signal(object)  # Content, after an automatic install
    offered = Signal(object)  # Prepared, for the Updates tab (settings: not automatic)
    refused = Signal(object)  # PackError

    def __init__(self, inbox: Inbox | None, current_content: Callable[[], Content], language: Callable[[], str],
                 outbox: Callable[[], list[Path]] | None = None, every_ms: int = 30_000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.inbox = inbox
        self.current_content = current_content
        self.language = language
        self.outbox = outbox
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.look)
        self.operation: Operation | None = None
        self._outbox_due = 0.0  # time.monotonic() of the next outbox call

    def start(self) -> None:
        self.timer.start()
        self.look()

    def use_settings(self, settings: Any, data_dir: Path, keys: list[Any]) -> None:
        """Settings changed while the kiosk runs: the inbox, its keys and auto-apply follow at once
        (the outbox folder and the kiosk id too)."""
        from kiosk.core.stats import write_outbox

        if settings.inbox_dir:
            folder = Path(settings.inbox_dir)
            if self.inbox is None or self.inbox.folder != folder:
                self.inbox = Inbox(folder, data_dir, keys, settings.packs_auto_apply)
            self.inbox.keys = list(keys)
            self.inbox.auto_apply = settings.packs_auto_apply
        else:
            self.inbox = None
        if settings.outbox_dir:
            outbox, kiosk_id = Path(settings.outbox_dir), settings.kiosk_id
            self.outbox = lambda: write_outbox(data_dir, outbox, kiosk_id)
            self._outbox_due = 0.0
        else:
            self.outbox = None

    def look(self) -> None:
        if self.operation is not None:
            return
        current, language = self.current_content(), self.language()

        write_outbox = self.outbox is not None and time.monotonic() >= self._outbox_due
        if write_outbox:
            self._outbox_due = time.monotonic() + 3600

        def work(op: Operation) -> tuple[Any, Prepared | None]:
            if write_outbox and self.outbox is not None:
                try:
                    self.outbox()
                except OSError as exc:
                    log.warning("outbox: %s", exc)
            if self.inbox is None:
                return InboxResult(), None
            result = self.inbox.check()
            staged = result.offered
            return result, (Updates(self.inbox.data_dir, self.inbox.keys).prepare_staged(staged, current, language)
                            if staged is not None else None)

        operation = Operation(work, None)
        operation.succeeded.connect(self._on_done)
        operation.failed.connect(self._on_failed)
        self.operation = operation
        operation.start()

    def _on_done(self, operation: Operation, value: tuple[Any, Prepared | None]) -> None:
        operation.finish()
        self.operation = None
        result, prepared = value
        if result.installed is not None:
            self.installed.emit(result.installed.content)
        elif prepared is not None:
            self.offered.emit(prepared)
        elif result.refused is not None:
            self.refused.emit(result.refused)

    def _on_failed(self, operation: Operation, exc: BaseException) -> None:
        operation.finish()
        self.operation = None
        log.error("inbox: %r", exc)

    def wait_idle(self, timeout_s: float = 60) -> None:
        if self.operation is not None and self.operation.thread is not None:
            self.operation.thread.join(timeout_s)


def attach_updates(kiosk: Any, translate: Callable[[str], str] | None = None,
                   ngettext: Callable[[str, str, int], str] | None = None,
                   language: Callable[[], str] | None = None,
                   inbox_every_ms: int = 30_000) -> tuple[UpdatesTab, InboxWatcher]:
    """The Updates tab and the inbox/outbox watcher for a running kiosk (anything with data_dir,
    config, choice, i18n, session and window.theme: `kiosk.app.Kiosk`, or staff mode itself),
    connected so that an applied pack is on the screen for the next visitor. The caller puts the
    tab into the staff screen and calls `watcher.start()`. Both follow later changes of the
    settings (keys, auto-apply, inbox and outbox folders) through `kiosk.config`."""
    settings = kiosk.config.settings
    i18n = kiosk.i18n
    language = language or (lambda: str(kiosk.session.default_language))
    translate = translate or (lambda message: str(i18n.gettext(message, language())))
    ngettext = ngettext or (lambda s, p, n: str(i18n.ngettext(s, p, n, language())))
    updates = Updates.from_settings(kiosk.data_dir, settings)
    tab = UpdatesTab(updates, lambda: kiosk.session.content, translate, kiosk.window.theme, ngettext=ngettext,
                     language=language)

    def show(content: Content) -> None:  # on the GUI thread: the signals are emitted there
        kiosk.session.replace_content(content)  # the visit starts over; the screens follow the session
        kiosk.choice.content = content
        kiosk.choice.source = content.root
        kiosk.choice.fallback_reason = ""
        tab.retranslate()

    tab.content_changed.connect(show)
    # Always made (a look at no inbox costs nothing), so settings changed later can switch it on.
    watcher = InboxWatcher(None, lambda: kiosk.session.content, language, every_ms=inbox_every_ms, parent=tab)
    watcher.use_settings(settings, kiosk.data_dir, updates.keys)
    watcher.installed.connect(show)
    watcher.offered.connect(tab.offer)
    watcher.refused.connect(tab.show_refusal)
    tab.watcher = watcher
    kiosk.config.watch(("pack_key_current", "pack_key_next", "packs_auto_apply", "inbox_dir", "outbox_dir",
                        "kiosk_id"), tab.use_settings)
    return tab, watcher


class UpdatesPage(QWidget):
    """The Updates tab as a page of the staff screen (kiosk/ui/staff/mode.py)."""

    title = TAB_UPDATES

    def __init__(self, tab: UpdatesTab) -> None:
        super().__init__()
        self.tab = tab
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tab)

    def refresh(self) -> None:
        self.tab.retranslate()
