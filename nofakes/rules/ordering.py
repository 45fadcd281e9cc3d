"""The ordering operators `gt`, `gte`, `lt`, `lte` (numbers or dates), and their words when the
bound is another date of the subject, shifted (`{ref: D, plus_days: N}`, business days too)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any, ClassVar

from nofakes.rules.leaf import Built, Leaf, Operator
from nofakes.rules.outcome import ConditionError, Fail, Outcome, Stack, absent
from nofakes.rules.values import Offset, comparable, day_of, unit
from nofakes.rules.words import show


class Ordering(Operator):
    """gt, gte, lt, lte: numbers or dates. Against a shifted date (`{ref: D, plus_days: N}`) the words
    say how far apart the two dates are: "the report's date is 2026-06-15, 105 days after the
    incident's discovery date (2026-03-02); expected at most 60 days after it"."""

    words: ClassVar[str]
    flipped: ClassVar[str]  # the same bound read backwards: at most N days after = at least N days before
    same_day: ClassVar[str]  # against the date itself: "on or before"
    compare: ClassVar[Callable[[Any, Any], Any]]

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        value_of = leaf.operand()
        if value_of.static:
            static = value_of.value
            if isinstance(static, bool) or not isinstance(static, (int, float, dt.date)):
                raise ConditionError(leaf.loc, f"found {static!r}", expected="a number or a date")
        bound_of, bound_missing, compare = value_of.get, absent(value_of.missing_words), type(self).compare
        offset = value_of.offset

        def ordering(stack: Stack) -> Outcome:
            value = day_of(get(stack))
            if value is None:
                return missing
            bound = day_of(bound_of(stack))
            if bound is None:
                return bound_missing
            if not comparable(value, bound):
                return Fail(f"{words} is {show(value)}, which cannot be compared with {show(bound)}")
            if compare(value, bound):
                return True
            if offset is not None and isinstance(value, dt.date):  # two dates of the subject
                base = day_of(offset.base(stack))
                return Fail(lambda: self.apart(words, value, base, offset))
            return Fail(lambda: self.failure(words, value, bound))

        if offset is not None and offset.dated:  # "at most 5 days after the discovery date", "on or before ..."
            return Built(ordering, f"{words} is {self.relation(offset)} {offset.base_words}")
        return Built(ordering, self.statement(words, value_of.words))

    def relation(self, offset: Offset) -> str:
        """How the date must lie relative to the referenced one: "at most 5 days after"."""
        n, business = offset.days, offset.business
        if not n:
            return self.same_day
        return f"{self.words} {unit(n, business)} after" if n > 0 else f"{self.flipped} {unit(-n, business)} before"

    def apart(self, field: str, value: dt.date, base: dt.date, offset: Offset) -> str:
        """A date too far from the referenced date, in words."""
        gap = offset.gap(value, base)
        if gap:
            distance = f"{unit(abs(gap), offset.business)} {'after' if gap > 0 else 'before'}"
        else:
            distance = "on the same day as" if value == base else "the same business day as"
        weekend = f" (a {value.strftime('%A')})" if offset.business and value.weekday() >= 5 else ""
        return (f"{field} is {show(value)}{weekend}, {distance} {offset.base_words} ({show(base)}); "
                f"expected {self.relation(offset)} it")

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is {self.words} {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, expected {self.words} {show(operand)}"


class Gt(Ordering):
    name, words, flipped, same_day, compare = "gt", "more than", "less than", "after", operator.gt


class Gte(Ordering):
    name, words, flipped, same_day, compare = "gte", "at least", "at most", "on or after", operator.ge


class Lt(Ordering):
    name, words, flipped, same_day, compare = "lt", "less than", "more than", "before", operator.lt


class Lte(Ordering):
    name, words, flipped, same_day, compare = "lte", "at most", "at least", "on or before", operator.le
