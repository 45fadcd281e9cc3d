"""Quantifiers: over a list field (`any_item`, `all_items`, `count`) and over the graph
(`upstream_any`, `downstream_any`, `upstream_none`, `downstream_none`; the engine supplies the
traversal as a hook, see `Compiler.graph_quantifier`)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.cost import check_nesting, graph_sized, wide
from nofakes.rules.fields import field as field_of
from nofakes.rules.fields import item_scope, list_item_type
from nofakes.rules.leaf import Built
from nofakes.rules.outcome import Check, ConditionError, Fail, Loc, Outcome, Stack, absent
from nofakes.rules.values import constant_of, is_count
from nofakes.rules.words import article, listing, plural, show

if TYPE_CHECKING:
    from nofakes.rules.compiler import Compiler

QUANTIFIERS = ("any_item", "all_items", "count")
GRAPH_QUANTIFIERS = ("upstream_any", "downstream_any", "upstream_none", "downstream_none")
COUNT_COMPARATORS: dict[str, Callable[[int, int], bool]] = {
    "equals": operator.eq, "gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}
_COUNT_WORDS = {"equals": "exactly", "gte": "at least", "gt": "more than", "lte": "at most", "lt": "fewer than"}


def item_label(item: Any, index: int) -> str:
    """How one list item is named in a reason: its name, id, standard, registration or number,
    else its position."""
    for attribute in ("name", "id", "standard", "registration", "number"):
        value = item.get(attribute) if isinstance(item, dict) else getattr(item, attribute, None)
        if isinstance(value, str) and value:
            return value
    if isinstance(item, (str, int, float)) and not isinstance(item, bool):
        return show(item)
    return f"number {index + 1}"


def expected_count(comparator: str, bound: int) -> str:
    if (comparator, bound) in (("equals", 0), ("lte", 0), ("lt", 1)):
        return "none"
    return f"{_COUNT_WORDS[comparator]} {bound}"


def list_quantifier(compiler: Compiler, kind: str, spec: Any, loc: Loc) -> Built:
    allowed = {"field", "where"} | (set(COUNT_COMPARATORS) if kind == "count" else set())
    if not isinstance(spec, dict):
        raise ConditionError(loc, f"found {spec!r}"[:120], expected="{field: LIST, where: CONDITION}")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ConditionError((*loc, unknown[0]), f"unknown key {unknown[0]!r}",
                             expected="one of: " + ", ".join(sorted(allowed)), hint=did_you_mean(unknown[0], allowed))
    if "field" not in spec:
        raise ConditionError(loc, "missing 'field'", expected="the list to quantify over")
    target = field_of(compiler.levels, spec["field"], (*loc, "field"))
    item_type = list_item_type(target.annotation)
    if item_type is None:
        raise ConditionError((*loc, "field"), f"{spec['field']!r} is not a list",
                             expected="a list field such as audits")
    if kind == "all_items" and "where" not in spec:
        raise ConditionError(loc, "all_items without 'where'", expected="a condition every item must satisfy")
    where: Built | None = None
    if "where" in spec:
        with wide(compiler, kind, graph_sized(compiler, spec["field"]), loc):
            compiler.levels.append(item_scope(item_type, target.noun, compiler.levels[-1].typed))
            try:
                where = compiler.condition(spec["where"], (*loc, "where"))
            finally:
                compiler.levels.pop()
    quantified = _Quantified(target.get, target.noun, absent(target.list_words),
                             Fail(f"{target.words} is not a list"), where)
    if kind == "count":
        return _count(compiler, quantified, spec, loc)
    if kind == "any_item":
        return Built(quantified.some(), f"there is {target.list_words}{quantified.where_text}")
    assert where is not None
    return Built(quantified.every(), f"for every {target.noun}, {where.text}")


class _Quantified:
    """A list field and the condition on its items, compiled into the three quantifiers."""

    def __init__(self, get: Callable[[Stack], Any], noun: str, missing: Fail, not_list: Fail,
                 where: Built | None):
        self.get, self.noun, self.missing, self.not_list = get, noun, missing, not_list
        self.where: Check | None = where.check if where else None
        self.where_text = f" where {where.text}" if where else ""

    def some(self) -> Check:
        get, where, missing_list, not_list, noun = self.get, self.where, self.missing, self.not_list, self.noun

        def some(stack: Stack) -> Outcome:
            items = get(stack)
            if not items:
                return missing_list if items is None or items == [] else not_list
            if not isinstance(items, list):
                return not_list
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
            return Fail(lambda: f"no {noun} qualifies: {why.reason}", missing=missing is not None)  # type: ignore[union-attr]

        return some

    def every(self) -> Check:
        get, where, missing_list, not_list, noun = self.get, self.where, self.missing, self.not_list, self.noun
        assert where is not None

        def every(stack: Stack) -> Outcome:
            items = get(stack)
            if items is None:
                return missing_list
            if not isinstance(items, list):
                return not_list
            missing: Fail | None = None
            for index, item in enumerate(items):
                result = where((item, *stack))
                if result is not True:
                    failed = Fail(_item_reason(noun, item, index, result),  # type: ignore[arg-type]
                                  missing=result.missing)  # type: ignore[union-attr]
                    if not failed.missing:  # like `all`: a definite failure outranks missing evidence
                        return failed
                    missing = missing or failed
            return missing or True

        return every


def _count(compiler: Compiler, quantified: _Quantified, spec: dict[str, Any], loc: Loc) -> Built:
    comparators = sorted(set(spec) & set(COUNT_COMPARATORS))
    if len(comparators) != 1:
        raise ConditionError(loc, "count needs exactly one of equals, gte, gt, lte, lt",
                             expected="e.g. {count: {field: incidents, where: ..., lte: 0}}")
    (cmp,) = comparators
    bound = constant_of(spec[cmp], (*loc, cmp), compiler.levels, compiler.params)
    if not is_count(bound):
        raise ConditionError((*loc, cmp), f"found {bound!r}", expected="a whole number")
    test, expected = COUNT_COMPARATORS[cmp], expected_count(cmp, bound)
    get, where, missing_list, not_list, noun = (quantified.get, quantified.where, quantified.missing,
                                                quantified.not_list, quantified.noun)
    where_text = quantified.where_text

    def counted(n: int) -> str:
        return f"{n} {plural(noun, n)}{where_text}"

    def counting(stack: Stack) -> Outcome:
        items = get(stack)
        if items is None:
            return missing_list
        if not isinstance(items, list):
            return not_list
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
        verdicts = {test(k, bound) for k in range(n, n + unknown + 1)}
        if verdicts == {True}:
            return True
        names = [item_label(item, i) for i, item in enumerate(items) if where is None or where((item, *stack)) is True]
        found = counted(n) + (f": {listing(names)}" if names else "")
        if verdicts == {False}:
            return Fail(f"{found} (expected {expected})")
        return Fail(f"{found}, and {unknown} more without the evidence to tell (expected {expected})", missing=True)

    return Built(counting, f"the number of {plural(noun, 2)}{where_text} is {expected}")


def graph_quantifier(compiler: Compiler, kind: str, spec: Any, loc: Loc) -> Built:
    check_nesting(compiler, kind, "partner", loc)  # before the rule that puts it at the top: the cost says why
    if compiler.graph_quantifier is None or len(compiler.levels) != 1 or compiler.scope.name != "node":
        raise ConditionError(loc, f"{kind} is only allowed at the top of a node rule's check or applies_to",
                             expected="target: node")
    if not isinstance(spec, dict) or "where" not in spec:
        raise ConditionError(loc, f"found {spec!r}"[:120], expected="{where: CONDITION, follow: [kinds], max_hops: N}")
    unknown = sorted(set(spec) - {"where", "follow", "max_hops"})
    if unknown:
        raise ConditionError((*loc, unknown[0]), f"unknown key {unknown[0]!r}", expected="where, follow, max_hops",
                             hint=did_you_mean(unknown[0], ["where", "follow", "max_hops"]))
    before = len(compiler.problems or ())
    # its words; the hook compiles the check. `../` reads the partner where the traversal starts
    levels = compiler.levels
    compiler.levels = [replace(levels[0], noun="starting partner"), compiler.scope]
    try:
        with wide(compiler, kind, "partner", loc):
            where = compiler.condition(spec["where"], (*loc, "where")).text
    finally:
        compiler.levels = levels
    if compiler.problems is not None and len(compiler.problems) > before:
        return Built(lambda stack: Fail("the condition has errors"), where)  # reported; never evaluated
    reached = compiler.graph_quantifier(kind, spec, loc)
    direction = "upstream" if kind.startswith("upstream") else "downstream"
    name = compiler.partner_name

    if kind.endswith("_any"):
        none_found = Fail(f"no {direction} partner where {where}")

        def graph_any(stack: Stack) -> Outcome:
            return True if reached(stack) else none_found

        return Built(graph_any, f"there is {article(direction)} partner where {where}")

    def graph_none(stack: Stack) -> Outcome:
        path = reached(stack)
        if not path:
            return True
        other = path[0] if direction == "upstream" else path[-1]
        route = " -> ".join(name(node) for node in path)
        return Fail(f"the {direction} partner {name(other)} matches: {where} (route: {route})", evidence=path)

    return Built(graph_none, f"no {direction} partner is one where {where}")


def _item_reason(noun: str, item: Any, index: int, result: Fail) -> Callable[[], str]:
    """The words of one list entry's failure, made when read (a closure per entry, not per loop)."""
    return lambda: f"{noun} {item_label(item, index)}: {result.reason}"
