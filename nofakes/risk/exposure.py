"""Exposure: how much counterfeit risk reaches each partner from upstream, along goods edges.

With r(u) a partner's own risk (its score / 100) and w(u, v) the weight of the goods flow from u
to v (the edge's `share` of v's volume where the file gives it, else an equal split between v's
suppliers), the risk present at u is s(u) = 1 - (1 - r(u)) * (1 - e(u)) and the exposure of v is
the noisy-OR over its suppliers, damped by d per hop:

    e(v) = 1 - prod over suppliers u of (1 - d * w(u, v) * s(u))

computed in `depth` rounds (e after k rounds counts paths of at most k hops), so cycles end and
each round costs O(nodes + edges). The explanation of an exposure is the few upstream paths whose
product r(start) * prod(d * w) along the path is largest (`explain`, for the partners a report shows).
`downstream_of(partner)` runs the same rounds with only that partner's risk switched on: how much of
its risk reaches every partner downstream.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import itemgetter

import numpy as np

from nofakes.risk.defaults import DEFAULT_DAMPING, DEFAULT_DEPTH, TOP_PATHS
from nofakes.risk.model import GOODS_KINDS
from nofakes.supply.model import Document

EXPOSURE_FORMULA = ("exposure e(v) = 1 - product over suppliers u of (1 - d x w(u,v) x s(u)), "
                    "s(u) = 1 - (1 - risk(u)) x (1 - e(u))")


@dataclass(frozen=True)
class Contribution:
    """One upstream path (start first, the exposed partner last) and what it contributes."""

    path: tuple[str, ...]
    value: float


@dataclass(frozen=True)
class Flows:
    """Goods flows into each partner with their weights: (supplier, weight) per receiver."""

    suppliers: Mapping[str, tuple[tuple[str, float], ...]]
    nodes: tuple[str, ...]

    @cached_property
    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The flows as three columns (receiver's position, supplier's position, weight), receivers in
        the order of `suppliers` and each receiver's suppliers in theirs: the order `propagate` multiplies in."""
        index = {n: i for i, n in enumerate(self.nodes)}.__getitem__
        total = sum(map(len, self.suppliers.values()))
        pairs = list(chain.from_iterable(self.suppliers.values()))  # (supplier, weight), receiver by receiver
        into = np.repeat(np.fromiter(map(index, self.suppliers), dtype=np.intp, count=len(self.suppliers)),
                         np.fromiter(map(len, self.suppliers.values()), dtype=np.intp, count=len(self.suppliers)))
        came = np.fromiter(map(index, map(itemgetter(0), pairs)), dtype=np.intp, count=total)
        return into, came, np.fromiter(map(itemgetter(1), pairs), dtype=np.float64, count=total)


def goods_flows(document: Document) -> Flows:
    """Weights of the goods flows into each partner; parallel edges between two partners count once
    (their shares add up, capped at 1). One pass over the edges."""
    shares: dict[str, dict[str, float | None]] = {}
    goods = GOODS_KINDS
    for edge in document.edges:
        source, receiver = edge.from_, edge.to
        if edge.kind not in goods or source == receiver:
            continue
        into = shares.get(receiver)
        if into is None:
            into = shares[receiver] = {}
        share = edge.share
        if share is None:  # a flow without a share: the receiver's suppliers split it equally
            into[source] = None
        else:
            before = into.get(source, 0.0)
            into[source] = None if before is None else min(1.0, before + share)
    suppliers: dict[str, tuple[tuple[str, float], ...]] = {}
    for receiver, into in shares.items():
        equal = 1.0 / len(into)
        suppliers[receiver] = tuple((u, equal if s is None else s) for u, s in sorted(into.items()))
    return Flows(suppliers, tuple(n.id for n in document.nodes))


def propagate(flows: Flows, risk: Mapping[str, float], *, depth: int = DEFAULT_DEPTH,
              damping: float = DEFAULT_DAMPING) -> dict[str, float]:
    """Exposure of every partner to the risks in `risk` (partner id -> 0..1; absent means 0):
    `depth` rounds over every flow, each a few whole-column operations. The products are taken in
    the same order as the formula's loop over each receiver's suppliers, so the values are exactly
    those of that loop."""
    nodes = flows.nodes
    into, came, weight = flows.columns
    own = np.fromiter((risk.get(n, 0.0) for n in nodes), dtype=np.float64, count=len(nodes))
    step = damping * weight
    exposure = np.zeros(len(nodes))
    for _ in range(depth):
        present = 1 - (1 - own) * (1 - exposure)
        keep = np.ones(len(nodes))
        np.multiply.at(keep, into, 1 - step * present[came])  # in index order: each receiver's product
        exposure = 1 - keep
    return dict(zip(nodes, exposure.tolist(), strict=True))


def explain(flows: Flows, risk: Mapping[str, float], targets: Iterable[str], *, depth: int = DEFAULT_DEPTH,
            damping: float = DEFAULT_DAMPING, top: int = TOP_PATHS) -> dict[str, tuple[Contribution, ...]]:
    """The `top` simple upstream paths of at most `depth` hops that contribute most to each target's
    exposure: a path's contribution is the risk of its start times `damping * weight` per hop. Runs over
    the targets' upstream partners within `depth` hops only, so explaining the few partners a report
    shows costs little; every partner at once costs O(depth * top * flows)."""
    wanted = list(dict.fromkeys(targets))
    distance = _upstream(flows, wanted, depth)
    best: dict[str, tuple[Contribution, ...]] = {}
    for done in range(1, depth + 1):
        # a partner k hops above the nearest target needs paths of at most depth - k hops: round
        # `done` only recomputes those that need it (the farthest layer is read, never computed)
        paths: dict[str, tuple[Contribution, ...]] = {}
        for node in [n for n, k in distance.items() if k <= depth - done]:
            candidates: list[Contribution] = []
            for supplier, weight in flows.suppliers.get(node, ()):
                step = damping * weight
                start = risk.get(supplier, 0.0)
                if start > 0:
                    candidates.append(Contribution((supplier, node), step * start))
                candidates.extend(Contribution((*c.path, node), step * c.value) for c in best.get(supplier, ())
                                  if node not in c.path)
            paths[node] = tuple(sorted(candidates, key=lambda c: (-c.value, c.path))[:top])
        best = paths
    return {node: best.get(node, ()) for node in wanted}


def _upstream(flows: Flows, targets: Iterable[str], depth: int) -> dict[str, int]:
    """The targets (0) and every partner within `depth` hops upstream of them, with its fewest hops to one."""
    distance = dict.fromkeys(targets, 0)
    frontier = list(distance)
    for hops in range(1, depth + 1):
        frontier = list(dict.fromkeys(u for v in frontier for u, _w in flows.suppliers.get(v, ()) if u not in distance))
        for u in frontier:
            distance.setdefault(u, hops)
    return distance
