"""The risk model and exposure of one loaded supply file (see `nofakes.risk`), from the audit's subjects:
what each partner handles is the audit's own reading of the file (SPEC §3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from nofakes.audit.subjects import build_subjects
from nofakes.risk.defaults import DEFAULT_DAMPING, DEFAULT_DEPTH
from nofakes.risk.exposure import Contribution, Flows, explain, goods_flows, propagate
from nofakes.risk.model import RiskModel, score_document
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

    def downstream_of(self, partner: str) -> dict[str, float]:
        """How much of `partner`'s risk reaches each partner downstream (only those reached)."""
        reached = propagate(self.flows, {partner: self.risk[partner]}, depth=self.depth, damping=self.damping)
        return {n: value for n, value in reached.items() if n != partner and value > 0}


def assess(document: Document, supply: SupplyGraph, profile: Profile, *, depth: int = DEFAULT_DEPTH,
           damping: float = DEFAULT_DAMPING) -> Assessment:
    """Every partner's and flow's risk, and every partner's exposure from upstream."""
    with paused_gc():  # hundreds of thousands of small, long-lived objects: collections would only slow it
        subjects = build_subjects(document, supply)
        model = score_document(document, profile, {nid: view.categories for nid, view in subjects.nodes.items()})
        flows = goods_flows(document)
        risk = {nid: r.score / 100 for nid, r in model.partners.items()}
        exposure = propagate(flows, risk, depth=depth, damping=damping)
    return Assessment(model, flows, risk, exposure, depth, damping)
