"""Named conditions: defined once per pack under `conditions:`, used as `{use: NAME}` wherever a
condition goes.

A use is compiled where it stands (the field paths of the definition are checked against the
scope of the use, so one definition may serve a node rule and a path rule's `end`). An error in
the definition is reported at the definition and names the use (`ConditionError.within` and
`used_at`). A name that is no definition is an error with a suggestion; a definition that uses
itself, directly or through others, is an error naming the cycle.

Words: what a named condition checks reads as its `description` ("a current authorization from
the original manufacturer"); why it holds is the description with the specifics ("a source
without a current authorization (the role is distributor; ...)"); why it fails is the
underlying reason, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from nofakes.core.errors import did_you_mean
from nofakes.rules.leaf import Built
from nofakes.rules.outcome import ConditionError, Loc

if TYPE_CHECKING:
    from nofakes.rules.compiler import Compiler

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class Definition(Protocol):
    """A named condition as a pack declares it."""

    @property
    def description(self) -> str: ...

    @property
    def condition(self) -> Any: ...


def definition_loc(name: str) -> Loc:
    """Where a named condition's condition is, in the pack file that defines it."""
    return ("conditions", name, "condition")


def use(compiler: Compiler, name: Any, loc: Loc) -> Built:
    """The condition `{use: NAME}` at `loc`, compiled in the compiler's current scope."""
    named = compiler.named
    if not isinstance(name, str):
        raise ConditionError((*loc, "use"), f"found {name!r}"[:120],
                             expected="the name of a condition under conditions:")
    if name not in named:
        raise ConditionError((*loc, "use"), f"unknown named condition {name!r}",
                             expected="one of: " + ", ".join(named) if named else "a condition declared under "
                                                                                  "conditions:",
                             hint=did_you_mean(name, named))
    chain = [outer for outer, _ in compiler.within]
    if name in chain:
        cycle = " -> ".join([*chain[chain.index(name):], name])
        raise ConditionError((*loc, "use"), f"named condition {name!r} uses itself ({cycle})",
                             expected="named conditions that do not use themselves")
    key = (name, tuple(id(level) for level in compiler.levels))
    if key in compiler.uses:  # the same definition used again at the same level: compiled once
        return compiler.uses[key][0]
    compiler.within.append((name, loc))
    try:
        inner = compiler.condition(named[name].condition, definition_loc(name))
    except ConditionError as exc:
        raise compiler.located(exc) from None
    finally:
        compiler.within.pop()
    description = " ".join(named[name].description.split()).rstrip(".")
    why = inner.why_holds
    built = Built(inner.check, description, holds=lambda stack: f"{description} ({why(stack)})", noun=True)
    compiler.uses[key] = (built, tuple(compiler.levels))  # the levels are kept so their ids stay theirs
    return built


def used_names(conditions: Iterable[Any], named: Mapping[str, Definition]) -> set[str]:
    """The named conditions `conditions` use, directly or through the definitions they use."""
    found: set[str] = set()
    stack = list(conditions)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            name = item.get("use")
            if isinstance(name, str) and name in named and name not in found:
                found.add(name)
                stack.append(named[name].condition)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
