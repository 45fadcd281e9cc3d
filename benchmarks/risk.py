"""Time the risk model, exposure, its explanations and screening on benchmark files (CPU and wall seconds).

    python benchmarks/risk.py benchmarks/out/supply-10000.json benchmarks/out/supply-100000.json

Stages: load (the supply file), subjects+score (what each partner handles, every partner's and
flow's score), exposure (every partner, `depth` rounds), explain (the upstream paths of the 20 most
exposed partners), from (what the most exposed partner's top supplier reaches downstream),
screening (every partner's names and web addresses against the shipped notorious-markets list, as
an audit with the screening pack does; benchmarks/screening.py times a 10,000-entry watch list).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from nofakes.audit.risk import assess
from nofakes.audit.screening import ScreeningLists, ScreeningTables
from nofakes.risk.profile import load_profile
from nofakes.supply.graph import build_graph
from nofakes.supply.loading import load_supply, paused_gc


def _stage(timings: dict[str, tuple[float, float]], name: str, started: tuple[float, float]) -> tuple[float, float]:
    now = (time.process_time(), time.perf_counter())
    timings[name] = (now[0] - started[0], now[1] - started[1])
    return now


def main(paths: list[str]) -> None:
    print(f"{'file':<28} {'partners':>9} {'flows':>9}  stage: CPU s / wall s")
    for path in paths:
        timings: dict[str, tuple[float, float]] = {}
        mark = (time.process_time(), time.perf_counter())
        loaded = load_supply(path)
        document = loaded.document
        supply = build_graph(document)
        mark = _stage(timings, "load+graph", mark)
        assessment = assess(document, supply, load_profile())
        mark = _stage(timings, "score+exposure", mark)
        top = sorted(assessment.exposure, key=lambda n: (-assessment.exposure[n], n))[:20]
        paths_found = assessment.paths(top)
        mark = _stage(timings, "explain top 20", mark)
        best = paths_found[top[0]][0].path[0] if top and paths_found[top[0]] else document.nodes[0].id
        assessment.downstream_of(best)
        mark = _stage(timings, "from one partner", mark)
        tables = ScreeningTables(document, ScreeningLists())
        with paused_gc():  # as in the audit
            tables.partner()
        _stage(timings, "screening", mark)
        section = tables.section()
        stages = "  ".join(f"{name} {cpu:.2f}/{wall:.2f}" for name, (cpu, wall) in timings.items())
        print(f"{Path(path).name:<28} {len(document.nodes):>9,} {len(assessment.model.flows):>9,}  {stages}"
              f"  ({len(section.matches) if section else 0:,} screening matches)")


if __name__ == "__main__":
    main(sys.argv[1:])
