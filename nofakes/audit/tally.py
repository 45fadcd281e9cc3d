"""Per-partner accumulation of the partner scores, one rule at a time, as numpy columns.

A rule's outcomes reach the tally as the places of the partners that carry its passes, failures
and waivers (one entry per outcome). A partner's score sums, over the rules that count for it,
the rule's weight times the share of its subjects there that passed (`weight * passed / (passed +
failed)`), out of the weights of those rules; a rule counts for a partner when one of its
subjects there passed or failed (waived only: it does not count). The columns hold one value per
partner, in the order of the partners of the file; each rule adds to each partner at most once,
in rule order, so the sums are exactly (bit for bit) those of adding the rules one by one in
Python floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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

    def add(self, weight: float, passes: Sequence[int], failures: Sequence[int], waivers: Sequence[int]) -> None:
        """One rule's outcomes: for each pass, failure and waiver, the place (`place`) of the partner that
        carries it (-1: a subject with no partner)."""
        if not passes and not failures and not waivers:
            return
        passed, failed, waived = (self._count(places) for places in (passes, failures, waivers))
        some = passed > 0  # a pass: the weight times the share that passed goes to the numerator
        self.numerator[some] += weight * passed[some] / (passed[some] + failed[some])
        counted = some | (failed > 0)
        self.denominator[counted] += weight
        self.rules[counted] += 1
        self.failed += failed
        self.waived += waived

    def _count(self, places: Sequence[int]) -> np.ndarray:
        """How many of `places` name each partner (the partners named are touched)."""
        at = np.fromiter(places, dtype=np.int64, count=len(places))
        at = at[at >= 0]
        self.touched[at] = True
        return np.bincount(at, minlength=len(self.ids))

    def scores(self) -> list[PartnerScore]:
        """Every touched partner's score, by partner id."""
        touched = np.flatnonzero(self.touched).tolist()
        ids = self.ids
        numerator, denominator = self.numerator.tolist(), self.denominator.tolist()
        rules, failed, waived = self.rules.tolist(), self.failed.tolist(), self.waived.tolist()
        return [PartnerScore(ids[i], Score(numerator[i], denominator[i], rules[i]), failed[i], waived[i])
                for i in sorted(touched, key=ids.__getitem__)]
