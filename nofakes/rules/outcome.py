"""What a compiled check returns, and the error a condition that cannot be compiled raises.

Evaluation is three-valued: a check returns `True` (holds), or a `Fail` that is either
definite (`missing=False`) or "no evidence" (`missing=True`, a field the check needs is
absent). Every `reason` is plain language for a compliance officer (see `nofakes.rules.words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

NO_EVIDENCE = "no evidence of "  # every "no evidence" reason starts with this


Words = str | Callable[[], str]  # a reason, or how to word it when someone reads it


class Fail:
    """A check that does not hold: definite, or for lack of evidence (`missing`).

    Most failures are never read (an `any` whose next branch holds, an audit entry that is not the
    one that qualifies), so a reason may be given as a function that words it, called at most once,
    when `reason` is first read: only the failures a report shows pay for their words.
    """

    __slots__ = ("_reason", "_unknown", "evidence", "missing")

    def __init__(self, reason: Words, missing: bool = False, evidence: tuple[str, ...] = (),
                 unknown: Words | None = None) -> None:
        self._reason = reason
        self.missing = missing
        self.evidence = evidence  # graph quantifiers: a path of node ids
        self._unknown = unknown  # with `missing`: only what is unknown, when `reason` also says what definitely fails

    @property
    def reason(self) -> str:
        reason = self._reason
        if not isinstance(reason, str):
            reason = self._reason = reason()
        return reason

    @property
    def unknown(self) -> str | None:
        unknown = self._unknown
        if unknown is not None and not isinstance(unknown, str):
            unknown = self._unknown = unknown()
        return unknown

    @property
    def unknown_reason(self) -> str:
        """What is unknown, without the parts that definitely fail (for `not`, where those are good news)."""
        unknown = self.unknown
        return unknown if unknown is not None else self.reason

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fail):
            return NotImplemented
        return (self.reason, self.missing, self.evidence, self.unknown) == (
            other.reason, other.missing, other.evidence, other.unknown)

    def __hash__(self) -> int:
        return hash((self.reason, self.missing, self.evidence))

    def __repr__(self) -> str:
        return f"Fail(reason={self.reason!r}, missing={self.missing}, evidence={self.evidence!r})"


Outcome = bool | Fail  # True, or a Fail (never False)
Stack = tuple[Any, ...]  # (innermost subject, ..., rule subject)
Check = Callable[[Stack], Outcome]
Getter = Callable[[Stack], Any]
Loc = tuple[str | int, ...]


def absent(words: str) -> Fail:
    """The "no evidence" failure for a field or value described by `words`."""
    return Fail(NO_EVIDENCE + words, missing=True)


class ConditionError(Exception):
    """A condition that cannot be compiled; `loc` is its path inside the pack document.

    An error inside a named condition (`{use: NAME}`) has `loc` inside that condition's definition
    and says so: `within` names the named conditions it was reached through, outermost first (the
    last one's definition holds `loc`), and `used_at` is where the outermost one is used in the rule.
    """

    def __init__(self, loc: Sequence[str | int], message: str, expected: str | None = None,
                 hint: str | None = None):
        self.loc, self.message, self.expected, self.hint = tuple(loc), message, expected, hint
        self.within: tuple[str, ...] = ()
        self.used_at: tuple[str | int, ...] = ()
        super().__init__(message)
