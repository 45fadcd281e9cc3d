"""The subjects a rule's `unique`/`group` checks compare (`nofakes.rules.sets`): its applicable
subjects, listed once per rule, the first time one is checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nofakes.audit.subjects import Subjects
from nofakes.audit.targets import Filter, RuleTarget
from nofakes.packs.model import Rule, Target
from nofakes.rules.outcome import Loc
from nofakes.rules.sets import Population

NOUNS = {Target.node: "partner", Target.edge: "link", Target.product: "product"}  # targets with set checks


def population(target: RuleTarget, rule: Rule, applies: Filter, subjects: Subjects,
               check_loc: Loc) -> Population | None:
    """The applicable subjects of `rule` with their names, or None for targets without set checks."""
    noun = NOUNS.get(rule.target)
    if noun is None:
        return None
    listed: list[Sequence[tuple[Any, str]]] = []

    def members() -> Sequence[tuple[Any, str]]:
        if not listed:
            candidates, _ = target.candidates(rule, subjects)
            listed.append([(view, target.subject(view)[1]) for view in candidates if applies(view)])
        return listed[0]

    return Population(noun, members, check_loc)
