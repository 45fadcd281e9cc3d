"""The rule condition language: validated and compiled once into Python closures. No eval.

A condition is a mapping, one of:

- `{all: [C, ...]}`, `{any: [C, ...]}`, `{not: C}`;
- a leaf `{field: PATH, OP: VALUE}` with OP one of the registered operators
  (`nofakes.rules.operators.OPERATORS`); a `matches` leaf may carry a `label:` naming what the
  pattern stands for ("a recognised authority"), shown instead of the pattern;
- a list quantifier `{any_item | all_items | count: {field: PATH, where: C, ...}}`;
- a graph quantifier `{upstream_any | downstream_any | upstream_none | downstream_none:
  {where: C, follow: [kinds], max_hops: N}}` (node subjects only; the engine supplies the
  traversal, one multi-source traversal per rule);
- an implication `{if: C, then: D, else: E}` (`else` optional; see `nofakes.rules.implication`);
- a named condition `{use: NAME}`, one of the pack's `conditions:` (see `nofakes.rules.reuse`).

VALUE is a literal, `{param: NAME}` (resolved when the rule is compiled) or
`{ref: PATH, plus_days: N}` (see `nofakes.rules.values`).

Evaluation is three-valued (see `nofakes.rules.outcome`): `not` keeps "no evidence" as it is,
so missing evidence is always a gap, never a pass; `any` passes if one branch holds; `all`
fails definitely if one branch fails definitely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.cost import Wide
from nofakes.rules.declared import check_operand
from nofakes.rules.fields import Context, Field, ScopeType
from nofakes.rules.fields import field as field_of
from nofakes.rules.implication import KEYS as IMPLICATION
from nofakes.rules.implication import implication
from nofakes.rules.leaf import Built, Declared, Leaf
from nofakes.rules.operators import OPERATORS
from nofakes.rules.outcome import Check, ConditionError, Fail, Getter, Loc, Outcome, Stack
from nofakes.rules.quantifiers import GRAPH_QUANTIFIERS, QUANTIFIERS, graph_quantifier, list_quantifier
from nofakes.rules.reuse import Definition, use
from nofakes.rules.sets import SET_CHECKS, Population, set_check
from nofakes.rules.words import show
from nofakes.supply.model import Company

COMBINATORS = ("all", "any", "not")
GraphHook = Callable[[str, Mapping[str, Any], Sequence[str | int]], Getter]


@dataclass
class Compiler:
    """Compiles conditions for one rule. `scope` describes the rule's subject.

    `graph_quantifier(kind, spec, loc)` returns a getter of the path (node ids) from the subject
    to a matching partner, or None; `partner_name(id)` names a partner in reasons; `declared`
    holds the pack's parameter declarations (their labels word `matches` failures); `named` the
    pack's named conditions (`{use: NAME}`).

    With a `problems` list, every error is collected there (each once) and compiling goes on
    with the next condition, so that one pass reports every mistake in a rule; the check it
    returns is then meant to be thrown away once `problems` is not empty.
    """

    scope: ScopeType
    params: Mapping[str, Any]
    as_of: dt.date
    graph_quantifier: GraphHook | None = None
    declared: Mapping[str, Declared] = field(default_factory=dict)
    partner_name: Callable[[str], str] = str
    levels: list[ScopeType] = field(default_factory=list)
    problems: list[ConditionError] | None = None
    named: Mapping[str, Definition] = field(default_factory=dict)
    # the named conditions being compiled, outermost first, with where each is used
    within: list[tuple[str, Loc]] = field(default_factory=list)
    uses: dict[tuple[str, tuple[int, ...]], tuple[Built, tuple[ScopeType, ...]]] = field(default_factory=dict)
    population: Population | None = None  # the subjects `unique`/`group` compare (the rule's check only)
    wide: list[Wide] = field(default_factory=list)  # enclosing quantifiers over the whole graph (rules.cost)
    company: Company | None = None  # what `company.*` reads in rules of every target

    def rule_scope(self) -> ScopeType:
        """The rule's scope, carrying the audit context (`context.*`, `company.*`)."""
        return replace(self.scope, context=Context(self.as_of, self.company))

    def compile(self, condition: Any, loc: Sequence[str | int]) -> Check:
        return self.build(condition, loc).check

    def build(self, condition: Any, loc: Sequence[str | int]) -> Built:
        """The check and its words ("the contract's anti-counterfeit clause is recorded as yes")."""
        self.levels = [self.rule_scope()]
        return self.condition(condition, tuple(loc))

    def compile_inside(self, outer: ScopeType, condition: Any, loc: Sequence[str | int]) -> Check:
        """`condition` on a subject of this scope reached from a subject of `outer`, which `../` reads:
        the `where` of a graph quantifier, whose stack is (reached partner, starting partner)."""
        self.levels = [replace(outer, context=Context(self.as_of, self.company)), self.scope]
        return self.condition(condition, tuple(loc)).check

    def compile_forbidden(self, condition: Any, loc: Sequence[str | int]) -> Check:
        """A check that holds when `condition` definitely does not hold, and otherwise fails with the
        condition's own words (or its "no evidence" reason): for conditions that must not be met."""
        self.levels = [self.rule_scope()]
        return _not(self.condition(condition, tuple(loc))).check

    def condition(self, cond: Any, loc: Loc) -> Built:
        if self.problems is None:
            return self._condition(cond, loc)
        try:
            return self._condition(cond, loc)
        except ConditionError as exc:
            record(self.problems, self.located(exc))
            return _NOT_COMPILED

    def located(self, error: ConditionError) -> ConditionError:
        """`error`, raised while compiling the named conditions in `within`, saying so (once)."""
        if self.within and not error.within:
            error.within = tuple(name for name, _ in self.within)
            error.used_at = self.within[0][1]
        return error

    def _condition(self, cond: Any, loc: Loc) -> Built:
        if not isinstance(cond, dict) or not cond:
            raise ConditionError(loc, f"found {type(cond).__name__} {cond!r}"[:120],
                                 expected="a condition mapping (all, any, not, field + operator, quantifier, "
                                          "if/then, use)")
        keys = set(cond)
        if keys & set(COMBINATORS):
            return self._combinator(cond, loc)
        if "use" in keys:
            if len(keys) != 1:
                raise ConditionError(loc, f"'use' beside {sorted(keys - {'use'})}",
                                     expected="{use: NAME} alone in its mapping; combine it with all/any")
            return use(self, cond["use"], loc)
        if keys & set(IMPLICATION):
            return implication(self, cond, loc)
        quantifiers = keys & {*QUANTIFIERS, *GRAPH_QUANTIFIERS, *SET_CHECKS}
        if quantifiers:
            if len(keys) != 1:
                raise ConditionError(loc, f"{sorted(keys)} in one mapping",
                                     expected="a quantifier alone in its mapping")
            (kind,) = keys
            if kind in GRAPH_QUANTIFIERS:
                return graph_quantifier(self, kind, cond[kind], (*loc, kind))
            if kind in SET_CHECKS:
                return set_check(self, kind, cond[kind], (*loc, kind))
            return list_quantifier(self, kind, cond[kind], (*loc, kind))
        return self._leaf(cond, keys, loc)

    def _combinator(self, cond: dict[str, Any], loc: Loc) -> Built:
        keys = set(cond)
        if len(keys) != 1:
            raise ConditionError(loc, f"'{sorted(keys & set(COMBINATORS))[0]}' cannot be combined with "
                                      f"{sorted(keys - set(COMBINATORS)) or 'another combinator'}",
                                 expected="one combinator per mapping; nest them")
        (kind,) = keys
        if kind == "not":
            return _not(self.condition(cond["not"], (*loc, "not")))
        items = cond[kind]
        if not isinstance(items, list) or not items:
            raise ConditionError((*loc, kind), f"found {items!r}"[:120], expected="a non-empty list of conditions")
        built = [self.condition(c, (*loc, kind, i)) for i, c in enumerate(items)]
        return _all(built) if kind == "all" else _any(built)

    def _leaf(self, cond: dict[str, Any], keys: set[str], loc: Loc) -> Built:
        if "field" not in keys:
            known = (*COMBINATORS, "field", *OPERATORS, *QUANTIFIERS, *GRAPH_QUANTIFIERS, *SET_CHECKS, "use",
                     *IMPLICATION)
            bad = sorted(keys - set(known))
            if bad:
                raise ConditionError((*loc, bad[0]), f"unknown operator {bad[0]!r}",
                                     expected="one of: " + ", ".join(known), hint=did_you_mean(bad[0], known))
            raise ConditionError(loc, "a leaf condition without 'field'", expected="{field: PATH, OPERATOR: VALUE}")
        operators = keys - {"field", "label"}
        unknown = sorted(operators - set(OPERATORS))
        if unknown:
            raise ConditionError((*loc, unknown[0]), f"unknown operator {unknown[0]!r}",
                                 expected="one of: " + ", ".join(OPERATORS), hint=did_you_mean(unknown[0], OPERATORS))
        if len(operators) != 1:
            raise ConditionError(loc, f"{len(operators)} operators in one leaf: {sorted(operators)}",
                                 expected="exactly one operator per leaf; combine leaves with all/any")
        (name,) = operators
        op = OPERATORS[name]
        label = cond.get("label")
        if "label" in keys and ("label" not in op.keys or not isinstance(label, str) or not label.strip()):
            raise ConditionError((*loc, "label"), f"found label {label!r} on {name}",
                                 expected="a label (text naming what the pattern stands for) only on matches")
        leaf = Leaf(field_of(self.levels, cond["field"], (*loc, "field")), cond[name], (*loc, name), tuple(self.levels),
                    self.params, self.declared, self.as_of, label.strip() if isinstance(label, str) else None)
        check_operand(name, leaf)  # a declared attribute: the operator and its value fit the declared type
        built = op.build(leaf)
        return _with_value(built, leaf.field) if name in _NAMES_THE_VALUE else built


