"""`kiosk bench`: figures for start-up, tap latency and memory, measured on this machine.

Start-up is measured from outside, the same way for the kiosk and for a bare PySide6 window
that shows one label: from starting the process to its first painted frame, so Python's own
start is in both and the ratio is fair. Taps are measured inside the kiosk process: from a
press on the real "next" button to the end of the paint that shows the new slide.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import sys, resource
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("Коснитесь экрана, чтобы начать")
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, done)
            obj.removeEventFilter(self)
        return False
def done():
    print("FIRST_FRAME", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, flush=True)
    app.quit()
first = First()
label.installEventFilter(first)
label.resize(1366, 768)
label.show()
app.exec()
"""

# The real `kiosk` start (kiosk.cli.main's path), with the measuring part attached to the window.
KIOSK = """
import sys
from kiosk.devtools.bench_child import main
sys.exit(main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:]))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, list[str]]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env={**_env(), **(env or {})})
    assert proc.stdout is not None
    first_ms = 0.0
    lines = []
    for line in proc.stdout:
        if line.startswith("FIRST_FRAME") and not first_ms:
            first_ms = (time.perf_counter() - start) * 1000
        lines.append(line.strip())
    proc.wait(timeout=120)
    if not first_ms:
        raise RuntimeError(f"no first frame from the child; it printed {lines}")
    return first_ms, lines


SOAK = """
import sys
from kiosk.devtools.soak import bench_main
bench_main(int(sys.argv[1]))
"""


def measure_soak(changes: int) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", SOAK, str(changes)], capture_output=True, text=True,
                          env=_env(), timeout=3600)
    for line in proc.stdout.splitlines():
        if line.startswith("SOAK "):
            data: dict[str, object] = json.loads(line[5:])
            return data
    raise RuntimeError(f"the soak run printed no figures: {proc.stderr[-2000:]}")


def measure(taps: int = 200, runs: int = 9, data_dir: Path | None = None,
            content: Path | None = None, config: Path | None = None) -> dict[str, float]:
    bare, kiosk = [], []
    bare_rss = 0
    tap_ms: list[float] = []
    peak = 0
    peak_leaflet = 0
    data = str(data_dir) if data_dir else tempfile.mkdtemp(prefix="kiosk-bench-")
    options = [*(["--content", str(content)] if content else []), *(["--config", str(config)] if config else [])]
    for _ in range(runs):
        ms, lines = _run(BARE_WINDOW)
        bare.append(ms)
        bare_rss = max(bare_rss, int(lines[0].split()[1]))
        # The real `kiosk` command, on the bundled content, with a data folder of its own
        # (its second and later runs start warm, as a kiosk does every morning).
        ms, lines = _run(KIOSK, data, str(taps), *options)
        kiosk.append(ms)
        for line in lines:
            if line.startswith("TAPS "):
                tap_ms += json.loads(line[5:])
            if line.startswith("RSS "):
                peak = max(peak, int(line.split()[1]))
            if line.startswith("RSS_LEAFLET "):
                peak_leaflet = max(peak_leaflet, int(line.split()[1]))
    tap_ms.sort()
    startup, bare_ms = statistics.median(kiosk), statistics.median(bare)
    return {
        "startup_ms": round(startup, 1),
        "bare_window_ms": round(bare_ms, 1),
        "startup_ratio": round(startup / bare_ms, 2),
        "tap_p50_ms": round(tap_ms[len(tap_ms) // 2], 2),
        "tap_p95_ms": round(tap_ms[int(len(tap_ms) * 0.95)], 2),
        "peak_rss_mib": peak,
        "peak_rss_leaflet_mib": peak_leaflet,
        "bare_window_rss_mib": bare_rss,
        "taps": len(tap_ms),
        "runs": runs,
        "cpus": os.cpu_count() or 0,
        "qt_platform": _env()["QT_QPA_PLATFORM"],
        "os": sys.platform,
    }


def run_bench(args: argparse.Namespace) -> int:
    figures: dict[str, object] = dict(measure(taps=args.taps, data_dir=args.data_dir, content=args.content,
                                              config=args.config))
    soak = measure_soak(args.changes)
    first, last = min(1_000, args.changes), args.changes
    figures.update({
        "transition_fps": soak["transition_fps"],
        "leaflet_ms": soak["leaflet_ms"],
        "rss_mib_1k": soak[f"rss_mib_{first}"],
        "rss_mib_20k": soak[f"rss_mib_{last}"],
        "rss_growth_mib": round(float(soak[f"rss_mib_{last}"]) - float(soak[f"rss_mib_{first}"]), 1),  # type: ignore[arg-type]
        "qobjects_1k": soak[f"qobjects_{first}"],
        "qobjects_20k": soak[f"qobjects_{last}"],
        "screen_changes": last,
    })
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"measured on {figures['os']}, Qt platform {figures['qt_platform']}, {figures['cpus']} CPUs "
          "(QT_QPA_PLATFORM=xcb with DISPLAY set measures under a real X server)")
    print(f"start to first painted frame: {figures['startup_ms']} ms "
          f"(bare PySide6 window with one label: {figures['bare_window_ms']} ms; "
          f"ratio {figures['startup_ratio']}, target at most 1.5)")
    print(f"tap to painted response: p50 {figures['tap_p50_ms']} ms, p95 {figures['tap_p95_ms']} ms "
          f"over {figures['taps']} taps (target p95 under 50 ms)")
    print(f"peak resident memory: {figures['peak_rss_mib']} MiB "
          f"(bare window {figures['bare_window_rss_mib']} MiB; target under 100 MiB); "
          f"after the visitor opens the leaflet and its page for print is drawn: "
          f"{figures['peak_rss_leaflet_mib']} MiB")
    print(f"slide transition at 1920x1080: {figures['transition_fps']} frames per second (target 55 or more)")
    leaflets = ", ".join(f"{k} {v} ms" for k, v in figures["leaflet_ms"].items())  # type: ignore[attr-defined]
    print(f"leaflet PDF per language: {leaflets} (target under 150 ms each)")
    print(f"resident memory after {first} screen changes: {figures['rss_mib_1k']} MiB, after {last}: "
          f"{figures['rss_mib_20k']} MiB (growth {figures['rss_growth_mib']} MiB, target under 5); "
          f"Qt objects {figures['qobjects_1k']} then {figures['qobjects_20k']}")
    return 0
