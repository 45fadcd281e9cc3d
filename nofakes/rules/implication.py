"""Implication: `{if: C, then: D}` and `{if: C, then: D, else: E}`, three-valued.

Without `else`: C definitely fails -> holds; C holds -> D's outcome; C unknown -> holds if D
holds, else "no evidence" naming what is unknown about C. With `else`, E takes the place of
"holds" when C fails; when C is unknown, it holds if D and E both hold, fails definitely if
both fail definitely, and is "no evidence" otherwise.

Reasons say why the consequence was expected: "the role is broker, so an onsite audit in the
last year was expected, but no audit qualifies: the audit's kind is remote, expected onsite"
(with a named condition's description), "..., so it was expected that the contract's audit
rights clause is recorded as yes, but ..." (with a clause).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.leaf import Built
from nofakes.rules.outcome import ConditionError, Fail, Loc, Outcome, Stack

if TYPE_CHECKING:
    from nofakes.rules.compiler import Compiler

KEYS = ("if", "then", "else")


def implication(compiler: Compiler, cond: dict[str, Any], loc: Loc) -> Built:
    keys = set(cond)
    other = sorted(keys - set(KEYS))
    if other:
        raise ConditionError((*loc, other[0]), f"{other[0]!r} beside if/then",
                             expected="{if: CONDITION, then: CONDITION, else: CONDITION} alone in its mapping",
                             hint=did_you_mean(other[0], KEYS))
    for needed in ("if", "then"):
        if needed not in keys:
            raise ConditionError(loc, f"{'/'.join(k for k in KEYS if k in keys)} without {needed!r}",
                                 expected="{if: CONDITION, then: CONDITION} (else: CONDITION is optional)")
    condition = compiler.condition(cond["if"], (*loc, "if"))
    then = compiler.condition(cond["then"], (*loc, "then"))
    otherwise = compiler.condition(cond["else"], (*loc, "else")) if "else" in cond else None
    return _implies(condition, then, otherwise)


def expected(built: Built) -> str:
    """"an onsite audit was expected" (a named condition) or "it was expected that the clause is recorded"."""
    return f"{built.text} was expected" if built.noun else f"it was expected that {built.text}"


def _expected(why: Callable[[], str], consequence: Built, failed: Fail) -> Fail:
    """The consequence `failed` where the premise (or its failure), worded by `why`, made it expected.
    Worded only when read."""
    if failed.missing:  # keeps "no evidence of ..." first, as every no-evidence reason starts
        return Fail(lambda: f"{failed.reason} ({why()}, so {expected(consequence)})", missing=True,
                    evidence=failed.evidence)
    return Fail(lambda: f"{why()}, so {expected(consequence)}, but {failed.reason}", evidence=failed.evidence)


def _implies(condition: Built, then: Built, otherwise: Built | None) -> Built:
    premise, consequence = condition.check, then.check
    alternative = otherwise.check if otherwise is not None else None
    text = f"if {condition.text}, then {then.text}" + (f", otherwise {otherwise.text}" if otherwise else "")

    def check(stack: Stack) -> Outcome:
        given = premise(stack)
        if given is True:
            result = consequence(stack)
            return True if result is True else _expected(lambda: condition.why_holds(stack), then, result)  # type: ignore[arg-type]
        if not given.missing:  # type: ignore[union-attr]
            if alternative is None:
                return True
            assert otherwise is not None
            result = alternative(stack)
            return True if result is True else _expected(lambda: given.reason, otherwise, result)  # type: ignore[arg-type, union-attr]
        premise_failed: Fail = given  # type: ignore[assignment]
        result = consequence(stack)
        if alternative is None:
            if result is True:
                return True
            return Fail(lambda: f"{premise_failed.unknown_reason}, which decides whether {expected(then)} "
                                f"({result.reason})", missing=True)  # type: ignore[union-attr]
        assert otherwise is not None
        other = alternative(stack)
        if result is True and other is True:
            return True
        if result is not True and other is not True and not result.missing and not other.missing:  # type: ignore[union-attr]
            return Fail(lambda: f"whether or not {condition.text}: {result.reason}; {other.reason}")  # type: ignore[union-attr]
        return Fail(lambda: f"{premise_failed.unknown_reason}, which decides whether {expected(then)} or "
                            f"{otherwise.text}",
                    missing=True)

    def holds(stack: Stack) -> str:  # why it holds where it does (for `not`)
        given = premise(stack)
        if given is True:
            return f"{condition.why_holds(stack)}, and {then.why_holds(stack)}"
        if otherwise is not None:
            if not given.missing:  # type: ignore[union-attr]
                return f"{given.reason}, and {otherwise.why_holds(stack)}"  # type: ignore[union-attr]
            return f"{then.why_holds(stack)}, and {otherwise.why_holds(stack)}"
        if not given.missing:  # type: ignore[union-attr]
            return given.reason  # type: ignore[union-attr]
        return then.why_holds(stack)

    return Built(check, text, either=True, holds=holds)
