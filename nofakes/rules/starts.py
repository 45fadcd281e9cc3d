"""`../` inside a graph quantifier: the `where` may read the partner where the traversal starts.

One multi-source traversal answers "is some upstream partner a match?" for every start at once
only when the matches are the same for every start. A `where` that reads the start (`{field:
country, equals: {ref: ../country}}`) has matches that depend on it, but only through the values
it reads: starts are grouped by those values and each group gets one traversal, so the cost is
O(k * (V + E)) for k distinct values among the starts. To keep k small whatever the data, `../`
may only read fields with few possible values: yes/no, a fixed list (role, status, kind), or a
country or region code. Anything else (names, ids, dates, numbers, free-form attributes) could
differ for every partner, one traversal each, which is quadratic: it is rejected when the pack
loads.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from nofakes.rules.fields import ANY, Climb
from nofakes.rules.outcome import ConditionError

CODES = frozenset({"country", "region"})  # ISO 3166 codes: a few hundred (thousand) values at most
StartKey = Callable[[Any], tuple[Any, ...]]


def _few_values(climb: Climb) -> bool:
    annotation = climb.annotation
    if annotation is bool or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return True
    if typing.get_origin(annotation) is typing.Literal:
        return True
    return annotation is str and climb.path.rpartition(".")[2] in CODES


def start_key(climbs: Sequence[Climb], kind: str) -> StartKey:
    """What a start's traversal depends on: the values its `where` reads through `../` (none: one
    traversal for all). Raises ConditionError at a `../` read whose values are not few."""
    for climb in climbs:
        if not _few_values(climb):
            what = "free-form data" if climb.annotation is ANY else "a value"
            raise ConditionError(
                climb.loc, f"'../{climb.path}' inside {kind} reads {what} of the starting partner that may differ "
                           "for every partner (one traversal each: quadratic)",
                expected="inside a graph quantifier, '../' reading a field with few values: yes/no, a fixed "
                         "list (role, status, kind) or a country or region code")
    getters = tuple(dict.fromkeys(climb.get for climb in climbs))
    if not getters:
        return lambda start: ()
    return lambda start: tuple(get((start,)) for get in getters)
