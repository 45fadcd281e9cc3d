"""Rule targets: one object per `target:` value, registered in `TARGETS`.

A target knows everything about its subjects that the compiler and the evaluator need: the
field scope rules read, the names message templates may use, the candidate subjects (with
role/kind pre-filters), the `applies_to` filters it supports, how a rule over it is compiled
and evaluated, the partner whose score carries a finding, and the subject's id and name.
The engine asks the target and never branches on the target. Adding a target is one class
and one line in `TARGETS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

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
Record = Callable[[Any, Outcome, tuple[str, ...]], None]  # (subject view, outcome, evidence path)


class RuleTarget:
    """The default behaviour: a subject per candidate, checked by the rule's compiled `check`."""

    target: ClassVar[Target]
    scope: ClassVar[ScopeType]
    template_roots: ClassVar[tuple[str, ...]]

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        """Subjects the rule may apply to (pre-filtered where cheap) and how many subjects there are."""
        raise NotImplementedError

    def filters(self, spec: AppliesTo) -> list[Filter]:
        """The `applies_to` tests this target supports, other than `where` and `product`."""
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
        return None

    def template_values(self, view: Any, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        raise NotImplementedError

    def compile(self, compiler: RuleCompiler) -> CompiledRule:
        return compiler.compile_check()

    def evaluate(self, compiled: CompiledRule, candidates: Sequence[Any], record: Record, subjects: Subjects,
                 graph: Adjacency) -> None:
        """Record the outcome of every applicable candidate."""
        applies, check = compiled.applies, compiled.check
        assert check is not None
        for view in candidates:
            if applies(view):
                record(view, check((view,)), ())


def _roles_and_categories(spec: AppliesTo) -> list[Filter]:
    checks: list[Filter] = []
    if spec.role:
        roles = frozenset(spec.role)
        checks.append(lambda s: s.node.role in roles)
    if spec.category:
        categories = frozenset(spec.category)
        checks.append(lambda s: not categories.isdisjoint(s.categories))
    return checks


class NodeTarget(RuleTarget):
    target = Target.node
    scope = NODE_SCOPE
    template_roots: ClassVar[tuple[str, ...]] = ("node", "tier", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        roles = rule.applies_to.role if rule.applies_to and rule.applies_to.role else None
        return _nodes_with_roles(subjects, roles), len(subjects.nodes)

    def filters(self, spec: AppliesTo) -> list[Filter]:
        return _roles_and_categories(spec)

    def subject(self, view: NodeView) -> tuple[str, str]:
        return view.node.id, view.node.name

    def partner(self, rule: Rule, view: NodeView) -> str | None:
        return view.node.id

    def products_of(self, view: NodeView) -> list[Product] | None:
        return view.handles

    def template_values(self, view: NodeView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"node": view.node, "tier": view.tier}


def _nodes_with_roles(subjects: Subjects, roles: Sequence[Any] | None) -> Sequence[NodeView]:
    if roles is None:
        return list(subjects.nodes.values())
    return [view for role in dict.fromkeys(roles) for view in subjects.by_role.get(role, [])]


class PathTarget(NodeTarget):
    """Graph structure: the subjects are the path ends (or (end, product) pairs with `path.products`);
    one multi-source traversal per rule (per matching product), see nofakes.audit.pathrules."""

    target = Target.path
    template_roots = ("node", "start", "param", "path", "hops")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        roles = rule.applies_to.role if rule.applies_to and rule.applies_to.role else None
        if rule.path is not None and rule.path.end.role:
            roles = [r for r in rule.path.end.role if roles is None or r in roles]
        total = len(subjects.nodes)
        if rule.path is not None and rule.path.products is not None:  # subjects: (partner, product handled)
            total = sum(map(len, subjects.goods.handled.values()))
        return _nodes_with_roles(subjects, roles), total

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

    def compile(self, compiler: RuleCompiler) -> CompiledRule:
        return compiler.compile_path()

    def evaluate(self, compiled: CompiledRule, candidates: Sequence[Any], record: Record, subjects: Subjects,
                 graph: Adjacency) -> None:
        evaluate_path(compiled, candidates, record, subjects, graph)


class EdgeTarget(RuleTarget):
    target = Target.edge
    scope = EDGE_SCOPE
    template_roots = ("edge", "from", "to", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        edges = subjects.edges
        if rule.applies_to and rule.applies_to.kind:
            kinds = frozenset(rule.applies_to.kind)
            return [v for v in edges if v.edge.kind in kinds], len(edges)
        return edges, len(edges)

    def filters(self, spec: AppliesTo) -> list[Filter]:
        checks: list[Filter] = []
        if spec.kind:
            kinds = frozenset(spec.kind)
            checks.append(lambda s: s.edge.kind in kinds)
        if spec.from_role:
            from_roles = frozenset(spec.from_role)
            checks.append(lambda s: s.source.role in from_roles)
        if spec.to_role:
            to_roles = frozenset(spec.to_role)
            checks.append(lambda s: s.target.role in to_roles)
        if spec.category:
            categories = frozenset(spec.category)
            checks.append(lambda s: not categories.isdisjoint(s.categories))
        return checks

    def subject(self, view: EdgeView) -> tuple[str, str]:
        return view.subject, f"{view.source.name} -> {view.target.name}"

    def edge_kind(self, view: EdgeView) -> str | None:
        return view.edge.kind.value

    def products_of(self, view: EdgeView) -> list[Product] | None:
        return view.carries

    def partner(self, rule: Rule, view: EdgeView) -> str | None:
        return view.edge.from_ if rule.responsible == "from" else view.edge.to

    def template_values(self, view: EdgeView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"edge": view.edge, "from": view.source, "to": view.target}


class ProductTarget(RuleTarget):
    target = Target.product
    scope = PRODUCT_SCOPE
    template_roots = ("product", "param")

    def candidates(self, rule: Rule, subjects: Subjects) -> tuple[Sequence[Any], int]:
        return subjects.products, len(subjects.products)

    def filters(self, spec: AppliesTo) -> list[Filter]:
        if not spec.category:
            return []
        categories = frozenset(spec.category)
        return [lambda s: s.category in categories]

    def subject(self, view: Product) -> tuple[str, str]:
        return view.id, view.name

    def template_values(self, view: Product, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"product": view}


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

    def partner(self, rule: Rule, view: CompanyView) -> str | None:
        return view.node.id if view.node is not None else None

    def template_values(self, view: CompanyView, evidence: tuple[str, ...], subjects: Subjects) -> dict[str, Any]:
        return {"company": view.company, "node": view.node}


TARGETS: dict[Target, RuleTarget] = {
    Target.node: NodeTarget(),
    Target.edge: EdgeTarget(),
    Target.product: ProductTarget(),
    Target.company: CompanyTarget(),
    Target.path: PathTarget(),
}
