"""Per-partner accumulation of the partner scores, one rule at a time, as numpy columns.

A rule's outcomes reach the tally as two mappings: passes per partner, and [failed, waived] per
partner. A partner's score sums, over the rules that count for it, the rule's weight times the
share of its subjects there that passed (`weight * passed / (passed + failed)`), out of the
weights of those rules; a rule counts for a partner when one of its subjects there passed or
failed (waived only: it does not count). The columns hold one value per partner, in the order of
the partners of the file; each rule adds to each partner at most once, in rule order, so the
sums are exactly (bit for bit) those of adding the rules one by one in Python floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

import numpy as np

from nofakes.audit.scoring import PartnerScore, Score


class PartnerTally:
    """Columns over the partners: numerator, denominator, rules counted, failed, waived, and whether any
    rule touched the partner (only those get a score)."""

    def __init__(self, partners: Iterable[str]) -> None:
        self.ids = list(partners)
        self.place: dict[str | None, int] = {partner: i for i, partner in enumerate(self.ids)}  # None: no key
        n = len(self.ids)
        self.numerator, self.denominator = np.zeros(n), np.zeros(n)
        self.rules, self.failed, self.waived = (np.zeros(n, dtype=np.int64) for _ in range(3))
        self.touched = np.zeros(n, dtype=bool)

    def add(self, weight: float, passes: Mapping[str, int], others: Mapping[str, list[int]],
            pass_places: Sequence[np.ndarray] = ()) -> None:
        """One rule's outcomes: passes per partner, and [failed, waived] per partner; more passes as
        arrays of the passing subjects' partner places (`place`; -1: a subject with no partner)."""
        if not passes and not others and not pass_places:
            return
        n, place = len(self.ids), self.place
        passed, failed, waived = (np.zeros(n, dtype=np.int64) for _ in range(3))
        if passes:
            at = np.fromiter(map(place.__getitem__, passes), dtype=np.int64, count=len(passes))
            passed[at] = np.fromiter(passes.values(), dtype=np.int64, count=len(passes))
            self.touched[at] = True
        for at in pass_places:
            at = at[at >= 0]
            passed += np.bincount(at, minlength=n)
            self.touched[at] = True
        if others:
            at = np.fromiter(map(place.__getitem__, others), dtype=np.int64, count=len(others))
            counts = np.fromiter(chain.from_iterable(others.values()), dtype=np.int64,
                                 count=2 * len(others)).reshape(-1, 2)
            failed[at], waived[at] = counts[:, 0], counts[:, 1]
            self.touched[at] = True
        some = passed > 0  # a pass: the weight times the share that passed goes to the numerator
        self.numerator[some] += weight * passed[some] / (passed[some] + failed[some])
        counted = some | (failed > 0)
        self.denominator[counted] += weight
        self.rules[counted] += 1
        self.failed += failed
        self.waived += waived

    def scores(self) -> list[PartnerScore]:
        """Every touched partner's score, by partner id."""
        touched = np.flatnonzero(self.touched).tolist()
        ids = self.ids
        numerator, denominator = self.numerator.tolist(), self.denominator.tolist()
        rules, failed, waived = self.rules.tolist(), self.failed.tolist(), self.waived.tolist()
        return [PartnerScore(ids[i], Score(numerator[i], denominator[i], rules[i]), failed[i], waived[i])
                for i in sorted(touched, key=ids.__getitem__)]
