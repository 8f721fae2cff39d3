"""The fleet's health as one self-contained HTML page: inline CSS, inline SVG charts, no script, no
network. Opened from disk in any browser. Everything that came from outside (kiosk ids, reasons
from a kiosk, file names) is escaped with html.escape.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from kiosk.core.model import N_, render

Translate = Callable[[str], str]

# TRANSLATORS: fleet page: the title; {count} is the number of kiosks.
T_TITLE = N_("The fleet's health: {count} kiosk(s)")
# TRANSLATORS: fleet page: under the title; {day} is a date like 2025-05-01.
T_AS_OF = N_("As of {day}. Worst first; a kiosk with nothing to say is well.")
# TRANSLATORS: fleet page: a totals line. {well}, {attention} are numbers of kiosks.
T_TOTALS = N_("Well: {well}. Need attention: {attention}.")
# TRANSLATORS: fleet page: a totals line. {yesterday}, {week} are numbers of visits.
T_VISITS = N_("Visits yesterday: {yesterday}. Visits in the last 7 days: {week}.")
# TRANSLATORS: fleet page: the column headings.
T_KIOSK = N_("Kiosk")
# TRANSLATORS: fleet page: the column headings.
T_REASONS = N_("What needs doing")
# TRANSLATORS: fleet page: the column headings; the chart of visits per day.
T_CHART = N_("Visits per day, last 4 weeks")
# TRANSLATORS: fleet page: a kiosk with no reason to worry.
T_WELL = N_("Well.")
# TRANSLATORS: fleet page: the chart's legend.
T_LEGEND = N_("Bars: visits per day. Line: its own median. Grey marks: days with no word from the kiosk. "
              "Red marks: open days with no visitor. Pale marks: closed days.")
# TRANSLATORS: fleet page: heading of the list of files that could not be read.
T_BAD_FILES = N_("Files not read")


def _chart(days: list[tuple[dt.date, int | None]], median: float, closed: set[dt.date]) -> str:
    """Bars for visits per day; a grey mark for a day with no word (never drawn as zero), a pale one for
    a day the kiosk was closed, a red one for an open day with no visitor."""
    width, height, gap = 6, 40, 1
    top = max([v for _d, v in days if v is not None] + [median, 1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{len(days) * (width + gap)}" height="{height + 2}" '
             f'role="img">']
    for i, (day, value) in enumerate(days):
        x = i * (width + gap)
        if value is None:
            parts.append(f'<rect x="{x}" y="{height - 4}" width="{width}" height="4" fill="#999">'
                         f"<title>{day.isoformat()}: ?</title></rect>")
        elif day in closed:
            parts.append(f'<rect x="{x}" y="{height - 2}" width="{width}" height="2" fill="#e2e8f0">'
                         f"<title>{day.isoformat()}: -</title></rect>")
        elif not value:
            parts.append(f'<rect x="{x}" y="{height - 6}" width="{width}" height="6" fill="#c53030">'
                         f"<title>{day.isoformat()}: 0</title></rect>")
        else:
            h = max(1, round(value / top * height))
            parts.append(f'<rect x="{x}" y="{height - h}" width="{width}" height="{h}" '
                         f'fill="#2b6cb0"><title>{day.isoformat()}: {value}</title></rect>')
    y = height - round(median / top * height)
    parts.append(f'<line x1="0" x2="{len(days) * (width + gap)}" y1="{y}" y2="{y}" stroke="#dd6b20" '
                 f'stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def fleet_page(rows: list[dict[str, Any]], totals: dict[str, int], problems: list[str], today: dt.date,
               translate: Translate, lang: str) -> str:
    """The page. `rows`: kiosk_id, reasons (rendered words), days [(date, visits|None)], median."""
    def t(message: str, **params: Any) -> str:
        return html.escape(render(message, params, translate))

    out = [f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">',
           f"<title>{t(T_TITLE, count=totals['kiosks'])}</title>",
           "<style>body{font-family:sans-serif;margin:1.5em;color:#1a202c}"
           "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;"
           "vertical-align:top;text-align:left}tr.bad td:first-child{border-left:6px solid #c53030}"
           "tr.well td:first-child{border-left:6px solid #38a169}ul{margin:0;padding-left:1.2em}"
           ".id{font-family:monospace;font-size:1.1em}.muted{color:#666}</style></head><body>",
           f"<h1>{t(T_TITLE, count=totals['kiosks'])}</h1>",
           f"<p class=\"muted\">{t(T_AS_OF, day=today.isoformat())}</p>",
           f"<p><strong>{t(T_TOTALS, well=totals['well'], attention=totals['attention'])}</strong> "
           f"{t(T_VISITS, yesterday=totals['visits_yesterday'], week=totals['visits_week'])}</p>",
           f"<table><tr><th>{t(T_KIOSK)}</th><th>{t(T_REASONS)}</th><th>{t(T_CHART)}</th></tr>"]
    for row in rows:
        reasons = row["reasons"]
        words = ("<ul>" + "".join(f'<li class="reason">{html.escape(r)}</li>' for r in reasons) + "</ul>"
                 if reasons else f'<span class="reason well">{t(T_WELL)}</span>')
        out.append(f'<tr class="{"bad" if reasons else "well"}"><td class="id">{html.escape(row["kiosk_id"])}</td>'
                   f"<td>{words}</td><td>{_chart(row['days'], row['median'], row.get('closed', set()))}</td></tr>")
    out.append(f'</table><p class="muted">{t(T_LEGEND)}</p>')
    if problems:
        out.append(f"<h2>{t(T_BAD_FILES)}</h2><ul>")
        out += [f'<li class="bad-file">{html.escape(p)}</li>' for p in problems]
        out.append("</ul>")
    out.append("</body></html>\n")
    return "".join(out)
