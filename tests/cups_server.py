"""A real, private CUPS server for the printing tests: its own cupsd, socket and queues.

Nothing of the machine's own printing is touched: the server has its own configuration,
spool, logs and Unix socket in a temporary folder, and the tests reach it by setting
CUPS_SERVER to that socket, as any CUPS client honours. The print queues use the real
cups-pdf backend (Debian package printer-driver-cups-pdf), whose output folder is set per
queue in /etc/cups/cups-pdf-<queue>.conf: cups-pdf reads its configuration only from
/etc/cups, so that one file per test queue is written there and removed afterwards.

Needs root: cupsd runs the cups-pdf backend as root only when cupsd itself is root, and
/etc/cups must be writable. .ci/run runs the tests as root in a container.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF_DIR = Path("/etc/cups")


APPLIANCE_CUPSD_CONF = Path(__file__).resolve().parent.parent / "deploy" / "cupsd-kiosk.conf"


def missing_requirements() -> list[str]:
    """Why a private CUPS server cannot run here (empty when it can)."""
    missing = []
    for tool, package in (("cupsd", "cups"), ("lpadmin", "cups-client"), ("lp", "cups-client"),
                          ("lpstat", "cups-client"), ("cupsdisable", "cups-client")):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            missing.append(f"{tool} (Debian package {package})")
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        missing.append("the cups-pdf backend (Debian package printer-driver-cups-pdf)")
    if os.geteuid() != 0:
        missing.append("root (cupsd must run the cups-pdf backend as root and /etc/cups must be writable)")
    return missing


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


class CupsServer:
    """One private cupsd. `env` is what a client process needs to talk to it."""

    def __init__(self, root: Path | None = None, appliance: bool = False) -> None:
        # Not under pytest's tmp_path: that is private to root (0700) and CUPS filters run
        # as the user lp, who must reach the server's temporary folder.
        self.root = root or Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        self.root.chmod(0o755)
        self.socket = self.root / "cups.sock"
        self.tag = f"kt{os.getpid()}x{self.root.name[-6:].replace('_', '')}"
        self.process: subprocess.Popen[bytes] | None = None
        self.queues: dict[str, Path] = {}
        self._confs: list[Path] = []
        # appliance=True: also the CUPS settings the Debian package ships (deploy/cupsd-kiosk.conf)
        self.appliance = appliance

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(CUPS_SERVER=str(self.socket), LC_ALL="C", LANG="C")
        env.pop("LPDEST", None)
        env.pop("PRINTER", None)
        return env

    @staticmethod
    def remove_stale_configs() -> None:
        """cups-pdf files left in /etc/cups by a test run that was killed."""
        for conf in CUPS_PDF_CONF_DIR.glob("cups-pdf-kt*x*.conf"):
            pid = conf.name[len("cups-pdf-kt"):].split("x", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                conf.unlink(missing_ok=True)

    def start(self, timeout_s: float = 15.0) -> None:
        self.remove_stale_configs()
        for name in ("conf", "conf/ppd", "spool", "cache", "state", "log", "cups-pdf-spool"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        tmp = self.root / "tmp"
        tmp.mkdir(exist_ok=True)
        tmp.chmod(0o1777)  # filters run as lp and write their temporary files here
        r = self.root
        (r / "conf" / "cups-files.conf").write_text(
            f"ServerRoot {r}/conf\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\n"
            f"TempDir {tmp}\nPrintcap {r}/printcap\nAccessLog {r}/log/access_log\nErrorLog {r}/log/error_log\n"
            f"PageLog {r}/log/page_log\nLogFileGroup root\nSystemGroup root\nFileDevice No\n")
        (r / "conf" / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel debug\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
            "MaxJobs 0\nPreserveJobHistory Yes\nErrorPolicy abort-job\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
            + (APPLIANCE_CUPSD_CONF.read_text() if self.appliance else ""))
        with (r / "log" / "cupsd.out").open("wb") as log:  # cupsd keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [_tool("cupsd"), "-f", "-c", str(r / "conf" / "cupsd.conf"), "-s", str(r / "conf" / "cups-files.conf")],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd exited at once:\n{self.log_tail()}")
            result = self.run("lpstat", "-r", check=False)
            if "scheduler is running" in result.stdout:
                return
            time.sleep(0.05)
        raise RuntimeError(f"cupsd did not answer within {timeout_s} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # in case a test froze it
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def close(self) -> None:
        self.stop()
        for conf in self._confs:
            conf.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def freeze(self) -> None:
        """cupsd stops answering, as a hung scheduler does (SIGSTOP); `thaw` resumes it."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("cupsd.out", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    def run(self, *args: str, check: bool = True, input: bytes | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([_tool(args[0]), *args[1:]], env=self.env, capture_output=True, text=input is None,
                                input=input, timeout=30)
        if isinstance(result.stdout, bytes):
            result = subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(),
                                                 result.stderr.decode())
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result

    # -- queues ----------------------------------------------------------------------------
    def add_pdf_queue(self, name: str, ppd: Path = CUPS_PDF_PPD, device: str | None = None) -> Path:
        """A cups-pdf printer writing into its own folder; returns that folder."""
        out = self.root / "out" / name
        out.mkdir(parents=True, exist_ok=True)
        uri_name = f"{self.tag}{name}".replace("-", "")
        conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{uri_name}.conf"
        conf.write_text(f"Out {out}\nAnonDirName {out}\nSpool {self.root}/cups-pdf-spool\n"
                        f"Log {self.root}/log\nLogType 3\nGrp root\nUserUMask 0022\nAnonUMask 0022\n")
        self._confs.append(conf)
        self.run("lpadmin", "-p", name, "-E", "-v", device or f"cups-pdf:/{uri_name}", "-P", str(ppd),
                 "-o", "printer-error-policy=abort-job")
        self.queues[name] = out
        return out

    def add_broken_driver_queue(self, name: str) -> Path:
        """A cups-pdf queue whose driver fails on every job ("Filter failed"), as a broken driver does."""
        ppd = self.root / f"{name}.ppd"
        lines = CUPS_PDF_PPD.read_text(errors="replace").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("*ModelName")) + 1
        lines.insert(at, '*cupsFilter2: "application/pdf application/vnd.cups-postscript 0 /bin/false"')
        ppd.write_text("\n".join(lines) + "\n")
        return self.add_pdf_queue(name, ppd)

    def add_device_queue(self, name: str, device: str) -> None:
        """A queue on a real CUPS backend and device (parallel:/dev/full, ...), without a driver.

        No filters run (a raw queue), so a fault of the device shows as soon as the backend
        meets it, not after a second of PDF-to-PostScript conversion. CUPS 2.4 still takes
        raw queues; should a later CUPS refuse them, the cups-pdf driver is used instead.
        """
        raw = self.run("lpadmin", "-p", name, "-E", "-v", device, "-m", "raw",
                       "-o", "printer-error-policy=abort-job", check=False)
        if raw.returncode != 0:
            self.run("lpadmin", "-p", name, "-E", "-v", device, "-P", str(CUPS_PDF_PPD),
                     "-o", "printer-error-policy=abort-job")

    def remove_queue(self, name: str) -> None:
        self.run("lpadmin", "-x", name, check=False)
        self.queues.pop(name, None)

    def set_default(self, name: str) -> None:
        self.run("lpadmin", "-d", name)

    def outputs(self, name: str) -> list[Path]:
        """The PDFs cups-pdf wrote for queue `name`, oldest first."""
        return sorted(self.queues[name].glob("*.pdf"), key=lambda p: (p.stat().st_mtime_ns, p.name))

    def sheets_logged(self, job_id: str, timeout_s: float = 10.0) -> int:
        """Impressions (pages x copies) CUPS logged for a job: cups-pdf itself writes one copy."""
        queue, _, number = job_id.rpartition("-")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            path = self.root / "log" / "page_log"
            for line in path.read_text().splitlines() if path.exists() else []:
                fields = line.split()
                if fields[:1] == [queue] and fields[2:3] == [number] and "total" in fields:
                    return int(fields[fields.index("total") + 1])
            time.sleep(0.1)
        raise AssertionError(f"no page_log entry for {job_id}")

    def job_ids(self, name: str) -> list[str]:
        text = self.run("lpstat", "-W", "all", "-o", name, check=False).stdout
        return [line.split()[0] for line in text.splitlines() if line.strip()]

    def wait_for_output(self, name: str, count: int, timeout_s: float = 20.0) -> list[Path]:
        """The PDFs cups-pdf wrote for `name`, once there are `count` complete ones."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            files = self.outputs(name)
            if len(files) >= count and all(_complete_pdf(f) for f in files):
                return files
            time.sleep(0.1)
        raise AssertionError(f"{count} job(s) did not arrive in {self.queues[name]} within {timeout_s} s; "
                             f"have {self.outputs(name)}\n{self.log_tail()}")


def _complete_pdf(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
