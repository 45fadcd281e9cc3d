"""The condition language: every operator, three-valued logic, quantifiers, values, compile errors.

Outcomes are three-valued: `True` (holds), `Fail(missing=False)` (definitely fails) and
`Fail(missing=True)` (no evidence). Missing evidence must never turn into a pass.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nofakes.audit.subjects import COMPANY_SCOPE, EDGE_SCOPE, NODE_SCOPE, PRODUCT_SCOPE, NodeView, build_subjects
from nofakes.rules import Compiler, ConditionError, Fail, ScopeType
from nofakes.supply.graph import build_graph
from nofakes.supply.model import Document, Node

AS_OF = dt.date(2026, 11, 1)
DAY = dt.timedelta(days=1)
PARAMS = {"audit_interval_days": 365, "max_open": 0}


# ---------------------------------------------------------------- helpers


def node(tier: int | None = 1, critical: bool = False, **fields: Any) -> NodeView:
    fields.setdefault("id", "n1")
    fields.setdefault("name", "Node One")
    fields.setdefault("role", "supplier")
    return NodeView(Node.model_validate(fields), tier, critical, frozenset())


def compile_check(cond: Any, scope: ScopeType = NODE_SCOPE, params: dict[str, Any] | None = None,
                  as_of: dt.date = AS_OF, **kwargs: Any) -> Any:
    return Compiler(scope, PARAMS if params is None else params, as_of, **kwargs).compile(cond, ("check",))


def run(cond: Any, subject: Any, **kwargs: Any) -> Any:
    return compile_check(cond, **kwargs)((subject,))


def attr(value: Any) -> NodeView:
    """A node whose free-form attribute `v` holds `value`."""
    return node(attributes={"v": value})


def holds(result: Any) -> bool:
    return result is True


def fails(result: Any) -> bool:
    """A definite failure (the evidence is there and it is wrong)."""
    return isinstance(result, Fail) and not result.missing


def missing(result: Any, what: str | None = None) -> bool:
    """No evidence; with `what`, of exactly that (the field in words, e.g. "the contract's audit rights clause")."""
    ok = isinstance(result, Fail) and result.missing
    if ok and what is not None:
        ok = result.reason == f"no evidence of {what}"
    return ok


def error_of(cond: Any, **kwargs: Any) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        compile_check(cond, **kwargs)
    return info.value


# ---------------------------------------------------------------- leaf operators

# (condition on attributes.v, a holding value, a definitely failing value, a wrong-typed value and
#  what the wrong-typed value must give: "fail" (definite) or "pass" (a negative test it satisfies));
#  date-like text is not ISO (YYYY-MM-DD): ISO date text under attributes is a date (nofakes.supply.values)
LEAF_CASES = [
    ("equals", {"equals": "x"}, "x", "y", 5, "fail"),
    ("equals-number", {"equals": 3}, 3, 4, "3", "fail"),
    ("equals-bool-vs-int", {"equals": True}, True, False, 1, "fail"),
    ("equals-int-vs-bool", {"equals": 1}, 1.0, 2, True, "fail"),
    ("not_equals", {"not_equals": "x"}, "y", "x", 5, "pass"),
    ("in", {"in": ["a", "b"]}, "b", "c", 1, "fail"),
    ("in-bool-vs-int", {"in": [1, 2]}, 2, 3, True, "fail"),
    ("not_in", {"not_in": ["a", "b"]}, "c", "a", ["a"], "pass"),
    ("is_true", {"is_true": True}, True, False, "yes", "fail"),
    ("is_false", {"is_false": True}, False, True, 0, "fail"),
    ("gt", {"gt": 5}, 6, 5, "6", "fail"),
    ("gt-bool", {"gt": 0}, 1, 0, True, "fail"),
    ("gte", {"gte": 5}, 5, 4, "x", "fail"),
    ("lt", {"lt": 5}, 4, 5, [1], "fail"),
    ("lte", {"lte": 5}, 5, 6, "5", "fail"),
    ("lte-float", {"lte": 0.5}, 0.5, 0.51, None, None),
    ("gt-date", {"gt": dt.date(2026, 1, 1)}, dt.date(2026, 1, 2), dt.date(2026, 1, 1), "2026/01/02", "fail"),
    ("gte-date", {"gte": dt.date(2026, 1, 1)}, dt.date(2026, 1, 1), dt.date(2025, 12, 31), 20260101, "fail"),
    ("lt-date", {"lt": dt.date(2026, 1, 1)}, dt.date(2025, 12, 31), dt.date(2026, 1, 1), "31.12.2025", "fail"),
    ("lte-date", {"lte": dt.date(2026, 1, 1)}, dt.date(2026, 1, 1), dt.date(2026, 1, 2), 5, "fail"),
    ("matches", {"matches": r"^US \d+$"}, "US 5123456", "EU 123", 123, "fail"),
    ("contains-list", {"contains": "hologram"}, ["serialized-qr", "hologram"], ["serialized-qr"], 5, "fail"),
    ("contains-text", {"contains": "ISO"}, "ISO 9001", "AS9120", {"a": 1}, "fail"),
    ("contains-list-bool", {"contains": 1}, [1, 2], [True], None, None),
    ("within_days", {"within_days": 30}, AS_OF - 30 * DAY, AS_OF - 31 * DAY, "30 Oct 2026", "fail"),
    ("within_days-future", {"within_days": 30}, AS_OF, AS_OF + DAY, 30, "fail"),
    ("not_expired", {"not_expired": True}, AS_OF, AS_OF - DAY, "2030-1-1", "fail"),
    ("expires_within_days", {"expires_within_days": 30}, AS_OF + 30 * DAY, AS_OF + 31 * DAY, "soon", "fail"),
    ("length_gte", {"length_gte": 2}, ["a", "b"], ["a"], 5, "fail"),
    ("length_gte-text", {"length_gte": 2}, "ab", "a", True, "fail"),
]


@pytest.mark.parametrize("label, op, good, bad, wrong, wrong_gives", LEAF_CASES, ids=[c[0] for c in LEAF_CASES])
def test_leaf_operator(label: str, op: dict[str, Any], good: Any, bad: Any, wrong: Any,
                       wrong_gives: str | None) -> None:
    cond = {"field": "attributes.v", **op}
    assert holds(run(cond, attr(good)))
    result = run(cond, attr(bad))
    assert fails(result), result
    assert result.reason  # says why
    # a missing field is "no evidence", never a pass and never a definite fail
    assert missing(run(cond, node()), "the v")
    assert missing(run(cond, node(attributes={"v": None})), "the v")
    if wrong_gives == "fail":
        assert fails(run(cond, attr(wrong)))
    elif wrong_gives == "pass":
        assert holds(run(cond, attr(wrong)))


def test_exists_true_and_false() -> None:
    present = {"field": "attributes.v", "exists": True}
    absent = {"field": "attributes.v", "exists": False}
    assert holds(run(present, attr("anything")))
    assert holds(run(present, attr(0)))  # falsy but present
    assert holds(run(present, attr(False)))
    assert missing(run(present, node()), "the v")
    assert missing(run(present, attr([])), "the v")  # an empty list is no evidence
    assert missing(run(present, attr({})), "the v")
    assert holds(run(absent, node()))
    assert holds(run(absent, attr([])))
    result = run(absent, attr("x"))
    assert fails(result) and result.reason == "the v is recorded as x, expected none"


def test_exists_on_model_fields() -> None:
    cond = {"field": "contract", "exists": True}
    assert holds(run(cond, node(contract={"audit_rights": True})))
    assert missing(run(cond, node()), "the contract")
    assert missing(run({"field": "audits", "exists": True}, node()), "the audits")


def test_within_days_boundaries() -> None:
    cond = {"field": "attributes.v", "within_days": 0}
    assert holds(run(cond, attr(AS_OF)))
    assert fails(run(cond, attr(AS_OF - DAY)))
    future = run({"field": "attributes.v", "within_days": 365}, attr(AS_OF + DAY))
    assert fails(future) and "after the audit date" in future.reason
    old = run({"field": "attributes.v", "within_days": 30}, attr(AS_OF - 31 * DAY))
    assert old.reason == f"the v is {(AS_OF - 31 * DAY).isoformat()}, 31 days old (limit 30 days)"


def test_not_expired_and_expires_within_days_boundaries() -> None:
    assert holds(run({"field": "attributes.v", "not_expired": True}, attr(AS_OF)))
    passed = run({"field": "attributes.v", "not_expired": True}, attr(AS_OF - DAY))
    assert fails(passed) and "has passed" in passed.reason
    # already expired is "expires within N days" too
    assert holds(run({"field": "attributes.v", "expires_within_days": 30}, attr(AS_OF - 100 * DAY)))
    assert holds(run({"field": "attributes.v", "expires_within_days": 0}, attr(AS_OF)))


def test_datetimes_in_free_form_attributes_compare_as_dates() -> None:
    stamp = dt.datetime(2026, 10, 30, 15, 45)
    assert holds(run({"field": "attributes.v", "within_days": 5}, attr(stamp)))
    assert holds(run({"field": "attributes.v", "gt": dt.date(2026, 10, 1)}, attr(stamp)))
    assert fails(run({"field": "attributes.v", "not_expired": True}, attr(stamp)))
    assert holds(run({"field": "attributes.v", "not_expired": True}, attr(dt.datetime(2026, 11, 1, 0, 1))))
    assert holds(run({"field": "attributes.v", "expires_within_days": 1}, attr(stamp)))


def test_matches_is_a_search_and_bounded() -> None:
    assert holds(run({"field": "attributes.v", "matches": "ISO"}, attr("cert ISO 9001")))
    assert holds(run({"field": "attributes.v", "matches": "^a+$"}, attr("a" * 50_000)))  # RE2: linear, no cap
    result = run({"field": "attributes.v", "matches": "^x"}, attr("abc"))
    assert fails(result) and result.reason == 'the v "abc" does not match the expected wording'


def test_model_fields_enums_and_nested_paths() -> None:
    authorized = node(authorization={"status": "authorized"}, country="CN",
                      contract={"audit_rights": True, "signed": "2025-01-10"})
    assert holds(run({"field": "authorization.status", "equals": "authorized"}, authorized))
    assert holds(run({"field": "role", "in": ["supplier", "broker"]}, authorized))
    assert holds(run({"field": "country", "not_in": ["RU", "KP"]}, authorized))
    assert holds(run({"field": "contract.audit_rights", "is_true": True}, authorized))
    assert holds(run({"field": "contract.signed", "lt": dt.date(2026, 1, 1)}, authorized))
    assert holds(run({"field": "tier", "gte": 1}, authorized))
    assert fails(run({"field": "critical", "is_true": True}, authorized))
    assert holds(run({"field": "critical", "is_true": True}, node(critical=True)))
    unauthorized = node(authorization={"status": "revoked"})
    result = run({"field": "authorization.status", "equals": "authorized"}, unauthorized)
    assert fails(result) and result.reason == "the authorization's status is revoked, expected authorized"
    # a missing intermediate object is missing evidence of the whole path
    assert missing(run({"field": "contract.audit_rights", "is_true": True}, node()),
                   "the contract's audit rights clause")
    assert missing(run({"field": "contract.audit_rights", "is_true": True}, node(contract={})),
                   "the contract's audit rights clause")
    assert missing(run({"field": "tier", "gte": 1}, node(tier=None)), "the tier")


def test_free_form_attributes_paths() -> None:
    deep = node(attributes={"risk": {"score": {"value": 7}}, "spend_usd": 1_200_000})
    assert holds(run({"field": "attributes.risk.score.value", "gt": 5}, deep))
    assert holds(run({"field": "attributes.spend_usd", "gte": 1_000_000}, deep))
    assert missing(run({"field": "attributes.risk.level.value", "equals": "x"}, deep), "the value of the risk's level")
    # a path through a scalar at run time is no evidence, not an exception
    assert missing(run({"field": "attributes.spend_usd.currency", "equals": "USD"}, deep))


# ---------------------------------------------------------------- combinators (three-valued)

T = {"field": "role", "equals": "supplier"}  # holds
F = {"field": "role", "equals": "broker"}  # fails definitely
M = {"field": "contract.audit_rights", "is_true": True}  # no evidence on a bare node


def test_the_three_building_blocks() -> None:
    n = node()
    assert holds(run(T, n)) and fails(run(F, n)) and missing(run(M, n))


@pytest.mark.parametrize("cond, expected", [
    ({"all": [T, T]}, "pass"),
    ({"all": [T, F]}, "fail"),
    ({"all": [M, T]}, "missing"),
    ({"all": [M, F]}, "fail"),  # a definite failure decides, whatever the order
    ({"all": [F, M]}, "fail"),
    ({"all": [M, M]}, "missing"),
    ({"any": [F, T]}, "pass"),
    ({"any": [M, T]}, "pass"),
    ({"any": [F, F]}, "fail"),
    ({"any": [F, M]}, "missing"),
    ({"any": [M, F]}, "missing"),
    ({"not": T}, "fail"),
    ({"not": F}, "pass"),
    ({"not": M}, "missing"),  # missing evidence never becomes a pass through negation
    ({"not": {"not": M}}, "missing"),
    ({"not": {"any": [F, M]}}, "missing"),
    ({"not": {"all": [M, F]}}, "pass"),
    ({"all": [T]}, "pass"),
    ({"any": [M]}, "missing"),
], ids=lambda v: str(v) if isinstance(v, str) else None)
def test_three_valued_logic(cond: Any, expected: str) -> None:
    result = run(cond, node())
    assert {"pass": holds, "fail": fails, "missing": missing}[expected](result), result


def test_combinator_reasons() -> None:
    n = node()
    negated = run({"not": T}, n)
    assert negated.reason == "the role is supplier"  # what held, in words
    either = run({"any": [F, M]}, n)
    # every branch is explained (a definite failure is not hidden by missing evidence elsewhere)
    assert either.reason == ("none of: the role is supplier, expected broker; "
                             "no evidence of the contract's audit rights clause")
    assert either.missing
    both = run({"any": [F, {"field": "role", "in": ["broker"]}]}, n)
    assert fails(both)
    assert both.reason == "none of: the role is supplier, expected broker"  # the same words once
    listed = run({"any": [F, {"field": "role", "in": ["broker", "importer"]}]}, n)
    assert listed.reason == ("none of: the role is supplier, expected broker; "
                             "the role is supplier, expected broker or importer")
    assert run({"all": [M, F]}, n).reason == "the role is supplier, expected broker"
    # negated leaves read as plain words, not operator names
    assert run({"not": {"field": "attributes.v", "exists": False}}, node()).reason == "the v is not recorded"
    assert run({"not": {"field": "attributes.v", "exists": True}}, attr(1)).reason == "the v is recorded"
    assert run({"not": {"field": "attributes.v", "is_true": True}}, attr(True)).reason == "the v is recorded as yes"


# ---------------------------------------------------------------- list quantifiers

PASSING_AUDIT = {"date": "2026-03-12", "kind": "onsite", "result": "pass"}
FAILED_AUDIT = {"date": "2026-05-01", "kind": "remote", "result": "fail"}
OLD_AUDIT = {"date": "2024-01-01", "kind": "onsite", "result": "pass"}
RECENT_PASS = {"any_item": {"field": "audits", "where": {"all": [
    {"field": "result", "in": ["pass", "conditional"]},
    {"field": "date", "within_days": {"param": "audit_interval_days"}},
]}}}


def test_any_item() -> None:
    assert holds(run(RECENT_PASS, node(audits=[FAILED_AUDIT, PASSING_AUDIT])))
    result = run(RECENT_PASS, node(audits=[FAILED_AUDIT, OLD_AUDIT]))
    assert fails(result) and result.reason == ("no audit qualifies: the audit's date is 2024-01-01, "
                                               "1035 days old (limit 365 days)")
    assert missing(run(RECENT_PASS, node(audits=[])), "an audit")  # empty list: no evidence
    assert missing(run(RECENT_PASS, node()), "an audit")
    assert holds(run({"any_item": {"field": "audits"}}, node(audits=[FAILED_AUDIT])))  # without where: non-empty
    assert missing(run({"any_item": {"field": "audits"}}, node()), "an audit")


def test_any_item_with_unknown_entries_is_missing_not_a_definite_fail() -> None:
    # "some certification expires before 2026": one has no expiry date at all
    cond = {"any_item": {"field": "certifications", "where": {"field": "expires", "lt": dt.date(2026, 1, 1)}}}
    later = {"standard": "ISO 9001", "expires": "2027-01-01"}
    undated = {"standard": "AS9120"}
    assert fails(run(cond, node(certifications=[later])))
    assert missing(run(cond, node(certifications=[later, undated])))
    # and therefore its negation cannot pass on missing evidence
    assert missing(run({"not": cond}, node(certifications=[later, undated])))
    assert holds(run({"not": cond}, node(certifications=[later])))


def test_all_items() -> None:
    cond = {"all_items": {"field": "certifications", "where": {"field": "expires", "not_expired": True}}}
    valid = {"standard": "ISO 9001", "expires": "2027-03-01"}
    expired = {"standard": "AS9120", "expires": "2026-01-01"}
    undated = {"standard": "ISO 28000"}
    assert holds(run(cond, node(certifications=[valid])))
    assert holds(run(cond, node(certifications=[])))  # vacuously true
    assert holds(run(cond, node()))
    result = run(cond, node(certifications=[valid, expired]))
    assert fails(result) and result.reason == "certificate AS9120: the certificate's expiry date 2026-01-01 has passed"
    result = run(cond, node(certifications=[valid, undated]))
    assert missing(result) and result.reason == "certificate ISO 28000: no evidence of the certificate's expiry date"
    # like all: a definite failure outranks missing evidence, whichever comes first
    assert fails(run(cond, node(certifications=[undated, expired])))
    assert fails(run(cond, node(certifications=[expired, undated])))


def test_quantifiers_on_free_form_lists() -> None:
    cond = {"all_items": {"field": "attributes.v", "where": {"field": "ok", "is_true": True}}}
    assert holds(run(cond, attr([{"ok": True}, {"ok": True}])))
    assert fails(run(cond, attr([{"ok": True}, {"ok": False}])))
    assert missing(run(cond, attr([{"other": 1}])))
    assert missing(run(cond, node()), "a v")
    result = run(cond, attr("not a list"))
    assert fails(result) and result.reason == "the v is not a list"
    assert fails(run({"any_item": {"field": "attributes.v"}}, attr("text")))
    assert fails(run({"count": {"field": "attributes.v", "gte": 1}}, attr(7)))


def test_quantifier_over_a_list_of_plain_values() -> None:
    cond = {"any_item": {"field": "products", "where": {"field": "value", "matches": "^amp-"}}}
    assert holds(run(cond, node(products=["cable", "amp-x1"])))
    assert fails(run(cond, node(products=["cable"])))


INCIDENTS = [
    {"id": "INC-1", "kind": "suspect", "discovered": "2026-01-01", "status": "closed"},
    {"id": "INC-2", "kind": "counterfeit", "discovered": "2026-02-01", "status": "open"},
    {"id": "INC-3", "kind": "suspect", "discovered": "2026-03-01", "status": "investigating"},
]


@pytest.mark.parametrize("comparator, bound, expected", [
    ("equals", 2, True), ("equals", 1, False),
    ("gte", 2, True), ("gte", 3, False),
    ("gt", 1, True), ("gt", 2, False),
    ("lte", 2, True), ("lte", 1, False),
    ("lt", 3, True), ("lt", 2, False),
])
def test_count_comparators(comparator: str, bound: int, expected: bool) -> None:
    cond = {"count": {"field": "incidents", "where": {"field": "status", "not_equals": "closed"}, comparator: bound}}
    result = run(cond, node(incidents=INCIDENTS))
    if expected:
        assert holds(result)
    else:
        words = {"equals": "exactly", "gte": "at least", "gt": "more than", "lte": "at most", "lt": "fewer than"}
        assert fails(result) and result.reason == (
            "2 incidents where the incident's status is not closed: INC-2 and INC-3 "
            f"(expected {words[comparator]} {bound})")


def test_count_without_where_counts_items_and_takes_params() -> None:
    assert holds(run({"count": {"field": "incidents", "equals": 3}}, node(incidents=INCIDENTS)))
    assert holds(run({"count": {"field": "incidents", "lte": {"param": "max_open"}}}, node()))  # [] counts 0
    assert fails(run({"count": {"field": "incidents", "lte": {"param": "max_open"}}}, node(incidents=INCIDENTS)))
    assert missing(run({"count": {"field": "attributes.v", "lte": 0}}, node()), "a v")
    none = run({"count": {"field": "incidents", "lte": {"param": "max_open"}}}, node(incidents=INCIDENTS))
    assert none.reason == "3 incidents: INC-1, INC-2 and INC-3 (expected none)"
    many = run({"count": {"field": "incidents", "lte": 0}}, node(incidents=INCIDENTS * 2))
    assert many.reason == "6 incidents: INC-1, INC-2, INC-3 and 3 more (expected none)"


def test_count_is_three_valued_over_items_without_evidence() -> None:
    # "no incident left unquarantined": one incident does not say whether it was quarantined
    cond = {"count": {"field": "incidents", "where": {"field": "quarantined", "is_false": True}, "lte": 0}}
    unknown = {"id": "INC-9", "kind": "suspect", "discovered": "2026-01-01"}
    known = {"id": "INC-8", "kind": "suspect", "discovered": "2026-01-01", "quarantined": False}
    assert missing(run(cond, node(incidents=[unknown])))  # could be 0 or 1: not a pass
    assert fails(run(cond, node(incidents=[unknown, known])))  # at least 1 whatever the unknown is
    at_least_one = {"count": {"field": "incidents", "where": {"field": "quarantined", "is_false": True}, "gte": 1}}
    assert holds(run(at_least_one, node(incidents=[unknown, known])))
    assert missing(run(at_least_one, node(incidents=[unknown])))


def test_ref_with_plus_days_inside_nested_quantifiers() -> None:
    """Every incident was reported within 60 days of its discovery: `../` climbs to the incident."""
    cond = {"all_items": {"field": "incidents", "where": {"any_item": {"field": "reported", "where": {
        "field": "date", "lte": {"ref": "../discovered", "plus_days": 60}}}}}}

    def incident(reported: str | None) -> dict[str, Any]:
        return {"id": "INC-7", "kind": "suspect", "discovered": "2026-08-02",
                "reported": [{"to": "GIDEP", "date": reported}] if reported else []}

    assert holds(run(cond, node(incidents=[incident("2026-08-20")])))
    assert holds(run(cond, node(incidents=[incident("2026-10-01")])))  # exactly 60 days
    late = run(cond, node(incidents=[incident("2026-10-02")]))
    assert fails(late) and late.reason.endswith(
        "the report's date is 2026-10-02, 61 days after the incident's discovery date (2026-08-02); "
        "expected at most 60 days after it")
    assert missing(run(cond, node(incidents=[incident(None)])))  # never reported: no evidence
    assert holds(run(cond, node()))  # no incidents at all


def test_ref_to_a_field_of_the_same_subject() -> None:
    cond = {"field": "contract.expires", "gte": {"ref": "authorization.expires"}}
    both = node(contract={"expires": "2028-01-01"}, authorization={"status": "authorized", "expires": "2027-01-01"})
    assert holds(run(cond, both))
    assert missing(run(cond, node(contract={"expires": "2028-01-01"})), "the authorization's expiry date")
    in_ref = {"field": "country", "in": {"ref": "attributes.allowed"}}
    assert holds(run(in_ref, node(country="DE", attributes={"allowed": ["DE", "FR"]})))
    assert fails(run(in_ref, node(country="CN", attributes={"allowed": ["DE", "FR"]})))
    assert missing(run(in_ref, node(country="CN")))
    eq_ref = {"field": "country", "not_equals": {"ref": "attributes.home"}}
    assert missing(run(eq_ref, node(country="CN")))  # nothing to compare with: not a pass


def test_param_values() -> None:
    cond = {"field": "attributes.v", "within_days": {"param": "audit_interval_days"}}
    assert holds(run(cond, attr(AS_OF - 365 * DAY)))
    assert fails(run(cond, attr(AS_OF - 366 * DAY)))
    assert holds(run(cond, attr(AS_OF - 10 * DAY), params={"audit_interval_days": 10}))
    assert fails(run(cond, attr(AS_OF - 11 * DAY), params={"audit_interval_days": 10}))
    assert holds(run({"field": "attributes.v", "in": {"param": "allowed"}}, attr("b"), params={"allowed": ["a", "b"]}))


def test_unknown_param_is_an_error_with_a_hint() -> None:
    err = error_of({"field": "attributes.v", "within_days": {"param": "audit_interval_day"}})
    assert err.loc == ("check", "within_days", "param")
    assert "unknown parameter 'audit_interval_day'" in err.message
    assert err.hint == "did you mean 'audit_interval_days'?"


# ---------------------------------------------------------------- other targets


def _document() -> Document:
    return Document.model_validate({
        "nofakes": "1",
        "company": {"id": "acme", "name": "Acme", "country": "US"},
        "products": [{"id": "amp", "name": "Amp", "category": "electronics", "critical": True,
                      "trademarks": [{"registration": "US 1", "office": "USPTO", "recorded_with_customs": True}]}],
        "nodes": [
            {"id": "acme", "name": "Acme", "role": "brand_owner"},
            {"id": "pcb", "name": "PCB Co", "role": "supplier", "authorization": {"status": "authorized"},
             "products": ["amp"]},
            {"id": "bro", "name": "Broker", "role": "broker"},
        ],
        "edges": [
            {"from": "pcb", "to": "acme", "kind": "supplies", "products": ["amp"],
             "documents": {"certificate_of_conformance": True}},
            {"from": "bro", "to": "acme", "kind": "supplies"},
        ],
    })


def test_edge_scope_reads_from_and_to() -> None:
    doc = _document()
    subjects = build_subjects(doc, build_graph(doc))
    good, bad = subjects.edges
    cond = {"all": [{"field": "from.authorization.status", "equals": "authorized"},
                    {"field": "to.role", "equals": "brand_owner"},
                    {"field": "documents.certificate_of_conformance", "is_true": True},
                    {"field": "critical", "is_true": True}]}
    assert holds(run(cond, good, scope=EDGE_SCOPE))
    assert missing(run({"all": cond["all"][:3]}, bad, scope=EDGE_SCOPE),
                   "the status of the supplying partner's authorization")
    assert fails(run(cond, bad, scope=EDGE_SCOPE))  # not critical: a definite failure decides
    assert fails(run({"field": "from.role", "equals": "supplier"}, bad, scope=EDGE_SCOPE))
    assert error_of({"field": "form.role", "equals": "x"}, scope=EDGE_SCOPE).hint == "did you mean 'from'?"


def test_product_and_company_scopes() -> None:
    doc = _document()
    subjects = build_subjects(doc, build_graph(doc))
    recorded = {"all_items": {"field": "trademarks", "where": {"field": "recorded_with_customs", "is_true": True}}}
    assert holds(run(recorded, subjects.products[0], scope=PRODUCT_SCOPE))
    brokers = {"count": {"field": "nodes", "where": {"field": "role", "equals": "broker"}, "lte": 0}}
    assert fails(run(brokers, subjects.company, scope=COMPANY_SCOPE))
    assert holds(run({"field": "company.country", "equals": "US"}, subjects.company, scope=COMPANY_SCOPE))
    assert holds(run({"field": "node.role", "equals": "brand_owner"}, subjects.company, scope=COMPANY_SCOPE))


def test_graph_quantifiers_only_on_node_subjects() -> None:
    def quantifier(kind: str, spec: Any, loc: Any) -> Any:
        return lambda stack: ("a", "b")

    spec = {"upstream_none": {"where": {"field": "role", "equals": "broker"}}}
    check = compile_check(spec, graph_quantifier=quantifier)
    result = check((node(),))
    assert fails(result) and result.evidence == ("a", "b")
    assert result.reason == "the upstream partner a matches: the role is broker (route: a -> b)"
    named = compile_check(spec, graph_quantifier=quantifier, partner_name=lambda nid: f"Partner {nid.upper()}")
    assert named((node(),)).reason == ("the upstream partner Partner A matches: the role is broker "
                                       "(route: Partner A -> Partner B)")
    for scope in (EDGE_SCOPE, PRODUCT_SCOPE, COMPANY_SCOPE):
        err = error_of(spec, scope=scope, graph_quantifier=quantifier)
        assert "only allowed" in err.message
    err = error_of({"any_item": {"field": "audits", "where": spec}}, graph_quantifier=quantifier)
    assert "only allowed" in err.message
    assert "only allowed" in error_of(spec).message  # no graph available


# ---------------------------------------------------------------- compile errors


def test_unknown_operator_with_hint() -> None:
    err = error_of({"all": [T, {"field": "role", "equal": "supplier"}]})
    assert err.loc == ("check", "all", 1, "equal")
    assert err.message == "unknown operator 'equal'"
    assert err.hint == "did you mean 'equals'?"
    err = error_of({"field": "role", "wihtin_days": 3})
    assert err.hint == "did you mean 'within_days'?"
    err = error_of({"equals": "x"})
    assert "without 'field'" in err.message


def test_unknown_field_with_hint() -> None:
    err = error_of({"field": "contrct.audit_rights", "is_true": True})
    assert err.loc == ("check", "field")
    assert "unknown field 'contrct'" in err.message
    assert err.hint == "did you mean 'contract'?"
    err = error_of({"field": "contract.audit_right", "is_true": True})
    assert err.hint == "did you mean 'audit_rights'?"
    err = error_of({"any_item": {"field": "audits", "where": {"field": "reslt", "equals": "pass"}}})
    assert err.loc == ("check", "any_item", "where", "field") and err.hint == "did you mean 'result'?"


def test_path_through_a_scalar_or_a_list() -> None:
    err = error_of({"field": "contract.audit_rights.value", "is_true": True})
    assert "'contract.audit_rights' has no fields" in err.message
    err = error_of({"field": "audits.date", "within_days": 3})
    assert "any_item" in (err.expected or "")
    err = error_of({"field": "role.name", "equals": "x"})
    assert err.message == "'role' has no fields (cannot read 'name')"
    err = error_of({"field": "contract.audit_right", "is_true": True})
    assert err.message == "unknown field 'contract.audit_right'"
    err = error_of({"field": "contract..audit_rights", "is_true": True})
    assert "malformed" in err.message


def test_two_operators_in_one_leaf() -> None:
    err = error_of({"field": "role", "equals": "supplier", "not_equals": "broker"})
    assert err.loc == ("check",)
    assert "2 operators in one leaf" in err.message


def test_combinator_mixed_with_a_leaf() -> None:
    err = error_of({"all": [T], "field": "role", "equals": "x"})
    assert "cannot be combined" in err.message
    assert "cannot be combined" in error_of({"all": [T], "any": [T]}).message
    assert "quantifier alone" in (error_of({"any_item": {"field": "audits"}, "field": "role"}).expected or "")


def test_bad_and_unsupported_regexes() -> None:
    err = error_of({"field": "name", "matches": "([a-z"})
    assert err.loc == ("check", "matches")
    assert "invalid regular expression" in err.message
    # what RE2 cannot do in linear time is refused, in words
    for pattern, words in ((r"(a)\1", "backreferences such as \\1 are not supported"),
                           ("(?=a)b", "lookahead"), ("(?!a)b", "negative lookahead"), ("(?<=a)b", "lookbehind"),
                           ("(?<!a)b", "lookbehind"), ("(?P<x>a)(?P=x)", "named backreferences")):
        err = error_of({"field": "name", "matches": pattern})
        assert words in err.message and "linear-time" in (err.expected or ""), (pattern, err.message)


def test_patterns_that_backtrack_elsewhere_match_in_linear_time() -> None:
    """Nested quantifiers are fine with RE2: a match never takes more than linear time (a hang here
    would be caught by the test run's timeout, so the assertions are on the results)."""
    long_input = "a" * 100_000 + "!"
    # as written in the issue: a search, so "(a|a)*$" matches the empty end of any text
    for pattern in ("(a|a)*$", "(a|aa)+$"):
        check = compile_check({"field": "attributes.v", "matches": pattern})
        assert holds(check((attr(long_input),))) is (pattern == "(a|a)*$"), pattern
    for pattern in ("^(a|a)*$", "^(a|aa)+$", "^(a+)+$", "^(a*)*$", r"^(\w+\s?)+$", "^((a+))+$", "^(a+){2,}$"):
        check = compile_check({"field": "attributes.v", "matches": pattern})
        assert fails(check((attr(long_input),))), pattern  # "!" at the end: no match
        assert holds(check((attr("a" * 100_000),))), pattern
    for pattern in ("(ab)+", "(a|b)+", r"(\d{3}-)+", "[(a+)]+", r"\(a+\)+", "(a+)?", "(a+){3}", "^US \\d+$"):
        compile_check({"field": "name", "matches": pattern})  # fine


def test_matches_on_text_that_is_not_valid_unicode() -> None:
    """JSON can carry a lone surrogate ("\\ud800"); RE2 reads UTF-8, and the check must not raise."""
    assert holds(run({"field": "attributes.v", "matches": "GIDEP"}, attr("GIDEP \ud800")))
    assert fails(run({"field": "attributes.v", "matches": "^ERAI$"}, attr("\ud800")))
    assert "not valid Unicode" in error_of({"field": "attributes.v", "matches": "x\ud800"}).message


def test_matches_keeps_search_and_case_semantics() -> None:
    """A search anywhere in the text, case-sensitive unless the pattern says (?i) - as before RE2."""
    assert holds(run({"field": "attributes.v", "matches": "ERAI"}, attr("reported to ERAI today")))
    assert fails(run({"field": "attributes.v", "matches": "erai"}, attr("ERAI")))
    assert holds(run({"field": "attributes.v", "matches": "(?i)erai"}, attr("ERAI")))
    assert fails(run({"field": "attributes.v", "matches": "(?i)^(GIDEP|ERAI)$"}, attr("ERAI Inc")))
    assert holds(run({"field": "attributes.v", "matches": r"(?i)\b(cleared|genuine)"}, attr("Genuine part")))
    assert fails(run({"field": "attributes.v", "matches": r"(?i)\b(cleared|genuine)"}, attr("ungenuine")))


def test_a_pattern_parameter_is_compiled_with_re2_and_named_in_errors() -> None:
    cond = {"field": "attributes.v", "matches": {"param": "authority_pattern"}}
    for pattern, on_long in (("(a|a)*$", True), ("(a|aa)+$", False), ("^(a|aa)+$", False)):
        check = compile_check(cond, params={"authority_pattern": pattern})
        assert holds(check((attr("a" * 100_000 + "b"),))) is on_long, pattern
        assert holds(check((attr("a" * 100_000),)))
    err = error_of(cond, params={"authority_pattern": r"(x)\1"})
    assert err.loc == ("check", "matches") and "(parameter authority_pattern)" in err.message
    assert "at most" in (error_of({"field": "name", "matches": "a" * 301}).expected or "")
    assert "regular expression as text" in (error_of({"field": "name", "matches": 5}).expected or "")


def test_quantifier_errors() -> None:
    err = error_of({"all_items": {"field": "audits"}})
    assert err.loc == ("check", "all_items") and "without 'where'" in err.message
    err = error_of({"count": {"field": "audits", "where": {"field": "result", "equals": "pass"}}})
    assert "exactly one of" in err.message
    err = error_of({"count": {"field": "audits", "gte": 1, "lte": 3}})
    assert "exactly one of" in err.message
    err = error_of({"count": {"field": "audits", "gte": "one"}})
    assert err.loc == ("check", "count", "gte")
    err = error_of({"any_item": {"field": "contract", "where": T}})
    assert "is not a list" in err.message
    err = error_of({"any_item": {"field": "audits", "wher": T}})
    assert err.hint == "did you mean 'where'?"
    assert "missing 'field'" in error_of({"any_item": {"where": T}}).message
    assert error_of({"any_item": ["audits"]}).loc == ("check", "any_item")


def test_value_errors() -> None:
    bad = [
        ({"field": "attributes.v", "within_days": -1}, "a whole number >= 0"),
        ({"field": "attributes.v", "within_days": "30"}, "a whole number >= 0"),
        ({"field": "attributes.v", "length_gte": True}, "a whole number >= 0"),
        ({"field": "attributes.v", "not_expired": False}, "not_expired: true"),
        ({"field": "attributes.v", "is_true": False}, "is_true: true"),
        ({"field": "attributes.v", "exists": "yes"}, "true or false"),
        ({"field": "attributes.v", "in": "a"}, "a list of values"),
        ({"field": "attributes.v", "gt": "5"}, "a number or a date"),
        ({"field": "attributes.v", "gt": True}, "a number or a date"),
        ({"field": "attributes.v", "equals": {"nope": 1}}, "a literal"),
        ({"field": "attributes.v", "gt": {"ref": "attributes.w", "plus_days": "x"}}, "a whole number of days"),
        ({"field": "attributes.v", "gt": {"ref": "attributes.w", "plus_days": {"ref": "attributes.n"}}},
         "a literal or {param: NAME}"),
        ({"field": "attributes.v", "within_days": {"ref": "attributes.w"}}, "a literal or {param: NAME}"),
        ({"field": "", "equals": 1}, "a field path"),
        ({"field": "../role", "equals": 1}, "'../' only inside"),
    ]
    for cond, expected in bad:
        err = error_of(cond)
        assert expected in (err.expected or ""), (cond, err.expected)


def test_malformed_structure() -> None:
    assert error_of([T]).loc == ("check",)
    assert error_of({}).loc == ("check",)
    assert error_of({"all": []}).loc == ("check", "all")
    assert error_of({"any": T}).loc == ("check", "any")
    assert error_of({"not": "x"}).loc == ("check", "not")
    assert error_of({"all": [T, {"any": [T, {"not": {"field": "nope", "equals": 1}}]}]}).loc == (
        "check", "all", 1, "any", 1, "not", "field")


def test_compiled_checks_never_raise_on_odd_data() -> None:
    """Every operator against values of every shape: outcomes only, no exceptions."""
    values = [None, 0, 1, -1.5, True, False, "", "text", [], ["a"], [1, 2], {}, {"a": 1}, AS_OF,
              dt.datetime(2026, 1, 1, 12, 0), [None], [{"x": 1}]]
    conds = [case[1] for case in LEAF_CASES] + [
        {"exists": True}, {"exists": False}, {"in": {"ref": "attributes.w"}}, {"gt": {"ref": "attributes.w"}},
        {"equals": {"ref": "attributes.w"}}, {"lte": {"ref": "attributes.w", "plus_days": 3}}]
    quantified = [
        {"any_item": {"field": "attributes.v", "where": {"field": "x", "gt": 0}}},
        {"all_items": {"field": "attributes.v", "where": {"field": "x", "gt": 0}}},
        {"count": {"field": "attributes.v", "where": {"field": "x", "gt": 0}, "gte": 1}},
        {"any_item": {"field": "attributes.v", "where": {"field": "value", "equals": 1}}},
    ]
    checks = [compile_check({"field": "attributes.v", **c}) for c in conds] + [compile_check(q) for q in quantified]
    for value in values:
        for other in (None, 1, AS_OF, ["a"]):
            subject = node(attributes={"v": value, "w": other})
            for check in checks:
                result = check((subject,))
                assert result is True or isinstance(result, Fail)


# ---------------------------------------------------------------- conditions that must not be met


FORBIDDEN = {"any": [
    {"all": [{"field": "role", "in": ["distributor", "broker", "wholesaler"]},
             {"not": {"field": "authorization.status", "equals": "authorized"}}]},
    {"all": [{"field": "role", "equals": "importer"}, {"field": "contract.anti_counterfeit_clause", "is_false": True}]},
]}


def forbidden(subject: Any) -> Any:
    return Compiler(NODE_SCOPE, PARAMS, AS_OF).compile_forbidden(FORBIDDEN, ("check",))((subject,))


def test_a_forbidden_condition_that_is_met_says_what_the_partner_has() -> None:
    result = forbidden(node(role="wholesaler", authorization={"status": "unauthorized"}))
    assert isinstance(result, Fail) and not result.missing
    assert result.reason == "the role is wholesaler; the authorization's status is unauthorized, expected authorized"


def test_a_forbidden_condition_that_is_not_met_holds() -> None:
    assert forbidden(node(role="distributor", authorization={"status": "authorized"})) is True
    assert forbidden(node(role="retailer")) is True


def test_a_forbidden_condition_that_cannot_be_ruled_out_names_only_what_is_unknown() -> None:
    # the importer branch definitely does not apply to a distributor: saying so would only confuse
    result = forbidden(node(role="distributor"))
    assert isinstance(result, Fail) and result.missing
    assert result.reason == "no evidence of the authorization's status"
    both = forbidden(node(role="importer"))
    assert isinstance(both, Fail) and both.missing
    assert both.reason == "no evidence of the contract's anti-counterfeit clause"
