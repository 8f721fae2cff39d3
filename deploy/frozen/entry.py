"""The entry point of the frozen kiosk (PyInstaller): the same `kiosk` command as `pip install` gives.

One extra, for `kiosk bench --frozen PATH` only: with KIOSK_FROZEN_BENCH=1 the frozen program runs
the benchmark's child (kiosk/devtools/bench_child.py: the real kiosk start, with FIRST_FRAME printed
at the first paint) instead of the plain command line, because a frozen program has no `python -c`.
It is read here and nowhere in the product code.
"""

import os
import sys


def _main() -> int:
    if os.environ.get("KIOSK_FROZEN_BENCH") == "1":
        from kiosk.devtools.bench_child import main as bench_child

        return bench_child(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
    from kiosk.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
