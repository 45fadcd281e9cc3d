"""The rule condition language: validated and compiled once into Python closures. No eval.

A condition is a mapping, one of:

- `{all: [C, ...]}`, `{any: [C, ...]}`, `{not: C}`;
- a leaf `{field: PATH, OP: VALUE}` with OP one of `LEAF_OPERATORS`;
- a list quantifier `{any_item | all_items | count: {field: PATH, where: C, ...}}`;
- a graph quantifier `{upstream_any | downstream_any: {where: C, follow: [kinds], max_hops: N}}`
  (node subjects only; one multi-source traversal per rule, see `nofakes.audit.paths`).

VALUE is a literal, `{param: NAME}` (a pack parameter, resolved when the rule is compiled),
or `{ref: PATH, plus_days: N}` (another field of the subject; `../` climbs from a list item
to the enclosing subject; `plus_days` shifts a date).

Evaluation is three-valued: a check returns `True` (holds), or a `Fail` that is either
definite (`missing=False`) or "no evidence" (`missing=True`, a field the check needs is
absent). `not` keeps "no evidence" as it is, so missing evidence is always a gap, never a
pass. `any` passes if one branch holds; `all` fails definitely if one branch fails
definitely.

Field paths are checked against the models when the rule is compiled (`contrct.audit_rights`
is an error with a "did you mean"), except below `attributes`, which is free-form.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from nofakes.core.errors import did_you_mean
from nofakes.packs.model import GRAPH_QUANTIFIERS, LEAF_OPERATORS, QUANTIFIERS
from nofakes.supply.validation import unwrap_annotation

MAX_REGEX_LENGTH = 300
MAX_MATCH_INPUT = 10_000
_BRACES = re.compile(r"\{(\d*)(?:,(\d*))?\}")  # {n}, {n,}, {n,m}, {,m}


@dataclass(frozen=True, slots=True)
class Fail:
    """A check that does not hold: definite, or for lack of evidence (`missing`)."""

    reason: str
    missing: bool = False
    evidence: tuple[str, ...] = ()  # graph quantifiers: a path of node ids


Outcome = typing.Union[bool, Fail]  # True, or a Fail (never False)
Stack = tuple[Any, ...]  # (innermost subject, ..., rule subject)
Check = Callable[[Stack], Outcome]
Getter = Callable[[Stack], Any]


class ConditionError(Exception):
    """A condition that cannot be compiled; `loc` is its path inside the pack document."""

    def __init__(self, loc: Sequence[str | int], message: str, expected: str | None = None,
                 hint: str | None = None):
        self.loc, self.message, self.expected, self.hint = tuple(loc), message, expected, hint
        super().__init__(message)


# ---------------------------------------------------------------- field access


def _unwrap(annotation: Any) -> Any:
    """The inner type of an Optional/Annotated field; a union of several types is free-form."""
    return unwrap_annotation(annotation, ambiguous=Any)


ANY = object()  # type marker: free-form data, not checked further


@dataclass(frozen=True)
class ScopeType:
    """What a subject at one level looks like: named roots and their types."""

    name: str
    roots: Mapping[str, Any]
    resolve: Callable[[Any, str], Any]


def model_roots(model: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


def step(value: Any, name: str) -> Any:
    """One step down a path; None when absent (never raises)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, BaseModel):
        return getattr(value, name if name != "from" else "from_", None)
    return None


def model_scope(model: type[BaseModel], name: str) -> ScopeType:
    return ScopeType(name, model_roots(model), step)


def _type_of_path(root_type: Any, parts: Sequence[str], loc: Sequence[str | int]) -> Any:
    """Static type of the full path `parts`, whose first name has type `root_type`."""
    current = root_type
    for i, part in enumerate(parts[1:], start=1):
        if current is ANY or current is Any:
            return ANY
        current = _unwrap(current)
        if typing.get_origin(current) is dict:
            return ANY
        if isinstance(current, type) and issubclass(current, BaseModel):
            roots = model_roots(current)
            if part not in roots:
                raise ConditionError(loc, f"unknown field {'.'.join(parts[: i + 1])!r}",
                                     expected="one of: " + ", ".join(roots), hint=did_you_mean(part, roots))
            current = roots[part]
            continue
        raise ConditionError(loc, f"{'.'.join(parts[:i])!r} has no fields (cannot read {part!r})",
                             expected="a path to a field; use any_item/all_items/count for lists")
    return _unwrap(current)


