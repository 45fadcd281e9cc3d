"""The real-data converters of examples/real/: Willems (2008) chains and a slice of the USAID SCMS delivery
history go through `nofakes import` (with the committed mappings) to files that validate and audit, with
every stage, arc, site, vendor and country of the raw data accounted for.

The raw data is read from ../shared/data beside the checkout (or $NOFAKES_SHARED_DATA); the tests are
skipped when it is not there."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT, run
from nofakes.supply.loading import load_supply


def _script(name: str) -> ModuleType:
    path = ROOT / "examples" / "real" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"realdata_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


willems = _script("convert_willems")
scms = _script("convert_scms")
needs_willems = pytest.mark.skipif(not willems.SOURCE.is_dir(), reason=f"no Willems data at {willems.SOURCE}")
needs_scms = pytest.mark.skipif(not scms.SOURCE.is_file(), reason=f"no SCMS data at {scms.SOURCE}")
ROLES = {"Part": "supplier", "Parts": "supplier", "Manuf": "manufacturer", "Dist": "distributor",
         "Retail": "retailer", "Trans": "logistics"}


def _raw(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _audit_code(supply: Path, tmp_path: Path) -> tuple[int, dict[str, object]]:
    report = tmp_path / "report.json"
    run = willems.audit(supply, report)
    assert run.code in (0, 1), run.stderr
    return run.code, json.loads(report.read_text(encoding="utf-8"))


# chain 01 is the smallest; 16 has 28 blank stage rows; 19 spells one class "Parts"
@needs_willems
@pytest.mark.parametrize("number", ["01", "16", "19"])
def test_willems_chain_imports_validates_and_audits(number: str, tmp_path: Path) -> None:
    stages = [s for s in _raw(willems.SOURCE / f"{number}_SD.csv") if s["Stage Name"].strip()]
    arcs = _raw(willems.SOURCE / f"{number}_LL.csv")
    chain, supply, run = willems.import_chain(number, tmp_path)
    assert run.code == 0, run.stderr
    assert (chain.stages, chain.arcs) == (len(stages), len(arcs))
    document = load_supply(supply).document
    company = document.company.id
    nodes = {n.id: n for n in document.nodes if n.id != company}
    # every stage is one partner with the role of its class, and nothing else was added but the company
    assert len(document.nodes) == len(stages) + 1
    assert {n.id: n.role.value for n in nodes.values()} == \
        {s["Stage Name"].strip(): ROLES[s["stageClassification"].strip()] for s in stages}
    demand = {s["Stage Name"].strip() for s in stages if s["avgDemand"].strip()}
    assert {i for i, n in nodes.items() if n.attributes.get("customer_facing") == "yes"} == demand
    # every arc is one edge, in the direction of the material flow, of the kind its source class says
    assert Counter((e.from_, e.to) for e in document.edges) == \
        Counter((a["sourceStage"].strip(), a["destinationStage"].strip()) for a in arcs)
    assert all(e.kind.value == "ships" for e in document.edges if nodes[e.from_].role.value == "logistics")
    code, report = _audit_code(supply, tmp_path)
    assert report["coverage"]["partners"] == len(stages) + 1  # type: ignore[index]


@needs_willems
def test_willems_conversion_is_stable(tmp_path: Path) -> None:
    first = willems.import_chain("02", tmp_path / "a")[1].read_bytes()
    assert willems.import_chain("02", tmp_path / "b")[1].read_bytes() == first


@needs_scms
def test_scms_slice_imports_validates_and_audits(tmp_path: Path) -> None:
    lines = scms.read_lines(300)
    assert len(lines) == 300
    counts, supply, run = scms.import_scms(lines, tmp_path)
    assert run.code == 0, run.stderr
    sites = {r["Manufacturing Site"] for r in lines}
    vendors = {r["Vendor"] for r in lines}
    countries = {r["Country"] for r in lines}
    assert (counts.sites, counts.vendors, counts.countries) == (len(sites), len(vendors), len(countries))
    document = load_supply(supply).document
    assert len(document.nodes) == len(sites) + len(vendors) + len(countries) + 1  # and the company (SCMS)
    kinds = Counter(n.attributes["scms_kind"] for n in document.nodes if "scms_kind" in n.attributes)
    assert kinds["Manufacturing Site"] == len(sites)
    assert kinds["Destination Country"] == len(countries)
    assert all(n.country is not None for n in document.nodes if n.role.value == "customer")
    # the hops of the raw lines, each once; the middle hop is the RDC when the vendor is "SCMS from RDC"
    middle = {"SCMS from RDC": "Regional Distribution Centre"}
    hops = {(r["Manufacturing Site"], middle.get(r["Vendor"], r["Vendor"])) for r in lines} | \
        {(middle.get(r["Vendor"], r["Vendor"]), r["Country"]) for r in lines}
    assert len(document.edges) == counts.flows == len(hops)
    # volumes: every line is counted once on each of its two hops, and the value is kept
    into_countries = [e for e in document.edges if e.kind.value == "distributes"]
    assert sum(e.attributes["shipment_lines"] for e in into_countries) == 300  # type: ignore[misc]
    assert sum(e.attributes["line_item_quantity"] for e in into_countries) == \
        sum(int(r["Line Item Quantity"]) for r in lines)  # type: ignore[misc]
    assert sum(e.attributes["line_item_value_usd"] for e in into_countries) == \
        pytest.approx(sum(float(r["Line Item Value"]) for r in lines))  # type: ignore[misc]
    shares: Counter[str] = Counter()
    for edge in document.edges:
        shares[edge.to] += edge.share or 0.0
    assert all(total == pytest.approx(1.0, abs=1e-5) for total in shares.values())
    assert len(document.products) == len({r["Molecule/Test Type"] for r in lines})
    _audit_code(supply, tmp_path)


@needs_willems
@needs_scms
def test_committed_examples_are_what_the_converters_write(tmp_path: Path) -> None:
    """examples/real/*.yaml are the converters' output, byte for byte (regenerate them if this fails:
    see examples/real/README.md)."""
    committed = ROOT / "examples" / "real"
    for number in ("01", "08", "22"):
        made = willems.import_chain(number, tmp_path)[1]
        assert made.read_bytes() == (committed / made.name).read_bytes(), made.name
    made = scms.import_scms(scms.read_lines(), tmp_path)[1]
    assert made.read_bytes() == (committed / "scms.yaml").read_bytes()


@needs_willems
def test_all_38_willems_chains_import_and_audit(tmp_path: Path) -> None:
    """Every chain converts, imports with the committed mapping and audits (in-process, for speed), and the
    totals are the data set's: 15,872 stages and 43,589 arcs."""
    stages = arcs = 0
    for number in willems.CHAINS:
        chain, partners, flows = willems.convert(number, tmp_path)
        supply, report = tmp_path / f"{number}.yaml", tmp_path / f"{number}.json"
        code, _, err = run("import", str(partners), str(flows), "--map", str(willems.MAPPING),
                           "--company", willems.company(chain), "-o", str(supply))
        assert code == 0, (number, err)
        document = load_supply(supply).document
        assert (len(document.nodes), len(document.edges)) == (chain.stages + 1, chain.arcs), number
        code, _, err = run("audit", str(supply), "--as-of", "2026-11-01", "--format", "json", "-o", str(report))
        assert code in (0, 1), (number, err)
        stages, arcs = stages + chain.stages, arcs + chain.arcs
    assert (stages, arcs) == (15_872, 43_589)
