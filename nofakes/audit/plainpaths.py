"""The no_bad_path traversal of a path rule without a limit or an order (most path rules).

Its states are (partner, at a start, bad): at most three per partner. It visits them in the same
order as the general traversal over (partner, at_start, bad, count, pending) states
(`nofakes.audit.paths`) and keeps the same first parent of each, so it reaches the same ends
with the same evidence paths, without building a state tuple or calling a transition per hop.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from nofakes.supply.graph import Adjacency

# (partner, at_start, bad, count, pending), as nofakes.audit.paths.State: count 0 and pending False here
Chain = list[tuple[tuple[str, bool, bool, int, bool], str | None]]


def plain_no_bad_path(graph: Adjacency, starts: Iterable[str], ends: Collection[str], follow: frozenset[str],
                      max_hops: int | None, node_bad: Callable[[str], str | None] | None,
                      edge_bad: Callable[[str, str, str], str | None] | None) -> dict[str, Chain | None]:
    """Per end reached: None when every path reaching it is good, else the states of a bad path from a
    start (each with the edge kind entering it). `node_bad` / `edge_bad` None: nothing is forbidden."""
    good: set[str] = set()
    bad: set[str] = set()
    # (partner, bad) -> (previous partner, previous at_start, previous bad, kind); starts have none
    parent: dict[tuple[str, bool], tuple[str, bool, bool, str]] = {}
    level = [(start, True, False) for start in dict.fromkeys(starts)]
    reached: dict[str, bool] = {}  # end -> reached on a bad path
    out = graph.out
    depth = 0
    while level and (max_hops is None or depth < max_hops):
        after: list[tuple[str, bool, bool]] = []
        for node, at_start, was_bad in level:
            left = was_bad or (not at_start and node_bad is not None and node_bad(node) is not None)
            for other, keyed in out(node).items():
                for kind in keyed:
                    if kind not in follow:
                        continue
                    if other in bad and (left or other in good):  # nothing new whatever the hop is
                        break
                    now = left or (edge_bad is not None and edge_bad(node, other, kind) is not None)
                    seen = bad if now else good
                    if other in seen:
                        continue
                    seen.add(other)
                    parent[(other, now)] = (node, at_start, was_bad, kind)
                    after.append((other, False, now))
                    if other in ends and (now if other in reached else True):
                        reached[other] = now or reached.get(other, False)
        level = after
        depth += 1
    return {end: _chain(parent, end) if is_bad else None for end, is_bad in reached.items()}


def _chain(parent: dict[tuple[str, bool], tuple[str, bool, bool, str]], end: str) -> Chain:
    """The states from a start to the end's bad state, each with the kind entering it."""
    chain: Chain = []
    node, at_start, is_bad = end, False, True
    while True:
        link = None if at_start else parent[(node, is_bad)]
        kind = link[3] if link else None
        chain.append(((node, at_start, is_bad, 0, False), kind))
        if link is None:
            break
        node, at_start, is_bad = link[0], link[1], link[2]
    chain.reverse()
    return chain
