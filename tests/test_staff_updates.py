"""The staff Updates tab, driven by taps on the real widget: a stick, the preview, apply, cancel,
go back, refusals in the staff member's language; and the running kiosk switching content."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.packs.inbox import Inbox
from kiosk.core.packs.library import choose_content
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.packs.packs import install, read_state
from kiosk.core.packs.updates import Updates
from kiosk.ui.staff.updates import (
    U_APPLIED,
    U_KEPT,
    U_NOTHING,
    InboxWatcher,
    UpdatesTab,
)
from kiosk.ui.theme import Theme
from tests.pack_helpers import content_with, good_pack
from tests.ui_helpers import make_kiosk, tap


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


class RecordingUpdates(Updates):
    """The real service; it notes which thread did the slow work."""

    threads: list[threading.Thread]

    def look_and_prepare(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.threads.append(threading.current_thread())
        return super().look_and_prepare(*args, **kwargs)


@pytest.fixture
def setup(tmp_path: Path, data_dir: Path, key: SecretKey):  # type: ignore[no-untyped-def]
    install(good_pack(tmp_path, key, 1), data_dir, [key.public], source="USB: /media/stick/pack-1.kpack")
    stick = tmp_path / "stick"
    stick.mkdir()
    mounted: list[Path] = []
    updates = RecordingUpdates(data_dir, [key.public], folders=lambda: list(mounted))
    updates.threads = []
    new = content_with(tmp_path, "v2", number="21-00-00", slide_title="Check the job offer first", version="2.0")
    good_pack(stick, key, 2, new)
    return updates, stick, mounted


def make_tab(qtbot, updates: Updates, data_dir: Path, lang: str = "en", watch_ms: int = 0) -> UpdatesTab:  # type: ignore[no-untyped-def]
    i18n = I18n()
    shown = {"content": choose_content(None, data_dir).content}
    tab = UpdatesTab(updates, lambda: shown["content"], lambda m: i18n.gettext(m, lang), Theme(),
                     ngettext=lambda s, p, n: i18n.ngettext(s, p, n, lang), language=lambda: lang,
                     watch_sticks_ms=watch_ms)
    def on_changed(content: object) -> None:
        assert threading.current_thread() is threading.main_thread()  # results arrive on the GUI thread
        shown["content"] = content

    tab.content_changed.connect(on_changed)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_look_preview_apply_and_go_back(qtbot, setup, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    updates, stick, mounted = setup
    mounted.append(stick)
    tab = make_tab(qtbot, updates, data_dir)
    assert "update 1" in tab.installed.text() and not tab.apply_button.isVisible()
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.prepared is not None, timeout=10_000)
    assert updates.threads and updates.threads[0] is not threading.main_thread()  # off the GUI thread
    text = tab.preview.text()
    assert "Update 2 is ready" in text
    assert "Phone number of Sana Sezim: was 21-61-52, now 21-00-00" in text
    assert "1 page changed: Check the job offer first" in text
    assert choose_content(None, data_dir).content.version == "1.0"  # not applied yet: visitors see 1.0
    tab.grab().save(str(tmp_path / "updates-preview.png"))
    with qtbot.waitSignal(tab.content_changed, timeout=10_000) as applied:
        tap(qtbot, tab.apply_button)
    assert applied.args[0].version == "2.0" and applied.args[0].primary_contact.local == "21-00-00"
    assert choose_content(None, data_dir).content.version == "2.0"
    assert tab.status.text() == U_APPLIED.format(version=2)
    assert "update 2 installed (from USB)" in tab.history.text() and "update 1 installed" in tab.history.text()
    assert tab.rollback_button.isVisible()
    with qtbot.waitSignal(tab.content_changed, timeout=10_000) as back:
        tap(qtbot, tab.rollback_button)
    assert back.args[0].version == "1.0"
    assert "went back to update 1" in tab.history.text()
    assert not tab.rollback_button.isVisible()  # one step back only
    # the stick still holds 2, newer than 1: it is offered again
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.prepared is not None, timeout=10_000)
    staged = tab.prepared.staged.folder
    tap(qtbot, tab.cancel_button)
    assert not staged.exists() and tab.prepared is None
    assert read_state(data_dir).current.startswith("v1-")


def test_a_stick_put_in_starts_the_look_by_itself(qtbot, setup, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    updates, stick, mounted = setup
    tab = make_tab(qtbot, updates, data_dir, watch_ms=50)
    qtbot.wait(150)
    assert tab.prepared is None
    mounted.append(stick)  # the stick is mounted
    qtbot.waitUntil(lambda: tab.prepared is not None, timeout=10_000)
    assert tab.apply_button.isVisible()


def test_refusals_are_said_in_the_staff_language(qtbot, setup, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    updates, stick, mounted = setup
    for path in stick.iterdir():
        path.unlink()
    good_pack(stick, SecretKey.generate(), 3)  # signed by someone else
    mounted.append(stick)
    tab = make_tab(qtbot, updates, data_dir, lang="ru")
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.operation is None and bool(tab.status.text())
                    and "Подождите" not in tab.status.text(), timeout=10_000)
    i18n = I18n()
    assert "не доверяет" in tab.status.text() or "доверя" in tab.status.text(), tab.status.text()
    assert i18n.gettext(U_KEPT, "ru") in tab.status.text()
    assert tab.prepared is None and choose_content(None, data_dir).content.version == "1.0"
    tab.grab().save(str(tmp_path / "updates-refused-ru.png"))
    for path in stick.iterdir():
        path.unlink()
    tap(qtbot, tab.look)
    qtbot.waitUntil(lambda: tab.operation is None and tab.status.text() == i18n.gettext(U_NOTHING, "ru"),
                    timeout=10_000)


def test_the_running_kiosk_shows_an_applied_pack_and_an_inbox_pack_is_offered(qtbot, setup, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                               key: SecretKey) -> None:
    updates, stick, mounted = setup
    kiosk = make_kiosk(qtbot, data_dir)
    assert kiosk.session.content.version == "1.0"  # started on the installed pack
    i18n = I18n()
    inbox_updates = Updates(data_dir, [key.public], inbox=stick, folders=lambda: [])
    tab = UpdatesTab(inbox_updates, lambda: kiosk.session.content, lambda m: i18n.gettext(m, "en"), Theme(),
                     watch_sticks_ms=0)
    qtbot.addWidget(tab)
    tab.content_changed.connect(kiosk.session.replace_content)
    watcher = InboxWatcher(Inbox(stick, data_dir, [key.public], auto_apply=False),
                           lambda: kiosk.session.content, lambda: "en", every_ms=60_000)
    watcher.offered.connect(tab.offer)
    with qtbot.waitSignal(watcher.offered, timeout=10_000):
        watcher.start()
    assert tab.prepared is not None and "was 21-61-52" in tab.preview.text()
    assert kiosk.session.content.version == "1.0"
    tab.show()
    with qtbot.waitSignal(tab.content_changed, timeout=10_000):
        tap(qtbot, tab.apply_button)
    assert kiosk.session.content.version == "2.0"
    assert kiosk.session.content.primary_contact.local == "21-00-00"
    watcher.timer.stop()


def test_the_watcher_writes_the_outbox_off_the_gui_thread(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         key: SecretKey) -> None:
    import datetime as dt

    from kiosk.core.stats.fleet import write_outbox
    from kiosk.core.stats.stats import open_store

    store = open_store(data_dir, lambda: dt.datetime(2025, 5, 1, 12))
    store.record("visit", "kk")
    store.close()
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    threads: list[threading.Thread] = []

    def outbox_now() -> list[Path]:
        threads.append(threading.current_thread())
        return write_outbox(data_dir, outbox, "shymkent-1")

    watcher = InboxWatcher(Inbox(inbox, data_dir, [key.public], auto_apply=True), lambda: None,  # type: ignore[arg-type,return-value]
                           lambda: "en", outbox=outbox_now, every_ms=20)
    watcher.start()
    qtbot.waitUntil(lambda: (outbox / "shymkent-1" / "2025-05-01.csv").exists(), timeout=10_000)
    qtbot.wait(200)  # several more looks: the outbox is written once an hour, not at every look
    watcher.timer.stop()
    watcher.wait_idle()
    assert len(threads) == 1 and threads[0] is not threading.main_thread()


def test_attach_updates_to_a_running_kiosk_installs_from_the_inbox(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                   key: SecretKey) -> None:
    from kiosk.ui.staff.updates import attach_updates

    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    settings = (f"pack_key_current: {key.public.to_base64()}\ninbox_dir: {inbox}\noutbox_dir: {outbox}\n"
                "packs_auto_apply: true\nkiosk_id: shymkent-1\n")
    kiosk = make_kiosk(qtbot, data_dir, settings=settings)
    assert kiosk.session.content.version == "1.0"  # the bundled content: nothing installed yet
    tab, watcher = attach_updates(kiosk, inbox_every_ms=100)
    qtbot.addWidget(tab)
    kiosk.session.start()
    kiosk.session.choose_language("ru")  # a visitor is on the screen when the pack arrives
    new = content_with(tmp_path, "v2", number="21-00-00", version="2.0")
    watcher.start()
    good_pack(inbox, key, 2, new)  # Syncthing (or anyone) drops it in
    qtbot.waitUntil(lambda: kiosk.session.content.version == "2.0", timeout=10_000)
    assert kiosk.session.content.primary_contact.local == "21-00-00"
    assert kiosk.choice.source == choose_content(None, data_dir).source
    assert kiosk.session.screen.name == "ATTRACT"  # the visitor started over, on the whole new pack
    assert tab.installed.text() == "Орнатылған: 2 жаңарту (мазмұн нұсқасы 2.0)."  # the default language, kk
    tab.retranslate()
    assert tab.history.text().endswith("2 жаңарту орнатылды (көзі: кіріс қалтасы)")  # not "inbox"
    watcher.timer.stop()
    watcher.wait_idle()


def test_keys_and_the_inbox_follow_settings_changed_while_the_kiosk_runs(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                         key: SecretKey) -> None:
    import dataclasses

    from kiosk.ui.staff.updates import attach_updates

    kiosk = make_kiosk(qtbot, data_dir)  # no keys, no inbox yet
    tab, watcher = attach_updates(kiosk, inbox_every_ms=100)
    qtbot.addWidget(tab)
    watcher.start()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good_pack(inbox, key, 2, content_with(tmp_path, "v2", number="21-00-00", version="2.0"))
    qtbot.wait(300)
    assert kiosk.session.content.version == "1.0"  # nobody told it about the inbox
    kiosk.config.replace(dataclasses.replace(kiosk.config.settings, pack_key_next=key.public.to_base64(),
                                             inbox_dir=str(inbox), packs_auto_apply=True))
    qtbot.waitUntil(lambda: kiosk.session.content.version == "2.0", timeout=10_000)
    assert [k.key_id for k in tab.updates.keys] == [key.public.key_id]
    watcher.timer.stop()
    watcher.wait_idle()
