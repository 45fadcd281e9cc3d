"""Differential tests at the audit level: random supply documents, the rules of
`tests/fixtures/paths/differential-pack.yaml`, and oracles written from the README's definitions.

- what a partner handles and what an edge carries (an edge with no `products` list carries what
  both its partners handle) are recomputed here from the document;
- product-scoped path rules are judged per product on the edges that carry it, by the brute-force
  oracles of `test_paths_differential` (walks for no_bad_path, simple paths for some_good_path);
- `upstream_none` and `applies_to.product` by enumerating simple paths and carried products;
- every result is independent of the order of the nodes and edges in the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_paths_differential import (
    SETTINGS,
    Case,
    affordable,
    no_bad_path_oracle,
    simple_paths,
    some_good_path_oracle,
)

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.loading import LoadedSupply, Source
from nofakes.supply.model import Document

PACK = resolve_pack(str(Path(__file__).resolve().parent / "fixtures" / "paths" / "differential-pack.yaml"))
ROLES = ("manufacturer", "broker", "broker", "distributor", "retailer", "customer")  # brokers more often
KINDS = ("supplies", "sells", "distributes", "returns", "lists_on")
GOODS = frozenset({"supplies", "distributes", "sells", "ships", "subcontracts"})  # a path rule's default follow
ENDS = frozenset({"retailer", "customer"})


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    products = [{"id": f"p{i}", "name": f"Part {i}", "critical": draw(st.booleans()) or i == 0} for i in range(2)]
    ids = [p["id"] for p in products]
    nodes: list[dict[str, Any]] = []
    count = draw(st.integers(2, 5))
    for i in range(count):  # a manufacturer first and a point of sale last, so that paths exist
        roles = ("manufacturer",) if i == 0 else ("retailer", "customer") if i == count - 1 else ROLES
        node: dict[str, Any] = {"id": f"n{i}", "name": f"Partner {i}", "role": draw(st.sampled_from(roles)),
                                "products": draw(st.sampled_from([[], ["p0"], ["p1"], ids]))}
        status = draw(st.sampled_from([None, "authorized", "unauthorized"]))
        if status:
            node["authorization"] = {"status": status}
        verified = draw(st.sampled_from([None, True, False]))
        if verified is not None:
            node["programs"] = {"returns_verification": verified}
        nodes.append(node)
    pairs = [(a["id"], b["id"]) for a in nodes for b in nodes if a is not b]
    kinds = st.sampled_from(KINDS[:3]) | st.sampled_from(KINDS)  # goods edges more often
    chosen = draw(st.lists(st.tuples(st.sampled_from(pairs), kinds), min_size=1, max_size=7, unique=True))
    edges = []
    for (u, v), kind in chosen:
        edge: dict[str, Any] = {"from": u, "to": v, "kind": kind}
        listed = draw(st.sampled_from([None, ["p0"], ["p1"], ids]))
        if listed:
            edge["products"] = listed
        certificate = draw(st.sampled_from([True, True, False, None]))
        if certificate is not None:
            edge["documents"] = {"certificate_of_conformance": certificate}
        edges.append(edge)
    return {"nofakes": "1", "company": {"id": "acme", "name": "Acme"}, "products": products, "nodes": nodes,
            "edges": edges}


def audit(data: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    loaded = LoadedSupply(Document.model_validate(data), (Source(Path("memory.yaml"), "memory.yaml", "", "0" * 64),),
                          {})
    result = run_audit(loaded, [PACK], as_of=dt.date(2026, 11, 1), include_passes=True)
    return {(f.rule_id, f.subject, f.edge_kind or ""): "pass" if f.status is Status.passed else "fail"
            for f in result.findings}


def handles(data: dict[str, Any]) -> dict[str, set[str]]:
    held = {n["id"]: set(n["products"]) for n in data["nodes"]}
    for e in data["edges"]:
        if e["kind"] != "lists_on":
            held[e["from"]].update(e.get("products", []))
            held[e["to"]].update(e.get("products", []))
    return held


def carried(data: dict[str, Any], edge: dict[str, Any]) -> set[str]:
    if edge.get("products") or edge["kind"] == "lists_on":
        return set(edge.get("products", []))
    held = handles(data)
    return held[edge["from"]] & held[edge["to"]]


def expected(data: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    nodes = {n["id"]: n for n in data["nodes"]}
    ids = tuple(nodes)
    role = {n: nodes[n]["role"] for n in ids}
    critical = [p["id"] for p in data["products"] if p["critical"]]
    held = handles(data)
    triples = [(e["from"], e["to"], e["kind"]) for e in data["edges"]]
    certified = {(e["from"], e["to"], e["kind"]) for e in data["edges"]
                 if (e.get("documents") or {}).get("certificate_of_conformance") is True}
    unauthorized_brokers = frozenset(n for n in ids if role[n] == "broker"
                                     and (nodes[n].get("authorization") or {}).get("status") != "authorized")
    starts = tuple(n for n in ids if role[n] == "manufacturer")
    out: dict[tuple[str, str, str], str] = {}
    none: frozenset[Any] = frozenset()
    for product in critical:
        carrying = tuple(t for t, e in zip(triples, data["edges"], strict=True) if product in carried(data, e))
        ends = frozenset(n for n in ids if role[n] in ENDS and product in held[n])
        base = Case(ids, carrying, unauthorized_brokers, none, none, none, none, none, none, starts, ends, GOODS, None)
        for end, status in no_bad_path_oracle(base, None, 0, False).items():
            out[("DIF-PTH-001", f"{end}@{product}", "")] = status
        good = Case(ids, carrying, none, frozenset(carrying) - certified, none, none, none, none, none, starts, ends,
                    GOODS, None)
        for end, status in some_good_path_oracle(good).items():
            out[("DIF-PTH-002", f"{end}@{product}", "")] = status
    verified = frozenset(n for n in ids if (nodes[n].get("programs") or {}).get("returns_verification") is True)
    follow = frozenset({"supplies", "distributes", "sells", "returns"})
    ordered = Case(ids, tuple(triples), none, none, frozenset(n for n in ids if role[n] == "broker"), none,
                   frozenset(t for t in triples if t[2] == "returns"), frozenset(t for t in triples if t[2] == "sells"),
                   verified, tuple(n for n in ids if role[n] in ("manufacturer", "customer")),
                   frozenset(n for n in ids if role[n] in ENDS), follow, None)
    if affordable(ordered, "nodes", 1, True):  # else DIF-PTH-003 is left out of this case
        out.update({("DIF-PTH-003", end, ""): status
                    for end, status in no_bad_path_oracle(ordered, "nodes", 1, True).items()})
    else:
        out[("DIF-PTH-003", "*", "")] = "not judged"
    succ: dict[str, list[tuple[str, str]]] = {n: [] for n in ids}
    for u, v, kind in triples:
        if kind != "returns":  # a graph quantifier's default follow
            succ[u].append((v, kind))
    downstream_of_brokers = {p[-1] for p in simple_paths(succ, [n for n in ids if role[n] == "broker"], None)}
    for n in ids:
        out[("DIF-NOD-001", n, "")] = "fail" if n in downstream_of_brokers else "pass"
    for t, e in zip(triples, data["edges"], strict=True):
        if carried(data, e) & set(critical):
            out[("DIF-EDG-001", f"{t[0]}->{t[1]}", t[2])] = "pass" if t in certified else "fail"
    return out


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_the_audit_agrees_with_the_oracles_in_any_file_order(data: dict[str, Any], random: Any) -> None:
    full = audit(data)
    want, got = expected(data), full
    if want.pop(("DIF-PTH-003", "*", ""), None):  # too many routes for the brute-force oracle
        got = {key: status for key, status in full.items() if key[0] != "DIF-PTH-003"}
    assert got == want
    shuffled = {**data, "nodes": random.sample(data["nodes"], len(data["nodes"])),
                "edges": random.sample(data["edges"], len(data["edges"]))}
    assert audit(shuffled) == full
