"""Startup to window, frozen (dist/haven/haven) and unfrozen (python -m desktop_app), side by side in one run,
and the frozen self-test.

    python bench/bundle.py [--runs 5] [--json]

Each start is a fresh process with a fresh data folder (the first-run page) and no system fonts beyond what the
app ships; it is timed from starting the process to the window's picture being written by `--screenshot`, which
saves it as the event loop starts. The two kinds alternate so that the machine's state is shared; medians are
printed with their ratio. Build the bundle first (packaging/build.sh).
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

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "dist" / "haven" / "haven"
COMMANDS = {"unfrozen": [sys.executable, "-m", "desktop_app"], "frozen": [str(FROZEN)]}


def to_window_ms(command: list[str], folder: Path) -> float:
    picture = folder / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(folder), "HAVEN_DATA_DIR": str(folder / "data"),
           "HAVEN_CONFIG_DIR": str(folder / "config"), "HAVEN_CACHE_DIR": str(folder / "cache")}
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--screenshot", str(picture)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    while not picture.exists() and process.poll() is None:
        time.sleep(0.002)
    drawn = (time.perf_counter() - started) * 1000
    if process.wait(timeout=300) != 0 or not picture.exists():
        raise SystemExit(f"{command[0]} did not draw its window")
    return drawn


def self_test_ms() -> float:
    started = time.perf_counter()
    subprocess.run(["env", "-i", str(FROZEN), "--self-test"], check=True, capture_output=True)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not FROZEN.exists():
        raise SystemExit("no bundle: run packaging/build.sh first")
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for run in range(args.runs + 1):  # the first round warms the file cache and is not counted
        for name, command in COMMANDS.items():
            with tempfile.TemporaryDirectory(prefix="haven-bench-bundle-") as folder:
                elapsed = to_window_ms(command, Path(folder))
            if run:
                times[name].append(elapsed)
    figures = {f"{name}_window_ms": round(statistics.median(values), 1) for name, values in times.items()}
    figures["frozen_vs_unfrozen"] = round(figures["frozen_window_ms"] / figures["unfrozen_window_ms"], 3)
    figures["frozen_self_test_ms"] = round(self_test_ms(), 1)
    print(json.dumps(figures) if args.json else "\n".join(f"{key}: {value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
