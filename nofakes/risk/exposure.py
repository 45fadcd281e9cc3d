"""Exposure: how much counterfeit risk reaches each partner from upstream, along goods edges.

With r(u) a partner's own risk (its score / 100) and w(u, v) the weight of the goods flow from u
to v (the edge's `share` of v's volume where the file gives it, else an equal split between v's
suppliers), the risk present at u is s(u) = 1 - (1 - r(u)) * (1 - e(u)) and the exposure of v is
the noisy-OR over its suppliers, damped by d per hop:

    e(v) = 1 - prod over suppliers u of (1 - d * w(u, v) * s(u))

computed in `depth` rounds (e after k rounds counts paths of at most k hops), so cycles end and
each round costs O(nodes + edges). The explanation of an exposure is the few upstream paths whose
product r(start) * prod(d * w) along the path is largest, kept per node in the same rounds.
`downstream_of(partner)` runs the same rounds with only that partner's risk switched on: how much of
its risk reaches every partner downstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nofakes.risk.model import GOODS_KINDS
from nofakes.supply.model import Document

DEFAULT_DEPTH = 4
DEFAULT_DAMPING = 0.5
TOP_PATHS = 3


@dataclass(frozen=True)
class Contribution:
    """One upstream path (start first, the exposed partner last) and what it contributes."""

    path: tuple[str, ...]
    value: float


@dataclass(frozen=True)
class Exposure:
    partner: str
    value: float  # 0-1
    paths: tuple[Contribution, ...]


@dataclass(frozen=True)
class Flows:
    """Goods flows into each partner with their weights: (supplier, weight) per receiver."""

    suppliers: Mapping[str, tuple[tuple[str, float], ...]]
    nodes: tuple[str, ...]


def goods_flows(document: Document) -> Flows:
    """Weights of the goods flows into each partner; parallel edges between two partners count once
    (their shares add up, capped at 1). One pass over the edges."""
    shares: dict[str, dict[str, float | None]] = {}
    for edge in document.edges:
        if edge.kind not in GOODS_KINDS or edge.from_ == edge.to:
            continue
        into = shares.setdefault(edge.to, {})
        before = into.get(edge.from_, 0.0)
        if edge.share is None or before is None:
            into[edge.from_] = None if edge.share is None else before
        else:
            into[edge.from_] = min(1.0, before + edge.share)
    suppliers: dict[str, tuple[tuple[str, float], ...]] = {}
    for receiver, into in shares.items():
        equal = 1.0 / len(into)
        suppliers[receiver] = tuple((u, equal if s is None else s) for u, s in sorted(into.items()))
    return Flows(suppliers, tuple(n.id for n in document.nodes))


def propagate(flows: Flows, risk: Mapping[str, float], *, depth: int = DEFAULT_DEPTH,
              damping: float = DEFAULT_DAMPING, explain: bool = True) -> dict[str, Exposure]:
    """Exposure of every partner to the risks in `risk` (partner id -> 0..1; absent means 0)."""
    exposure = dict.fromkeys(flows.nodes, 0.0)
    best: dict[str, tuple[Contribution, ...]] = dict.fromkeys(flows.nodes, ())
    for _ in range(depth):
        present = {n: 1 - (1 - risk.get(n, 0.0)) * (1 - exposure[n]) for n in flows.nodes}
        after: dict[str, float] = {}
        paths: dict[str, tuple[Contribution, ...]] = {}
        for node in flows.nodes:
            keep = 1.0
            candidates: list[Contribution] = []
            for supplier, weight in flows.suppliers.get(node, ()):
                step = damping * weight
                keep *= 1 - step * present[supplier]
                if explain:
                    own = risk.get(supplier, 0.0)
                    if own > 0:
                        candidates.append(Contribution((supplier, node), step * own))
                    candidates.extend(Contribution((*c.path, node), step * c.value) for c in best[supplier]
                                      if node not in c.path)
            after[node] = 1 - keep
            if explain:
                paths[node] = tuple(sorted(candidates, key=lambda c: (-c.value, c.path))[:TOP_PATHS])
        exposure = after
        if explain:
            best = paths
    return {n: Exposure(n, exposure[n], best[n]) for n in flows.nodes}


def downstream_of(flows: Flows, partner: str, risk: float, *, depth: int = DEFAULT_DEPTH,
                  damping: float = DEFAULT_DAMPING) -> dict[str, Exposure]:
    """How much of `partner`'s risk reaches each partner downstream (only those reached)."""
    reached = propagate(flows, {partner: risk}, depth=depth, damping=damping)
    return {n: e for n, e in reached.items() if n != partner and e.value > 0}
