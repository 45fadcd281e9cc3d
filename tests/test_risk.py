"""The risk model: the shipped profile is what the raw table gives, scores are the formula's, and
exposure is the recursive definition (checked against an evaluation that enumerates every path)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.cli.main import cli
from nofakes.risk.derive import LATEST, RELEASES, TableError, origin_code, profile_text
from nofakes.risk.exposure import Flows, explain, goods_flows, propagate
from nofakes.risk.model import Risk, RiskModel, score_document
from nofakes.risk.profile import load_profile
from nofakes.supply.model import Document

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "data" / "dhs-ipr-seizures" / "24-0405_ohss_dhs_ipr_seizures_fy2019-2023.xlsx"
SHIPPED = ROOT / "risk" / "ipr-seizures"


@pytest.mark.parametrize("version", sorted(RELEASES))
def test_every_shipped_profile_is_recomputed_from_the_raw_table(version: str) -> None:
    assert profile_text(TABLE, version) == (SHIPPED / f"{version}.yaml").read_text(encoding="utf-8")


def test_the_latest_release_is_the_default_and_weighs_the_audit_gaps() -> None:
    assert load_profile().id == f"ipr-seizures@{LATEST}" == "ipr-seizures@1.1.0"
    assert "gaps" in load_profile().weights and "gaps" not in load_profile("ipr-seizures@1.0.0").weights


def test_the_profile_carries_the_published_totals_and_shares() -> None:
    profile = load_profile("ipr-seizures@1.0.0")
    assert profile.id == "ipr-seizures@1.0.0"
    assert profile.totals.lines == 441_034 and profile.totals.rows == 4_583
    everything = profile.origins["all"]
    assert round(everything["CN"].share_of_lines, 3) == 0.314 and round(everything["HK"].share_of_lines, 3) == 0.211
    assert round(everything["unknown"].share_of_lines, 3) == 0.139
    drugs = profile.origins["drugs"]
    assert max(drugs, key=lambda c: drugs[c].share_of_value) == "IN"  # drugs come mostly from India
    assert round(drugs["IN"].share_of_value, 2) == 0.67 and round(drugs["CN"].share_of_value, 2) == 0.17
    electronics = profile.origins["electronics"]
    assert electronics["CN"].share_of_value + electronics["HK"].share_of_value > 0.9
    assert profile.modes["sea"].value_per_line > 10 * profile.modes["courier"].value_per_line
    assert max(profile.modes, key=lambda m: profile.modes[m].share_of_lines) == "courier"
    assert "accuses nobody" in profile.caveat


def test_an_origin_the_table_does_not_know_is_an_error() -> None:
    assert origin_code("Socialist Republic of Vietnam") == "VN" and origin_code("Unknown") == "unknown"
    with pytest.raises(TableError, match="Atlantis"):
        origin_code("Atlantis")


def _document(nodes: list[dict], edges: list[dict], products: list[dict] | None = None) -> Document:
    return Document.model_validate({"nofakes": "1", "company": {"id": "brand", "name": "Brand"},
                                    "products": products or [], "nodes": nodes, "edges": edges})


def _model(document: Document) -> RiskModel:
    categories = {n.id: frozenset(p.category for p in document.products if p.id in n.products and p.category)
                  for n in document.nodes}
    return score_document(document, load_profile("ipr-seizures@1.0.0"), categories)


def _scores(document: Document) -> Mapping[str, Risk]:
    return _model(document).partners


def test_a_score_is_the_sum_of_its_factors_points_by_hand() -> None:
    document = _document(
        [{"id": "brand", "name": "Brand", "role": "brand_owner", "country": "US"},
         {"id": "qb", "name": "Quick Brokers", "role": "broker", "country": "HK", "products": ["chip"]},
         {"id": "fab", "name": "Fab", "role": "manufacturer", "products": ["chip"]}],
        [{"from": "fab", "to": "qb", "kind": "supplies", "products": ["chip"], "shipping": {"mode": "courier"}}],
        [{"id": "chip", "name": "MCU", "category": "electronic-component"}])
    profile = load_profile("ipr-seizures@1.0.0")
    scores = _scores(document)
    broker = {f.name: f.points for f in scores["qb"].factors}
    # Hong Kong is the top origin of electronics seizure lines (value 1: 30 of 100 points); a broker is the riskiest
    # channel (20); courier is the top mode by lines (15); its value per line against sea freight's scales 5 points.
    impact = 5 * profile.modes["courier"].value_per_line / profile.modes["sea"].value_per_line
    assert broker == {"origin": 30.0, "channel": 20.0, "transport": 15.0, "transport_value": round(impact, 2)}
    assert scores["qb"].score == round(65 + impact, 1)
    assert [f.name for f in scores["fab"].factors] == ["undeclared_origin"]
    assert scores["fab"].score == 10.0
    assert "no country given" in scores["fab"].factors[0].evidence
    flow = _model(document).flows[("fab", "qb", "supplies")]  # the flow's own factors: sender's origin, mode
    assert {f.name: f.evidence for f in flow.factors} == {
        "undeclared_origin": "no country given: seizure lines of unknown origin are 13.9% of all",
        "transport": "goods go by express courier: 64.2% of seizure lines",
        "transport_value": "goods go by express courier: $15,644 seized value per line"}
    assert flow.subject == "" and flow.score == round(10 + 15 + impact, 1)  # the key names the flow


def test_one_authorization_in_force_among_several_is_enough() -> None:
    document = Document.model_validate({"nofakes": "1.1", "company": {"id": "brand", "name": "Brand"}, "nodes": [
        {"id": "d", "name": "D", "role": "distributor", "country": "DE",
         "authorizations": [{"status": "revoked"}, {"status": "authorized"}]},
        {"id": "e", "name": "E", "role": "distributor", "country": "DE",
         "authorizations": [{"status": "pending"}, {"status": "revoked"}]}], "edges": []})
    scores = _scores(document)
    assert "channel" not in {f.name for f in scores["d"].factors}
    assert {f.name: f.evidence for f in scores["e"].factors}["channel"] == "its authorization is revoked"


def test_factors_name_the_evidence_in_words() -> None:
    document = _document(
        [{"id": "w", "name": "Wien Pharma", "role": "wholesaler", "country": "AT",
          "authorization": {"status": "revoked"},
          "incidents": [{"id": "INC-1", "kind": "falsified", "discovered": "2026-01-05", "status": "closed"}]},
         {"id": "s", "name": "Sarvam", "role": "manufacturer", "country": "IN", "products": ["tab"]}],
        [{"from": "s", "to": "w", "kind": "supplies", "products": ["tab"],
          "shipping": {"mode": "air", "via": ["AE"], "free_trade_zone": True}}],
        [{"id": "tab", "name": "Tablets", "category": "pharmaceutical"}])
    scores = _scores(document)
    wholesaler = {f.name: f for f in scores["w"].factors}
    assert wholesaler["channel"].value == 1.0 and "revoked" in wholesaler["channel"].evidence
    assert wholesaler["incidents"].value == 0.5 and "INC-1" in wholesaler["incidents"].evidence
    transit = wholesaler["transit"].evidence
    assert "Sarvam" in transit and "United Arab Emirates" in transit and "free-trade zone" in transit
    assert "OECD" in wholesaler["transit"].source
    assert wholesaler["transport"].evidence.startswith("goods from Sarvam arrive by air freight")
    maker = {f.name: f for f in scores["s"].factors}
    assert maker["origin"].value == 1.0 and maker["origin"].evidence.startswith("India:")  # India tops drugs


# ------------------------------------------------------------------------------------------ exposure


def _naive(flows: Flows, risk: dict[str, float], node: str, depth: int, damping: float) -> float:
    """The definition, evaluated by recursion over every path of at most `depth` hops (exponential)."""
    if depth == 0:
        return 0.0
    keep = 1.0
    for supplier, weight in flows.suppliers.get(node, ()):
        upstream = _naive(flows, risk, supplier, depth - 1, damping)
        present = 1 - (1 - risk.get(supplier, 0.0)) * (1 - upstream)
        keep *= 1 - damping * weight * present
    return 1 - keep


def _random_flows(rng: random.Random, dag: bool) -> tuple[Flows, dict[str, float]]:
    nodes = [f"n{i}" for i in range(rng.randint(1, 7))]
    suppliers: dict[str, list[tuple[str, float]]] = {}
    for i, v in enumerate(nodes):
        pool = nodes[:i] if dag else [u for u in nodes if u != v]
        chosen = rng.sample(pool, rng.randint(0, len(pool))) if pool else []
        if chosen:
            weights = [rng.choice([None, rng.random()]) for _ in chosen]
            suppliers[v] = [(u, 1 / len(chosen) if w is None else w) for u, w in zip(chosen, weights, strict=True)]
    risk = {n: rng.choice([0.0, rng.random()]) for n in nodes}
    return Flows({v: tuple(s) for v, s in suppliers.items()}, tuple(nodes)), risk


@pytest.mark.parametrize("dag", [True, False])
def test_exposure_equals_the_definition_evaluated_over_every_path(dag: bool) -> None:
    rng = random.Random(20261202 + dag)
    for _ in range(300):
        flows, risk = _random_flows(rng, dag)
        depth, damping = rng.randint(1, 4), rng.choice([0.3, 0.5, 1.0])
        result = propagate(flows, risk, depth=depth, damping=damping)
        for node in flows.nodes:
            assert math.isclose(result[node], _naive(flows, risk, node, depth, damping), abs_tol=1e-12)


def _rounds(flows: Flows, risk: dict[str, float], depth: int, damping: float) -> dict[str, float]:
    """The formula's rounds as a plain loop over each receiver's suppliers, in their order."""
    exposure = dict.fromkeys(flows.nodes, 0.0)
    for _ in range(depth):
        present = {n: 1 - (1 - risk.get(n, 0.0)) * (1 - exposure[n]) for n in flows.nodes}
        after = dict.fromkeys(flows.nodes, 0.0)
        for node, into in flows.suppliers.items():
            keep = 1.0
            for supplier, weight in into:
                keep *= 1 - damping * weight * present[supplier]
            after[node] = 1 - keep
        exposure = after
    return exposure


def test_exposure_columns_give_exactly_the_values_of_the_plain_loop() -> None:
    rng = random.Random(20261203)
    for _ in range(300):
        flows, risk = _random_flows(rng, rng.random() < 0.5)
        depth, damping = rng.randint(1, 5), rng.choice([0.3, 0.5, 1.0])
        assert propagate(flows, risk, depth=depth, damping=damping) == _rounds(flows, risk, depth, damping)


def test_exposure_by_hand_on_a_chain_with_shares() -> None:
    document = _document(
        [{"id": "a", "name": "A", "role": "supplier"}, {"id": "b", "name": "B", "role": "distributor"},
         {"id": "c", "name": "C", "role": "retailer"}, {"id": "x", "name": "X", "role": "supplier"}],
        [{"from": "a", "to": "b", "kind": "supplies", "share": 0.6},
         {"from": "x", "to": "b", "kind": "supplies", "share": 0.4},
         {"from": "b", "to": "c", "kind": "distributes"},
         {"from": "c", "to": "b", "kind": "returns"}])  # returns carry no goods forward
    flows = goods_flows(document)
    assert dict(flows.suppliers["b"]) == {"a": 0.6, "x": 0.4} and dict(flows.suppliers["c"]) == {"b": 1.0}
    result = propagate(flows, {"a": 0.5}, depth=4, damping=0.5)
    assert math.isclose(result["b"], 0.5 * 0.6 * 0.5)  # 0.15
    assert math.isclose(result["c"], 0.5 * 1.0 * 0.15)  # B's own risk is 0: what reaches B passes on
    assert result["a"] == 0 and result["x"] == 0
    paths = explain(flows, {"a": 0.5}, ["c", "a"], depth=4, damping=0.5)
    assert [c.path for c in paths["c"]] == [("a", "b", "c")] and math.isclose(paths["c"][0].value, 0.075)
    assert paths["a"] == ()
    assert explain(flows, {"a": 0.5}, ["c"], depth=1, damping=0.5)["c"] == ()  # a is two hops up


def test_exposure_ends_on_cycles_and_explains_with_simple_paths() -> None:
    flows = Flows({"a": (("b", 1.0),), "b": (("a", 1.0),)}, ("a", "b"))
    result = propagate(flows, {"a": 1.0}, depth=10, damping=0.5)
    assert 0 < result["b"] < 1 and 0 < result["a"] < 1
    paths = explain(flows, {"a": 1.0}, ["a", "b"], depth=10, damping=0.5)
    assert [c.path for c in paths["b"]] == [("a", "b")] and paths["a"] == ()  # a -> b -> a revisits a


@pytest.mark.parametrize("dag", [True, False])
def test_explanations_are_the_best_simple_paths_of_the_brute_force_enumeration(dag: bool) -> None:
    """Exact on acyclic chains; with cycles, every path given is a real simple path with its true contribution
    (one that would revisit a partner is dropped, so a fourth-best path may be missed)."""
    rng = random.Random(7 + dag)
    for _ in range(200):
        flows, risk = _random_flows(rng, dag=dag)
        depth = rng.randint(1, 4)
        paths = explain(flows, risk, flows.nodes, depth=depth, damping=0.5)
        for node in flows.nodes:
            every = dict(_simple_paths(flows, risk, node, depth))
            best = sorted(every.items(), key=lambda c: (-c[1], c[0]))[:3]
            if dag:
                assert [c.path for c in paths[node]] == [p for p, _v in best]
            assert all(c.path in every and math.isclose(c.value, every[c.path]) for c in paths[node])
            assert [c.value for c in paths[node]] == sorted((c.value for c in paths[node]), reverse=True)


def _simple_paths(flows: Flows, risk: dict[str, float], end: str, depth: int) -> list[tuple[tuple[str, ...], float]]:
    found: list[tuple[tuple[str, ...], float]] = []

    def walk(path: tuple[str, ...], factor: float) -> None:
        if len(path) > depth:
            return
        for supplier, weight in flows.suppliers.get(path[0], ()):
            if supplier in path:
                continue
            step = factor * 0.5 * weight
            if risk.get(supplier, 0.0) > 0:
                found.append(((supplier, *path), step * risk[supplier]))
            walk((supplier, *path), step)

    walk((end,), 1.0)
    return found


# ------------------------------------------------------------------------------------------ command line


def test_risk_command_ranks_partners_with_factors_and_the_caveat() -> None:
    result = CliRunner().invoke(cli, ["risk", str(ROOT / "examples/electronics/supply.yaml"), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "accuses nobody" in result.output and "score = 100 x sum(points x value)" in result.output
    assert " 1. " in result.output and " 4. " not in result.output and "more partners" in result.output
    assert max(len(line) for line in result.output.splitlines()[1:]) <= 80


def test_risk_json_lists_every_partner_and_flow() -> None:
    result = CliRunner().invoke(cli, ["risk", str(ROOT / "examples/pharma/supply.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["partners"]) == 31 and data["profile"]["id"] == f"ipr-seizures@{LATEST}"
    scores = [p["score"] for p in data["partners"]]
    assert scores == sorted(scores, reverse=True)
    for partner in data["partners"]:
        assert math.isclose(partner["score"], sum(f["points"] for f in partner["factors"]), abs_tol=0.06)
    assert data["flows"] and all({"from", "to", "kind", "score", "factors"} <= set(f) for f in data["flows"])


def test_exposure_from_a_partner_lists_customers_reached() -> None:
    supply = str(ROOT / "examples/electronics/supply.yaml")
    result = CliRunner().invoke(cli, ["exposure", supply, "--from", "quickchip-brokers"])
    assert result.exit_code == 0, result.output
    assert "Customers and sales channels reached" in result.output and "Luftbild-Shop" in result.output
    wrong = CliRunner().invoke(cli, ["exposure", supply, "--from", "quickchip"])
    assert wrong.exit_code == 2 and "did you mean 'quickchip-brokers'" in wrong.output


def test_a_broken_risk_profile_is_a_located_error(tmp_path: Path) -> None:
    profile = tmp_path / "mine.yaml"
    text = (SHIPPED / "1.0.0.yaml").read_text(encoding="utf-8").replace("points: 30,", "points: lots,", 1)
    profile.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["risk", str(ROOT / "examples/apparel/supply.yaml"),
                                      "--risk-profile", str(profile)])
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "points: lots" in t)
    assert f"mine.yaml:{line}:" in result.output and "weights.origin.points" in result.output
    unknown = CliRunner().invoke(cli, ["risk", str(ROOT / "examples/apparel/supply.yaml"), "--risk-profile", "ipr"])
    assert unknown.exit_code == 2 and "ipr-seizures" in unknown.output
