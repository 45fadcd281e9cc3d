"""Graph-structure checks in linear time: multi-source traversals, never path enumeration.

- `reach_from(...)`: one multi-source BFS from a set of nodes along chosen edge kinds,
  forwards or backwards, with an optional hop limit; every reached node keeps a parent
  pointer, so one concrete path to it can be rebuilt. Used by `upstream_any` /
  `downstream_any` quantifiers.
- `evaluate_path_rule(...)`: a path rule (`target: path`). In `no_bad_path` mode it runs a
  BFS over (node, tainted, at_start) states: a path becomes tainted when it crosses a
  forbidden intermediate node or edge. An end node fails when a tainted state reaches it.
  In `some_good_path` mode it runs a BFS that only crosses allowed nodes and edges; an end
  node passes when reached and fails otherwise, with a path found by an unconstrained BFS
  as evidence. Each state is visited once, so both are O(nodes + edges) and terminate on
  cycles.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from nofakes.supply.graph import Adjacency


@dataclass(frozen=True)
class Reach:
    """Nodes reached by a traversal: hop count and parent (None for a source)."""

    hops: dict[str, int]
    parent: dict[str, str | None]

    def path_to(self, node: str) -> tuple[str, ...]:
        """(node, its parent, ..., the source it was reached from), against the traversal direction.

        Hop counts drop by one along parent pointers, so the walk ends at a hop-1 node's source
        (which may be `node` itself, reached back through a cycle in strict mode).
        """
        path = [node]
        current = node
        while (previous := self.parent.get(current)) is not None:
            path.append(previous)
            if self.hops.get(current, 0) <= 1:
                break
            current = previous
        return tuple(path)


def _neighbours(graph: Adjacency, backwards: bool) -> Callable[[str], Iterable[tuple[str, Collection[str]]]]:
    step = graph.into if backwards else graph.out
    return lambda node: step(node).items()


def reach_from(graph: Adjacency, sources: Iterable[str], follow: Collection[str], *, backwards: bool = False,
               max_hops: int | None = None, strict: bool = True) -> Reach:
    """Multi-source BFS. With `strict`, a source counts as reached only through a path of >= 1 hop."""
    neighbours = _neighbours(graph, backwards)
    hops: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    if strict:
        for source in sources:
            for other, keyed in neighbours(source):
                if other not in hops and not follow.isdisjoint(keyed):  # type: ignore[attr-defined]
                    hops[other], parent[other] = 1, source
                    queue.append(other)
    else:
        for source in sources:
            if source not in hops:
                hops[source], parent[source] = 0, None
                queue.append(source)
    while queue:
        current = queue.popleft()
        depth = hops[current]
        if max_hops is not None and depth >= max_hops:
            continue
        for other, keyed in neighbours(current):
            if other in hops or follow.isdisjoint(keyed):  # type: ignore[attr-defined]
                continue
            hops[other], parent[other] = depth + 1, current
            queue.append(other)
    return Reach(hops, parent)


@dataclass(frozen=True)
class PathOutcome:
    """Per end node: 'pass', or 'fail' with an evidence path (start ... end) and a reason."""

    status: str
    path: tuple[str, ...] = ()
    reason: str = ""


State = tuple[str, bool, bool]  # (node, tainted, at_start)


def evaluate_path_rule(
    graph: Adjacency,
    starts: Iterable[str],
    ends: Collection[str],
    follow: frozenset[str],
    *,
    mode: str,
    max_hops: int | None,
    node_bad: Callable[[str], str | None],
    edge_bad: Callable[[str, str, str], str | None],
    name: Callable[[str], str] = str,
) -> dict[str, PathOutcome]:
    """Outcome for every end node reached (and, in some_good_path mode, every end node).

    `node_bad(node)` / `edge_bad(u, v, kind)` return a reason when an intermediate node or
    an edge is not allowed on a path, else None. Callers memoise them. `name(node)` names a
    node in a failure's reason (its id by default).
    """
    if mode == "some_good_path":
        return _some_good_path(graph, list(starts), ends, follow, max_hops, node_bad, edge_bad, name)
    parent: dict[State, tuple[State, str] | None] = {}
    hops: dict[State, int] = {}
    queue: deque[State] = deque()
    for start in starts:
        state = (start, False, True)
        if state not in hops:
            hops[state], parent[state] = 0, None
            queue.append(state)
    reached: dict[str, bool] = {}  # end -> reached tainted?
    while queue:
        state = queue.popleft()
        node, tainted, at_start = state
        depth = hops[state]
        if max_hops is not None and depth >= max_hops:
            continue
        leaving_tainted = tainted or (not at_start and node_bad(node) is not None)
        for other, keyed in graph.out(node).items():
            for kind in keyed:
                if kind not in follow:
                    continue
                now_tainted = leaving_tainted or edge_bad(node, other, kind) is not None
                next_state = (other, now_tainted, False)
                if next_state in hops:
                    continue
                hops[next_state], parent[next_state] = depth + 1, (state, kind)
                queue.append(next_state)
                if other in ends:
                    reached[other] = reached.get(other, False) or now_tainted
    outcomes: dict[str, PathOutcome] = {}
    for end, tainted in reached.items():
        if not tainted:
            outcomes[end] = PathOutcome("pass")
            continue
        states = _rebuild(parent, (end, True, False))
        path = tuple(s[0] for s, _ in states)
        outcomes[end] = PathOutcome("fail", path, _first_reason(states, node_bad, edge_bad, name))
    return outcomes


def _rebuild(parent: dict[State, tuple[State, str] | None], last: State) -> list[tuple[State, str | None]]:
    """States from start to `last`, each with the edge kind used to enter it."""
    chain: list[tuple[State, str | None]] = []
    current: State | None = last
    while current is not None:
        link = parent[current]
        chain.append((current, link[1] if link else None))
        current = link[0] if link else None
    chain.reverse()
    return chain


def _through(node: str, why: str, name: Callable[[str], str]) -> str:
    return f"through {name(node)}: {why}"


def _hop(u: str, v: str, why: str, name: Callable[[str], str], kind: str | None = None) -> str:
    how = f" ({kind.replace('_', ' ')})" if kind else ""
    return f"on the hop from {name(u)} to {name(v)}{how}: {why}"


def _first_reason(states: list[tuple[State, str | None]], node_bad: Callable[[str], str | None],
                  edge_bad: Callable[[str, str, str], str | None], name: Callable[[str], str]) -> str:
    for i in range(1, len(states)):
        previous, entering = states[i - 1][0], states[i]
        if i > 1:
            why = node_bad(previous[0])
            if why:
                return _through(previous[0], why, name)
        kind = entering[1]
        if kind is not None:
            why = edge_bad(previous[0], entering[0][0], kind)
            if why:
                return _hop(previous[0], entering[0][0], why, name, kind)
    return "the path crosses a partner or a hop the rule forbids"


def _some_good_path(graph: Adjacency, starts: list[str], ends: Collection[str], follow: frozenset[str],
                    max_hops: int | None, node_bad: Callable[[str], str | None],
                    edge_bad: Callable[[str, str, str], str | None],
                    name: Callable[[str], str]) -> dict[str, PathOutcome]:
    good: dict[str, int] = {}
    queue: deque[str] = deque()
    for start in starts:
        if start not in good:
            good[start] = 0
            queue.append(start)
    start_set = set(starts)
    passed: set[str] = set()
    while queue:
        node = queue.popleft()
        depth = good[node]
        if max_hops is not None and depth >= max_hops:
            continue
        if node not in start_set and node_bad(node) is not None:
            continue  # may end here, may not be crossed
        for other, keyed in graph.out(node).items():
            if not any(kind in follow and edge_bad(node, other, kind) is None for kind in keyed):
                continue
            if other in ends:
                passed.add(other)
            if other not in good:
                good[other] = depth + 1
                queue.append(other)
    anywhere = reach_from(graph, starts, follow, max_hops=max_hops, strict=False)
    outcomes: dict[str, PathOutcome] = {}
    for end in ends:
        if end in passed:
            outcomes[end] = PathOutcome("pass")
        elif end in anywhere.hops and end not in start_set:
            path = tuple(reversed(anywhere.path_to(end)))
            reason = _first_reason_plain(path, graph, follow, node_bad, edge_bad, name)
            outcomes[end] = PathOutcome("fail", path, reason)
        elif end not in start_set:
            outcomes[end] = PathOutcome("fail", (), "no path from any start partner reaches it")
    return outcomes


def _first_reason_plain(path: tuple[str, ...], graph: Adjacency, follow: frozenset[str],
                        node_bad: Callable[[str], str | None], edge_bad: Callable[[str, str, str], str | None],
                        name: Callable[[str], str]) -> str:
    for i in range(1, len(path)):
        u, v = path[i - 1], path[i]
        if i > 1:
            why = node_bad(u)
            if why:
                return _through(u, why, name)
        reasons = [edge_bad(u, v, k) for k in graph.out(u)[v] if k in follow]
        if reasons and all(reasons):
            return _hop(u, v, str(reasons[0]), name)
    return "no path that satisfies the rule"
