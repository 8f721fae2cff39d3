"""Owns the words every room shares: the content model, messages and problems, the observer, YAML, i18n.
Never imports another room of the core, and never reads a content pack.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "damaged": "D_PACK_STATE D_SAFE_MODE D_STAFF_LOCK D_STATS D_STATS_KEPT damaged_files forget_damaged report_damaged report_problem",
        "content": "Answer Contact Content LANGUAGES Leaflet LeafletMessage NATIVE_NAMES Neutral Organisation Question Quiz ScoreBand Slide Text",
        "i18n": "BABEL_LOCALES I18n NP_ N_ compile_po load_translation",
        "messages": "Message Translate english escape_controls locale_language msg render",
        "problems": "Coverage LoadResult Problem Problems reading_order",
        "resources": "default_content_dir fonts_dir icons_dir",
        "signals": "Signal",
        "yamlio": "YDict YList YamlError load_file",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .content import LANGUAGES as LANGUAGES
    from .content import NATIVE_NAMES as NATIVE_NAMES
    from .content import Answer as Answer
    from .content import Contact as Contact
    from .content import Content as Content
    from .content import Leaflet as Leaflet
    from .content import LeafletMessage as LeafletMessage
    from .content import Neutral as Neutral
    from .content import Organisation as Organisation
    from .content import Question as Question
    from .content import Quiz as Quiz
    from .content import ScoreBand as ScoreBand
    from .content import Slide as Slide
    from .content import Text as Text
    from .damaged import D_PACK_STATE as D_PACK_STATE
    from .damaged import D_SAFE_MODE as D_SAFE_MODE
    from .damaged import D_STAFF_LOCK as D_STAFF_LOCK
    from .damaged import D_STATS as D_STATS
    from .damaged import D_STATS_KEPT as D_STATS_KEPT
    from .damaged import damaged_files as damaged_files
    from .damaged import forget_damaged as forget_damaged
    from .damaged import report_damaged as report_damaged
    from .damaged import report_problem as report_problem
    from .i18n import BABEL_LOCALES as BABEL_LOCALES
    from .i18n import N_ as N_
    from .i18n import NP_ as NP_
    from .i18n import I18n as I18n
    from .i18n import compile_po as compile_po
    from .i18n import load_translation as load_translation
    from .messages import Message as Message
    from .messages import Translate as Translate
    from .messages import english as english
    from .messages import escape_controls as escape_controls
    from .messages import locale_language as locale_language
    from .messages import msg as msg
    from .messages import render as render
    from .problems import Coverage as Coverage
    from .problems import LoadResult as LoadResult
    from .problems import Problem as Problem
    from .problems import Problems as Problems
    from .problems import reading_order as reading_order
    from .resources import default_content_dir as default_content_dir
    from .resources import fonts_dir as fonts_dir
    from .resources import icons_dir as icons_dir
    from .signals import Signal as Signal
    from .yamlio import YamlError as YamlError
    from .yamlio import YDict as YDict
    from .yamlio import YList as YList
    from .yamlio import load_file as load_file
