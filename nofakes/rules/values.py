"""Operand values: literals, `{param: NAME}` and `{ref: PATH, plus_days: N}`; value comparison;
date offsets that never overflow.

A literal or a parameter is a constant, resolved when the rule is compiled; a `ref` reads
another field of the subject (`../` climbs out of a list item), and `plus_days` shifts a date.
Date offsets saturate: a shift past year 9999 or before year 1 gives a `Beyond` date that
compares correctly with every real date, so `within_days: 3000000` or an incident discovered
on 9999-12-31 with a 60-day window give the mathematically right answer and never raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.fields import ScopeType, field
from nofakes.rules.outcome import ConditionError, Getter, Loc, Stack
from nofakes.rules.words import days, show

_LAST = dt.date.max.toordinal()
SIMPLE = (str, int, float, bool, dt.date)  # the kinds of value a reason shows as they are


@dataclass(frozen=True, slots=True)
class Beyond:
    """A date past 9999-12-31 or before 0001-01-01, by its day number; orders with real dates."""

    ordinal: int

    @property
    def words(self) -> str:
        return "a date after 9999-12-31" if self.ordinal > _LAST else "a date before 0001-01-01"

    def __lt__(self, other: Any) -> bool:
        return self.ordinal < _ordinal(other)

    def __le__(self, other: Any) -> bool:
        return self.ordinal <= _ordinal(other)

    def __gt__(self, other: Any) -> bool:
        return self.ordinal > _ordinal(other)

    def __ge__(self, other: Any) -> bool:
        return self.ordinal >= _ordinal(other)


def _ordinal(value: Any) -> int:
    if isinstance(value, Beyond):
        return value.ordinal
    if isinstance(value, dt.date):
        return value.toordinal()
    raise TypeError(f"not a date: {value!r}")


def shift(day: dt.date, n: int) -> dt.date | Beyond:
    """`day` plus `n` days (n may be negative or huge); never raises."""
    ordinal = day.toordinal() + n
    return dt.date.fromordinal(ordinal) if 1 <= ordinal <= _LAST else Beyond(ordinal)


def norm(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def day_of(value: Any) -> Any:
    """A datetime (free-form attributes may hold one) as its date, so it compares with dates."""
    return value.date() if isinstance(value, dt.datetime) else value


def key(value: Any) -> Any:
    """Equality key that keeps booleans apart from numbers (True is not 1 in a compliance rule)."""
    return (isinstance(value, bool), day_of(value))


def equal(a: Any, b: Any) -> bool:
    try:
        return bool(key(a) == key(b))
    except TypeError:  # pragma: no cover - exotic values
        return False


def comparable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, (dt.date, Beyond)) and isinstance(b, (dt.date, Beyond)):
        return True
    return isinstance(a, (int, float)) and isinstance(b, (int, float))


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Operand:
    """An operator's value: `get` reads it; `words` describe it; `static` when it is a constant."""

    get: Getter
    words: str
    static: bool
    param: str | None = None  # the parameter it comes from

    @property
    def value(self) -> Any:
        return self.get(())


def operand(value: Any, loc: Loc, levels: Sequence[ScopeType], params: Mapping[str, Any]) -> Operand:
    """A literal, {param: NAME} or {ref: PATH, plus_days: N}."""
    if isinstance(value, dict):
        if set(value) == {"param"}:
            name = value["param"]
            if name not in params:
                raise ConditionError((*loc, "param"), f"unknown parameter {name!r}",
                                     expected="a parameter declared under parameters:",
                                     hint=did_you_mean(str(name), params))
            constant = params[name]
            return Operand(lambda stack: constant, show(constant), True, name)
        if "ref" in value and set(value) <= {"ref", "plus_days"}:
            ref = field(levels, value["ref"], (*loc, "ref"))
            if "plus_days" not in value:
                return Operand(ref.get, ref.words, False)
            n = constant_of(value["plus_days"], (*loc, "plus_days"), levels, params)
            if not is_count(n):
                raise ConditionError((*loc, "plus_days"), f"found {n!r}", expected="a whole number of days")
            getter = ref.get

            def shifted(stack: Stack) -> Any:
                base = day_of(getter(stack))
                return shift(base, n) if isinstance(base, dt.date) else None

            return Operand(shifted, f"{ref.words} plus {days(n)}", False)
        raise ConditionError(loc, f"found {value!r}"[:120],
                             expected="a literal, {param: NAME} or {ref: PATH, plus_days: N}")
    constant = norm(value)
    return Operand(lambda stack: constant, show(constant), True)


def constant_of(value: Any, loc: Loc, levels: Sequence[ScopeType], params: Mapping[str, Any]) -> Any:
    """A literal or {param: NAME} value, known when the rule is compiled."""
    if isinstance(value, dict) and "ref" in value:
        raise ConditionError(loc, "a field reference is not allowed here", expected="a literal or {param: NAME}")
    return operand(value, loc, levels, params).value
