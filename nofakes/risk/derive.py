"""Derive a risk profile from the DHS OHSS table of IPR seizures (public domain).

The raw table has one row per (fiscal year, product class, conveyance, origin) with the count
of seizure lines and their MSRP (the value had the goods been genuine). The profile keeps, per
product class of nofakes and overall, each origin's share of seizure lines and of MSRP, and per
shipping mode its share of lines, of MSRP and the MSRP per line. Only counts from the table go
in; every share is computed here, so a test can recompute the shipped file from the raw table.

Run: `python scripts/derive_risk_profile.py` (see its --help).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from nofakes.supply.countries import country_code

COLUMNS = ("FISCAL_YEAR", "PRODUCT", "CONVEYANCE", "ORIGIN", "COUNT_OF_LINES", "SUM_OF_MSRP")
UNKNOWN = "unknown"

# OHSS product classes grouped into the product classes a supply file's categories map to.
CLASSES: dict[str, tuple[str, ...]] = {
    "apparel": ("Clothing",),
    "bags": ("Purse/Wallets", "Luggage"),
    "drugs": ("Drug",),
    "electronics": ("Electronics", "Computer Chips", "Computer/Computer Parts", "Household Appliances",
                    "Office Equipment"),
    "footwear": ("Footwear",),
    "jewellery": ("Jewelry",),
    "media": ("Computer Software", "Movies Music Media"),
    "toys": ("Toys",),
    "watches": ("Watch",),
}
# Supply-file product categories (folded to lower case) that belong to each class.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "apparel": ("apparel", "clothing", "garments", "textiles", "sportswear", "fashion"),
    "bags": ("bags", "handbags", "leather-goods", "luggage", "purses", "wallets"),
    "drugs": ("drugs", "medicines", "pharmaceutical", "pharmaceuticals", "pharma", "medical-products"),
    "electronics": ("electronics", "electronic-component", "electronic-components", "semiconductors",
                    "computer-parts", "appliances", "consumer-electronics"),
    "footwear": ("footwear", "shoes"),
    "jewellery": ("jewellery", "jewelry"),
    "media": ("software", "media"),
    "toys": ("toys", "games"),
    "watches": ("watches",),
}
# OHSS conveyances by the shipping modes of the supply format; the rest (no transport, other) is left out.
MODES: dict[str, tuple[str, ...]] = {
    "courier": ("Express Consignment",),
    "postal": ("Mail",),
    "air": ("Commercial Air", "Private Aircraft"),
    "sea": ("Commercial Vessel", "Vessel"),
    "road": ("Auto", "Bus", "Commercial Truck", "Truck", "Van", "Motorcycle", "Pedestrian"),
    "rail": ("Train",),
}
# Origin names of the table that the ISO 3166-1 name table does not spell so.
ORIGIN_CODES: dict[str, str] = {
    "Baker Island": "UM", "Co-operative Republic of Guyana": "GY", "Commonwealth of Australia": "AU",
    "Commonwealth of Puerto Rico": "PR", "Coral Sea Islands Territory": "AU", "Democratic Republic of the Congo": "CD",
    "Gaza Strip": "PS", "Hong Kong Special Administrative Region": "HK", "Land Curacao": "CW",
    "Republic of Niger": "NE", "Republic of Rwanda": "RW", "Sint Maarten": "SX", "Socialist Republic of Vietnam": "VN",
    "Territory of Cocos (Keeling) Islands": "CC", "Territory of Guam": "GU", "US Minor Outlying Islands": "UM",
    "Union of Burma": "MM", "United States Virgin Islands": "VI", "Unknown": UNKNOWN,
}
MIN_LINES = 10  # an origin with fewer seizure lines in a class is not listed for it (too few to rank)

# The model's weights (points out of their sum) and the transit hubs: choices and a second source, not
# derived from the table; written into the profile so they are visible, selectable and overridable.
WEIGHTS: dict[str, tuple[int, str]] = {
    "origin": (30, "Where the partner is, by its share of seizure lines for the products it handles"),
    "undeclared_origin": (10, "The partner's country is not given (seizures of unknown origin are a signal)"),
    "transport": (15, "How goods reach the partner, by the mode's share of seizure lines (likelihood)"),
    "transport_value": (5, "How goods reach the partner, by the mode's seized value per line (impact)"),
    "transit": (10, "Goods reach the partner through a transit hub or a free-trade zone"),
    "channel": (20, "Open-market brokers, marketplace sellers and partners without a current authorization"),
    "incidents": (10, "The partner's own counterfeit or suspect-goods incidents"),
}
# Version 1.1.0 adds the gaps an audit finds (known only after its rules ran; 0 outside an audit).
GAPS_WEIGHT = (15, "The share of the partner's weighted checks that failed in the audit (0 outside an audit)")
RELEASES: dict[str, dict[str, tuple[int, str]]] = {"1.0.0": WEIGHTS, "1.1.0": {**WEIGHTS, "gaps": GAPS_WEIGHT}}
LATEST = "1.1.0"
HUBS = {"codes": ["HK", "AE", "SG", "PA", "AL", "EG", "UA", "MA"],
        "source": "OECD/EUIPO (2017), Mapping the Real Routes of Trade in Fake Goods: transit points in all "
                  "sectors (Hong Kong, United Arab Emirates, Singapore), Panama for the US; Albania, Egypt, "
                  "Ukraine and Morocco for the EU"}


@dataclass(frozen=True)
class Row:
    year: int
    product: str
    conveyance: str
    origin: str
    lines: int
    msrp: int


class TableError(ValueError):
    """The raw table does not have the expected layout."""


def read_table(path: Path) -> list[Row]:
    """The rows of the OHSS workbook (first sheet, header row first)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = tuple(next(rows, ()))
        if header[:len(COLUMNS)] != COLUMNS:
            raise TableError(f"{path}: the first row is {header!r}, expected the columns {', '.join(COLUMNS)}")
        return [Row(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]))
                for r in rows if r and r[0] is not None]
    finally:
        workbook.close()


