#!/usr/bin/env python3
"""Generate realistic multi-tier supply-chain graphs (nofakes format "1") for benchmarks.

Usage::

    python benchmarks/generate.py --nodes 10000 --format yaml --seed 1 -o supply-10k.yaml
    python benchmarks/generate.py --nodes 1000000 --format json -o supply-1m.json
    python benchmarks/generate.py --print-profile        # the topology profile in use, as JSON

or from Python::

    from benchmarks.generate import generate, write
    doc = generate(10_000, seed=1)          # plain dict, dates are datetime.date
    write(doc, Path("supply.yaml"), "yaml")

Only the standard library and PyYAML are needed.

Topology and its source
-----------------------
The echelon structure (how many stages, which share of partners sits in which tier, how many
suppliers feed a manufacturer, how many sources a distributor or a retailer has, how many
receivers a logistics provider serves) is derived from

    S. P. Willems (2008), "Data Set: Real-World Multi-Echelon Supply Chains Used for
    Inventory Optimization", Manufacturing & Service Operations Management 10(1):19-23,
    doi:10.1287/msom.1070.0176.

The data are open to all researchers who cite that paper. The generator reads the per-chain
CSV export of the paper's workbook (``NN_SD.csv`` stage lists, ``NN_LL.csv`` arc lists, chains
01-38; the toy chain 00 is not part of the paper and is skipped) from
``../shared/data/willems2008/csv/`` next to the repository (or ``--willems-dir``, or the
environment variable ``NOFAKES_WILLEMS_DIR``). Every chain is weighted equally (each is a
different company), and from the 38 chains it derives:

* the share of stages per class (Part, Manuf, Dist, Retail, Trans): the shares of upstream
  partners (suppliers and manufacturers), distribution partners, demand points (retailers,
  sellers, customers) and logistics providers;
* supply tiers: the longest production path from every Part/Manuf stage to its final
  manufacturing stage (transport stages are transparent) gives tiers 1-4, and per tier the
  split between manufacturing stages (contract manufacturers) and procurement stages (suppliers);
* distribution echelons: the number of Dist stages between production and each Dist and Retail
  stage gives distributor/wholesaler levels 1-3 and the level retailers, sellers and customers
  buy from;
* fan-in: the in-degree distributions of Manuf, Dist and Retail stages (capped at 30) give the
  number of upstream partners each manufacturer, distributor and demand point has;
* fan-out: the out-degree distribution of Trans stages (receivers per logistics provider) and
  of Dist stages (customers per broker).

The derived profile is rounded to 4 decimals. ``BUILTIN_PROFILE`` below is the same profile
derived once from the same files, so the generator also runs where ``../shared`` is absent
(a CI machine) and produces the same graph for the same seed either way.

What the data set does not describe is built in and documented next to the constants: the role
mix inside each class (brokers, importers, marketplaces and their sellers, test labs,
recyclers), marketplace sellers buying one echelon further downstream than Willems' demand
points, the gray-market edges (brokers buying excess stock from distributors and selling into
contract manufacturers, unauthorized distributors and sellers; recyclers reselling), returns
(reversed sales, which make cycles), subcontracting, countries and transit hubs, and the
compliance evidence of every partner with a realistic share of gaps (expired certificates, old
or failed audits, missing contract clauses, unauthorized or expired authorizations, missing
documents on edges), all relative to ``as_of`` 2026-11-01 and deterministic for a seed
(``random.Random(seed)``). benchmarks/README.md lists the rates.

The generator makes no use of the USAID SCMS delivery history in ../shared/data/scms/.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import gc
import json
import math
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml emitter when available (much faster); same output otherwise
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

AS_OF = dt.date(2026, 11, 1)
BRAND_ID = "acme"
MIN_NODES = 30

WILLEMS_CITATION = (
    'S. P. Willems (2008), "Data Set: Real-World Multi-Echelon Supply Chains Used for Inventory '
    'Optimization", Manufacturing & Service Operations Management 10(1):19-23, doi:10.1287/msom.1070.0176'
)
CLASSES = ("Part", "Manuf", "Dist", "Retail", "Trans")
DEGREE_CAP = 30  # Willems chain 38 has Manuf stages with hundreds of inputs; keep the tail bounded


# =============================================================== topology profile (Willems 2008)


def default_willems_dir() -> Path:
    """``$NOFAKES_WILLEMS_DIR`` or ``<repo>/../shared/data/willems2008/csv``."""
    env = os.environ.get("NOFAKES_WILLEMS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "willems2008" / "csv"


def _read_chain(sd_path: Path, ll_path: Path) -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    cls: dict[str, str] = {}
    with sd_path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("Stage Name") or "").strip()
            kind = (row.get("stageClassification") or "").strip()
            if kind == "Parts":  # chain 19 spells one class "Parts"
                kind = "Part"
            if name and kind in CLASSES:
                cls[name] = kind
    succ: dict[str, list[str]] = {s: [] for s in cls}
    pred: dict[str, list[str]] = {s: [] for s in cls}
    seen: set[tuple[str, str]] = set()
    with ll_path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            a = (row.get("sourceStage") or "").strip()
            b = (row.get("destinationStage") or "").strip()
            if a in cls and b in cls and a != b and (a, b) not in seen:
                seen.add((a, b))
                succ[a].append(b)
                pred[b].append(a)
    return cls, succ, pred


def _topological(cls: dict[str, str], succ: dict[str, list[str]], pred: dict[str, list[str]]) -> list[str]:
    indeg = {s: len(pred[s]) for s in cls}
    order = [s for s in cls if indeg[s] == 0]
    i = 0
    while i < len(order):
        for t in succ[order[i]]:
            indeg[t] -= 1
            if indeg[t] == 0:
                order.append(t)
        i += 1
    if len(order) < len(cls):  # not expected (the chains are acyclic): keep going best-effort
        placed = set(order)
        order.extend(s for s in cls if s not in placed)
    return order


def _normalise(acc: dict, chains: int, digits: int = 4) -> dict:
    out = {}
    for k in sorted(acc):
        v = round(acc[k] / chains, digits) if chains else 0.0
        if v > 0:
            out[k] = v
    return out


def derive_profile(csv_dir: Path) -> dict[str, Any]:
    """Derive the topology profile from the Willems (2008) CSV files in ``csv_dir``."""
    sd_files = sorted(p for p in Path(csv_dir).glob("[0-9][0-9]_SD.csv") if p.name[:2] != "00")
    if not sd_files:
        raise FileNotFoundError(f"no NN_SD.csv files in {csv_dir}")
    n_chains = n_stages = n_arcs = 0
    class_acc: dict[str, float] = defaultdict(float)
    tier_acc: dict[tuple[int, str], float] = defaultdict(float)
    dist_acc: dict[int, float] = defaultdict(float)
    retail_acc: dict[int, float] = defaultdict(float)
    indeg_acc: dict[str, dict[int, float]] = {c: defaultdict(float) for c in ("Manuf", "Dist", "Retail")}
    outdeg_acc: dict[str, dict[int, float]] = {c: defaultdict(float) for c in ("Trans", "Dist")}
    have: dict[str, int] = defaultdict(int)  # chains that contribute to each statistic
    production = {"Part", "Manuf"}
    for sd in sd_files:
        ll = sd.with_name(sd.name[:2] + "_LL.csv")
        if not ll.exists():
            continue
        cls, succ, pred = _read_chain(sd, ll)
        if not cls:
            continue
        n_chains += 1
        n_stages += len(cls)
        n_arcs += sum(len(v) for v in succ.values())
        for c in cls.values():
            class_acc[c] += 1 / len(cls)
        order = _topological(cls, succ, pred)
        # supply tiers: longest production path to the final manufacturing stage
        up: dict[str, int | None] = {}
        for s in reversed(order):
            vals = [up[t] for t in succ[s] if cls[t] in production or cls[t] == "Trans"]
            vals = [v for v in vals if v is not None]
            if cls[s] == "Trans":
                up[s] = max(vals) if vals else None
            elif cls[s] in production:
                up[s] = max(vals) + 1 if vals else 0
            else:
                up[s] = None
        pm = [s for s in cls if cls[s] in production]
        if pm:
            have["tier"] += 1
            for s in pm:
                tier_acc[(min(up[s] + 1, 4), cls[s])] += 1 / len(pm)  # type: ignore[operator]
        # distribution echelons: Dist/Retail stages between production and the stage
        down: dict[str, int] = {}
        for s in order:
            base = max((down[p] for p in pred[s]), default=0)
            c = cls[s]
            down[s] = 0 if c in production else base if c == "Trans" else base + 1
        for c, acc, key in (("Dist", dist_acc, "dist"), ("Retail", retail_acc, "retail")):
            stages = [s for s in cls if cls[s] == c]
            if stages:
                have[key] += 1
                for s in stages:
                    acc[min(max(down[s], 1), 3)] += 1 / len(stages)
        for c, acc in indeg_acc.items():
            stages = [s for s in cls if cls[s] == c and pred[s]]
            if stages:
                have["in" + c] += 1
                for s in stages:
                    acc[min(len(pred[s]), DEGREE_CAP)] += 1 / len(stages)
        for c, acc in outdeg_acc.items():
            stages = [s for s in cls if cls[s] == c and succ[s]]
            if stages:
                have["out" + c] += 1
                for s in stages:
                    acc[min(len(succ[s]), DEGREE_CAP)] += 1 / len(stages)
    tiers: dict[int, dict[str, float]] = {}
    for (t, c), v in sorted(tier_acc.items()):
        share = round(v / have["tier"], 4)
        if share > 0:
            tiers.setdefault(t, {})[c] = share
    return {
        "source": "willems2008",
        "chains": n_chains,
        "stages": n_stages,
        "arcs": n_arcs,
        "class_share": {c: round(class_acc[c] / n_chains, 4) for c in CLASSES},
        "tier_share": tiers,
        "dist_levels": _normalise(dist_acc, have["dist"]),
        "retail_levels": _normalise(retail_acc, have["retail"]),
        "in_degree": {c: _normalise(acc, have["in" + c]) for c, acc in indeg_acc.items()},
        "out_degree": {c: _normalise(acc, have["out" + c]) for c, acc in outdeg_acc.items()},
    }


# derive_profile() of the 38 Willems chains, kept so that the generator runs without the data
# (and makes the same graph); tests/benchmarks can compare it with a fresh derivation.
BUILTIN_PROFILE: dict[str, Any] = {
    'source': 'willems2008',
    'chains': 38,
    'stages': 15872,
    'arcs': 43589,
    'class_share': {'Part': 0.3214, 'Manuf': 0.2338, 'Dist': 0.1505, 'Retail': 0.1807, 'Trans': 0.1137},
    'tier_share': {
        1: {'Manuf': 0.3155, 'Part': 0.0342},
        2: {'Manuf': 0.1115, 'Part': 0.3656},
        3: {'Manuf': 0.0349, 'Part': 0.1063},
        4: {'Manuf': 0.0054, 'Part': 0.0266},
    },
    'dist_levels': {1: 0.8553, 2: 0.1333, 3: 0.0114},
    'retail_levels': {1: 0.7188, 2: 0.2769, 3: 0.0043},
    'in_degree': {
        'Manuf': {1: 0.244, 2: 0.0986, 3: 0.1307, 4: 0.0962, 5: 0.072, 6: 0.0633, 7: 0.0185, 8: 0.018, 9: 0.028, 10: 0.0558, 11: 0.0205, 12: 0.0089, 13: 0.0042, 14: 0.0069, 15: 0.0068, 16: 0.0044, 17: 0.0015, 18: 0.0015, 19: 0.0026, 20: 0.0014, 21: 0.0032, 22: 0.0023, 23: 0.0084, 24: 0.0012, 25: 0.0072, 26: 0.0012, 27: 0.0031, 28: 0.0011, 29: 0.0016, 30: 0.0867},
        'Dist': {1: 0.8958, 5: 0.0027, 6: 0.0215, 7: 0.0177, 8: 0.0158, 9: 0.0121, 10: 0.0125, 11: 0.0089, 12: 0.0071, 13: 0.0008, 14: 0.0002, 15: 0.0015, 20: 0.0035},
        'Retail': {1: 0.8498, 2: 0.0313, 3: 0.0512, 4: 0.0112, 5: 0.0032, 6: 0.0005, 7: 0.0021, 8: 0.004, 9: 0.0005, 10: 0.0029, 13: 0.0016, 14: 0.0016, 30: 0.04},
    },
    'out_degree': {
        'Trans': {1: 0.6817, 2: 0.0834, 3: 0.0626, 4: 0.0126, 5: 0.0063, 6: 0.0492, 7: 0.013, 8: 0.0141, 9: 0.0023, 10: 0.0206, 12: 0.0065, 20: 0.0002, 30: 0.0476},
        'Dist': {1: 0.3707, 2: 0.2406, 3: 0.0851, 4: 0.1235, 5: 0.0056, 6: 0.0063, 7: 0.0049, 8: 0.0395, 9: 0.0336, 10: 0.0014, 11: 0.0222, 19: 0.0667},
    },
}


def load_profile(csv_dir: Path | None = None) -> tuple[dict[str, Any], str]:
    """The profile derived from the Willems CSV files when present, else the built-in copy."""
    path = Path(csv_dir) if csv_dir is not None else default_willems_dir()
    if path.is_dir() and any(path.glob("[0-9][0-9]_SD.csv")):
        return derive_profile(path), f"derived from {path}"
    if csv_dir is not None:
        raise FileNotFoundError(f"no Willems CSV files in {path}")
    return BUILTIN_PROFILE, "built-in copy (Willems CSV folder not found)"


# =============================================================== built-in vocabulary and mixes

# Role mix inside each Willems class (not in the data set).
TIER1_MANUF_MIX = (("manufacturer", 0.30), ("licensee", 0.05), ("contract_manufacturer", 0.65))
DIST_MIX = (
    ("importer", 0.10),
    ("distributor", 0.55),
    ("wholesaler", 0.24),
    ("broker", 0.07),
    ("recycler", 0.02),
    ("test_lab", 0.02),
)
RETAIL_MIX = (("marketplace", 0.005), ("seller", 0.45), ("retailer", 0.35), ("customer", 0.195))

ABBR = {
    "brand_owner": "bo", "manufacturer": "mfr", "contract_manufacturer": "cm", "supplier": "sup",
    "licensee": "lic", "distributor": "dst", "broker": "brk", "wholesaler": "whs", "logistics": "lsp",
    "importer": "imp", "marketplace": "mkt", "seller": "slr", "retailer": "ret", "customer": "cus",
    "test_lab": "lab", "recycler": "rcy",
}

# country -> (region, cities, legal suffixes)
COUNTRY_INFO: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "CN": ("APAC", ("Shenzhen", "Dongguan", "Suzhou", "Ningbo", "Xiamen", "Shanghai", "Guangzhou"), ("Co., Ltd.", "Technology Co., Ltd.", "Industrial Co., Ltd.")),
    "TW": ("APAC", ("Taipei", "Taoyuan", "Hsinchu", "Taichung"), ("Co., Ltd.", "Corp.")),
    "VN": ("APAC", ("Hanoi", "Ho Chi Minh City", "Bac Ninh", "Hai Phong"), ("JSC", "Co., Ltd.")),
    "IN": ("APAC", ("Pune", "Chennai", "Bengaluru", "Noida", "Ahmedabad"), ("Pvt. Ltd.", "Ltd.")),
    "MY": ("APAC", ("Penang", "Johor Bahru", "Kuala Lumpur"), ("Sdn. Bhd.",)),
    "TH": ("APAC", ("Bangkok", "Rayong", "Chonburi"), ("Co., Ltd.",)),
    "JP": ("APAC", ("Osaka", "Nagoya", "Yokohama", "Tokyo"), ("K.K.", "Co., Ltd.")),
    "KR": ("APAC", ("Suwon", "Incheon", "Busan", "Seoul"), ("Co., Ltd.", "Corp.")),
    "SG": ("APAC", ("Singapore",), ("Pte. Ltd.",)),
    "HK": ("APAC", ("Hong Kong", "Kowloon"), ("Limited", "Trading Limited")),
    "PH": ("APAC", ("Manila", "Cebu"), ("Inc.",)),
    "AU": ("APAC", ("Sydney", "Melbourne", "Brisbane"), ("Pty Ltd",)),
    "US": ("NA", ("Austin", "Chicago", "Newark", "Memphis", "Atlanta", "Los Angeles", "Columbus", "Dallas", "Reno"), ("Inc.", "LLC", "Corp.")),
    "CA": ("NA", ("Toronto", "Mississauga", "Vancouver", "Montréal"), ("Inc.", "Ltd.")),
    "MX": ("LATAM", ("Monterrey", "Tijuana", "Guadalajara", "Querétaro"), ("S.A. de C.V.",)),
    "BR": ("LATAM", ("São Paulo", "Campinas", "Curitiba", "Manaus"), ("Ltda.", "S.A.")),
    "PA": ("LATAM", ("Colón", "Panamá"), ("S.A.",)),
    "DE": ("EU", ("Stuttgart", "München", "Nürnberg", "Hamburg", "Düsseldorf", "Frankfurt"), ("GmbH", "AG", "GmbH & Co. KG")),
    "GB": ("EU", ("Leeds", "Birmingham", "Manchester", "London", "Milton Keynes"), ("Ltd", "plc")),
    "FR": ("EU", ("Lyon", "Lille", "Toulouse", "Paris"), ("SAS", "SA")),
    "IT": ("EU", ("Milano", "Torino", "Bologna"), ("S.r.l.", "S.p.A.")),
    "ES": ("EU", ("Barcelona", "Madrid", "Valencia"), ("S.L.", "S.A.")),
    "NL": ("EU", ("Rotterdam", "Eindhoven", "Venlo", "Tilburg"), ("B.V.",)),
    "BE": ("EU", ("Antwerpen", "Liège", "Gent"), ("NV", "BV")),
    "PL": ("EU", ("Wrocław", "Poznań", "Łódź"), ("Sp. z o.o.",)),
    "CZ": ("EU", ("Brno", "Plzeň"), ("s.r.o.",)),
    "TR": ("MEA", ("İstanbul", "Bursa", "İzmir"), ("A.Ş.", "Ltd. Şti.")),
    "AE": ("MEA", ("Dubai", "Jebel Ali", "Sharjah"), ("FZE", "LLC", "FZCO")),
    "ZA": ("MEA", ("Johannesburg", "Durban", "Cape Town"), ("(Pty) Ltd",)),
    "SA": ("MEA", ("Riyadh", "Jeddah", "Dammam"), ("LLC",)),
    "NG": ("MEA", ("Lagos", "Abuja"), ("Ltd",)),
    "EG": ("MEA", ("Cairo", "Alexandria"), ("S.A.E.",)),
}

_UPSTREAM_CC = {"CN": 30, "TW": 6, "VN": 7, "IN": 8, "MY": 4, "TH": 4, "MX": 6, "US": 9, "DE": 6, "JP": 5, "KR": 4, "PL": 3, "IT": 2, "TR": 2, "BR": 1, "CZ": 1, "PH": 1, "FR": 1}
_MARKET_CC = {"US": 28, "DE": 7, "GB": 7, "FR": 5, "JP": 5, "CA": 4, "AU": 3, "IT": 4, "ES": 4, "NL": 3, "BR": 3, "IN": 4, "MX": 3, "PL": 2, "AE": 2, "SG": 2, "KR": 2, "CN": 5, "BE": 1, "ZA": 1, "SA": 1, "TR": 1, "NG": 1, "EG": 1}
COUNTRY_MIX: dict[str, dict[str, int]] = {
    "supplier": _UPSTREAM_CC, "contract_manufacturer": _UPSTREAM_CC, "manufacturer": _UPSTREAM_CC,
    "licensee": {"US": 4, "DE": 2, "GB": 2, "JP": 2, "IN": 3, "BR": 2, "MX": 2, "CN": 3, "TR": 1, "ZA": 1},
    "distributor": _MARKET_CC, "wholesaler": _MARKET_CC, "retailer": _MARKET_CC, "customer": _MARKET_CC,
    "importer": {"US": 20, "CA": 6, "GB": 8, "DE": 8, "FR": 6, "JP": 6, "AU": 5, "BR": 5, "MX": 5, "IN": 5, "IT": 4, "ES": 4, "KR": 3, "ZA": 2, "SA": 2, "AE": 2, "TR": 2, "PL": 2, "NG": 1, "EG": 1},
    "broker": {"HK": 20, "CN": 20, "US": 20, "SG": 8, "AE": 8, "GB": 5, "DE": 3, "TW": 5, "IN": 4, "NL": 2, "TR": 2, "KR": 2},
    "logistics": {"US": 20, "NL": 8, "DE": 8, "CN": 10, "SG": 6, "HK": 6, "AE": 5, "BE": 4, "GB": 5, "JP": 3, "MX": 3, "PA": 2, "FR": 3, "IN": 3, "BR": 2, "ES": 2, "PL": 2, "CA": 2, "AU": 2, "MY": 2},
    "seller": {"CN": 35, "US": 30, "HK": 6, "GB": 5, "DE": 5, "IN": 3, "TR": 2, "JP": 2, "CA": 2, "FR": 2, "ES": 2, "IT": 2, "AU": 1, "BR": 1, "VN": 1, "AE": 1},
    "marketplace": {"US": 40, "CN": 20, "GB": 8, "DE": 8, "JP": 8, "SG": 4, "IN": 6, "BR": 4, "FR": 4},
    "test_lab": {"US": 5, "DE": 2, "GB": 2, "CN": 2, "SG": 1, "JP": 1, "FR": 1},
    "recycler": {"CN": 4, "US": 3, "IN": 2, "NG": 1, "DE": 1, "HK": 1, "MY": 1, "GB": 1},
}
COUNTRY_CHOICE = {role: tuple(mix.items()) for role, mix in COUNTRY_MIX.items()}
US_STATES = ("NJ", "NY", "CA", "TX", "FL", "IL", "PA", "OH", "GA", "NC", "TN", "NV", "AZ", "WA", "MA")
TRANSIT_HUBS = ("HK", "SG", "AE", "NL", "BE", "PA", "DE", "MY")

_ADJ = ("Precision", "Advanced", "United", "Golden", "Pacific", "Eastern", "Prime", "Delta", "Apex", "Sun",
        "Nova", "Allied", "Star", "Everbright", "Hi-Tech", "Summit", "Crown", "Atlas", "Orient", "Northstar")
ROLE_WORDS = {
    "supplier": ("Components", "Plastics", "Metal Works", "Packaging", "Electronics", "Chemicals", "Circuits",
                 "Materials", "Textiles", "Magnetics", "Cable", "Die Casting", "Glass", "Polymers", "Printing",
                 "Labels", "Fasteners", "Resins", "Fine Chemicals", "Excipients"),
    "contract_manufacturer": ("Electronics Manufacturing", "Contract Manufacturing", "Assembly", "Industries",
                              "Manufacturing", "Pharma Manufacturing", "Molding", "Technologies", "EMS"),
    "manufacturer": ("Manufacturing", "Industries", "Works", "Products", "Semiconductor", "Laboratories"),
    "licensee": ("Brands", "Licensing", "Consumer Products", "Products"),
    "distributor": ("Distribution", "Supply", "Components", "Electronics Distribution", "Pharma Distribution",
                    "Industrial Supply", "Medical Supply"),
    "wholesaler": ("Wholesale", "Cash & Carry", "Trade", "Pharma Wholesale", "Merchandise"),
    "broker": ("Components Trading", "Electronics Sourcing", "Global Parts", "Trading", "Surplus", "Excess Inventory"),
    "logistics": ("Logistics", "Freight", "Forwarding", "Cargo", "Warehousing", "3PL", "Express"),
    "importer": ("Imports", "Import & Export", "International Trading", "Brands"),
    "retailer": ("Stores", "Pharmacy", "Electronics", "Retail", "Department Stores", "Home Center", "Outlet"),
    "customer": ("Hospital", "Medical Center", "Aerospace", "Motors", "Power Systems", "Government Procurement",
                 "University", "Clinic", "Airline MRO", "Robotics"),
    "test_lab": ("Test Laboratories", "Component Testing", "Analytical Labs"),
    "recycler": ("E-Waste Recycling", "Recycling", "Asset Recovery"),
}
_SELLER_A = ("Best", "Top", "Smart", "Happy", "Value", "Mega", "Prime", "Lucky", "Super", "Eco", "Zen", "Daily", "Brite", "Quick")
_SELLER_B = ("Deals", "Gadget", "Buy", "Mart", "Shop", "Goods", "Tech", "Home", "Style", "Store", "Supply", "Trend")
_SELLER_C = ("Store", "Shop", "Outlet", "Direct", "Official", "Online", "Trading")
MARKETPLACE_NAMES = ("ShopSphere", "BazaarHub", "MarketNest", "TradeLoop", "Cartwheel", "Souk Online", "DealDock",
                     "Basketry", "OpenStall", "Agora Market", "Pazar Plus", "MercadoUno")

# (category, id prefix, weight, probability of being critical, product nouns, HS code)
CATEGORIES = (
    ("electronics", "el", 0.26, 0.05, ("Amplifier", "Wireless Headphones", "USB-C Charger", "Smart Speaker", "Wi-Fi Router", "Action Camera", "Soundbar", "Smartwatch"), "8518.40"),
    ("semiconductors", "ic", 0.06, 0.5, ("Microcontroller", "Power MOSFET", "FPGA", "DC-DC Converter", "Memory Module"), "8542.31"),
    ("batteries", "bt", 0.07, 0.6, ("Li-ion Battery Pack", "Power Bank", "Coin Cell", "E-bike Battery"), "8507.60"),
    ("medical_devices", "md", 0.08, 0.8, ("Blood Glucose Meter", "Pulse Oximeter", "Infusion Set", "Surgical Stapler"), "9018.90"),
    ("pharmaceutical", "rx", 0.08, 0.9, ("Amoxicillin 500 mg", "Insulin Glargine Pen", "Atorvastatin 20 mg", "Oncology Injectable"), "3004.90"),
    ("cosmetics", "cs", 0.12, 0.02, ("Face Serum", "Eau de Parfum 50 ml", "Sunscreen SPF50", "Lipstick"), "3304.99"),
    ("power_tools", "pt", 0.09, 0.1, ("Cordless Drill", "Angle Grinder", "Impact Driver", "Circular Saw"), "8467.21"),
    ("toys", "ty", 0.07, 0.15, ("Building Set", "RC Car", "Plush Toy", "Baby Monitor"), "9503.00"),
    ("aircraft_parts", "ac", 0.04, 0.95, ("Turbine Blade", "Fuel Pump", "Bearing Assembly", "Hydraulic Valve"), "8411.91"),
    ("auto_parts", "ap", 0.09, 0.5, ("Brake Pads", "Airbag Module", "Oil Filter", "Spark Plug"), "8708.30"),
    ("farm_machinery", "fm", 0.04, 0.2, ("Hydraulic Filter", "Tractor Belt", "Seed Meter"), "8432.90"),
)
AUTH_FEATURES = ("hologram", "serialized-qr", "rfid", "taggant", "tamper-evident-seal", "covert-ink", "2d-datamatrix", "nfc-tag")

# standard -> (id prefix, has expiry)
CERT_STANDARDS = {
    "ISO 9001": ("QMS", True), "ISO 14001": ("EMS", True), "ISO 45001": ("OHS", True), "IATF 16949": ("IATF", True),
    "ISO 13485": ("MD", True), "AS9100": ("AS", True), "AS9120": ("AS", True), "AS6081": ("AS", True),
    "ANSI/ESD S20.20": ("ESD", True), "EU GDP": ("GDP", True), "NABP DDA": ("DDA", True), "ISO 28000": ("SCS", True),
    "TAPA FSR": ("TAPA", True), "AEO": ("AEOF", False), "C-TPAT": ("CT", False), "ISO/IEC 17025": ("LAB", True),
    "AS6171": ("AS", True), "R2v3": ("R2", True), "e-Stewards": ("ES", True), "ISO/IEC 27001": ("ISMS", True),
}
CERT_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "brand_owner": (("ISO 9001", 1.0), ("ISO 14001", 1.0), ("ISO 28000", 1.0), ("C-TPAT", 1.0)),
    "supplier": (("ISO 9001", 0.75), ("ISO 14001", 0.35), ("IATF 16949", 0.12), ("ISO 13485", 0.05), ("AS9100", 0.04)),
    "contract_manufacturer": (("ISO 9001", 0.95), ("ISO 14001", 0.5), ("IATF 16949", 0.2), ("ISO 13485", 0.18), ("AS9100", 0.1), ("ANSI/ESD S20.20", 0.2)),
    "manufacturer": (("ISO 9001", 0.97), ("ISO 14001", 0.6), ("ISO 45001", 0.3), ("ISO 13485", 0.2), ("AS9100", 0.1)),
    "licensee": (("ISO 9001", 0.8), ("ISO 14001", 0.3)),
    "distributor": (("ISO 9001", 0.85), ("AS9120", 0.3), ("AS6081", 0.15), ("ANSI/ESD S20.20", 0.25), ("EU GDP", 0.1)),
    "wholesaler": (("ISO 9001", 0.6), ("EU GDP", 0.3), ("NABP DDA", 0.15)),
    "broker": (("ISO 9001", 0.55), ("AS6081", 0.35), ("AS9120", 0.25), ("ANSI/ESD S20.20", 0.2)),
    "logistics": (("ISO 9001", 0.6), ("ISO 28000", 0.3), ("TAPA FSR", 0.4), ("AEO", 0.3), ("C-TPAT", 0.25)),
    "importer": (("AEO", 0.4), ("C-TPAT", 0.35), ("ISO 9001", 0.4)),
    "test_lab": (("ISO/IEC 17025", 0.95), ("AS6171", 0.5), ("ISO 9001", 0.5)),
    "recycler": (("R2v3", 0.5), ("e-Stewards", 0.3), ("ISO 14001", 0.5)),
    "retailer": (("ISO 9001", 0.1),),
    "marketplace": (("ISO/IEC 27001", 0.6),),
    "seller": (),
    "customer": (("ISO 9001", 0.15),),
}
CERT_BODIES = ("TÜV SÜD", "SGS", "Bureau Veritas", "DNV", "Intertek", "BSI", "DEKRA", "LRQA", "UL Solutions", "NQA", "TÜV Rheinland")
SHADY_BODIES = ("Global Quality Cert Ltd", "International Standards Registrar", "QualityFirst Certification")
AUDITORS = ("internal", "internal", "SGS", "Bureau Veritas", "Intertek", "TÜV SÜD", "QIMA", "UL Solutions")

MANUFACTURING = frozenset({"supplier", "contract_manufacturer", "manufacturer", "licensee"})
# probability that a partner of this role has a contract with the brand owner (or its tier-1 partner)
CONTRACT_P = {
    "manufacturer": 0.95, "contract_manufacturer": 0.97, "licensee": 1.0, "supplier": 0.85,
    "distributor": 0.9, "wholesaler": 0.6, "importer": 0.95, "broker": 0.3, "logistics": 0.85,
    "marketplace": 0.6, "seller": 0.15, "retailer": 0.5, "customer": 0.2, "test_lab": 0.8, "recycler": 0.8,
}
AUDIT_P = {  # probability of having any audit on file
    "manufacturer": 0.95, "contract_manufacturer": 0.95, "licensee": 0.85, "supplier": 0.7, "distributor": 0.7,
    "wholesaler": 0.5, "importer": 0.6, "broker": 0.5, "logistics": 0.6, "marketplace": 0.2, "seller": 0.05,
    "retailer": 0.2, "customer": 0.02, "test_lab": 0.7, "recycler": 0.6,
}
DD_P = {  # probability of a documented due-diligence check
    "manufacturer": 0.9, "contract_manufacturer": 0.9, "licensee": 0.95, "supplier": 0.75, "distributor": 0.9,
    "wholesaler": 0.85, "importer": 0.9, "broker": 0.7, "logistics": 0.8, "marketplace": 0.9, "seller": 0.6,
    "retailer": 0.7, "customer": 0.3, "test_lab": 0.85, "recycler": 0.8,
}
INCIDENT_P = {"broker": 0.06, "seller": 0.02, "recycler": 0.03, "distributor": 0.008, "wholesaler": 0.008, "retailer": 0.006}
DD_METHODS = ("questionnaire", "site visit", "registry check", "KYC", "credit report", "reference check")


# =============================================================== helpers


class _Hist:
    """A discrete distribution {value: weight} sampled with bisect on cumulative weights."""

    __slots__ = ("values", "cum")

    def __init__(self, weights: dict[Any, float]):
        self.values = list(weights)
        total, self.cum = 0.0, []
        for v in self.values:
            total += weights[v]
            self.cum.append(total)
        if not self.values:
            self.values, self.cum = [1], [1.0]

    def sample(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


class _Pool:
    """Weighted choice of node indices, optionally preferring the caller's region."""

    __slots__ = ("idx", "cum", "by_region")

    def __init__(self, idx: list[int], weights: list[float], regions: list[str]):
        self.idx, self.cum = self._cum(idx, weights)
        groups: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            groups[regions[i]].append(i)
        self.by_region = {r: self._cum(g, weights) for r, g in groups.items()}

    @staticmethod
    def _cum(idx: list[int], weights: list[float]) -> tuple[list[int], list[float]]:
        total, cum = 0.0, []
        for i in idx:
            total += weights[i]
            cum.append(total)
        return idx, cum

    def __len__(self) -> int:
        return len(self.idx)

    def pick(self, rng: random.Random, region: str | None = None, p_local: float = 0.0) -> int:
        idx, cum = self.idx, self.cum
        if region is not None and p_local and rng.random() < p_local:
            local = self.by_region.get(region)
            if local:
                idx, cum = local
        return idx[bisect.bisect_right(cum, rng.random() * cum[-1])]

    def pick_distinct(self, rng: random.Random, k: int, region: str | None = None, p_local: float = 0.0,
                      exclude: int = -1) -> list[int]:
        out: list[int] = []
        for _ in range(4 * k + 4):
            if len(out) >= k:
                break
            i = self.pick(rng, region, p_local)
            if i != exclude and i not in out:
                out.append(i)
        return out


