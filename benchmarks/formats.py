#!/usr/bin/env python3
"""Time and peak memory to write each report format, per graph size.

    python benchmarks/formats.py                                   # 10k partners: json, csv, xlsx
    python benchmarks/formats.py --sizes 10000 100000 --formats json xlsx

Each (size, format) runs in a fresh Python process: the audit runs first (not timed), then the
report is written to a temporary file through the registry, as `nofakes audit --format F -o FILE`
writes it. Wall-clock and CPU seconds of the writing: on a shared machine the CPU time is the
steadier figure, and the per-gap figure (and its ratio to JSON) uses it. Peak memory is ru_maxrss
after the audit and after the report, so any growth is the report's own. Benchmark files are
generated once into benchmarks/out/ (as run.py does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure_one(path: Path, fmt: str, packs: list[str]) -> dict[str, object]:
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import resolve_all
    from nofakes.reports import RenderOptions, formatter
    from nofakes.reports.view import build_view
    from nofakes.risk.defaults import DEFAULT_PROFILE
    from nofakes.risk.profile import load_profile
    from nofakes.supply.loading import load_supply

    # with the default risk profile, as `nofakes audit` runs: the reports carry the risk section
    result = run_audit(load_supply(path), resolve_all(packs), risk=load_profile(DEFAULT_PROFILE))
    view = build_view(result, RenderOptions())
    gaps = len(view.failing) + len(view.waived)
    before = peak_mb()
    report = formatter(fmt)
    with tempfile.TemporaryFile() as out:
        started, cpu = time.perf_counter(), time.process_time()
        report.write(view, out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = out.tell()
    return {"nodes": len(result.partners), "format": fmt, "gaps": gaps, "seconds": seconds, "cpu": cpu, "bytes": size,
            "peak_mb_before": before, "peak_mb_after": peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--formats", nargs="+", default=["json", "csv", "xlsx"])
    parser.add_argument("-g", "--pack", action="append", dest="packs", help="pack reference (default: ntif)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", nargs=2, metavar=("FILE", "FORMAT"), help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    packs = args.packs or ["ntif"]
    if args.one:
        print(json.dumps(measure_one(Path(args.one[0]), args.one[1], packs)))
        return
    sys.path.insert(0, str(HERE))
    from run import ensure_file  # noqa: PLC0415 - benchmarks/ is not a package

    print(f"{'nodes':>8} {'format':8} {'gaps':>8} {'seconds':>8} {'cpu s':>6} {'us/gap':>7} {'x json':>6} "
          f"{'MB out':>7} {'peak MB':>15}")
    for nodes in args.sizes:
        path = ensure_file(nodes, "json", args.seed)
        json_per_gap = None
        for fmt in args.formats:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path), fmt]
            for pack in packs:
                cmd += ["-g", pack]
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                sys.exit(proc.returncode)
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            per_gap = row["cpu"] / max(row["gaps"], 1) * 1e6  # CPU time: the machine is shared
            if fmt == "json":
                json_per_gap = per_gap
            ratio = f"{per_gap / json_per_gap:6.2f}" if json_per_gap else f"{'':6}"
            print(f"{row['nodes']:>8} {fmt:8} {row['gaps']:>8} {row['seconds']:>8.2f} {row['cpu']:>6.2f} "
                  f"{per_gap:>7.1f} {ratio} {row['bytes'] / 1e6:>7.1f} "
                  f"{row['peak_mb_before']:>6.0f} -> {row['peak_mb_after']:<6.0f}")


if __name__ == "__main__":
    main()
