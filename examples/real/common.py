"""What both real-data converters share: where the shared data is, writing the derived tables,
and running `nofakes import` and `nofakes audit` on them (as a user would, one process each, timed).

The converters turn a public data set into a partner table and a flow table (CSV) that keep every
stage, site and arc of the source; the committed mapping next to them says which column feeds
which field, and `nofakes import` does the rest.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The shared data sets: $NOFAKES_SHARED_DATA, else ../shared/data beside the checkout (as in CI).
DATA = Path(os.environ.get("NOFAKES_SHARED_DATA", REPO.parent / "shared" / "data"))
# Fixed, so the same source gives the same supply.yaml byte for byte (the import's provenance date).
SOURCE_DATE_EPOCH = "1798761600"  # 2027-01-01
AS_OF = "2026-11-01"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a UTF-8 CSV table; the number of data rows written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count


@dataclass(frozen=True)
class Run:
    """One `nofakes` command: its exit code, wall time and stderr (warnings and errors)."""

    command: tuple[str, ...]
    code: int
    seconds: float
    stderr: str


def nofakes(*args: str) -> Run:
    """Run `python -m nofakes ARGS` and time it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_COLOR": "1"}
    command = (sys.executable, "-m", "nofakes", *args)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return Run(tuple(args), done.returncode, time.perf_counter() - start, done.stderr)


def import_tables(partners: Path, flows: Path, mapping: Path, output: Path, company: str) -> Run:
    """`nofakes import PARTNERS FLOWS --map MAPPING --company COMPANY -o OUTPUT` (overwriting OUTPUT)."""
    return nofakes("import", str(partners), str(flows), "--map", str(mapping), "--company", company,
                   "-o", str(output), "--force")


def audit(supply: Path, report: Path) -> Run:
    """`nofakes audit SUPPLY --as-of AS_OF --format json -o REPORT` with the file's packs (the built-in `ntif`)."""
    return nofakes("audit", str(supply), "--as-of", AS_OF, "--format", "json", "-o", str(report))


def summary(report: dict[str, object]) -> str:
    """A JSON report's failing findings, overall score and rules scored, in one line."""
    counts, scores, coverage = report["summary"], report["scores"], report["coverage"]
    assert isinstance(counts, dict) and isinstance(scores, dict) and isinstance(coverage, dict)
    overall = scores.get("overall") or {}
    return f"{counts['failed_total']:>8} {overall.get('score', '-'):>6} " \
           f"{coverage['rules_scored']:>3}/{coverage['rules_selected']}"


def require(run: Run, allowed: Sequence[int] = (0,)) -> Run:
    """`run`, or SystemExit with its stderr when it exited otherwise."""
    if run.code not in allowed:
        sys.stderr.write(run.stderr)
        raise SystemExit(f"nofakes {' '.join(run.command)}: exit {run.code}")
    return run
