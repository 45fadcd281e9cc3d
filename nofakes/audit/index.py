"""Candidate subjects of a rule, selected through indexes by the facets its `applies_to` names.

A node rule with `applies_to: {role: [broker], category: [electronics]}` is evaluated only on the
brokers that handle electronics: the role index gives the brokers, and the category test runs once
per distinct selection, not once per rule. Edges are indexed by kind, then filtered by the roles
of their ends and by category; products by category. Every selection is cached for the audit, so
rules with the same facets share it, and so do rules with the same facets and the same
`applies_to.where` (see `applicable`). What a selection guarantees, the rule's `applies_to` filter
no longer tests (see `RuleTarget.filters`); `where` is always tested per subject.

Selections are in a fixed order (nodes role by role in the order the rule lists them, edges kind
by kind, each in file order; products in file order). Findings are sorted by subject afterwards
and counts do not depend on it, so the order never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from nofakes.supply.model import EdgeKind

if TYPE_CHECKING:
    from nofakes.audit.subjects import EdgeView, NodeView
    from nofakes.supply.model import Product

Facet = frozenset[Any] | None  # the values a rule allows (None: not restricted)


def facet(values: Sequence[Any] | None) -> Facet:
    return frozenset(values) if values else None


class CandidateIndex:
    """Indexes over one audit's subjects, built on first use; one cached list per selection."""

    def __init__(self, nodes: Sequence[NodeView], edges: Sequence[EdgeView], products: Sequence[Product],
                 by_role: dict[Any, list[NodeView]]):
        self._nodes, self._edges, self._products, self._by_role = nodes, edges, products, by_role
        self._by_kind: dict[Any, list[EdgeView]] | None = None
        self._cache: dict[tuple[Any, ...], list[Any]] = {}
        self._applicable: dict[tuple[Any, ...], tuple[Sequence[Any], list[Any]]] = {}

    def nodes(self, roles: Sequence[Any] | None, categories: Facet) -> list[NodeView]:
        """Nodes with one of `roles` (in that order, each role's in file order; None: any role, an empty
        list: none) handling one of `categories`."""
        ordered = tuple(dict.fromkeys(roles)) if roles is not None else None
        key = ("node", ordered, categories)
        selected = self._cache.get(key)
        if selected is None:
            if ordered is None:
                base: list[NodeView] = list(self._nodes)
            else:
                base = [view for role in ordered for view in self._by_role.get(role, ())]
            if categories is not None:
                base = [view for view in base if not categories.isdisjoint(view.categories)]
            selected = self._cache[key] = base
        return selected

    def edges(self, kinds: Facet, from_roles: Facet, to_roles: Facet, categories: Facet) -> list[EdgeView]:
        """Edges of one of `kinds` (kind by kind, each in file order), between the given roles,
        carrying one of `categories`."""
        key = ("edge", kinds, from_roles, to_roles, categories)
        selected = self._cache.get(key)
        if selected is None:
            if kinds is None:
                base: list[EdgeView] = list(self._edges)
            else:
                by_kind = self._edges_by_kind()
                base = [view for kind in EdgeKind if kind in kinds for view in by_kind.get(kind, ())]
            if from_roles is not None:
                base = [view for view in base if view.source.role in from_roles]
            if to_roles is not None:
                base = [view for view in base if view.target.role in to_roles]
            if categories is not None:
                base = [view for view in base if not categories.isdisjoint(view.categories)]
            selected = self._cache[key] = base
        return selected

    def products(self, categories: Facet) -> list[Product]:
        key = ("product", categories)
        selected = self._cache.get(key)
        if selected is None:
            selected = self._cache[key] = [p for p in self._products
                                           if categories is None or p.category in categories]
        return selected

    def applicable(self, candidates: Sequence[Any], where_key: str, applies: Callable[[Any], bool]) -> list[Any]:
        """The candidates for which `applies` (an `applies_to.where`, identified by `where_key`) holds,
        computed once per selection and condition: rules with the same facets and `where` share it.
        `candidates` is known by its identity (the cache keeps it alive)."""
        key = ("where", id(candidates), where_key)
        entry = self._applicable.get(key)
        if entry is None or entry[0] is not candidates:  # the entry keeps its list: an id is never reused
            entry = self._applicable[key] = (candidates, [view for view in candidates if applies(view)])
        return entry[1]

    def _edges_by_kind(self) -> dict[Any, list[EdgeView]]:
        if self._by_kind is None:
            by_kind: dict[Any, list[EdgeView]] = {}
            for view in self._edges:
                by_kind.setdefault(view.edge.kind, []).append(view)
            self._by_kind = by_kind
        return self._by_kind
