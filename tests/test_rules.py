"""Fixture tests for the rules of the built-in guideline packs.

Every rule of `ntif@1.0.0` has a file `tests/rules/ntif/<RULE-ID>.yaml`, in the public fixture
format of `nofakes guidelines test` (see `nofakes.authoring.fixtures`). These tests run the
same harness, one pytest case per fixture case, against the pack as resolved by name (so they
also prove the pack ships where `resolve_pack` looks); the meta-test adds to the harness's
meta-check (a passing and a failing case for every rule) the documentation fields every
built-in rule needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nofakes.authoring.fixtures import Case, load_cases, meta_problems, run_case
from nofakes.packs.catalogue import resolve_pack
from nofakes.packs.model import RuleStatus
from nofakes.rules import GRAPH_QUANTIFIERS, LEAF_OPERATORS, QUANTIFIERS

FIXTURES = Path(__file__).resolve().parent / "rules"
PACKS = {"ntif": "ntif@1.0.0"}
# The fixture folders of each built-in version: a later folder's file replaces an earlier one's for
# the same rule, so a version that extends another keeps the fixtures of the rules it does not change
# (`nofakes guidelines test` takes one folder, which then needs every rule's file).
VERSIONS = {"ntif@1.0.0": ("ntif",), "ntif@1.1.0": ("ntif", "ntif-1.1.0"), "screening@1.0.0": ("screening",)}


def cases_of(ref: str) -> list[Case]:
    """The cases of every active rule of the version `ref`."""
    by_rule: dict[str, list[Case]] = {}
    for folder in VERSIONS[ref]:
        cases: dict[str, list[Case]] = {}
        for case in load_cases(FIXTURES / folder):
            cases.setdefault(case.rule, []).append(case)
        by_rule.update(cases)
    active = {rule.id for rule in resolve_pack(ref).rules if rule.status is not RuleStatus.deprecated}
    return [case for rule_id, cases in sorted(by_rule.items()) if rule_id in active for case in cases]


def _cases() -> list[Any]:
    return [pytest.param(ref, case, id=f"{ref} {case.rule}: {case.name}")
            for ref in VERSIONS for case in cases_of(ref)]


@pytest.fixture(scope="module")
def packs() -> dict[str, Any]:
    return {name: resolve_pack(ref) for name, ref in PACKS.items()}


@pytest.fixture(scope="module")
def versions() -> dict[str, Any]:
    return {ref: resolve_pack(ref) for ref in VERSIONS}


@pytest.mark.parametrize(("ref", "case"), _cases())
def test_rule_fixture(ref: str, case: Case, tmp_path: Path, versions: dict[str, Any]) -> None:
    result = run_case(versions[ref], case, tmp_path)
    assert result.passed, "\n".join(result.problems)


# ---------------------------------------------------------------- meta-tests


@pytest.mark.parametrize("ref", sorted(VERSIONS))
def test_every_rule_has_fixtures_and_documentation(ref: str, versions: dict[str, Any]) -> None:
    pack = versions[ref]
    problems = meta_problems(pack, cases_of(ref))
    for rule in pack.rules:
        for attribute in ("title", "rationale", "remediation", "message"):
            if not (getattr(rule, attribute) or "").strip():
                problems.append(f"{rule.id}: no {attribute}")
        if not rule.references:
            problems.append(f"{rule.id}: no references")
    assert not problems, "\n".join(problems)


def _walk(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        found.update(k for k in value if isinstance(k, str))
        for item in value.values():
            _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


def test_ntif_exercises_the_whole_condition_language(packs: dict[str, Any]) -> None:
    """The first built-in pack doubles as a showcase: every target, operator and quantifier."""
    pack = packs["ntif"]
    keys: set[str] = set()
    for rule in pack.rules:
        _walk(rule.model_dump(mode="json", exclude_none=True), keys)
    # ntif 1.0.0 is released (immutable): the operators of rule language 2 are shown in tests/test_language2.py
    # and tests/test_date_offsets.py
    # `unlisted` reads the audit's screening: the screening pack shows it (tests/test_audit_screening.py)
    released = [op for op in LEAF_OPERATORS if op not in ("present", "absent", "within_business_days", "unlisted")]
    missing = [op for op in (*released, *QUANTIFIERS, "param", "ref", "plus_days") if op not in keys]
    assert not missing, f"never used: {missing}"
    assert keys & set(GRAPH_QUANTIFIERS)
    assert {"upstream_none", "upstream_any"} <= keys
    assert {rule.target.value for rule in pack.rules} == {"node", "edge", "product", "company", "path"}
    modes = {rule.path.mode for rule in pack.rules if rule.path is not None}
    assert modes == {"no_bad_path", "some_good_path"}
    for rule in pack.rules:
        assert rule.id.startswith("NTF-"), rule.id
    used_params = set()
    text = "\n".join(rule.model_dump_json() for rule in pack.rules)
    for name in pack.parameters:
        if f'"param":"{name}"' in text.replace(" ", "") or f"{{param.{name}}}" in text:
            used_params.add(name)
    assert used_params == set(pack.parameters), f"declared but unused: {sorted(set(pack.parameters) - used_params)}"
