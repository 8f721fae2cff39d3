"""Two real Syncthing instances on 127.0.0.1, configured by the test (no discovery, relays or NAT)."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, home: Path, name: str) -> None:
        self.home = home
        self.name = name
        self.api_key = secrets.token_hex(16)
        self.gui_port = free_port()
        self.sync_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        done = subprocess.run(["syncthing", "generate", f"--home={home}", "--no-default-folder"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(done.stdout + done.stderr)
        self.device_id = subprocess.run(["syncthing", "serve", f"--home={home}", "--device-id"], capture_output=True,
                                        text=True, timeout=60, check=True).stdout.strip()

    def write_config(self, peer: Node | list[Node], folders: list[tuple[str, Path, str]]) -> None:
        """folders: (id, path, type) with type sendonly, receiveonly or sendreceive; with many peers
        (the NGO and its kiosks) a folder is shared with the peer whose name is its id's end, else all."""
        peers = peer if isinstance(peer, list) else [peer]

        def folder(fid: str, path: Path, kind: str) -> str:
            sharing = [p for p in peers if fid.endswith(p.name)] or peers
            return (f'<folder id="{fid}" label="{fid}" path="{path}" type="{kind}" rescanIntervalS="2" '
                    f'fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="true" autoNormalize="true">'
                    f'<device id="{self.device_id}"></device>'
                    + "".join(f'<device id="{p.device_id}"></device>' for p in sharing)
                    + '<minDiskFree unit="%">0</minDiskFree><versioning></versioning>'
                    '<markerName>.stfolder</markerName></folder>')

        def device(node: Node) -> str:
            return (f'<device id="{node.device_id}" name="{node.name}" compression="metadata" introducer="false">'
                    f'<address>tcp://127.0.0.1:{node.sync_port}</address><autoAcceptFolders>false</autoAcceptFolders>'
                    f'</device>')

        # the configuration format of the syncthing installed (its own generated file says which)
        generated = (self.home / "config.xml").read_text(encoding="utf-8")
        version = re.search(r'<configuration version="(\d+)"', generated)
        xml = (f'<configuration version="{version.group(1) if version else 36}">{"".join(folder(*f) for f in folders)}'
               f'{device(self)}{"".join(device(p) for p in peers)}'
               f'<gui enabled="true" tls="false"><address>127.0.0.1:{self.gui_port}</address>'
               f'<apikey>{self.api_key}</apikey></gui>'
               f'<options><listenAddress>tcp://127.0.0.1:{self.sync_port}</listenAddress>'
               f'<globalAnnounceEnabled>false</globalAnnounceEnabled><localAnnounceEnabled>false</localAnnounceEnabled>'
               f'<relaysEnabled>false</relaysEnabled><natEnabled>false</natEnabled><urAccepted>-1</urAccepted>'
               f'<autoUpgradeIntervalH>0</autoUpgradeIntervalH><crashReportingEnabled>false</crashReportingEnabled>'
               f'<startBrowser>false</startBrowser><announceLANAddresses>false</announceLANAddresses>'
               f'<minHomeDiskFree unit="%">0</minHomeDiskFree><setLowPriority>false</setLowPriority>'
               f'</options></configuration>')
        for _fid, path, _kind in folders:
            path.mkdir(parents=True, exist_ok=True)
            (path / ".stfolder").mkdir(exist_ok=True)
        (self.home / "config.xml").write_text(xml, encoding="utf-8")

    def start(self) -> None:
        env = {**os.environ, "STNOUPGRADE": "1", "STNORESTART": "1", "STHOMEDIR": str(self.home)}
        self.process = subprocess.Popen(["syncthing", "serve", f"--home={self.home}", "--no-browser", "--no-restart",
                                         f"--logfile={self.home / 'log.txt'}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def api(self, path: str) -> object:
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return json.loads(response.read() or b"null")

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                self.api("/rest/system/ping")
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"syncthing {self.name} did not start; see {self.home / 'log.txt'}")

    def rescan(self, folder: str) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}/rest/db/scan?folder={folder}",
                                         method="POST", headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - loopback only
            pass

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
