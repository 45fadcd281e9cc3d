"""USAID SCMS delivery history -> partner, flow and product tables -> `nofakes import` -> audit.

Source: USAID / PEPFAR Supply Chain Management System (SCMS), "Supply Chain Shipment Pricing Data",
delivery history 2006-2015, US-government open data (file SCMS_Delivery_History_Dataset_20150929.csv;
see the data set's PROVENANCE.txt).

Each shipment line runs manufacturing site -> vendor -> destination country; when "Fulfill Via" is
"From RDC" the vendor column reads "SCMS from RDC", so the line runs site -> the regional distribution
centre -> country. Partners are the distinct sites, vendors (the RDC among them) and countries; a flow
is one (from, to) pair with the lines over it summed: lines, quantity, value (USD), first and last
delivery, modes, INCO terms, products. `share` is the flow's part of the value its receiver gets.
Products are the molecules or test types. The committed `scms-mapping.yaml` maps the columns.

    python examples/real/convert_scms.py --out /tmp/scms                  # every line, with an audit
    python examples/real/convert_scms.py --rows 300 --out /tmp/scms-300   # the first 300 lines
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, HERE, Run, audit, nofakes, require, summary, write_csv  # noqa: E402

from nofakes.importing.values import slug  # noqa: E402

SOURCE = DATA / "scms" / "SCMS_Delivery_History_Dataset_20150929.csv"
MAPPING = HERE / "scms-mapping.yaml"
RDC_VENDOR = "SCMS from RDC"
# Product groups: antiretrovirals, antimalarials and artemisinin combinations are medicines; HIV and
# malaria rapid tests are diagnostics. All are health products whose fakes harm patients: critical.
CATEGORY = {"ARV": "pharmaceutical", "ANTM": "pharmaceutical", "ACT": "pharmaceutical",
            "HRDT": "diagnostic", "MRDT": "diagnostic"}


@dataclass
class Volume:
    """The shipment lines over one partner or one flow."""

    lines: int = 0
    quantity: int = 0
    value: float = 0.0
    dates: list[dt.date] = field(default_factory=list)
    modes: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)

    def add(self, line: dict[str, str], product: str) -> None:
        self.lines += 1
        self.quantity += int(line["Line Item Quantity"])
        self.value += float(line["Line Item Value"])
        if (day := delivered(line)) is not None:
            self.dates.append(day)
        self.modes.add(line["Shipment Mode"])
        self.terms.add(line["Vendor INCO Term"])
        self.products.add(product)
        self.via.add(line["Fulfill Via"])

    def span(self) -> tuple[str, str]:
        return (min(self.dates).isoformat(), max(self.dates).isoformat()) if self.dates else ("", "")


@dataclass(frozen=True)
class Counts:
    lines: int
    sites: int
    vendors: int  # the regional distribution centre counts as one
    countries: int
    flows: int
    products: int


def delivered(line: dict[str, str]) -> dt.date | None:
    """'Delivered to Client Date' (02-Jun-06) as a date."""
    try:
        return dt.datetime.strptime(line["Delivered to Client Date"], "%d-%b-%y").date()
    except ValueError:
        return None


def read_lines(rows: int | None = None) -> list[dict[str, str]]:
    """The delivery history's lines (the first `rows` of them, when given)."""
    with SOURCE.open(encoding="utf-8-sig", newline="") as handle:
        lines = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    return lines[:rows] if rows is not None else lines


def _joined(values: Iterable[str]) -> str:
    return "; ".join(sorted(v for v in values if v))


