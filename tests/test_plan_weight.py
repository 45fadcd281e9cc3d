"""The risk-weighted remediation plan (audit --plan-weight risk): only the order changes, as
RISK_WEIGHT_FORMULA says; gains and the projected score after every step stay the real ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.audit.scoring import RISK_WEIGHT_FORMULA, build_scores, risk_weighted
from nofakes.cli.main import cli as main
from tests.test_scoring import failure, scored

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "electronics" / "supply.yaml"


# overall: R1 critical 10 x 3/4, R2 medium 5 x 1/2, R3 medium 5 x 2/3 -> W = 20
#   gain R1 = 100 * 10 / (4 * 20) = 12.5; R2 = 100 * 5 / (2 * 20) = 12.5; R3 = 100 * 5 / (3 * 20) = 8.333
#   unweighted: R1 (critical), then R2 (12.5 / 2) before R3 (8.333 / 2)
#   weighted with risk(calm) = 0, risk(risky) = 100: R3 = 8.333 x (1 + 100/100) / 2 = 8.333 > R2 6.25
def _example() -> tuple[float, tuple]:
    r1 = scored("X-A-001", "critical", 3, 1)
    r2 = scored("X-A-002", "medium", 1, 1)
    r3 = scored("X-A-003", "medium", 2, 1)
    scores = build_scores([r1, r2, r3], [failure(r1, "risky"), failure(r2, "calm"), failure(r3, "risky")], ())
    assert scores.overall is not None and scores.overall.value is not None
    return scores.overall.value, scores.plan


def test_the_order_within_a_severity_follows_gain_times_one_plus_risk() -> None:
    start, plan = _example()
    assert [s.finding.rule_id for s in plan] == ["X-A-001", "X-A-002", "X-A-003"]
    weighted = risk_weighted(plan, start, {"calm": 0.0, "risky": 100.0})
    assert [s.finding.rule_id for s in weighted] == ["X-A-001", "X-A-003", "X-A-002"]
    assert [s.rank for s in weighted] == [1, 2, 3]
    assert [s.gain for s in weighted] == pytest.approx([12.5, 100 * 5 / 60, 12.5])  # gains unweighted
    assert [s.projected for s in weighted] == pytest.approx([start + 12.5, start + 12.5 + 100 * 5 / 60, 100.0])
    assert weighted[-1].projected == pytest.approx(plan[-1].projected)  # the score after every fix: the real one


def test_a_small_risk_difference_does_not_beat_a_larger_gain() -> None:
    start, plan = _example()
    weighted = risk_weighted(plan, start, {"calm": 0.0, "risky": 40.0})  # 8.333 x 1.4 = 11.67 < 12.5
    assert [s.finding.rule_id for s in weighted] == ["X-A-001", "X-A-002", "X-A-003"]


def test_severity_stays_first_and_no_risk_keeps_the_plan() -> None:
    start, plan = _example()
    weighted = risk_weighted(plan, start, {"calm": 100.0, "risky": 0.0})
    assert weighted[0].finding.rule_id == "X-A-001"  # critical, though its partner has no risk
    assert risk_weighted(plan, start, {}) == plan


def _json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--format", "json", "--fail-on", "none", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_audit_option_reorders_the_plan_and_shows_its_formula() -> None:
    plain, weighted = _json(), _json("--plan-weight", "risk")
    assert "plan_weight_formula" not in plain["scoring"]
    assert weighted["scoring"]["plan_weight_formula"] == RISK_WEIGHT_FORMULA
    risk = {p["partner"]: p["score"] for p in weighted["risk"]["partners"]}
    key = [(s["rule"], s["subject"]) for s in weighted["plan"]]
    assert sorted(key) == sorted((s["rule"], s["subject"]) for s in plain["plan"])
    assert weighted["plan"][-1]["projected_score"] == plain["plan"][-1]["projected_score"]
    effort = weighted["scoring"]["effort_units"]

    def weight(s: dict) -> float:
        return s["gain"] * (1 + risk.get(s["partner"], 0.0) / 100) / effort[s["effort"]]
    for before, after in zip(weighted["plan"], weighted["plan"][1:], strict=False):  # within a severity
        if before["severity"] == after["severity"]:
            assert weight(before) >= weight(after) - 1e-3


def test_plan_weight_risk_without_risk_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--plan-weight", "risk", "--no-risk"])
    assert result.exit_code == 2 and "--plan-weight" in result.output and "Traceback" not in result.output
