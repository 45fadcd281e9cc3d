"""The JUnit XML report: the audit as test results for CI dashboards (Jenkins, GitLab, Azure, ...).

The layout is the de facto schema those tools read (Jenkins' junit plugin, GitLab's unit
test reports): `<testsuites>` with one `<testsuite>` per pack and one `<testcase>` per rule
of the pack, in audit order.

- a rule with a failing subject is a test case with a `<failure>`: its message counts the
  failing subjects, its type is the rule's severity, its text lists every failing subject
  (partner, subject and the finding's message), most severe first as in every report;
- a rule with no failing subject is a passed test case;
- a rule none of whose subjects was counted is `<skipped>`: "not applicable" when no subject
  was in its scope, "waived" when every subject in scope is waived;
- waived subjects are listed in the test case's `<system-out>`, with the waiver.

A failure is a failing rule, whatever its severity: whether the run passes is the verdict
(`--fail-on`, `--fail-under`), which the report carries as properties of the test suites
and the exit code carries for the CI job. The report is deterministic (no timestamps, no
durations). Input text reaches the XML through `markup.clean` (no control characters, no
character XML cannot hold) and ElementTree's escaping.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping

from nofakes.audit.findings import Finding
from nofakes.audit.scoring import ScoredRule
from nofakes.core.text import count_of
from nofakes.reports.base import Formatter
from nofakes.reports.common import delta_text, display_path, score_text
from nofakes.reports.markup import clean
from nofakes.reports.view import ReportView

NOT_APPLICABLE = "not applicable: no subject was in the rule's scope"


def _subject_line(view: ReportView, finding: Finding) -> str:
    partner = view.partner_name(finding.partner)
    who = f"{partner} ({finding.partner})" if partner is not None and finding.partner is not None else ""
    subject = finding.subject if finding.subject != finding.partner else ""
    head = " ".join(part for part in (clean(who), clean(subject)) if part) or clean(finding.subject_name)
    mark = view.change(finding)
    line = f"{'[' + mark + '] ' if mark else ''}{head}: {clean(finding.message)}"
    if finding.detail:
        line += f" (why: {clean(finding.detail)})"
    return line


def _waived_line(view: ReportView, finding: Finding) -> str:
    line = _subject_line(view, finding)
    waiver = finding.waiver
    if waiver is not None:
        line += (f"; waived until {waiver.expires.isoformat()} by {clean(waiver.approved_by)}: "
                 f"{clean(waiver.reason)}")
    return line


def _by_rule(findings: Iterable[Finding]) -> Mapping[tuple[str, str], list[Finding]]:
    out: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        out[(finding.pack, finding.rule_id)].append(finding)
    return out


def _properties(parent: ET.Element, values: Mapping[str, str]) -> None:
    properties = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(properties, "property", name=name, value=value)


def _testcase(view: ReportView, suite: ET.Element, scored: ScoredRule, failing: list[Finding],
              waived: list[Finding]) -> str:
    """Adds the rule's test case; returns its outcome: 'failure', 'skipped' or 'passed'."""
    rule, counts = scored.rule, scored.counts
    case = ET.SubElement(suite, "testcase", name=f"{clean(rule.id)} {clean(rule.title)}",
                         classname=f"{clean(scored.pack)}.{clean(rule.section)}")
    outcome = "passed"
    if failing:
        verb = "fails" if counts.failed == 1 else "fail"
        message = (f"{counts.failed} of {count_of(counts.counted, 'subject')} {verb} "
                   f"({rule.severity.value}): {clean(rule.title)}")
        failure = ET.SubElement(case, "failure", message=message, type=rule.severity.value)
        failure.text = "\n".join(_subject_line(view, f) for f in failing) + "\n"
        outcome = "failure"
    elif not counts.counted:
        reason = f"waived: every subject in scope ({counts.waived}) is waived" if counts.waived else NOT_APPLICABLE
        ET.SubElement(case, "skipped", message=reason)
        outcome = "skipped"
    if waived:
        out = ET.SubElement(case, "system-out")
        out.text = f"{count_of(len(waived), 'waived subject')}:\n" + "\n".join(_waived_line(view, f)
                                                                            for f in waived) + "\n"
    return outcome


def _baseline_properties(view: ReportView, name: str) -> dict[str, str]:
    """With --baseline: the pack's new, unchanged and fixed gaps and its score change."""
    comparison = view.baseline
    if comparison is None:
        return {}
    new, unchanged, fixed = comparison.pack_counts.get(name, (0, 0, 0))
    change = next((c for c in comparison.scores if c.pack == name and c.section is None), None)
    return {"baseline.file": clean(display_path(comparison.file)), "baseline.as_of": clean(comparison.as_of),
            "baseline.new": str(new), "baseline.unchanged": str(unchanged), "baseline.fixed": str(fixed),
            "baseline.score_change": delta_text(change.delta if change else None)}


def build_tree(view: ReportView) -> ET.Element:
    """The `<testsuites>` element of the report."""
    failing, waived = _by_rule(view.failing), _by_rule(view.waived)
    verdict = view.verdict
    root = ET.Element("testsuites", name=f"nofakes audit of {clean(view.company_name)}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for index, pack in enumerate(view.packs):
        suite = ET.SubElement(root, "testsuite", name=clean(pack.id), id=str(index))
        score = view.scores.packs.get(pack.id)
        _properties(suite, {
            "pack.title": clean(pack.title), "pack.sha256": pack.sha256,
            "pack.score": score_text(score.value if score else None),
            "company": f"{clean(view.company_name)} ({clean(view.company_id)})", "as_of": view.as_of.isoformat(),
            "input.sha256": view.input_hash, "tool": f"nofakes {view.tool_version}",
            "verdict": ("PASS: " if verdict.passed else "FAIL: ") + "; ".join(verdict.reasons),
            **_baseline_properties(view, pack.name),
        })
        tally = {"tests": 0, "failure": 0, "skipped": 0}
        for scored in (r for r in view.rules if r.pack == pack.id):
            key = (scored.pack, scored.rule.id)
            outcome = _testcase(view, suite, scored, failing.get(key, []), waived.get(key, []))
            tally["tests"] += 1
            if outcome != "passed":
                tally[outcome] += 1
        for name, count in (("tests", tally["tests"]), ("failures", tally["failure"]), ("skipped", tally["skipped"])):
            suite.set(name, str(count))
            totals[name] += count
        suite.set("errors", "0")
    for name in ("tests", "failures", "skipped"):
        root.set(name, str(totals[name]))
    root.set("errors", "0")
    return root


class JunitFormatter(Formatter):
    def render(self, view: ReportView) -> bytes:
        root = build_tree(view)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


__all__ = ["JunitFormatter", "build_tree"]
