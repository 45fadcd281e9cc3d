"""The evaluation hot path gives the results of the general code it stands in for: the text
fast paths of equals/in, compiled message templates, and the candidate index of applies_to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT
from nofakes.audit.index import facet
from nofakes.audit.subjects import NODE_SCOPE, NodeView, build_subjects
from nofakes.rules import Compiler, Fail
from nofakes.rules.templates import compile_template, render_template
from nofakes.supply.graph import build_graph
from nofakes.supply.loading import load_supply
from nofakes.supply.model import EdgeKind, Node, Role

AS_OF = dt.date(2026, 11, 1)

# values a free-form attribute may hold, next to texts they must never equal
VALUES: list[Any] = ["broker", "Broker", "", "1", "true", "2026-11-01", 1, 1.0, True, False, 0,
                     dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, 8, 0), ["broker"], {"broker": 1}, None]
TEXTS = ["broker", "1", "true", "2026-11-01", ""]


def outcome(cond: dict[str, Any], view: NodeView) -> tuple[Any, ...]:
    """(holds, missing, reason) of a condition on a view."""
    result = Compiler(NODE_SCOPE, {}, AS_OF).compile(cond, ("check",))((view,))
    if result is True:
        return (True,)
    assert isinstance(result, Fail)
    return False, result.missing, result.reason


def view(value: Any, other: Any) -> NodeView:
    """A node whose attribute `v` holds `value` and `o` holds `other`, both exactly as given (set after
    validation, which reads ISO date texts in attributes as dates)."""
    node = Node.model_validate({"id": "n1", "name": "N", "role": "broker"})
    node.attributes.update({"v": value, "o": other})
    return NodeView(node, 1, False, frozenset())


@pytest.mark.parametrize("op", ["equals", "not_equals"])
@pytest.mark.parametrize("text", TEXTS)
def test_equality_with_a_text_constant_agrees_with_the_general_comparison(op: str, text: str) -> None:
    for value in VALUES:
        subject = view(value, text)
        fast = outcome({"field": "attributes.v", op: text}, subject)  # a constant: the text fast path
        general = outcome({"field": "attributes.v", op: {"ref": "attributes.o"}}, subject)  # read per subject
        assert fast == general, (op, value, text)


@pytest.mark.parametrize("op", ["in", "not_in"])
def test_membership_in_constant_texts_agrees_with_the_general_comparison(op: str) -> None:
    for value in VALUES:
        subject = view(value, TEXTS)
        fast = outcome({"field": "attributes.v", op: TEXTS}, subject)
        general = outcome({"field": "attributes.v", op: {"ref": "attributes.o"}}, subject)
        assert fast == general, (op, value)


def test_enum_fields_compare_by_their_text() -> None:
    subject = view(None, None)
    assert outcome({"field": "role", "equals": "broker"}, subject) == (True,)
    assert outcome({"field": "role", "in": ["distributor", "broker"]}, subject) == (True,)
    assert outcome({"field": "role", "not_in": ["distributor", "broker"]}, subject) == (
        False, False, "the role is broker, expected none of distributor or broker")
    assert outcome({"field": "role", "equals": "seller"}, subject) == (
        False, False, "the role is broker, expected seller")


def test_a_compiled_template_fills_like_the_template_says() -> None:
    node = Node.model_validate({"id": "n1", "name": "Acme {Ltd}", "role": "broker",
                                "contract": {"signed": "2026-01-02"}})
    values = {"node": node, "param": {"days": 30}}
    template = ("{node.name} ({node.role}) signed {node.contract.signed}; {node.contract.expires} {param.days} "
                "{x} {node.name}")
    expected = "Acme {Ltd} (broker) signed 2026-01-02; ? 30 ? Acme {Ltd}"
    assert render_template(template, values) == expected
    assert compile_template(template)(values) == expected
    assert compile_template(template) is compile_template(template)  # split once per template
    assert render_template("no placeholders {not one}", values) == "no placeholders {not one}"
    assert render_template("", values) == ""


@pytest.fixture(scope="module")
def electronics() -> Any:
    document = load_supply(ROOT / "examples" / "electronics" / "supply.yaml").document
    return build_subjects(document, build_graph(document))


def test_node_selections_are_the_nodes_the_facets_name(electronics: Any) -> None:
    index, views = electronics.index, list(electronics.nodes.values())
    roles = [Role.distributor, Role.broker, Role.distributor]
    categories = facet(["electronics"])
    selected = index.nodes(roles, categories)
    assert sorted(v.node.id for v in selected) == sorted(
        v.node.id for v in views if v.node.role in set(roles) and "electronics" in v.categories)
    assert selected and len(selected) == len({v.node.id for v in selected})
    assert index.nodes(roles, categories) is selected  # cached: rules with the same facets share it
    assert index.nodes(None, None) == views
    assert index.nodes([], None) == []  # a path rule whose end roles exclude every applies_to role


def test_edge_and_product_selections(electronics: Any) -> None:
    index, edges = electronics.index, electronics.edges
    kinds, sources = facet([EdgeKind.supplies, EdgeKind.sells]), facet([Role.supplier, Role.distributor])
    selected = index.edges(kinds, sources, None, None)
    assert sorted(v.subject + v.edge.kind.value for v in selected) == sorted(
        v.subject + v.edge.kind.value for v in edges if v.edge.kind in kinds and v.source.role in sources)
    assert selected
    to_brand = index.edges(None, None, facet([Role.brand_owner]), facet(["electronics"]))
    assert to_brand == [v for v in edges if v.target.role is Role.brand_owner and "electronics" in v.categories]
    assert index.products(facet(["electronics"])) == [p for p in electronics.products if p.category == "electronics"]
    assert index.products(None) == electronics.products


def test_facet_of_nothing_selects_everything() -> None:
    assert facet(None) is None and facet([]) is None
    assert facet(["a", "a"]) == frozenset({"a"})


def test_rules_with_the_same_where_share_one_selection(electronics: Any) -> None:
    index = electronics.index
    candidates = index.nodes(None, None)
    calls: list[str] = []

    def applies(view: NodeView) -> bool:
        calls.append(view.node.id)
        return bool(view.node.incidents)

    first = index.applicable(candidates, "pack|node|incidents", applies)
    assert first == [v for v in candidates if v.node.incidents] and first
    assert index.applicable(candidates, "pack|node|incidents", applies) is first
    assert len(calls) == len(candidates)  # tested once per subject, not once per rule
    other = list(candidates)  # another selection (same contents): its own entry
    assert index.applicable(other, "pack|node|incidents", applies) == first
    assert len(calls) == 2 * len(candidates)


def test_where_keys_name_the_pack_target_and_condition() -> None:
    from nofakes.audit.compile import compile_rules
    from nofakes.packs.catalogue import resolve_pack

    document = load_supply(ROOT / "examples" / "electronics" / "supply.yaml").document
    supply = build_graph(document)
    pack = resolve_pack(str(ROOT / "benchmarks" / "packs" / "benchmix" / "1.0.0.yaml"))
    params = {pack.id: {name: declared.default for name, declared in pack.parameters.items()}}
    compiled = {c.rule.id: c for c in compile_rules([pack], params, AS_OF, supply, build_subjects(document, supply))}
    incidents = compiled["BMX-GEN-007"].where_key
    assert incidents is not None and incidents == compiled["BMX-EEE-005"].where_key
    assert compiled["BMX-GEN-013"].where_key not in (None, incidents)
    assert compiled["BMX-GEN-001"].where_key is None  # roles only: no per-subject test
    assert compiled["BMX-RX-005"].where_key is not None  # category is selected by the index; where shared
    assert compiled["BMX-GRF-001"].where_key is None  # path rules select their ends themselves


def test_a_where_with_a_product_filter_shares_no_selection_with_the_where_alone(tmp_path: Path) -> None:
    """Two rules with the same `where` and the same candidates, one also with `applies_to.product`: each applies to
    its own subjects, whichever is evaluated first (the product filter once leaked into the other's selection)."""
    from nofakes.audit.engine import run_audit
    from nofakes.packs.catalogue import resolve_pack

    loaded = load_supply(ROOT / "examples" / "electronics" / "supply.yaml")
    subjects = build_subjects(loaded.document, build_graph(loaded.document))
    with_incidents = [subjects.nodes[n.id] for n in loaded.document.nodes if n.incidents]
    handled = [{p.id for p in view.handles} for view in with_incidents]
    # a product some partners with incidents handle and others not: the example tells the two rules apart
    product = min(set.union(*handled) - set.intersection(*handled))
    where = "{field: incidents, length_gte: 1}"
    rules = {
        "TST-ORD-001": f"applies_to: {{where: {where}}}",
        "TST-ORD-002": f"applies_to: {{where: {where}, product: {{field: id, equals: {product}}}}}",
    }
    handling = [ids for ids in handled if product in ids]
    for order in (["TST-ORD-001", "TST-ORD-002"], ["TST-ORD-002", "TST-ORD-001"]):
        body = "".join(f"""
  - id: {rule_id}
    title: Incidents are closed
    section: s
    severity: low
    target: node
    {rules[rule_id]}
    check: {{all_items: {{field: incidents, where: {{field: kind, exists: true}}}}}}
    message: "{{node.name}}"
    remediation: Close them.
""" for rule_id in order)
        path = tmp_path / f"{order[0]}.yaml"
        path.write_text(f"pack: order\nversion: 1.0.0\ntitle: Order\nsections: [{{id: s, title: S}}]\nrules:{body}",
                        encoding="utf-8")
        counts = {r.rule.id: r.counts for r in run_audit(loaded, [resolve_pack(str(path))], as_of=AS_OF).rules}
        applicable = {rule_id: c.passed + c.failed + c.waived for rule_id, c in counts.items()}
        assert applicable == {"TST-ORD-001": len(with_incidents), "TST-ORD-002": len(handling)}, order


@pytest.mark.parametrize("path", ["role", "tier", "critical", "contract.audit_rights", "authorization.status",
                                  "authorization.expires", "due_diligence.risk", "attributes.rating", "audits",
                                  "programs.training_last"])
def test_attribute_getters_read_what_the_scope_resolves(electronics: Any, path: str) -> None:
    from nofakes.rules.fields import field, step

    get = field([NODE_SCOPE], path, ("check",)).get
    head, *tail = path.split(".")
    for subject in electronics.nodes.values():
        expected = NODE_SCOPE.resolve(subject, head)
        for name in tail:
            expected = step(expected, name)
        assert get((subject,)) == expected, (path, subject.node.id)


@pytest.mark.parametrize("path", ["from.role", "to.authorization.status", "kind", "documents.traceability",
                                  "inspection.done", "shipping.via", "critical", "attributes.reason"])
def test_edge_getters_read_what_the_scope_resolves(electronics: Any, path: str) -> None:
    from nofakes.audit.subjects import EDGE_SCOPE
    from nofakes.rules.fields import field, step

    get = field([EDGE_SCOPE], path, ("check",)).get
    head, *tail = path.split(".")
    for subject in electronics.edges:
        expected = EDGE_SCOPE.resolve(subject, head)
        for name in tail:
            expected = step(expected, name)
        assert get((subject,)) == expected, (path, subject.subject)


def test_every_root_reader_reads_what_resolve_reads(electronics: Any) -> None:
    """A root a scope later resolves differently (a new view field) must not keep a stale reader."""
    from nofakes.audit.subjects import EDGE_SCOPE

    for scope, subjects in ((NODE_SCOPE, list(electronics.nodes.values())), (EDGE_SCOPE, electronics.edges)):
        assert scope.reader is not None
        for name in scope.roots:
            reader = scope.reader(name)
            if reader is not None:
                assert all(reader(s) == scope.resolve(s, name) for s in subjects), (scope.name, name)
