"""Patterns from packs and from parameter overrides (a supply file's `parameters:`, `--param`)
are matched by RE2 in linear time: the inputs that hung the audit (`(a|a)*$`: killed after
120 s; `(a|aa)+$`: 58 s) finish at once. The assertions are on the results; a hang would be
caught by the test run's timeout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.loading import load_supply

LONG = "a" * 50_000 + "b"  # defeats a backtracking engine on both patterns


def supply(tmp_path: Path, reported_to: str, parameters: dict[str, Any] | None = None) -> Path:
    doc: dict[str, Any] = {
        "nofakes": "1", "as_of": "2026-11-01", "company": {"id": "acme", "name": "Acme", "country": "US"},
        "nodes": [
            {"id": "acme", "name": "Acme", "role": "brand_owner"},
            {"id": "cm", "name": "Contract Maker", "role": "contract_manufacturer",
             "incidents": [{"id": "INC-1", "kind": "counterfeit", "discovered": "2026-08-01", "quarantined": True,
                            "reported": [{"to": reported_to, "date": "2026-08-20"}], "status": "closed"}]},
        ],
        "edges": [{"from": "cm", "to": "acme", "kind": "supplies"}],
    }
    if parameters:
        doc["parameters"] = parameters
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def incident_finding(path: Path, **kwargs: Any) -> Any:
    result = run_audit(load_supply(path), [resolve_pack("ntif@1.0.0")], **kwargs)
    return [f for f in result.findings if f.rule_id == "NTF-INC-001" and f.subject == "cm"]


@pytest.mark.parametrize(("pattern", "matches"), [("(a|a)*$", True), ("(a|aa)+$", False)])
def test_a_pattern_override_in_the_supply_file_is_linear(tmp_path: Path, pattern: str, matches: bool) -> None:
    # the incident is older than the reporting window, so only a matching report makes it pass
    found = incident_finding(supply(tmp_path, LONG, {"authority_pattern": pattern}))
    assert (found == []) is matches
    if not matches:
        assert found[0].status is Status.failed
        assert "(a|aa)" not in found[0].detail and "does not match the expected wording" in found[0].detail


@pytest.mark.parametrize(("pattern", "matches"), [("(a|a)*$", True), ("(a|aa)+$", False)])
def test_a_pattern_given_with_param_is_linear(tmp_path: Path, pattern: str, matches: bool) -> None:
    found = incident_finding(supply(tmp_path, LONG), cli_params={"authority_pattern": pattern})
    assert (found == []) is matches


def test_a_pattern_override_with_a_backreference_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        incident_finding(supply(tmp_path, "GIDEP", {"authority_pattern": r"(G)\1"}))
    (diag,) = info.value.diagnostics
    assert "parameter authority_pattern" in diag.message and "backreferences" in diag.message
    assert diag.file.endswith("1.0.0.yaml") and diag.line is not None


@pytest.mark.parametrize(("pattern", "expected"), [("(a|a)*$", Status.passed), ("^(a|aa)+$", Status.failed)])
def test_a_pack_pattern_is_linear(tmp_path: Path, pattern: str, expected: Status) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: acme\nversion: 1.0.0\ntitle: Test\nstatus: released\nsources: [{id: src, title: Source}]\n"
        "sections: [{id: vetting, title: Vetting}]\nrules:\n"
        "  - id: ACM-GEN-001\n    title: Names\n    section: vetting\n    severity: high\n    target: node\n"
        f"    check: {{field: attributes.code, matches: '{pattern}', label: a valid code}}\n"
        '    message: "{node.name} has no valid code"\n    remediation: Fix it.\n', encoding="utf-8")
    doc = {"nofakes": "1", "company": {"id": "acme", "name": "Acme", "country": "US"},
           "nodes": [{"id": "acme", "name": "Acme", "role": "brand_owner", "attributes": {"code": LONG}}]}
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = run_audit(load_supply(path), [resolve_pack(str(pack))], include_passes=True)
    (finding,) = [f for f in result.findings if f.rule_id == "ACM-GEN-001"]
    assert finding.status is expected
    if expected is Status.failed:
        assert finding.detail.startswith('the code "aaaa') and finding.detail.endswith('" does not name a valid code')


def test_a_pattern_parameter_label_words_the_reason(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: acme\nversion: 1.0.0\ntitle: Test\nstatus: released\nsources: [{id: src, title: Source}]\n"
        "parameters:\n  code_pattern: {default: '^(A|B)-[0-9]+$', description: 'Regular expression for codes',"
        " label: a registered site code}\n"
        "sections: [{id: vetting, title: Vetting}]\nrules:\n"
        "  - id: ACM-GEN-001\n    title: Codes\n    section: vetting\n    severity: high\n    target: node\n"
        "    check: {field: attributes.code, matches: {param: code_pattern}}\n"
        '    message: "{node.name} has no valid code"\n    remediation: Fix it.\n', encoding="utf-8")
    doc = {"nofakes": "1", "company": {"id": "acme", "name": "Acme", "country": "US"},
           "nodes": [{"id": "acme", "name": "Acme", "role": "brand_owner", "attributes": {"code": "C-12"}}]}
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    (finding,) = [f for f in run_audit(load_supply(path), [resolve_pack(str(pack))]).findings
                  if f.rule_id == "ACM-GEN-001"]
    assert finding.detail == 'the code "C-12" does not name a registered site code'
