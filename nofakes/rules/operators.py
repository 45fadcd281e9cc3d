"""The leaf operators, one class each, and their registry `OPERATORS` (name -> operator).

The pack JSON Schema (`nofakes.packs.model`) lists the operators from this registry; the date
operators live in `nofakes.rules.dates`, `exists`, `present` and `absent` in `nofakes.rules.presence`,
`unlisted` in `nofakes.rules.screened`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nofakes.rules.dates import ExpiresWithinDays, NotExpired, WithinBusinessDays, WithinDays
from nofakes.rules.fastchecks import text_equality, text_membership
from nofakes.rules.leaf import Built, Leaf, Operator, wrong_kind
from nofakes.rules.ordering import Gt, Gte, Lt, Lte
from nofakes.rules.outcome import ConditionError, Fail, Outcome, Stack, absent
from nofakes.rules.patterns import compile_pattern
from nofakes.rules.presence import Absent, Exists, Present
from nofakes.rules.screened import Unlisted
from nofakes.rules.values import SIMPLE, equal, is_count, key, norm
from nofakes.rules.words import country, either, quoted, show


class IsTrue(Operator):
    name = "is_true"
    operand = "flag"
    wanted = True

    def build(self, leaf: Leaf) -> Built:
        leaf.flag(self.name)
        get, words, wanted, missing = leaf.field.get, leaf.field.words, self.wanted, self.absent(leaf)
        other = Fail(self.failure(words, not wanted, wanted))

        def truth(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            if value is wanted:
                return True
            if isinstance(value, bool):
                return other
            return Fail(wrong_kind(words, value, "a yes or no"))

        return Built(truth, self.statement(words, show(wanted)))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is recorded as {show(self.wanted)}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is recorded as {show(value)}, expected {show(self.wanted)}"


class IsFalse(IsTrue):
    name = "is_false"
    wanted = False


class Equals(Operator):
    name = "equals"
    negate = False

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        value_of = leaf.operand()
        other_of, other_missing, negate = value_of.get, absent(value_of.missing_words), self.negate
        if value_of.static and isinstance(value_of.value, str):
            other = value_of.value
            check = text_equality(get, missing, other, negate, lambda value: self.failure(words, value, other))
            return Built(check, self.statement(words, value_of.words))

        def equality(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            value = norm(value)
            other = other_of(stack)
            if other is None:
                return other_missing
            if equal(value, other) != negate:
                return True
            return Fail(lambda: self.failure(words, value, other))

        return Built(equality, self.statement(words, value_of.words))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, expected {show(operand)}"


class NotEquals(Equals):
    name = "not_equals"
    negate = True

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is not {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, expected anything but {show(operand)}"


class In(Operator):
    """Membership in a list: a literal list, a list parameter or a list field (`ref`). Where the
    field is a country, reasons name the countries ("China (CN)")."""

    name = "in"
    negate = False

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        value_of = leaf.operand()
        allowed: frozenset[Any] | None = None
        named = leaf.field.noun.endswith("country")
        operand_words = value_of.words
        if value_of.static:
            options = value_of.value
            if not isinstance(options, list):
                raise ConditionError(leaf.loc, f"found {options!r}", expected="a list of values")
            if all(isinstance(o, SIMPLE) for o in options):
                allowed = frozenset(key(norm(o)) for o in options)
            if named:
                operand_words = either(country(o) for o in options)
        choices_of, negate = value_of.get, self.negate
        choices_missing = absent(value_of.missing_words)

        def failure(value: Any, choices: list[Any]) -> str:
            if named:
                return self.failure(words, _Worded(country(value)), [_Worded(country(c)) for c in choices])
            return self.failure(words, value, choices)

        if value_of.static and all(isinstance(o, str) for o in value_of.value):
            options = value_of.value
            check = text_membership(get, missing, options, negate, lambda value: failure(value, options))
            return Built(check, self.statement(words, operand_words))

        def membership(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            value = norm(value)
            choices = choices_of(stack)
            if not isinstance(choices, list):
                return choices_missing if choices is None else Fail(wrong_kind(value_of.words, choices, "a list"))
            try:
                inside = key(value) in allowed if allowed is not None else any(equal(value, norm(c)) for c in choices)
            except TypeError:
                inside = False
            if inside != negate:
                return True
            return Fail(lambda: failure(value, choices))

        return Built(membership, self.statement(words, operand_words))

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, expected {either(show(o) for o in operand) or 'a listed value'}"


@dataclass(frozen=True)
class _Worded:
    """A value already in words (`show` reads its `words`)."""

    words: str


class NotIn(In):
    name = "not_in"
    negate = True

    def statement(self, field: str, operand: str) -> str:
        return f"{field} is none of {operand}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} is {show(value)}, expected none of {either(show(o) for o in operand)}"


class Matches(Operator):
    """A regular expression searched in the text (RE2: linear time). Failures name the label of
    the pattern (the leaf's `label:`, or its parameter's label or description), never the pattern."""

    name = "matches"
    operand = "text"
    keys = frozenset({"label"})

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        value_of = leaf.operand()
        if not value_of.static:
            raise ConditionError(leaf.loc, "a field reference is not allowed here",
                                 expected="a literal or {param: NAME}")
        origin = f"parameter {value_of.param}" if value_of.param else ""
        regex = compile_pattern(value_of.value, leaf.loc, origin)
        label = pattern_label(leaf)
        search = regex.search

        def matching(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            value = norm(value)
            if not isinstance(value, str):
                return Fail(wrong_kind(words, value, "text"))
            try:
                found = search(value)
            except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800"): RE2 reads UTF-8 only
                found = search(value.encode("utf-8", "replace").decode("utf-8"))
            if found:
                return True
            return Fail(lambda: self.failure(words, value, label))

        return Built(matching, self.statement(words, label))

    def statement(self, field: str, operand: str) -> str:
        """`operand`: what a match means, as a verb phrase ("name a recognised authority")."""
        verb, _, rest = operand.partition(" ")
        return f"{field} {verb}{'es' if verb.endswith(('s', 'sh', 'ch', 'x')) else 's'} {rest}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field} {quoted(value)} does not {operand}"


def pattern_label(leaf: Leaf) -> str:
    """What a match means, as a verb phrase: "name a recognised authority" from the leaf's `label:`
    or its parameter's `label:`; else "match the expected wording", with the gist of the
    parameter's description when it has a readable one. Never the pattern itself."""
    param = leaf.operand().param
    declared = leaf.declared.get(param) if param else None
    label = leaf.label or (declared.label if declared is not None else None)
    if label:
        return f"name {label}"
    if declared is None:
        return "match the expected wording"
    # "Regular expression matched against ...: who counts as an authority" -> "who counts as an authority"
    gist = declared.description.rpartition(": ")[2].strip().rstrip(".")
    if not gist or any(c in gist for c in "[]'_()?\\"):
        return "match the expected wording"
    return f"match the expected wording ({gist})"


