"""Plain-language reasons (README: Scores): every registered operator words its failure, its "no
evidence" and what holds (used by `not`), and no reason leaks an internal: no regex, no Python
list or repr, no field path.

`WORDING` is the fixture: one entry per registered operator (a test fails when an operator is
added without one), each a leaf, a partner for which it fails, and the exact reasons.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from nofakes.audit.engine import run_audit
from nofakes.audit.subjects import NODE_SCOPE, NodeView
from nofakes.packs.catalogue import resolve_pack
from nofakes.packs.model import Parameter
from nofakes.rules import OPERATORS, Compiler, Fail
from nofakes.rules.words import field_words, list_words, show
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Node

AS_OF = dt.date(2026, 11, 1)
PARAMS = {"authority_pattern": "(?i)^(GIDEP|ERAI)$", "audit_interval_days": 365}
DECLARED = {
    "authority_pattern": Parameter(
        default="x", description="Who counts as an authority", label="a recognised authority"
    )
}

# operator -> the fixture: a leaf; partner fields for which it fails and the failure; partner
# fields for which it holds and what `not` then says (the words of what held). The no-evidence
# case is a partner without the field.
WORDING: dict[str, dict[str, Any]] = {
    "equals": dict(
        leaf={"field": "authorization.status", "equals": "authorized"},
        fails={"authorization": {"status": "revoked"}},
        failure="the authorization's status is revoked, expected authorized",
        holds={"authorization": {"status": "authorized"}},
        negated="the authorization's status is authorized",
    ),
    "not_equals": dict(
        leaf={"field": "authorization.status", "not_equals": "revoked"},
        fails={"authorization": {"status": "revoked"}},
        failure="the authorization's status is revoked, expected anything but revoked",
        holds={"authorization": {"status": "authorized"}},
        negated="the authorization's status is authorized",  # names the value found, not the rule's words
    ),
    "in": dict(
        leaf={"field": "country", "in": ["US", "DE"]},
        fails={"country": "CN"},
        failure="the country is China (CN), expected United States (US) or Germany (DE)",  # countries by name
        holds={"country": "US"},
        negated="the country is US",
    ),
    "not_in": dict(
        leaf={"field": "country", "not_in": ["KP", "IR"]},
        fails={"country": "KP"},
        failure="the country is North Korea (KP), expected none of North Korea (KP) or Iran (IR)",
        holds={"country": "US"},
        negated="the country is US",
    ),
    "exists": dict(
        leaf={"field": "contract.signed", "exists": False},
        fails={"contract": {"signed": "2025-01-10"}},
        failure="the contract's signing date is recorded as 2025-01-10, expected none",
        holds={},
        negated="the contract's signing date is not recorded",
        missing_leaf={"exists": True},
    ),
    # present and absent are definite: a partner without the field fails `present` and passes `absent`
    "present": dict(
        leaf={"field": "contract.signed", "present": True},
        fails={"contract": {"audit_rights": True}},
        failure="the contract's signing date is not recorded",
        holds={"contract": {"signed": "2025-01-10"}},
        negated="the contract's signing date is recorded",
        missing_leaf={"exists": True},
    ),
    "absent": dict(
        leaf={"field": "contract.signed", "absent": True},
        fails={"contract": {"signed": "2025-01-10"}},
        failure="the contract's signing date is recorded as 2025-01-10, expected none",
        holds={},
        negated="the contract's signing date is not recorded",
        missing_leaf={"exists": True},
    ),
    "is_true": dict(
        leaf={"field": "contract.subcontract_consent", "is_true": True},
        fails={"contract": {"subcontract_consent": False}},
        failure="the contract's subcontracting consent clause is recorded as no, expected yes",
        holds={"contract": {"subcontract_consent": True}},
        negated="the contract's subcontracting consent clause is recorded as yes",
    ),
    "is_false": dict(
        leaf={"field": "traceability.serialization", "is_false": True},
        fails={"traceability": {"serialization": True}},
        failure="the traceability's serialization is recorded as yes, expected no",
        holds={"traceability": {"serialization": False}},
        negated="the traceability's serialization is recorded as no",
    ),
    "gt": dict(
        leaf={"field": "attributes.spend_usd", "gt": 1000},
        fails={"attributes": {"spend_usd": 1000}},
        failure="the spend in US dollars is 1000, expected more than 1000",
        holds={"attributes": {"spend_usd": 1001}},
        negated="the spend in US dollars is more than 1000",
    ),
    "gte": dict(
        leaf={"field": "contract.signed", "gte": dt.date(2026, 1, 1)},
        fails={"contract": {"signed": "2025-01-10"}},
        failure="the contract's signing date is 2025-01-10, expected at least 2026-01-01",
        holds={"contract": {"signed": "2026-01-10"}},
        negated="the contract's signing date is at least 2026-01-01",
    ),
    "lt": dict(
        leaf={"field": "contract.signed", "lt": dt.date(2025, 1, 1)},
        fails={"contract": {"signed": "2025-01-10"}},
        failure="the contract's signing date is 2025-01-10, expected less than 2025-01-01",
        holds={"contract": {"signed": "2024-01-10"}},
        negated="the contract's signing date is less than 2025-01-01",
    ),
    "lte": dict(
        leaf={"field": "attributes.spend_usd", "lte": 1000},
        fails={"attributes": {"spend_usd": 1200000}},
        failure="the spend in US dollars is 1200000, expected at most 1000",
        holds={"attributes": {"spend_usd": 5}},
        negated="the spend in US dollars is at most 1000",
    ),
    "matches": dict(
        leaf={"field": "attributes.reported_to", "matches": {"param": "authority_pattern"}},
        fails={"attributes": {"reported_to": "Local police"}},
        failure='the reported to "Local police" does not name a recognised authority',
        holds={"attributes": {"reported_to": "ERAI"}},
        negated="the reported to names a recognised authority",
    ),
    "contains": dict(
        leaf={"field": "attributes.features", "contains": "hologram"},
        fails={"attributes": {"features": ["serialized-qr"]}},
        failure="hologram is not among the features",
        holds={"attributes": {"features": ["hologram"]}},
        negated='"hologram" is in the features',
    ),
    "within_days": dict(
        leaf={"field": "programs.training_last", "within_days": {"param": "audit_interval_days"}},
        fails={"programs": {"training_last": "2025-05-30"}},
        failure="the last training date is 2025-05-30, 520 days old (limit 365 days)",
        holds={"programs": {"training_last": "2026-05-30"}},
        negated="the last training date is within the last 365 days",
    ),
    "within_business_days": dict(
        leaf={"field": "programs.training_last", "within_business_days": 5},
        fails={"programs": {"training_last": "2026-10-22"}},
        failure="the last training date is 2026-10-22, 6 business days before the audit date (limit 5 business days)",
        holds={"programs": {"training_last": "2026-10-23"}},
        negated="the last training date is within the last 5 business days",
    ),
    "not_expired": dict(
        leaf={"field": "authorization.expires", "not_expired": True},
        fails={"authorization": {"status": "authorized", "expires": "2026-06-30"}},
        failure="the authorization's expiry date 2026-06-30 has passed",
        holds={"authorization": {"status": "authorized", "expires": "2027-06-30"}},
        negated="the authorization's expiry date has not passed",
    ),
    "expires_within_days": dict(
        leaf={"field": "authorization.expires", "expires_within_days": 90},
        fails={"authorization": {"status": "authorized", "expires": "2027-06-30"}},
        failure="the authorization's expiry date is 2027-06-30, more than 90 days after the audit date",
        holds={"authorization": {"status": "authorized", "expires": "2026-12-01"}},
        negated="the authorization's expiry date falls within 90 days of the audit date",
    ),
    "length_gte": dict(
        leaf={"field": "attributes.sites", "length_gte": 2},
        fails={"attributes": {"sites": ["Shenzhen"]}},
        failure="the sites: 1 entry, expected at least 2",
        holds={"attributes": {"sites": ["Shenzhen", "Dongguan"]}},
        negated="there are at least 2 entries in the sites",
    ),
}

# what no reason may contain: a list or repr ([, a quote that is not an apostrophe), a regex
# ((?, \b), a code word or a field path (snake_case, from./to., a dotted path)
POSSESSIVE = re.compile(r"[A-Za-z]'s\b|s'(?=\s)")
LEAKS = [
    ("[", re.compile(r"\[")),
    ("quote", re.compile(r"'")),
    ("(?", re.compile(r"\(\?")),
    ("\\b", re.compile(r"\\b")),
    ("_ in a word", re.compile(r"[A-Za-z]_[A-Za-z]")),
    ("from./to.", re.compile(r"\b(from|to)\.[a-z]")),
    ("field path", re.compile(r"\b[a-z]+\.[a-z_]+\b")),
]


def leaks(text: str) -> list[str]:
    """The kinds of internals `text` shows (an apostrophe of a possessive is fine: "the contract's")."""
    text = POSSESSIVE.sub("", text)
    return [name for name, pattern in LEAKS if pattern.search(text)]


def partner(**fields: Any) -> NodeView:
    fields.setdefault("id", "n1")
    fields.setdefault("name", "Shenzhen PCB Co.")
    fields.setdefault("role", "supplier")
    return NodeView(Node.model_validate(fields), 1, False, frozenset())


def run(cond: dict[str, Any], subject: NodeView) -> Any:
    check = Compiler(NODE_SCOPE, PARAMS, AS_OF, declared=DECLARED).compile(cond, ("check",))
    return check((subject,))


# `unlisted` reads the audit's screening, not a field of the file: its words are pinned in
# tests/test_audit_screening.py (it holds on a partner without a match: nothing is "no evidence")
COMPUTED = {"unlisted"}


def test_every_registered_operator_has_a_wording_fixture() -> None:
    assert set(WORDING) == set(OPERATORS) - COMPUTED


@pytest.mark.parametrize("name", list(WORDING))
def test_operator_wording(name: str) -> None:
    case, op = WORDING[name], OPERATORS[name]
    leaf = case["leaf"]
    failed = run(leaf, partner(**case["fails"]))
    assert isinstance(failed, Fail) and not failed.missing and failed.reason == case["failure"]
    assert run(leaf, partner(**case["holds"])) is True
    negated = run({"not": leaf}, partner(**case["holds"]))
    assert isinstance(negated, Fail) and negated.reason == case["negated"]
    absent = run({"field": leaf["field"], **case.get("missing_leaf", {name: leaf[name]})}, partner())
    words = field_words(leaf["field"].split("."))
    assert (
        isinstance(absent, Fail) and absent.missing and absent.reason == op.missing(words) == f"no evidence of {words}"
    )
    for text in (failed.reason, negated.reason, absent.reason):
        assert not leaks(text), (text, leaks(text))


def test_a_pattern_without_a_label_never_shows_the_pattern() -> None:
    leaf = {"field": "attributes.disposition", "matches": r"(?i)\b(cleared|genuine|authentic|false alarm)"}
    result = run(leaf, partner(attributes={"disposition": "held"}))
    assert result.reason == 'the disposition "held" does not match the expected wording'
    labelled = run({**leaf, "label": "a clearance"}, partner(attributes={"disposition": "held"}))
    assert labelled.reason == 'the disposition "held" does not name a clearance'
    # a parameter without a label: the gist of its description, when it reads as words
    described = {
        "authority_pattern": Parameter(
            default="x",
            description="Regular expression matched against incidents[].reported[].to: who counts as an "
            "authority or industry reporting system",
        )
    }
    check = Compiler(NODE_SCOPE, PARAMS, AS_OF, declared=described).compile(
        {"field": "name", "matches": {"param": "authority_pattern"}}, ("check",)
    )
    assert check((partner(name="Local police"),)).reason == (
        'the name "Local police" does not match the expected wording (who counts as an authority or industry '
        "reporting system)"
    )
    raw = {"authority_pattern": Parameter(default="x", description="Pattern for incidents[].reported[].to")}
    check = Compiler(NODE_SCOPE, PARAMS, AS_OF, declared=raw).compile(
        {"field": "name", "matches": {"param": "authority_pattern"}}, ("check",)
    )
    assert (
        check((partner(name="Local police"),)).reason == 'the name "Local police" does not match the expected wording'
    )


def test_a_label_is_only_for_matches() -> None:
    from nofakes.rules import ConditionError

    with pytest.raises(ConditionError) as info:
        run({"field": "role", "equals": "broker", "label": "a broker"}, partner())
    assert info.value.loc == ("check", "label") and "only on matches" in (info.value.expected or "")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("contract.anti_counterfeit_clause", "the contract's anti-counterfeit clause"),
        ("from.contract.subcontract_consent", "the subcontracting consent clause of the supplying partner's contract"),
        ("to.authorization.status", "the status of the receiving partner's authorization"),
        ("programs.training_last", "the last training date"),
        ("documents.certificate_of_conformance", "the certificate of conformance"),
        ("attributes.spend_usd", "the spend in US dollars"),
        ("due_diligence.date", "the due-diligence check date"),
        ("shipping.free_trade_zone", "the shipment's free-trade-zone transit"),
        ("documents.traceability", "the traceability level"),
        ("traceability.lot_tracking", "the traceability's lot tracking"),
    ],
)
def test_field_words(path: str, words: str) -> None:
    assert field_words(path.split(".")) == words


def test_list_and_value_words() -> None:
    assert list_words(["audits"]) == "an audit"
    assert list_words(["to", "licenses"]) == "a licence of the receiving partner"
    assert list_words(["attributes", "sites"]) == "a site"
    assert field_words(["result"], "audit") == "the audit's result"
    assert show(["pass", "conditional"]) == "pass or conditional"
    assert show(True) == "yes" and show(False) == "no"
    assert show(dt.date(2026, 3, 12)) == "2026-03-12" and show(dt.datetime(2026, 3, 12, 9, 30)) == "2026-03-12"
    assert show("hospital_pharmacy") == "hospital pharmacy" and show("WD_1") == "WD_1"  # data ids keep their spelling
    assert show(None) == "nothing" and show("x" * 200).endswith("...")


def test_the_leak_scanner_catches_what_the_old_reasons_showed() -> None:
    old = [
        "does not match the pattern (?i)\\b(cleared|genuine)",
        "not one of ['pass', 'conditional']",
        "no evidence of from.contract.subcontract_consent",
        "kind is 'suspect', which is excluded",
        "found expires expires within days: parameter certification_warning_days",
    ]
    assert all(leaks(text) for text in old)
    assert not leaks("the contract's flow-down clause is recorded as no, expected yes")
    assert not leaks("the partners' licences have passed")


@pytest.mark.parametrize("example", ["electronics", "pharma", "apparel"])
def test_no_reason_on_the_examples_leaks_internals(example: str) -> None:
    """Every failing and waived finding of the shipped examples reads as plain English."""
    root = Path(__file__).resolve().parent.parent
    result = run_audit(load_supply(root / "examples" / example / "supply.yaml"), [resolve_pack("ntif@1.0.0")])
    reasons = [(f.rule_id, f.subject, f.detail) for f in result.findings]
    assert reasons
    leaking = [(rule, subject, detail, leaks(detail)) for rule, subject, detail in reasons if leaks(detail)]
    assert not leaking, leaking


def test_the_pack_schema_lists_the_registered_operators() -> None:
    from nofakes.rules import GRAPH_QUANTIFIERS, LEAF_OPERATORS, QUANTIFIERS, SET_CHECKS
    from nofakes.rules.schema import condition_defs

    assert LEAF_OPERATORS == tuple(OPERATORS)
    alternatives = condition_defs({"type": "string"})["Condition"]["oneOf"]
    keys = {key for alternative in alternatives for key in alternative["required"]} - {"all", "any", "not", "field"}
    assert keys == {*OPERATORS, *QUANTIFIERS, *GRAPH_QUANTIFIERS, *SET_CHECKS, "if", "then", "use"}


def test_the_rule_language_imports_no_higher_package() -> None:
    """Imports flow one way: core <- sources <- supply <- rules <- packs/audit <- reports <- cli."""
    rules = Path(__file__).resolve().parent.parent / "nofakes" / "rules"
    higher = re.compile(r"^\s*(from|import)\s+nofakes\.(packs|audit|reports|cli)\b", re.M)
    offenders = [path.name for path in rules.glob("*.py") if higher.search(path.read_text(encoding="utf-8"))]
    assert not offenders
