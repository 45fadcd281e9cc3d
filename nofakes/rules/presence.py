"""Whether a field is recorded: `exists` (a missing field is "no evidence"), and the definite
`present` (a missing field fails) and `absent` (a missing field holds).

A field is recorded when it is neither missing, nor null, nor an empty list or mapping.
"""

from __future__ import annotations

from typing import Any

from nofakes.rules.leaf import Built, Leaf, Operator
from nofakes.rules.outcome import ConditionError, Fail, Outcome, Stack
from nofakes.rules.values import SIMPLE, norm
from nofakes.rules.words import show


class Exists(Operator):
    name = "exists"
    operand = "boolean"

    def build(self, leaf: Leaf) -> Built:
        wanted = leaf.constant()
        if not isinstance(wanted, bool):
            raise ConditionError(leaf.loc, f"found {wanted!r}", expected="true or false")
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)

        def exists(stack: Stack) -> Outcome:
            value = get(stack)
            if recorded(value) == wanted:
                return True
            return missing if wanted else Fail(lambda: self.failure(words, value, None))

        return Built(exists, f"{words} is recorded" if wanted else f"{words} is not recorded")

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is recorded"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        """For `exists: false`: the value that should not be there."""
        value = norm(value)
        if isinstance(value, SIMPLE):
            return f"{field} is recorded as {show(value)}, expected none"
        return f"{field} is recorded, expected none"


def recorded(value: Any) -> bool:
    """Whether a field holds a value: not missing, null, an empty list or an empty mapping."""
    return value is not None and value != [] and value != {}


class Present(Operator):
    """`present: true`: the field is recorded; a subject without it fails definitely (where
    `exists: true` says "no evidence")."""

    name = "present"
    operand = "flag"

    def build(self, leaf: Leaf) -> Built:
        leaf.flag(self.name)
        get, words = leaf.field.get, leaf.field.words
        lacking = Fail(self.failure(words, None, None))

        def present(stack: Stack) -> Outcome:
            return True if recorded(get(stack)) else lacking

        return Built(present, self.statement(words, ""))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is recorded"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is not recorded"


class Absent(Exists):
    """`absent: true`: the field is not recorded (missing, null or empty); fails where it is.
    The same test as `exists: false`, said the way `present` says its opposite."""

    name = "absent"
    operand = "flag"

    def build(self, leaf: Leaf) -> Built:
        leaf.flag(self.name)
        get, words = leaf.field.get, leaf.field.words

        def absent(stack: Stack) -> Outcome:
            value = get(stack)
            return True if not recorded(value) else Fail(lambda: self.failure(words, value, None))

        return Built(absent, self.statement(words, ""))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is not recorded"
