"""`context.*` (the audit) and `company.*` (the auditing company) read from rules of every target,
at any depth: list items, graph quantifiers, path selectors (README: Rule language, Context)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rulekit import audit, failing, node

from nofakes.core.errors import PackError

NODES = [node("acme", "brand_owner", country="US"), node("home", country="US", contract={"signed": "2026-01-10"}),
         node("away", country="DE", contract={"signed": "2026-12-20"},
              licenses=[{"kind": "wholesale_distributor", "jurisdiction": "US"}])]
EDGES = [{"from": "home", "to": "acme", "kind": "supplies"}, {"from": "away", "to": "home", "kind": "supplies"}]
SUPPLY = {"as_of": "2026-12-02", "nodes": NODES, "edges": EDGES}


def run(tmp_path: Path, target: str, check: dict[str, object], **extra: object) -> dict[str, str]:
    rule = {"id": "KIT-CTX-001", "target": target, "check": check, **extra}
    return failing(audit(tmp_path, [rule], SUPPLY))


def test_a_node_rule_compares_with_the_company_country(tmp_path: Path) -> None:
    found = run(tmp_path, "node", {"field": "country", "equals": {"ref": "company.country"}},
                applies_to={"role": ["supplier"]})
    assert found == {"away": "the country is DE, expected US"}


def test_the_audit_date_is_readable_as_context_as_of(tmp_path: Path) -> None:
    found = run(tmp_path, "node", {"field": "contract.signed", "lte": {"ref": "context.as_of"}},
                applies_to={"role": ["supplier"]})
    assert found == {"away": "the contract's signing date is 2026-12-20, 18 days after the audit date (2026-12-02); "
                             "expected on or before it"}


def test_an_edge_rule_reads_the_company(tmp_path: Path) -> None:
    found = run(tmp_path, "edge", {"field": "from.country", "equals": {"ref": "company.country"}})
    assert found == {"away->home": "the supplying partner's country is DE, expected US"}


def test_company_fields_are_read_inside_list_items(tmp_path: Path) -> None:
    same = {"field": "jurisdiction", "equals": {"ref": "company.country"}}
    check = {"any_item": {"field": "licenses", "where": same}}
    found = run(tmp_path, "node", check, applies_to={"role": ["supplier"]})
    assert found == {"home": "no evidence of a licence"}  # away's licence is for the company's country


def test_company_fields_are_read_inside_a_graph_quantifier(tmp_path: Path) -> None:
    check = {"upstream_none": {"where": {"field": "country", "not_equals": {"ref": "company.country"}}}}
    found = run(tmp_path, "node", check)
    assert set(found) == {"acme", "home"}
    assert found["home"] == ("the upstream partner Away matches: the country is not the company's country "
                             "(route: Away -> Home)")


def test_a_path_rule_reads_the_company(tmp_path: Path) -> None:
    path = {"start": {"role": ["supplier"]}, "end": {"role": ["brand_owner"]},
            "forbid_nodes": {"field": "country", "equals": {"ref": "company.country"}}}
    rule = {"id": "KIT-CTX-001", "target": "path", "path": path}
    found = failing(audit(tmp_path, [rule], SUPPLY))
    assert list(found) == ["acme"]  # through Home, a partner in the company's country
    assert "the country is US" in found["acme"] and "Home" in found["acme"]


def test_a_product_rule_reads_the_audit_date(tmp_path: Path) -> None:
    def product(pid: str, number: str, expires: str) -> dict[str, object]:
        mark = {"registration": number, "office": "USPTO", "expires": expires}
        return {"id": pid, "name": pid.title(), "trademarks": [mark]}

    supply = {**SUPPLY, "products": [product("p1", "US 1", "2025-01-01"), product("p2", "US 2", "2030-01-01")]}
    check = {"all_items": {"field": "trademarks", "where": {"field": "expires", "gte": {"ref": "context.as_of"}}}}
    found = failing(audit(tmp_path, [{"id": "KIT-CTX-001", "target": "product", "check": check}], supply))
    assert found == {"p1": "trademark US 1: the trademark's expiry date is 2025-01-01, 700 days before the audit date "
                           "(2026-12-02); expected on or after it"}


def test_a_company_rule_still_reads_its_own_company(tmp_path: Path) -> None:
    found = run(tmp_path, "company", {"field": "company.country", "equals": "DE"})
    assert found == {"acme": "the company's country is US, expected DE"}


@pytest.mark.parametrize(("path", "message"), [
    ("company.contry", "unknown field 'company.contry'"),
    ("context.date", "unknown field 'context.date'"),
])
def test_a_misspelt_context_field_is_a_located_load_error(tmp_path: Path, path: str, message: str) -> None:
    with pytest.raises(PackError) as error:
        run(tmp_path, "node", {"field": "country", "equals": {"ref": path}})
    (problem,) = error.value.diagnostics
    assert message in problem.message and problem.line is not None and problem.path.endswith("check.equals.ref")


def test_words_of_the_audit_date(tmp_path: Path) -> None:
    found = run(tmp_path, "node", {"field": "context.as_of", "lt": dt.date(2026, 1, 1)},
                applies_to={"role": ["supplier"]})
    assert found["home"] == "the audit date is 2026-12-02, expected less than 2026-01-01"


def test_company_is_reserved_inside_free_form_items(tmp_path: Path) -> None:
    nodes = [node("acme", "brand_owner", country="US"),
             node("with", attributes={"contacts": [{"company": {"name": "Other"}}]})]
    check = {"any_item": {"field": "attributes.contacts", "where": {"field": "company.name", "equals": "Acme"}}}
    rule = {"id": "KIT-CTX-001", "target": "node", "applies_to": {"role": ["supplier"]}, "check": check}
    assert failing(audit(tmp_path, [rule], {"nodes": nodes})) == {}  # the auditing company's name, not the item's