class Contains(Operator):
    name = "contains"

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        value_of = leaf.operand()
        wanted_of = value_of.get

        def containing(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            wanted = wanted_of(stack)
            if isinstance(value, str):
                ok = isinstance(wanted, str) and wanted in value
            elif isinstance(value, (list, tuple)):
                ok = any(equal(norm(v), wanted) for v in value)
            else:
                return Fail(wrong_kind(words, value, "a list or text"))
            return True if ok else Fail(lambda: self.failure(words, value, wanted))

        return Built(containing, self.statement(words, quoted(value_of.value) if value_of.static else value_of.words))

    def statement(self, field: str, operand: str) -> str:
        return f"{operand} is in {field}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        if isinstance(value, str):
            return f"{field} {quoted(value)} does not contain {quoted(operand)}"
        return f"{show(operand)} is not among {field}"


class LengthGte(Operator):
    name = "length_gte"
    operand = "count"

    def build(self, leaf: Leaf) -> Built:
        get, words, missing = leaf.field.get, leaf.field.words, self.absent(leaf)
        n = leaf.constant()
        if not is_count(n) or n < 0:
            raise ConditionError(leaf.loc, f"found {n!r}", expected="a whole number >= 0")

        def length(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return missing
            if not isinstance(value, (list, str, dict)):
                return Fail(f"{words} is {show(value)}, which has no length")
            return True if len(value) >= n else Fail(lambda: self.failure(words, len(value), n))

        return Built(length, self.statement(words, str(n)))

    def statement(self, field: str, operand: str) -> str:
        one = operand == "1"
        return f"there {'is' if one else 'are'} at least {operand} {'entry' if one else 'entries'} in {field}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return f"{field}: {value} {'entry' if value == 1 else 'entries'}, expected at least {operand}"


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Equals(), NotEquals(), In(), NotIn(), Exists(), Present(), Absent(), IsTrue(), IsFalse(), Gt(), Gte(), Lt(),
    Lte(), Matches(), Contains(), WithinDays(), WithinBusinessDays(), NotExpired(), ExpiresWithinDays(), LengthGte(),
    Unlisted(),
)}
