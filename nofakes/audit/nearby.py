"""A graph quantifier that reads the starting partner (`../`), over the part of the graph that can
reach the rule's starts.

Such a quantifier's matches depend on the start, so the general way is one traversal of the whole
graph per distinct start value (`nofakes.rules.starts`): a country read through `../` costs one
traversal per country, each testing `where` on every partner. Only the partners that can reach
a start (within `max_hops`, against the traversal) can be on its path, so:

- before a rule runs, the engine gives its candidates (`prepare`): the partners that can reach
  one of them (`reaching`) are found once, and each start value's traversal runs over those
  alone, testing `where` on those alone;
- with `max_hops`, a start whose own neighbourhood is small (at most `NEIGHBOURHOOD` partners) is
  answered from that neighbourhood without a traversal per start value;
- with `max_hops`, `upstream_any` and `downstream_any` (whose outcome is only whether a match
  reaches the start, never a path) first search from the start itself, nearest partners first,
  and stop at the first match or after `NEIGHBOURHOOD` partners: most starts meet a match within a
  few partners, and only the others need their start value's traversal;
- `where`'s top-level `all` members that do not read the start are tested once per partner; a
  partner they admit is matched per start value on the other members alone.

The traversals reach a start exactly as the whole-graph traversal does: every partner on a path to
the start is among those kept, visited in the same order with the same first parent, so the
evidence path is the same (`tests/test_graph_climbs.py` compares them). The search from a start
decides only whether a match is within reach, which is all `*_any` reads. A start the engine did not announce (the
quantifier read from elsewhere) takes the whole-graph traversal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from nofakes.audit.paths import Along, Reach, reach_from
from nofakes.audit.subjects import NodeView
from nofakes.rules import Check
from nofakes.supply.graph import Adjacency

Prepare = Callable[[Sequence[Any]], None]  # told a rule's candidates before it is evaluated
NEIGHBOURHOOD = 256  # partners: above this, a start shares the traversal of its start value


def neighbourhood(towards: Along, starts: Collection[str], max_hops: int | None,
                  limit: int | None = None) -> dict[str, int] | None:
    """The partners within `max_hops` hops of `starts` along `towards` (the starts included, at 0),
    or None when there are more than `limit`."""
    seen = dict.fromkeys(starts, 0)
    frontier = list(seen)
    depth = 0
    while frontier and (max_hops is None or depth < max_hops):
        depth += 1
        after = []
        for node in frontier:
            for other in towards(node):
                if other not in seen:
                    seen[other] = depth
                    after.append(other)
                    if limit is not None and len(seen) > limit:
                        return None
        frontier = after
    return seen


class Nearby:
    """The traversals of one graph quantifier with `../`, over the partners that can reach its starts."""

    def __init__(self, graph: Adjacency, nodes: Mapping[str, Any], follow: frozenset[str], *, upstream: bool,
                 max_hops: int | None, hops_along: Along, towards: Along, prefilter: list[Check], where: Check,
                 reading: list[Check] | None = None, existence: bool = False):
        """`prefilter`: the members of `where`'s top-level `all` that do not read the start; `reading`: the
        others (None: `where` is not such an `all`, and is tested whole). `existence`: only whether a match
        reaches a start counts (`*_any`), not which path."""
        self.graph, self.nodes, self.follow, self.upstream, self.max_hops = graph, nodes, follow, upstream, max_hops
        self.hops_along, self.towards, self.prefilter, self.where = hops_along, towards, prefilter, where
        self.reading, self.existence = reading, existence
        self.position = {nid: i for i, nid in enumerate(nodes)}  # the whole-graph traversal's order
        self.starts: frozenset[str] = frozenset()
        self.reaching: list[str] = []  # the partners that can reach a start, in the whole graph's order
        self.kept: frozenset[str] = frozenset()
        self.admitted_reaching: list[str] | None = None  # those the start-free members of `where` admit
        self.cache: dict[tuple[Any, ...], Reach] = {}
        self.admitted: dict[str, bool] = {}
        self.answers: dict[tuple[Any, ...], dict[str, bool]] = {}

    def prepare(self, candidates: Sequence[Any]) -> None:
        """The rule's subjects are about to be evaluated: the partners that can reach them."""
        ids = [view.node.id for view in candidates if isinstance(view, NodeView)]
        self.starts = frozenset(ids)
        self.reaching = sorted(neighbourhood(self.towards, ids, self.max_hops) or (), key=self.position.__getitem__)
        self.kept = frozenset(self.reaching)
        self.admitted_reaching = None
        self.cache = {}

    def covers(self, start: Any) -> bool:
        """The start was announced by `prepare` (else the whole-graph traversal answers for it)."""
        return bool(start.node.id in self.starts)

    def path(self, start: Any, key: tuple[Any, ...]) -> tuple[str, ...] | None:
        """(start, ..., match) against the traversal, or None when no match reaches the start (a start
        that `covers`). With `existence`, the path may be another one than the traversal's."""
        node_id = start.node.id
        if self.existence and self.max_hops is not None:
            found = self._nearest(start, key)
            if found is not None:
                return found or None
        near = neighbourhood(self.towards, (node_id,), self.max_hops, NEIGHBOURHOOD) \
            if self.max_hops is not None else None
        if near is not None:  # a small neighbourhood: answered from it alone
            reach = self._reach(near, self._matches(sorted(near, key=self.position.__getitem__), start, key))
        else:
            cached = self.cache.get(key)
            if cached is None:
                if self.admitted_reaching is None:  # the start-free members of `where`, once per partner
                    self.admitted_reaching = [nid for nid in self.reaching if self._admitted(nid, start)]
                cached = self.cache[key] = self._reach(self.kept, self._matches(self.admitted_reaching, start, key))
            reach = cached
        return reach.path_to(node_id) if node_id in reach.hops else None

    def _reach(self, kept: Collection[str], matches: list[str]) -> Reach:
        """The traversal from `matches` over the partners in `kept` only."""
        hops_along = self.hops_along

        def inside(node: str) -> list[str]:
            return [other for other in hops_along(node) if other in kept]

        return reach_from(self.graph, matches, self.follow, backwards=not self.upstream, max_hops=self.max_hops,
                          hops_along=inside)

    def _nearest(self, start: Any, key: tuple[Any, ...]) -> tuple[str, ...] | None:
        """A path (start, ..., match) of at most `max_hops` hops found by searching from the start, nearest
        partners first, stopping at the first match; () when every partner within `max_hops` was searched
        and none matches; None when more than `NEIGHBOURHOOD` partners were searched without a match."""
        assert self.max_hops is not None
        node_id = start.node.id
        answers = self.answers.setdefault(key, {})
        parent: dict[str, str] = {}
        frontier = [node_id]
        for _depth in range(self.max_hops):
            after = []
            for node in frontier:
                for other in self.towards(node):
                    if other == node_id:  # back at the start through a cycle: reached if it matches itself
                        if self._match(other, start, answers):
                            return _back(parent, node_id, node, other)
                        continue
                    if other in parent:
                        continue
                    parent[other] = node
                    if self._match(other, start, answers):
                        return _back(parent, node_id, node, other)
                    if len(parent) > NEIGHBOURHOOD:
                        return None
                    after.append(other)
            frontier = after
        return ()

    def _matches(self, ordered: list[str], start: Any, key: tuple[Any, ...]) -> list[str]:
        """The partners of `ordered` (in the whole graph's order) that match `where` for this start value."""
        answers = self.answers.setdefault(key, {})
        return [nid for nid in ordered if self._match(nid, start, answers)]

    def _match(self, nid: str, start: Any, answers: dict[str, bool]) -> bool:
        """The partner matches `where` for this start value (`answers`: that value's, kept)."""
        answer = answers.get(nid)
        if answer is None:
            answer = answers[nid] = self._admitted(nid, start) and self._reads(nid, start)
        return answer

    def _reads(self, nid: str, start: Any) -> bool:
        """A partner the start-free members admit matches this start (the members that read it hold)."""
        stack = (self.nodes[nid], start)
        if self.reading is None:
            return self.where(stack) is True
        return all(member(stack) is True for member in self.reading)

    def _admitted(self, nid: str, start: Any) -> bool:
        """The start-free members of `where` hold (the same for every start)."""
        admitted = self.admitted.get(nid)
        if admitted is None:
            view = self.nodes[nid]
            admitted = self.admitted[nid] = all(member((view, start)) is True for member in self.prefilter)
        return admitted


def _back(parent: Mapping[str, str], start: str, node: str, match: str) -> tuple[str, ...]:
    """(start, ..., node, match) through the search's parents."""
    path = [match, node]
    while path[-1] != start:
        path.append(parent[path[-1]])
    return tuple(reversed(path))
