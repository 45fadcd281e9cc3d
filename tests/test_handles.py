"""What a partner handles (README: The supply chain file): its own products and every product on a goods edge into or
out of it. Rules about critical products and categories must apply to a chain described only by
its edges."""

from __future__ import annotations

from pathlib import Path

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.audit.subjects import build_subjects
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.graph import build_graph
from nofakes.supply.loading import load_supply

EDGE_ONLY = Path(__file__).resolve().parent / "fixtures" / "audit" / "edge-products.yaml"


def test_products_on_goods_edges_are_handled_by_both_ends() -> None:
    document = load_supply(EDGE_ONLY).document
    views = build_subjects(document, build_graph(document)).nodes
    # the flash memory (critical electronics) reaches maker, dist, brk and shop by goods edges, in and out
    assert [nid for nid, view in views.items() if view.critical] == ["maker", "dist", "brk", "shop"]
    assert {nid for nid, view in views.items() if "electronics" in view.categories} == {"maker", "dist", "brk", "shop"}
    assert views["printer"].categories == views["books"].categories == frozenset({"print"})
    # a lists_on edge carries a listing, not goods: the book store does not handle the flash memory
    assert not views["books"].critical and views["acme"].categories == frozenset() and not views["acme"].critical


def test_a_partners_own_list_and_its_edges_add_up() -> None:
    document = load_supply(EDGE_ONLY).document
    listed = document.model_copy(update={"nodes": [
        n.model_copy(update={"products": ["manual"]}) if n.id == "dist" else n for n in document.nodes]})
    dist = build_subjects(listed, build_graph(listed)).nodes["dist"]
    assert dist.critical and dist.categories == frozenset({"electronics", "print"})


def test_category_and_critical_rules_apply_to_a_chain_described_by_its_edges() -> None:
    result = run_audit(load_supply(EDGE_ONLY), [resolve_pack("ntif@1.0.0")])
    failed = {(f.rule_id, f.subject) for f in result.findings if f.status is Status.failed}
    # the broker of electronic parts holds no accredited certificate
    assert ("NTF-CRT-003", "brk") in failed
    # makers and distributors of electronic parts without a control plan
    assert {("NTF-PRG-003", n) for n in ("maker", "dist", "brk")} <= failed
    # the shop sells a critical product that reaches it through undocumented hops
    assert ("NTF-CHN-002", "shop") in failed
    assert ("NTF-CHN-002", "books") not in failed  # it sells only the manual, not a critical product
    counts = {r.rule.id: r.counts for r in result.rules}
    assert counts["NTF-CRT-003"].failed == 1
    assert counts["NTF-PRG-003"].failed == 3 and counts["NTF-PRG-003"].passed == 0
    assert counts["NTF-CHN-002"].failed == 1