_NAMES_THE_VALUE = frozenset({"equals", "not_equals", "in", "not_in"})  # their words list every value allowed


def _with_value(built: Built, field: Field) -> Built:
    """A comparison with listed values that holds names the value found ("the role is wholesaler"
    rather than "the role is distributor, broker or wholesaler"); its words when it is not text."""
    get, text = field.get, built.text

    def holds(stack: Stack) -> str:
        value = get(stack)
        return f"{field.words} is {show(value)}" if isinstance(value, (str, Enum)) else text

    return replace(built, holds=holds)


def record(problems: list[ConditionError], error: ConditionError) -> None:
    """Add `error` unless the same error (place and message) is already there."""
    if not any(p.loc == error.loc and p.message == error.message for p in problems):
        problems.append(error)


# what a condition with an error compiles to while problems are being collected (never evaluated)
_NOT_COMPILED = Built(lambda stack: Fail("the condition has errors"), "a condition with errors")


def _not(inner: Built) -> Built:
    """Fails where the inner condition holds, saying why it holds there; "no evidence" stays as it is."""
    check_inner = inner.check

    def check(stack: Stack) -> Outcome:
        result = check_inner(stack)
        if result is True:
            return Fail(inner.why_holds(stack))
        if not result.missing:  # type: ignore[union-attr]
            return True
        # unknown whether the inner condition holds: only its unknowns matter (what definitely fails is good news)
        return Fail(result.unknown_reason, missing=True, evidence=result.evidence)  # type: ignore[union-attr]

    def holds(stack: Stack) -> str:  # the inner condition definitely fails: its reason is why `not` holds
        result = check_inner(stack)
        return result.reason if result is not True else inner.text  # type: ignore[union-attr]

    return Built(check, f"it is not the case that {inner.text}", holds=holds)


