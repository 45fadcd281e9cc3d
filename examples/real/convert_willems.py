"""Willems (2008) real multi-echelon supply chains -> partner and flow tables -> `nofakes import` -> audit.

Source: S. P. Willems (2008), "Data Set: Real-World Multi-Echelon Supply Chains Used for Inventory
Optimization", Manufacturing & Service Operations Management 10(1):19-23, doi:10.1287/msom.1070.0176
(open to all researchers who cite the paper). The stages of chain NN are `NN_SD.csv`, its arcs
`NN_LL.csv` (see the data set's PROVENANCE.txt).

Every stage becomes one partner and every arc one flow: nothing is dropped but the blank rows of the
stage sheets (chain 16 has 28). Roles and flow kinds come from the stage class through the committed
`willems-mapping.yaml`. A stage with a demand (avgDemand) is customer-facing: Retail stages always,
and some Dist and Manuf stages too; the format has one role per partner, so those keep their role
and say `customer_facing: true` under attributes.

    python examples/real/convert_willems.py --out /tmp/willems            # all 38 chains, with audits
    python examples/real/convert_willems.py --chains 01 22 --out /tmp/w   # some chains
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, HERE, Run, audit, import_tables, require, summary, write_csv  # noqa: E402

SOURCE = DATA / "willems2008" / "csv"
MAPPING = HERE / "willems-mapping.yaml"
CHAINS = tuple(f"{n:02d}" for n in range(1, 39))  # 00 is a toy chain the paper does not describe
PARTNER_HEADER = ("Stage Name", "Stage Class", "Stage Class Raw", "Relative Depth", "Stage Cost", "Stage Time",
                  "Avg Demand", "Std Dev Demand", "Customer Facing", "Source Row")
FLOW_HEADER = ("Source Stage", "Destination Stage", "Source Class")


@dataclass(frozen=True)
class Chain:
    number: str
    stages: int  # stage rows with a name
    arcs: int
    blank_rows: int  # stage rows without a name or class (left out)
    industry: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def industries() -> dict[str, str]:
    """Chain number -> the SIC description of its company ("Summary Tables.csv")."""
    found: dict[str, str] = {}
    with (SOURCE / "Summary Tables.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) > 8 and row[1].strip().isdigit():
                found[f"{int(row[1]):02d}"] = " ".join(row[8].split())
    return found


def convert(number: str, out: Path) -> tuple[Chain, Path, Path]:
    """Write chain NN's partners.csv and flows.csv into `out`; what was read."""
    stages = _rows(SOURCE / f"{number}_SD.csv")
    arcs = _rows(SOURCE / f"{number}_LL.csv")
    classes = {s["Stage Name"]: s["stageClassification"] for s in stages if s["Stage Name"]}
    partners_rows = [
        (s["Stage Name"], s["stageClassification"], s["stageClassification"], s["relDepth"], s["stageCost"],
         s["stageTime"], s["avgDemand"], s["stdDevDemand"], "yes" if s["avgDemand"] else "",
         f"{number}_SD.csv:{line}")
        for line, s in enumerate(stages, start=2) if s["Stage Name"]]
    flow_rows = [(a["sourceStage"], a["destinationStage"], classes.get(a["sourceStage"], "")) for a in arcs]
    out.mkdir(parents=True, exist_ok=True)
    partners, flows = out / f"willems-{number}-partners.csv", out / f"willems-{number}-flows.csv"
    write_csv(partners, PARTNER_HEADER, partners_rows)
    write_csv(flows, FLOW_HEADER, flow_rows)
    chain = Chain(number, len(partners_rows), len(flow_rows), len(stages) - len(partners_rows),
                  industries().get(number, ""))
    return chain, partners, flows


def company(chain: Chain) -> str:
    """The company that runs the audit: Willems' anonymised company, named by chain and industry."""
    return f"Willems (2008) chain {chain.number}: {chain.industry}" if chain.industry else \
        f"Willems (2008) chain {chain.number}"


def import_chain(number: str, out: Path) -> tuple[Chain, Path, Run]:
    """Convert chain NN and import it into `out/willems-NN.yaml`."""
    chain, partners, flows = convert(number, out)
    supply = out / f"willems-{number}.yaml"
    run = require(import_tables(partners, flows, MAPPING, supply, company(chain)))
    return chain, supply, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chains", nargs="*", default=list(CHAINS), help="chain numbers (default: 01..38)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the tables, supply files and reports")
    parser.add_argument("--no-audit", action="store_true", help="import only")
    args = parser.parse_args(argv)
    print("chain  stages   arcs  yaml_kB  import_s  audit_s  exit  failing  score  rules")
    for number in args.chains:
        chain, supply, imported = import_chain(f"{int(number):02d}", args.out)
        line = f"{chain.number:>5} {chain.stages:>7} {chain.arcs:>6} {supply.stat().st_size / 1024:>8.0f} " \
               f"{imported.seconds:>9.2f}"
        if not args.no_audit:
            report = args.out / f"willems-{chain.number}.report.json"
            audited = require(audit(supply, report), (0, 1))
            data = json.loads(report.read_text(encoding="utf-8"))
            line += f" {audited.seconds:>8.2f} {audited.code:>5} {summary(data)}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
