"""Owns the kiosk as an appliance: safe mode, the supervisor, sd_notify and its relay, logs, memory.
Never imports another room: it must work when content, settings or statistics are broken.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "logs": "setup_logging visitor_log",
        "memory": "release_free_memory",
        "safemode": "SafeMode StartDecision",
        "sdnotify": "Notifier",
        "supervisor": "Supervisor",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .logs import setup_logging as setup_logging
    from .logs import visitor_log as visitor_log
    from .memory import release_free_memory as release_free_memory
    from .safemode import SafeMode as SafeMode
    from .safemode import StartDecision as StartDecision
    from .sdnotify import Notifier as Notifier
    from .supervisor import Supervisor as Supervisor
