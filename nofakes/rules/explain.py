"""Why a condition holds or fails on one subject, step by step: a tree of `Step`s.

Every sub-condition is compiled again on its own with the rule's compiler and evaluated on the
subject, so each step's outcome and words are exactly those the audit uses (nothing here
re-implements an operator). Combinators list their branches, `not` its inner condition, list
quantifiers their items (which matched, which did not), graph quantifiers the route they found.
This is for `nofakes audit --explain`: one subject at a time, never in an audit's hot path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from pydantic import BaseModel

from nofakes.rules.compiler import COMBINATORS, Compiler
from nofakes.rules.fields import Field, item_scope, list_item_type
from nofakes.rules.fields import field as field_of
from nofakes.rules.implication import KEYS as IMPLICATION
from nofakes.rules.outcome import Loc, Outcome, Stack
from nofakes.rules.quantifiers import COUNT_COMPARATORS, GRAPH_QUANTIFIERS, QUANTIFIERS, expected_count, item_label
from nofakes.rules.reuse import definition_loc
from nofakes.rules.values import constant_of
from nofakes.rules.words import article, both, plural, show

HOLDS, FAILS, NO_EVIDENCE = "holds", "fails", "no evidence"
MAX_ITEMS = 6  # list items shown one by one (the telling ones first); the others are counted


@dataclass(frozen=True)
class Step:
    """One condition on one subject: what it checks, its outcome and why, and its parts."""

    label: str  # what is checked, in words
    outcome: str  # HOLDS, FAILS or NO_EVIDENCE
    why: str = ""  # why it holds or fails there (empty where the parts say it)
    found: str = ""  # the value found, in words ("the audit's date is 2026-03-01")
    children: tuple[Step, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "outcome": self.outcome}
        if self.why:
            out["why"] = self.why
        if self.found:
            out["found"] = self.found
        if self.children:
            out["steps"] = [child.as_dict() for child in self.children]
        return out


def outcome_word(outcome: Outcome) -> str:
    if outcome is True:
        return HOLDS
    return NO_EVIDENCE if outcome.missing else FAILS  # type: ignore[union-attr]


def found_words(field: Field, value: Any) -> str:
    """A value found, in words: "the audit's date is 2026-03-01", "the grantor is not recorded",
    "the certifications: 2 certificates"."""
    if value is None or value == []:
        return f"{field.words} is not recorded"
    if isinstance(value, (BaseModel, dict)):
        return f"{field.words} is recorded"
    if isinstance(value, list):
        if all(isinstance(v, (str, int, float, dt.date, Enum)) for v in value):
            return f"{field.words} is {both(show(v) for v in value)}"
        return f"{field.words}: {len(value)} {plural(field.noun, len(value))}"
    return f"{field.words} is {show(value)}"


def leaf_step(label: str, outcome: str, why: str, found: str) -> Step:
    """A leaf's step, without words that repeat one another ("the role is logistics" is not
    shown as found when the reason says "the role is logistics, expected importer")."""
    if why in (label, found):
        why = ""
    if found and (why.startswith(found) or outcome == NO_EVIDENCE):  # "no evidence of ..." says it
        found = ""
    return Step(label, outcome, why, found)


class Explainer:
    """Explains conditions of one rule with that rule's `Compiler` (parameters, as_of, graph hook)."""

    def __init__(self, compiler: Compiler):
        self.compiler = compiler

    def explain(self, condition: Any, loc: Loc, stack: Stack) -> Step:
        self.compiler.levels = [self.compiler.scope]
        return self._step(condition, tuple(loc), stack)

    def _step(self, cond: Any, loc: Loc, stack: Stack) -> Step:
        built = self.compiler.condition(cond, loc)
        outcome = built.check(stack)
        word = outcome_word(outcome)
        why = built.why_holds(stack) if outcome is True else outcome.reason  # type: ignore[union-attr]
        keys = set(cond)
        if keys & set(COMBINATORS):
            (kind,) = keys
            if kind == "not":
                inner = self._step(cond["not"], (*loc, "not"), stack)
                return Step("it is not the case that:", word, "", "", (inner,))
            parts = tuple(self._step(c, (*loc, kind, i), stack) for i, c in enumerate(cond[kind]))
            return Step("all of these hold:" if kind == "all" else "at least one of these holds:", word, "", "",
                        parts)
        if keys & set(QUANTIFIERS):
            (kind,) = keys
            return self._list(kind, cond[kind], (*loc, kind), stack, outcome, why)
        if keys & set(GRAPH_QUANTIFIERS):
            (kind,) = keys
            return self._graph(kind, cond[kind], (*loc, kind), stack, outcome, built.text)
        if keys == {"use"}:  # a named condition: its description, then its definition
            inner = self._step(self.compiler.named[cond["use"]].condition, definition_loc(cond["use"]), stack)
            return Step(f"{built.text}:", word, "", "", (inner,))
        if keys & set(IMPLICATION):
            parts = tuple(replace(step, label=f"{part}: {step.label}") for part, step in
                          ((part, self._step(cond[part], (*loc, part), stack)) for part in IMPLICATION if part in cond))
            return Step("if the first holds, the next must (else the last):" if "else" in cond else
                        "if the first holds, the second must:", word, why, "", parts)
        if "field" not in keys:  # a check of its own kind (unique, group): its words and outcome
            return Step(built.text, word, why)
        leaf = field_of(self.compiler.levels, cond["field"], (*loc, "field"))
        return leaf_step(built.text, word, why, found_words(leaf, leaf.get(stack)))

    def _list(self, kind: str, spec: Mapping[str, Any], loc: Loc, stack: Stack, outcome: Outcome, why: str) -> Step:
        levels = self.compiler.levels
        target = field_of(levels, spec["field"], (*loc, "field"))
        items = target.get(stack)
        where = spec.get("where")
        if kind == "any_item":
            label = f"there is {target.list_words}" + (" where:" if where is not None else "")
        elif kind == "all_items":
            label = f"every {target.noun} is one where:"
        else:
            (cmp,) = sorted(set(spec) & set(COUNT_COMPARATORS))
            bound = constant_of(spec[cmp], (*loc, cmp), levels, self.compiler.params)
            which = " where the following holds" if where is not None else ""
            label = f"the number of {plural(target.noun, 2)}{which} is {expected_count(cmp, bound)}" + (
                ":" if where is not None else "")
        if not isinstance(items, list) or not items or where is None:
            count = f"{len(items)} {plural(target.noun, len(items))}" if isinstance(items, list) else ""
            return Step(label, outcome_word(outcome), why if outcome is not True else "",
                        count or found_words(target, items))
        levels.append(item_scope(list_item_type(target.annotation), target.noun))
        try:
            check = self.compiler.condition(where, (*loc, "where")).check  # compiled once for every item
            matches = [check((item, *stack)) is True for item in items]
            # the items that tell, first: those that fail for all_items, those that match for any_item and count
            order = sorted(range(len(items)), key=lambda i: matches[i] == (kind == "all_items"))
            shown = [self._item(where, (*loc, "where"), items[i], i, target.noun, stack) for i in order[:MAX_ITEMS]]
        finally:
            levels.pop()
        matched = sum(matches)
        found = f"{matched} of {len(items)} {plural(target.noun, len(items))} match"
        if len(items) > MAX_ITEMS:
            rest = order[MAX_ITEMS:]
            more = sum(1 for i in rest if matches[i])
            shown.append(Step(f"{len(rest)} more {plural(target.noun, len(rest))}, not shown", "",
                              found=f"{more} of them match"))
        return Step(label, outcome_word(outcome), why if outcome is not True else "", found, tuple(shown))

    def _item(self, where: Any, loc: Loc, item: Any, index: int, noun: str, stack: Stack) -> Step:
        step = self._step(where, loc, (item, *stack))
        name = f"{noun} {item_label(item, index)}"
        if step.children:  # the item stands for its condition: its parts are listed under it
            return Step(f"{name}:", step.outcome, "", "", step.children)
        return Step(f"{name}:", step.outcome, "", "", (step,))

    def _graph(self, kind: str, spec: Mapping[str, Any], loc: Loc, stack: Stack, outcome: Outcome,
               text: str) -> Step:
        hook = self.compiler.graph_quantifier
        assert hook is not None  # the compiler only builds graph quantifiers with one
        path = hook(kind, spec, loc)(stack)
        direction = "upstream" if kind.startswith("upstream") else "downstream"
        if path:
            name = self.compiler.partner_name
            other = path[0] if direction == "upstream" else path[-1]
            found = f"{article(direction)} partner that matches: {name(other)} (route: " \
                    f"{' -> '.join(name(node) for node in path)})"
        else:
            found = f"no {direction} partner matches"
        return Step(text, outcome_word(outcome), "", found)  # the route found is the reason
