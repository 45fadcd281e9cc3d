"""The date operators: `within_days`, `within_business_days`, `expires_within_days`, `not_expired`,
judged against the audit date (`as_of`). Offsets saturate (see `nofakes.rules.values.shift`): huge day counts and
dates near year 1 or 9999 give the right answer and never raise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nofakes.rules.calendar import business_days_between
from nofakes.rules.leaf import Built, Leaf, Operator, wrong_kind
from nofakes.rules.outcome import ConditionError, Fail, Outcome, Stack
from nofakes.rules.values import day_of, is_count, shift, unit
from nofakes.rules.words import days, show


def _day_count(leaf: Leaf) -> int:
    n = leaf.constant()
    if not is_count(n) or n < 0:
        raise ConditionError(leaf.loc, f"found {n!r}", expected="a whole number >= 0")
    return n  # type: ignore[no-any-return]


class WithinDays(Operator):
    """The date lies in the `n` days up to the audit date."""

    name = "within_days"
    operand = "count"

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        n, as_of = _day_count(leaf), leaf.as_of
        earliest = shift(as_of, -n)

        def recent(stack: Stack) -> Outcome:
            value = day_of(get(stack))
            if value is None:
                return missing
            if not isinstance(value, dt.date):
                return Fail(wrong_kind(words, value, "a date"))
            if value > as_of:
                return Fail(f"{words} is {show(value)}, after the audit date {show(as_of)}")
            if value >= earliest:
                return True
            return Fail(lambda: self.failure(words, value, (as_of, n)))

        return Built(recent, self.statement(words, days(n)))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is within the last {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        as_of, n = operand
        return f"{field} is {show(value)}, {days((as_of - value).days)} old (limit {days(n)})"


class WithinBusinessDays(Operator):
    """At most `n` business days (Monday to Friday) fall after the date, up to the audit date."""

    name = "within_business_days"
    operand = "count"

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        n, as_of = _day_count(leaf), leaf.as_of

        def recent(stack: Stack) -> Outcome:
            value = day_of(get(stack))
            if value is None:
                return missing
            if not isinstance(value, dt.date):
                return Fail(wrong_kind(words, value, "a date"))
            if value > as_of:
                return Fail(f"{words} is {show(value)}, after the audit date {show(as_of)}")
            if business_days_between(value, as_of) <= n:
                return True
            return Fail(lambda: self.failure(words, value, (as_of, n)))

        return Built(recent, self.statement(words, unit(n, True)))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is within the last {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        as_of, n = operand
        gap = unit(business_days_between(value, as_of), True)
        return f"{field} is {show(value)}, {gap} before the audit date (limit {unit(n, True)})"


class ExpiresWithinDays(Operator):
    """The date lies no later than `n` days after the audit date."""

    name = "expires_within_days"
    operand = "count"

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        n, as_of = _day_count(leaf), leaf.as_of
        horizon = shift(as_of, n)

        def expiring(stack: Stack) -> Outcome:
            value = day_of(get(stack))
            if value is None:
                return missing
            if not isinstance(value, dt.date):
                return Fail(wrong_kind(words, value, "a date"))
            if value <= horizon:
                return True
            return Fail(lambda: self.failure(words, value, n))

        return Built(expiring, self.statement(words, days(n)))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} falls within {operand} of the audit date"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, more than {days(operand)} after the audit date"


class NotExpired(Operator):
    """The date is the audit date or later."""

    name = "not_expired"
    operand = "flag"

    def build(self, leaf: Leaf) -> Built:
        leaf.flag(self.name)
        get, words, missing, as_of = leaf.field.get, leaf.field.words, self.absent(leaf), leaf.as_of

        def valid(stack: Stack) -> Outcome:
            value = day_of(get(stack))
            if value is None:
                return missing
            if not isinstance(value, dt.date):
                return Fail(wrong_kind(words, value, "a date"))
            if value >= as_of:
                return True
            return Fail(lambda: self.failure(words, value, as_of))

        return Built(valid, self.statement(words, ""))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} has not passed"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} {show(value)} has passed"
