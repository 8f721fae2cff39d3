"""Visitor actions are logged no finer than the hour; faults keep their seconds."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from kiosk.core.appliance.logs import setup_logging, visitor_log


def test_visitor_lines_carry_the_hour_only(tmp_path: Path) -> None:
    path = setup_logging(tmp_path, to_stderr=False)
    assert path is not None
    visitor_log().info("leaflet printed")
    logging.getLogger("kiosk.printing").warning("printer out of paper")
    for handler in logging.getLogger().handlers:
        handler.flush()
    lines = path.read_text().splitlines()
    visitor = next(line for line in lines if "leaflet printed" in line)
    fault = next(line for line in lines if "out of paper" in line)
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:00 INFO kiosk.visitor: leaflet printed$", visitor), visitor
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING", fault), fault
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kiosk", False):
            logging.getLogger().removeHandler(handler)
            handler.close()
