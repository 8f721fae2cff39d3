"""Commands run without waiting, on the GUI thread, each with a timeout (QProcess).

The print system's tools are run this way so that the screen never waits for them, and a
print system that hangs still gives an answer within the timeout. Every command runs in the
C locale: the kiosk reads their output (kiosk/printing/cups_status.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer


@dataclass(frozen=True)
class CommandResult:
    code: int | None  # None: did not start, crashed or timed out
    out: str
    err: str
    timed_out: bool = False
    not_found: bool = False

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def text(self) -> str:
        return (self.out + "\n" + self.err).strip()


def run_command(parent: QObject, args: list[str], timeout_ms: int, done: Callable[[CommandResult], None],
                stdin: bytes | None = None) -> QProcess:
    """Runs `args` without waiting; `done` is called once, on the GUI thread."""
    process = QProcess(parent)
    env = QProcessEnvironment.systemEnvironment()
    env.insert("LC_ALL", "C")
    env.insert("LANG", "C")
    process.setProcessEnvironment(env)
    timer = QTimer(process)
    timer.setSingleShot(True)
    state = {"reported": False, "timed_out": False}

    def report(result: CommandResult) -> None:
        if state["reported"]:
            return
        state["reported"] = True
        timer.stop()
        done(result)
        process.deleteLater()

    def on_finished(code: int, status: QProcess.ExitStatus) -> None:
        try:
            out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
            err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        except RuntimeError:  # the owner is being destroyed (the application is quitting)
            return
        normal = status == QProcess.ExitStatus.NormalExit and not state["timed_out"]
        report(CommandResult(code if normal else None, out, err, timed_out=bool(state["timed_out"])))

    def on_error(error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            report(CommandResult(None, "", f"cannot run {args[0]}: {process.errorString()}", not_found=True))

    def on_timeout() -> None:
        state["timed_out"] = True
        process.kill()

    process.finished.connect(on_finished)
    process.errorOccurred.connect(on_error)
    timer.timeout.connect(on_timeout)
    process.start(args[0], args[1:])
    timer.start(timeout_ms)
    if stdin is not None:
        process.write(stdin)
        process.closeWriteChannel()
    return process
