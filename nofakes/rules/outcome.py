"""What a compiled check returns, and the error a condition that cannot be compiled raises.

Evaluation is three-valued: a check returns `True` (holds), or a `Fail` that is either
definite (`missing=False`) or "no evidence" (`missing=True`, a field the check needs is
absent). Every `reason` is plain language for a compliance officer (see `nofakes.rules.words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

NO_EVIDENCE = "no evidence of "  # every "no evidence" reason starts with this


@dataclass(frozen=True, slots=True)
class Fail:
    """A check that does not hold: definite, or for lack of evidence (`missing`)."""

    reason: str
    missing: bool = False
    evidence: tuple[str, ...] = ()  # graph quantifiers: a path of node ids
    unknown: str | None = None  # with `missing`: only what is unknown, when `reason` also says what definitely fails

    @property
    def unknown_reason(self) -> str:
        """What is unknown, without the parts that definitely fail (for `not`, where those are good news)."""
        return self.unknown if self.unknown is not None else self.reason


Outcome = bool | Fail  # True, or a Fail (never False)
Stack = tuple[Any, ...]  # (innermost subject, ..., rule subject)
Check = Callable[[Stack], Outcome]
Getter = Callable[[Stack], Any]
Loc = tuple[str | int, ...]


def absent(words: str) -> Fail:
    """The "no evidence" failure for a field or value described by `words`."""
    return Fail(NO_EVIDENCE + words, missing=True)


class ConditionError(Exception):
    """A condition that cannot be compiled; `loc` is its path inside the pack document."""

    def __init__(self, loc: Sequence[str | int], message: str, expected: str | None = None,
                 hint: str | None = None):
        self.loc, self.message, self.expected, self.hint = tuple(loc), message, expected, hint
        super().__init__(message)