def _list_item_type(list_type: Any) -> Any:
    list_type = _unwrap(list_type)
    if list_type is ANY:
        return ANY
    if typing.get_origin(list_type) is list:
        return _unwrap(typing.get_args(list_type)[0])
    return None


def norm(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _day(value: Any) -> Any:
    """A datetime (free-form attributes may hold one) as its date, so it compares with dates."""
    return value.date() if isinstance(value, dt.datetime) else value


def _key(value: Any) -> Any:
    """Equality key that keeps booleans apart from numbers (True is not 1 in a compliance rule)."""
    return (isinstance(value, bool), _day(value))


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(_key(a) == _key(b))
    except TypeError:  # pragma: no cover - exotic values
        return False


# ---------------------------------------------------------------- the compiler


@dataclass
class Compiler:
    """Compiles conditions for one rule. `scope` describes the rule's subject."""

    scope: ScopeType
    params: Mapping[str, Any]
    as_of: dt.date
    graph_quantifier: Callable[[str, Mapping[str, Any], Sequence[str | int]], Getter] | None = None
    levels: list[ScopeType] = field(default_factory=list)

    def compile(self, condition: Any, loc: Sequence[str | int]) -> Check:
        self.levels = [self.scope]
        return self._condition(condition, tuple(loc))

    # -- structure

    def _condition(self, cond: Any, loc: tuple[str | int, ...]) -> Check:
        if not isinstance(cond, dict) or not cond:
            raise ConditionError(loc, f"found {type(cond).__name__} {cond!r}"[:120],
                                 expected="a condition mapping (all, any, not, field + operator, quantifier)")
        keys = set(cond)
        if keys & {"all", "any", "not"}:
            if len(keys) != 1:
                raise ConditionError(loc, f"'{sorted(keys & {'all', 'any', 'not'})[0]}' cannot be combined with "
                                          f"{sorted(keys - {'all', 'any', 'not'}) or 'another combinator'}",
                                     expected="one combinator per mapping; nest them")
            (key,) = keys
            if key == "not":
                return self._not(self._condition(cond["not"], (*loc, "not")), describe(cond["not"]))
            items = cond[key]
            if not isinstance(items, list) or not items:
                raise ConditionError((*loc, key), f"found {items!r}"[:120], expected="a non-empty list of conditions")
            checks = [self._condition(c, (*loc, key, i)) for i, c in enumerate(items)]
            return self._all(checks) if key == "all" else self._any(checks)
        quantifiers = keys & {*QUANTIFIERS, *GRAPH_QUANTIFIERS}
        if quantifiers:
            if len(keys) != 1:
                raise ConditionError(loc, f"{sorted(keys)} in one mapping", expected="a quantifier alone in its mapping")
            (key,) = keys
            if key in GRAPH_QUANTIFIERS:
                return self._graph(key, cond[key], (*loc, key))
            return self._quantifier(key, cond[key], (*loc, key))
        if "field" not in cond:
            known = ("all", "any", "not", "field", *LEAF_OPERATORS, *QUANTIFIERS, *GRAPH_QUANTIFIERS)
            bad = sorted(keys - set(known))
            if bad:
                raise ConditionError((*loc, bad[0]), f"unknown operator {bad[0]!r}", expected="one of: " + ", ".join(known),
                                     hint=did_you_mean(bad[0], known))
            raise ConditionError(loc, "a leaf condition without 'field'", expected="{field: PATH, OPERATOR: VALUE}")
        operators = keys - {"field"}
        unknown = sorted(operators - set(LEAF_OPERATORS))
        if unknown:
            raise ConditionError((*loc, unknown[0]), f"unknown operator {unknown[0]!r}",
                                 expected="one of: " + ", ".join(LEAF_OPERATORS), hint=did_you_mean(unknown[0], LEAF_OPERATORS))
        if len(operators) != 1:
            raise ConditionError(loc, f"{len(operators)} operators in one leaf: {sorted(operators)}",
                                 expected="exactly one operator per leaf; combine leaves with all/any")
        (op,) = operators
        return self._leaf(cond["field"], op, cond[op], loc)

    @staticmethod
    def _not(inner: Check, text: str) -> Check:
        held = Fail(f"found {text}")

        def check(stack: Stack) -> Outcome:
            result = inner(stack)
            if result is True:
                return held
            return result if result.missing else True  # type: ignore[union-attr]

        return check

    @staticmethod
    def _all(checks: list[Check]) -> Check:
        if len(checks) == 1:
            return checks[0]

        def check(stack: Stack) -> Outcome:
            missing: Fail | None = None
            for c in checks:
                result = c(stack)
                if result is not True:
                    if not result.missing:  # type: ignore[union-attr]
                        return result
                    missing = missing or result  # type: ignore[assignment]
            return missing or True

        return check

    @staticmethod
    def _any(checks: list[Check]) -> Check:
        def check(stack: Stack) -> Outcome:
            fails: list[Fail] = []
            for c in checks:
                result = c(stack)
                if result is True:
                    return True
                fails.append(result)  # type: ignore[arg-type]
            missing = any(f.missing for f in fails)  # Kleene: any(fail, unknown) is unknown
            return Fail("none of: " + "; ".join(dict.fromkeys(f.reason for f in fails)), missing=missing)

        return check

    # -- values

    def _path(self, text: Any, loc: tuple[str | int, ...]) -> tuple[Getter, str, Any]:
        """A getter for a field path, its display name, and its static type."""
        if not isinstance(text, str) or not text.strip():
            raise ConditionError(loc, f"found {text!r}", expected="a field path such as contract.audit_rights")
        ups = 0
        rest = text
        while rest.startswith("../"):
            ups, rest = ups + 1, rest[3:]
        if ups >= len(self.levels):
            raise ConditionError(loc, f"{text!r} climbs {ups} level(s) but only {len(self.levels) - 1} enclose it",
                                 expected="'../' only inside any_item/all_items/count")
        parts = rest.split(".")
        if not all(parts):
            raise ConditionError(loc, f"malformed field path {text!r}", expected="names separated by '.'")
        scope = self.levels[-1 - ups]
        if parts[0] not in scope.roots:
            raise ConditionError(loc, f"unknown field {parts[0]!r} on a {scope.name}",
                                 expected="one of: " + ", ".join(scope.roots), hint=did_you_mean(parts[0], scope.roots))
        static = _type_of_path(scope.roots[parts[0]], parts, loc)
        resolve, head, tail = scope.resolve, parts[0], tuple(parts[1:])
        index = ups

        if not tail:
            def get(stack: Stack) -> Any:
                return resolve(stack[index], head)
        elif len(tail) == 1:
            second = tail[0]

            def get(stack: Stack) -> Any:
                return step(resolve(stack[index], head), second)
        else:
            def get(stack: Stack) -> Any:
                value = resolve(stack[index], head)
                for name in tail:
                    value = step(value, name)
                return value

        return get, text, static

    def _operand(self, value: Any, loc: tuple[str | int, ...]) -> tuple[Getter, str]:
        """A literal, {param: NAME} or {ref: PATH, plus_days: N} as a getter and a display text."""
        if isinstance(value, dict):
            if set(value) == {"param"}:
                name = value["param"]
                if name not in self.params:
                    raise ConditionError((*loc, "param"), f"unknown parameter {name!r}",
                                         expected="a parameter declared under parameters:",
                                         hint=did_you_mean(str(name), self.params))
                constant = self.params[name]
                return (lambda stack: constant), repr(constant)
            if "ref" in value and set(value) <= {"ref", "plus_days"}:
                getter, display, _ = self._path(value["ref"], (*loc, "ref"))
                if "plus_days" not in value:
                    return getter, display
                days = self._constant(value["plus_days"], (*loc, "plus_days"))
                if not isinstance(days, int) or isinstance(days, bool):
                    raise ConditionError((*loc, "plus_days"), f"found {days!r}", expected="a whole number of days")
                delta = dt.timedelta(days=days)

                def shifted(stack: Stack) -> Any:
                    base = getter(stack)
                    return base + delta if isinstance(base, dt.date) else None

                return shifted, f"{display} + {days} days"
            raise ConditionError(loc, f"found {value!r}"[:120],
                                 expected="a literal, {param: NAME} or {ref: PATH, plus_days: N}")
        constant = norm(value)
        return (lambda stack: constant), repr(constant)

    def _constant(self, value: Any, loc: tuple[str | int, ...]) -> Any:
        getter, _ = self._operand(value, loc)
        if isinstance(value, dict) and "ref" in value:
            raise ConditionError(loc, "a field reference is not allowed here", expected="a literal or {param: NAME}")
        return getter(())

    # -- leaves

    def _leaf(self, path: Any, op: str, raw: Any, loc: tuple[str | int, ...]) -> Check:
        get, name, _ = self._path(path, (*loc, "field"))
        oploc = (*loc, op)
        absent = Fail(f"no evidence of {name}", missing=True)
        as_of = self.as_of

        if op == "exists":
            wanted = self._constant(raw, oploc)
            if not isinstance(wanted, bool):
                raise ConditionError(oploc, f"found {wanted!r}", expected="true or false")

            def exists(stack: Stack) -> Outcome:
                value = get(stack)
                present = value is not None and value != [] and value != {}
                if present == wanted:
                    return True
                return absent if wanted else Fail(f"{name} is present")

            return exists

        if op in ("is_true", "is_false"):
            flag = self._constant(raw, oploc)
            if flag is not True:
                raise ConditionError(oploc, f"found {flag!r}", expected=f"{op}: true")
            expected_value = op == "is_true"

            def truth(stack: Stack) -> Outcome:
                value = get(stack)
                if value is None:
                    return absent
                if value is expected_value:
                    return True
                if isinstance(value, bool):
                    return Fail(f"{name} is {str(value).lower()}")
                return Fail(f"{name} is {_show(value)}, not {str(expected_value).lower()}")

            return truth

        operand, shown = self._operand(raw, oploc)

        if op in ("equals", "not_equals"):
            negate = op == "not_equals"

            def equality(stack: Stack) -> Outcome:
                value = get(stack)
                if value is None:
                    return absent
                value = norm(value)
                other = operand(stack)
                if other is None:
                    return Fail(f"no evidence of {shown}", missing=True)
                if _equal(value, other) != negate:
                    return True
                return Fail(f"{name} is {_show(value)}" + ("" if negate else f", expected {shown}"))

            return equality

        if op in ("in", "not_in"):
            allowed: frozenset[Any] | None = None
            if not (isinstance(raw, dict) and "ref" in raw):
                options = operand(())
                if not isinstance(options, list):
                    raise ConditionError(oploc, f"found {options!r}", expected="a list of values")
                allowed = frozenset(_key(norm(o)) for o in options) if all(
                    isinstance(o, (str, int, float, bool, dt.date)) for o in options) else None
            negate = op == "not_in"

            def membership(stack: Stack) -> Outcome:
                value = get(stack)
                if value is None:
                    return absent
                value = norm(value)
                choices = operand(stack)
                if not isinstance(choices, list):
                    return Fail(f"no evidence of the list {shown}", missing=True) if choices is None else Fail(
                        f"{shown} is not a list")
                try:
                    inside = _key(value) in allowed if allowed is not None else any(
                        _equal(value, norm(c)) for c in choices)
                except TypeError:
                    inside = False
                if inside != negate:
                    return True
                return Fail(f"{name} is {_show(value)}" + (", which is excluded" if negate else f", not one of {shown}"))

            return membership

        if op in ("gt", "gte", "lt", "lte"):
            compare = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
                       "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}[op]
            word = {"gt": "more than", "gte": "at least", "lt": "less than", "lte": "at most"}[op]
            static = None if isinstance(raw, dict) and "ref" in raw else operand(())
            if static is not None and (isinstance(static, bool) or not isinstance(static, (int, float, dt.date))):
                raise ConditionError(oploc, f"found {static!r}", expected="a number or a date")

            def ordering(stack: Stack) -> Outcome:
                value = _day(get(stack))
                bound = _day(operand(stack))
                if value is None:
                    return absent
                if bound is None:
                    return Fail(f"no evidence of {shown}", missing=True)
                if not _comparable(value, bound):
                    return Fail(f"{name} is {_show(value)}, which cannot be compared with {_show(bound)}")
                if compare(value, bound):
                    return True
                return Fail(f"{name} is {_show(value)}, expected {word} {_show(bound)}")

            return ordering

        if op == "matches":
            pattern = self._constant(raw, oploc)
            regex = _compile_regex(pattern, oploc)

            def matching(stack: Stack) -> Outcome:
                value = get(stack)
                if value is None:
                    return absent
                value = norm(value)
                if not isinstance(value, str):
                    return Fail(f"{name} is {_show(value)}, not text")
                if regex.search(value[:MAX_MATCH_INPUT]):
                    return True
                return Fail(f"{name} {_show(value)} does not match the pattern {pattern}")

            return matching

        if op == "contains":
            def containing(stack: Stack) -> Outcome:
                value = get(stack)
                if value is None:
                    return absent
                wanted = operand(stack)
                if isinstance(value, str):
                    ok = isinstance(wanted, str) and wanted in value
                elif isinstance(value, (list, tuple)):
                    ok = any(_equal(norm(v), wanted) for v in value)
                else:
                    return Fail(f"{name} is {_show(value)}, neither a list nor text")
                return True if ok else Fail(f"{name} does not contain {_show(wanted)}")

            return containing

        if op in ("within_days", "expires_within_days", "length_gte"):
            days = self._constant(raw, oploc)
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                raise ConditionError(oploc, f"found {days!r}", expected="a whole number >= 0")
            if op == "length_gte":
                def length(stack: Stack) -> Outcome:
                    value = get(stack)
                    if value is None:
                        return absent
                    if not isinstance(value, (list, str, dict)):
                        return Fail(f"{name} is {_show(value)}, which has no length")
                    return True if len(value) >= days else Fail(f"{name} has {len(value)} entries, expected at least {days}")

                return length
            if op == "within_days":
                earliest = as_of - dt.timedelta(days=days)

                def recent(stack: Stack) -> Outcome:
                    value = _day(get(stack))
                    if value is None:
                        return absent
                    if not isinstance(value, dt.date):
                        return Fail(f"{name} is {_show(value)}, not a date")
                    if value > as_of:
                        return Fail(f"{name} {value.isoformat()} is after the audit date {as_of.isoformat()}")
                    if value >= earliest:
                        return True
                    return Fail(f"{name} {value.isoformat()} is {(as_of - value).days} days old (limit {days})")

                return recent
            horizon = as_of + dt.timedelta(days=days)

            def expiring(stack: Stack) -> Outcome:
                value = _day(get(stack))
                if value is None:
                    return absent
                if not isinstance(value, dt.date):
                    return Fail(f"{name} is {_show(value)}, not a date")
                if value <= horizon:
                    return True
                return Fail(f"{name} {value.isoformat()} is more than {days} days away")

            return expiring

        if op == "not_expired":
            flag = self._constant(raw, oploc)
            if flag is not True:
                raise ConditionError(oploc, f"found {flag!r}", expected="not_expired: true")

            def valid(stack: Stack) -> Outcome:
                value = _day(get(stack))
                if value is None:
                    return absent
                if not isinstance(value, dt.date):
                    return Fail(f"{name} is {_show(value)}, not a date")
                if value >= as_of:
                    return True
                return Fail(f"{name} {value.isoformat()} has passed")

            return valid

        raise ConditionError(oploc, f"unknown operator {op!r}")  # pragma: no cover - filtered above

    # -- quantifiers

    def _quantifier(self, kind: str, spec: Any, loc: tuple[str | int, ...]) -> Check:
        allowed = {"field", "where"} | ({"equals", "gte", "gt", "lte", "lt"} if kind == "count" else set())
        if not isinstance(spec, dict):
            raise ConditionError(loc, f"found {spec!r}"[:120], expected="{field: LIST, where: CONDITION}")
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise ConditionError((*loc, unknown[0]), f"unknown key {unknown[0]!r}", expected="one of: " + ", ".join(sorted(allowed)),
                                 hint=did_you_mean(unknown[0], allowed))
        if "field" not in spec:
            raise ConditionError(loc, "missing 'field'", expected="the list to quantify over")
        get, name, static = self._path(spec["field"], (*loc, "field"))
        item_type = _list_item_type(static)
        if item_type is None:
            raise ConditionError((*loc, "field"), f"{name!r} is not a list", expected="a list field such as audits")
        if kind == "all_items" and "where" not in spec:
            raise ConditionError(loc, "all_items without 'where'", expected="a condition every item must satisfy")
        where: Check | None = None
        if "where" in spec:
            item_scope: ScopeType
            if item_type is ANY or item_type is Any:
                item_scope = _FreeScope()
            elif isinstance(item_type, type) and issubclass(item_type, BaseModel):
                item_scope = model_scope(item_type, f"{name} item")
            else:
                item_scope = _ValueScope()
            self.levels.append(item_scope)
            try:
                where = self._condition(spec["where"], (*loc, "where"))
            finally:
                self.levels.pop()
        absent = Fail(f"no evidence of {name}", missing=True)

        if kind == "count":
            comparators = sorted(set(spec) & {"equals", "gte", "gt", "lte", "lt"})
            if len(comparators) != 1:
                raise ConditionError(loc, "count needs exactly one of equals, gte, gt, lte, lt",
                                     expected="e.g. {count: {field: incidents, where: ..., lte: 0}}")
            (cmp,) = comparators
            bound = self._constant(spec[cmp], (*loc, cmp))
            if not isinstance(bound, int) or isinstance(bound, bool):
                raise ConditionError((*loc, cmp), f"found {bound!r}", expected="a whole number")
            test = {"equals": lambda n: n == bound, "gte": lambda n: n >= bound, "gt": lambda n: n > bound,
                    "lte": lambda n: n <= bound, "lt": lambda n: n < bound}[cmp]
            word = {"equals": "exactly", "gte": "at least", "gt": "more than", "lte": "at most", "lt": "fewer than"}[cmp]

            def counting(stack: Stack) -> Outcome:
                items = get(stack)
                if items is None:
                    return absent
                if not isinstance(items, list):
                    return Fail(f"{name} is not a list")
                n = unknown = 0  # items that match; items that lack the evidence to tell
                if where is None:
                    n = len(items)
                else:
                    for item in items:
                        result = where((item, *stack))
                        if result is True:
                            n += 1
                        elif result.missing:  # type: ignore[union-attr]
                            unknown += 1
                # three-valued: holds only if it holds whatever the unknown items turn out to be
                verdicts = {test(k) for k in range(n, n + unknown + 1)}
                if verdicts == {True}:
                    return True
                if verdicts == {False}:
                    return Fail(f"{n} matching {name}, expected {word} {bound}")
                return Fail(f"{n} matching {name} and {unknown} without evidence, expected {word} {bound}",
                            missing=True)

            return counting

        if kind == "any_item":
            def some(stack: Stack) -> Outcome:
                items = get(stack)
                if not items:
                    return absent if items is None or items == [] else Fail(f"{name} is not a list")
                if not isinstance(items, list):
                    return Fail(f"{name} is not a list")
                if where is None:
                    return True
                last: Outcome = True
                missing: Fail | None = None
                for item in items:
                    last = where((item, *stack))
                    if last is True:
                        return True
                    if last.missing:  # type: ignore[union-attr]
                        missing = missing or last  # type: ignore[assignment]
                # like `any`: if an entry lacks the evidence to tell, the answer is "no evidence"
                why = missing or last
                return Fail(f"no {name} entry qualifies: {why.reason}", missing=missing is not None)  # type: ignore[union-attr]

            return some

        assert where is not None

        def every(stack: Stack) -> Outcome:
            items = get(stack)
            if items is None:
                return absent
            if not isinstance(items, list):
                return Fail(f"{name} is not a list")
            missing: Fail | None = None
            for index, item in enumerate(items):
                result = where((item, *stack))
                if result is not True:
                    label = getattr(item, "id", None) or getattr(item, "standard", None) or f"#{index + 1}"
                    failed = Fail(f"{name} {label}: {result.reason}", missing=result.missing)  # type: ignore[union-attr]
                    if not failed.missing:  # like `all`: a definite failure outranks missing evidence
                        return failed
                    missing = missing or failed
            return missing or True

        return every

    def _graph(self, kind: str, spec: Any, loc: tuple[str | int, ...]) -> Check:
        if self.graph_quantifier is None or len(self.levels) != 1 or self.scope.name != "node":
            raise ConditionError(loc, f"{kind} is only allowed at the top of a node rule's check or applies_to",
                                 expected="target: node")
        if not isinstance(spec, dict) or "where" not in spec:
            raise ConditionError(loc, f"found {spec!r}"[:120], expected="{where: CONDITION, follow: [kinds], max_hops: N}")
        unknown = sorted(set(spec) - {"where", "follow", "max_hops"})
        if unknown:
            raise ConditionError((*loc, unknown[0]), f"unknown key {unknown[0]!r}", expected="where, follow, max_hops",
                                 hint=did_you_mean(unknown[0], ["where", "follow", "max_hops"]))
        reached = self.graph_quantifier(kind, spec, loc)
        direction = "upstream" if kind.startswith("upstream") else "downstream"
        text = describe(spec["where"])

        if kind.endswith("_any"):
            def graph_any(stack: Stack) -> Outcome:
                return True if reached(stack) else Fail(f"no {direction} partner where {text}")

            return graph_any

        def graph_none(stack: Stack) -> Outcome:
            path = reached(stack)
            if not path:
                return True
            other = path[0] if direction == "upstream" else path[-1]
            return Fail(f"{direction} partner {other} matches {text} (path {' -> '.join(path)})", evidence=path)

        return graph_none


class _FreeScope(ScopeType):
    def __init__(self) -> None:
        super().__init__("item", _AnyRoots(), step)


class _ValueScope(ScopeType):
    """Items that are plain values (e.g. a list of strings): the item itself is `value`."""

    def __init__(self) -> None:
        super().__init__("value item", {"value": ANY}, lambda item, name: item)


class _AnyRoots(dict):  # type: ignore[type-arg]
    """Roots of free-form data: every name is allowed."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> Any:
        return ANY


def _comparable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return True
    return isinstance(a, (int, float)) and isinstance(b, (int, float))


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _compile_regex(pattern: Any, loc: tuple[str | int, ...]) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ConditionError(loc, f"found {pattern!r}", expected="a regular expression as text")
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ConditionError(loc, f"regular expression of {len(pattern)} characters",
                             expected=f"at most {MAX_REGEX_LENGTH} characters")
    if _nests_quantifiers(pattern):
        raise ConditionError(loc, f"regular expression {pattern!r} nests quantifiers (catastrophic backtracking)",
                             expected="a pattern without a quantified group that itself contains a quantifier")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConditionError(loc, f"invalid regular expression {pattern!r}: {exc}", expected="a valid regular expression") from None


def _nests_quantifiers(pattern: str) -> bool:
    """True when a repeated group (+, *, {n,...}) contains a repeated element: (a+)+, (\\w+\\s?)*, ((a*))+.

    These 'star height > 1' patterns can backtrack exponentially; they are rejected at load time.
    Escapes and character classes are skipped; the check is deliberately conservative.
    """
    stack: list[bool] = []  # per open group: does it contain a quantifier so far?
    i, n = 0, len(pattern)
    closed_inner = False  # the token just before i was a group that contains a quantifier
    while i < n:
        char = pattern[i]
        if char == "\\":
            i, closed_inner = i + 2, False
            continue
        if char == "[":  # character class: skip to its closing bracket
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i, closed_inner = j + 1, False
            continue
        if char == "(":
            stack.append(False)
            i, closed_inner = i + 1, False
            if pattern.startswith("?", i):  # (?:...), (?P<name>...), lookarounds: not quantifiers
                i += 1
            continue
        if char == ")":
            inner = stack.pop() if stack else False
            if stack and inner:
                stack[-1] = True
            i, closed_inner = i + 1, inner
            continue
        if char in "+*{":
            if char == "{":
                bounds = _BRACES.match(pattern, i)
                if bounds is None or bounds.group(2) is None or bounds.group(1) == bounds.group(2):  # literal or {n}
                    i, closed_inner = (bounds.end() if bounds else i + 1), False
                    continue
            if closed_inner:
                return True
            if stack:
                stack[-1] = True
            i, closed_inner = i + 1, False
            continue
        i, closed_inner = i + 1, False
    return False


def describe(cond: Any) -> str:
    """A short human rendering of a (valid) condition, used in failure reasons."""
    if not isinstance(cond, dict):
        return repr(cond)
    if "all" in cond:
        return " and ".join(describe(c) for c in cond["all"])
    if "any" in cond:
        return "(" + " or ".join(describe(c) for c in cond["any"]) + ")"
    if "not" in cond:
        return f"not ({describe(cond['not'])})"
    for key in (*QUANTIFIERS, *GRAPH_QUANTIFIERS):
        if key in cond:
            spec = cond[key] if isinstance(cond[key], dict) else {}
            where = f" where {describe(spec['where'])}" if "where" in spec else ""
            subject = spec.get("field", "partner")
            return {"any_item": f"some {subject}", "all_items": f"every {subject}", "count": f"count of {subject}",
                    "upstream_any": "an upstream partner", "downstream_any": "a downstream partner",
                    "upstream_none": "no upstream partner", "downstream_none": "no downstream partner"}[key] + where
    ops = [k for k in cond if k != "field"]
    if not ops:
        return str(cond.get("field"))
    op = ops[0]
    value = cond[op]
    shown = f"parameter {value['param']}" if isinstance(value, dict) and "param" in value else (
        value.get("ref") if isinstance(value, dict) else value)
    words = {"equals": "=", "not_equals": "!=", "in": "in", "not_in": "not in", "gt": ">", "gte": ">=",
             "lt": "<", "lte": "<=", "contains": "contains", "matches": "matches", "length_gte": "has at least",
             "within_days": "within days:", "expires_within_days": "expires within days:"}
    if op == "exists":
        return f"{cond['field']} present" if value else f"no {cond['field']}"
    if op in ("is_true", "is_false"):
        return f"{cond['field']} {op.replace('_', ' ')}"
    if op == "not_expired":
        return f"{cond['field']} not expired"
    return f"{cond['field']} {words.get(op, op)} {shown}"


# ---------------------------------------------------------------- messages

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


def check_template(template: str, roots: Sequence[str], loc: Sequence[str | int],
                   params: Mapping[str, Any] | None = None) -> None:
    """Reject placeholders whose first name is not available for this rule's target,
    and `{param.X}` placeholders naming an undeclared parameter."""
    for match in _PLACEHOLDER.finditer(template):
        parts = match.group(1).split(".")
        head = parts[0]
        if head not in roots:
            raise ConditionError(loc, f"unknown placeholder {{{match.group(1)}}}",
                                 expected="a placeholder starting with one of: " + ", ".join(roots),
                                 hint=did_you_mean(head, roots))
        if head == "param" and params is not None and (len(parts) != 2 or parts[1] not in params):
            name = parts[1] if len(parts) > 1 else ""
            raise ConditionError(loc, f"unknown parameter in placeholder {{{match.group(1)}}}",
                                 expected="{param.NAME} with a parameter declared under parameters:",
                                 hint=did_you_mean(name, params))


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """Fill `{a.b}` placeholders from `values`; absent values show as '?'."""

    def fill(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        value = values.get(parts[0])
        for name in parts[1:]:
            value = step(value, name)
        value = norm(value)
        if value is None:
            return "?"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    return _PLACEHOLDER.sub(fill, template)
