"""Owns what a visitor hears: what each screen reads aloud and how (spoken forms), which recording, `kiosk narrate`, loudness, a recording day, the player.
Never loads or checks a content pack: it reads the content model and the visit.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "narrate": "Engine NarrateError narrate_content",
        "narration": "FREE_ADVICE INDEX_FILE Kind LEAFLET_EXPLAIN LEAFLET_HEADING LIMIT NOT_READY Narration PRINTING QR_HINT RECORDED_FOLDER SCORE SILENT_SCREENS attract coverage index_problem is_synthetic_name page_files page_key screen_playlist slugs spoken_items",
        "players": "MCI_SUFFIXES Player find_player mci_close mci_open mci_status",
        "loudness": "LoudnessError level",
        "recording": "RecordingError ScriptLine bring_in script_items",
        "spoken": "oddities spoken_form",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .loudness import LoudnessError as LoudnessError
    from .loudness import level as level
    from .narrate import Engine as Engine
    from .narrate import NarrateError as NarrateError
    from .narrate import narrate_content as narrate_content
    from .narration import FREE_ADVICE as FREE_ADVICE
    from .narration import INDEX_FILE as INDEX_FILE
    from .narration import LEAFLET_EXPLAIN as LEAFLET_EXPLAIN
    from .narration import LEAFLET_HEADING as LEAFLET_HEADING
    from .narration import LIMIT as LIMIT
    from .narration import NOT_READY as NOT_READY
    from .narration import PRINTING as PRINTING
    from .narration import QR_HINT as QR_HINT
    from .narration import RECORDED_FOLDER as RECORDED_FOLDER
    from .narration import SCORE as SCORE
    from .narration import SILENT_SCREENS as SILENT_SCREENS
    from .narration import Kind as Kind
    from .narration import Narration as Narration
    from .narration import attract as attract
    from .narration import coverage as coverage
    from .narration import index_problem as index_problem
    from .narration import is_synthetic_name as is_synthetic_name
    from .narration import page_files as page_files
    from .narration import page_key as page_key
    from .narration import screen_playlist as screen_playlist
    from .narration import slugs as slugs
    from .narration import spoken_items as spoken_items
    from .players import MCI_SUFFIXES as MCI_SUFFIXES
    from .players import Player as Player
    from .players import find_player as find_player
    from .players import mci_close as mci_close
    from .players import mci_open as mci_open
    from .players import mci_status as mci_status
    from .recording import RecordingError as RecordingError
    from .recording import ScriptLine as ScriptLine
    from .recording import bring_in as bring_in
    from .recording import script_items as script_items
    from .spoken import oddities as oddities
    from .spoken import spoken_form as spoken_form
