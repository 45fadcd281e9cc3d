"""`../` inside a graph quantifier reads the partner where the traversal starts; the engine groups
the starts by the values read, one traversal per distinct value (README: Rule language, Graph
quantifiers). Checked against a brute-force traversal from every start on random small graphs."""

from __future__ import annotations

import random
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from rulekit import audit, failing, node

from nofakes.audit.findings import Status
from nofakes.core.errors import PackError

SAME_COUNTRY = {"field": "country", "equals": {"ref": "../country"}}
SAME_ROLE_ABROAD = {"all": [{"field": "role", "equals": {"ref": "../role"}},
                            {"field": "country", "not_equals": {"ref": "../country"}}]}
LICENSED_HERE = {"field": "jurisdiction", "equals": {"ref": "../../country"}}  # a licence item, its partner, the start
CERTIFIED_HERE = {"any_item": {"field": "licenses", "where": LICENSED_HERE}}


def test_fixture_an_upstream_supplier_in_the_same_country(tmp_path: Path) -> None:
    nodes = [node("de1", country="DE"), node("de2", country="DE"), node("fr1", country="FR"),
             node("fr2", country="FR")]
    edges = [{"from": "de1", "to": "de2", "kind": "supplies"}, {"from": "de1", "to": "fr1", "kind": "supplies"},
             {"from": "fr1", "to": "fr2", "kind": "supplies"}]
    rule = {"id": "KIT-GRA-001", "target": "node", "check": {"upstream_any": {"where": SAME_COUNTRY}}}
    result = audit(tmp_path, [rule], {"nodes": nodes, "edges": edges})
    assert failing(result) == {
        "de1": "no upstream partner where the country is the starting partner's country",
        "fr1": "no upstream partner where the country is the starting partner's country"}
    passed = {f.subject for f in audit(tmp_path, [rule], {"nodes": nodes, "edges": edges}).findings
              if f.status is Status.passed}
    assert passed == set()  # passes are counted, not kept
    assert result.rules[0].counts.passed == 2  # de2 (from de1) and fr2 (from fr1)


def test_fixture_a_licence_for_the_starting_partners_country_deep_inside(tmp_path: Path) -> None:
    nodes = [node("maker", country="US", licenses=[{"kind": "manufacturer", "jurisdiction": "US"}]),
             node("us", "distributor", country="US"), node("de", "distributor", country="DE")]
    edges = [{"from": "maker", "to": "us", "kind": "supplies"}, {"from": "maker", "to": "de", "kind": "supplies"}]
    rule = {"id": "KIT-GRA-001", "target": "node", "applies_to": {"role": ["distributor"]},
            "check": {"upstream_any": {"where": CERTIFIED_HERE}}}
    assert list(failing(audit(tmp_path, [rule], {"nodes": nodes, "edges": edges}))) == ["de"]


@pytest.mark.parametrize(("path", "what"), [("../name", "a value"), ("../attributes.group", "free-form data"),
                                            ("../tier", "a value"), ("../due_diligence.date", "a value")])
def test_a_start_field_with_unbounded_values_is_rejected_at_load(tmp_path: Path, path: str, what: str) -> None:
    rule = {"id": "KIT-GRA-001", "target": "node",
            "check": {"downstream_none": {"where": {"field": "name", "equals": {"ref": path}}}}}
    with pytest.raises(PackError) as error:
        audit(tmp_path, [rule], {"nodes": [node("a")]})
    (problem,) = error.value.diagnostics
    assert problem.message.startswith(f"rule KIT-GRA-001: '{path}' inside downstream_none reads {what} of the "
                                      "starting partner that may differ for every partner")
    assert problem.path.endswith("downstream_none.where.equals.ref") and problem.line is not None


