"""Rules that read the computed counterfeit risk: `risk.score`, `risk.exposure`, `risk.factors.NAME`.

Scores by hand, with the weights of ipr-seizures 1.1.0 (origin 30, undeclared origin 10, transport
15, transport value 5, transit 10, channel 20, incidents 10, gaps 15: 115 points): a Hong Kong
broker of electronics has origin 1 (Hong Kong is the top origin of electronics) and channel 1 (an
open-market broker): 100 x (30 + 20) / 115 = 43.5. The same broker in the United States keeps the
channel (17.4) and a small origin value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rulekit import audit, failing, node, pack_text

from helpers import run
from nofakes.audit.engine import run_audit
from nofakes.audit.riskroot import FlowFactors, PartnerFactors
from nofakes.core.errors import PackError, UsageError
from nofakes.packs.catalogue import load_pack_file, resolve_file
from nofakes.risk.profile import FACTORS, load_profile
from nofakes.supply.loading import load_supply

PROFILE = load_profile("ipr-seizures@1.1.0")
PRODUCTS = [{"id": "drone", "name": "Drone", "category": "electronics"}]


def _broker(node_id: str, country: str, **fields: Any) -> dict[str, Any]:
    return node(node_id, "broker", country=country, products=["drone"], **fields)


def _counts(result: Any, rule: str) -> tuple[int, int, int]:
    """(passed, failed, not applicable) subjects of `rule`."""
    (counts,) = [s.counts for s in result.rules if s.rule.id == rule]
    return counts.passed, counts.failed, counts.not_applicable


def test_a_node_rule_selects_partners_by_their_computed_score(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "applies_to": {"where": {"field": "risk.score", "gte": 40}},
              "check": {"field": "attributes.onsite_audit", "is_true": True}}]
    supply = {"products": PRODUCTS, "nodes": [
        _broker("hk1", "HK", attributes={"onsite_audit": True}),
        _broker("hk2", "HK", attributes={"onsite_audit": False}),
        _broker("us1", "US")]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    assert result.risk is not None and result.risk.partners["hk1"].score == pytest.approx(100 * 50 / 115, abs=0.05)
    assert failing(result) == {"hk2": "the onsite audit is recorded as no, expected yes"}
    assert _counts(result, "KIT-RSK-001") == (1, 1, 1)  # hk1 passes; us1 (17.4) is not applicable


def test_a_check_on_the_score_names_it_in_words(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.score", "lt": 40}}]
    supply = {"products": PRODUCTS, "nodes": [_broker("hk1", "HK"), _broker("us1", "US")]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    assert failing(result) == {"hk1": "the counterfeit risk score is 43.5, expected less than 40"}
    assert _counts(result, "KIT-RSK-001") == (1, 1, 0)  # us1 passes


def test_a_factor_reads_its_value_and_an_absent_factor_reads_zero(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.factors.origin", "lt": 0.5}},
             {"id": "KIT-RSK-002", "target": "node", "check": {"field": "risk.factors.incidents", "equals": 0}}]
    supply = {"products": PRODUCTS, "nodes": [
        _broker("hk1", "HK"),
        _broker("us1", "US", incidents=[{"id": "I-1", "kind": "counterfeit", "discovered": "2026-03-01",
                                         "status": "open"}])]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    assert failing(result) == {"hk1": "the origin risk factor is 1.0, expected less than 0.5",
                               "us1": "the incidents risk factor is 1.0, expected 0"}
    assert _counts(result, "KIT-RSK-002") == (1, 1, 0)  # hk1 has no incident: the factor reads 0


def test_exposure_is_what_reaches_a_partner_from_upstream(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.exposure", "lte": 10}}]
    supply = {"products": PRODUCTS,
              "nodes": [_broker("hk1", "HK"), node("shop", "retailer", country="US"),
                        node("other", "retailer", country="US")],
              "edges": [{"from": "hk1", "to": "shop", "kind": "sells", "products": ["drone"]}]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    assert result.risk is not None
    exposure = result.risk.partners["shop"].exposure
    assert exposure > 10
    assert failing(result) == {"shop": f"the counterfeit risk exposure is {exposure}, expected at most 10"}
    assert _counts(result, "KIT-RSK-001") == (2, 1, 0)


def test_an_edge_rule_reads_the_flow_and_a_non_goods_edge_has_no_evidence(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "edge", "check": {"field": "risk.score", "lt": 20}}]
    supply = {"products": PRODUCTS,
              "nodes": [_broker("hk1", "HK"), _broker("us1", "US"), node("shop", "retailer", country="US")],
              "edges": [{"from": "hk1", "to": "shop", "kind": "sells", "products": ["drone"]},
                        {"from": "us1", "to": "shop", "kind": "sells", "products": ["drone"]},
                        {"from": "shop", "to": "hk1", "kind": "returns", "products": ["drone"]}]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    reasons = failing(result)
    assert reasons.keys() == {"hk1->shop", "shop->hk1"}
    assert reasons["hk1->shop"].startswith("the counterfeit risk score is ") and "expected less than 20" in reasons[
        "hk1->shop"]
    assert reasons["shop->hk1"] == "no evidence of the counterfeit risk score"  # a return is no goods flow
    assert _counts(result, "KIT-RSK-001") == (1, 2, 0)  # us1->shop passes


def test_a_graph_quantifier_reads_other_partners_scores(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "applies_to": {"role": ["retailer"]},
              "check": {"not": {"upstream_any": {"where": {"field": "risk.score", "gte": 40}}}}}]
    supply = {"products": PRODUCTS,
              "nodes": [_broker("hk1", "HK"), _broker("us1", "US"), node("a", "retailer", country="US"),
                        node("b", "retailer", country="US")],
              "edges": [{"from": "hk1", "to": "a", "kind": "sells"}, {"from": "us1", "to": "b", "kind": "sells"}]}
    result = audit(tmp_path, rules, supply, risk=PROFILE)
    assert failing(result) == {"a": "there is an upstream partner where the counterfeit risk score is at least 40"}
    assert _counts(result, "KIT-RSK-001") == (1, 1, 2)  # b passes; the brokers are not retailers


@pytest.mark.parametrize(("target", "field", "message", "hint"), [
    ("node", "risk.factors.orign", "unknown field 'risk.factors.orign'", "did you mean 'origin'?"),
    ("node", "risk.factors.gaps", "known only after the rules ran", None),
    ("product", "risk.score", "a product has no computed risk", None),
    ("company", "risk.score", "a company rule has no computed risk", None),
    ("edge", "risk.exposure", "exposure is how much risk reaches a partner, not a flow", None),
    ("edge", "risk.factors.channel", "unknown field 'risk.factors.channel'", None),
])
def test_a_read_the_risk_cannot_answer_is_a_located_load_error(tmp_path: Path, target: str, field: str,
                                                               message: str, hint: str | None) -> None:
    rules = [{"id": "KIT-RSK-001", "target": target, "check": {"field": field, "lt": 1}}]
    with pytest.raises(PackError) as caught:
        audit(tmp_path, rules, {"nodes": [node("s1")]}, risk=PROFILE)
    (diagnostic,) = caught.value.diagnostics
    assert message in diagnostic.message and diagnostic.path == "rules[0].check.field"
    assert diagnostic.line is not None
    if hint is not None:
        assert diagnostic.hint == hint


def test_starts_of_a_graph_quantifier_cannot_be_grouped_by_a_score(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node",
              "check": {"upstream_any": {"where": {"field": "risk.score", "gte": {"ref": "../risk.score"}}}}}]
    with pytest.raises(PackError, match="may differ for every partner"):
        audit(tmp_path, rules, {"nodes": [node("s1")]}, risk=PROFILE)


def test_without_an_assessment_a_rule_reading_risk_is_a_usage_error(tmp_path: Path) -> None:
    rules = [{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.score", "lt": 40}},
             {"id": "KIT-RSK-002", "target": "node", "check": {"field": "name", "exists": True}}]
    with pytest.raises(UsageError) as caught:
        audit(tmp_path, rules, {"nodes": [node("s1")]})
    assert "KIT-RSK-001 (kit@1.0.0)" in str(caught.value) and "KIT-RSK-002" not in str(caught.value)
    assert "--no-risk" in str(caught.value)
    # a rule that does not read it runs as before, also when the pack has others that do but are not run
    assert failing(audit(tmp_path, rules[1:], {"nodes": [node("s1")]})) == {}
    tmp_path.joinpath("kit.yaml").write_text(pack_text(rules), encoding="utf-8")
    pack = resolve_file(load_pack_file(tmp_path / "kit.yaml"))
    result = run_audit(load_supply(tmp_path / "supply.yaml"), [pack], only=["KIT-RSK-002"])
    assert [r.rule.id for r in result.rules] == ["KIT-RSK-002"]


def test_audit_no_risk_refuses_the_rules_that_read_it(tmp_path: Path) -> None:
    pack = tmp_path / "kit.yaml"
    pack.write_text(pack_text([{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.score", "lt": 40}}]),
                    encoding="utf-8")
    supply = tmp_path / "supply.yaml"
    supply.write_text(yaml.safe_dump({"nofakes": "1", "company": {"id": "acme", "name": "Acme"},
                                      "products": PRODUCTS, "nodes": [_broker("hk1", "HK")]}), encoding="utf-8")
    code, out, err = run("audit", str(supply), "-g", str(pack), "--no-risk")
    assert code == 2 and "KIT-RSK-001" in err and "--no-risk" in err and "--risk-profile" in err
    code, out, err = run("audit", str(supply), "-g", str(pack), "--format", "json")
    assert code == 1 and "the counterfeit risk score is 43.5, expected less than 40" in out


def _fixture_pack(tmp_path: Path, fixture: dict[str, Any]) -> Path:
    """A pack of one rule (KIT-RSK-001: the score is less than 40) with one fixture file."""
    folder = tmp_path / "kit"
    (folder / "fixtures").mkdir(parents=True)
    (folder / "1.0.0.yaml").write_text(pack_text([
        {"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.score", "lt": 40}}]), encoding="utf-8")
    (folder / "fixtures" / "KIT-RSK-001.yaml").write_text(yaml.safe_dump(
        {"rule": "KIT-RSK-001", "as_of": dt.date(2026, 11, 1), **fixture}, sort_keys=False), encoding="utf-8")
    return folder / "1.0.0.yaml"


def _case(score: str) -> dict[str, Any]:
    return {"name": f"a Hong Kong broker scores {score}, a US one less",
            "supply": {"nofakes": "1", "company": {"id": "acme", "name": "Acme"}, "products": PRODUCTS,
                       "nodes": [_broker("hk1", "HK"), _broker("us1", "US")]},
            "expect": {"fail": ["hk1"], "pass": ["us1"], "detail": {"hk1": f"the counterfeit risk score is {score}"}}}


def test_guidelines_test_assesses_risk_for_the_cases(tmp_path: Path) -> None:
    code, out, err = run("guidelines", "test", str(_fixture_pack(tmp_path, {"cases": [_case("43.5")]})))
    assert code == 0, out + err
    assert "1 rules, 1 cases: 1 passed, 0 failed" in out


def test_a_fixture_file_can_name_its_risk_profile(tmp_path: Path) -> None:
    # ipr-seizures 1.0.0 has no gaps weight: its points add up to 100, so origin 30 + channel 20 = 50.0
    pack = _fixture_pack(tmp_path, {"risk_profile": "ipr-seizures@1.0.0", "cases": [_case("50.0")]})
    code, out, err = run("guidelines", "test", str(pack))
    assert code == 0, out + err


def test_an_unknown_risk_profile_of_a_fixture_file_is_located(tmp_path: Path) -> None:
    pack = _fixture_pack(tmp_path, {"risk_profile": "ipr-seizures@9.9.9", "cases": [_case("43.5")]})
    code, out, err = run("guidelines", "test", str(pack))
    assert code == 2 and "KIT-RSK-001.yaml:3:15:" in err and "risk_profile: no version 9.9.9 of ipr-seizures" in err


def test_the_factors_rules_read_are_the_profiles_but_gaps() -> None:
    assert tuple(PartnerFactors.model_fields) == tuple(f for f in FACTORS if f != "gaps")
    assert set(FlowFactors.model_fields) <= set(PartnerFactors.model_fields)



def test_the_editor_schema_names_what_rules_read_of_the_risk() -> None:
    from nofakes.rules.schema import FIELD_DESCRIPTION

    assert "risk.score" in FIELD_DESCRIPTION and "risk.exposure" in FIELD_DESCRIPTION
    assert all(name in FIELD_DESCRIPTION for name in PartnerFactors.model_fields)


def test_explain_shows_the_score_a_rule_read(tmp_path: Path) -> None:
    pack = tmp_path / "kit.yaml"
    pack.write_text(pack_text([{"id": "KIT-RSK-001", "target": "node", "check": {"field": "risk.score", "lt": 40}}]),
                    encoding="utf-8")
    supply = tmp_path / "supply.yaml"
    supply.write_text(yaml.safe_dump({"nofakes": "1", "company": {"id": "acme", "name": "Acme"},
                                      "products": PRODUCTS, "nodes": [_broker("hk1", "HK")]}), encoding="utf-8")
    code, out, err = run("audit", str(supply), "-g", str(pack), "--explain", "hk1", "--rule", "KIT-RSK-001")
    assert code == 0 and "the counterfeit risk score is 43.5, expected less than 40" in out, out + err
    import nofakes.audit.engine as engine

    assessed = []
    assess = engine.assess_subjects

    def counted(*args: Any, **kwargs: Any) -> Any:
        assessed.append(args)
        return assess(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "assess_subjects", counted)
        patch.setattr("nofakes.audit.explain.assess_subjects", counted, raising=False)
        code, again, err = run("audit", str(supply), "-g", str(pack), "--explain", "hk1", "--rule", "KIT-RSK-001")
    assert code == 0 and again == out and len(assessed) == 1, err  # the audit's risk, read again by the explanation
    code, out, err = run("audit", str(supply), "-g", str(pack), "--explain", "hk1", "--rule", "KIT-RSK-001",
                         "--no-risk")
    assert code == 2 and "KIT-RSK-001" in err
