"""`unique` and `group` (nofakes.rules.sets): set checks across a rule's subjects, one index per rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.authoring.fixtures import report_lines, run_fixtures
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import load_pack_file, resolve_file
from nofakes.supply.loading import load_supply

SETS = TESTS / "fixtures" / "sets"


def test_the_fixture_cases_pass() -> None:
    """Pass and fail graphs for unique and group on node, edge and product rules, every failing
    subject and every partner sharing the value named in its reason."""
    report = run_fixtures(resolve_file(load_pack_file(SETS / "pack.yaml")), SETS / "rules")
    assert report.ok, "\n".join(report_lines(report))
    assert len(report.results) == 6


def pack_with(tmp_path: Path, check: Any, target: str = "node", **rule: Any) -> Path:
    data = yaml.safe_load((SETS / "pack.yaml").read_text(encoding="utf-8"))
    data["rules"] = [{**data["rules"][0], "check": check, "target": target, **rule}]
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def sellers(tmp_path: Path, accounts: list[str | None]) -> Path:
    nodes = [{"id": "mkt", "name": "Market", "role": "marketplace"}]
    for i, account in enumerate(accounts):
        node: dict[str, Any] = {"id": f"s{i:03d}", "name": f"Seller {i:03d}", "role": "seller"}
        if account is not None:
            node["attributes"] = {"bank_account": account}
        nodes.append(node)
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump({"nofakes": "1", "as_of": "2026-11-01", "company": {"id": "mkt", "name": "Market"},
                                    "nodes": nodes}), encoding="utf-8")
    return path


def audit(pack: Path, supply: Path) -> dict[str, tuple[Status, str]]:
    result = run_audit(load_supply(supply), [resolve_file(load_pack_file(pack))], include_passes=True,
                       only=["SET-SEL-001"])
    return {f.subject: (f.status, f.detail) for f in result.findings}


def test_long_lists_of_partners_are_shortened(tmp_path: Path) -> None:
    found = audit(SETS / "pack.yaml", sellers(tmp_path, ["IBAN-1"] * 48 + ["IBAN-2"]))
    status, detail = found["s000"]
    assert status is Status.failed
    named = ", ".join(f"Seller {i:03d}" for i in range(1, 11))
    assert detail == f"shares its bank account with {named} and 37 others"
    assert found["s047"][1].startswith("shares its bank account with Seller 000, Seller 001,")
    assert found["s048"][0] is Status.passed


def test_one_other_is_named_and_counted_in_the_singular(tmp_path: Path) -> None:
    found = audit(SETS / "pack.yaml", sellers(tmp_path, ["X"] * 12))
    assert found["s000"][1].endswith("Seller 010 and 1 other")


def test_a_list_value_is_not_a_single_value(tmp_path: Path) -> None:
    supply = sellers(tmp_path, ["X", "X"])
    data = yaml.safe_load(supply.read_text(encoding="utf-8"))
    data["nodes"][1]["attributes"]["bank_account"] = ["X", "Y"]
    supply.write_text(yaml.safe_dump(data), encoding="utf-8")
    found = audit(SETS / "pack.yaml", supply)
    assert found["s000"] == (Status.failed, "the bank account is a list of 2 values, not a single value")
    assert found["s001"][0] is Status.passed  # the list is not counted as sharing X


def test_yes_no_is_not_a_number_and_dates_compare_as_dates(tmp_path: Path) -> None:
    found = audit(SETS / "pack.yaml", sellers(tmp_path, [True, 1, "2026-01-01", "2026-01-01"]))  # type: ignore[list-item]
    assert found["s000"][0] is Status.passed and found["s001"][0] is Status.passed
    assert found["s002"] == (Status.failed, "shares its bank account with Seller 003")


@pytest.mark.parametrize(("check", "message"), [
    ({"any": [{"unique": {"field": "attributes.bank_account"}}, {"field": "name", "exists": True}]},
     "unique is only allowed in the check of a node, edge or product rule, alone or directly inside its all "
     "(not inside any, not or a quantifier)"),
    ({"not": {"group": {"by": "attributes.bank_account", "at_most": 2}}},
     "group is only allowed in the check of a node, edge or product rule, alone or directly inside its all "
     "(not inside any, not or a quantifier)"),
    ({"any_item": {"field": "audits", "where": {"unique": {"field": "date"}}}},
     "unique is only allowed in the check of a node, edge or product rule, alone or directly inside its all"),
    ({"unique": {"field": "attributes.bank_account", "at_most": 2}}, "unknown key 'at_most'"),
    ({"group": {"by": "attributes.bank_account"}}, "missing 'at_most'"),
    ({"group": {"by": "attributes.bank_account", "at_most": 0}}, "found 0"),
    ({"unique": {"field": "bank_account"}}, "unknown field 'bank_account' on a node"),
])
def test_misplaced_or_malformed_set_checks_are_located_errors(tmp_path: Path, check: Any, message: str) -> None:
    with pytest.raises(PackError) as caught:
        audit(pack_with(tmp_path, check), sellers(tmp_path, ["X"]))
    (problem,) = caught.value.diagnostics
    assert problem.message == f"rule SET-SEL-001: {message}"
    assert problem.line is not None and problem.column is not None


def test_set_checks_are_not_allowed_in_applies_to_or_company_rules(tmp_path: Path) -> None:
    where = {"role": ["seller"], "where": {"unique": {"field": "attributes.bank_account"}}}
    with pytest.raises(PackError) as caught:
        audit(pack_with(tmp_path, {"field": "name", "exists": True}, applies_to=where), sellers(tmp_path, ["X"]))
    assert "unique is only allowed in the check" in caught.value.diagnostics[0].message
    company = pack_with(tmp_path, {"unique": {"field": "company.name"}}, target="company", applies_to=None)
    with pytest.raises(PackError) as caught:
        audit(company, sellers(tmp_path, ["X"]))
    assert caught.value.diagnostics[0].expected == "target: node, edge or product, and check: {unique: ...}"


def test_the_editor_schema_knows_the_set_checks() -> None:
    validator = Draft202012Validator(json.loads((ROOT / "schemas" / "guideline-pack.schema.json").read_text("utf-8")))
    pack = yaml.safe_load((SETS / "pack.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(pack)) == []
    pack["rules"][0]["check"] = {"unique": {"feild": "attributes.bank_account"}}
    pack["rules"][1]["check"]["all"][1] = {"group": {"by": "attributes.address", "at_most": 0}}
    assert {tuple(e.absolute_path)[:2] for e in validator.iter_errors(pack)} == {("rules", 0), ("rules", 1)}


def test_blank_text_is_no_value(tmp_path: Path) -> None:
    found = audit(SETS / "pack.yaml", sellers(tmp_path, ["  ", " ", "X"]))
    assert found["s000"] == (Status.failed, "no evidence of the bank account")
    assert found["s001"] == (Status.failed, "no evidence of the bank account")
    assert found["s002"][0] is Status.passed


def test_the_pack_reference_words_the_set_checks() -> None:
    from nofakes.authoring.docs import docs_markdown

    text = docs_markdown(resolve_file(load_pack_file(SETS / "pack.yaml")))
    assert "- **Checks that:** no other partner shares its bank account\n" in text
    assert ("- **Checks that:** the identity verified is recorded as yes and at most 2 partners share its "
            "address\n") in text
    assert "- **Checks that:** no other link shares its listing agreement\n" in text


def _oracle(accounts: list[Any], bound: int) -> dict[str, tuple[Status, str]]:
    """Brute force: compare every seller with every other one."""
    def key(value: Any) -> Any:
        return "".join(value.split()).casefold() if isinstance(value, str) else value

    expected = {}
    for i, mine in enumerate(accounts):
        if mine is None:
            expected[f"s{i:03d}"] = (Status.failed, "no evidence of the bank account")
            continue
        others = [f"Seller {j:03d}" for j, theirs in enumerate(accounts) if j != i and theirs is not None
                  and key(theirs) == key(mine)]
        if len(others) + 1 <= bound:
            expected[f"s{i:03d}"] = (Status.passed, "")
        elif bound == 1:
            expected[f"s{i:03d}"] = (Status.failed, "shares its bank account with " + (
                others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]))
        else:
            expected[f"s{i:03d}"] = (Status.failed, f"shares its bank account with {len(others)} other partners "
                                     f"(at most {bound} partners may share one): " + (
                                         others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and "
                                         + others[-1]))
    return expected


@pytest.mark.parametrize("seed", range(12))
def test_unique_and_group_agree_with_comparing_every_pair_in_any_order(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    values = ["DE01", "de 01", "DE02", "FR03", "FR 03 ", "IT04"]
    accounts: list[Any] = [rng.choice([*values, None]) for _ in range(rng.randint(2, 9))]
    bound = rng.choice([1, 1, 2, 3])
    check = {"unique": {"field": "attributes.bank_account"}} if bound == 1 else {
        "group": {"by": "attributes.bank_account", "at_most": bound}}
    pack = pack_with(tmp_path, check)
    supply = sellers(tmp_path, accounts)
    assert audit(pack, supply) == _oracle(accounts, bound)
    shuffled = yaml.safe_load(supply.read_text(encoding="utf-8"))
    rng.shuffle(shuffled["nodes"])
    assert audit(pack, write_supply(tmp_path / "shuffled.yaml", shuffled)) == _oracle(accounts, bound)


def write_supply(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
