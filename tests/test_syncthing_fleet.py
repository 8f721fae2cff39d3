"""The fleet over two real Syncthing instances on 127.0.0.1: a pack published by the NGO is installed
on the kiosk, and the kiosk's daily statistics files arrive at the NGO and merge.

The test writes both configurations itself: listening on 127.0.0.1 only, each device knowing the
other's address; global and local discovery, relays, NAT traversal, usage reports and upgrades
off. Bounded in time (DEADLINE_S) and both instances stopped at the end.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

from kiosk.core.packs.inbox import Inbox
from kiosk.core.packs.library import choose_content
from kiosk.core.packs.minisign import SecretKey
from kiosk.core.stats.fleet import merge, write_daily_files
from kiosk.core.stats.stats import open_store
from tests.conftest import need_tool
from tests.pack_helpers import content_with, good_pack
from tests.syncthing_pair import Node

DEADLINE_S = 60


def test_a_pack_goes_out_to_the_kiosk_and_statistics_come_back(tmp_path: Path, data_dir: Path) -> None:
    need_tool("syncthing", "syncthing")
    started = time.monotonic()
    deadline = started + DEADLINE_S
    ngo = Node(tmp_path / "ngo-home", "ngo")
    kiosk = Node(tmp_path / "kiosk-home", "kiosk-shymkent-1")
    publish, received = tmp_path / "ngo" / "packs", tmp_path / "ngo" / "stats-shymkent-1"
    inbox, outbox = tmp_path / "kiosk" / "inbox", tmp_path / "kiosk" / "outbox"
    ngo.write_config(kiosk, [("packs", publish, "sendonly"), ("stats-shymkent-1", received, "receiveonly")])
    kiosk.write_config(ngo, [("packs", inbox, "receiveonly"), ("stats-shymkent-1", outbox, "sendonly")])
    for node in (ngo, kiosk):  # nothing may leave the machine
        xml = (node.home / "config.xml").read_text()
        assert re.findall(r"(?:tcp://)?(\d+\.\d+\.\d+\.\d+):\d+", xml) == ["127.0.0.1"] * 4
        for option in ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled"):
            assert f"<{option}>false</{option}>" in xml

    # the kiosk's side: a few days of use, and a key it trusts
    key = SecretKey.generate()
    clock_now = [dt.datetime(2025, 5, 1, 10)]
    store = open_store(data_dir, lambda: clock_now[0])
    for day in range(3):
        clock_now[0] = dt.datetime(2025, 5, 1 + day, 11)
        for _ in range(5 + day):
            store.record("visit", "kk")
    store.close()
    try:
        ngo.start()
        kiosk.start()
        ngo.wait_ready(deadline)
        kiosk.wait_ready(deadline)
        ready = time.monotonic()

        # NGO -> kiosk: a signed pack dropped into the published folder
        new = content_with(tmp_path, "v2", number="21-00-00", version="2.0")
        (tmp_path / "build").mkdir()
        pack = good_pack(tmp_path / "build", key, 2, new)
        dropped = time.monotonic()
        for path in (pack.with_name(pack.name + ".minisig"), pack):
            (publish / path.name).write_bytes(path.read_bytes())
        ngo.rescan("packs")
        watcher = Inbox(inbox, data_dir, [key.public], auto_apply=True)
        installed_at = None
        while time.monotonic() < deadline:
            result = watcher.check()
            assert result.refused is None, result.refused
            if result.installed is not None:
                installed_at = time.monotonic()
                break
            time.sleep(0.3)
        assert installed_at is not None, "the pack did not arrive in time; see the syncthing logs"
        assert choose_content(None, data_dir).content.primary_contact.local == "21-00-00"

        # kiosk -> NGO: the daily files of the finished days
        with open_store(data_dir, lambda: dt.datetime(2025, 5, 4, 9), readonly=True) as store:
            written = write_daily_files(store, outbox, "shymkent-1")
        assert len(written) == 3
        kiosk.rescan("stats-shymkent-1")
        arrived = None
        while time.monotonic() < deadline:
            rows, problems = merge([received])
            if len({r.day for r in rows}) == 3:
                arrived = time.monotonic()
                break
            time.sleep(0.3)
        assert arrived is not None, "the statistics did not arrive in time"
        assert problems == []
        assert sum(r.number("visits") for r in rows) == 5 + 6 + 7
        assert not list(received.rglob("*.part"))  # half-written files are not sent (.stignore)
        print(f"syncthing: both up in {ready - started:.1f} s; pack dropped -> installed on the kiosk in "
              f"{installed_at - dropped:.1f} s; 3 daily files -> at the NGO in {arrived - installed_at:.1f} s")
    finally:
        kiosk.stop()
        ngo.stop()
