"""The supply chain as a networkx graph, with tiers. Pure functions, no I/O.

`build_graph(document)` returns a `SupplyGraph`: a `networkx.MultiDiGraph` whose nodes carry
the `Node` model (attribute `node`) and whose edges are keyed by edge kind and carry the
`Edge` model (attribute `edge`); plus the tier of every node.

Tiers are counted from the focal company: the node whose id is the company id, else the
`brand_owner` nodes, else the customer-facing end (customers, retailers, marketplaces,
sellers). Upstream partners get positive tiers (1 = direct supplier), downstream partners
negative ones (-1 = first distribution tier); the focal nodes are tier 0; partners that
are not connected to the focal nodes by goods-flow edges have no tier (None). `returns`
edges flow backwards and are ignored for tiers. Everything is one multi-source BFS:
linear in nodes + edges. Production partners whose finished goods leave production without
passing through the brand's own node (contract manufacturers shipping straight to
forwarders and distributors, a licensee's factory) count as tier 1, and distribution is
counted from them too.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from nofakes.supply.model import Document, Edge, EdgeKind, Node, Role

CUSTOMER_FACING = frozenset({Role.customer, Role.retailer, Role.marketplace, Role.seller})
PRODUCTION = frozenset({Role.manufacturer, Role.contract_manufacturer, Role.supplier, Role.licensee})
TIER_EDGE_KINDS = frozenset(k.value for k in EdgeKind if k is not EdgeKind.returns)


class Adjacency:
    """Who passes goods to whom, and by which edge kinds: the graph as traversals read it.

    `out(node)` maps each partner `node` sends to onto the kinds of those edges; `into(node)` the
    same for partners sending to `node`. Over the graph's own data, not a copy: never modify it.
    """

    __slots__ = ("into", "out")

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        # networkx's own dicts behind `graph.succ` / `graph.pred` (read only here): the read-only views
        # over them cost a Python call per step, and path rules take millions of steps at 100k partners
        self.out: Callable[[str], Mapping[str, Collection[str]]] = graph._succ.__getitem__
        self.into: Callable[[str], Mapping[str, Collection[str]]] = graph._pred.__getitem__

    @classmethod
    def from_maps(cls, out: Mapping[str, Mapping[str, Collection[str]]],
                  into: Mapping[str, Mapping[str, Collection[str]]]) -> Adjacency:
        """From plain maps (node -> partner -> kinds), e.g. the edges that carry one product."""
        adjacency = cls.__new__(cls)
        empty: Mapping[str, Collection[str]] = {}
        adjacency.out = lambda node: out.get(node, empty)
        adjacency.into = lambda node: into.get(node, empty)
        return adjacency

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str, str]]) -> Adjacency:
        """From (from, to, kind) triples, e.g. for tests."""
        graph = nx.MultiDiGraph()
        graph.add_edges_from((u, v, kind) for u, v, kind in edges)
        return cls(graph)


@dataclass(frozen=True)
class SupplyGraph:
    graph: nx.MultiDiGraph
    nodes: Mapping[str, Node]
    tiers: Mapping[str, int | None]
    focal: tuple[str, ...]
    adjacency: Adjacency

    def edges(self) -> Iterable[Edge]:
        for _, _, edge in self.graph.edges(data="edge"):
            yield edge


def build_graph(document: Document) -> SupplyGraph:
    graph = nx.MultiDiGraph()
    nodes = {node.id: node for node in document.nodes}
    graph.add_nodes_from((node.id, {"node": node}) for node in document.nodes)
    graph.add_edges_from((e.from_, e.to, e.kind.value, {"edge": e}) for e in document.edges)
    focal = focal_nodes(document)
    brand = bool(focal) and nodes[focal[0]].role not in CUSTOMER_FACING
    return SupplyGraph(graph, nodes, compute_tiers(graph, focal, brand=brand), tuple(focal), Adjacency(graph))


def focal_nodes(document: Document) -> list[str]:
    ids = {n.id for n in document.nodes}
    if document.company.id in ids:
        return [document.company.id]
    owners = [n.id for n in document.nodes if n.role is Role.brand_owner]
    if owners:
        return owners
    return [n.id for n in document.nodes if n.role in CUSTOMER_FACING]


def _bfs(graph: nx.MultiDiGraph, sources: Mapping[str, int], upstream: bool) -> dict[str, int]:
    """Hop distance from the nearest source (each source starts at its given distance)."""
    neighbours = graph.pred if upstream else graph.succ
    distance = dict(sources)
    queue = deque(sorted(distance, key=distance.__getitem__))
    while queue:
        current = queue.popleft()
        for other, keyed in neighbours[current].items():
            if other in distance or TIER_EDGE_KINDS.isdisjoint(keyed):
                continue
            distance[other] = distance[current] + 1
            queue.append(other)
    return distance


def finished_goods_makers(graph: nx.MultiDiGraph) -> list[str]:
    """Production partners whose goods leave production (to logistics, distribution, sale)."""
    makers = []
    for node_id, node in graph.nodes(data="node"):
        if node.role not in PRODUCTION:
            continue
        for other, keyed in graph.succ[node_id].items():
            if graph.nodes[other]["node"].role not in PRODUCTION and not TIER_EDGE_KINDS.isdisjoint(keyed):
                makers.append(node_id)
                break
    return makers


def compute_tiers(graph: nx.MultiDiGraph, focal: Iterable[str], *, brand: bool = True) -> dict[str, int | None]:
    """Upstream tiers positive, downstream negative, focal 0, unconnected None.

    Production partners whose finished goods leave production without passing through the
    brand's own node (contract manufacturers shipping straight to forwarders, a licensee's
    factory) are tier 1, their suppliers tier 2, and distribution is counted from them too.
    """
    starts = {f: 0 for f in focal}
    up = _bfs(graph, starts, upstream=True)
    down_starts = dict(starts)
    if brand:
        makers = {m: 1 for m in finished_goods_makers(graph) if m not in up}
        if makers:
            up = {**_bfs(graph, {**starts, **makers}, upstream=True), **up}
            down_starts.update({m: 0 for m in makers})
    down = _bfs(graph, down_starts, upstream=False)
    tiers: dict[str, int | None] = {}
    for node_id in graph.nodes:
        if node_id in up:
            tiers[node_id] = up[node_id]
        elif node_id in down:
            tiers[node_id] = -down[node_id]
        else:
            tiers[node_id] = None
    return tiers


@dataclass(frozen=True)
class GraphSummary:
    partners: int
    by_role: dict[str, int]
    edges: int
    by_kind: dict[str, int]
    products: int
    upstream_tiers: int
    downstream_tiers: int
    untiered: int

    def one_line(self) -> str:
        roles = ", ".join(f"{count} {role}" for role, count in self.by_role.items())
        return (f"{_count(self.partners, 'partner')}{f' ({roles})' if roles else ''}; "
                f"{_count(self.edges, 'edge')}; {_count(self.products, 'product')}; "
                f"tiers: {self.upstream_tiers} upstream, {self.downstream_tiers} downstream"
                + (f", {self.untiered} unconnected to the company" if self.untiered else ""))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summarize(document: Document, supply: SupplyGraph) -> GraphSummary:
    by_role = Counter(n.role.value for n in document.nodes)
    by_kind = Counter(e.kind.value for e in document.edges)
    tiers = [t for t in supply.tiers.values() if t is not None]
    return GraphSummary(
        partners=len(document.nodes),
        by_role=dict(sorted(by_role.items(), key=lambda kv: (-kv[1], kv[0]))),
        edges=len(document.edges),
        by_kind=dict(sorted(by_kind.items())),
        products=len(document.products),
        upstream_tiers=max([t for t in tiers if t > 0], default=0),
        downstream_tiers=-min([t for t in tiers if t < 0], default=0),
        untiered=sum(1 for t in supply.tiers.values() if t is None),
    )
