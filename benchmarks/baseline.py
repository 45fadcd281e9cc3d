#!/usr/bin/env python3
"""Time to read a baseline JSON report and compare a run with it (`audit --baseline`), per graph size.

    python benchmarks/baseline.py                     # 10k partners
    python benchmarks/baseline.py --sizes 1000 10000  # linear: ~10x the time for 10x the findings

The audit and the JSON report it is compared with run first (not timed); then reading the report
(`read_baseline`), comparing (`compare`, which indexes the old findings by fingerprint once) and
building the view with the comparison are timed. The benchmark files are generated once into
benchmarks/out/ (as run.py does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(path: Path, packs: list[str]) -> tuple[int, int, float, float, float]:
    from nofakes.audit.baseline import compare, read_baseline
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import resolve_all
    from nofakes.reports import RenderOptions, formatter
    from nofakes.reports.view import build_view
    from nofakes.supply.loading import load_supply

    result = run_audit(load_supply(path), resolve_all(packs))
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "old.json"
        with report.open("wb") as out:
            formatter("json").write(build_view(result, RenderOptions()), out)
        started = time.process_time()
        baseline = read_baseline(report)
        read = time.process_time() - started
    started = time.process_time()
    comparison = compare(baseline, result)
    compared = time.process_time() - started
    started = time.process_time()
    build_view(result, RenderOptions(), comparison)
    viewed = time.process_time() - started
    return len(result.partners), len(comparison.marks), read, compared, viewed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("-g", "--pack", action="append", dest="packs", help="pack reference (default: ntif)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from run import ensure_file  # noqa: PLC0415 - benchmarks/ is not a package

    print(f"{'nodes':>8} {'gaps':>8} {'read s':>7} {'compare s':>9} {'view s':>7}  (CPU seconds)")
    for nodes in args.sizes:
        partners, gaps, read, compared, viewed = measure(ensure_file(nodes, "json", args.seed), args.packs or ["ntif"])
        print(f"{partners:>8} {gaps:>8} {read:>7.2f} {compared:>9.3f} {viewed:>7.2f}")


if __name__ == "__main__":
    main()
