"""What rules look at: one view per subject, and the field roots each target exposes.

- node rules read the node's own fields plus `tier` (see nofakes.supply.graph), `critical`
  (the partner handles a critical product: one on its own `products` list or on a goods edge
  into or out of it; `applies_to.category` uses the same products) and `handles` (those
  products, as product records);
- edge rules read the edge's fields plus `from.*` and `to.*` (the endpoint nodes),
  `critical` (the edge's `products` list names a critical product) and `carries` (the
  product records the edge carries: its `products` list; a goods edge without one carries
  every product both its partners handle, see `Goods.carries`);
- node and edge rules read `risk` too, the computed counterfeit risk (see nofakes.audit.riskroot);
  node rules read `screening`, the partner's matches on screening lists (nofakes.audit.screening);
- product rules read the product's fields;
- company rules read `company.*`, `node.*` (the company's own node, when the file has
  one), and the lists `nodes`, `edges`, `products` (for count quantifiers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from nofakes.audit.index import CandidateIndex
from nofakes.audit.riskroot import REFUSED_EDGE, REFUSED_NODE, FlowRiskRoot, PartnerRiskRoot, refused_elsewhere
from nofakes.audit.screening import ScreeningRoot, refusals
from nofakes.rules import ScopeType, model_roots, step
from nofakes.rules.fields import model_attribute, model_reader
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.model import Company, Document, Edge, EdgeKind, Node, Product, Role


class Goods:
    """What each partner handles and each edge carries, as product records: one per audit.

    A partner handles its own `products` and every product on a goods edge into or out of it.
    An edge carries the products on its `products` list; a goods edge (any kind but
    `lists_on`) with no list carries every product both its partners handle, so a chain
    described only on its nodes is followed product by product as well as one described on its
    edges. The views hold a reference and read it on demand, so nothing is built for rules that
    never ask.
    """

    __slots__ = ("products", "handled", "sets", "cache")

    def __init__(self, products: list[Product]) -> None:
        self.products = {p.id: p for p in products}
        self.handled: dict[str, list[str]] = {}  # node id -> product ids, filled by build_subjects
        self.sets: dict[str, frozenset[str]] = {}  # node id -> what it handles, as a set (built on first use)
        self.cache: dict[str, Any] = {}  # indexes built on first use (per-product graphs of path rules)

    def handles(self, node_id: str) -> list[Product]:
        products = self.products
        return [products[p] for p in self.handled.get(node_id, ()) if p in products]

    def carried(self, edge: Edge) -> list[str]:
        """Product ids the edge carries: its list, else what both partners handle (in the order of the
        partner that handles fewer, in time proportional to that number)."""
        if edge.products or edge.kind is EdgeKind.lists_on:
            return edge.products
        sender, receiver = self.handled.get(edge.from_, ()), self.handled.get(edge.to, ())
        if len(sender) <= len(receiver):
            both = self._set(edge.to)
            return [p for p in sender if p in both]
        both = self._set(edge.from_)
        return [p for p in receiver if p in both]

    def _set(self, node_id: str) -> frozenset[str]:
        cached = self.sets.get(node_id)
        if cached is None:
            cached = self.sets[node_id] = frozenset(self.handled.get(node_id, ()))
        return cached

    def carries(self, edge: Edge) -> list[Product]:
        products = self.products
        return [products[p] for p in self.carried(edge) if p in products]


NO_GOODS = Goods([])


@dataclass(frozen=True, slots=True)
class NodeView:
    node: Node
    tier: int | None
    critical: bool
    categories: frozenset[str]
    goods: Goods = NO_GOODS
    place: int = -1  # the partner's place among the audit's partners (the partner tally's columns)

    @property
    def handles(self) -> list[Product]:
        return self.goods.handles(self.node.id)


@dataclass(frozen=True, slots=True)
class EdgeView:
    edge: Edge
    source: Node  # the partners at its ends
    target: Node
    critical: bool
    categories: frozenset[str]
    source_place: int  # the places of its partners among the audit's partners (the partner tally's columns)
    target_place: int
    goods: Goods = NO_GOODS

    @property
    def subject(self) -> str:
        return f"{self.edge.from_}->{self.edge.to}"

    @property
    def carries(self) -> list[Product]:
        return self.goods.carries(self.edge)


@dataclass(frozen=True, slots=True)
class CompanyView:
    company: Company
    node: Node | None
    document: Document


def _node_roots() -> dict[str, Any]:
    roots = model_roots(Node)
    roots.update({"tier": int | None, "critical": bool, "handles": list[Product], "risk": PartnerRiskRoot | None,
                  "screening": ScreeningRoot | None})
    return roots


def _resolve_node(view: NodeView, name: str) -> Any:
    if name == "tier":
        return view.tier
    if name == "critical":
        return view.critical
    if name == "handles":
        return view.handles
    return getattr(view.node, name, None)


def _edge_roots() -> dict[str, Any]:
    roots = model_roots(Edge)
    roots.update({"from": Node, "to": Node, "critical": bool, "carries": list[Product], "risk": FlowRiskRoot | None})
    return roots


def _resolve_edge(view: EdgeView, name: str) -> Any:
    if name == "from":
        return view.source
    if name == "to":
        return view.target
    if name == "critical":
        return view.critical
    if name == "carries":
        return view.carries
    return step(view.edge, name)


def _resolve_company(view: CompanyView, name: str) -> Any:
    if name == "company":
        return view.company
    if name == "node":
        return view.node
    return getattr(view.document, name, None)


def _node_reader(name: str) -> Callable[[Any], Any] | None:
    """What `_resolve_node` reads, as one C-level attribute getter."""
    if name in ("tier", "critical"):
        return attrgetter(name)
    attribute = model_attribute(Node, name)
    return attrgetter(f"node.{attribute}") if attribute else None


def _edge_reader(name: str) -> Callable[[Any], Any] | None:
    """What `_resolve_edge` reads, as one C-level attribute getter."""
    special = {"from": "source", "to": "target", "critical": "critical"}.get(name)
    if special:
        return attrgetter(special)
    attribute = model_attribute(Edge, name)
    return attrgetter(f"edge.{attribute}") if attribute else None


# `risk` and `screening` are read through the scope a rule is compiled against (riskroot.bound,
# screening.bound_screening), never `resolve`
NODE_SCOPE = ScopeType("node", _node_roots(), _resolve_node, model=Node, reader=_node_reader, refused=REFUSED_NODE)
EDGE_SCOPE = ScopeType("edge", _edge_roots(), _resolve_edge, model=Edge, reader=_edge_reader,
                       refused={**REFUSED_EDGE, **refusals("a link")})
PRODUCT_SCOPE = ScopeType(
    "product", model_roots(Product), lambda p, name: getattr(p, name, None), model=Product,
    reader=model_reader(Product), refused={**refused_elsewhere("a product"), **refusals("a product")},
)
COMPANY_SCOPE = ScopeType(
    "company",
    {"company": Company, "node": Node | None, "nodes": list[Node], "edges": list[Edge], "products": list[Product]},
    _resolve_company,
    graph_sized={"nodes": "partner", "edges": "link", "products": "product"},  # nested quantifiers are quadratic
    refused={**refused_elsewhere("a company rule"), **refusals("a company rule")},
)

@dataclass(frozen=True)
class Subjects:
    """Views of every subject of one document, built once per audit."""

    nodes: dict[str, NodeView]
    edges: list[EdgeView]
    products: list[Product]
    company: CompanyView
    by_role: dict[Role, list[NodeView]]  # node views per role, in file order (candidate pre-filter)
    by_edge: dict[tuple[str, str, str], EdgeView]  # (from, to, kind) -> view, for path rules
    index: CandidateIndex  # candidate subjects by the facets of an applies_to (nofakes.audit.index)
    goods: Goods = NO_GOODS  # what partners handle and edges carry (product-scoped rules)


def build_subjects(document: Document, supply: SupplyGraph) -> Subjects:
    """Every subject's view, in one pass over the edges and one over the nodes.

    What a partner handles (README: The supply chain file) is its own `products` list plus every
    product on a goods edge into or out of it (`lists_on` carries listings, not goods).
    """
    critical = frozenset(p.id for p in document.products if p.critical)
    category = {p.id: p.category for p in document.products if p.category}
    categories_of = category.get  # map/filter over it run in C: this is the hot loop of large graphs
    lists_on = EdgeKind.lists_on
    models = {n.id: n for n in document.nodes}
    own = {n.id: frozenset(n.products) for n in document.nodes}
    extra: dict[str, set[str]] = {}  # what a partner handles beyond its own list
    goods = Goods(document.products)
    handled = goods.handled
    edges: list[EdgeView] = []
    by_edge: dict[tuple[str, str, str], EdgeView] = {}
    places: dict[str, int] = {}  # each partner's place: the order of the views below (and of the tally)
    for n in document.nodes:
        places.setdefault(n.id, len(places))
    for e in document.edges:
        products, source, target, kind = e.products, e.from_, e.to, e.kind
        view = EdgeView(e, models[source], models[target], not critical.isdisjoint(products),
                        frozenset(filter(None, map(categories_of, products))), places[source], places[target], goods)
        edges.append(view)
        by_edge[(source, target, kind._value_)] = view  # _value_: the kind's text without a property call
        if products and kind is not lists_on:  # identity: an Enum's hash runs Python code
            if not own[source].issuperset(products):
                extra.setdefault(source, set()).update(products)
            if not own[target].issuperset(products):
                extra.setdefault(target, set()).update(products)
    tiers = supply.tiers
    nodes: dict[str, NodeView] = {}
    by_role: dict[Role, list[NodeView]] = {}
    for n in document.nodes:
        handles = n.products if n.id not in extra else [*n.products, *sorted(extra[n.id] - own[n.id])]
        handled[n.id] = handles
        nodes[n.id] = node_view = NodeView(n, tiers.get(n.id), not critical.isdisjoint(handles),
                                           frozenset(filter(None, map(categories_of, handles))), goods, places[n.id])
        by_role.setdefault(n.role, []).append(node_view)
    company = document.company.id
    catalogue = list(document.products)
    return Subjects(nodes, edges, catalogue, CompanyView(document.company, models.get(company), document), by_role,
                    by_edge, CandidateIndex(list(nodes.values()), edges, catalogue, by_role), goods)
