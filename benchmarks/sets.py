#!/usr/bin/env python3
""""No two marketplace sellers share a bank account": the quadratic formulation vs `unique`.

    python benchmarks/sets.py                          # 500, 1,000 and 2,000 sellers
    python benchmarks/sets.py --sizes 1000 10000 --no-quadratic

The quadratic formulation is the company rule of issue #9: `all_items` over `nodes` with a `count`
over `../nodes` comparing bank accounts. The pack loader now rejects it (nofakes.rules.cost); to
time what it cost, this script, and only this script, switches that check off. The linear one is
a node rule, `check: {unique: {field: attributes.bank_account}}`, one index per rule. The last two
sellers share an account (the quadratic rule stops at its first failing seller: this is its worst
case, and it names one of the two; `unique` names both). Times are the audit's 'rules' stage (compiling and evaluating), in seconds.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

import yaml

RULE = {"section": "s", "severity": "high", "message": "{company.name}: shared bank accounts", "remediation": "Fix."}
QUADRATIC = {**RULE, "id": "SET-QUA-001", "title": "No two sellers share a bank account (quadratic)",
             "target": "company", "check": {"all_items": {"field": "nodes", "where": {"any": [
                 {"field": "role", "not_equals": "seller"},
                 {"count": {"field": "../nodes", "lte": 1, "where": {"all": [
                     {"field": "role", "equals": "seller"},
                     {"field": "attributes.bank_account", "equals": {"ref": "../attributes.bank_account"}}]}}}]}}}}
LINEAR = {**RULE, "id": "SET-LIN-001", "title": "No two sellers share a bank account", "target": "node",
          "message": "{node.name} shares its bank account", "applies_to": {"role": ["seller"]},
          "check": {"unique": {"field": "attributes.bank_account"}}}


def supply(sellers: int) -> dict[str, Any]:
    nodes = [{"id": "mkt", "name": "Market", "role": "marketplace"}]
    nodes += [{"id": f"s{i}", "name": f"Seller {i}", "role": "seller",
               "attributes": {"bank_account": f"IBAN-{min(i, sellers - 2)}"}} for i in range(sellers)]
    return {"nofakes": "1", "as_of": "2026-11-01", "company": {"id": "mkt", "name": "Market"}, "nodes": nodes}


def measure(folder: Path, sellers: int, rule: dict[str, Any]) -> tuple[float, int]:
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import load_pack_file, resolve_file
    from nofakes.supply.loading import load_supply

    pack = folder / f"{rule['id']}.yaml"
    pack.write_text(yaml.safe_dump({"pack": "sets-bench", "version": "0.1.0", "title": "Sets benchmark",
                                    "sections": [{"id": "s", "title": "S"}], "rules": [rule]}), encoding="utf-8")
    path = folder / f"supply-{sellers}.yaml"
    if not path.exists():
        path.write_text(yaml.safe_dump(supply(sellers)), encoding="utf-8")
    loaded, packs = load_supply(path), [resolve_file(load_pack_file(pack))]
    timings: dict[str, float] = {}
    result = run_audit(loaded, packs, timings=timings)
    return timings["rules"], len(result.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--no-quadratic", action="store_true", help="time only the linear formulation")
    args = parser.parse_args()
    import nofakes.rules.quantifiers as quantifiers

    print(f"{'sellers':>8} {'quadratic s':>12} {'findings':>9} {'unique s':>9} {'findings':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for sellers in args.sizes:
            quadratic, quadratic_findings = "-", "-"
            if not args.no_quadratic:
                checked = quantifiers.graph_sized
                quantifiers.graph_sized = lambda compiler, path: None  # type: ignore[assignment]
                try:
                    seconds, found = measure(folder, sellers, QUADRATIC)
                finally:
                    quantifiers.graph_sized = checked
                quadratic, quadratic_findings = f"{seconds:.2f}", str(found)
            seconds, found = measure(folder, sellers, LINEAR)
            print(f"{sellers:>8} {quadratic:>12} {quadratic_findings:>9} {seconds:>9.3f} {found:>9}", flush=True)


if __name__ == "__main__":
    main()
