#!/usr/bin/env python3
"""Time and peak memory of `nofakes import` on a partner sheet of N rows, in CSV and in XLSX.

    python benchmarks/import_bench.py                            # 10k rows, CSV and XLSX
    python benchmarks/import_bench.py --rows 100000 --formats csv xlsx

Each sheet is written once into a temporary folder (one row per partner, the headers of a
real supplier list: names, country names and codes, roles in words, yes/no, dates in three
forms, a "Supplies to" column naming an earlier partner) and imported in a fresh Python
process, so that peak memory (ru_maxrss) belongs to that import alone. Stages: read (the
table), build (mapping guessed, rows to the document), render (YAML text), validate (the
supply-chain loader on that text). Figures are for notes; no unit test times anything.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["Supplier Name", "Country", "Type", "Tier", "Authorized", "Last Audit", "Audit Result",
           "ISO 9001 Expiry", "Contract signed", "Anti-counterfeit clause", "Supplies to", "Spend (USD)"]
COUNTRIES = ["China", "DE", "Viet Nam", "USA", "UK", "Deutschland", "IN", "Mexico", "JP", "Korea, Republic of"]
ROLES = ["Vendor", "CM", "Authorized distributor", "3PL", "Retailer", "OEM", "Broker"]


def rows(count: int, seed: int = 1) -> list[list[object]]:
    rng = random.Random(seed)
    out: list[list[object]] = [["Brand Co", "US", "brand owner", 0, "", "", "", "", "", "", "", ""]]
    for i in range(1, count):
        audit = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        expiry = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(900))
        parent = "Brand Co" if i < 50 else f"Partner {rng.randrange(1, i):06d}"
        out.append([f"Partner {i:06d}", rng.choice(COUNTRIES), rng.choice(ROLES), 1 + i % 4,
                    rng.choice(["yes", "no", "Y", "N", ""]), audit.isoformat(), rng.choice(["pass", "Passed", "fail"]),
                    expiry.strftime("%d.%m.%Y"), f"{rng.randrange(1, 13)}/{rng.randrange(13, 29)}/2025",
                    rng.choice(["x", "", "yes"]), parent, rng.randrange(1000, 10_000_000)])
    return out


def write_sheet(path: Path, data: list[list[object]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            writer.writerows(data)
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Suppliers")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    book.save(path)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure(path: Path) -> dict[str, float]:
    """Import `path` in this process, stage by stage."""
    from nofakes.importing.build import Options, build
    from nofakes.importing.output import Provenance, import_date, render, validate
    from nofakes.importing.pipeline import read_inputs

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    inputs = read_inputs(path, None, None)
    seconds["read"] = time.perf_counter() - start
    start = time.perf_counter()
    mapping = inputs.mapping
    imported = build({"partners": (inputs.partners, mapping.partners)}, mapping, Options())
    seconds["build"] = time.perf_counter() - start
    start = time.perf_counter()
    text = render(imported.document, Provenance((inputs.partners,), None, None, import_date()))
    seconds["render"] = time.perf_counter() - start
    start = time.perf_counter()
    loaded = validate(text, "supply.yaml")
    seconds["validate"] = time.perf_counter() - start
    assert len(loaded.document.nodes) == len(inputs.partners.rows)
    seconds["total"] = sum(seconds.values())
    seconds["peak_mb"] = peak_mb()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--formats", nargs="+", choices=["csv", "xlsx"], default=["csv", "xlsx"])
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return
    print(f"{'rows':>8} {'format':>6} {'read':>7} {'build':>7} {'render':>7} {'validate':>8} {'total':>7} {'peak':>8}")
    with tempfile.TemporaryDirectory(prefix="nofakes-import-bench-") as folder:
        for count in args.rows:
            data = rows(count)
            for fmt in args.formats:
                path = Path(folder) / f"partners-{count}.{fmt}"
                write_sheet(path, data)
                child = subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True,
                                       capture_output=True, text=True)
                s = json.loads(child.stdout)
                print(f"{count:>8} {fmt:>6} {s['read']:>6.1f}s {s['build']:>6.1f}s {s['render']:>6.1f}s "
                      f"{s['validate']:>7.1f}s {s['total']:>6.1f}s {s['peak_mb']:>6.0f}MB", flush=True)


if __name__ == "__main__":
    main()
