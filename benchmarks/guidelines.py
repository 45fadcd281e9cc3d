#!/usr/bin/env python3
"""Time of `nofakes guidelines lint` and `nofakes guidelines test` on the built-in packs.

    python benchmarks/guidelines.py              # 5 runs of each, median and spread
    python benchmarks/guidelines.py --runs 10

Each run is a fresh `nofakes` process, as a pack author would run it, so the figure includes
Python start-up and imports. Figures are for claims in notes; no unit test times anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "lint": ["guidelines", "lint", str(ROOT / "guidelines")],
    "test": ["guidelines", "test", "ntif", str(ROOT / "tests" / "rules" / "ntif")],
    "version": ["--version"],  # start-up alone, for comparison
}


def time_command(args: list[str], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "nofakes", *args], capture_output=True, check=False)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"nofakes {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(f"{'command':<10} {'median s':>9} {'min s':>7} {'max s':>7}  ({options.runs} runs)")
    for name, args in COMMANDS.items():
        seconds = time_command(args, options.runs)
        print(f"{name:<10} {statistics.median(seconds):9.2f} {min(seconds):7.2f} {max(seconds):7.2f}")


if __name__ == "__main__":
    main()
