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
from nofakes.rules import GRAPH_QUANTIFIERS, LEAF_OPERATORS, QUANTIFIERS

FIXTURES = Path(__file__).resolve().parent / "rules"
PACKS = {"ntif": "ntif@1.0.0"}


def _cases() -> list[Any]:
    return [pytest.param(name, case, id=f"{case.rule}: {case.name}")
            for name in sorted(PACKS) for case in load_cases(FIXTURES / name)]


@pytest.fixture(scope="module")
def packs() -> dict[str, Any]:
    return {name: resolve_pack(ref) for name, ref in PACKS.items()}


@pytest.mark.parametrize(("name", "case"), _cases())
def test_rule_fixture(name: str, case: Case, tmp_path: Path, packs: dict[str, Any]) -> None:
    result = run_case(packs[name], case, tmp_path)
    assert result.passed, "\n".join(result.problems)


# ---------------------------------------------------------------- meta-tests


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_rule_has_fixtures_and_documentation(name: str, packs: dict[str, Any]) -> None:
    pack = packs[name]
    problems = meta_problems(pack, load_cases(FIXTURES / name))
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
    released = [op for op in LEAF_OPERATORS if op not in ("present", "absent", "within_business_days")]
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
