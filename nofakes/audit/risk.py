"""The risk model and exposure of one loaded supply file (see `nofakes.risk`), from the audit's subjects:
what each partner handles is the audit's own reading of the file (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass

from nofakes.audit.subjects import build_subjects
from nofakes.risk.exposure import DEFAULT_DAMPING, DEFAULT_DEPTH, Exposure, Flows, goods_flows, propagate
from nofakes.risk.model import RiskModel, score_document
from nofakes.risk.profile import Profile
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.model import Document


@dataclass(frozen=True)
class Assessment:
    model: RiskModel
    flows: Flows
    exposure: dict[str, Exposure]
    depth: int
    damping: float


def assess(document: Document, supply: SupplyGraph, profile: Profile, *, depth: int = DEFAULT_DEPTH,
           damping: float = DEFAULT_DAMPING) -> Assessment:
    """Every partner's and flow's risk, and every partner's exposure from upstream."""
    subjects = build_subjects(document, supply)
    model = score_document(document, profile, {nid: view.categories for nid, view in subjects.nodes.items()})
    flows = goods_flows(document)
    risk = {nid: r.score / 100 for nid, r in model.partners.items()}
    return Assessment(model, flows, propagate(flows, risk, depth=depth, damping=damping), depth, damping)