def origin_code(name: str) -> str:
    code = ORIGIN_CODES.get(name) or country_code(name)
    if code is None:
        raise TableError(f"origin {name!r} is neither an ISO 3166-1 country name nor in ORIGIN_CODES")
    return code


def _shares(counts: Mapping[str, list[int]], minimum: int) -> dict[str, dict[str, float | int]]:
    lines = sum(c[0] for c in counts.values()) or 1
    msrp = sum(c[1] for c in counts.values()) or 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return {key: {"lines": c[0], "share_of_lines": round(c[0] / lines, 5), "share_of_value": round(c[1] / msrp, 5)}
            for key, c in ranked if c[0] >= minimum}


def derive(rows: Iterable[Row], *, source_file: str, sha256: str, version: str = LATEST) -> dict[str, Any]:
    """The profile as plain data (see `nofakes.risk.profile.Profile`), with the weights of `version`."""
    rows = list(rows)
    class_of = {ohss: name for name, members in CLASSES.items() for ohss in members}
    mode_of = {ohss: mode for mode, members in MODES.items() for ohss in members}
    by_class: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_mode: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        code = origin_code(row.origin)
        for name in ("all", class_of.get(row.product)):
            if name is not None:
                by_class[name][code][0] += row.lines
                by_class[name][code][1] += row.msrp
        mode = mode_of.get(row.conveyance)
        if mode is not None:
            by_mode[mode][0] += row.lines
            by_mode[mode][1] += row.msrp
    mode_lines = sum(c[0] for c in by_mode.values())
    mode_value = sum(c[1] for c in by_mode.values())
    years = sorted({r.year for r in rows})
    return {
        "profile": "ipr-seizures",
        "version": version,
        "title": f"Counterfeit seizures at the US border, fiscal years {years[0]}-{years[-1]}",
        "source": {
            "title": f"DHS Office of Homeland Security Statistics, IPR seizures FY{years[0]}-{years[-1]}",
            "publisher": "U.S. Department of Homeland Security, Office of Homeland Security Statistics",
            "licence": "public domain in the United States (17 U.S.C. 105)",
            "file": source_file, "sha256": sha256,
            "unit": "seizure line (one product type or brand within a seizure)",
        },
        "totals": {"lines": sum(r.lines for r in rows), "value": sum(r.msrp for r in rows), "rows": len(rows)},
        "caveat": ("Seizures reflect where customs looks as well as where fakes come from. This profile ranks "
                   "where to look first; it accuses nobody."),
        "weights": {name: {"points": points, "description": text}
                    for name, (points, text) in RELEASES[version].items()},
        "hubs": HUBS,
        "categories": {name: list(members) for name, members in CATEGORIES.items()},
        "origins": {name: _shares(by_class[name], MIN_LINES) for name in ("all", *CLASSES)},
        "modes": {mode: {"lines": c[0], "share_of_lines": round(c[0] / mode_lines, 5),
                         "share_of_value": round(c[1] / mode_value, 5), "value_per_line": round(c[1] / c[0])}
                  for mode, c in sorted(by_mode.items(), key=lambda kv: -kv[1][0])},
    }


def profile_text(path: Path, version: str = LATEST) -> str:
    """The profile file of `version` derived from the raw table at `path`, as YAML text."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    data = derive(read_table(path), source_file=path.name, sha256=digest, version=version)
    header = ("# Derived from the raw DHS OHSS table by scripts/derive_risk_profile.py: do not edit by hand.\n"
              "# Seizures show where customs looks as well as where fakes come from.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