def _wchoice(rng: random.Random, mix: tuple[tuple[Any, float], ...]) -> Any:
    """Weighted choice from ((value, weight), ...); a linear scan beats rng.choices on short lists."""
    total = 0.0
    for _, w in mix:
        total += w
    x = rng.random() * total
    for value, w in mix:
        x -= w
        if x < 0:
            return value
    return mix[-1][0]


def _allocate(n: int, profile: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(role, tier, count) groups for the n - 1 partners besides the brand owner."""
    cs = profile["class_share"]
    total = sum(cs.values())
    upstream = (cs["Part"] + cs["Manuf"]) / total
    groups: list[tuple[str, int, float]] = []
    tier_share = profile["tier_share"]
    tsum = sum(sum(v.values()) for v in tier_share.values())
    for t in (1, 2, 3, 4):
        shares = tier_share.get(t, tier_share.get(str(t), {}))  # str keys if loaded from JSON
        m = shares.get("Manuf", 0.0) / tsum * upstream
        p = shares.get("Part", 0.0) / tsum * upstream
        if t == 1:
            groups += [(role, 1, m * f) for role, f in TIER1_MANUF_MIX]
            groups.append(("supplier", 1, p))
        else:
            groups += [("contract_manufacturer", t, m), ("supplier", t, p)]
    groups += [(role, 0, cs["Dist"] / total * f) for role, f in DIST_MIX]
    groups += [(role, 0, cs["Retail"] / total * f) for role, f in RETAIL_MIX]
    groups.append(("logistics", 0, cs["Trans"] / total))
    ftotal = sum(f for _, _, f in groups)
    slots = n - 1
    ideal = [f / ftotal * slots for _, _, f in groups]
    # every role at least once (small graphs still exercise every rule), tiny tier groups may be empty
    minimum = [1 if f / ftotal >= 0.002 or t in (0, 1) else 0 for _, t, f in groups]
    counts = [max(mn, int(x)) for mn, x in zip(minimum, ideal)]
    while sum(counts) != slots:
        if sum(counts) < slots:
            j = max(range(len(groups)), key=lambda k: ideal[k] - counts[k])
            counts[j] += 1
        else:
            cands = [k for k in range(len(groups)) if counts[k] > minimum[k]]
            j = min(cands, key=lambda k: ideal[k] - counts[k])
            counts[j] -= 1
    return [(role, t, c) for (role, t, _), c in zip(groups, counts)]


# =============================================================== the generator


class _Generator:
    def __init__(self, n: int, seed: int, profile: dict[str, Any]):
        if n < MIN_NODES:
            raise ValueError(f"n_nodes must be at least {MIN_NODES}")
        self.n, self.seed, self.profile = n, seed, profile
        self.rng = random.Random(seed)
        self.dates = [AS_OF + dt.timedelta(days=d) for d in range(-7000, 7001)]
        ideg = profile["in_degree"]
        self.h_in = {c: _Hist({int(k): v for k, v in ideg[c].items()}) for c in ideg}
        odeg = profile["out_degree"]
        self.h_out = {c: _Hist({int(k): v for k, v in odeg[c].items()}) for c in odeg}
        self.h_dist_level = _Hist({int(k): v for k, v in profile["dist_levels"].items()})
        self.h_retail_level = _Hist({int(k): v for k, v in profile["retail_levels"].items()})
        # node arrays
        self.role: list[str] = []
        self.tier: list[int] = []
        self.level: list[int] = []
        self.cc: list[str] = []
        self.region: list[str] = []
        self.ids: list[str] = []
        self.weight: list[float] = []
        self.status: list[str | None] = []
        self.plist: list[list[str]] = []
        self.pset: list[set[str]] = []
        self.out: list[list[int]] = []
        # edges
        self.edges: list[dict[str, Any]] = []
        self.ekeys: set[tuple[int, int, str]] = set()
        self.products: list[dict[str, Any]] = []
        self.pinfo: dict[str, tuple[str, bool]] = {}
        self.labs: list[int] = []
        self.idw = max(6, len(str(n)))

    # ------------------------------------------------------------------ small utilities

    def date(self, offset: int) -> dt.date:
        return self.dates[max(-7000, min(7000, offset)) + 7000]

    def add_node(self, role: str, tier: int = 0, level: int = 0) -> int:
        rng = self.rng
        i = len(self.role)
        cc = "US" if role == "brand_owner" else _wchoice(rng, COUNTRY_CHOICE[role])
        self.role.append(role)
        self.tier.append(tier)
        self.level.append(level)
        self.cc.append(cc)
        self.region.append(COUNTRY_INFO[cc][0])
        self.ids.append(BRAND_ID if role == "brand_owner" else f"{ABBR[role]}-{cc.lower()}-{i:0{self.idw}d}")
        self.weight.append(min(rng.paretovariate(1.3), 200.0))
        self.status.append(None)
        self.plist.append([])
        self.pset.append(set())
        self.out.append([])
        return i

    def give(self, i: int, products: list[str]) -> None:
        s = self.pset[i]
        for p in products:
            if p not in s:
                s.add(p)
                self.plist[i].append(p)

    def sample_products(self, i: int, lo: int, hi: int) -> list[str]:
        lst = self.plist[i]
        if not lst:
            return []
        k = min(len(lst), self.rng.randint(lo, hi))
        return self.rng.sample(lst, k) if k < len(lst) else list(lst)

    def add_edge(self, u: int, v: int, kind: str, products: list[str], *, receiver_gets: bool = True,
                 sender_gets: bool = False) -> dict[str, Any] | None:
        if u == v:
            return None
        key = (u, v, kind)
        if key in self.ekeys:
            return None
        self.ekeys.add(key)
        products = sorted(set(products))
        if receiver_gets:
            self.give(v, products)
        if sender_gets:
            self.give(u, products)
        e: dict[str, Any] = {"from": self.ids[u], "to": self.ids[v], "kind": kind, "products": products}
        self._edge_details(e, u, v, kind, products)
        e["_u"], e["_v"] = u, v  # stripped before the document is returned
        if kind not in ("ships", "returns", "lists_on"):
            self.out[u].append(len(self.edges))
        self.edges.append(e)
        return e

    def pool(self, idx: list[int], weight: list[float] | None = None) -> _Pool:
        return _Pool(idx, weight if weight is not None else self.weight, self.region)

    @staticmethod
    def set_shares(rng: random.Random, edges: list[dict[str, Any]]) -> None:
        if not edges:
            return
        w = [rng.paretovariate(1.5) for _ in edges]
        tot = sum(w)
        for e, x in zip(edges, w):
            e["share"] = max(0.01, math.floor(100 * x / tot) / 100)

    # ------------------------------------------------------------------ build

    def build(self) -> dict[str, Any]:
        rng = self.rng
        brand = self.add_node("brand_owner")
        groups: dict[tuple[str, int], list[int]] = {}
        for role, tier, count in _allocate(self.n, self.profile):
            groups[(role, tier)] = [self.add_node(role, tier) for _ in range(count)]

        def members(role: str, tiers: tuple[int, ...] = (0,)) -> list[int]:
            return [i for t in tiers for i in groups.get((role, t), [])]

        self.labs = members("test_lab")
        self._make_products()
        tier_nodes = {t: [i for i in range(len(self.role)) if self.tier[i] == t] for t in (1, 2, 3, 4)}
        makers = members("manufacturer", (1,)) + members("licensee", (1,)) + members("contract_manufacturer", (1,))
        ocm = members("manufacturer", (1,)) + members("licensee", (1,))

        # -- products of the final manufacturing stages: every product has at least one maker
        order = makers[:]
        rng.shuffle(order)
        pids = [p["id"] for p in self.products]
        for j, pid in enumerate(pids):
            self.give(order[j % len(order)], [pid])
        for i in makers:
            extra = rng.randint(1, 3) if not self.plist[i] else (1 if rng.random() < 0.4 else 0)
            if extra:
                self.give(i, rng.sample(pids, min(extra, len(pids))))
        for i in members("supplier", (1,)):
            self.give(i, rng.sample(pids, min(rng.randint(1, 2), len(pids))))

        # -- tier 1 -> brand owner (licensees sell under licence, they do not supply the brand)
        for i in tier_nodes[1]:
            if self.role[i] != "licensee":
                self.add_edge(i, brand, "supplies", list(self.plist[i]))
        self._upstream(tier_nodes)

        # lateral subcontracting among tier-1 contract manufacturers
        cms1 = members("contract_manufacturer", (1,))
        if len(cms1) > 1:
            cm_pool = self.pool(cms1)
            for v in cms1:
                if rng.random() < 0.04:
                    u = cm_pool.pick(rng, self.region[v], 0.8)
                    self.add_edge(u, v, "subcontracts", self.sample_products(v, 1, 2), receiver_gets=False, sender_gets=True)

        # -- distribution levels (Willems Dist echelons)
        dist_nodes = members("importer") + members("distributor") + members("wholesaler")
        levels = self.profile["dist_levels"]
        lsum = sum(levels.values())
        cut1 = max(1, round(len(dist_nodes) * levels.get(1, levels.get("1", 0)) / lsum))
        cut2 = cut1 + round(len(dist_nodes) * levels.get(2, levels.get("2", 0)) / lsum)
        D = {1: dist_nodes[:cut1], 2: dist_nodes[cut1:cut2], 3: dist_nodes[cut2:]}
        if not D[2] and len(D[1]) > 1:  # tiny graphs
            D[2] = [D[1].pop()]
        for lv, idx in D.items():
            for i in idx:
                self.level[i] = lv
                self.status[i] = self._dist_status(i, lv)
        self._distribution(brand, ocm, D)

        # -- recyclers (rejects for destruction) and brokers (gray market)
        cms12 = members("contract_manufacturer", (1, 2))
        recyclers = members("recycler")
        reject_pool = self.pool(cms12 or makers)
        for r in recyclers:
            srcs = reject_pool.pick_distinct(rng, rng.randint(1, 4), self.region[r], 0.6)
            for u in srcs:
                self.add_edge(u, r, "ships", self.sample_products(u, 1, 1))
        brokers = members("broker")
        all_dist = D[1] + D[2] + D[3]
        dist_pool = self.pool(all_dist)
        for j, b in enumerate(brokers):
            for _ in range(rng.randint(1, 3)):
                x = rng.random()
                if x < 0.7 or (j == 0 and not recyclers):
                    u = dist_pool.pick(rng)
                elif x < 0.9 and j > 0:
                    u = brokers[rng.randrange(j)]
                elif recyclers:
                    u = recyclers[rng.randrange(len(recyclers))]
                else:
                    u = dist_pool.pick(rng)
                self.add_edge(u, b, "sells", self.sample_products(u, 1, 3))

        # -- demand points: retailers, sellers (+ listings), customers
        retailers, sellers, customers = members("retailer"), members("seller"), members("customer")
        marketplaces = members("marketplace")
        demand_pools = {
            1: self.pool([brand] + ocm, [w if i != brand else 50.0 for i, w in enumerate(self.weight)]),
            2: self.pool(D[1]),
            3: self.pool(D[2] + D[3] or D[1]),
        }
        gray = [i for i in D[2] + D[3] if self.role[i] == "distributor" and self.status[i] != "authorized"]
        gray_pool = self.pool(brokers + gray) if brokers or gray else None
        for r in retailers:
            self._demand(r, demand_pools)
        for s in sellers:
            self._demand(s, demand_pools, gray_pool=gray_pool)
        mkt_w = list(self.weight)
        for rank, m in enumerate(marketplaces):
            mkt_w[m] = 1.0 / (rank + 1)
        mkt_pool = self.pool(marketplaces, mkt_w)
        for s in sellers:
            k = _wchoice(rng, ((1, 70), (2, 25), (3, 5)))
            for m in mkt_pool.pick_distinct(rng, k):
                e = self.add_edge(s, m, "lists_on", self.sample_products(s, 1, 3))
                if e is not None:
                    e["attributes"] = {"listings": rng.randint(1, 120)}
        ret_pool = self.pool(retailers) if retailers else None
        for c in customers:
            x = rng.random()
            if x < 0.55 and ret_pool is not None:
                self._demand(c, {1: ret_pool, 2: ret_pool, 3: ret_pool})
            elif x < 0.75:
                for m in mkt_pool.pick_distinct(rng, rng.randint(1, 2)):
                    self.add_edge(m, c, "sells", self.sample_products(m, 1, 2))
            else:
                self._demand(c, demand_pools)

        # -- brokers sell into manufacturing, gray distributors, sellers, retailers
        targets = (
            (self.pool(cms12), 0.30, "supplies") if cms12 else None,
            (self.pool(gray), 0.20, "sells") if gray else None,
            (self.pool(sellers), 0.25, "sells") if sellers else None,
            (self.pool(retailers), 0.10, "sells") if retailers else None,
            (self.pool(customers), 0.05, "sells") if customers else None,
            (self.pool(brokers), 0.10, "sells") if brokers else None,
        )
        targets = tuple(t for t in targets if t is not None)
        tw = [t[1] for t in targets]
        for b in brokers:
            k = min(self.h_out["Dist"].sample(rng), 8)
            for _ in range(k):
                pl, _, kind = rng.choices(targets, tw)[0]
                v = pl.pick(rng, self.region[b], 0.3)
                if v != b:
                    self.add_edge(b, v, kind, self.sample_products(b, 1, 2))
        for r in recyclers:  # e-waste leakage back into the open market
            if brokers and rng.random() < 0.15:
                self.add_edge(r, brokers[rng.randrange(len(brokers))], "sells", self.sample_products(r, 1, 1))

        # -- logistics providers: one shipper, several of its receivers (Willems Trans stages)
        self._logistics(members("logistics"))
        # -- returns: a few reversed sales, making cycles
        self._returns()

        return self._document(brand, D, tier_nodes)

    # ------------------------------------------------------------------ topology parts

    def _upstream(self, tier_nodes: dict[int, list[int]]) -> None:
        """Tier t+1 -> tier t edges, fan-in from the Willems Manuf in-degree distribution."""
        rng = self.rng
        h = self.h_in["Manuf"]
        for t in (1, 2, 3):
            receivers, senders = tier_nodes[t], tier_nodes[t + 1]
            if not receivers or not senders:
                continue
            quota: dict[int, int] = {}
            for r in receivers:
                if self.role[r] == "supplier":
                    quota[r] = 1 if rng.random() < 0.25 else 0
                else:
                    quota[r] = min(h.sample(rng), len(senders))
            qw = list(self.weight)
            for r in receivers:
                qw[r] = quota[r] + 0.3
            rpool = self.pool(receivers, qw)
            spool = self.pool(senders)
            incoming: dict[int, list[dict[str, Any]]] = defaultdict(list)

            def link(u: int, r: int) -> None:
                kind = "supplies"
                if self.role[u] == "contract_manufacturer" and self.role[r] == "contract_manufacturer" and rng.random() < 0.35:
                    kind = "subcontracts"
                e = self.add_edge(u, r, kind, self.sample_products(r, 1, 2), receiver_gets=False, sender_gets=True)
                if e is not None:
                    incoming[r].append(e)

            for u in senders:  # every sender supplies someone
                link(u, rpool.pick(rng, self.region[u], 0.6))
            for r in receivers:  # fill each receiver's fan-in
                need = quota[r] - len(incoming[r])
                if need > 0:
                    for u in spool.pick_distinct(rng, need, self.region[r], 0.6):
                        link(u, r)
            for r in receivers:
                self.set_shares(rng, incoming[r])

    def _dist_status(self, i: int, level: int) -> str | None:
        rng = self.rng
        role = self.role[i]
        x = rng.random()
        if role == "importer":
            return "authorized" if x < 0.9 else "pending" if x < 0.95 else "revoked"
        if role == "wholesaler":
            return "authorized" if x < 0.75 else "pending" if x < 0.82 else "unauthorized" if x < 0.95 else None
        if level == 1:
            return "authorized" if x < 0.93 else "pending" if x < 0.96 else "revoked" if x < 0.98 else "unauthorized"
        return "authorized" if x < 0.6 else "unauthorized" if x < 0.82 else "pending" if x < 0.91 else "revoked"

    def _distribution(self, brand: int, ocm: list[int], D: dict[int, list[int]]) -> None:
        rng = self.rng
        h = self.h_in["Dist"]
        ocm_pool = self.pool(ocm) if ocm else None
        for i in D[1]:
            k = h.sample(rng)
            srcs = [brand] if ocm_pool is None or rng.random() < 0.75 else []
            if ocm_pool is not None:
                srcs += [u for u in ocm_pool.pick_distinct(rng, k - len(srcs), self.region[i], 0.5) if u not in srcs]
            edges = [self.add_edge(u, i, "distributes", self.sample_products(u, 1, 6)) for u in srcs]
            self.set_shares(rng, [e for e in edges if e is not None])
        for lv in (2, 3):
            src = D[lv - 1] or D[1]
            if not D[lv] or not src:
                continue
            p = self.pool(src)
            for i in D[lv]:
                srcs = p.pick_distinct(rng, min(h.sample(rng), len(src)), self.region[i], 0.85, exclude=i)
                edges = [self.add_edge(u, i, "distributes", self.sample_products(u, 1, 4)) for u in srcs]
                self.set_shares(rng, [e for e in edges if e is not None])

    def _demand(self, i: int, pools: dict[int, _Pool], gray_pool: _Pool | None = None) -> None:
        rng = self.rng
        lv = self.h_retail_level.sample(rng)
        if self.role[i] == "seller":  # not in the data: sellers buy one echelon further downstream
            lv = min(lv + 1, 3)
        pool = pools[lv] if len(pools[lv]) else pools[2]
        k = min(self.h_in["Retail"].sample(rng), len(pool))
        srcs = pool.pick_distinct(rng, k, self.region[i], 0.85, exclude=i)
        if gray_pool is not None and rng.random() < 0.3:
            g = gray_pool.pick(rng, self.region[i], 0.3)
            if g not in srcs and g != i:
                if srcs and rng.random() < 0.5:
                    srcs[-1] = g
                else:
                    srcs.append(g)
        edges = [self.add_edge(u, i, "sells", self.sample_products(u, 1, 3)) for u in srcs]
        if self.role[i] != "customer":
            self.set_shares(rng, [e for e in edges if e is not None])

    def _logistics(self, lsps: list[int]) -> None:
        rng = self.rng
        shippers = [i for i in range(len(self.role)) if self.out[i] and self.role[i] not in ("customer", "logistics", "seller", "marketplace")]
        if not shippers or not lsps:
            return
        w = [0.0] * len(self.role)
        for i in shippers:
            w[i] = math.sqrt(len(self.out[i])) * self.weight[i] ** 0.5
        pool = self.pool(shippers, w)
        h = self.h_out["Trans"]
        for lsp in lsps:
            s = pool.pick(rng, self.region[lsp], 0.5)
            k = min(h.sample(rng), len(self.out[s]))
            chosen = rng.sample(self.out[s], k)
            carried: list[str] = []
            for ei in chosen:
                carried += self.edges[ei]["products"]
            self.add_edge(s, lsp, "ships", sorted(set(carried))[:6])
            for ei in chosen:
                e = self.edges[ei]
                self.add_edge(lsp, e["_v"], "ships", list(e["products"]))
            self.give(lsp, carried)

    def _returns(self) -> None:
        rng = self.rng
        receivers = {"customer", "retailer", "distributor", "wholesaler", "seller", "importer"}
        for ei in range(len(self.edges)):
            e = self.edges[ei]
            if e["kind"] in ("sells", "distributes") and self.role[e["_v"]] in receivers and rng.random() < 0.012:
                r = self.add_edge(e["_v"], e["_u"], "returns", list(e["products"]), receiver_gets=False)
                if r is not None:
                    r["attributes"] = {"reason": _wchoice(rng, (("customer_return", 50), ("defective", 25), ("overstock", 15), ("suspect", 10)))}

    # ------------------------------------------------------------------ products

    def _make_products(self) -> None:
        rng = self.rng
        n_products = max(5, self.n // 100)
        width = max(5, len(str(n_products)))
        cats = [(c, c[2]) for c in CATEGORIES]
        for k in range(n_products):
            cat, prefix, _, p_crit, nouns, hs = rng.choices([c for c, _ in cats], [w for _, w in cats])[0]
            pid = f"{prefix}-{k:0{width}d}"
            critical = rng.random() < p_crit
            model = f"{rng.choice('AXZSRTV')}{rng.randint(1, 9)}{rng.choice(('', '0', '00', ' Pro', ' Max', ' Lite'))}"
            trademarks = []
            for office, fmt, p_customs in (("USPTO", "US {:07d}", 0.75), ("EUIPO", "EU {:09d}", 0.5), ("CNIPA", "CN {:08d}", 0.3), ("JPO", "JP {:07d}", 0.3)):
                if office == "USPTO" or rng.random() < 0.45:
                    tm: dict[str, Any] = {"registration": fmt.format(rng.randrange(10 ** 6, 10 ** 7)), "office": office}
                    x = rng.random()
                    if x < 0.9:
                        tm["recorded_with_customs"] = rng.random() < p_customs
                    tm["expires"] = self.date(rng.randint(-200, 3600))
                    trademarks.append(tm)
            auth = rng.sample(AUTH_FEATURES, rng.randint(1, 3) if critical else rng.randint(0, 2))
            prod = {
                "id": pid,
                "name": f"Acme {rng.choice(nouns)} {model}",
                "category": cat,
                "critical": critical,
                "trademarks": trademarks,
                "authentication": auth,
                "attributes": {"hs_code": hs, "msrp_usd": round(rng.uniform(5, 900), 2), "launch_year": rng.randint(2015, 2026)},
            }
            self.products.append(prod)
            self.pinfo[pid] = (cat, critical)

    # ------------------------------------------------------------------ edge evidence

    def _edge_details(self, e: dict[str, Any], u: int, v: int, kind: str, products: list[str]) -> None:
        rng = self.rng
        ru, rv = self.role[u], self.role[v]
        if kind == "lists_on":
            return
        pharma = any(self.pinfo[p][0] == "pharmaceutical" for p in products)
        docs: dict[str, Any] | None = {}
        if kind in ("supplies", "subcontracts") and ru != "broker":
            self._doc_bool(docs, "certificate_of_conformance", 0.85, 0.05)
            t = self.tier[u]
            docs["traceability"] = _wchoice(rng, (("full", 60 - 8 * t), ("partial", 30), ("none", 6 + 4 * t)))
            self._doc_bool(docs, "purchase_order_terms", 0.8, 0.05)
        elif ru == "broker" or ru == "recycler":
            self._doc_bool(docs, "certificate_of_conformance", 0.45, 0.2)
            docs["traceability"] = _wchoice(rng, (("full", 20), ("partial", 40), ("none", 40)))
            self._doc_bool(docs, "purchase_order_terms", 0.5, 0.3)
        elif kind == "distributes" or (kind == "sells" and rng.random() < 0.7):
            self._doc_bool(docs, "certificate_of_conformance", 0.75 if kind == "distributes" else 0.5, 0.1)
            docs["traceability"] = _wchoice(rng, (("full", 60), ("partial", 32), ("none", 8)))
            self._doc_bool(docs, "purchase_order_terms", 0.7, 0.15)
        elif kind == "returns":
            docs["traceability"] = _wchoice(rng, (("partial", 50), ("none", 30), ("full", 20)))
        elif kind == "ships" and rng.random() < 0.3:
            docs["traceability"] = _wchoice(rng, (("full", 50), ("partial", 40), ("none", 10)))
        else:
            docs = None
        if docs is not None and pharma and kind in ("distributes", "sells", "returns"):
            for f in ("transaction_information", "transaction_statement", "transaction_history"):
                self._doc_bool(docs, f, 0.92, 0.03)
        if docs:
            e["documents"] = docs
        # inspection: open-market purchases are tested (or should be)
        if ru in ("broker", "recycler") or (rv == "contract_manufacturer" and rng.random() < 0.05):
            if rng.random() < 0.6 and self.labs:
                lab = self.labs[rng.randrange(len(self.labs))]
                self.give(lab, products)
                e["inspection"] = {
                    "done": True,
                    "standard": _wchoice(rng, (("AS6171", 50), ("IDEA-STD-1010", 30), ("AS5553", 10), ("ISO 2859-1", 10))),
                    "lab": self.ids[lab],
                    "date": self.date(-rng.randint(1, 400)),
                }
            else:
                e["inspection"] = {"done": False}
        if kind != "lists_on":
            e["shipping"] = self._shipping(u, v)
        if kind in ("supplies", "distributes", "sells", "subcontracts") and rng.random() < 0.5:
            e["attributes"] = {"annual_value_usd": int(rng.lognormvariate(11, 1.6))}

    def _doc_bool(self, docs: dict[str, Any], field: str, p_true: float, p_missing: float) -> None:
        x = self.rng.random()
        if x >= p_missing:
            docs[field] = x < p_missing + p_true * (1 - p_missing)

    def _shipping(self, u: int, v: int) -> dict[str, Any]:
        rng = self.rng
        cu, cv = self.cc[u], self.cc[v]
        if self.role[u] == "seller" or self.role[v] == "customer" and self.role[u] in ("marketplace", "seller"):
            mode = _wchoice(rng, (("courier", 70), ("postal", 30)))
        elif cu == cv:
            mode = _wchoice(rng, (("road", 80), ("rail", 8), ("courier", 12)))
        elif self.region[u] == self.region[v]:
            mode = _wchoice(rng, (("road", 55), ("rail", 15), ("air", 15), ("multimodal", 15)))
        else:
            mode = _wchoice(rng, (("sea", 60), ("air", 30), ("multimodal", 10)))
        s: dict[str, Any] = {"mode": mode}
        x = rng.random()
        if x < 0.85:
            s["sealed"] = x < (0.75 if mode in ("sea", "multimodal", "rail") else 0.45)
        if cu != cv and self.region[u] != self.region[v] and rng.random() < 0.35:
            hub = TRANSIT_HUBS[rng.randrange(len(TRANSIT_HUBS))]
            if hub not in (cu, cv):
                s["via"] = [hub]
                s["free_trade_zone"] = hub in ("AE", "PA", "SG", "HK") and rng.random() < 0.5
        elif rng.random() < 0.5:
            s["free_trade_zone"] = False
        return s

    # ------------------------------------------------------------------ node evidence

    def _node(self, i: int) -> dict[str, Any]:
        rng = self.rng
        role, cc = self.role[i], self.cc[i]
        node: dict[str, Any] = {"id": self.ids[i], "name": self._name(i), "role": role, "country": cc}
        node["products"] = sorted(self.plist[i])
        auth = self._authorization(i)
        if auth:
            node["authorization"] = auth
        certs = self._certifications(i)
        if certs:
            node["certifications"] = certs
        audits = self._audits(i)
        if audits:
            node["audits"] = audits
        if role == "brand_owner" or rng.random() < CONTRACT_P.get(role, 0.5):
            if role != "brand_owner":
                node["contract"] = self._contract(i)
        lic = self._licenses(i)
        if lic:
            node["licenses"] = lic
        prog = self._programs(i)
        if prog:
            node["programs"] = prog
        if role in MANUFACTURING or role in ("distributor", "wholesaler", "importer", "broker", "logistics", "brand_owner", "recycler") or rng.random() < 0.3:
            tr: dict[str, Any] = {}
            lt = {"supplier": 0.8, "broker": 0.5, "seller": 0.3, "retailer": 0.5, "customer": 0.4}.get(role, 0.9)
            tr["lot_tracking"] = rng.random() < lt
            ser = {"contract_manufacturer": 0.45, "manufacturer": 0.6, "brand_owner": 1.0, "distributor": 0.35, "wholesaler": 0.4}.get(role, 0.15)
            if rng.random() < 0.9:
                tr["serialization"] = rng.random() < ser
            if rng.random() < 0.7:
                tr["records_retention_years"] = rng.choice((2, 3, 5, 5, 7, 10))
            node["traceability"] = tr
        if role != "brand_owner" and rng.random() < DD_P.get(role, 0.5):
            node["due_diligence"] = {
                "date": self.date(-int(rng.triangular(5, 1100, 120))),
                "method": rng.choice(DD_METHODS) if role not in ("seller", "customer") else "KYC",
                "risk": self._risk(i),
            }
        if rng.random() < self._incident_p(i):
            node["incidents"] = self._incidents(i)
        node["attributes"] = self._attributes(i)
        return node

    def _name(self, i: int) -> str:
        rng = self.rng
        role, cc = self.role[i], self.cc[i]
        _, cities, suffixes = COUNTRY_INFO[cc]
        if role == "brand_owner":
            return "Acme Group Holdings Inc."
        if role == "seller":
            return f"{rng.choice(_SELLER_A)}{rng.choice(_SELLER_B)} {rng.choice(_SELLER_C)}"
        if role == "marketplace":
            m = self._mkt_rank.get(i, 0)
            base = MARKETPLACE_NAMES[m % len(MARKETPLACE_NAMES)]
            return base if m < len(MARKETPLACE_NAMES) else f"{base} {cc}"
        if role == "customer":
            return f"{rng.choice(cities)} {rng.choice(ROLE_WORDS['customer'])}"
        return f"{rng.choice(cities)} {rng.choice(_ADJ)} {rng.choice(ROLE_WORDS[role])} {rng.choice(suffixes)}"

    def _authorization(self, i: int) -> dict[str, Any] | None:
        rng = self.rng
        role = self.role[i]
        status = self.status[i]
        if role in ("manufacturer", "licensee", "contract_manufacturer") and self.tier[i] == 1:
            x = rng.random()
            status = "authorized" if x < 0.95 else "pending" if x < 0.98 else "revoked"
        elif role == "retailer":
            x = rng.random()
            status = "authorized" if x < 0.55 else "pending" if x < 0.65 else "unauthorized" if x < 0.7 else None
        elif role == "seller":
            x = rng.random()
            status = "authorized" if x < 0.25 else "pending" if x < 0.35 else "unauthorized" if x < 0.45 else None
        elif role == "broker":
            status = "unauthorized" if rng.random() < 0.6 else None
        if status is None:
            return None
        a: dict[str, Any] = {"status": status}
        if status == "unauthorized":  # known to the brand, never authorized
            return a
        a["granted_by"] = BRAND_ID
        prods = self.plist[i]
        if prods and rng.random() < 0.6:
            a["scope"] = sorted(rng.sample(prods, min(len(prods), rng.randint(1, 4))))
        if status in ("authorized", "revoked") and rng.random() < 0.9:
            a["expires"] = self.date(rng.randint(-150, 900))
        return a

    def _certifications(self, i: int) -> list[dict[str, Any]]:
        rng = self.rng
        out = []
        mix = CERT_MIX.get(self.role[i], ())
        for std, p in mix:
            if rng.random() >= p:
                continue
            prefix, expiring = CERT_STANDARDS[std]
            c: dict[str, Any] = {"standard": std, "id": f"{prefix}-{rng.randrange(10 ** 5, 10 ** 6)}"}
            x = rng.random()
            if not expiring:  # customs trusted-trader programmes (AEO, C-TPAT): granted by customs, no expiry
                c["body"] = "U.S. CBP" if std == "C-TPAT" else f"{self.cc[i]} customs"
            elif x < 0.93:
                c["body"] = rng.choice(CERT_BODIES)
                c["accredited"] = True
            elif x < 0.97:
                c["body"] = rng.choice(SHADY_BODIES)
                c["accredited"] = False
            if expiring:
                issued = -rng.randint(0, 1300)
                c["issued"] = self.date(issued)
                c["expires"] = self.date(issued + 1095)
            out.append(c)
        return out

    def _audits(self, i: int) -> list[dict[str, Any]]:
        rng = self.rng
        role = self.role[i]
        p = 1.0 if role == "brand_owner" else AUDIT_P.get(role, 0.3)
        if role == "supplier":
            p -= 0.12 * max(0, self.tier[i] - 2)
        if rng.random() >= p:
            return []
        count = rng.choice((1, 1, 2, 2, 3)) if role in MANUFACTURING else rng.choice((1, 1, 2))
        # about three in four partners with audits had the last one within a year
        ago = rng.randint(10, 365) if rng.random() < 0.75 else rng.randint(366, 1000)
        out = []
        for _ in range(count):
            result = _wchoice(rng, (("pass", 78), ("conditional", 15), ("fail", 7)))
            findings = 0 if result == "pass" and rng.random() < 0.8 else rng.randint(1, 4) if result != "fail" else rng.randint(3, 12)
            a: dict[str, Any] = {
                "date": self.date(-ago),
                "kind": _wchoice(rng, (("onsite", 60), ("remote", 20), ("desk", 10), ("self_assessment", 10))),
                "result": result,
            }
            if rng.random() < 0.9:
                a["open_findings"] = findings
            if rng.random() < 0.7:
                a["auditor"] = rng.choice(AUDITORS)
            out.append(a)
            ago += rng.randint(300, 500)
        return out

    def _contract(self, i: int) -> dict[str, Any]:
        rng = self.rng
        role = self.role[i]
        c: dict[str, Any] = {}

        def clause(name: str, p_true: float, p_missing: float = 0.05) -> None:
            x = rng.random()
            if x >= p_missing:
                c[name] = x < p_missing + p_true * (1 - p_missing)

        clause("anti_counterfeit_clause", 0.88 if role != "broker" else 0.6)
        clause("audit_rights", 0.85)
        if role in MANUFACTURING:
            clause("flow_down", 0.75 if self.tier[i] <= 2 else 0.55)
            clause("subcontract_consent", 0.8)
            clause("reject_destruction", 0.7)
            if role != "supplier":
                clause("tooling_ownership", 0.6, 0.2)
        if role in ("distributor", "wholesaler", "importer", "broker", "contract_manufacturer", "manufacturer") and rng.random() < 0.6:
            c["warranty_months"] = rng.choice((12, 12, 24, 36))
        if rng.random() < 0.7:  # fixed term, mostly renewed in time (about one in ten has lapsed)
            expires = rng.randint(-150, 1300)
            c["signed"] = self.date(min(-30, expires - rng.choice((1095, 1461, 1826))))
            c["expires"] = self.date(expires)
        else:  # evergreen
            c["signed"] = self.date(-rng.randint(30, 3000))
        return c

    def _licenses(self, i: int) -> list[dict[str, Any]]:
        rng = self.rng
        role, cc = self.role[i], self.cc[i]

        def lic(kind: str, prefix: str, jurisdiction: str) -> dict[str, Any]:
            d: dict[str, Any] = {"kind": kind, "jurisdiction": jurisdiction, "number": f"{prefix}-{rng.randrange(10 ** 4, 10 ** 6)}"}
            x = rng.random()
            if x < 0.95:
                d["expires"] = self.date(rng.randint(-120, 1100))
            return d

        out = []
        if role == "wholesaler":
            if cc == "US":
                for st in rng.sample(US_STATES, rng.randint(1, 3)):
                    out.append(lic("wholesale_distributor", "WD", f"US-{st}"))
            elif rng.random() < 0.85:
                out.append(lic("wholesale_distributor", "WDA", cc))
        elif role == "distributor" and rng.random() < 0.2:
            out.append(lic("wholesale_distributor", "WD", f"US-{rng.choice(US_STATES)}" if cc == "US" else cc))
        elif role == "logistics" and cc == "US" and rng.random() < 0.4:
            out.append(lic("3pl", "3PL", f"US-{rng.choice(US_STATES)}"))
        elif role == "importer" and rng.random() < 0.8:
            out.append(lic("importer_registration", "IOR", cc))
        elif role in ("manufacturer", "contract_manufacturer") and self.tier[i] == 1 and rng.random() < 0.25:
            out.append(lic("manufacturer_registration", "MFR", cc))
        elif role == "recycler" and rng.random() < 0.7:
            out.append(lic("waste_handling", "WH", cc))
        return out

    def _programs(self, i: int) -> dict[str, Any] | None:
        rng = self.rng
        role = self.role[i]
        if role in ("seller", "customer") and rng.random() < 0.85:
            return None
        if role == "supplier" and self.tier[i] >= 3 and rng.random() < 0.5:
            return None
        p: dict[str, Any] = {}
        p_plan = {"broker": 0.5, "retailer": 0.4, "marketplace": 0.8, "seller": 0.2, "logistics": 0.5}.get(role, 0.75)
        p["control_plan"] = role == "brand_owner" or rng.random() < p_plan
        if rng.random() < 0.8:
            p["training_last"] = self.date(-int(rng.triangular(5, 900, 200)))
        if rng.random() < 0.9:
            p["quarantine_procedure"] = rng.random() < 0.8
        if role in ("contract_manufacturer", "manufacturer", "distributor", "broker", "test_lab"):
            p["gidep_screening"] = rng.random() < 0.4
        if role in ("contract_manufacturer", "manufacturer"):
            p["obsolescence_management"] = rng.random() < 0.4
        if role in ("distributor", "wholesaler", "retailer", "marketplace", "brand_owner"):
            p["returns_verification"] = rng.random() < 0.6
        return p

    def _risk(self, i: int) -> str:
        role = self.role[i]
        base = {"broker": (10, 30, 60), "seller": (30, 40, 30), "recycler": (20, 40, 40)}.get(role, (60, 30, 10))
        if self.status[i] in ("unauthorized", "revoked"):
            base = (10, 40, 50)
        return _wchoice(self.rng, (("low", base[0]), ("medium", base[1]), ("high", base[2])))

    def _incident_p(self, i: int) -> float:
        p = INCIDENT_P.get(self.role[i], 0.004)
        return p * 3 if self.status[i] in ("unauthorized", "revoked") else p

    def _incidents(self, i: int) -> list[dict[str, Any]]:
        rng = self.rng
        out = []
        for k in range(1 if rng.random() < 0.85 else 2):
            discovered = -rng.randint(5, 700)
            inc: dict[str, Any] = {
                "id": f"INC-{self.date(discovered).year}-{rng.randrange(10 ** 4, 10 ** 5)}",
                "kind": _wchoice(rng, (("suspect", 40), ("counterfeit", 25), ("illegitimate", 8), ("falsified", 7), ("diverted", 12), ("tampered", 8))),
                "discovered": self.date(discovered),
            }
            if self.plist[i]:
                inc["products"] = [rng.choice(self.plist[i])]
            if rng.random() < 0.9:
                inc["quarantined"] = rng.random() < 0.75
            reported = []
            if rng.random() < 0.6:
                to = rng.choice(("GIDEP", "ERAI", "FDA", "CBP", BRAND_ID))
                reported.append({"to": to, "date": self.date(discovered + rng.randint(1, 60))})
            inc["reported"] = reported
            age = -discovered
            inc["status"] = "closed" if age > 120 and rng.random() < 0.8 else rng.choice(("open", "investigating"))
            if inc["status"] == "closed":
                inc["disposition"] = rng.choice(("destroyed", "returned_to_brand", "returned_to_supplier", "held"))
            out.append(inc)
        return out

    def _attributes(self, i: int) -> dict[str, Any]:
        rng = self.rng
        role = self.role[i]
        a: dict[str, Any] = {}
        if role in MANUFACTURING:
            a["tier"] = self.tier[i]
            a["spend_usd"] = int(rng.lognormvariate(12.5 - self.tier[i] * 0.6, 1.5))
            a["erp_vendor_id"] = f"V{rng.randrange(10 ** 6, 10 ** 7)}"
            a["partner_since"] = self.date(-rng.randint(60, 5000)).year  # not a date: JSON would make it a string
        elif role in ("distributor", "wholesaler", "importer", "retailer"):
            a["level"] = self.level[i] or None
            a["annual_volume_usd"] = int(rng.lognormvariate(13, 1.7))
            a["erp_customer_id"] = f"C{rng.randrange(10 ** 6, 10 ** 7)}"
            if role == "distributor":
                a["channel"] = "franchised" if self.status[i] == "authorized" else "independent"
            if a["level"] is None:
                del a["level"]
        elif role == "seller":
            a["storefront"] = f"https://shop.example/{self.ids[i]}"
            a["rating"] = round(rng.uniform(2.5, 5.0), 1)
            a["years_active"] = rng.randint(0, 12)
            a["brand_registry"] = rng.random() < 0.3
        elif role == "customer":
            a["segment"] = rng.choice(("hospital", "oem", "government", "enterprise", "mro", "consumer"))
        elif role == "marketplace":
            a["brand_registry"] = True
            a["notice_and_takedown_days"] = rng.choice((1, 2, 3, 5, 10))
            a["active_sellers"] = self._mkt_sellers.get(i, 0)
        elif role == "logistics":
            a["services"] = rng.sample(("warehousing", "freight_forwarding", "customs_brokerage", "last_mile", "cross_dock"), rng.randint(1, 3))
        elif role == "broker":
            a["erai_member"] = rng.random() < 0.4
            a["annual_volume_usd"] = int(rng.lognormvariate(12, 1.5))
        elif role == "brand_owner":
            a["partners"] = self.n - 1
        return a

    # ------------------------------------------------------------------ document

    def _document(self, brand: int, D: dict[int, list[int]], tier_nodes: dict[int, list[int]]) -> dict[str, Any]:
        rng = self.rng
        self._mkt_rank = {i: r for r, i in enumerate(i for i in range(len(self.role)) if self.role[i] == "marketplace")}
        self._mkt_sellers: dict[int, int] = defaultdict(int)
        for e in self.edges:
            if e["kind"] == "lists_on":
                self._mkt_sellers[e["_v"]] += 1
        nodes = [self._node(i) for i in range(len(self.role))]
        for e in self.edges:
            del e["_u"], e["_v"]
        waivers = self._waivers(nodes, D, tier_nodes)
        return {
            "nofakes": "1",
            "company": {
                "id": BRAND_ID,
                "name": "Acme Group Holdings Inc.",
                "country": "US",
                "attributes": {
                    "generator": "nofakes benchmarks/generate.py",
                    "seed": self.seed,
                    "nodes": self.n,
                    "topology": "Willems (2008), MSOM 10(1):19-23, doi:10.1287/msom.1070.0176",
                },
            },
            "as_of": AS_OF,
            "products": self.products,
            "nodes": nodes,
            "edges": self.edges,
            "waivers": waivers,
        }

    def _waivers(self, nodes: list[dict[str, Any]], D: dict[int, list[int]], tier_nodes: dict[int, list[int]]) -> list[dict[str, Any]]:
        waivers: list[dict[str, Any]] = []
        cms = [i for i in tier_nodes[1] if self.role[i] == "contract_manufacturer"]
        cm = next((i for i in cms if not nodes[i].get("audits") or nodes[i]["audits"][0]["date"] < self.date(-365)),
                  cms[0] if cms else None)
        if cm is not None:
            waivers.append({"rule": "NTF-AUD-001", "target": self.ids[cm], "reason": "Onsite audit booked for 2026-12-04",
                            "approved_by": "J. Doe, Compliance", "expires": dt.date(2027, 1, 31)})
        open_market = [e for e in self.edges if e["from"].startswith(ABBR["broker"] + "-")]
        edge = next((e for e in open_market if e["kind"] == "supplies" and e.get("inspection", {}).get("done") is False),
                    next((e for e in open_market if e.get("inspection", {}).get("done") is False),
                         open_market[0] if open_market else None))
        if edge is not None:
            waivers.append({"rule": "NTF-TRC-001", "target": f"{edge['from']}->{edge['to']}",
                            "reason": "One-time buy during allocation; lot held in quarantine pending AS6171 test",
                            "approved_by": "M. Rossi, Supply Chain Quality", "expires": dt.date(2027, 3, 31)})
        dists = D[2] + D[3] + D[1]
        d = next((i for i in dists if self.status[i] in ("pending", "revoked", "unauthorized")), dists[0] if dists else None)
        if d is not None:  # an expired waiver: counts as absent and is reported
            waivers.append({"rule": "NTF-AUT-001", "target": self.ids[d], "reason": "Authorization renewal in progress",
                            "approved_by": "A. Chen, Channel Compliance", "expires": dt.date(2026, 9, 30)})
        return waivers


def generate(n_nodes: int, seed: int = 1, *, profile: dict[str, Any] | None = None) -> dict[str, Any]:
    """A supply-chain document with ``n_nodes`` partners, as a plain dict (dates are ``datetime.date``).

    Deterministic for (n_nodes, seed). ``profile`` defaults to ``load_profile()``.
    """
    if profile is None:
        profile, _ = load_profile()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small containers: the cyclic collector only slows this down
    try:
        return _Generator(n_nodes, seed, profile).build()
    finally:
        if gc_was_enabled:
            gc.enable()


# =============================================================== writers


class _NoAliasDumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Never emit &anchors / *aliases (shared date objects would otherwise get them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_TAG = "tag:yaml.org,2002:"


class _FastDumper(_NoAliasDumper):
    """The same output as ``_NoAliasDumper``, 2-3x faster on plain data.

    PyYAML's representer is Python even with libyaml; this builds the identical node tree for
    the types the generator uses (dict, list, str, bool, int, date, None) without the
    per-object dispatch. Anything else goes the normal way.
    """

    def represent_data(self, data: Any) -> yaml.Node:
        t = type(data)
        if t is str:
            return yaml.ScalarNode(_TAG + "str", data)
        if t is dict:
            rep = self.represent_data
            return yaml.MappingNode(_TAG + "map", [(rep(k), rep(v)) for k, v in data.items()],
                                    flow_style=self.default_flow_style)
        if t is list:
            rep = self.represent_data
            return yaml.SequenceNode(_TAG + "seq", [rep(x) for x in data], flow_style=self.default_flow_style)
        if t is bool:
            return yaml.ScalarNode(_TAG + "bool", "true" if data else "false")
        if t is int:
            return yaml.ScalarNode(_TAG + "int", str(data))
        if t is dt.date:
            return yaml.ScalarNode(_TAG + "timestamp", data.isoformat())
        if data is None:
            return yaml.ScalarNode(_TAG + "null", "null")
        return super().represent_data(data)


LIST_KEYS = ("products", "nodes", "edges", "waivers")
_CHUNK = 2000


def _yaml(data: Any, dumper: type = _FastDumper) -> str:
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=4096)


def _write_yaml(doc: dict[str, Any], fh: Any) -> None:
    """Small sections as they are, long lists slice by slice (_CHUNK items per yaml.dump).

    Dumping a slice gives the same text as the slice inside one big dump (block style,
    indentless sequences) without building one node tree for the whole document.
    """
    fh.write("# Synthetic nofakes supply chain, generated by benchmarks/generate.py\n")
    fh.write(f"# Topology profile: {WILLEMS_CITATION}\n")
    for key, value in doc.items():
        if key in LIST_KEYS and isinstance(value, list) and value:
            fh.write(f"{key}:\n")
            for k in range(0, len(value), _CHUNK):
                fh.write(_yaml(value[k:k + _CHUNK]))
        else:
            fh.write(_yaml({key: value}))


def _json(data: Any) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


def _write_json(doc: dict[str, Any], fh: Any) -> None:
    fh.write("{")
    first = True
    for key, value in doc.items():
        fh.write("" if first else ",")
        first = False
        if key in LIST_KEYS and isinstance(value, list) and value:
            fh.write(f"\n{_json(key)}: [\n")
            for k in range(0, len(value), _CHUNK):  # one item per line, C encoder per chunk
                if k:
                    fh.write(",\n")
                fh.write(",\n".join(_json(item) for item in value[k:k + _CHUNK]))
            fh.write("\n]")
        else:
            fh.write(f"\n{_json(key)}: {_json(value)}")
    fh.write("\n}\n")


def write(doc: dict[str, Any], path: Path, fmt: str) -> None:
    """Write ``doc`` as YAML or JSON (``fmt`` is ``yaml`` or ``json``); ``-`` is stdout.

    YAML: ``yaml.dump(..., Dumper=CSafeDumper, sort_keys=False)`` (a subclass with a faster
    representer and no aliases; the same text) slice by slice. JSON: ``json`` with
    ``default=str`` (ISO dates), one list item per line. Files are written to a temporary name
    and renamed into place. The cyclic garbage collector is paused meanwhile: it would rescan
    the whole document again and again (2x slower YAML at 10k partners, more at 100k).
    """
    if fmt not in ("yaml", "json"):
        raise ValueError(f"unknown format {fmt!r} (yaml or json)")
    writer = _write_yaml if fmt == "yaml" else _write_json
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if str(path) == "-":
            writer(doc, sys.stdout)
            sys.stdout.flush()
            return
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                writer(doc, fh)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
    finally:
        if gc_was_enabled:
            gc.enable()


# =============================================================== command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a realistic multi-tier nofakes supply-chain file for benchmarks.")
    ap.add_argument("--nodes", "-n", type=int, default=10_000, help="number of partners (nodes), at least %d" % MIN_NODES)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--format", "-f", choices=("yaml", "json"), help="output format (default: from -o suffix, else yaml)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--willems-dir", type=Path, help="folder with the Willems (2008) NN_SD.csv / NN_LL.csv files")
    ap.add_argument("--print-profile", action="store_true", help="print the topology profile as JSON and exit")
    ap.add_argument("--quiet", "-q", action="store_true", help="no timing on stderr")
    ap.add_argument("--supply-format", choices=("1", "1.1"), default="1",
                    help="1.1 adds the format 1.1 fields the benchmix 2.0.0 rules read (benchmarks/format11.py)")
    args = ap.parse_args(argv)
    try:
        profile, origin = load_profile(args.willems_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.print_profile:
        print(json.dumps(profile, indent=1))
        print(f"profile: {origin}", file=sys.stderr)
        return 0
    if args.nodes < MIN_NODES:
        print(f"error: --nodes must be at least {MIN_NODES}", file=sys.stderr)
        return 2
    fmt = args.format or ("json" if str(args.output).endswith(".json") else "yaml")
    t0 = time.perf_counter()
    doc = generate(args.nodes, args.seed, profile=profile)
    if args.supply_format == "1.1":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from format11 import enrich  # noqa: PLC0415 - benchmarks/ is not a package

        enrich(doc, args.seed)
    t1 = time.perf_counter()
    try:
        write(doc, Path(args.output), fmt)
    except BrokenPipeError:  # e.g. piped into head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    t2 = time.perf_counter()
    if not args.quiet:
        size = os.path.getsize(args.output) if args.output != "-" else 0
        print(f"profile: {origin}", file=sys.stderr)
        print(f"{len(doc['nodes'])} nodes, {len(doc['edges'])} edges, {len(doc['products'])} products, "
              f"{len(doc['waivers'])} waivers; generated in {t1 - t0:.2f} s, wrote {fmt} in {t2 - t1:.2f} s"
              + (f" ({size:,} bytes, {size / len(doc['nodes']):.0f} bytes/node)" if size else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
