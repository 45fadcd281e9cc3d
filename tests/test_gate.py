"""The gate: thresholds, pass or fail, and the reasons in words; one verdict for the exit code and every report."""

from __future__ import annotations

import pytest

from nofakes.audit.findings import Finding, Status, Words
from nofakes.audit.gate import FAIL_ON_CHOICES, Thresholds, judge
from nofakes.cli.audit import SEVERITIES
from nofakes.supply.model import Severity


def finding(severity: str, status: Status = Status.failed) -> Finding:
    return Finding(rule_id="R-1", pack="p@1.0.0", section="s", severity=Severity(severity), status=status,
                   subject_type="node", subject="n", subject_name="N", partner="n", words=Words("m", "d"),
                   missing_evidence=False)


FINDINGS = [finding("critical"), finding("high"), finding("high"), finding("low"),
            finding("critical", Status.waived), finding("high", Status.passed)]


@pytest.mark.parametrize(("fail_on", "passed", "reasons"), [
    ("critical", False, ("1 failing finding at or above critical",)),
    ("high", False, ("3 failing findings at or above high",)),
    ("medium", False, ("3 failing findings at or above medium",)),
    ("info", False, ("4 failing findings at or above info",)),
    ("none", True, ("no severity threshold (--fail-on none)",)),
])
def test_fail_on_counts_failing_findings_at_or_above_the_threshold(fail_on: str, passed: bool,
                                                                   reasons: tuple[str, ...]) -> None:
    verdict = judge(Thresholds(fail_on), FINDINGS, 61.25, 3)
    assert (verdict.passed, verdict.reasons) == (passed, reasons)
    assert dict(verdict.failed_by_severity) == {"critical": 1, "high": 2, "medium": 0, "low": 1, "info": 0}
    assert verdict.gaps_text() == "1 critical, 2 high, 1 low gaps"


def test_a_pass_says_why() -> None:
    verdict = judge(Thresholds("critical", 60), [finding("high")], 61.25, 3)
    assert verdict.passed
    assert verdict.reasons == ("no failing finding at or above critical", "overall score 61.2 is at or above 60")


def test_fail_under_fails_a_score_below_it_and_names_both_numbers() -> None:
    verdict = judge(Thresholds("none", 70), [], 61.25, 3)
    assert not verdict.passed
    assert verdict.reasons == ("overall score 61.2 is below 70",)
    # a score that would round up to the threshold keeps the decimals that show it is below
    assert judge(Thresholds("none", 70), [], 69.96, 3).reasons == ("overall score 69.96 is below 70",)
    assert judge(Thresholds("none", 70), [], 70.0, 3).passed


def test_both_thresholds_give_both_reasons() -> None:
    verdict = judge(Thresholds("high", 90), FINDINGS, 61.25, 3)
    assert verdict.reasons == ("3 failing findings at or above high", "overall score 61.2 is below 90")


def test_nothing_audited_is_not_a_pass() -> None:
    verdict = judge(Thresholds("high"), [], None, 3)
    assert not verdict.passed
    assert verdict.reasons == ("nothing was audited: no rule applied to any partner",)
    assert judge(Thresholds("none"), [], None, 0).reasons[0] == "nothing was audited: no rule was selected"
    with_minimum = judge(Thresholds("none", 50), [], None, 3)
    assert not with_minimum.passed
    assert with_minimum.reasons == ("nothing was audited: no rule applied to any partner",
                                    "there is no overall score to hold against the minimum of 50")


@pytest.mark.parametrize(("fail_on", "fail_under"), [("severe", 0.0), ("high", -1.0), ("high", 100.5)])
def test_bad_thresholds_are_refused(fail_on: str, fail_under: float) -> None:
    with pytest.raises(ValueError):
        Thresholds(fail_on, fail_under)


def test_the_cli_offers_exactly_the_gate_s_thresholds() -> None:
    assert SEVERITIES == FAIL_ON_CHOICES


def test_large_counts_read_with_thousands_separators() -> None:
    from nofakes.audit.result import Coverage
    from nofakes.core.text import count_of

    assert count_of(23662, "failing finding") == "23,662 failing findings"
    assert Coverage(30, 29, 248000, 10000).text() == "29 of 30 rules scored, 248,000 subjects evaluated"
