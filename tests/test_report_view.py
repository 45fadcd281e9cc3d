"""The report view: one selection, one verdict and one coverage, shown alike by every format."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from helpers import ROOT, TESTS
from nofakes.audit.engine import AuditResult, run_audit
from nofakes.audit.findings import Status
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.json_report import JsonFormatter
from nofakes.reports.terminal import TerminalFormatter
from nofakes.reports.view import SEVERITY_RANK, build_view
from nofakes.supply.loading import load_supply

FIXTURES = TESTS / "fixtures" / "reports"
PACK = FIXTURES / "pack.yaml"
WAIVED = FIXTURES / "supply.yaml"
INPUTS = [*sorted(ROOT.glob("examples/*/supply.yaml")), WAIVED]


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def audit(path: Path) -> AuditResult:
    return run_audit(load_supply(path), [resolve_pack(str(PACK))])


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_failing_and_waived_findings_are_in_severity_order(path: Path) -> None:
    result = audit(path)
    view = build_view(result, RenderOptions(top=2))
    assert sorted(f.key for f in view.failing) == sorted(f.key for f in result.findings if f.status is Status.failed)
    assert sorted(f.key for f in view.waived) == sorted(f.key for f in result.waivers.applied)
    ranks = [SEVERITY_RANK[f.severity] for f in view.failing]
    assert ranks == sorted(ranks)
    assert view.worst_gaps == view.failing[:2]
    assert view.plan_shown == view.plan[:2]
    assert sorted(step.rank for group in view.plan_by_partner for step in group.steps) == [s.rank for s in view.plan]
    rules = [SEVERITY_RANK[r.rule.severity] for r in view.failing_rules]
    assert rules == sorted(rules) and all(r.counts.failed for r in view.failing_rules)


def test_coverage_counts_rules_and_subjects() -> None:
    view = build_view(audit(WAIVED), RenderOptions())
    assert (view.coverage.rules_selected, view.coverage.rules_scored) == (5, 5)
    assert view.coverage.subjects_evaluated == 7  # 6 passed or failed + 1 waived
    assert view.coverage.partners == 5
    assert view.coverage.text() == "5 of 5 rules scored, 7 subjects evaluated"


def test_terminal_and_json_show_the_same_verdict_and_coverage() -> None:
    view = build_view(audit(WAIVED), RenderOptions(fail_on="critical", fail_under=50))
    report = json.loads(JsonFormatter().render(view))
    text = " ".join(TerminalFormatter().render(view).decode().split())
    assert report["verdict"]["reasons"] == list(view.verdict.reasons)
    assert "FAIL " + "; ".join(report["verdict"]["reasons"]) in text
    assert view.coverage.text() in text
    assert report["coverage"]["rules_scored"] == view.coverage.rules_scored


def test_a_result_without_an_overall_score_is_nothing_audited() -> None:
    # the audit may report "no score" as None rather than as a Score without a value: the view reads both
    result = audit(WAIVED)
    unscored = dataclasses.replace(result, scores=dataclasses.replace(result.scores, overall=None))
    view = build_view(unscored, RenderOptions())
    assert view.overall.value is None and view.verdict.score is None
    assert not view.verdict.passed and view.verdict.reasons[0].startswith("nothing was audited")
    assert json.loads(JsonFormatter().render(view))["scores"]["overall"]["score"] is None


def test_the_view_carries_partners_links_and_open_gaps_by_severity() -> None:
    result = audit(WAIVED)
    view = build_view(result, RenderOptions())
    assert view.partners == result.partners and list(view.partners) == list(result.partners)
    assert view.links == result.links and {(link.source, link.target) for link in view.links} >= {
        ("shenzhen-pcb", "acme-factory")}
    counted = {partner: sum(counts.values()) for partner, counts in view.open_gaps.items()}
    expected: dict[str, int] = {}
    for finding in view.failing:
        if finding.partner is not None:
            expected[finding.partner] = expected.get(finding.partner, 0) + 1
    assert counted == expected
    assert all(list(counts) == list(SEVERITY_RANK) for counts in view.open_gaps.values())  # every severity, in order


def test_remediation_placeholders_are_filled_with_the_effective_parameters() -> None:
    result = audit(WAIVED)
    rules = tuple(dataclasses.replace(r, rule=r.rule.model_copy(update={
        "remediation": "Audit every {param.audit_interval_days} days; {param.unknown} stays unknown."}))
        if r.rule.id == "MIN-AUD-001" else r for r in result.rules)
    view = build_view(dataclasses.replace(result, rules=rules), RenderOptions())
    # the fixture's file sets audit_interval_days: 400 over the pack's default of 365
    assert view.remediations[(rules[0].pack, "MIN-AUD-001")] == "Audit every 400 days; ? stays unknown."
    assert len(view.remediations) == len(view.rules)