def brute_force(doc: dict[str, Any], kind: str, where: Any, follow: set[str], max_hops: int | None) -> set[str]:
    """Failing starts, by a separate traversal from every start (the oracle)."""
    nodes = {n["id"]: n for n in doc["nodes"]}
    upstream = kind.startswith("upstream")
    step: dict[str, set[str]] = {n: set() for n in nodes}
    for e in doc["edges"]:
        if e["kind"] in follow:
            (step[e["to"]] if upstream else step[e["from"]]).add(e["from"] if upstream else e["to"])
    failing_starts = set()
    for start in nodes:
        seen, queue, found = {start: 0}, deque([start]), False
        seen_any: set[str] = set()
        while queue:
            current = queue.popleft()
            if max_hops is not None and seen[current] >= max_hops:
                continue
            for other in step[current]:
                if other not in seen_any:
                    seen_any.add(other)
                    found = found or where(nodes[other], nodes[start])
                    if other not in seen:
                        seen[other] = seen[current] + 1
                        queue.append(other)
        if found != kind.endswith("_any"):
            failing_starts.add(start)
    return failing_starts


ORACLES = {
    "same_country": (SAME_COUNTRY, lambda v, s: v["country"] == s["country"]),
    "same_role_abroad": (SAME_ROLE_ABROAD, lambda v, s: v["role"] == s["role"] and v["country"] != s["country"]),
    # one member reads the start and one does not: the latter is tested once per partner
    "distributor_abroad": ({"all": [{"field": "role", "equals": "distributor"},
                                    {"field": "country", "not_equals": {"ref": "../country"}}]},
                           lambda v, s: v["role"] == "distributor" and v["country"] != s["country"]),
}


@pytest.mark.parametrize("seed", range(60))
def test_grouped_traversals_agree_with_a_traversal_per_start(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 12)
    roles, countries = ["supplier", "distributor", "wholesaler"], ["DE", "FR", "US"]
    nodes = [node(f"n{i}", rng.choice(roles), country=rng.choice(countries)) for i in range(n)]
    edges = [{"from": f"n{rng.randrange(n)}", "to": f"n{rng.randrange(n)}",
              "kind": rng.choice(["supplies", "distributes", "returns"])} for _ in range(rng.randint(0, 3 * n))]
    edges = [e for e in edges if e["from"] != e["to"]]
    edges = list({(e["from"], e["to"], e["kind"]): e for e in edges}.values())
    kind = rng.choice(["upstream_any", "downstream_any", "upstream_none", "downstream_none"])
    condition, oracle = ORACLES[rng.choice(sorted(ORACLES))]
    max_hops = rng.choice([None, 1, 2])
    follow = ["supplies", "distributes"]
    spec: dict[str, Any] = {"where": condition, "follow": follow, **({"max_hops": max_hops} if max_hops else {})}
    doc = {"nodes": nodes, "edges": edges}
    rng.shuffle(doc["nodes"])
    result = audit(tmp_path, [{"id": "KIT-GRA-001", "target": "node", "check": {kind: spec}}], doc)
    assert set(failing(result)) == brute_force(doc, kind, oracle, set(follow), max_hops)


def test_one_traversal_per_distinct_value_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nofakes.audit.compile as compile_module
    import nofakes.audit.nearby as nearby

    calls: list[int] = []
    real = compile_module.reach_from

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compile_module, "reach_from", counting)
    monkeypatch.setattr(nearby, "reach_from", counting)  # the traversals over what can reach the rule's subjects
    nodes = [node(f"n{i}", country=["DE", "FR", "US"][i % 3]) for i in range(30)]
    edges = [{"from": f"n{i}", "to": f"n{i + 1}", "kind": "supplies"} for i in range(29)]
    rule = {"id": "KIT-GRA-001", "target": "node", "check": {"upstream_any": {"where": SAME_COUNTRY}}}
    audit(tmp_path, [rule], {"nodes": nodes, "edges": edges})
    assert len(calls) == 3  # 30 starts, 3 countries


