"""Differential tests: the linear traversals agree with brute-force oracles on random small graphs.

Random graphs of up to 5 partners have cycles, parallel edges of different kinds and isolated
partners; random rules use both modes, `max_hops`, limits, the order constraint and product scope.

- Reachability (`upstream_*` / `downstream_*`, `reach_from`) and `some_good_path` are judged by
  enumerating simple paths (a walk that reaches a partner, or reaches it along allowed partners and
  hops only, contains a simple path that does).
- `no_bad_path` (forbidden partners, `limit`, `after`) is about routes goods can take, which may
  pass a partner again (a return loop, a broker selling back to a broker): the oracle enumerates
  walks, each partner at most Q times, where Q is the number of traversal states per partner, so
  a shortest offending walk is always among them. (Whether some *simple* path crosses a given
  partner is NP-complete in a directed graph, so no linear evaluation can promise that.)

Every case is checked for status, evidence (a real walk from a start, within `max_hops`, that the
oracle itself finds offending) and, at the audit level, independence from the order of nodes and
edges in the file. Derandomized, with a bounded number of examples, so CI runs the same cases.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofakes.audit.paths import Limit, Order, PathOutcome, evaluate_path_rule, reach_from
from nofakes.supply.graph import Adjacency

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
KINDS = ("supplies", "sells", "returns", "lists_on")
Edge = tuple[str, str, str]


@dataclass(frozen=True)
class Case:
    """A random graph with a verdict for every partner and hop the rules may ask about."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    bad_nodes: frozenset[str]
    bad_edges: frozenset[Edge]
    counted_nodes: frozenset[str]
    counted_edges: frozenset[Edge]
    first: frozenset[Edge]  # the order's first hop
    then: frozenset[Edge]  # its later hop
    between: frozenset[str]  # partners that clear the order
    starts: tuple[str, ...]
    ends: frozenset[str]
    follow: frozenset[str]
    max_hops: int | None

    def out(self) -> dict[str, list[tuple[str, str]]]:
        succ: dict[str, list[tuple[str, str]]] = {n: [] for n in self.nodes}
        for u, v, kind in self.edges:
            if kind in self.follow:
                succ[u].append((v, kind))
        return succ


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 5))
    nodes = tuple(f"n{i}" for i in range(n))
    pairs = [(u, v) for u in nodes for v in nodes if u != v]
    chosen = draw(st.lists(st.tuples(st.sampled_from(pairs), st.sampled_from(KINDS)), min_size=2, max_size=8,
                           unique=True))
    edges = tuple((u, v, kind) for (u, v), kind in chosen)

    def some(items: Sequence[Any], one_in: int = 2) -> frozenset[Any]:  # each item in with probability 1/one_in
        picks = draw(st.lists(st.integers(0, one_in - 1), min_size=len(items), max_size=len(items)))
        return frozenset(item for item, pick in zip(items, picks, strict=True) if pick == one_in - 1)

    def rare(items: Sequence[Any]) -> frozenset[Any]:  # forbidden partners and hops: often none, else a few
        return some(items, 4) if draw(st.booleans()) else frozenset()

    if draw(st.booleans()):  # the order as rules write it: a return, later a resale
        first = frozenset(e for e in edges if e[2] == "returns")
        then = frozenset(e for e in edges if e[2] == "sells")
    else:
        first, then = some(edges), some(edges)
    follow = frozenset(KINDS) - {draw(st.sampled_from(("", *KINDS)))}
    return Case(nodes, edges, rare(nodes), rare(edges), some(nodes), some(edges), first, then, some(nodes),
                tuple(sorted(some(nodes) | {nodes[0]})), some(nodes) | {nodes[-1]}, follow,
                draw(st.none() | st.none() | st.integers(1, 4)))


# ---------------------------------------------------------------- oracles