def _none_of(fails: list[Fail], unknown: bool = False) -> str:
    return "none of: " + "; ".join(dict.fromkeys(f.unknown_reason if unknown else f.reason for f in fails))


def _all(built: list[Built]) -> Built:
    text = " and ".join(f"({b.text})" if b.either else b.text for b in built)
    if len(built) == 1:
        return built[0]
    checks = [b.check for b in built]

    def check(stack: Stack) -> Outcome:
        missing: Fail | None = None
        for c in checks:
            result = c(stack)
            if result is not True:
                if not result.missing:  # type: ignore[union-attr]
                    return result
                missing = missing or result  # type: ignore[assignment]
        return missing or True

    def holds(stack: Stack) -> str:
        return "; ".join(dict.fromkeys(b.why_holds(stack) for b in built))

    return Built(check, text, holds=holds)


def _any(built: list[Built]) -> Built:
    checks = [b.check for b in built]
    text = " or ".join(b.text for b in built)

    def check(stack: Stack) -> Outcome:
        fails: list[Fail] = []
        for c in checks:
            result = c(stack)
            if result is True:
                return True
            fails.append(result)  # type: ignore[arg-type]
        unknown = [f for f in fails if f.missing]  # Kleene: any(fail, unknown) is unknown
        if not unknown:
            return Fail(lambda: _none_of(fails))
        if len(unknown) == len(fails):
            return Fail(lambda: _none_of(fails), missing=True)
        only = (lambda: unknown[0].unknown_reason) if len(unknown) == 1 else (lambda: _none_of(unknown, unknown=True))
        return Fail(lambda: _none_of(fails), missing=True, unknown=only)

    def holds(stack: Stack) -> str:  # the first alternative that holds
        for b in built:
            if b.check(stack) is True:
                return b.why_holds(stack)
        return text

    return Built(check, text, either=len(built) > 1, holds=holds)
