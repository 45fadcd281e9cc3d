"""Set checks across the subjects of a rule: `unique` and `group`, one index per rule (linear).

- `{unique: {field: PATH}}`: no two applicable subjects share the value of PATH; each subject whose
  value another applicable subject has fails, and its reason names every other one ("shares its bank
  account with Seller B and Seller C").
- `{group: {by: PATH, at_most: N}}`: at most N applicable subjects share one value of PATH.

Where they may appear: the `check` of a node, edge or product rule, alone or as a direct member of
its top-level `all` (the hook `Compiler.population` exists only there). The engine supplies the
applicable subjects (`Population`); the index value -> subjects is built once, the first time a
subject is checked, in one pass over them: O(n) per rule.

Values are compared as recorded, except text, which ignores case and spaces ("DE89 3704" is
"de893704"), and yes/no, which is never equal to a number. A subject without the value (or with
blank text) is "no evidence" (a gap, like every check) and is not counted for the others; a value
that is not a single value (a list, a mapping) fails as such and is not counted either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.fields import field as field_of
from nofakes.rules.leaf import Built, wrong_kind
from nofakes.rules.outcome import ConditionError, Fail, Loc, Outcome, Stack, absent
from nofakes.rules.values import constant_of, day_of, is_count
from nofakes.rules.words import plural

if TYPE_CHECKING:
    from nofakes.rules.compiler import Compiler

SET_CHECKS = ("unique", "group")
NAMED = 10  # others named in one reason; the rest are counted ("and 37 others")
_KEYS = {"unique": ("field",), "group": ("by", "at_most")}


@dataclass(frozen=True)
class Population:
    """The subjects a set check compares, supplied by the engine for one rule.

    `members()` returns every applicable subject with its display name (computed once, when first
    needed); `noun` names one subject ("partner"); `check_loc` is where the rule's check is, the
    only place (with its top-level `all`) a set check may appear.
    """

    noun: str
    members: Callable[[], Sequence[tuple[Any, str]]]
    check_loc: Loc


def set_check(compiler: Compiler, kind: str, spec: Any, loc: Loc) -> Built:
    population = compiler.population
    where = f"{kind} is only allowed in the check of a node, edge or product rule, alone or directly inside its all"
    if population is None or len(compiler.levels) != 1:
        raise ConditionError(loc, where, expected="target: node, edge or product, and check: {" + kind + ": ...}")
    top, inner = population.check_loc, loc[:-1]  # loc ends with the key `kind`
    if inner != top and not (inner[:-2] == top and inner[-2:-1] == ("all",)):
        raise ConditionError(loc, where + " (not inside any, not or a quantifier)",
                             expected="check: {" + kind + ": ...} or check: {all: [{" + kind + ": ...}, ...]}")
    keys = _KEYS[kind]
    if not isinstance(spec, dict):
        raise ConditionError(loc, f"found {spec!r}"[:120], expected="{" + ", ".join(f"{k}: ..." for k in keys) + "}")
    unknown = sorted(set(spec) - set(keys))
    if unknown:
        raise ConditionError((*loc, unknown[0]), f"unknown key {unknown[0]!r}", expected=", ".join(keys),
                             hint=did_you_mean(unknown[0], keys))
    for key in keys:
        if key not in spec:
            raise ConditionError(loc, f"missing {key!r}", expected="{" + ", ".join(f"{k}: ..." for k in keys) + "}")
    target = field_of(compiler.levels, spec[keys[0]], (*loc, keys[0]))
    bound = 1
    if kind == "group":
        bound = constant_of(spec["at_most"], (*loc, "at_most"), compiler.levels, compiler.params)
        if not is_count(bound) or bound < 1:
            raise ConditionError((*loc, "at_most"), f"found {bound!r}", expected="a whole number >= 1")
    return _SetCheck(population, target.get, target.words, bound).built(kind)


def value_key(value: Any) -> Hashable | None:
    """The key a value is indexed under (text without case and spaces; True is not 1), or None when
    it is not a single value (a list or a mapping)."""
    value = day_of(value.value if isinstance(value, Enum) else value)
    if isinstance(value, str):
        return ("text", "".join(value.split()).casefold())
    if isinstance(value, (bool, int, float, dt.date)):
        return (type(value) is bool, value)
    return None


@dataclass(frozen=True)
class _Group:
    members: list[tuple[Any, str]]  # (subject, name), sorted by name
    ids: frozenset[int]  # id() of each member: is the subject checked one of them, in O(1)


class _SetCheck:
    """One rule's index value -> applicable subjects, built on first use in one pass over them."""

    def __init__(self, population: Population, get: Callable[[Stack], Any], words: str, bound: int):
        self.population, self.get, self.words, self.bound = population, get, words, bound
        self.its = "its " + words[4:] if words.startswith("the ") else words
        self.index: dict[Hashable, _Group] | None = None

    def groups(self) -> dict[Hashable, _Group]:
        if self.index is None:
            found: dict[Hashable, list[tuple[Any, str]]] = {}
            get = self.get
            for view, name in self.population.members():
                key = None if _blank(value := get((view,))) else value_key(value)
                if key is not None:
                    found.setdefault(key, []).append((view, name))
            self.index = {key: _Group(sorted(members, key=lambda member: member[1]),
                                      frozenset(id(view) for view, _ in members))
                          for key, members in found.items()}
        return self.index

    def built(self, kind: str) -> Built:
        get, noun, bound, its, words = self.get, self.population.noun, self.bound, self.its, self.words
        missing = absent(words)

        def check(stack: Stack) -> Outcome:
            value = get(stack)
            if _blank(value):
                return missing
            key = value_key(value)
            if key is None:
                return Fail(f"{words} is a list of {len(value)} values, not a single value" if isinstance(value, list)
                            else wrong_kind(words, value, "a single value"))
            view = stack[0]
            group = self.groups().get(key)
            if group is None:
                return True
            others = len(group.members) - (id(view) in group.ids)
            if others + 1 <= bound:
                return True
            names = [name for member, name in group.members[: NAMED + 1] if member is not view][:NAMED]
            return Fail(lambda: _shares(its, names, others, noun, bound))

        text = (f"no other {noun} shares {its}" if kind == "unique"
                else f"at most {bound} {plural(noun, bound)} share {its}")
        return Built(check, text)


def _blank(value: Any) -> bool:
    """No value: absent, or text that is only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _shares(its: str, names: list[str], count: int, noun: str, bound: int) -> str:
    """"shares its bank account with Seller B and Seller C"; long lists end "and 37 others"."""
    rest = count - len(names)
    if rest > 0:
        who = ", ".join(names) + f" and {rest} {'other' if rest == 1 else 'others'}"
    else:
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if bound == 1:
        return f"shares {its} with {who}"
    return (f"shares {its} with {count} other {plural(noun, count)} (at most {bound} {plural(noun, bound)} "
            f"may share one): {who}")
