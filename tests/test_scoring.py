"""Scores and the remediation plan, pinned to hand-computed numbers (README: Scores)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_WEIGHT, Finding, RuleCounts, Status, Words
from nofakes.audit.scoring import ScoredRule, build_scores, plan, score_of
from nofakes.packs.catalogue import resolve_pack
from nofakes.packs.model import Rule
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Severity

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "engine"


def rule(rule_id: str, severity: str, section: str = "a", effort: str = "medium") -> Rule:
    return Rule.model_validate({"id": rule_id, "title": rule_id, "section": section, "severity": severity,
                                "target": "node", "check": {"field": "role", "exists": True}, "message": "m",
                                "remediation": "r", "effort": effort})


def scored(rule_id: str, severity: str, passed: int, failed: int, waived: int = 0, na: int = 0, *,
           section: str = "a", effort: str = "medium", pack: str = "p@1.0.0") -> ScoredRule:
    return ScoredRule(pack, rule(rule_id, severity, section, effort), RuleCounts(passed, failed, waived, na))


def failure(item: ScoredRule, subject: str, status: Status = Status.failed) -> Finding:
    return Finding(item.rule.id, item.pack, item.rule.section, item.rule.severity, status, "node", subject,
                   subject.title(), subject, Words("message", "detail"), False)


def test_weights_and_effort_units() -> None:
    assert SEVERITY_WEIGHT == {Severity.critical: 10, Severity.high: 7.5, Severity.medium: 5, Severity.low: 2.5,
                               Severity.info: 0}
    assert EFFORT_UNITS == {"low": 1, "medium": 2, "high": 4}
    assert scored("X-A-001", "high", 1, 1).weight == 7.5


def test_rule_compliance_leaves_out_waived_and_not_applicable() -> None:
    assert RuleCounts(3, 1, 5, 9).compliance == 0.75
    assert RuleCounts(3, 1, 5, 9).counted == 4
    assert RuleCounts(0, 0, 5, 9).compliance is None  # waived / n.a. only: no subjects counted
    assert RuleCounts(0, 2, 0, 0).compliance == 0.0
    assert scored("X-A-001", "high", 0, 0, 3, 4).counts.counted == 0


# Hand-computed example used by the tests below.
#   rule        weight  pass fail waived n.a.  c_r    w*c    section
#   R1 critical  10      3    1    0      0    0.75   7.5     a     effort high
#   R2 high      7.5     1    1    2      3    0.5    3.75    a     effort low
#   R3 medium    5       0    2    0      0    0      0       b     effort medium
#   R4 low       2.5     4    0    0      0    1      2.5     b
#   R5 info      0       0    1    0      0    0      0       b     effort low
#   R6 high      -       0    0    3      0    left out (waived only)
#   R7 critical  -       0    0    0      8    left out (not applicable only)
# overall = 100 * (7.5 + 3.75 + 0 + 2.5 + 0) / (10 + 7.5 + 5 + 2.5 + 0) = 100 * 13.75 / 25 = 55
# section a = 100 * 11.25 / 17.5 = 64.2857...; section b = 100 * 2.5 / 7.5 = 33.33...
def example() -> tuple[list[ScoredRule], list[Finding]]:
    r1 = scored("X-A-001", "critical", 3, 1, effort="high")
    r2 = scored("X-A-002", "high", 1, 1, 2, 3, effort="low")
    r3 = scored("X-B-003", "medium", 0, 2, section="b")
    r4 = scored("X-B-004", "low", 4, 0, section="b")
    r5 = scored("X-B-005", "info", 0, 1, section="b", effort="low")
    r6 = scored("X-A-006", "high", 0, 0, 3, 0)
    r7 = scored("X-A-007", "critical", 0, 0, 0, 8)
    failures = [failure(r1, "n1"), failure(r2, "n2"), failure(r3, "n3b"), failure(r3, "n3a"), failure(r5, "n5")]
    return [r1, r2, r3, r4, r5, r6, r7], failures


def test_overall_section_and_pack_scores() -> None:
    rules, failures = example()
    scores = build_scores(rules, failures, ())
    assert scores.overall.numerator == pytest.approx(13.75)
    assert scores.overall.denominator == 25
    assert scores.overall.rules == 5  # R6 and R7 are out; the info rule is counted with weight 0
    assert scores.overall.value == pytest.approx(55.0)
    assert scores.sections[("p@1.0.0", "a")].value == pytest.approx(100 * 11.25 / 17.5)
    assert scores.sections[("p@1.0.0", "b")].value == pytest.approx(100 / 3)
    assert scores.packs == {"p@1.0.0": scores.overall}


def test_pack_scores_are_separate() -> None:
    a = scored("X-A-001", "critical", 1, 1, pack="a@1.0.0")  # 0.5 * 10
    b = scored("X-A-001", "low", 1, 0, pack="b@2.0.0")  # 1 * 2.5
    scores = build_scores([a, b], [failure(a, "n1")], ())
    assert scores.packs["a@1.0.0"].value == pytest.approx(50.0)
    assert scores.packs["b@2.0.0"].value == pytest.approx(100.0)
    assert scores.overall.value == pytest.approx(100 * (5 + 2.5) / 12.5)  # 60
    # the plan looks rules up by (pack, rule id): the same id in two packs does not collide
    assert scores.plan[0].gain == pytest.approx(100 * 10 / (2 * 12.5))


def test_scores_with_nothing_in_scope() -> None:
    assert score_of([]).value is None
    assert score_of([scored("X-A-001", "high", 0, 0, 2, 2)]).value is None
    only_info = score_of([scored("X-A-001", "info", 0, 3)])
    assert only_info.denominator == 0 and only_info.value is None
    assert plan([scored("X-A-001", "info", 0, 1)], [], only_info) == ()


def test_gain_and_plan_order() -> None:
    rules, failures = example()
    steps = build_scores(rules, failures, ()).plan
    # gain = 100 * w_r / (n_r * W), W = 25; severity first, then gain per unit of effort
    #   R1 critical: 100 * 10 / (4 * 25) = 10, high (4)    -> 2.5 per unit
    #   R2 high: 100 * 7.5 / (2 * 25) = 15, low effort (1) -> 15 per unit
    #   R3 medium: 100 * 5 / (2 * 25) = 10 each, medium (2) -> 5 per unit (two findings, by subject)
    #   R5 info: not a plan step
    assert [(s.rank, s.finding.rule_id, s.finding.subject) for s in steps] == [
        (1, "X-A-001", "n1"), (2, "X-A-002", "n2"), (3, "X-B-003", "n3a"), (4, "X-B-003", "n3b")]
    assert [s.severity for s in steps] == [Severity.critical, Severity.high, Severity.medium, Severity.medium]
    assert [s.gain for s in steps] == pytest.approx([10, 15, 10, 10])
    assert [s.gain_per_effort for s in steps] == pytest.approx([2.5, 15, 5, 5])
    assert [s.effort for s in steps] == ["high", "low", "medium", "medium"]
    # cumulative projected overall score: 55 -> 65 -> 80 -> 90 -> 100
    assert [s.projected for s in steps] == pytest.approx([65, 80, 90, 100])


def test_a_critical_gap_is_never_below_a_lesser_one() -> None:
    """A critical finding with a tiny gain (many subjects, high effort) still comes first.

    W = 10 + 2.5 = 12.5. critical: 100 * 10 / (100 * 12.5) = 0.8, high effort -> 0.2 per unit;
    low: 100 * 2.5 / (1 * 12.5) = 20, low effort -> 20 per unit.
    """
    big = scored("X-A-001", "critical", 99, 1, effort="high")
    small = scored("X-A-002", "low", 0, 1, effort="low")
    steps = build_scores([big, small], [failure(small, "s"), failure(big, "b")], ()).plan
    assert [(s.finding.rule_id, s.severity) for s in steps] == [("X-A-001", Severity.critical),
                                                                ("X-A-002", Severity.low)]
    assert [s.gain for s in steps] == pytest.approx([0.8, 20])
    assert [s.gain_per_effort for s in steps] == pytest.approx([0.2, 20])


def test_no_score_when_nothing_is_scored() -> None:
    assert build_scores([], [], ()).overall is None
    assert build_scores([scored("X-A-001", "high", 0, 0, 2, 2)], [], ()).overall is None
    info = scored("X-A-001", "info", 0, 1)
    scores = build_scores([info], [failure(info, "n1")], ())
    assert scores.overall is None and scores.plan == ()  # an info rule weighs nothing: no score, no step


def test_projected_score_equals_a_rescoring_after_each_fix() -> None:
    rules, failures = example()
    steps = build_scores(rules, failures, ()).plan
    counts = {r.rule.id: [r.counts.passed, r.counts.failed] for r in rules}
    for step in steps:
        counts[step.finding.rule_id][0] += 1
        counts[step.finding.rule_id][1] -= 1
        rescored = [ScoredRule(r.pack, r.rule, RuleCounts(*counts[r.rule.id], r.counts.waived,
                                                          r.counts.not_applicable)) for r in rules]
        assert score_of(rescored).value == pytest.approx(step.projected)


def test_plan_ignores_waived_findings() -> None:
    r1 = scored("X-A-001", "high", 1, 1, 1)
    steps = build_scores([r1], [failure(r1, "n1"), failure(r1, "n2", Status.waived)], ()).plan
    assert [s.finding.subject for s in steps] == ["n1"]
    assert steps[0].gain == pytest.approx(100 * 7.5 / (2 * 7.5))  # n_r = 2: the waived subject is not counted


def test_plan_ties_are_deterministic() -> None:
    r1 = scored("X-A-001", "medium", 0, 3)
    r2 = scored("X-A-002", "medium", 0, 3)
    fails = [failure(r2, "b"), failure(r1, "c"), failure(r2, "a"), failure(r1, "a")]
    steps = build_scores([r1, r2], fails, ()).plan
    assert [(s.finding.rule_id, s.finding.subject) for s in steps] == [
        ("X-A-001", "a"), ("X-A-001", "c"), ("X-A-002", "a"), ("X-A-002", "b")]


# ---------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def audit() -> Any:
    return run_audit(load_supply(FIXTURES / "supply.yaml"), [resolve_pack(str(FIXTURES / "mini-pack.yaml"))])


def test_end_to_end_scores_by_hand(audit: Any) -> None:
    """tests/fixtures/engine/supply.yaml against mini-pack.yaml, as_of 2026-11-01 (from the file).

    rule         w    subjects                                   pass fail  c_r   w*c
    MIN-AUD-001  7.5  pcb (audit pass), cm (audit fail)           1    1    .5    3.75
    MIN-CON-001  7.5  pcb ok; cm, brk no contract; dist false     1    3    .25   1.875
    MIN-DOC-001  5    supplies/distributes edges: pcb->cm, acme->dist
                      have a CoC; cm->acme none, acme->brk false   2    2    .5    2.5
    MIN-PTH-001  10   shop via authorized dist; web via brk
                      (no authorization: no evidence = forbidden)  1    1    .5    5
    MIN-INC-001  7.5  shop (handles critical amp) has cm, with an
                      open incident, upstream                     0    1    0     0
    overall = 100 * (3.75 + 1.875 + 2.5 + 5 + 0) / (7.5 + 7.5 + 5 + 10 + 7.5) = 100 * 13.125 / 37.5 = 35
    vetting (AUD, CON) = 100 * 5.625 / 15 = 37.5; channels (DOC, PTH, INC) = 100 * 7.5 / 22.5 = 33.33
    """
    assert audit.as_of.isoformat() == "2026-11-01"
    counts = {r.rule.id: r.counts for r in audit.rules}
    assert counts == {
        "MIN-AUD-001": RuleCounts(1, 1, 0, 5),
        "MIN-CON-001": RuleCounts(1, 3, 0, 3),
        "MIN-DOC-001": RuleCounts(2, 2, 0, 2),
        "MIN-INC-001": RuleCounts(0, 1, 0, 6),
        "MIN-PTH-001": RuleCounts(1, 1, 0, 5),
    }
    overall = audit.scores.overall
    assert (overall.numerator, overall.denominator, overall.rules) == (pytest.approx(13.125), 37.5, 5)
    assert overall.value == pytest.approx(35.0)
    assert audit.scores.sections[("mini@1.0.0", "vetting")].value == pytest.approx(37.5)
    assert audit.scores.sections[("mini@1.0.0", "channels")].value == pytest.approx(100 / 3)
    assert audit.scores.packs["mini@1.0.0"].value == pytest.approx(35.0)


def test_end_to_end_partner_scores(audit: Any) -> None:
    """Partner score: the same formula over each partner's own findings (edge rules: the `from` node).

    pcb: AUD pass 7.5, CON pass 7.5, DOC pcb->cm pass 5         -> 100
    cm: AUD, CON, DOC cm->acme all fail (20 of weight)            -> 0
    acme: DOC acme->dist pass, acme->brk fail: c = .5 of 5       -> 50
    shop: PTH pass 10, INC fail 7.5                               -> 100 * 10 / 17.5 = 57.14
    """
    partners = {p.partner: p for p in audit.scores.partners}
    assert sorted(partners) == ["acme", "brk", "cm", "dist", "pcb", "shop", "web"]
    assert partners["pcb"].score.value == pytest.approx(100.0) and partners["pcb"].score.rules == 3
    assert partners["cm"].score.value == 0 and partners["cm"].failed == 3 and partners["cm"].score.denominator == 20
    assert partners["acme"].score.value == pytest.approx(50.0)
    assert partners["shop"].score.value == pytest.approx(100 * 10 / 17.5)
    assert partners["web"].score.value == 0 and partners["web"].score.denominator == 10


def test_end_to_end_plan(audit: Any) -> None:
    """W = 37.5. gain = 100 * w / (n * W); default effort medium. Severity first, then gain per unit.

    PTH web   critical  100*10/(2*37.5)  = 13.33  medium -> 6.67
    INC shop  high      100*7.5/(1*37.5) = 20     medium -> 10/unit
    AUD cm    high      100*7.5/(2*37.5) = 10     medium -> 5     (ties with CON on 5/unit, larger gain first)
    CON x3    high      100*7.5/(4*37.5) = 5      low    -> 5     (brk, cm, dist)
    DOC x2    medium    100*5/(4*37.5)   = 3.33   medium -> 1.67  (acme->brk, cm->acme)
    """
    steps = audit.scores.plan
    assert [(s.finding.rule_id, s.finding.subject) for s in steps] == [
        ("MIN-PTH-001", "web"), ("MIN-INC-001", "shop"), ("MIN-AUD-001", "cm"), ("MIN-CON-001", "brk"),
        ("MIN-CON-001", "cm"), ("MIN-CON-001", "dist"), ("MIN-DOC-001", "acme->brk"), ("MIN-DOC-001", "cm->acme")]
    assert [s.severity.value for s in steps] == ["critical", *["high"] * 5, "medium", "medium"]
    assert [s.gain for s in steps] == pytest.approx([40 / 3, 20, 10, 5, 5, 5, 10 / 3, 10 / 3])
    assert [s.projected for s in steps] == pytest.approx([35 + 40 / 3, 68 + 1 / 3, 78 + 1 / 3, 83 + 1 / 3,
                                                          88 + 1 / 3, 93 + 1 / 3, 96 + 2 / 3, 100])
