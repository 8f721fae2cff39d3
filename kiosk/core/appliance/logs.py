"""Logging to a rotating file in the data folder: staff detail never grows without bound."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_BYTES = 1024 * 1024
LOG_FILES = 5
# What a visitor did (a leaflet printed or refused, a print cancelled by a quick exit) is logged
# through this logger and no finer than the statistics keep it: the hour. Faults and staff
# actions keep their times to the second.
VISITOR_LOGGER = "kiosk.visitor"


class _Formatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        if record.name == VISITOR_LOGGER or record.name.startswith(VISITOR_LOGGER + "."):
            import time

            return time.strftime("%Y-%m-%d %H:00", self.converter(record.created))
        return super().formatTime(record, datefmt)


def visitor_log() -> logging.Logger:
    """The logger for visitor actions: its lines carry the hour only, never minutes or seconds."""
    return logging.getLogger(VISITOR_LOGGER)


def setup_logging(data_dir: Path, to_stderr: bool = True) -> Path | None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for old in list(root.handlers):
        if getattr(old, "_kiosk", False):
            root.removeHandler(old)
            old.close()
    fmt = _Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    path: Path | None = data_dir / "logs" / "kiosk.log"
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8")
    except OSError as exc:
        # A read-only or full disk must not stop the kiosk; the log goes to stderr only.
        print(f"kiosk: cannot write the log in {data_dir}: {exc}", file=sys.stderr)
        handler, path = logging.StreamHandler(sys.stderr), None
        to_stderr = False
    handler.setFormatter(fmt)
    handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if to_stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setLevel(logging.WARNING)
        err.setFormatter(fmt)
        err._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(err)
    return path
