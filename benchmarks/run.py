#!/usr/bin/env python3
"""Time and peak memory of each stage of `nofakes audit`, per graph size and input format.

    python benchmarks/run.py                          # 1k and 10k, YAML and JSON
    python benchmarks/run.py --sizes 1000 10000 100000 --formats json yaml
    python benchmarks/run.py --sizes 1000000 --formats json

Each (size, format) is generated once into benchmarks/out/ (by benchmarks/generate.py) and
measured in a fresh Python process, so peak memory (ru_maxrss) belongs to that run alone.
Stages: load (read + parse + includes), validation (models + cross references), graph
(networkx graph, tiers, subject views), compile (every rule's conditions), rules (evaluate every
rule), scoring (scores + plan), output (JSON report streamed to a temporary file, terminal report
rendered in memory). Wall seconds per stage, and CPU seconds (`time.process_time`, steadier on a
shared machine; load and validation share one CPU figure). Peak RSS is reported after each
stage (it only grows; the rule workers' own peak is not in it). `--repeat N` runs every file N
times (fresh processes, interleaved) and prints every run. `--jobs N` sets the processes that
evaluate the rules (default: the audit's; the CPU seconds of the rules stage are this process's,
the workers' are printed apart). Figures are for claims in notes; no unit test times anything.

    python benchmarks/run.py --sizes 10000 100000 --formats json --repeat 2 \
        -g ntif -g benchmarks/packs/benchmix/1.0.0.yaml        # the 92-rule mix
    python benchmarks/run.py --sizes 10000 100000 --formats json --supply-format 1.1 \
        -g ntif -g benchmarks/packs/benchmix/2.0.0.yaml        # the mix in the new language
    python benchmarks/run.py --sizes 100000 --formats json --supply-format 1.1 --jobs 1 \
        -g ntif -g benchmarks/packs/benchmix/2.0.0.yaml        # the same in one process
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
OUT = HERE / "out"
STAGES = ("load", "validation", "graph", "compile", "rules", "scoring", "output")
CPU_STAGES = ("load+validation", "graph", "compile", "rules", "scoring", "output")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure_one(path: Path, packs: list[str], jobs: int | None = None) -> dict[str, object]:
    """Run every stage once in this process; return seconds and peak RSS per stage."""
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import resolve_all
    from nofakes.reports import RenderOptions, formatter
    from nofakes.reports.view import build_view
    from nofakes.supply.loading import load_supply

    timings: dict[str, float] = {}
    peaks: dict[str, float] = {}
    cpu = time.process_time()
    loaded = load_supply(path, timings)
    timings["load+validation_cpu"] = time.process_time() - cpu
    peaks["load"] = peaks["validation"] = peak_mb()
    resolved = resolve_all(packs)
    result = run_audit(loaded, resolved, timings=timings, jobs=jobs)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the rule workers (nothing else runs in this process)
    peaks["graph"] = peaks["compile"] = peaks["rules"] = peaks["scoring"] = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as report:  # as `audit --format json -o FILE` writes it: streamed
        view = build_view(result, RenderOptions())  # built once and shared by every format, as the CLI does
        formatter("json").write(view, report)
        json_report_bytes = report.tell()
    formatter("terminal").render(view)
    timings["output"] = time.perf_counter() - started
    timings["output_cpu"] = time.process_time() - cpu
    peaks["output"] = peak_mb()
    failing = sum(1 for f in result.findings if f.status.value == "fail")
    return {
        "file": str(path), "bytes": path.stat().st_size, "nodes": len(loaded.document.nodes),
        "edges": len(loaded.document.edges), "rules": len(result.rules), "failing": failing,
        "json_report_bytes": json_report_bytes, "seconds": {s: timings[s] for s in STAGES},
        "cpu_seconds": {s: timings[f"{s}_cpu"] for s in CPU_STAGES}, "peak_mb": peaks,
        "total_seconds": sum(timings[s] for s in STAGES),
        "rules_worker_cpu_seconds": workers.ru_utime + workers.ru_stime,
    }


def ensure_file(nodes: int, fmt: str, seed: int, supply_format: str = "1") -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / (f"supply-{nodes}.{fmt}" if supply_format == "1" else f"supply-{nodes}-v{supply_format}.{fmt}")
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from format11 import enrich  # noqa: PLC0415 - benchmarks/ is not a package
        from generate import generate, write  # noqa: PLC0415

        started = time.perf_counter()
        doc = generate(nodes, seed=seed)
        write(enrich(doc, seed) if supply_format == "1.1" else doc, path, fmt)
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", choices=["yaml", "json"], default=["yaml", "json"])
    parser.add_argument("-g", "--pack", action="append", dest="packs", help="pack reference (default: ntif)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--supply-format", choices=["1", "1.1"], default="1",
                        help="1.1: generate with the format 1.1 fields (benchmarks/format11.py; for benchmix 2.0.0)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per file (fresh processes, interleaved)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: measure one file, print JSON
    parser.add_argument("--json", action="store_true", help="print raw JSON lines instead of a table")
    parser.add_argument("--jobs", type=int, help="processes evaluating the rules (default: the audit's own default)")
    args = parser.parse_args()
    packs = args.packs or ["ntif"]
    if args.one:
        print(json.dumps(measure_one(args.one, packs, args.jobs)))
        return
    rows = []
    files = [ensure_file(nodes, fmt, args.seed, args.supply_format) for nodes in args.sizes for fmt in args.formats]
    for _ in range(args.repeat):
        for path in files:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path)]
            for pack in packs:
                cmd += ["-g", pack]
            if args.jobs is not None:
                cmd += ["--jobs", str(args.jobs)]
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                sys.exit(proc.returncode)
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append(row)
            if args.json:
                print(json.dumps(row))
    if args.json:
        return
    header = (f"{'nodes':>8} {'fmt':4} {'MB':>7} " + " ".join(f"{s:>10}" for s in STAGES)
              + f" {'total':>8} {'peak MB':>8}")
    print("wall seconds:")
    print(header)
    for row in rows:
        seconds = row["seconds"]
        print(f"{row['nodes']:>8} {Path(row['file']).suffix[1:]:4} {row['bytes'] / 1e6:>7.1f} "
              + " ".join(f"{seconds.get(s, 0):>9.2f}s" for s in STAGES)
              + f" {row['total_seconds']:>7.2f}s {max(row['peak_mb'].values()):>8.0f}")
    print("CPU seconds:")
    print(f"{'nodes':>8} {'fmt':4} " + " ".join(f"{s:>16}" for s in CPU_STAGES))
    for row in rows:
        print(f"{row['nodes']:>8} {Path(row['file']).suffix[1:]:4} "
              + " ".join(f"{row['cpu_seconds'][s]:>15.2f}s" for s in CPU_STAGES))
    print("CPU seconds of the rule workers (the rules stage's other processes):")
    for row in rows:
        print(f"  {row['nodes']:>8} {Path(row['file']).suffix[1:]:4} {row['rules_worker_cpu_seconds']:.2f}s")
    print("peak MB after each stage (load/validation/graph/compile/rules/scoring/output):")
    for row in rows:
        print(f"  {row['nodes']:>8} {Path(row['file']).suffix[1:]:4} "
              + " / ".join(f"{row['peak_mb'][s]:.0f}" for s in STAGES)
              + f"   ({row['rules']} rules, {row['failing']} failing findings)")


if __name__ == "__main__":
    main()
