"""Specialised evaluation of the commonest leaves: a field compared with a text constant or a
constant list of texts (`{field: role, equals: broker}`, `{field: kind, in: [pass, conditional]}`).

Only a text can equal a text under the operators' equality (`nofakes.rules.values.key` keeps
booleans and dates apart, and neither equals a text), so a plain `==` or set membership decides,
without building comparison keys for every subject. The outcome and its words are the general
operators' own: the failure is worded by the operator, lazily, when a report reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from nofakes.rules.outcome import Check, Fail, Getter, Outcome, Stack


def text_equality(get: Getter, missing: Fail, other: str, negate: bool, failure: Callable[[Any], str]) -> Check:
    """`equals` (or, negated, `not_equals`) a text constant."""

    def check(stack: Stack) -> Outcome:
        value = get(stack)
        if value is None:
            return missing
        if isinstance(value, Enum):  # `norm`, inline: this runs for every subject of most rules
            value = value._value_
        if (value == other) != negate:
            return True
        return Fail(lambda: failure(value))

    return check


def text_membership(get: Getter, missing: Fail, options: Sequence[str], negate: bool,
                    failure: Callable[[Any], str]) -> Check:
    """`in` (or, negated, `not_in`) a constant list of texts."""
    allowed = frozenset(options)

    def check(stack: Stack) -> Outcome:
        value = get(stack)
        if value is None:
            return missing
        if isinstance(value, Enum):  # `norm`, inline: this runs for every subject of most rules
            value = value._value_
        if (isinstance(value, str) and value in allowed) != negate:
            return True
        return Fail(lambda: failure(value))

    return check
