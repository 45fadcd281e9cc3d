"""`audit --explain SUBJECT --rule ID`: the step-by-step account of one subject and one rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import ROOT, run
from nofakes.audit.engine import run_audit
from nofakes.audit.explain import Explanation, explain
from nofakes.audit.findings import Finding, Status
from nofakes.core.errors import UsageError
from nofakes.packs.catalogue import resolve_pack
from nofakes.rules.explain import FAILS, HOLDS, NO_EVIDENCE, Step
from nofakes.supply.loading import load_supply

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "explain"
SUPPLY = FIXTURES / "supply.yaml"


def explained(subject: str, rule: str) -> list[Explanation]:
    return explain(load_supply(SUPPLY), [resolve_pack(str(FIXTURES / "pack.yaml"))], subject, rule)


def one(subject: str, rule: str) -> Explanation:
    (explanation,) = explained(subject, rule)
    return explanation


def walk(step: Step) -> list[Step]:
    return [step, *(s for child in step.children for s in walk(child))]


def labels(step: Step) -> list[tuple[str, str]]:
    return [(s.label, s.outcome) for s in walk(step)]


def test_a_passing_subject_shows_which_list_item_matched() -> None:
    e = one("good-cm", "XPL-AUD-001")
    assert e.status is Status.passed and e.verdict == "passes"
    assert [(s.label, s.outcome) for s in e.applies] == [("the partner's role is contract manufacturer", HOLDS)]
    assert e.check is not None and e.check.outcome == HOLDS
    quantifier = e.check.children[0]
    assert quantifier.label == "there is an audit where:" and quantifier.found == "1 of 2 audits match"
    # the matching audit comes first, then the one that does not match, each with its conditions
    assert [(s.label, s.outcome) for s in quantifier.children] == [("audit number 2:", HOLDS),
                                                                   ("audit number 1:", FAILS)]
    date = quantifier.children[0].children[1]
    assert date.found == "the audit's date is 2026-06-01"
    stale = quantifier.children[1].children[1]
    assert stale.outcome == FAILS and "2024-01-10" in stale.why and "365 days" in stale.why
    # the other branch lacks evidence: said so, in words
    clause = e.check.children[1]
    assert clause.outcome == NO_EVIDENCE and clause.why == "no evidence of the contract's anti-counterfeit clause"


def test_a_failing_subject_shows_every_branch_and_the_audit_reason() -> None:
    e = one("bad-cm", "XPL-AUD-001")
    assert e.status is Status.failed and e.message == "Stale Factory has no recent passing audit and no clause"
    assert e.check is not None
    assert labels(e.check)[:2] == [("at least one of these holds:", FAILS), ("there is an audit where:", FAILS)]
    clause = e.check.children[1]
    assert clause.found == "the contract's anti-counterfeit clause is no"
    assert clause.why == "the contract's anti-counterfeit clause is recorded as no, expected yes"
    failed_result = e.check.children[0].children[0].children[0]
    assert failed_result.outcome == FAILS and failed_result.why == (
        "the audit's result is fail, expected pass or conditional")


def test_a_subject_outside_applies_to_is_not_applicable_and_its_check_is_not_evaluated() -> None:
    e = one("grey", "XPL-AUD-001")
    assert e.status is Status.not_applicable and e.check is None
    assert [(s.outcome, s.found) for s in e.applies] == [(FAILS, "the partner's role is broker")]


def test_a_graph_quantifier_names_the_partner_found_and_the_route() -> None:
    failing = one("shop-b", "XPL-UPS-001")
    assert failing.status is Status.failed and failing.check is not None
    assert failing.check.outcome == FAILS
    assert failing.check.found == "an upstream partner that matches: Grey Broker (route: Grey Broker -> Shop B)"
    passing = one("shop-a", "XPL-UPS-001")
    assert passing.check is not None and passing.check.outcome == HOLDS
    assert passing.check.found == "no upstream partner matches"


def test_a_waived_link_shows_its_waiver() -> None:
    e = one("good-cm->acme", "XPL-EDG-001")
    assert e.status is Status.waived and e.edge_kind == "supplies"
    assert e.waiver is not None and e.waiver.approved_by == "QA lead"
    assert e.check is not None and e.check.outcome == NO_EVIDENCE


def test_a_failing_path_shows_the_path_and_the_partner_that_may_not_be_on_it() -> None:
    e = one("shop-b", "XPL-CHN-001")
    assert e.status is Status.failed and e.path is not None
    assert e.path.route == ("Stale Factory", "Grey Broker", "Shop B") and e.path.route_words == "the path that fails"
    assert [(s.label, s.outcome) for s in e.path.steps] == [
        ("hop Stale Factory -> Grey Broker (supplies) may be on the path", HOLDS),
        ("partner Grey Broker may not be on the path", FAILS),
        ("hop Grey Broker -> Shop B (sells) may be on the path", HOLDS)]
    forbidden = e.path.steps[1]
    found = {s.found for s in walk(forbidden)}
    assert "the role is broker" in found
    assert any("revoked" in s.why for s in walk(forbidden))


def test_a_passing_path_shows_a_path_that_reaches_it() -> None:
    e = one("shop-a", "XPL-CHN-001")
    assert e.status is Status.passed and e.path is not None
    assert e.path.route == ("Good Factory", "Shop A") and e.path.starts == 2


def test_some_good_path_shows_the_accepted_path_or_the_hop_that_lacks_evidence() -> None:
    good = one("shop-a", "XPL-CHN-002")
    assert good.status is Status.passed and good.path is not None
    assert good.path.route == ("Good Factory", "Shop A") and good.path.route_words == "a path the rule accepts"
    bad = one("shop-b", "XPL-CHN-002")
    assert bad.status is Status.failed and bad.path is not None
    assert [s.outcome for s in bad.path.steps] == [HOLDS, HOLDS, NO_EVIDENCE]
    assert bad.path.steps[2].label == "hop Grey Broker -> Shop B (sells) may not be on the path"


def test_an_implication_and_a_named_condition_show_their_parts() -> None:
    e = one("grey", "XPL-BRK-001")
    assert e.status is Status.failed and e.check is not None
    assert e.check.label == "if the first holds, the second must:" and e.check.outcome == NO_EVIDENCE
    premise, consequence = e.check.children
    assert (premise.label, premise.outcome) == ("if: a broker whose authorization was revoked:", HOLDS)
    assert [(s.label, s.outcome) for s in premise.children[0].children] == [
        ("the role is broker", HOLDS), ("the authorization's status is revoked", HOLDS)]
    assert consequence.label.startswith("then: the contract's anti-counterfeit clause")
    assert consequence.outcome == NO_EVIDENCE
    # a subject the premise does not hold for passes, and the tree says why
    other = one("shop-a", "XPL-BRK-001")
    assert other.check is not None and other.check.outcome == HOLDS
    assert other.check.children[0].outcome == FAILS


@pytest.mark.parametrize(("subject", "rule", "words"), [
    ("good-cn", "XPL-AUD-001", "did you mean 'good-cm'?"),
    ("good-cm->acmee", "XPL-EDG-001", "did you mean 'good-cm->acme'?"),
])
def test_an_unknown_subject_is_a_usage_error_with_a_suggestion(subject: str, rule: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        explained(subject, rule)
    assert words in str(caught.value.diagnostics[0].hint)


def test_the_cli_prints_the_tree_within_80_columns_and_exits_0() -> None:
    code, out, _ = run("audit", str(SUPPLY), "--explain", "bad-cm", "--rule", "XPL-AUD-001")
    assert code == 0
    assert out.splitlines()[0] == "XPL-AUD-001 on Stale Factory (bad-cm): fails"
    assert "Applies to: yes, every filter holds" in out and "\nCheck\n" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "fails            the contract's anti-counterfeit clause is recorded as yes" in out


def test_the_cli_json_gives_the_tree() -> None:
    code, out, _ = run("audit", str(SUPPLY), "--explain", "shop-b", "--rule", "XPL-CHN-001", "--format", "json")
    assert code == 0
    (data,) = json.loads(out)
    assert data["status"] == "fail" and data["path"]["route"] == ["Stale Factory", "Grey Broker", "Shop B"]
    assert data["path"]["steps"][1]["outcome"] == FAILS


@pytest.mark.parametrize(("args", "words"), [
    (("--explain", "bad-cm"), "needs exactly one --rule"),
    (("--explain", "bad-cm", "--rule", "XPL-AUD-001", "--format", "csv"), "csv cannot show an explanation"),
    (("--explain", "bad-cm", "--rule", "XPL-AUD-009"), "did you mean 'XPL-AUD-001'?"),
    (("--explain", "bad-xm", "--rule", "XPL-AUD-001"), "did you mean 'bad-cm'?"),
])
def test_cli_mistakes_exit_2_with_a_clear_message(args: tuple[str, ...], words: str) -> None:
    code, _, err = run("audit", str(SUPPLY), *args)
    assert code == 2 and words in err


def test_every_explanation_agrees_with_the_audit_on_the_electronics_example() -> None:
    """The top of the check tree holds exactly where the audit passes the subject, for every rule."""
    loaded = load_supply(ROOT / "examples" / "electronics" / "supply.yaml")
    packs = [resolve_pack("ntif@1.0.0")]
    result = run_audit(loaded, packs, include_passes=True)
    firsts: dict[tuple[str, Status], Finding] = {}
    for finding in result.findings:
        firsts.setdefault((finding.rule_id, finding.status), finding)
    assert len(firsts) > 30
    for (rule_id, status), finding in firsts.items():
        (e,) = [e for e in explain(loaded, packs, finding.subject, rule_id) if e.edge_kind == finding.edge_kind]
        assert e.status is status, (rule_id, finding.subject)
        if e.check is not None:
            assert (e.check.outcome == HOLDS) == (status is Status.passed), (rule_id, finding.subject)
        if e.path is not None and e.path.route and status is Status.failed:
            assert any(step.outcome != HOLDS for step in e.path.steps), (rule_id, finding.subject)
