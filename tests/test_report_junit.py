"""The JUnit XML report: one test suite per pack, one test case per rule, counts as in the view."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.junit import NOT_APPLICABLE, JunitFormatter
from nofakes.reports.view import ReportView, build_view
from nofakes.supply.loading import load_supply

EXAMPLES = sorted(ROOT.glob("examples/*/supply.yaml"))
FIXTURE = TESTS / "fixtures" / "reports" / "supply.yaml"


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def view_of(path: Path, pack: str = "ntif") -> ReportView:
    return build_view(run_audit(load_supply(path), [resolve_pack(pack)]), RenderOptions())


def parse(view: ReportView) -> ET.Element:
    data = JunitFormatter().render(view)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    return ET.fromstring(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_one_suite_per_pack_and_one_case_per_rule_with_the_view_counts(path: Path) -> None:
    view = view_of(path)
    root = parse(view)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [p.id for p in view.packs]
    for suite in suites:
        rules = [r for r in view.rules if r.pack == suite.get("name")]
        cases = suite.findall("testcase")
        assert [c.get("name", "").split(" ", 1)[0] for c in cases] == [r.rule.id for r in rules]
        assert all(c.get("classname") == f"{r.pack}.{r.rule.section}" for c, r in zip(cases, rules, strict=True))
        assert int(suite.get("tests", "")) == len(rules)
        assert int(suite.get("failures", "")) == sum(1 for r in rules if r.counts.failed)
        assert int(suite.get("skipped", "")) == sum(1 for r in rules if not r.counts.counted and not r.counts.failed)
        assert suite.get("errors") == "0"
        for case, scored in zip(cases, rules, strict=True):
            failure = case.find("failure")
            if scored.counts.failed:
                assert failure is not None and failure.get("type") == scored.rule.severity.value
                lines = (failure.text or "").strip().splitlines()
                failing = [f for f in view.failing if (f.pack, f.rule_id) == (scored.pack, scored.rule.id)]
                assert len(lines) == scored.counts.failed == len(failing)
                assert all(f.message.split(" ")[0] in line for f, line in zip(failing, lines, strict=True))
            else:
                assert failure is None
    assert int(root.get("tests", "")) == len(view.rules)
    assert int(root.get("failures", "")) == len(view.failing_rules)


def test_not_applicable_rules_are_skipped_and_waived_subjects_are_listed() -> None:
    view = view_of(ROOT / "examples" / "electronics" / "supply.yaml")
    root = parse(view)
    cases = {c.get("name", "").split(" ", 1)[0]: c for c in root.iter("testcase")}
    unscored = [r for r in view.rules if not r.counts.counted]
    assert unscored, "the example has a rule that applies to no partner"
    for scored in unscored:
        skipped = cases[scored.rule.id].find("skipped")
        assert skipped is not None
        message = skipped.get("message", "")
        assert message == NOT_APPLICABLE if not scored.counts.waived else message.startswith("waived: every subject")
    for finding in view.waived:
        out = cases[finding.rule_id].find("system-out")
        assert out is not None and finding.partner is not None
        assert f"({finding.partner})" in (out.text or "") and "waived until" in (out.text or "")


def test_the_verdict_and_the_pack_hash_are_suite_properties() -> None:
    view = view_of(FIXTURE, str(TESTS / "fixtures" / "reports" / "pack.yaml"))
    suite = parse(view).find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["pack.sha256"] == view.packs[0].sha256
    assert props["verdict"] == ("PASS: " if view.verdict.passed else "FAIL: ") + "; ".join(view.verdict.reasons)
    assert props["as_of"] == view.as_of.isoformat()
