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

from nofakes.audit.plainpaths import plain_no_bad_path
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


Along = Callable[[str], list[str]]  # the partners one followed hop away from a partner


def along(graph: Adjacency, follow: Collection[str], *, backwards: bool = False, memo: bool = False) -> Along:
    """The partners one hop of a `follow` kind away (against the goods flow when `backwards`), in
    adjacency order. With `memo`, each partner's list is made once: for callers that traverse the
    same graph along the same kinds many times (a graph quantifier with one traversal per start key)."""
    step = graph.into if backwards else graph.out

    def hop(node: str) -> list[str]:
        return [other for other, keyed in step(node).items() if not follow.isdisjoint(keyed)]  # type: ignore[attr-defined]

    if not memo:
        return hop
    lists: dict[str, list[str]] = {}

    def remembered(node: str) -> list[str]:
        found = lists.get(node)
        if found is None:
            found = lists[node] = hop(node)
        return found

    return remembered


def reach_from(graph: Adjacency, sources: Iterable[str], follow: Collection[str], *, backwards: bool = False,
               max_hops: int | None = None, strict: bool = True, hops_along: Along | None = None) -> Reach:
    """Multi-source BFS. With `strict`, a source counts as reached only through a path of >= 1 hop.
    `hops_along` (from `along(graph, follow, backwards=...)`) may be given to share its lists."""
    neighbours = hops_along or along(graph, follow, backwards=backwards)
    hops: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    if strict:
        for source in sources:
            for other in neighbours(source):
                if other not in hops:
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
        for other in neighbours(current):
            if other in hops:
                continue
            hops[other], parent[other] = depth + 1, current
            queue.append(other)
    return Reach(hops, parent)


def anything_goes(*node_or_edge: str) -> None:
    """The path rule has no condition on nodes (or on edges): every one may be on a path. The
    traversals test for this function and then make no call per node (per hop)."""
    return None


@dataclass(frozen=True)
class PathOutcome:
    """Per end node: 'pass', or 'fail' with an evidence path (start ... end) and a reason."""

    status: str
    path: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Limit:
    """At most `at_most` counted intermediate partners (`node`) or hops (`edge`) on a path.

    `node(n)` / `edge(u, v, kind)` return why it counts (it matches, or there is no evidence that
    it does not), else None.
    """

    at_most: int
    node: Callable[[str], str | None] | None = None
    edge: Callable[[str, str, str], str | None] | None = None


@dataclass(frozen=True)
class Order:
    """A hop matching `first` and a later hop matching `then` need a partner satisfying `between`
    on the path between them (the first hop's receiver up to the later hop's sender)."""

    first: Callable[[str, str, str], str | None]  # why the hop matches, else None
    then: Callable[[str, str, str], str | None]
    between: Callable[[str], bool]
    needed: str  # what `between` checks, in words


# (node, at_start, bad, count, pending): `count` of the limit so far, `pending` a `first` hop not
# yet followed by a partner satisfying `between`. Once bad, the other fields are dropped (0, False).
State = tuple[str, bool, bool, int, bool]


class _Machine:
    """The transitions of the no_bad_path traversal: forbidden partners and hops, the limit, the order."""

    def __init__(self, node_bad: Callable[[str], str | None], edge_bad: Callable[[str, str, str], str | None],
                 limit: Limit | None, order: Order | None):
        self.node_bad, self.edge_bad, self.limit, self.order = node_bad, edge_bad, limit, order
        self.plain_nodes = node_bad is anything_goes and (limit is None or limit.node is None) and order is None
        self.plain_hops = edge_bad is anything_goes and limit is None and order is None

    def leave(self, state: State) -> tuple[bool, int, bool]:
        """(bad, count, pending) on leaving the state's node: intermediate nodes are checked here."""
        node, at_start, bad, count, pending = state
        if bad or at_start or self.plain_nodes:
            return bad, count, pending
        if self.node_bad(node) is not None:
            return True, 0, False
        limit = self.limit
        if limit is not None and limit.node is not None and limit.node(node) is not None:
            count += 1
            if count > limit.at_most:
                return True, 0, False
        if pending and self.order is not None and self.order.between(node):
            pending = False
        return False, count, pending

    def cross(self, left: tuple[bool, int, bool], u: str, v: str, kind: str) -> State:
        bad, count, pending = left
        if self.plain_hops:
            return (v, False, bad, count, pending) if not bad else (v, False, True, 0, False)
        if bad or self.edge_bad(u, v, kind) is not None:
            return (v, False, True, 0, False)
        limit = self.limit
        if limit is not None and limit.edge is not None and limit.edge(u, v, kind) is not None:
            count += 1
            if count > limit.at_most:
                return (v, False, True, 0, False)
        order = self.order
        if order is not None:
            if pending and order.then(u, v, kind) is not None:
                return (v, False, True, 0, False)
            if order.first(u, v, kind) is not None:
                pending = True
        return (v, False, False, count, pending)

    def explain(self, chain: list[tuple[State, str | None]], name: Callable[[str], str]) -> str:
        """Why the path (states from a start, with the kind entering each) became bad, in words."""
        counted: list[str] = []
        first_hop: tuple[str, str, str] | None = None
        for i in range(1, len(chain)):
            previous, (state, kind) = chain[i - 1][0], chain[i]
            u, v = previous[0], state[0]
            assert kind is not None
            if not previous[1]:
                why = self.node_bad(u)
                if why:
                    return _through(u, why, name)
                if self.limit is not None and self.limit.node is not None:
                    why = self.limit.node(u)
                    if why:
                        counted.append(f"{name(u)} ({why})")
                        if len(counted) > self.limit.at_most:
                            return _over("partner", counted, self.limit.at_most)
                if first_hop is not None and self.order is not None and self.order.between(u):
                    first_hop = None
            why = self.edge_bad(u, v, kind)
            if why:
                return _hop(u, v, why, name, kind)
            if self.limit is not None and self.limit.edge is not None:
                why = self.limit.edge(u, v, kind)
                if why:
                    counted.append(f"{name(u)} to {name(v)} ({why})")
                    if len(counted) > self.limit.at_most:
                        return _over("hop", counted, self.limit.at_most)
            if self.order is not None:
                then = self.order.then(u, v, kind)
                if first_hop is not None and then:
                    a, b, first_kind = first_hop
                    first = self.order.first(a, b, first_kind)
                    return (f"the hop from {name(a)} to {name(b)} ({first}) is later followed by the hop from "
                            f"{name(u)} to {name(v)} ({then}) with no partner in between where "
                            f"{self.order.needed}")
                if self.order.first(u, v, kind):
                    first_hop = (u, v, kind)
        return "the path crosses a partner or a hop the rule forbids"


