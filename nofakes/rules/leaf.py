"""What a leaf operator is: its operand validation, its evaluation and its words, in one class.

An operator compiles a `Leaf` (the field, the raw operand, the rule's context) into a check and
a statement: the words of what holds when the check passes ("the audit's result is pass or
conditional"), which `not`, `count` and the graph quantifiers reuse. Its failure words say what
was found and what was expected, in plain language, and `missing` words "no evidence of ...".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from nofakes.rules.fields import Field, ScopeType
from nofakes.rules.outcome import NO_EVIDENCE, Check, ConditionError, Fail, Loc, Stack
from nofakes.rules.values import Operand, constant_of, operand
from nofakes.rules.words import show


class Declared(Protocol):
    """What the compiler knows of a pack parameter besides its value."""

    @property
    def description(self) -> str: ...

    @property
    def label(self) -> str | None: ...


@dataclass(frozen=True)
class Leaf:
    """One `{field: PATH, OP: VALUE}` being compiled."""

    field: Field
    raw: Any
    loc: Loc  # of the operator's value
    levels: Sequence[ScopeType]
    params: Mapping[str, Any]
    declared: Mapping[str, Declared]
    as_of: dt.date
    label: str | None = None  # the leaf's own `label:` (matches)

    def operand(self) -> Operand:
        return operand(self.raw, self.loc, self.levels, self.params)

    def constant(self) -> Any:
        return constant_of(self.raw, self.loc, self.levels, self.params)

    def flag(self, op: str) -> None:
        """Operators whose value is always `true` (is_true, not_expired ...)."""
        if self.constant() is not True:
            raise ConditionError(self.loc, f"found {self.raw!r}", expected=f"{op}: true")


Explain = Callable[[Stack], str]


@dataclass(frozen=True)
class Built:
    check: Check
    text: str  # what holds when the check passes
    either: bool = False  # the text is "A or B" (parenthesised inside an "and")
    holds: Explain | None = None  # why it holds on a subject it passes, in that subject's terms
    noun: bool = False  # the text names a thing ("an onsite audit") rather than saying a clause (named conditions)

    def why_holds(self, stack: Stack) -> str:
        """Why the condition holds on `stack` (called only where it does): its own account, else its words."""
        return self.holds(stack) if self.holds is not None else self.text


class Operator:
    """One leaf operator. Subclasses set `name`, validate in `build` and word their failures."""

    name: ClassVar[str]
    keys: ClassVar[frozenset[str]] = frozenset()  # further keys the leaf may carry (label)
    # what the operator's value may be, for the pack schema (`nofakes.rules.schema.OPERANDS`):
    # value (literal, param or ref), text (literal or param), boolean, flag (true) or count (whole number >= 0)
    operand: ClassVar[str] = "value"

    def build(self, leaf: Leaf) -> Built:
        raise NotImplementedError

    def statement(self, field: str, operand: str) -> str:
        """What holds when the check passes, e.g. "the audit's result is pass or conditional"."""
        raise NotImplementedError

    def failure(self, field: str, value: Any, operand: Any) -> str:
        """Why the check fails on `value` (operand: the value it was compared with)."""
        raise NotImplementedError

    def missing(self, field: str) -> str:
        """Why the check cannot tell: the field is absent."""
        return NO_EVIDENCE + field

    def absent(self, leaf: Leaf) -> Fail:
        return Fail(self.missing(leaf.field.words), missing=True)


def wrong_kind(field: str, value: Any, expected: str) -> str:
    """A value of the wrong kind for the operator: "the discovery date is soon, not a date"."""
    return f"{field} is {show(value)}, not {expected}"
