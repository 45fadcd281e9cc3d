"""Nestings whose cost is not linear, rejected when a pack loads.

A quantifier whose items are as many as the graph - a company rule's `nodes`, `edges` or
`products` (the scope's `graph_sized` roots) and the graph quantifiers, which reach every partner
- may not contain another one: `all_items` over `nodes` with a `count` over `../nodes` in its
`where` compares every partner with every partner (4,000 sellers: 16 million comparisons). The
error names the cost and the linear alternative: `unique` / `group` (nofakes.rules.sets) index
the values once, and a graph quantifier belongs at the top of a node rule.

A quantifier without `where` only counts or tests a list's length, whatever its size: it is not
a nesting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nofakes.rules.outcome import ConditionError, Loc

if TYPE_CHECKING:
    from nofakes.rules.compiler import Compiler

UNIQUE_HINT = ("to say that no two partners share a value, write a node rule with check: {unique: {field: FIELD}}; "
               "for at most N per value, {group: {by: FIELD, at_most: N}}: both index the values once")
GRAPH = ("upstream", "downstream")  # graph quantifiers start so
GRAPH_HINT = "put the graph quantifier at the top of a node rule's check: one traversal serves every partner"


@dataclass(frozen=True)
class Wide:
    """A quantifier over as many items as the graph, being compiled."""

    kind: str
    noun: str  # one item: "partner", "link", "product"


def graph_sized(compiler: Compiler, path: Any) -> str | None:
    """The noun of one item when the list at `path` is as large as the graph, else None."""
    if not isinstance(path, str):
        return None
    ups, rest = 0, path
    while rest.startswith("../"):
        ups, rest = ups + 1, rest[3:]
    if ups >= len(compiler.levels):
        return None  # the field path itself is the error
    return compiler.levels[-1 - ups].graph_sized.get(rest)


def check_nesting(compiler: Compiler, kind: str, noun: str, loc: Loc) -> None:
    """An error when a quantifier over as many items as the graph (`noun`s) is inside another one."""
    if not compiler.wide:
        return
    outer = compiler.wide[-1]
    graph = kind.startswith(GRAPH) or outer.kind.startswith(GRAPH)
    inner = f"every {noun} it reaches" if kind.startswith(GRAPH) else f"every {noun}"
    raise ConditionError(loc, f"{kind} over every {noun} inside {outer.kind} over every {outer.noun} compares "
                              f"every {outer.noun} with {inner}: its cost grows with the square of the graph "
                              "(4,000 partners, 16 million comparisons)",
                         expected="no quantifier over the whole graph inside another one",
                         hint=GRAPH_HINT if graph else UNIQUE_HINT)


@contextmanager
def wide(compiler: Compiler, kind: str, noun: str | None, loc: Loc) -> Iterator[None]:
    """Compile the `where` of a quantifier over `noun`s (None: an ordinary list, nothing to check)."""
    if noun is None:
        yield
        return
    check_nesting(compiler, kind, noun, loc)
    compiler.wide.append(Wide(kind, noun))
    try:
        yield
    finally:
        compiler.wide.pop()
