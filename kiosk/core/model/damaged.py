"""Files of the kiosk's own that it found damaged (issue 22): each reader says so here, once per
file, and carries on with a safe default. The log gets a line; the staff Content tab lists them,
in the staff's language, as file:line: message, so that a damaged file is never passed over in
silence and never stops the kiosk.

The narration index of a content pack is not here: `kiosk check` and the Content tab name it
from the pack itself (kiosk/core/narration/narration.py, index_problem).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from kiosk.core.model.i18n import N_
from kiosk.core.model.messages import msg
from kiosk.core.model.problems import Problem, Severity

log = logging.getLogger(__name__)

# TRANSLATORS: staff Content tab, a file of the kiosk's own is damaged. {error} is the system's or a
# reader's own words (English); {then} is one of the phrases below: what the kiosk does meanwhile.
D_UNREADABLE = N_("this file of the kiosk cannot be read ({error}); {then}")
# TRANSLATORS: {then} of the message above: the file of installed content updates (packs/state.json).
D_PACK_STATE = N_("the kiosk shows the content it came with until an update is installed again")
# TRANSLATORS: {then} of the message above: the file that counts wrong staff PINs.
D_STAFF_LOCK = N_("the count of wrong staff PINs starts again from what this run knows")
# TRANSLATORS: {then} of the message above: the file that counts crashes for safe mode.
D_SAFE_MODE = N_("the count of crashes for safe mode starts again from zero")
# TRANSLATORS: {then} of the message above: the statistics database. {name} is a file name.
D_STATS = N_("it was set aside as {name} and a new, empty one started; the figures before it are in that file")
# TRANSLATORS: {then} of the message above, when the damaged statistics could not be set aside.
D_STATS_KEPT = N_("visits are counted in memory only, until the kiosk restarts")

_lock = threading.Lock()
_found: dict[str, Problem] = {}


def report_damaged(path: Path | str, error: object, then: str, line: int = 0, **params: Any) -> None:
    """`path` could not be read (`error`), and the kiosk does `then` (an N_ phrase above) instead."""
    problem = Problem(Path(path).as_posix(), line, msg(D_UNREADABLE, error=str(error), then=msg(then, **params)),
                      Severity.ERROR)
    with _lock:
        known = _found.get(problem.file)
        _found[problem.file] = problem
    if known != problem:
        log.error("%s", problem)


def report_problem(problem: Problem) -> None:
    """A problem a reader found with its own words (settings.yaml's, for one), listed the same way."""
    with _lock:
        _found[f"{problem.file}:{problem.line}:{problem.text.msgid}"] = problem


def damaged_files() -> list[Problem]:
    """What was found damaged since the kiosk started, oldest first."""
    with _lock:
        return list(_found.values())


def forget_damaged() -> None:
    """For tests, and for a restart in the same process."""
    with _lock:
        _found.clear()
