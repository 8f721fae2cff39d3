"""The entry point of the frozen kiosk (PyInstaller): the same `kiosk` command as `pip install` gives.

One extra, for `kiosk bench --frozen PATH` only: with KIOSK_FROZEN_BENCH=1 the frozen program runs
the benchmark's child (kiosk/devtools/bench_child.py: the real kiosk start, with FIRST_FRAME printed
at the first paint) instead of the plain command line, because a frozen program has no `python -c`.
It is read here and nowhere in the product code.
"""

import os
import sys


def _qt_paths() -> None:
    # What PyInstaller's PySide6 run-time hook did (it is left out, see deploy/kiosk.spec): Qt's
    # plugins from the build only, never from a QT_PLUGIN_PATH of the machine.
    bundle = getattr(sys, "_MEIPASS", os.path.dirname(os.path.abspath(__file__)))
    qt = os.path.join(bundle, "PySide6") if sys.platform == "win32" else os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    if sys.platform == "win32":  # where Qt finds DLLs it loads late (as the hook did)
        os.environ["PATH"] = bundle + os.pathsep + os.environ.get("PATH", "")
    if os.environ.get("KIOSK_FROZEN_QT_PATHS") == "1":  # tests/test_frozen.py: where Qt looks
        from PySide6.QtCore import QLibraryInfo

        for name in ("PrefixPath", "PluginsPath", "TranslationsPath"):
            print(name, QLibraryInfo.path(getattr(QLibraryInfo.LibraryPath, name)), flush=True)
        sys.exit(0)


def _main() -> int:
    _qt_paths()
    if os.environ.get("KIOSK_FROZEN_BENCH") == "1":
        from kiosk.devtools.bench_child import main as bench_child

        return bench_child(sys.argv[1], int(sys.argv[2]), *sys.argv[3:])
    from kiosk.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