def convert(lines: list[dict[str, str]], out: Path) -> tuple[Counts, Path, Path, Path]:
    """Write partners, flows and products CSV tables for `lines` into `out`."""
    partners: dict[str, tuple[str, str, str]] = {}  # id -> (name, kind, country)
    ids: dict[tuple[str, str], str] = {}
    volumes: dict[str, Volume] = defaultdict(Volume)
    flows: dict[tuple[str, str], Volume] = defaultdict(Volume)
    products: dict[str, tuple[str, str, Volume]] = {}

    def partner(kind: str, name: str, prefix: str, country: str = "") -> str:
        if (kind, name) not in ids:
            ident = f"{prefix}-{slug(name)}"
            if ident in partners:
                raise SystemExit(f"two {kind} names make the id {ident}: rename one in the converter")
            ids[kind, name], partners[ident] = ident, (name, kind, country)
        return ids[kind, name]

    for line in lines:
        product = slug(line["Molecule/Test Type"])
        entry = products.setdefault(product, (line["Molecule/Test Type"], line["Product Group"], Volume()))
        entry[2].add(line, product)
        site = partner("Manufacturing Site", line["Manufacturing Site"], "site")
        if line["Vendor"] == RDC_VENDOR:
            vendor = partner("Regional Distribution Centre", "SCMS regional distribution centre", "rdc")
        else:
            vendor = partner("Vendor", line["Vendor"], "vendor")
        country = partner("Destination Country", line["Country"], "country", line["Country"])
        for hop in ((site, vendor), (vendor, country)):
            flows[hop].add(line, product)
        for ident in (site, vendor, country):
            volumes[ident].add(line, product)
    into: dict[str, float] = defaultdict(float)
    for (_, receiver), volume in flows.items():
        into[receiver] += volume.value
    out.mkdir(parents=True, exist_ok=True)
    paths = out / "scms-partners.csv", out / "scms-flows.csv", out / "scms-products.csv"
    write_csv(paths[0], ("ID", "Name", "Kind", "Country", "Partner Kind", "Shipment Lines", "First Delivery",
                         "Last Delivery"),
              ((i, name, kind, country, kind, volumes[i].lines, *volumes[i].span())
               for i, (name, kind, country) in sorted(partners.items())))
    write_csv(paths[1], ("From", "To", "Kind", "Products", "Share of Value", "Shipment Lines", "Quantity",
                         "Value USD", "Shipment Modes", "INCO Terms", "Fulfill Via", "First Delivery",
                         "Last Delivery"),
              ((a, b, "distributes" if partners[b][1] == "Destination Country" else "supplies", _joined(v.products),
                round(v.value / into[b], 6) if into[b] else "", v.lines, v.quantity, round(v.value, 2),
                _joined(v.modes), _joined(v.terms), _joined(v.via), *v.span())
               for (a, b), v in sorted(flows.items())))
    write_csv(paths[2], ("ID", "Name", "Category", "Critical", "Product Group", "Shipment Lines"),
              ((p, name, CATEGORY.get(group, ""), "yes", group, v.lines)
               for p, (name, group, v) in sorted(products.items())))
    kinds = [kind for _, kind, _ in partners.values()]
    counts = Counts(len(lines), kinds.count("Manufacturing Site"),
                    kinds.count("Vendor") + kinds.count("Regional Distribution Centre"),
                    kinds.count("Destination Country"), len(flows), len(products))
    return counts, *paths


def import_scms(lines: list[dict[str, str]], out: Path) -> tuple[Counts, Path, Run]:
    """Convert `lines` and import them into `out/scms.yaml`."""
    counts, partners, flows, products = convert(lines, out)
    supply = out / "scms.yaml"
    run = require(nofakes("import", str(partners), str(flows), "--products", str(products), "--map", str(MAPPING),
                          "-o", str(supply), "--force"))
    return counts, supply, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="only the first ROWS shipment lines")
    parser.add_argument("--out", type=Path, required=True, help="folder for the tables, supply file and report")
    args = parser.parse_args(argv)
    counts, supply, imported = import_scms(read_lines(args.rows), args.out)
    print(f"{counts}\nsupply file {supply}: {supply.stat().st_size / 1024:.0f} kB, import {imported.seconds:.2f} s")
    report = args.out / "scms.report.json"
    audited = require(audit(supply, report), (0, 1))
    print(f"audit {audited.seconds:.2f} s, exit {audited.code}; failing, score, rules scored: "
          f"{summary(json.loads(report.read_text(encoding='utf-8')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
