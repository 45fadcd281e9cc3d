"""`unlisted: true`: a partner matches no entry of a screening list (`screening.notorious`,
`screening.watchlist`; see nofakes.audit.screening). It holds when there is no match and fails,
definitely, with the match's evidence: what resembles what, the score, the fields that matched,
the entry's source and the list's caveat.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from nofakes.rules.leaf import Built, Leaf, Operator, wrong_kind
from nofakes.rules.outcome import ConditionError, Fail, Outcome, Stack
from nofakes.screening.hit import Hit


def _reads_hits(annotation: Any) -> bool:
    if annotation is Hit:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(arg is Hit for arg in get_args(annotation))
    return False


class Unlisted(Operator):
    name = "unlisted"
    operand = "flag"

    def build(self, leaf: Leaf) -> Built:
        leaf.flag(self.name)
        if not _reads_hits(leaf.field.annotation):
            raise ConditionError(leaf.loc[:-1], f"unlisted reads a screening match, not {leaf.field.words}",
                                 expected="{field: screening.notorious, unlisted: true} or "
                                          "{field: screening.watchlist, unlisted: true} in a node rule")
        get, words = leaf.field.get, leaf.field.words

        def unlisted(stack: Stack) -> Outcome:
            value = get(stack)
            if value is None:
                return True
            if isinstance(value, Hit):
                return Fail(value.words)
            return Fail(wrong_kind(words, value, "a screening match"))

        return Built(unlisted, self.statement(words, "true"))

    def statement(self, field: str, operand: str) -> str:
        return f"there is no {field.removeprefix('the ')}"

    def failure(self, field: str, value: Any, operand: Any) -> str:
        return value.words if isinstance(value, Hit) else f"there is a {field}"
