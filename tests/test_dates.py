"""Date arithmetic never raises: offsets saturate at year 1 / year 9999 and still give the
mathematically right comparison (README: Commands: year-9999 arithmetic is never a crash).

Another layer bounds parameters and `as_of` at input; these tests pin that evaluation itself
holds up whatever reaches it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nofakes.audit.engine import run_audit
from nofakes.audit.subjects import NODE_SCOPE, NodeView
from nofakes.packs.catalogue import resolve_pack
from nofakes.rules import Compiler, Fail
from nofakes.rules.values import Beyond, shift
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Node

FIRST, LAST = dt.date.min, dt.date.max
HUGE = [3_000_000, 99_999_999_999_999_999_999]


def partner(**attributes: Any) -> NodeView:
    return NodeView(Node.model_validate({"id": "n1", "name": "N", "role": "supplier", "attributes": attributes}),
                    1, False, frozenset())


def run(cond: dict[str, Any], subject: NodeView, as_of: dt.date, **params: Any) -> Any:
    return Compiler(NODE_SCOPE, params, as_of).compile(cond, ("check",))((subject,))


def test_shift_saturates_into_dates_beyond_the_calendar() -> None:
    assert shift(dt.date(2026, 1, 1), 31) == dt.date(2026, 2, 1)
    assert shift(LAST, 0) == LAST and shift(FIRST, 0) == FIRST
    late, early = shift(LAST, 60), shift(FIRST, -1)
    assert isinstance(late, Beyond) and isinstance(early, Beyond)
    assert LAST < late and late > LAST and not late <= LAST and late >= FIRST  # type: ignore[operator]
    assert FIRST > early and early < FIRST and not early >= FIRST and early <= LAST  # type: ignore[operator]
    assert isinstance(shift(FIRST, -HUGE[1]), Beyond) and isinstance(shift(LAST, HUGE[1]), Beyond)


@pytest.mark.parametrize("days", HUGE)
def test_within_days_with_a_huge_window_accepts_every_past_date(days: int) -> None:
    cond = {"field": "attributes.v", "within_days": {"param": "audit_interval_days"}}
    as_of = dt.date(2026, 11, 1)
    assert run(cond, partner(v=FIRST), as_of, audit_interval_days=days) is True
    assert run(cond, partner(v=as_of), as_of, audit_interval_days=days) is True
    future = run(cond, partner(v=as_of + dt.timedelta(days=1)), as_of, audit_interval_days=days)
    assert isinstance(future, Fail) and "after the audit date" in future.reason


@pytest.mark.parametrize("days", HUGE)
def test_expires_within_days_with_a_huge_window_includes_year_9999(days: int) -> None:
    cond = {"field": "attributes.v", "expires_within_days": days}
    assert run(cond, partner(v=LAST), dt.date(2026, 11, 1)) is True


def test_date_operators_on_an_audit_date_of_year_1_or_9999() -> None:
    assert run({"field": "attributes.v", "within_days": 60}, partner(v=FIRST), FIRST) is True
    old = run({"field": "attributes.v", "within_days": 60}, partner(v=FIRST), LAST)
    assert isinstance(old, Fail) and old.reason == "the v is 0001-01-01, 3652058 days old (limit 60 days)"
    assert run({"field": "attributes.v", "expires_within_days": 60}, partner(v=LAST), LAST) is True
    assert run({"field": "attributes.v", "expires_within_days": 0}, partner(v=LAST), FIRST) is not True
    assert run({"field": "attributes.v", "not_expired": True}, partner(v=FIRST), FIRST) is True
    assert run({"field": "attributes.v", "not_expired": True}, partner(v=LAST), LAST) is True


REPORTED_IN_TIME = {"field": "attributes.reported", "lte": {"ref": "attributes.discovered", "plus_days": 60}}
REPORTED_AFTER_WINDOW = {"field": "attributes.reported", "gte": {"ref": "attributes.discovered", "plus_days": 60}}


def test_plus_days_past_year_9999_compares_exactly() -> None:
    """An incident discovered on 9999-12-31 with a 60-day window: its window ends after the
    calendar; a report on 9999-12-31 is within it, and is not 60 days after discovery."""
    subject = partner(discovered=LAST, reported=LAST)
    assert run(REPORTED_IN_TIME, subject, dt.date(2026, 11, 1)) is True
    late = run(REPORTED_AFTER_WINDOW, subject, dt.date(2026, 11, 1))
    assert isinstance(late, Fail) and not late.missing
    assert late.reason == ("the reported is 9999-12-31, on the same day as the discovery date (9999-12-31); "
                           "expected at least 60 days after it")


def test_plus_days_before_year_1_compares_exactly() -> None:
    subject = partner(discovered=FIRST, reported=FIRST)
    before = {"field": "attributes.reported", "gt": {"ref": "attributes.discovered", "plus_days": -5}}
    assert run(before, subject, dt.date(2026, 11, 1)) is True
    never = {"field": "attributes.reported", "lt": {"ref": "attributes.discovered", "plus_days": -5}}
    result = run(never, subject, dt.date(2026, 11, 1))
    assert isinstance(result, Fail) and result.reason.endswith("expected more than 5 days before it")
    # a shifted date out of the calendar is never equal to a real date
    assert run({"field": "attributes.reported", "equals": {"ref": "attributes.discovered", "plus_days": -5}},
               subject, dt.date(2026, 11, 1)) is not True


@pytest.mark.parametrize("days", HUGE)
def test_plus_days_with_a_huge_parameter(days: int) -> None:
    cond = {"field": "attributes.reported", "lte": {"ref": "attributes.discovered",
                                                    "plus_days": {"param": "incident_report_days"}}}
    assert run(cond, partner(discovered=dt.date(2026, 1, 1), reported=LAST), dt.date(2026, 11, 1),
               incident_report_days=days) is True


@pytest.mark.parametrize("as_of", [FIRST, LAST])
def test_the_built_in_pack_audits_at_the_ends_of_the_calendar(as_of: dt.date) -> None:
    root = Path(__file__).resolve().parent.parent
    for example in ("electronics", "pharma", "apparel"):
        result = run_audit(load_supply(root / "examples" / example / "supply.yaml"), [resolve_pack("ntif@1.0.0")],
                           as_of=as_of)
        assert result.findings  # it ran to the end: every date rule evaluated, none raised
