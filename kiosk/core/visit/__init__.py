"""Owns the visitor's journey: the session state machine, the quiz, paper limits, the printing seam.
Never touches a file, a pack or the statistics store: events leave through a sink.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "evidence": "Before Cell Pairing",
        "print_limits": "Debounce",
        "printer": "FAULTS LazyPrinter LeafletPrinter PrintOrder PrintStatus PrinterCondition PrinterReport StatusCallback condition_after_job",
        "quiz": "QuizRun band_for",
        "session": "Screen Session StatsSink Visit",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .evidence import Before as Before
    from .evidence import Cell as Cell
    from .evidence import Pairing as Pairing
    from .print_limits import Debounce as Debounce
    from .printer import FAULTS as FAULTS
    from .printer import LazyPrinter as LazyPrinter
    from .printer import LeafletPrinter as LeafletPrinter
    from .printer import PrinterCondition as PrinterCondition
    from .printer import PrinterReport as PrinterReport
    from .printer import PrintOrder as PrintOrder
    from .printer import PrintStatus as PrintStatus
    from .printer import StatusCallback as StatusCallback
    from .printer import condition_after_job as condition_after_job
    from .quiz import QuizRun as QuizRun
    from .quiz import band_for as band_for
    from .session import Screen as Screen
    from .session import Session as Session
    from .session import StatsSink as StatsSink
    from .session import Visit as Visit