def test_a_start_that_meets_a_match_nearby_needs_no_traversal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`upstream_any` with `max_hops` asks only whether a match reaches the start: a start whose
    supplier abroad is one hop away is answered by searching from it, without its country's traversal,
    and so is one whose few partners within reach hold no match; a start whose search gives up takes
    its country's traversal."""
    import nofakes.audit.compile as compile_module
    import nofakes.audit.nearby as nearby

    calls: list[int] = []
    real = nearby.reach_from

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compile_module, "reach_from", counting)
    monkeypatch.setattr(nearby, "reach_from", counting)
    nodes = [node(f"m{i}", "manufacturer", country="CN") for i in range(3)]
    nodes += [node(f"d{i}", "distributor", country=["DE", "FR", "US"][i % 3]) for i in range(30)]
    nodes.append(node("lone", "distributor", country="CN"))
    edges = [{"from": f"m{i % 3}", "to": f"d{i}", "kind": "supplies"} for i in range(30)]
    edges.append({"from": "m0", "to": "lone", "kind": "supplies"})
    abroad = {"all": [{"field": "role", "equals": "manufacturer"},
                      {"field": "country", "not_equals": {"ref": "../country"}}]}
    rule = {"id": "KIT-GRA-001", "target": "node", "applies_to": {"role": ["distributor"]},
            "check": {"upstream_any": {"where": abroad, "follow": ["supplies"], "max_hops": 2}}}
    result = audit(tmp_path, [rule], {"nodes": nodes, "edges": edges})
    assert list(failing(result)) == ["lone"]  # its only manufacturer is in its own country
    assert result.rules[0].counts.passed == 30
    assert calls == []  # every start answered from its own few partners
    monkeypatch.setattr(nearby, "NEIGHBOURHOOD", 0)  # the search gives up after a start's first partner
    assert list(failing(audit(tmp_path, [rule], {"nodes": nodes, "edges": edges}))) == ["lone"]
    assert len(calls) == 1  # the others' first partner matches; lone's does not: the traversal for CN


@pytest.mark.parametrize("seed", range(40))
def test_a_start_s_neighbourhood_gives_the_whole_graph_traversal_s_findings(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start's traversal runs over its own neighbourhood (with `max_hops`), else over the partners
    that can reach the rule's subjects once per start value (nofakes.audit.nearby), else over the
    whole graph once per start value: the same findings, word for word, evidence paths included."""
    import nofakes.audit.nearby as nearby

    rng = random.Random(1000 + seed)
    n = rng.randint(2, 14)
    roles, countries = ["supplier", "distributor", "wholesaler"], ["DE", "FR", "US"]
    nodes = [node(f"n{i}", rng.choice(roles), country=rng.choice(countries)) for i in range(n)]
    edges = [{"from": f"n{rng.randrange(n)}", "to": f"n{rng.randrange(n)}",
              "kind": rng.choice(["supplies", "distributes", "returns"])} for _ in range(rng.randint(1, 3 * n))]
    edges = list({(e["from"], e["to"], e["kind"]): e for e in edges if e["from"] != e["to"]}.values())
    kind = rng.choice(["upstream_any", "downstream_any", "upstream_none", "downstream_none"])
    condition = ORACLES[rng.choice(sorted(ORACLES))][0]
    hops = rng.choice([None, 1, 2, 3])
    spec = {"where": condition, "follow": ["supplies", "distributes"], **({"max_hops": hops} if hops else {})}
    rule = {"id": "KIT-GRA-001", "target": "node", "check": {kind: spec}}

    def findings() -> list[tuple[str, str, tuple[str, ...]]]:
        result = audit(tmp_path, [rule], {"nodes": nodes, "edges": edges})
        return [(f.subject, f.detail, f.evidence) for f in result.findings]

    near = findings()
    monkeypatch.setattr(nearby, "NEIGHBOURHOOD", 0)
    assert findings() == near
    monkeypatch.setattr(nearby.Nearby, "covers", lambda self, start: False)
    assert findings() == near
