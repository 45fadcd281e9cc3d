"""The audit's risk section: the profile's factors plus the audit's own gaps, and the exposure they give."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.audit.engine import run_audit
from nofakes.audit.result import AuditResult
from nofakes.cli.main import cli
from nofakes.packs.catalogue import resolve_all
from nofakes.risk.exposure import propagate
from nofakes.risk.profile import load_profile
from nofakes.supply.loading import load_supply

ROOT = Path(__file__).resolve().parents[1]
ELECTRONICS = ROOT / "examples" / "electronics" / "supply.yaml"


def _audit(profile: str | None = "ipr-seizures@1.1.0") -> AuditResult:
    loaded = load_supply(ELECTRONICS)
    return run_audit(loaded, resolve_all(loaded.document.guidelines or ["ntif"]),
                     risk=load_profile(profile) if profile else None)


def test_the_gaps_factor_is_the_share_of_the_partner_score_that_failed() -> None:
    result = _audit()
    section = result.risk
    assert section is not None and section.profile == "ipr-seizures@1.1.0"
    scores = {p.partner: p for p in result.scores.partners}
    checked = 0
    for partner, risk in section.partners.items():
        gaps = [f for f in risk.factors if f.name == "gaps"]
        score = scores.get(partner)
        if score is None or not score.failed or score.score.value == 100:  # e.g. only an info rule failed
            assert not gaps, partner
            continue
        value = 1 - score.score.value / 100
        # 15 of the profile's 115 points, scaled by the failed share
        assert gaps[0].value == round(value, 4) and gaps[0].points == round(100 * 15 * value / 115, 2)
        assert f"{score.failed} open gap" in gaps[0].evidence and "ntif@1.0.0" in gaps[0].source
        assert risk.score == round(sum(f.points for f in risk.factors), 1)
        checked += 1
    assert checked >= 5


def test_the_reported_exposure_comes_from_the_scores_with_gaps() -> None:
    result = _audit()
    section = result.risk
    assert section is not None
    loaded = load_supply(ELECTRONICS)
    from nofakes.risk.exposure import goods_flows

    expected = propagate(goods_flows(loaded.document), {p: r.score / 100 for p, r in section.partners.items()})
    assert {p: r.exposure for p, r in section.partners.items()} == {p: round(100 * v, 1) for p, v in expected.items()}
    ranked = [e.exposure for e in section.exposed]
    assert ranked == sorted(ranked, reverse=True) and len(ranked) == 10
    for exposed in section.exposed:
        assert exposed.paths and all(c.path[-1] == exposed.partner for c in exposed.paths)


def test_a_profile_without_a_gaps_weight_reports_the_profile_scores_unchanged() -> None:
    section = _audit("ipr-seizures@1.0.0").risk
    assert section is not None
    assert not any(f.name == "gaps" for r in section.partners.values() for f in r.factors)


def test_no_risk_profile_no_section_and_the_same_findings() -> None:
    with_risk, without = _audit(), _audit(None)
    assert without.risk is None
    assert with_risk.findings == without.findings and with_risk.scores == without.scores


@pytest.mark.parametrize("args", [["--risk-profile", "nope"], ["--risk-profile", "ipr-seizures@9.9.9"]])
def test_an_unknown_risk_profile_is_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["audit", str(ELECTRONICS), *args])
    assert result.exit_code == 2 and "risk profile" in result.output and "Traceback" not in result.output


def test_an_audit_scores_flows_only_when_an_edge_rule_reads_their_risk(monkeypatch: pytest.MonkeyPatch) -> None:
    import nofakes.risk.model as model

    scored: list[int] = []
    real = model._score_flows
    monkeypatch.setattr(model, "_score_flows", lambda *args: scored.append(1) or real(*args))
    result = _audit()  # ntif reads no flow's risk: the report needs partners only
    assert result.risk is not None and result.risk.partners and scored == []
