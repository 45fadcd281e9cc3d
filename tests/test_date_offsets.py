"""Business days, negative offsets and orderings of two dates of the same subject
(README: Rule language, Dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rulekit import audit, failing, node

from nofakes.audit.subjects import NODE_SCOPE, NodeView
from nofakes.core.errors import PackError, UsageError
from nofakes.rules import Compiler, Fail
from nofakes.rules.calendar import business_days_between
from nofakes.rules.values import Beyond, business_shift
from nofakes.supply.model import Node

AS_OF = dt.date(2026, 12, 2)  # a Wednesday


def day_by_day(day: dt.date, n: int) -> dt.date:
    """The oracle: walk one day at a time, counting Monday to Friday."""
    step, counted = (1 if n > 0 else -1), 0
    while counted != abs(n):
        day += dt.timedelta(days=step)
        counted += day.weekday() < 5
    return day


@pytest.mark.parametrize("start", [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)])
def test_business_shift_agrees_with_counting_day_by_day(start: dt.date) -> None:
    """Every weekday as a start, offsets up to eight weeks either way."""
    for n in range(-40, 41):
        assert business_shift(start, n) == day_by_day(start, n), n
        later = start + dt.timedelta(days=n)
        weekdays = sum((min(start, later) + dt.timedelta(days=i)).weekday() < 5 for i in range(1, abs(n) + 1))
        assert business_days_between(start, later) == (weekdays if n >= 0 else -weekdays), n


def test_business_shift_from_a_weekend_and_past_the_calendar() -> None:
    saturday = dt.date(2026, 11, 28)
    assert business_shift(saturday, 1) == dt.date(2026, 11, 30)
    assert business_shift(saturday, -1) == dt.date(2026, 11, 27)
    assert business_shift(saturday, 0) == saturday
    assert isinstance(business_shift(dt.date.max, 1), Beyond) and isinstance(business_shift(dt.date.min, -1), Beyond)
    huge = business_shift(AS_OF, 10**18)  # constant time, never a loop over N
    assert isinstance(huge, Beyond) and huge > dt.date.max


def partner(**attributes: Any) -> NodeView:
    return NodeView(Node.model_validate({"id": "n1", "name": "N", "role": "supplier", "attributes": attributes}),
                    1, False, frozenset())


def check(cond: dict[str, Any], subject: NodeView, **params: Any) -> Any:
    return Compiler(NODE_SCOPE, params, AS_OF).compile(cond, ("check",))((subject,))


def test_within_business_days() -> None:
    cond = {"field": "attributes.answered", "within_business_days": 3}
    assert check(cond, partner(answered=dt.date(2026, 11, 27))) is True  # Fri; Mon, Tue, Wed
    late = check(cond, partner(answered=dt.date(2026, 11, 26)))
    assert isinstance(late, Fail) and late.reason == (
        "the answered is 2026-11-26, 4 business days before the audit date (limit 3 business days)")
    assert "after the audit date" in check(cond, partner(answered=dt.date(2026, 12, 3))).reason


def test_plus_business_days_words_the_gap_in_business_days() -> None:
    cond = {"field": "attributes.answered", "lte": {"ref": "attributes.asked", "plus_business_days": 1}}
    friday, monday, tuesday = dt.date(2026, 11, 27), dt.date(2026, 11, 30), dt.date(2026, 12, 1)
    assert check(cond, partner(asked=friday, answered=monday)) is True
    late = check(cond, partner(asked=friday, answered=tuesday))
    assert late.reason == ("the answered is 2026-12-01, 2 business days after the asked (2026-11-27); "
                           "expected at most 1 business day after it")
    saturday = check(cond, partner(asked=dt.date(2026, 11, 26), answered=dt.date(2026, 11, 28)))
    assert saturday.reason.startswith("the answered is 2026-11-28 (a Saturday), 1 business day after")


@pytest.mark.parametrize("offset", [{"minus_days": 30}, {"plus_days": -30}, {"minus_days": {"param": "lead"}},
                                    {"plus_days": {"param": "back"}}])
def test_a_negative_offset_literal_or_parameter(offset: dict[str, Any]) -> None:
    cond = {"field": "attributes.signed", "lte": {"ref": "attributes.started", **offset}}
    start = dt.date(2026, 6, 1)
    assert check(cond, partner(signed=dt.date(2026, 5, 1), started=start), lead=30, back=-30) is True
    late = check(cond, partner(signed=dt.date(2026, 5, 20), started=start), lead=30, back=-30)
    assert late.reason == ("the signing date is 2026-05-20, 12 days before the started (2026-06-01); "
                           "expected at least 30 days before it")


@pytest.mark.parametrize(("op", "offset", "words"), [
    ("lte", 5, "at most 5 days after"), ("lt", 5, "less than 5 days after"), ("gte", 5, "at least 5 days after"),
    ("gt", 5, "more than 5 days after"), ("lte", -5, "at least 5 days before"), ("gte", -5, "at most 5 days before"),
    ("lte", 0, "on or before"), ("lt", 0, "before"), ("gte", 0, "on or after"), ("gt", 0, "after"),
])
def test_the_words_of_each_ordering_of_two_dates(op: str, offset: int, words: str) -> None:
    where = {"field": "discovered", op: {"ref": "discovered", "plus_days": offset}}
    built = Compiler(NODE_SCOPE, {}, AS_OF).build({"any_item": {"field": "incidents", "where": where}}, ("check",))
    date = "the incident's discovery date"
    assert built.text == f"there is an incident where {date} is {words} {date}"


def test_two_offsets_on_one_reference_are_a_located_error(tmp_path: Path) -> None:
    cond = {"field": "contract.signed", "lte": {"ref": "contract.expires", "plus_days": 1, "minus_days": 2}}
    with pytest.raises(PackError) as error:
        audit(tmp_path, [{"id": "KIT-DAT-001", "target": "node", "check": cond}], {"nodes": [node("a")]})
    (problem,) = error.value.diagnostics
    assert "minus_days and plus_days on one reference" in problem.message and problem.line is not None


def test_a_parameter_offset_respects_its_bounds(tmp_path: Path) -> None:
    cond = {"field": "contract.signed", "lte": {"ref": "contract.expires", "minus_days": {"param": "lead"}}}
    params = {"lead": {"default": 30, "description": "lead time in days", "minimum": 0, "maximum": 365}}
    rules = [{"id": "KIT-DAT-001", "target": "node", "check": cond}]
    with pytest.raises(UsageError) as error:
        audit(tmp_path, rules, {"nodes": [node("a")], "parameters": {"lead": 400}}, params)
    (problem,) = error.value.diagnostics
    assert problem.path == "parameters.lead" and problem.expected == "between 0 and 365 days (at most 100 years)"


INCIDENT_RULE = {"id": "KIT-INC-001", "target": "node", "applies_to": {"where": {"field": "incidents", "exists": True}},
                 "check": {"all_items": {"field": "incidents", "where": {"any_item": {"field": "reported", "where": {
                     "field": "date", "lte": {"ref": "../discovered", "plus_days": 5}}}}}}}
CONTRACT_RULE = {"id": "KIT-CON-001", "target": "node", "applies_to": {"where": {"field": "contract", "exists": True}},
                 "check": {"field": "contract.signed", "lt": {"ref": "due_diligence.date"}}}


def incident(discovered: str, reported: str) -> dict[str, Any]:
    return {"id": f"I-{discovered}", "kind": "suspect", "discovered": discovered,
            "reported": [{"to": "GIDEP", "date": reported}]}


def test_fixture_report_within_five_days_of_discovery(tmp_path: Path) -> None:
    nodes = [node("ok", incidents=[incident("2026-03-03", "2026-03-08")]),
             node("late", incidents=[incident("2026-03-03", "2026-03-12")])]
    found = failing(audit(tmp_path, [INCIDENT_RULE], {"as_of": "2026-12-02", "nodes": nodes}))
    assert found == {"late": "incident I-2026-03-03: no report qualifies: the report's date is 2026-03-12, 9 days "
                             "after the incident's discovery date (2026-03-03); expected at most 5 days after it"}


def test_fixture_contract_signed_before_due_diligence(tmp_path: Path) -> None:
    nodes = [node("ok", contract={"signed": "2026-01-01"}, due_diligence={"date": "2026-02-01"}),
             node("same", contract={"signed": "2026-02-01"}, due_diligence={"date": "2026-02-01"}),
             node("unknown", contract={"signed": "2026-02-01"})]
    result = audit(tmp_path, [CONTRACT_RULE], {"as_of": "2026-12-02", "nodes": nodes})
    assert failing(result) == {
        "same": "the contract's signing date is 2026-02-01, on the same day as the due-diligence check date "
                "(2026-02-01); expected before it",
        "unknown": "no evidence of the due-diligence check date"}


def test_within_business_days_on_a_weekend_audit_date_counts_the_business_days_since() -> None:
    sunday = dt.date(2026, 11, 29)
    cond = {"field": "attributes.answered", "within_business_days": 1}

    def on(day: int) -> Any:
        return Compiler(NODE_SCOPE, {}, sunday).compile(cond, ("check",))((partner(answered=dt.date(2026, 11, day)),))

    assert on(27) is True and on(26) is True  # Friday: none since; Thursday: Friday only
    assert on(25).reason == "the answered is 2026-11-25, 2 business days before the audit date (limit 1 business day)"


def test_a_shifted_reference_that_is_missing_or_not_a_date() -> None:
    cond = {"field": "attributes.answered", "lte": {"ref": "attributes.asked", "plus_days": 5}}
    missing = check(cond, partner(answered=dt.date(2026, 11, 27)))
    assert missing.missing and missing.reason == "no evidence of the asked"  # the field itself, not "the asked plus 5"
    text = check(cond, partner(answered=dt.date(2026, 11, 27), asked="last week"))
    assert not text.missing and text.reason == "the answered is 2026-11-27, which cannot be compared with last week"
