"""Owns the anonymous statistics: the SQLite counters, their writer, the outbox's daily files, merging.
Never stores anything about one visitor; imports no room but the model and the visit's evidence cells.
"""

from typing import TYPE_CHECKING

from kiosk.core._exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "evidence": "EvidenceFigures EvidenceRow evidence_as_dict evidence_figures evidence_limits evidence_sentences merge_evidence write_evidence_csv write_evidence_files",
        "fleet": "fleet_figures merge merge_lines safe_kiosk_id write_daily_files write_merged write_merged_lines write_outbox",
        "fleet_health": "CHART_DAYS Fleet KioskHealth judge read_fleet shown totals",
        "health": "HealthLog health_record write_health",
        "stats": "DB_NAME DayRow Figures StatsUnavailable open_store write_csv",
        "stats_writer": "BackgroundStats",
    },
)

if TYPE_CHECKING:  # the same names, for mypy (tests/test_rooms.py holds the two lists equal)
    from .evidence import EvidenceFigures as EvidenceFigures
    from .evidence import EvidenceRow as EvidenceRow
    from .evidence import evidence_as_dict as evidence_as_dict
    from .evidence import evidence_figures as evidence_figures
    from .evidence import evidence_limits as evidence_limits
    from .evidence import evidence_sentences as evidence_sentences
    from .evidence import merge_evidence as merge_evidence
    from .evidence import write_evidence_csv as write_evidence_csv
    from .evidence import write_evidence_files as write_evidence_files
    from .fleet import fleet_figures as fleet_figures
    from .fleet import merge as merge
    from .fleet import merge_lines as merge_lines
    from .fleet import safe_kiosk_id as safe_kiosk_id
    from .fleet import write_daily_files as write_daily_files
    from .fleet import write_merged as write_merged
    from .fleet import write_merged_lines as write_merged_lines
    from .fleet import write_outbox as write_outbox
    from .fleet_health import CHART_DAYS as CHART_DAYS
    from .fleet_health import Fleet as Fleet
    from .fleet_health import KioskHealth as KioskHealth
    from .fleet_health import judge as judge
    from .fleet_health import read_fleet as read_fleet
    from .fleet_health import shown as shown
    from .fleet_health import totals as totals
    from .health import HealthLog as HealthLog
    from .health import health_record as health_record
    from .health import write_health as write_health
    from .stats import DB_NAME as DB_NAME
    from .stats import DayRow as DayRow
    from .stats import Figures as Figures
    from .stats import StatsUnavailable as StatsUnavailable
    from .stats import open_store as open_store
    from .stats import write_csv as write_csv
    from .stats_writer import BackgroundStats as BackgroundStats
