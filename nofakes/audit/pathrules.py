"""Path rules (`target: path`): compiling their specs and evaluating them, whole-graph or per product.

Without `path.products` a rule is one traversal of the whole graph (`nofakes.audit.paths`) and its
subjects are the end partners. With `path.products: CONDITION` it follows every product that
satisfies the condition separately, only along the edges that carry that product (`Goods.carries`),
from the start partners with such an edge to the end partners that handle the product; the
subjects are (end partner, product) pairs, named `END@PRODUCT` (the same id in waivers and in
baseline fingerprints), and a failure's reason starts "for <product name>: ...". The cost is one
traversal per matching product over the edges carrying it: linear in the (edge, product)
incidences, plus the end partners' (partner, product) incidences.

`path.limit` (count along a path) and `path.after` (an order constraint) are no_bad_path
constraints: a path that breaks them is a bad path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nofakes.audit.paths import Limit, Order, anything_goes, evaluate_path_rule
from nofakes.audit.subjects import EDGE_SCOPE, NODE_SCOPE, PRODUCT_SCOPE, EdgeView, NodeView, Subjects
from nofakes.packs.model import MAX_PATH_LIMIT, PathSpec
from nofakes.rules import Check, ConditionError, Fail, Outcome
from nofakes.rules.values import constant_of
from nofakes.supply.graph import Adjacency
from nofakes.supply.model import Node, Product

if TYPE_CHECKING:
    from nofakes.audit.compile import CompiledRule, RuleCompiler

Record = Callable[[Any, Outcome, tuple[str, ...]], None]


@dataclass(frozen=True, slots=True)
class ProductEnd:
    """The subject of a product-scoped path rule: one end partner and one product it handles."""

    view: NodeView
    product: Product

    @property
    def node(self) -> Node:
        return self.view.node

    @property
    def tier(self) -> int | None:
        return self.view.tier

    @property
    def subject(self) -> str:
        return f"{self.view.node.id}@{self.product.id}"

    @property
    def name(self) -> str:
        return f"{self.view.node.name} ({self.product.name})"


@dataclass(frozen=True)
class PathChecks:
    """What `products`, `limit` and `after` of a path spec compiled to (each None when absent)."""

    products: Check | None = None
    limit_at_most: int = 0
    limit_nodes: Check | None = None  # holds when a partner does not count; fails in words when it does
    limit_edges: Check | None = None
    order_first: Check | None = None  # the same for the order's two hops
    order_then: Check | None = None
    order_between: Check | None = None
    order_needed: str = ""


def compile_path_checks(compiler: RuleCompiler, spec: PathSpec) -> PathChecks:
    """The compiled `products`, `limit` and `after`; their errors are recorded or raised, located."""
    base = (*compiler.base, "path")
    if spec.mode != "no_bad_path":
        for name in ("limit", "after"):
            if getattr(spec, name) is not None:
                raise ConditionError((*base, name), f"'{name}' in a {spec.mode} rule",
                                     expected="mode: no_bad_path (a path that breaks the limit or the order is "
                                              "a bad path)")
    products = compiler.condition(spec.products, PRODUCT_SCOPE, "path", "products") if spec.products else None
    checks: dict[str, Any] = {"products": products}
    if spec.limit is not None:
        limit = spec.limit
        if (limit.nodes is None) == (limit.edges is None):
            raise ConditionError((*base, "limit"), "a limit needs exactly one of 'nodes' and 'edges'",
                                 expected="{nodes: CONDITION, at_most: N} or {edges: CONDITION, at_most: N}")
        checks["limit_at_most"] = _at_most(limit.at_most, (*base, "limit", "at_most"), compiler.params)
        if limit.nodes is not None:
            checks["limit_nodes"] = compiler.forbidden(limit.nodes, NODE_SCOPE, "path", "limit", "nodes")
        else:
            checks["limit_edges"] = compiler.forbidden(limit.edges, EDGE_SCOPE, "path", "limit", "edges")
    if spec.after is not None:
        after = spec.after
        checks["order_first"] = compiler.forbidden(after.edge, EDGE_SCOPE, "path", "after", "edge")
        checks["order_then"] = compiler.forbidden(after.then_edge, EDGE_SCOPE, "path", "after", "then_edge")
        checks["order_between"] = compiler.condition(after.require_between, NODE_SCOPE, "path", "after",
                                                     "require_between")
        checks["order_needed"] = compiler.words(after.require_between, NODE_SCOPE, "path", "after",
                                                "require_between")
    return PathChecks(**checks)


def _at_most(value: Any, loc: Sequence[str | int], params: Mapping[str, Any]) -> int:
    """The limit: a whole number from 0 to MAX_PATH_LIMIT, written or from a parameter."""
    number = constant_of(value, tuple(loc), [], params)
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_PATH_LIMIT:
        raise ConditionError(loc, f"found {number!r}", expected=f"a whole number from 0 to {MAX_PATH_LIMIT} "
                                                               "(each counted partner or hop is a traversal state)")
    return number


def _violation(stack: tuple[Any, ...], *checks: Check | None) -> str | None:
    """Why a node or edge may not be on a path (or counts against a limit), or None. Missing
    evidence counts against it.

    The checks are the path's conditions as compiled: a forbidden condition compiled to hold when it
    is not met (and fail in its own words when it is), a required one as it is.
    """
    for check in checks:
        if check is not None:
            result = check(stack)
            if result is not True:
                return result.reason  # type: ignore[union-attr]
    return None


def _node_check(nodes: dict[str, NodeView], *checks: Check | None) -> Callable[[str], str | None]:
    """Why a partner is not allowed (or counts), computed at most once per partner and rule."""
    if not any(checks):
        return anything_goes
    memo: dict[str, str | None] = {}

    def get(node_id: str) -> str | None:
        why = memo.get(node_id, _UNKNOWN)
        if why is _UNKNOWN:
            why = memo[node_id] = _violation((nodes[node_id],), *checks)
        return why  # type: ignore[return-value]

    return get


_UNKNOWN = object()  # not looked at yet


EdgeCheck = Callable[[str, str, str], str | None]


def _edge_check(edges: dict[tuple[str, str, str], EdgeView], *checks: Check | None) -> EdgeCheck:
    if not any(checks):
        return anything_goes
    memo: dict[tuple[str, str, str], str | None] = {}

    def get(u: str, v: str, kind: str) -> str | None:
        key = (u, v, kind)
        why = memo.get(key, _UNKNOWN)
        if why is _UNKNOWN:
            why = memo[key] = _violation((edges[key],), *checks)
        return why  # type: ignore[return-value]

    return get


def _node_holds(nodes: dict[str, NodeView], check: Check) -> Callable[[str], bool]:
    memo: dict[str, bool] = {}

    def get(node_id: str) -> bool:
        if node_id not in memo:
            memo[node_id] = check((nodes[node_id],)) is True
        return memo[node_id]

    return get


def _constraints(checks: PathChecks, subjects: Subjects) -> tuple[Limit | None, Order | None]:
    nodes, edges = subjects.nodes, subjects.by_edge
    limit = None
    if checks.limit_nodes is not None:
        limit = Limit(checks.limit_at_most, node=_node_check(nodes, checks.limit_nodes))
    elif checks.limit_edges is not None:
        limit = Limit(checks.limit_at_most, edge=_edge_check(edges, checks.limit_edges))
    order = None
    if checks.order_first is not None and checks.order_then is not None and checks.order_between is not None:
        order = Order(_edge_check(edges, checks.order_first), _edge_check(edges, checks.order_then),
                      _node_holds(nodes, checks.order_between), checks.order_needed)
    return limit, order


def evaluate_path(compiled: CompiledRule, candidates: Sequence[NodeView], record: Record, subjects: Subjects,
                  graph: Adjacency) -> None:
    """Record the outcome of every end partner (or (end, product) pair) a traversal decides."""
    spec = compiled.rule.path
    checks = compiled.path_checks
    assert spec is not None and compiled.start is not None and checks is not None
    nodes = subjects.nodes
    node_bad = _node_check(nodes, compiled.node_bad, compiled.node_required)
    edge_bad = _edge_check(subjects.by_edge, compiled.edge_bad, compiled.edge_required)
    limit, order = _constraints(checks, subjects)
    follow = frozenset(k.value for k in spec.follow)
    ends = {view.node.id: view for view in candidates if compiled.applies(view)}

    def name(node_id: str) -> str:
        return nodes[node_id].node.name

    def run(adjacency: Adjacency, starts: list[str], end_ids: set[str]) -> dict[str, Any]:
        return evaluate_path_rule(adjacency, starts, end_ids, follow, mode=spec.mode, max_hops=spec.max_hops,
                                  node_bad=node_bad, edge_bad=edge_bad, name=name, limit=limit, order=order)

    if checks.products is None:
        starts = [nid for nid, view in nodes.items() if compiled.start(view)]
        outcomes = run(graph, starts, set(ends))
        for end_id in sorted(outcomes):
            _record(record, ends[end_id], outcomes[end_id], "")
        return
    matching = checks.products
    products = [p for p in subjects.products if matching((p,)) is True]
    wanted = {p.id for p in products}
    ends_of: dict[str, set[str]] = {}  # product id -> end partners that handle it
    for end_id in ends:
        for product_id in subjects.goods.handled.get(end_id, ()):
            if product_id in wanted:
                ends_of.setdefault(product_id, set()).add(end_id)
    start_memo: dict[str, bool] = {}

    def is_start(node_id: str) -> bool:
        if node_id not in start_memo:
            start_memo[node_id] = compiled.start is not None and compiled.start(nodes[node_id])
        return start_memo[node_id]

    graphs = product_graphs(subjects)
    for product in products:
        end_ids = ends_of.get(product.id)
        if not end_ids:
            continue
        adjacency, senders = graphs.get(product.id)
        outcomes = run(adjacency, [n for n in senders if is_start(n)], end_ids)
        for end_id in sorted(outcomes):
            _record(record, ProductEnd(ends[end_id], product), outcomes[end_id], f"for {product.name}: ")


class ProductGraphs:
    """Per product id: the edges that carry it, and the partners that send it, in file order.

    Kept on the audit's `Goods` (`product_graphs`): one pass over the edges lists each product's
    carrying edges; a product's adjacency is built the first time a rule follows that product, so
    rules that follow a few products (the critical ones) pay for those only.
    """

    def __init__(self, subjects: Subjects) -> None:
        goods = subjects.goods
        self._edges: dict[str, list[tuple[str, str, str]]] = {}
        edges = self._edges
        for view in subjects.edges:
            edge = view.edge
            hop = (edge.from_, edge.to, edge.kind._value_)
            for product_id in goods.carried(edge):
                carrying = edges.get(product_id)
                if carrying is None:
                    edges[product_id] = [hop]
                else:
                    carrying.append(hop)
        self._built: dict[str, tuple[Adjacency, tuple[str, ...]]] = {}

    def get(self, product_id: str) -> tuple[Adjacency, tuple[str, ...]]:
        """The product's adjacency (forwards and backwards) and its senders; empty when no edge carries it."""
        built = self._built.get(product_id)
        if built is None:
            out: dict[str, dict[str, set[str]]] = {}
            into: dict[str, dict[str, set[str]]] = {}
            for u, v, kind in self._edges.get(product_id, ()):
                out.setdefault(u, {}).setdefault(v, set()).add(kind)
                into.setdefault(v, {}).setdefault(u, set()).add(kind)
            built = self._built[product_id] = (Adjacency.from_maps(out, into), tuple(out))
        return built


def product_graphs(subjects: Subjects) -> ProductGraphs:
    """The audit's product graphs (built once per audit, kept on its `Goods`)."""
    goods = subjects.goods
    cached = goods.cache.get("product_graphs")
    if cached is None:
        cached = goods.cache["product_graphs"] = ProductGraphs(subjects)
    return cached  # type: ignore[no-any-return]


def _record(record: Record, view: NodeView | ProductEnd, outcome: Any, prefix: str) -> None:
    reason = outcome.reason
    result: Outcome = True if outcome.status == "pass" else Fail(
        prefix + reason, missing=": no evidence of " in reason or reason.startswith("no evidence of "))
    record(view, result, outcome.path)
