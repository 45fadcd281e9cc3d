"""The editor schema for packs describes conditions recursively: every structural mistake the
loader rejects, at any depth, is also rejected by `schemas/guideline-pack.schema.json`, and every
valid pack in the repository passes it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import ROOT, plain_data
from nofakes.authoring.lint import lint

PACK_SCHEMA = ROOT / "schemas" / "guideline-pack.schema.json"
LIST_QUANTIFIER = {"any_item": {"field": "audits", "where": {"field": "result", "in": ["pass", "conditional"]}}}
GRAPH_QUANTIFIER = {"upstream_any": {"where": {"field": "incidents", "length_gte": 1}, "follow": ["supplies"],
                                     "max_hops": 3}}
PLUGIN_PACKS = ROOT / "examples" / "plugin-pack" / "src" / "nofakes_toys" / "guidelines"
VALID_PACKS = sorted([*ROOT.glob("guidelines/*/*.yaml"), *PLUGIN_PACKS.glob("*/*.yaml"),
                      *ROOT.glob("examples/plugin-pack/drafts/*/*.yaml"), *ROOT.glob("tests/fixtures/*/*pack.yaml")])


def base_pack() -> dict[str, Any]:
    """A valid pack with a rule of each kind of condition that the mutations below break."""
    rule = {"title": "t", "section": "s", "severity": "high", "target": "node", "message": "{node.name} fails",
            "remediation": "Fix it."}
    return {
        "pack": "elx", "version": "1.0.0", "title": "Electronics", "status": "draft",
        "parameters": {"days": {"default": 30, "description": "Window", "minimum": 1, "maximum": 365},
                       "authority": {"default": "^(FDA|EMA)$", "description": "An authority"}},
        "sections": [{"id": "s", "title": "S"}],
        "rules": [
            {**rule, "id": "ELX-NST-001",
             "check": {"all": [{"any": [{"not": {"field": "contract.anti_counterfeit_clause", "is_false": True}},
                                        {"field": "due_diligence.date", "within_days": {"param": "days"}}]}]}},
            {**rule, "id": "ELX-LST-001", "check": copy.deepcopy(LIST_QUANTIFIER)},
            {**rule, "id": "ELX-CNT-001",
             "applies_to": {"role": ["supplier"],
                            "where": {"count": {"field": "audits", "where": {"field": "kind", "equals": "onsite"},
                                                "gte": 1}}},
             "check": {"all_items": {"field": "certifications",
                                     "where": {"field": "expires", "not_expired": True}}}},
            {**rule, "id": "ELX-GRA-001", "check": copy.deepcopy(GRAPH_QUANTIFIER)},
            {**rule, "id": "ELX-MAT-001",
             "check": {"field": "name", "matches": {"param": "authority"}, "label": "a recognised authority"}},
            {**rule, "id": "ELX-REF-001",
             "check": {"any_item": {"field": "audits",
                                    "where": {"field": "date", "gt": {"ref": "../due_diligence.date",
                                                                      "plus_days": 1}}}}},
            {**rule, "id": "ELX-PTH-001", "target": "path",
             "path": {"start": {"role": ["manufacturer"]}, "end": {"role": ["retailer"]},
                      "forbid_nodes": {"not": {"field": "authorization.status", "equals": "authorized"}}}},
        ],
    }


def check_of(pack: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in pack["rules"] if r["id"] == rule_id)


def set_check(rule_id: str, condition: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(pack: dict[str, Any]) -> None:
        check_of(pack, rule_id)["check"] = condition
    return mutate


def nested(leaf: Any) -> dict[str, Any]:
    """`leaf` three levels deep: all > any > not."""
    return {"all": [{"any": [{"not": leaf}, {"field": "due_diligence.date", "within_days": 30}]}]}


def in_applies_to(pack: dict[str, Any]) -> None:
    check_of(pack, "ELX-CNT-001")["applies_to"]["where"]["count"]["where"] = {"field": "kind", "equal": "onsite"}


def in_path(pack: dict[str, Any]) -> None:
    check_of(pack, "ELX-PTH-001")["path"]["forbid_nodes"] = {"not": {"field": "authorization.status", "eq": "x"}}


def graph(**spec: Any) -> dict[str, Any]:
    return {"upstream_none": spec}


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "misspelt operator three levels deep": set_check("ELX-NST-001", nested({"field": "role", "equalz": "broker"})),
    "misspelt operator inside a list quantifier": set_check(
        "ELX-LST-001", {"any_item": {"field": "audits", "where": {"field": "result", "inn": ["pass"]}}}),
    "misspelt operator inside count in applies_to": in_applies_to,
    "misspelt operator in a path's forbid_nodes": in_path,
    "misspelt operator inside a graph quantifier": set_check(
        "ELX-GRA-001", {"upstream_any": {"where": {"field": "incidents", "lenght_gte": 1}}}),
    "two operators in one leaf": set_check("ELX-NST-001", nested({"field": "role", "equals": "a", "in": ["b"]})),
    "a leaf without field": set_check("ELX-NST-001", nested({"equals": "broker"})),
    "a leaf with no operator": set_check("ELX-NST-001", nested({"field": "role"})),
    "all_items without where": set_check("ELX-CNT-001", {"all_items": {"field": "certifications"}}),
    "graph quantifier without where": set_check("ELX-GRA-001", graph(follow=["supplies"])),
    "unknown key in a graph quantifier": set_check(
        "ELX-GRA-001", graph(where={"field": "incidents", "length_gte": 1}, max_hop=2)),
    "unknown key in a list quantifier": set_check(
        "ELX-LST-001", {"any_item": {"field": "audits", "wher": {"field": "result", "equals": "pass"}}}),
    "list quantifier without field": set_check("ELX-LST-001", {"any_item": {"where": {"field": "result",
                                                                                      "equals": "pass"}}}),
    "count with two bounds": set_check("ELX-LST-001", {"count": {"field": "audits", "gte": 1, "lte": 3}}),
    "count without a bound": set_check("ELX-LST-001", {"count": {"field": "audits"}}),
    "count with a bound that is not a number": set_check("ELX-LST-001", {"count": {"field": "audits", "gte": "one"}}),
    "a quantifier beside another key": set_check("ELX-LST-001", {**LIST_QUANTIFIER, "field": "audits"}),
    "a combinator beside a leaf": set_check("ELX-NST-001", {"all": [{"field": "role", "equals": "a"}],
                                                            "field": "role", "equals": "b"}),
    "two combinators in one mapping": set_check("ELX-NST-001", {"all": [{"field": "role", "equals": "a"}],
                                                                "any": [{"field": "role", "equals": "b"}]}),
    "an empty all": set_check("ELX-NST-001", nested({"all": []})),
    "any that is not a list": set_check("ELX-NST-001", {"any": {"field": "role", "equals": "a"}}),
    "not over a list": set_check("ELX-NST-001", {"not": [{"field": "role", "equals": "a"}]}),
    "an empty condition": set_check("ELX-NST-001", nested({})),
    "a condition that is text": set_check("ELX-NST-001", nested("role is broker")),
    "label on an operator other than matches": set_check(
        "ELX-NST-001", nested({"field": "role", "equals": "broker", "label": "a broker"})),
    "a blank label": set_check("ELX-MAT-001", {"field": "name", "matches": "^x", "label": "  "}),
    "is_true: false": set_check("ELX-NST-001", nested({"field": "contract.flow_down", "is_true": False})),
    "exists with text": set_check("ELX-NST-001", nested({"field": "contract", "exists": "yes"})),
    "within_days negative": set_check("ELX-NST-001", nested({"field": "due_diligence.date", "within_days": -3})),
    "within_days as text": set_check("ELX-NST-001", nested({"field": "due_diligence.date", "within_days": "30"})),
    "a misspelt param key": set_check("ELX-NST-001", nested({"field": "role", "equals": {"parm": "days"}})),
    "matches with a field reference": set_check("ELX-MAT-001", {"field": "name", "matches": {"ref": "id"}}),
    "plus_days that is not a number": set_check(
        "ELX-REF-001", {"any_item": {"field": "audits", "where": {
            "field": "date", "gt": {"ref": "../due_diligence.date", "plus_days": "1"}}}}),
    "follow with an unknown edge kind": set_check(
        "ELX-GRA-001", graph(where={"field": "incidents", "length_gte": 1}, follow=["teleports"])),
    "max_hops of zero": set_check("ELX-GRA-001", graph(where={"field": "incidents", "length_gte": 1}, max_hops=0)),
    "two offsets on one reference": set_check(
        "ELX-REF-001", {"any_item": {"field": "audits", "where": {
            "field": "date", "gt": {"ref": "../due_diligence.date", "plus_days": 1, "minus_business_days": 2}}}}),
    "a misspelt offset": set_check(
        "ELX-REF-001", {"any_item": {"field": "audits", "where": {
            "field": "date", "gt": {"ref": "../due_diligence.date", "plus_business_day": 1}}}}),
    "within_business_days negative": set_check(
        "ELX-NST-001", nested({"field": "due_diligence.date", "within_business_days": -1})),
}


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def write(tmp_path: Path, pack: dict[str, Any]) -> Path:
    path = tmp_path / "elx" / "1.0.0.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(pack, sort_keys=False), encoding="utf-8")
    return path


def test_there_are_enough_mutations() -> None:
    assert len(MUTATIONS) >= 15


def test_the_unmutated_pack_is_valid_for_loader_and_schema(tmp_path: Path, validator: Draft202012Validator) -> None:
    pack = base_pack()
    report = lint([write(tmp_path, pack)])
    assert report.errors == 0, [d.format() for d in report.diagnostics]
    assert [e.message for e in validator.iter_errors(pack)] == []


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_schema_rejects_what_the_loader_rejects(name: str, tmp_path: Path,
                                                    validator: Draft202012Validator) -> None:
    pack = base_pack()
    MUTATIONS[name](pack)
    report = lint([write(tmp_path, pack)])
    assert report.errors >= 1, f"the loader accepts {name}"
    assert list(validator.iter_errors(pack)), f"the schema accepts {name}, which the loader rejects"


def test_the_schema_points_at_the_nested_mistake(validator: Draft202012Validator) -> None:
    """An editor underlines the mapping holding the misspelt operator, not just the rule."""
    pack = base_pack()
    MUTATIONS["misspelt operator three levels deep"](pack)
    (error,) = validator.iter_errors(pack)
    deepest = max((e for e in _leaves(error)), key=lambda e: len(e.absolute_path))
    assert list(deepest.absolute_path)[:7] == ["rules", 0, "check", "all", 0, "any", 0]
    # the key itself, by name (`propertyNames`), where an editor underlines it
    named = [e for e in _all(error) if e.message.startswith("'equalz' is not one of ['all', 'any', 'not', 'field'")]
    assert [list(e.absolute_path) for e in named] == [["rules", 0, "check", "all", 0, "any", 0, "not"]]


def _all(error: Any) -> list[Any]:
    return [error, *(e for c in error.context for e in _all(c))]


def _leaves(error: Any) -> list[Any]:
    return [error] if not error.context else [leaf for e in error.context for leaf in _leaves(e)]


def test_there_are_valid_packs_to_check() -> None:
    assert len(VALID_PACKS) >= 6


@pytest.mark.parametrize("path", VALID_PACKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_valid_pack_in_the_repository_passes_the_schema(path: Path, validator: Draft202012Validator,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", str(PLUGIN_PACKS))  # the draft extends toys@1.0.0
    assert lint([path]).errors == 0
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(plain_data(path))]
    assert errors == []


def test_the_example_of_mistakes_fails_both(validator: Draft202012Validator) -> None:
    """The file of deliberate mistakes shown in guidelines/CONTRIBUTING.md: its misspelt operator,
    inside a quantifier inside `all`, is flagged by the schema too."""
    path = ROOT / "examples" / "plugin-pack" / "drafts" / "toys-with-mistakes.yaml"
    assert lint([path]).errors == 4
    (error,) = validator.iter_errors(plain_data(path))
    deepest = max(_leaves(error), key=lambda e: len(e.absolute_path))
    assert list(deepest.absolute_path)[:7] == ["rules", 0, "check", "any_item", "where", "all", 0]
