"""What rules look at: one view per subject, and the field roots each target exposes.

- node rules read the node's own fields plus `tier` (see nofakes.supply.graph) and `critical`
  (the partner handles a critical product: one on its own `products` list or on a goods edge
  into or out of it; `applies_to.category` uses the same products);
- edge rules read the edge's fields plus `from.*` and `to.*` (the endpoint nodes) and
  `critical` (the edge carries a critical product);
- product rules read the product's fields;
- company rules read `company.*`, `node.*` (the company's own node, when the file has
  one), and the lists `nodes`, `edges`, `products` (for count quantifiers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nofakes.rules import ScopeType, model_roots, step
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.model import Company, Document, Edge, EdgeKind, Node, Product, Role


@dataclass(frozen=True, slots=True)
class NodeView:
    node: Node
    tier: int | None
    critical: bool
    categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class EdgeView:
    edge: Edge
    source: NodeView
    target: NodeView
    critical: bool
    categories: frozenset[str]

    @property
    def subject(self) -> str:
        return f"{self.edge.from_}->{self.edge.to}"


@dataclass(frozen=True, slots=True)
class CompanyView:
    company: Company
    node: Node | None
    document: Document


def _node_roots() -> dict[str, Any]:
    roots = model_roots(Node)
    roots.update({"tier": int | None, "critical": bool})
    return roots


def _resolve_node(view: NodeView, name: str) -> Any:
    if name == "tier":
        return view.tier
    if name == "critical":
        return view.critical
    return getattr(view.node, name, None)


def _edge_roots() -> dict[str, Any]:
    roots = model_roots(Edge)
    roots.update({"from": Node, "to": Node, "critical": bool})
    return roots


def _resolve_edge(view: EdgeView, name: str) -> Any:
    if name == "from":
        return view.source.node
    if name == "to":
        return view.target.node
    if name == "critical":
        return view.critical
    return step(view.edge, name)


def _resolve_company(view: CompanyView, name: str) -> Any:
    if name == "company":
        return view.company
    if name == "node":
        return view.node
    return getattr(view.document, name, None)


NODE_SCOPE = ScopeType("node", _node_roots(), _resolve_node)
EDGE_SCOPE = ScopeType("edge", _edge_roots(), _resolve_edge)
PRODUCT_SCOPE = ScopeType(
    "product", model_roots(Product), lambda p, name: getattr(p, name, None)
)
COMPANY_SCOPE = ScopeType(
    "company",
    {"company": Company, "node": Node | None, "nodes": list[Node], "edges": list[Edge], "products": list[Product]},
    _resolve_company,
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


def handled_products(document: Document) -> dict[str, set[str]]:
    """What each partner handles beyond its own `products` list (README: The supply chain file): the
    products on goods edges into or out of it (`lists_on` carries listings, not goods), for the partners
    whose list does not already name them all. One pass over the edges."""
    own = {n.id: frozenset(n.products) for n in document.nodes}
    extra: dict[str, set[str]] = {}
    for edge in document.edges:
        products = edge.products
        if products and edge.kind is not EdgeKind.lists_on:  # identity: an Enum's hash runs Python code
            for end in (edge.from_, edge.to):
                if not own[end].issuperset(products):
                    extra.setdefault(end, set()).update(products)
    return extra


def build_subjects(document: Document, supply: SupplyGraph) -> Subjects:
    critical = frozenset(p.id for p in document.products if p.critical)
    category = {p.id: p.category for p in document.products if p.category}
    extra = handled_products(document)
    described: dict[tuple[str, ...], tuple[bool, frozenset[str]]] = {}  # product lists repeat: word each once

    def describe(products: tuple[str, ...]) -> tuple[bool, frozenset[str]]:
        """(handles a critical product, the categories of what it handles)."""
        found = described.get(products)
        if found is None:
            found = described[products] = (not critical.isdisjoint(products),
                                            frozenset(category[p] for p in products if p in category))
        return found

    tiers = supply.tiers
    nodes = {}
    for n in document.nodes:
        handles = tuple(n.products) if n.id not in extra else (*n.products, *sorted(extra[n.id]))
        nodes[n.id] = NodeView(n, tiers.get(n.id), *describe(handles))
    edges = [EdgeView(e, nodes[e.from_], nodes[e.to], *describe(tuple(e.products))) for e in document.edges]
    by_role: dict[Role, list[NodeView]] = {}
    for view in nodes.values():
        by_role.setdefault(view.node.role, []).append(view)
    own = document.company.id
    return Subjects(nodes, edges, list(document.products),
                    CompanyView(document.company, nodes[own].node if own in nodes else None, document), by_role,
                    {(v.edge.from_, v.edge.to, v.edge.kind._value_): v for v in edges})  # _value_: no property call