def walks(case: Case, cap: int) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every walk of >= 1 hop from a start along followed kinds, each partner at most `cap` times,
    within max_hops: (partners, kinds)."""
    succ = case.out()
    limit = case.max_hops if case.max_hops is not None else len(case.nodes) * cap

    def extend(path: list[str], kinds: list[str], seen: dict[str, int]) -> Iterator[tuple[tuple[str, ...],
                                                                                       tuple[str, ...]]]:
        if len(kinds) >= limit:
            return
        for v, kind in succ[path[-1]]:
            if seen.get(v, 0) >= cap:
                continue
            path.append(v)
            kinds.append(kind)
            seen[v] = seen.get(v, 0) + 1
            yield tuple(path), tuple(kinds)
            yield from extend(path, kinds, seen)
            seen[v] -= 1
            path.pop()
            kinds.pop()

    for start in case.starts:
        yield from extend([start], [], {start: 1})


def offending(case: Case, path: Sequence[str], kinds: Sequence[str], limit: str | None, at_most: int,
              order: bool) -> bool:
    """Whether one walk breaks a no_bad_path rule, judged from scratch."""
    hops = [(path[i], path[i + 1], kinds[i]) for i in range(len(kinds))]
    middle = path[1:-1]
    if any(n in case.bad_nodes for n in middle) or any(h in case.bad_edges for h in hops):
        return True
    if limit == "nodes" and sum(n in case.counted_nodes for n in middle) > at_most:
        return True
    if limit == "edges" and sum(h in case.counted_edges for h in hops) > at_most:
        return True
    if order:
        for i, j in itertools.combinations(range(len(hops)), 2):
            if hops[i] in case.first and hops[j] in case.then and not any(
                    n in case.between for n in path[i + 1:j + 1]):
                return True
    return False


def cap_of(limit: str | None, at_most: int, order: bool) -> int:
    """Traversal states per partner: a shortest offending walk passes no partner more often."""
    return 2 + (at_most + 1 if limit else 1) * (2 if order else 1)


WALK_BUDGET = 20_000  # walks the oracle may enumerate for one case


def affordable(case: Case, limit: str | None, at_most: int, order: bool) -> bool:
    """Whether the walk oracle enumerates this case within the budget (parallel kinds on a cycle
    multiply walks exponentially in the number of visits allowed)."""
    return sum(1 for _ in itertools.islice(walks(case, cap_of(limit, at_most, order)), WALK_BUDGET + 1)) \
        <= WALK_BUDGET


def no_bad_path_oracle(case: Case, limit: str | None, at_most: int, order: bool) -> dict[str, str]:
    cap = cap_of(limit, at_most, order)
    status: dict[str, str] = {}
    for path, kinds in walks(case, cap):
        end = path[-1]
        if end in case.ends and status.get(end) != "fail":
            status[end] = "fail" if offending(case, path, kinds, limit, at_most, order) else "pass"
    return status


def simple_paths(succ: dict[str, list[tuple[str, str]]], sources: Sequence[str],
                 max_hops: int | None) -> Iterator[tuple[str, ...]]:
    """Simple paths of >= 1 hop from the sources (the last partner may close a cycle to the first)."""
    def extend(path: list[str]) -> Iterator[tuple[str, ...]]:
        if max_hops is not None and len(path) > max_hops:
            return
        for v, _ in succ[path[-1]]:
            if v == path[0]:
                yield (*path, v)
            elif v not in path:
                path.append(v)
                yield tuple(path)
                yield from extend(path)
                path.pop()

    for source in dict.fromkeys(sources):
        yield from extend([source])


def some_good_path_oracle(case: Case) -> dict[str, str]:
    succ = case.out()
    good = {n: [(v, k) for v, k in succ[n] if (n, v, k) not in case.bad_edges] for n in case.nodes}
    starts = set(case.starts)
    passed = {p[-1] for p in simple_paths(good, case.starts, case.max_hops)
              if all(n in starts or n not in case.bad_nodes for n in p[1:-1])}
    return {end: "pass" if end in passed else "fail" for end in case.ends if end in passed or end not in starts}


def adjacency(case: Case) -> Adjacency:
    """Every partner, isolated ones too, with the kinds of its edges either way."""
    out: dict[str, dict[str, set[str]]] = {n: {} for n in case.nodes}
    into: dict[str, dict[str, set[str]]] = {n: {} for n in case.nodes}
    for u, v, kind in case.edges:
        out[u].setdefault(v, set()).add(kind)
        into[v].setdefault(u, set()).add(kind)
    return Adjacency.from_maps(out, into)


def run(case: Case, mode: str, limit: str | None = None, at_most: int = 0,
        order: bool = False) -> dict[str, PathOutcome]:
    return evaluate_path_rule(
        adjacency(case), case.starts, case.ends, case.follow, mode=mode, max_hops=case.max_hops,
        node_bad=lambda n: "bad partner" if n in case.bad_nodes else None,
        edge_bad=lambda u, v, k: "bad hop" if (u, v, k) in case.bad_edges else None,
        limit=None if limit is None else Limit(
            at_most, node=(lambda n: "counted" if n in case.counted_nodes else None) if limit == "nodes" else None,
            edge=(lambda u, v, k: "counted" if (u, v, k) in case.counted_edges else None)
            if limit == "edges" else None),
        order=Order(lambda u, v, k: "first" if (u, v, k) in case.first else None,
                    lambda u, v, k: "then" if (u, v, k) in case.then else None,
                    lambda n: n in case.between, "it clears") if order else None)


def kinds_along(case: Case, path: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Every choice of followed kinds for the hops of a partner sequence."""
    options = [[k for u, v, k in case.edges if (u, v) == (a, b) and k in case.follow]
               for a, b in itertools.pairwise(path)]
    return itertools.product(*options)


