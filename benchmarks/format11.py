"""Supply format 1.1 fields for the generated benchmark graphs (`generate.py --supply-format 1.1`).

`enrich(doc, seed)` adds, in place, what the rules of `packs/benchmix/2.0.0.yaml` read: regions,
further authorizations (with `issued`), `due_diligence.first_date`, seller verification and the
typed seller attributes the pack declares (`bank_account`, `warehouse`), edge `since`,
`ownership_transfer` and `lots` (and `since` on listings), incident `lots` and `notified`. It draws from its own random
stream (seeded from `seed`), so the format "1" part of the document stays exactly what
`generate()` made and the whole document is still deterministic for (nodes, seed).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

AS_OF = dt.date(2026, 11, 1)
# a few ISO 3166-2 subdivisions per country (the loader checks each against its country)
REGIONS: dict[str, tuple[str, ...]] = {
    "US": ("US-NJ", "US-NY", "US-CA", "US-TX", "US-FL", "US-IL", "US-PA", "US-OH", "US-GA", "US-TN"),
    "CN": ("CN-GD", "CN-ZJ", "CN-JS", "CN-SH", "CN-FJ"),
    "DE": ("DE-BW", "DE-BY", "DE-HH", "DE-NW", "DE-HE"),
    "IN": ("IN-MH", "IN-TN", "IN-KA", "IN-UP", "IN-GJ"),
    "CA": ("CA-ON", "CA-BC", "CA-QC"),
    "MX": ("MX-NLE", "MX-BCN", "MX-JAL"),
    "BR": ("BR-SP", "BR-PR", "BR-AM"),
    "FR": ("FR-ARA", "FR-HDF", "FR-IDF"),
    "IT": ("IT-25", "IT-21", "IT-45"),
    "ES": ("ES-CT", "ES-MD", "ES-VC"),
}
MAKERS = ("manufacturer", "contract_manufacturer", "licensee")
GOODS = ("supplies", "distributes", "sells", "subcontracts", "returns")


def _day(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


def _region(rng: random.Random, node: dict[str, Any]) -> None:
    choices = REGIONS.get(node["country"])
    if not choices or rng.random() < 0.1:
        return
    states = [lic["jurisdiction"] for lic in node.get("licenses", ()) if lic["jurisdiction"].startswith("US-")]
    node["region"] = states[0] if states and rng.random() < 0.85 else rng.choice(choices)


def _authorizations(rng: random.Random, node: dict[str, Any], makers: list[str]) -> None:
    auth = node.get("authorization")
    if auth and auth.get("granted_by") and rng.random() < 0.8:
        auth["issued"] = _day(-rng.randint(200, 2500))
    if node["role"] not in ("distributor", "wholesaler", "importer") or not makers or rng.random() < 0.4:
        return
    grants = []
    for grantor in rng.sample(makers, min(len(makers), rng.randint(1, 3))):
        status = "authorized" if rng.random() < 0.85 else rng.choice(("pending", "revoked"))
        grant: dict[str, Any] = {"status": status, "granted_by": grantor, "issued": _day(-rng.randint(100, 2000))}
        if rng.random() < 0.9:
            grant["expires"] = _day(rng.randint(-200, 900))
        grants.append(grant)
    node["authorizations"] = grants


def _seller(rng: random.Random, node: dict[str, Any], accounts: list[str]) -> None:
    first = _day(-rng.randint(30, 1500))
    ver: dict[str, Any] = {}
    for key, p in (("identity_verified", 0.85), ("business_verified", 0.7), ("tax_id_verified", 0.65),
                   ("bank_account_verified", 0.75), ("contact_verified", 0.8)):
        if rng.random() < p:
            ver[key] = first + dt.timedelta(days=rng.randint(-20, 25))
    if rng.random() < 0.45:
        ver["high_volume"] = True
        ver["high_volume_since"] = first + dt.timedelta(days=rng.randint(30, 300))
    elif rng.random() < 0.8:
        ver["high_volume"] = False
    if rng.random() < 0.8:
        ver["recertified"] = _day(-rng.randint(1, 500))
    ver["identity_disclosed"] = rng.random() < 0.7
    account = rng.choice(accounts) if accounts and rng.random() < 0.03 else f"tok_{rng.randrange(16 ** 10):010x}"
    accounts.append(account)
    ver["payout_account"] = account
    node["seller_verification"] = ver
    shared_iban = "DE89370400440532013000"  # 2 % of sellers: one account
    own = rng.random() > 0.02
    node["attributes"]["bank_account"] = f"DE{rng.randrange(10 ** 18, 10 ** 19)}" if own else shared_iban
    street = rng.choice(("Dock Rd", "Harbour St", "Logistics Park"))
    node["attributes"]["warehouse"] = f"Unit {rng.randint(1, 400)}, {street}"
    node.setdefault("due_diligence", {"date": _day(-rng.randint(10, 900)), "method": "KYC"})


def enrich(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """Turn a generated format "1" document into format "1.1" (in place); return it."""
    rng = random.Random(f"format-1.1/{seed}")
    doc["nofakes"] = "1.1"
    doc["company"]["region"] = "US-NJ"
    makers = [n["id"] for n in doc["nodes"] if n["role"] in MAKERS and n.get("authorization")][:200]
    accounts: list[str] = []
    nodes = {n["id"]: n for n in doc["nodes"]}
    for node in doc["nodes"]:
        _region(rng, node)
        _authorizations(rng, node, makers)
        dd = node.get("due_diligence")
        if dd and rng.random() < 0.8:
            dd["first_date"] = dd["date"] - dt.timedelta(days=rng.randint(0, 1500))
        if node["role"] == "seller":
            _seller(rng, node, accounts)
    customers: dict[str, list[str]] = {}
    lots: dict[str, list[str]] = {}
    for edge in doc["edges"]:
        if edge["kind"] == "lists_on":  # the first listing
            edge["since"] = _day(-rng.randint(30, 1500))
        elif edge["kind"] == "ships" and rng.random() < 0.05:  # consigned stock recorded as a sale
            edge["ownership_transfer"] = True
        if edge["kind"] in GOODS:
            customers.setdefault(edge["from"], []).append(edge["to"])
            if rng.random() < 0.85:
                edge["since"] = _day(-rng.randint(30, 3000))
            if edge["kind"] in ("sells", "distributes", "returns"):
                edge["ownership_transfer"] = rng.random() < 0.9
            if edge.get("products") and rng.random() < 0.3:
                edge["lots"] = [f"{edge['products'][0].upper()}-{rng.randrange(10 ** 5):05d}"]
                lots.setdefault(edge["to"], []).extend(edge["lots"])
    for node in doc["nodes"]:
        for inc in node.get("incidents", ()):
            if node["id"] in lots:
                inc["lots"] = lots[node["id"]][:1]
            told = customers.get(node["id"], [])[:3]
            inc["notified"] = [{"party": p, "date": inc["discovered"] + dt.timedelta(days=rng.randint(0, 20))}
                               for p in told if rng.random() < 0.7 and p in nodes]
    return doc
