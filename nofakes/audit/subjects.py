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
    source: Node  # the partners at its ends
    target: Node
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
        return view.source
    if name == "to":
        return view.target
    if name == "critical":
        return view.critical
    return step(view.edge, name)


def _resolve_company(view: CompanyView, name: str) -> Any:
    if name == "company":
        return view.company
    if name == "node":
        return view.node
    return getattr(view.document, name, None)


NODE_SCOPE = ScopeType("node", _node_roots(), _resolve_node, model=Node)
EDGE_SCOPE = ScopeType("edge", _edge_roots(), _resolve_edge, model=Edge)
PRODUCT_SCOPE = ScopeType(
    "product", model_roots(Product), lambda p, name: getattr(p, name, None), model=Product
)
COMPANY_SCOPE = ScopeType(
    "company",
    {"company": Company, "node": Node | None, "nodes": list[Node], "edges": list[Edge], "products": list[Product]},
    _resolve_company,
    graph_sized={"nodes": "partner", "edges": "link", "products": "product"},  # nested quantifiers are quadratic
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
    edges: list[EdgeView] = []
    by_edge: dict[tuple[str, str, str], EdgeView] = {}
    for e in document.edges:
        products, source, target, kind = e.products, e.from_, e.to, e.kind
        view = EdgeView(e, models[source], models[target], not critical.isdisjoint(products),
                        frozenset(filter(None, map(categories_of, products))))
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
        nodes[n.id] = node_view = NodeView(n, tiers.get(n.id), not critical.isdisjoint(handles),
                                           frozenset(filter(None, map(categories_of, handles))))
        by_role.setdefault(n.role, []).append(node_view)
    company = document.company.id
    return Subjects(nodes, edges, list(document.products),
                    CompanyView(document.company, models.get(company), document), by_role, by_edge)
