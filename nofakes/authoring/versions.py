"""Which versions of a pack a fixture applies to: `versions: ">=1.1.0"` on a fixture file or a case.

A spec is one or more comparisons separated by commas, every one of which must hold:
`1.0.0` (that version only), `>=1.1.0`, `<2.0.0`, `>1.0.0, <=1.3.0`, `!=1.0.1`. A list of specs
(`versions: [1.0.0, ">=1.2.0"]`) admits a version that one of them admits. Versions are compared
as numbers, part by part (1.10.0 comes after 1.9.0).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nofakes.packs.catalogue import version_key

_COMPARISON = re.compile(r"^\s*(==|!=|>=|<=|>|<)?\s*((?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*))\s*$")
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
EXPECTED = 'versions such as "1.0.0", ">=1.1.0" or ">=1.0.0, <2.0.0" (a text, or a list of them)'


@dataclass(frozen=True)
class Versions:
    text: str  # as written, for reports
    specs: tuple[tuple[tuple[str, tuple[int, ...]], ...], ...]  # any spec; every comparison in it

    def admits(self, version: str) -> bool:
        key = version_key(version)
        return any(all(_OPERATORS[op](key, bound) for op, bound in spec) for spec in self.specs)


def parse_versions(raw: Any) -> Versions | None:
    """The versions `raw` names, or None when it is not a valid spec."""
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(item, str) for item in items):
        return None
    specs = []
    for item in items:
        comparisons = []
        for part in item.split(","):
            match = _COMPARISON.match(part)
            if match is None:
                return None
            comparisons.append((match.group(1) or "==", version_key(match.group(2))))
        specs.append(tuple(comparisons))
    return Versions(" or ".join(items), tuple(specs))
