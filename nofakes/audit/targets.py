"""Rule targets: one object per `target:` value, registered in `TARGETS`.

A target knows everything about its subjects that the compiler and the evaluator need: the
field scope rules read, the names message templates may use, the candidate subjects (with
role/kind pre-filters), the `applies_to` filters it supports, how a rule over it is compiled
and evaluated, the partner whose score carries a finding, and the subject's id and name.
The engine asks the target and never branches on the target. Adding a target is one class
and one line in `TARGETS`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from nofakes.audit.index import facet
from nofakes.audit.pathrules import ProductEnd, evaluate_path
from nofakes.audit.subjects import (
    COMPANY_SCOPE,
    EDGE_SCOPE,
    NODE_SCOPE,
    PRODUCT_SCOPE,
    CompanyView,
    EdgeView,
    NodeView,
    Subjects,
)
from nofakes.packs.model import AppliesTo, Rule, Target
from nofakes.rules import Outcome, ScopeType
from nofakes.supply.graph import Adjacency
from nofakes.supply.model import Product

if TYPE_CHECKING:
    from nofakes.audit.compile import CompiledRule, RuleCompiler

Filter = Callable[[Any], bool]


class Recorder(Protocol):
    """Where a target's evaluation puts its outcomes (the engine counts them and keeps the failures)."""

    def record(self, view: Any, outcome: Outcome, evidence: tuple[str, ...] = ()) -> None:
        """One applicable subject's outcome (`evidence`: a path of node ids, for path rules)."""

    def record_all(self, views: Sequence[Any], outcomes: Sequence[Outcome]) -> None:
        """The outcomes of applicable subjects, in order."""


def applies_always(subject: Any) -> bool:
    """The `applies_to` test of a rule whose candidates are exactly its subjects (evaluation skips it)."""
    return True


def _no_partner(view: Any) -> None:
    return None


def _company_node(view: CompanyView) -> str | None:
    return view.node.id if view.node is not None else None


_node_id, _edge_source, _edge_target = attrgetter("node.id"), attrgetter("edge.from_"), attrgetter("edge.to")
_node_place, _source_place, _target_place = attrgetter("place"), attrgetter("source_place"), attrgetter("target_place")


