"""A coarse clock on CUPS' spool: the times of its folders and job cache say the day, not the second.

CUPS on the appliance keeps no job history, no spooled files and no page log
(deploy/cupsd-kiosk.conf). But cupsd still changes its spool folders (/var/spool/cups and its
tmp) and rewrites its job cache (/var/cache/cups/job.cache) at every job, so their modification
times said to the second when the last leaflet was printed (issue 22, item 13). The kiosk runs as
the user kiosk, which may not set those times: only a file's owner (root here) may. So a root
timer, deploy/kiosk-spool-clock.timer, runs `python3 -m kiosk.core.appliance.spool_clock` every
5 minutes, which sets the access and modification times of each to midnight of its own day: the
day of the last print, which the kiosk's daily statistics hold anyway.

What no one can set is a file's change time (ctime): every run moves it to the time of that run,
so it tells when the timer last ran, and for at most 5 minutes after a print, the print's time.
The job cache's counter (NextJobId) still counts every job since CUPS was installed; with no time
beside it, it says no more than the statistics' total of printed leaflets.

Standard library only, no Qt; run by root, it touches only the paths named here or on its command line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

PATHS = ("/var/spool/cups", "/var/spool/cups/tmp", "/var/cache/cups", "/var/cache/cups/job.cache")


def start_of_day(stamp: float) -> float:
    """Local midnight of the day `stamp` falls on."""
    t = time.localtime(stamp)
    return time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))


def coarsen(paths: Iterable[Path]) -> list[Path]:
    """Sets the access and modification times of each path that exists to the start of the day of
    its own modification time (never later than it was); returns the paths it set."""
    done: list[Path] = []
    for path in paths:
        try:
            mtime = os.stat(path, follow_symlinks=False).st_mtime
        except FileNotFoundError:
            continue
        day = start_of_day(mtime)
        os.utime(path, (day, day), follow_symlinks=False)
        done.append(path)
    return done


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        coarsen(Path(p) for p in (args or PATHS))
    except OSError as error:
        print(f"kiosk spool clock: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
