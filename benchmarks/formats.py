#!/usr/bin/env python3
"""Time and peak memory to write each report format, per graph size.

    python benchmarks/formats.py                                   # 10k partners, every format but terminal
    python benchmarks/formats.py --sizes 10000 100000 --formats json html markdown junit

Each (size, format) runs in a fresh Python process: load and audit the benchmark file
(JSON, generated once into benchmarks/out/ by benchmarks/generate.py), build the report
view, then write the report to a temporary file as `audit --format F -o FILE` does. The
write is timed alone; peak RSS (ru_maxrss) is read before and after it, so "added" is
what writing the report costs above the audit. Per finding: the write time divided by the
failing findings, and its ratio to the JSON report's.
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
    from nofakes.supply.loading import load_supply

    result = run_audit(load_supply(path), resolve_all(packs))
    view = build_view(result, RenderOptions())
    report = formatter(fmt)
    before = peak_mb()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        report.write(view, out)
        seconds = time.perf_counter() - started
        size = out.tell()
    return {"nodes": len(result.partners), "format": fmt, "failing": len(view.failing), "seconds": seconds,
            "bytes": size, "peak_before_mb": before, "peak_after_mb": peak_mb()}


def ensure_file(nodes: int, seed: int) -> Path:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    path = out / f"supply-{nodes}.json"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from generate import generate, write  # noqa: PLC0415 - benchmarks/ is not a package

        write(generate(nodes, seed=seed), path, "json")
    return path


def main() -> None:
    from nofakes.reports.registry import format_names

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--formats", nargs="+", choices=format_names(),
                        default=[name for name in format_names() if name != "terminal"])
    parser.add_argument("-g", "--pack", action="append", dest="packs", help="pack reference (default: ntif)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", nargs=2, metavar=("FILE", "FORMAT"), help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    packs = args.packs or ["ntif"]
    if args.one:
        print(json.dumps(measure_one(Path(args.one[0]), args.one[1], packs)))
        return
    formats = ["json", *(f for f in args.formats if f != "json")]  # json first: the per-finding reference
    print(f"{'nodes':>8} {'format':9} {'failing':>8} {'write':>8} {'µs/finding':>10} {'vs json':>7} "
          f"{'size MB':>8} {'peak MB':>8} {'added MB':>8}")
    for nodes in args.sizes:
        path = ensure_file(nodes, args.seed)
        reference = None
        for fmt in formats:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path), fmt]
            for pack in packs:
                cmd += ["-g", pack]
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                sys.exit(proc.returncode)
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            per = 1e6 * row["seconds"] / max(row["failing"], 1)
            reference = reference or per
            print(f"{row['nodes']:>8} {fmt:9} {row['failing']:>8} {row['seconds']:>7.2f}s {per:>10.1f} "
                  f"{per / reference:>6.2f}x {row['bytes'] / 1e6:>8.1f} {row['peak_after_mb']:>8.0f} "
                  f"{max(0.0, row['peak_after_mb'] - row['peak_before_mb']):>8.0f}", flush=True)


if __name__ == "__main__":
    main()