class RuleTarget:
    """The default behaviour: a subject per candidate, checked by the rule's compiled `check`."""

    target: ClassVar[Target]
    scope: ClassVar[ScopeType]
    template_roots: ClassVar[tuple[str, ...]]
    edges: ClassVar[bool] = False  # its subjects are links: each finding names the link's kind (`edge_kind`)

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        """Subjects the rule may apply to and how many subjects there are. The candidates are
        selected through indexes by the facets of `applies_to` (role, kind, category ...) that
        `filters` then leaves out."""
        raise NotImplementedError

    def filters(self, spec: AppliesTo) -> list[Filter]:
        """The `applies_to` tests, other than `where`, that `candidates` does not already select by."""
        return []

    def products_of(self, view: Any) -> list[Product] | None:
        """The products `applies_to.product` looks at (None: the target has none)."""
        return None

    def message_roots(self, rule: Rule) -> tuple[str, ...]:
        """The placeholders the rule's message may use."""
        return self.template_roots

    def subject(self, view: Any) -> tuple[str, str]:
        """(subject id as waivers and baselines name it, display name)."""
        raise NotImplementedError

    def edge_kind(self, view: Any) -> str | None:
        return None

    def partner(self, rule: Rule, view: Any) -> str | None:
        """The node whose partner score carries the subject's outcome, if any."""
        return self.partner_reader(rule)(view)

    def partner_reader(self, rule: Rule) -> Callable[[Any], str | None]:
        """`partner` for one rule, as a function of the subject (called for every subject)."""
        return _no_partner

    def place_reader(self, rule: Rule, places: Mapping[str | None, int]) -> Callable[[Any], int]:
        """The place among `places` (the audit's partners, in the order of the tally) of the partner that
        carries a subject's outcome, -1 for none: a function of the subject, called for every subject."""
        partner_of, place = self.partner_reader(rule), places.get
        return lambda view: place(partner_of(view), -1)

    def template_values(self, view: Any, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        raise NotImplementedError

    def locate(self, view: Any) -> Hashable:
        """A key that names the subject among `subjects` (`view_at` gives it back): a worker process that
        evaluated a rule names the subjects of its findings by their keys (`nofakes.audit.parallel`)."""
        raise NotImplementedError

    def view_at(self, key: Any, subjects: Subjects) -> Any:
        """The subject that `locate` named `key`."""
        raise NotImplementedError

    def compile(self, compiler: RuleCompiler) -> CompiledRule:
        return compiler.compile_check()

    def evaluate(self, compiled: CompiledRule, candidates: Sequence[Any], recorder: Recorder, subjects: Subjects,
                 graph: Adjacency) -> None:
        """Record the outcome of every applicable candidate."""
        applies, check = compiled.applies, compiled.check
        assert check is not None
        views = candidates if applies is applies_always else [view for view in candidates if applies(view)]
        recorder.record_all(views, [check((view,)) for view in views])


class NodeTarget(RuleTarget):
    target = Target.node
    scope = NODE_SCOPE
    template_roots: ClassVar[tuple[str, ...]] = ("node", "tier", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        spec = rule.applies_to
        roles = spec.role if spec and spec.role else None
        return subjects.index.nodes(roles, facet(spec.category if spec else None)), len(subjects.nodes)

    def filters(self, spec: AppliesTo) -> list[Filter]:
        return []  # role and category: the candidates are selected by them

    def subject(self, view: NodeView) -> tuple[str, str]:
        return view.node.id, view.node.name

    def partner_reader(self, rule: Rule) -> Callable[[Any], str | None]:
        return _node_id

    def place_reader(self, rule: Rule, places: Mapping[str | None, int]) -> Callable[[Any], int]:
        return _node_place  # the view knows it (the tally's places are the views' own)

    def products_of(self, view: NodeView) -> list[Product] | None:
        return view.handles

    def template_values(self, view: NodeView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"node": view.node, "tier": view.tier}

    def locate(self, view: NodeView) -> Hashable:
        return view.node.id

    def view_at(self, key: Any, subjects: Subjects) -> Any:
        return subjects.nodes[key]


class PathTarget(NodeTarget):
    """Graph structure: the subjects are the path ends (or (end, product) pairs with `path.products`);
    one multi-source traversal per rule (per matching product), see nofakes.audit.pathrules."""

    target = Target.path
    template_roots = ("node", "start", "param", "path", "hops")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        spec = rule.applies_to
        roles = spec.role if spec and spec.role else None
        if rule.path is not None and rule.path.end.role:
            roles = [r for r in rule.path.end.role if roles is None or r in roles]
        total = len(subjects.nodes)
        if rule.path is not None and rule.path.products is not None:  # subjects: (partner, product handled)
            total = sum(map(len, subjects.goods.handled.values()))
        return subjects.index.nodes(roles, facet(spec.category if spec else None)), total

    def message_roots(self, rule: Rule) -> tuple[str, ...]:
        if rule.path is not None and rule.path.products is not None:
            return (*self.template_roots, "product")
        return self.template_roots

    def subject(self, view: NodeView | ProductEnd) -> tuple[str, str]:
        if isinstance(view, ProductEnd):
            return view.subject, view.name
        return view.node.id, view.node.name

    def template_values(self, view: NodeView | ProductEnd, evidence: tuple[str, ...],
                        subjects: Subjects) -> dict[str, Any]:
        names = [subjects.nodes[n].node.name for n in evidence]
        values: dict[str, Any] = {
            "node": view.node, "tier": view.tier, "start": subjects.nodes[evidence[0]].node if evidence else None,
            "path": " -> ".join(names) if names else "(no path)", "hops": max(len(evidence) - 1, 0)}
        if isinstance(view, ProductEnd):
            values["product"] = view.product
        return values

    def locate(self, view: NodeView | ProductEnd) -> Hashable:
        if isinstance(view, ProductEnd):
            return view.view.node.id, view.product.id
        return view.node.id

    def view_at(self, key: Any, subjects: Subjects) -> Any:
        if isinstance(key, tuple):
            return ProductEnd(subjects.nodes[key[0]], subjects.goods.products[key[1]])
        return subjects.nodes[key]

    def compile(self, compiler: RuleCompiler) -> CompiledRule:
        return compiler.compile_path()

    def place_reader(self, rule: Rule, places: Mapping[str | None, int]) -> Callable[[Any], int]:
        return RuleTarget.place_reader(self, rule, places)  # its subjects may be (partner, product) pairs

    def evaluate(self, compiled: CompiledRule, candidates: Sequence[Any], recorder: Recorder, subjects: Subjects,
                 graph: Adjacency) -> None:
        evaluate_path(compiled, candidates, recorder.record, subjects, graph)


class EdgeTarget(RuleTarget):
    target = Target.edge
    edges = True
    scope = EDGE_SCOPE
    template_roots = ("edge", "from", "to", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        spec = rule.applies_to
        if spec is None:
            return subjects.edges, len(subjects.edges)
        return (subjects.index.edges(facet(spec.kind), facet(spec.from_role), facet(spec.to_role),
                                     facet(spec.category)), len(subjects.edges))

    def filters(self, spec: AppliesTo) -> list[Filter]:
        return []  # kind, the roles of the ends and category: the candidates are selected by them

    def subject(self, view: EdgeView) -> tuple[str, str]:
        return view.subject, f"{view.source.name} -> {view.target.name}"

    def edge_kind(self, view: EdgeView) -> str | None:
        return view.edge.kind._value_  # _value_: `value` is a Python-level property

    def products_of(self, view: EdgeView) -> list[Product] | None:
        return view.carries

    def partner_reader(self, rule: Rule) -> Callable[[Any], str | None]:
        return _edge_source if rule.responsible == "from" else _edge_target

    def place_reader(self, rule: Rule, places: Mapping[str | None, int]) -> Callable[[Any], int]:
        return _source_place if rule.responsible == "from" else _target_place

    def template_values(self, view: EdgeView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"edge": view.edge, "from": view.source, "to": view.target}

    def locate(self, view: EdgeView) -> Hashable:
        edge = view.edge
        return edge.from_, edge.to, edge.kind._value_  # as `Subjects.by_edge` keys it

    def view_at(self, key: tuple[str, str, str], subjects: Subjects) -> EdgeView:
        return subjects.by_edge[key]


class ProductTarget(RuleTarget):
    target = Target.product
    scope = PRODUCT_SCOPE
    template_roots = ("product", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        categories = facet(rule.applies_to.category if rule.applies_to else None)
        return subjects.index.products(categories), len(subjects.products)

    def filters(self, spec: AppliesTo) -> list[Filter]:
        return []  # category: the candidates are selected by it

    def subject(self, view: Product) -> tuple[str, str]:
        return view.id, view.name

    def template_values(self, view: Product, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"product": view}

    def locate(self, view: Product) -> Hashable:
        return view.id

    def view_at(self, key: str, subjects: Subjects) -> Product:
        return subjects.goods.products[key]


class CompanyTarget(RuleTarget):
    target = Target.company
    scope = COMPANY_SCOPE
    template_roots = ("company", "node", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        return [subjects.company], 1

    def filters(self, spec: AppliesTo) -> list[Filter]:
        if not spec.role:
            return []
        roles = frozenset(spec.role)
        return [lambda s: s.node is not None and s.node.role in roles]

    def subject(self, view: CompanyView) -> tuple[str, str]:
        return view.company.id, view.company.name

    def partner_reader(self, rule: Rule) -> Callable[[Any], str | None]:
        return _company_node

    def template_values(self, view: CompanyView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"company": view.company, "node": view.node}

    def locate(self, view: CompanyView) -> Hashable:
        return None  # the one company

    def view_at(self, key: None, subjects: Subjects) -> CompanyView:
        return subjects.company


TARGETS: dict[Target, RuleTarget] = {
    Target.node: NodeTarget(),
    Target.edge: EdgeTarget(),
    Target.product: ProductTarget(),
    Target.company: CompanyTarget(),
    Target.path: PathTarget(),
}
