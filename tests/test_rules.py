"""Fixture tests for the rules of the built-in guideline packs.

Every rule of `ntif@1.0.0` has a file `tests/rules/ntif/<RULE-ID>.yaml`:

    rule: NTF-AUD-001
    as_of: 2026-11-01                 # audit date for every case (a case may override it)
    cases:
      - name: recent passing audit passes
        supply: {nofakes: "1", company: ..., products: ..., nodes: ..., edges: ...}
        expect:
          fail: [ids]                   # subjects: node id, 'from->to', product id, company id, path end id
          pass: [ids]
          waived: [ids]
          not_applicable: [ids]         # compared by count (N/A subjects are not kept as findings)
          missing_evidence: [ids]       # optional: failing subjects whose failure is "no evidence of ..."
          evidence: {end-id: [node ids]}  # optional: path evidence of a failing subject
          detail: {id: "substring"}     # optional: text expected in the finding's detail
          message: {id: "substring"}    # optional: text expected in the finding's message

Each case writes `supply` to a file, loads it like a user's file and audits it against the
pack as resolved by name (so the test also proves the pack ships where `resolve_pack` looks).
A meta-test (in the spirit of SQLFluff's rule meta-tests) checks that every rule has a
fixture file with at least one passing and one failing case, and the documentation fields
every rule needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.packs.catalogue import resolve_pack
from nofakes.rules import GRAPH_QUANTIFIERS, LEAF_OPERATORS, QUANTIFIERS
from nofakes.supply.loading import load_supply

FIXTURES = Path(__file__).resolve().parent / "rules"
PACKS = {"ntif": "ntif@1.0.0"}
EXPECT_KEYS = {"fail", "pass", "waived", "not_applicable", "missing_evidence", "evidence", "detail", "message"}
STATUS_KEYS = {Status.failed: "fail", Status.passed: "pass", Status.waived: "waived"}


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path}: a fixture file is a mapping"
    return data


def _cases() -> list[Any]:
    params = []
    for path in _fixture_files():
        data = _load(path)
        for index, case in enumerate(data.get("cases") or []):
            name = case.get("name", f"case {index + 1}")
            params.append(pytest.param(path, index, id=f"{data.get('rule', path.stem)}: {name}"))
    return params


@pytest.fixture(scope="module")
def packs() -> dict[str, Any]:
    return {name: resolve_pack(ref) for name, ref in PACKS.items()}


@pytest.mark.parametrize(("path", "index"), _cases())
def test_rule_fixture(path: Path, index: int, tmp_path: Path, packs: dict[str, Any]) -> None:
    data = _load(path)
    rule_id = data["rule"]
    case = data["cases"][index]
    expect = case["expect"]
    unknown = set(expect) - EXPECT_KEYS
    assert not unknown, f"unknown expect keys {sorted(unknown)}"
    as_of = case.get("as_of", data.get("as_of"))
    assert isinstance(as_of, dt.date), "as_of must be a date"

    supply_file = tmp_path / "supply.yaml"
    supply_file.write_text(yaml.safe_dump(case["supply"], sort_keys=False, allow_unicode=True), encoding="utf-8")
    loaded = load_supply(supply_file)
    pack = packs[path.parent.name]
    result = run_audit(loaded, [pack], as_of=as_of, include_passes=True)

    (scored,) = [s for s in result.rules if s.rule.id == rule_id]
    findings = [f for f in result.findings if f.rule_id == rule_id]
    got: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        got[STATUS_KEYS[finding.status]].add(finding.subject)
    for key in ("fail", "pass", "waived"):
        assert got[key] == set(expect.get(key) or []), (
            f"{key}: expected {sorted(expect.get(key) or [])}, got {sorted(got[key])}\n"
            + "\n".join(f"  {f.status.value} {f.subject}: {f.detail}" for f in findings))
    assert scored.counts.passed == len(got["pass"]) and scored.counts.failed == len(got["fail"])
    assert scored.counts.waived == len(got["waived"])
    assert scored.counts.not_applicable == len(expect.get("not_applicable") or []), (
        f"not_applicable: expected {len(expect.get('not_applicable') or [])} "
        f"({sorted(expect.get('not_applicable') or [])}), got {scored.counts.not_applicable}")

    by_subject = {f.subject: f for f in findings if f.status is not Status.passed}
    if "missing_evidence" in expect:
        missing = {f.subject for f in by_subject.values() if f.missing_evidence}
        assert missing == set(expect["missing_evidence"]), f"missing evidence: got {sorted(missing)}"
    for subject, nodes in (expect.get("evidence") or {}).items():
        assert subject in by_subject, f"no failing finding for {subject}"
        assert list(by_subject[subject].evidence) == list(nodes), (
            f"evidence of {subject}: expected {nodes}, got {list(by_subject[subject].evidence)}")
    for field in ("detail", "message"):
        for subject, text in (expect.get(field) or {}).items():
            assert subject in by_subject, f"no failing finding for {subject}"
            value = getattr(by_subject[subject], field)
            assert text in value, f"{field} of {subject}: {text!r} not in {value!r}"
    for finding in findings:
        if finding.status is Status.failed:
            assert "?" not in finding.message, f"unfilled placeholder in {finding.message!r}"


# ---------------------------------------------------------------- meta-tests


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_rule_has_fixtures_and_documentation(name: str, packs: dict[str, Any]) -> None:
    pack = packs[name]
    folder = FIXTURES / name
    rule_ids = {rule.id for rule in pack.rules}
    files = {path.stem: path for path in folder.glob("*.yaml")}
    assert not set(files) - rule_ids, f"fixtures for rules the pack does not have: {sorted(set(files) - rule_ids)}"
    problems = []
    for rule in pack.rules:
        for attribute in ("title", "rationale", "remediation", "message"):
            if not (getattr(rule, attribute) or "").strip():
                problems.append(f"{rule.id}: no {attribute}")
        if not rule.references:
            problems.append(f"{rule.id}: no references")
        if rule.id not in files:
            problems.append(f"{rule.id}: no fixture file {folder / (rule.id + '.yaml')}")
            continue
        data = _load(files[rule.id])
        if data.get("rule") != rule.id:
            problems.append(f"{files[rule.id].name}: 'rule' is {data.get('rule')!r}")
        cases = data.get("cases") or []
        if not any(case["expect"].get("pass") for case in cases):
            problems.append(f"{rule.id}: no case where a subject passes")
        if not any(case["expect"].get("fail") for case in cases):
            problems.append(f"{rule.id}: no case where a subject fails")
        names = [case.get("name") for case in cases]
        if len(set(names)) != len(names) or not all(names):
            problems.append(f"{rule.id}: cases need unique names")
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
    missing = [op for op in (*LEAF_OPERATORS, *QUANTIFIERS, "param", "ref", "plus_days") if op not in keys]
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
