"""Declared attribute types (a pack's `attributes:` block) in the rule language: their Python types,
whether a value has one, and the operators and operands a declared attribute accepts, checked when
a rule is compiled ("attributes.opened is declared as a date: equals needs a date, found text").

Types are named as the pack names them: text, integer, number, boolean, date, or "list of" one of
them. A yes/no value is never a number; a date-time is a date. Operators not listed here (exists,
and operators added later) read any type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nofakes.rules.fields import field
from nofakes.rules.leaf import Leaf
from nofakes.rules.outcome import ConditionError
from nofakes.rules.words import show

SCALARS: dict[str, type] = {"text": str, "integer": int, "number": float, "boolean": bool, "date": dt.date}
LIST = "list of "
TYPE_NAMES = (*SCALARS, *(LIST + name for name in SCALARS))
_WORDS = {"text": "text", "integer": "a whole number", "number": "a number", "boolean": "yes or no", "date": "a date"}

# operator -> the declared types it reads ("list" stands for every list type)
READS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("within_days", "not_expired", "expires_within_days"), frozenset({"date"})),
    **dict.fromkeys(("is_true", "is_false"), frozenset({"boolean"})),
    **dict.fromkeys(("gt", "gte", "lt", "lte"), frozenset({"integer", "number", "date"})),
    "matches": frozenset({"text"}),
    "length_gte": frozenset({"text", "list"}),
    "contains": frozenset({"text", "list"}),
}
_COMPARED = frozenset({"equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "contains"})


def annotation(kind: str) -> Any:
    """The Python type of a declared type: `list of date` is list[date]."""
    return list[SCALARS[kind[len(LIST):]]] if kind.startswith(LIST) else SCALARS[kind]  # type: ignore[misc]


def in_words(kind: str) -> str:
    """"a date", "yes or no", "a list of dates" (in "expected ..." and "not ...")."""
    return f"a list of {kind[len(LIST):]} values" if kind.startswith(LIST) else _WORDS[kind]


def fits(kind: str, value: Any) -> bool:
    """Whether `value` has the declared type `kind`."""
    if kind.startswith(LIST):
        return isinstance(value, list) and all(_fits_one(kind[len(LIST):], item) for item in value)
    return _fits_one(kind, value)


def _fits_one(kind: str, value: Any) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, SCALARS[kind])


def check_operand(op: str, leaf: Leaf) -> None:
    """The operator can read the declared type, and its value has that type (or its items'): a constant, or
    a `{ref: PATH}` to another declared attribute."""
    kind = leaf.field.declared
    if kind is None:
        return
    reads = READS.get(op)
    category = "list" if kind.startswith(LIST) else kind
    if reads is not None and category not in reads:
        raise ConditionError(leaf.loc, f"{op} cannot read {leaf.field.words}, declared as {kind}",
                             expected="an operator for " + in_words(kind))
    if op not in _COMPARED:
        return
    item = kind[len(LIST):] if kind.startswith(LIST) else kind
    if op == "contains" and category == "text":
        item = "text"
    if isinstance(leaf.raw, dict) and "ref" in leaf.raw:
        _check_reference(op, leaf, kind, item)
        return
    value = leaf.operand().value
    values = value if op in ("in", "not_in") and isinstance(value, list) else [value]
    for one in values:
        if not _fits_one(item, one):
            raise ConditionError(leaf.loc, f"{op} compares {leaf.field.words}, declared as {kind}, with {show(one)}",
                                 expected=in_words(item))


_NUMBERS = frozenset({"integer", "number"})


def _check_reference(op: str, leaf: Leaf, kind: str, item: str) -> None:
    """`{ref: PATH}` to another declared attribute: its type must be the one compared with (a whole number
    and a number compare)."""
    ref = field(leaf.levels, leaf.raw["ref"], (*leaf.loc, "ref"))
    other = ref.declared
    if other is None or other == item or {other, item} <= _NUMBERS:
        return
    raise ConditionError((*leaf.loc, "ref"), f"{op} compares {leaf.field.words}, declared as {kind}, with "
                                             f"{ref.words}, declared as {other}", expected=in_words(item))
