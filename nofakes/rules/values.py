"""Operand values: literals, `{param: NAME}` and `{ref: PATH, plus_days: N}`; value comparison;
date offsets that never overflow.

A literal or a parameter is a constant, resolved when the rule is compiled; a `ref` reads
another field of the subject (`../` climbs out of a list item), and one offset shifts a date:
`plus_days` / `minus_days` (calendar days; a negative count shifts the other way) or
`plus_business_days` / `minus_business_days` (Monday to Friday, `nofakes.rules.calendar`).
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
from nofakes.rules.calendar import business_days_between, business_ordinal
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


def from_ordinal(ordinal: int) -> dt.date | Beyond:
    """The date of a day number, or a `Beyond` date outside the calendar."""
    return dt.date.fromordinal(ordinal) if 1 <= ordinal <= _LAST else Beyond(ordinal)


def shift(day: dt.date, n: int) -> dt.date | Beyond:
    """`day` plus `n` days (n may be negative or huge); never raises."""
    return from_ordinal(day.toordinal() + n)


def business_shift(day: dt.date, n: int) -> dt.date | Beyond:
    """`day` plus `n` business days (Monday to Friday; see `nofakes.rules.calendar`); never raises."""
    return from_ordinal(business_ordinal(day.toordinal(), n))


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


OFFSETS: dict[str, tuple[int, bool]] = {  # key -> (sign, business days)
    "plus_days": (1, False), "minus_days": (-1, False),
    "plus_business_days": (1, True), "minus_business_days": (-1, True)}


def unit(n: int, business: bool) -> str:
    """"5 days", "1 business day"."""
    return f"{n} business day{'' if n == 1 else 's'}" if business else days(n)


@dataclass(frozen=True)
class Offset:
    """A `{ref:}` to another field, as a date shifted by a signed number of days or business days
    (0 when it is not shifted)."""

    days: int
    business: bool
    base: Getter  # the referenced date, before the shift
    base_words: str
    dated: bool = True  # the referenced field is known to be a date (shifted, or typed so)

    @property
    def words(self) -> str:
        """"5 days after the discovery date"; the referenced date itself when the offset is 0."""
        if not self.days:
            return self.base_words
        return f"{unit(abs(self.days), self.business)} {'after' if self.days > 0 else 'before'} {self.base_words}"

    def gap(self, value: dt.date, base: dt.date) -> int:
        """How far `value` lies after `base`, in this offset's unit (negative: before)."""
        return business_days_between(base, value) if self.business else (value - base).days

    def shifted(self, base: dt.date) -> dt.date | Beyond:
        return business_shift(base, self.days) if self.business else shift(base, self.days)


@dataclass(frozen=True)
class Operand:
    """An operator's value: `get` reads it; `words` describe it; `static` when it is a constant."""

    get: Getter
    words: str
    static: bool
    param: str | None = None  # the parameter it comes from
    offset: Offset | None = None  # a `{ref:}`: the field it reads and how far it is shifted

    @property
    def value(self) -> Any:
        return self.get(())

    @property
    def missing_words(self) -> str:
        """What is missing when the operand cannot be read: the referenced field itself."""
        return self.offset.base_words if self.offset is not None else self.words


def operand(value: Any, loc: Loc, levels: Sequence[ScopeType], params: Mapping[str, Any]) -> Operand:
    """A literal, {param: NAME} or {ref: PATH} with at most one offset of `OFFSETS` (plus_days: N ...)."""
    if isinstance(value, dict):
        if set(value) == {"param"}:
            name = value["param"]
            if name not in params:
                raise ConditionError((*loc, "param"), f"unknown parameter {name!r}",
                                     expected="a parameter declared under parameters:",
                                     hint=did_you_mean(str(name), params))
            constant = params[name]
            return Operand(lambda stack: constant, show(constant), True, name)
        if "ref" in value and set(value) <= {"ref", *OFFSETS}:
            ref = field(levels, value["ref"], (*loc, "ref"))
            offsets = sorted(set(value) & set(OFFSETS))
            if not offsets:  # offset 0: an ordering of two dates still words how far apart they are
                offset = Offset(0, False, ref.get, ref.words, ref.annotation is dt.date)
                return Operand(ref.get, ref.words, False, offset=offset)
            if len(offsets) > 1:
                raise ConditionError((*loc, offsets[1]), f"{' and '.join(offsets)} on one reference",
                                     expected="one offset: " + ", ".join(OFFSETS))
            (key_,) = offsets
            n = constant_of(value[key_], (*loc, key_), levels, params)
            if not is_count(n):
                raise ConditionError((*loc, key_), f"found {n!r}", expected="a whole number of days")
            sign, business = OFFSETS[key_]
            offset = Offset(sign * n, business, ref.get, ref.words)
            getter, shifted_ = ref.get, offset.shifted

            def shifted(stack: Stack) -> Any:
                base = day_of(getter(stack))
                return shifted_(base) if isinstance(base, dt.date) else base  # not a date: compared as it is

            return Operand(shifted, offset.words, False, offset=offset)
        raise ConditionError(loc, f"found {value!r}"[:120],
                             expected="a literal, {param: NAME} or {ref: PATH, plus_days: N}")
    constant = norm(value)
    return Operand(lambda stack: constant, show(constant), True)


def constant_of(value: Any, loc: Loc, levels: Sequence[ScopeType], params: Mapping[str, Any]) -> Any:
    """A literal or {param: NAME} value, known when the rule is compiled."""
    if isinstance(value, dict) and "ref" in value:
        raise ConditionError(loc, "a field reference is not allowed here", expected="a literal or {param: NAME}")
    return operand(value, loc, levels, params).value
