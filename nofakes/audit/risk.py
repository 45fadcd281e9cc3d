"""The risk model and exposure of one loaded supply file (see `nofakes.risk`), from the audit's subjects:
what each partner handles is the audit's own reading of the file (SPEC §3)."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nofakes.audit.result import Exposed, PartnerRisk, RiskSection
from nofakes.audit.riskroot import RiskTables
from nofakes.audit.scoring import PartnerScore
from nofakes.audit.subjects import Subjects, build_subjects
from nofakes.core.text import count_of
from nofakes.risk.defaults import DEFAULT_DAMPING, DEFAULT_DEPTH
from nofakes.risk.exposure import EXPOSURE_FORMULA, Contribution, Flows, explain, goods_flows, propagate
from nofakes.risk.model import (
    FORMULA,
    Factor,
    Risk,
    RiskModel,
    make_factor,
    percent,
    points_total,
    score_document,
    with_factor,
)
from nofakes.risk.profile import Profile
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.loading import paused_gc
from nofakes.supply.model import Document


@dataclass(frozen=True)
class Assessment:
    model: RiskModel
    flows: Flows
    risk: Mapping[str, float]  # partner -> score / 100
    exposure: Mapping[str, float]  # partner -> 0..1
    depth: int
    damping: float

    def paths(self, targets: Iterable[str], risk: Mapping[str, float] | None = None
              ) -> dict[str, tuple[Contribution, ...]]:
        """The upstream paths that contribute most to the targets' exposure (to `risk`, by default every
        partner's own)."""
        return explain(self.flows, self.risk if risk is None else risk, targets, depth=self.depth,
                       damping=self.damping)

    def tables(self) -> RiskTables:
        """What rules read as `risk` (the scores before the audit's gaps)."""
        return RiskTables(self.model.partners, self.exposure, lambda: self.model.flows)

    def downstream_of(self, partner: str) -> dict[str, float]:
        """How much of `partner`'s risk reaches each partner downstream (only those reached)."""
        reached = propagate(self.flows, {partner: self.risk[partner]}, depth=self.depth, damping=self.damping)
        return {n: value for n, value in reached.items() if n != partner and value > 0}


def assess(document: Document, supply: SupplyGraph, profile: Profile, *, depth: int = DEFAULT_DEPTH,
           damping: float = DEFAULT_DAMPING) -> Assessment:
    """Every partner's and flow's risk, and every partner's exposure from upstream."""
    with paused_gc():  # hundreds of thousands of small, long-lived objects: collections would only slow it
        return assess_subjects(document, build_subjects(document, supply), profile, depth=depth, damping=damping)


def assess_subjects(document: Document, subjects: Subjects, profile: Profile, *, depth: int = DEFAULT_DEPTH,
                    damping: float = DEFAULT_DAMPING) -> Assessment:
    """`assess` from the subjects an audit has already built (what each partner handles)."""
    model = score_document(document, profile, {nid: view.categories for nid, view in subjects.nodes.items()})
    flows = goods_flows(document)
    risk = {nid: r.score / 100 for nid, r in model.partners.items()}
    exposure = propagate(flows, risk, depth=depth, damping=damping)
    return Assessment(model, flows, risk, exposure, depth, damping)


TOP_EXPOSED = 10  # partners in the audit's "highest exposure" section


def _gaps_evidence(score: PartnerScore) -> str:
    value = score.score.value or 0.0
    return f"partner score {percent(value / 100)} in this audit ({count_of(score.failed, 'open gap')})"


def audit_risk(assessment: Assessment, partner_scores: Sequence[PartnerScore], packs: Sequence[str],
               top: int = TOP_EXPOSED) -> RiskSection:
    """The audit's risk section: each partner's score with the audit's gaps as one more factor
    (`1 - partner score / 100`, for profiles that weigh gaps), the exposure those scores give, and the
    `top` most exposed partners with the upstream paths that carry most of their exposure."""
    profile = assessment.model.profile
    source = "this audit (" + ", ".join(packs) + ")"
    scored = {p.partner: p for p in partner_scores if p.score.value is not None}
    final: dict[str, Risk] = {}
    total = points_total(profile)
    # the factor depends only on the partner's score and open gaps: made once per distinct pair
    made: dict[tuple[float, int], Factor | None] = {}
    for partner, risk in assessment.model.partners.items():
        score = scored.get(partner)
        if score is not None and score.failed:
            key = (score.score.value or 0.0, score.failed)
            if key in made:
                factor = made[key]
            else:
                factor = made[key] = make_factor(profile, total, "gaps", 1 - key[0] / 100, _gaps_evidence(score),
                                                 source)
            if factor is not None:
                risk = with_factor(risk, factor)
        final[partner] = risk
    shares = {partner: risk.score / 100 for partner, risk in final.items()}
    changed = any(final[p] is not assessment.model.partners[p] for p in final)
    exposure = propagate(assessment.flows, shares, depth=assessment.depth, damping=assessment.damping) \
        if changed else assessment.exposure
    most = heapq.nsmallest(top, (p for p in exposure if exposure[p] > 0), key=lambda p: (-exposure[p], p))
    paths = explain(assessment.flows, shares, most, depth=assessment.depth, damping=assessment.damping)
    return RiskSection(
        profile.id, profile.title, profile.caveat, FORMULA, EXPOSURE_FORMULA, assessment.depth, assessment.damping,
        {p: PartnerRisk(r.score, r.factors, round(100 * exposure.get(p, 0.0), 1)) for p, r in final.items()},
        tuple(Exposed(p, round(100 * exposure[p], 1), paths.get(p, ())) for p in most))