def _over(noun: str, counted: list[str], at_most: int) -> str:
    many = len(counted) != 1
    return (f"the path passes {len(counted)} {noun}{'s' if many else ''} that count{'' if many else 's'} against "
            f"the limit of {at_most}: " + "; ".join(counted))


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
    limit: Limit | None = None,
    order: Order | None = None,
) -> dict[str, PathOutcome]:
    """Outcome for every end node reached (and, in some_good_path mode, every end node).

    `node_bad(node)` / `edge_bad(u, v, kind)` return a reason when an intermediate node or
    an edge is not allowed on a path, else None. Callers memoise them. `name(node)` names a
    node in a failure's reason (its id by default). `limit` and `order` (no_bad_path mode only)
    make a path bad when it passes too many counted partners or hops, or takes a `first` hop
    and later a `then` hop with no partner satisfying `between` in between: a BFS over
    (node, at_start, bad, count, pending) states, at most 2 * (at_most + 1) * 2 + 1 per node.
    """
    if mode == "some_good_path":
        assert limit is None and order is None, "limit and order are no_bad_path constraints"
        return _some_good_path(graph, list(starts), ends, follow, max_hops, node_bad, edge_bad, name)
    machine = _Machine(node_bad, edge_bad, limit, order)
    if limit is None and order is None:  # most rules: (partner, at_start, bad) states only
        chains = plain_no_bad_path(graph, starts, ends, follow, max_hops,
                                   None if node_bad is anything_goes else node_bad,
                                   None if edge_bad is anything_goes else edge_bad)
        return {end: PathOutcome("pass") if chain is None else
                PathOutcome("fail", tuple(s[0] for s, _ in chain), machine.explain(chain, name))
                for end, chain in chains.items()}
    parent: dict[State, tuple[State, str] | None] = {}
    hops: dict[State, int] = {}
    queue: deque[State] = deque()
    for start in starts:
        state: State = (start, True, False, 0, False)
        if state not in hops:
            hops[state], parent[state] = 0, None
            queue.append(state)
    reached: dict[str, State] = {}  # end -> a state it was reached in, a bad one if any
    while queue:
        state = queue.popleft()
        depth = hops[state]
        if max_hops is not None and depth >= max_hops:
            continue
        node = state[0]
        left = machine.leave(state)
        for other, keyed in graph.out(node).items():
            for kind in keyed:
                if kind not in follow:
                    continue
                next_state = machine.cross(left, node, other, kind)
                if next_state in hops:
                    continue
                hops[next_state], parent[next_state] = depth + 1, (state, kind)
                queue.append(next_state)
                if other in ends and (other not in reached or (next_state[2] and not reached[other][2])):
                    reached[other] = next_state
    outcomes: dict[str, PathOutcome] = {}
    for end, last in reached.items():
        if not last[2]:
            outcomes[end] = PathOutcome("pass")
            continue
        states = _rebuild(parent, last)
        path = tuple(s[0] for s, _ in states)
        outcomes[end] = PathOutcome("fail", path, machine.explain(states, name))
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
            if other in good and (other in passed or other not in ends):  # nothing new whatever the hop is
                continue
            if not any(kind in follow and edge_bad(node, other, kind) is None for kind in keyed):
                continue
            if other in ends:
                passed.add(other)
            if other not in good:
                good[other] = depth + 1
                queue.append(other)
    failing = [end for end in ends if end not in passed and end not in start_set]
    # the evidence of a failing end: a path that ignores the conditions (not needed when none fails)
    anywhere = reach_from(graph, starts, follow, max_hops=max_hops, strict=False) if failing else Reach({}, {})
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