# ---------------------------------------------------------------- traversal level


@settings(SETTINGS, max_examples=300)
@given(cases(), st.sampled_from([None, "nodes", "edges"]), st.integers(0, 1), st.booleans())
def test_no_bad_path_agrees_with_the_walk_oracle(case: Case, limit: str | None, at_most: int, order: bool) -> None:
    if not affordable(case, limit, at_most, order):  # judge the same graph's routes up to 6 hops
        case = dataclasses.replace(case, max_hops=min(case.max_hops or 6, 6))
    got = run(case, "no_bad_path", limit, at_most, order)
    assert {end: outcome.status for end, outcome in got.items()} == no_bad_path_oracle(case, limit, at_most, order)
    for end, outcome in got.items():
        if outcome.status == "fail":
            path = outcome.path
            assert path[0] in case.starts and path[-1] == end
            assert case.max_hops is None or len(path) - 1 <= case.max_hops
            assert any(offending(case, path, kinds, limit, at_most, order) for kinds in kinds_along(case, path))
            assert outcome.reason


@SETTINGS
@given(cases())
def test_some_good_path_agrees_with_the_simple_path_oracle(case: Case) -> None:
    got = run(case, "some_good_path")
    assert {end: outcome.status for end, outcome in got.items()} == some_good_path_oracle(case)
    for end, outcome in got.items():
        if outcome.path:
            assert outcome.path[0] in case.starts and outcome.path[-1] == end
            assert any(True for _ in kinds_along(case, outcome.path))
            assert case.max_hops is None or len(outcome.path) - 1 <= case.max_hops


@SETTINGS
@given(cases(), st.booleans(), st.booleans())
def test_reach_from_agrees_with_the_simple_path_oracle(case: Case, backwards: bool, strict: bool) -> None:
    reach = reach_from(adjacency(case), case.starts, case.follow, backwards=backwards,
                       max_hops=case.max_hops, strict=strict)
    succ: dict[str, list[tuple[str, str]]] = {n: [] for n in case.nodes}
    for u, v, kind in case.edges:
        if kind in case.follow:
            succ[v if backwards else u].append((u if backwards else v, kind))
    shortest: dict[str, int] = {} if strict else {s: 0 for s in case.starts}
    for path in simple_paths(succ, case.starts, case.max_hops):
        shortest[path[-1]] = min(shortest.get(path[-1], len(path)), len(path) - 1)
    assert reach.hops == shortest
    followed = {(u, v) for u, v, kind in case.edges if kind in case.follow}
    for node, hops in reach.hops.items():
        path = reach.path_to(node)  # node ... source, against the traversal
        assert len(path) - 1 == hops and path[-1] in case.starts
        assert all(((a, b) if backwards else (b, a)) in followed for a, b in itertools.pairwise(path))


def test_a_route_that_loops_back_through_a_forbidden_partner_is_offending() -> None:
    """The semantics the walk oracle pins: goods can go a -> x -> a -> e, so e is exposed to x."""
    case = Case(("s", "a", "x", "e"), (("s", "a", "sells"), ("a", "x", "sells"), ("x", "a", "sells"),
                                       ("a", "e", "sells")),
                frozenset({"x"}), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(),
                ("s",), frozenset({"e"}), frozenset({"sells"}), None)
    outcome = run(case, "no_bad_path")["e"]
    assert (outcome.status, outcome.path) == ("fail", ("s", "a", "x", "a", "e"))
    assert some_good_path_oracle(case) == {"e": "pass"} and run(case, "some_good_path")["e"].status == "pass"
