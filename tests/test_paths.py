"""Graph traversals for graph quantifiers and path rules: correct answers, evidence, linear work."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable

import pytest

from nofakes.audit.paths import PathOutcome, evaluate_path_rule, reach_from
from nofakes.supply.graph import Adjacency

FOLLOW = frozenset({"supplies", "distributes", "sells", "ships", "subcontracts"})


def triples(*edges: str) -> list[tuple[str, str, str]]:
    """Edges as 'a>b' (supplies) or 'a>b:kind'."""
    out = []
    for text in edges:
        pair, _, kind = text.partition(":")
        u, v = pair.split(">")
        out.append((u, v, kind or "supplies"))
    return out


def graph(*edges: str) -> Adjacency:
    return Adjacency.from_edges(triples(*edges))


def bad_nodes(*names: str) -> Callable[[str], str | None]:
    return lambda node: "not authorized" if node in names else None


def bad_edges(*pairs: str) -> Callable[[str, str, str], str | None]:
    return lambda u, v, kind: "no certificate of conformance" if f"{u}>{v}" in pairs else None


def no_edge_problem(u: str, v: str, kind: str) -> str | None:
    return None


NO_BAD_NODE = bad_nodes()


def evaluate(g: Adjacency, starts: Iterable[str], ends: Iterable[str], *, mode: str = "no_bad_path",
             max_hops: int | None = None, node_bad: Callable[[str], str | None] = NO_BAD_NODE,
             edge_bad: Callable[[str, str, str], str | None] = no_edge_problem,
             follow: frozenset[str] = FOLLOW) -> dict[str, PathOutcome]:
    return evaluate_path_rule(g, list(starts), set(ends), follow, mode=mode, max_hops=max_hops,
                              node_bad=node_bad, edge_bad=edge_bad)


def is_path(g: Adjacency, path: tuple[str, ...]) -> bool:
    return len(path) >= 2 and all(v in g.out(u) for u, v in itertools.pairwise(path))


# ---------------------------------------------------------------- reach_from


def test_reach_strict_and_not_strict() -> None:
    g = graph("a>b", "b>c", "c>d")
    strict = reach_from(g, ["a"], FOLLOW)
    assert strict.hops == {"b": 1, "c": 2, "d": 3}
    assert "a" not in strict.hops  # a source is not reached by itself
    assert strict.path_to("d") == ("d", "c", "b", "a")
    loose = reach_from(g, ["a"], FOLLOW, strict=False)
    assert loose.hops == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert loose.path_to("a") == ("a",)
    assert loose.path_to("c") == ("c", "b", "a")


def test_reach_multi_source_takes_the_nearest_source() -> None:
    g = graph("a>b", "b>c", "c>d", "x>d")
    reach = reach_from(g, ["a", "x"], FOLLOW)
    assert reach.hops["d"] == 1
    assert reach.path_to("d") == ("d", "x")
    # a source reached from another source counts in strict mode
    reach = reach_from(graph("a>b", "b>x"), ["a", "x"], FOLLOW)
    assert reach.hops["x"] == 2 and reach.path_to("x") == ("x", "b", "a")


def test_reach_max_hops_and_backwards() -> None:
    g = graph("a>b", "b>c", "c>d")
    assert reach_from(g, ["a"], FOLLOW, max_hops=2).hops == {"b": 1, "c": 2}
    assert reach_from(g, ["a"], FOLLOW, max_hops=1).hops == {"b": 1}
    back = reach_from(g, ["d"], FOLLOW, backwards=True)
    assert back.hops == {"c": 1, "b": 2, "a": 3}
    assert back.path_to("a") == ("a", "b", "c", "d")
    assert reach_from(g, ["d"], FOLLOW, backwards=True, max_hops=1, strict=False).hops == {"d": 0, "c": 1}


def test_reach_follows_only_chosen_kinds() -> None:
    g = graph("a>b:supplies", "b>c:returns", "b>d:lists_on", "b>e:sells")
    assert set(reach_from(g, ["a"], FOLLOW).hops) == {"b", "e"}
    assert set(reach_from(g, ["a"], {"supplies", "returns"}).hops) == {"b", "c"}
    # parallel edges of several kinds: one followed kind is enough
    g = graph("a>b:returns", "a>b:sells")
    assert reach_from(g, ["a"], {"sells"}).hops == {"b": 1}
    assert reach_from(g, ["a"], {"ships"}).hops == {}


def test_reach_terminates_on_cycles_and_rebuilds_paths_through_them() -> None:
    g = graph("a>b", "b>c", "c>a", "c>d")
    strict = reach_from(g, ["a"], FOLLOW)
    assert strict.hops == {"b": 1, "c": 2, "a": 3, "d": 3}
    assert strict.path_to("a") == ("a", "c", "b", "a")  # back to itself through the cycle
    assert strict.path_to("d") == ("d", "c", "b", "a")
    two = reach_from(graph("x>y", "y>x"), ["x"], FOLLOW)
    assert two.path_to("x") == ("x", "y", "x")
    assert two.path_to("y") == ("y", "x")
    self_loop = reach_from(graph("x>x"), ["x"], FOLLOW)
    assert self_loop.path_to("x") == ("x", "x")


def test_reach_on_a_big_cycle_is_complete() -> None:
    n = 500
    g = graph(*(f"n{i}>n{(i + 1) % n}" for i in range(n)))
    reach = reach_from(g, ["n0"], FOLLOW)
    assert len(reach.hops) == n and reach.hops["n0"] == n
    assert len(reach.path_to("n0")) == n + 1


# ---------------------------------------------------------------- no_bad_path


def test_clean_path_passes() -> None:
    g = graph("m>d", "d>r")
    assert evaluate(g, ["m"], ["r"], node_bad=bad_nodes("x")) == {"r": PathOutcome("pass")}


def test_path_through_a_bad_node_fails_with_that_path() -> None:
    g = graph("m>b", "b>r")
    outcome = evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"))["r"]
    assert outcome.status == "fail"
    assert outcome.path == ("m", "b", "r")
    assert outcome.reason == "through b: not authorized"


def test_end_reached_cleanly_and_through_a_bad_node_fails() -> None:
    g = graph("m>d", "d>r", "m>b", "b>r")
    outcome = evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"))["r"]
    assert outcome.status == "fail" and outcome.path == ("m", "b", "r")
    # also when the bad route is the longer one
    g = graph("m>r", "m>d", "d>b", "b>x", "x>r")
    outcome = evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"))["r"]
    assert outcome.status == "fail" and outcome.path == ("m", "d", "b", "x", "r")


def test_start_and_end_nodes_are_not_intermediates() -> None:
    g = graph("m>r")
    assert evaluate(g, ["m"], ["r"], node_bad=bad_nodes("m", "r"))["r"].status == "pass"
    # an end node is an intermediate on the way to another end
    g = graph("m>r1", "r1>r2")
    outcomes = evaluate(g, ["m"], ["r1", "r2"], node_bad=bad_nodes("r1"))
    assert outcomes["r1"].status == "pass"
    assert outcomes["r2"] == PathOutcome("fail", ("m", "r1", "r2"), "through r1: not authorized")
    # a start node crossed in the middle of another start's path is an intermediate too
    g = graph("m1>m2", "m2>r")
    assert evaluate(g, ["m1", "m2"], ["r"], node_bad=bad_nodes("m2"))["r"].status == "fail"
    assert evaluate(g, ["m2"], ["r"], node_bad=bad_nodes("m2"))["r"].status == "pass"


def test_bad_edges() -> None:
    g = graph("m>d", "d>r")
    outcome = evaluate(g, ["m"], ["r"], edge_bad=bad_edges("d>r"))["r"]
    why = "on the hop from d to r (supplies): no certificate of conformance"
    assert outcome == PathOutcome("fail", ("m", "d", "r"), why)
    outcome = evaluate(g, ["m"], ["r"], edge_bad=bad_edges("m>d"))["r"]
    assert outcome.status == "fail" and outcome.reason.startswith("on the hop from m to d")


def test_cycles_terminate() -> None:
    g = graph("m>d", "d>b", "b>d", "d>r", "r>d", "b>b")
    outcome = evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"))["r"]
    assert outcome.status == "fail"
    assert outcome.path == ("m", "d", "b", "d", "r")  # the offending walk goes round the cycle
    assert is_path(g, outcome.path)
    clean = evaluate(graph("m>d", "d>e", "e>d", "d>r"), ["m"], ["r"])
    assert clean == {"r": PathOutcome("pass")}


def test_several_offending_paths_give_one_evidence_path() -> None:
    g = graph("m>b1", "m>b2", "b1>r", "b2>r", "m>b3", "b3>x", "x>r")
    outcomes = evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b1", "b2", "b3"))
    assert list(outcomes) == ["r"]
    outcome = outcomes["r"]
    assert outcome.status == "fail"
    assert outcome.path[0] == "m" and outcome.path[-1] == "r" and is_path(g, outcome.path)
    assert set(outcome.path) & {"b1", "b2", "b3"}
    assert len(outcome.path) == 3  # the shortest offending path


def test_max_hops_limits_the_paths_considered() -> None:
    g = graph("m>d", "d>b", "b>x", "x>r", "m>y", "y>r")
    assert evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"), max_hops=2) == {"r": PathOutcome("pass")}
    assert evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"), max_hops=3)["r"].status == "pass"
    assert evaluate(g, ["m"], ["r"], node_bad=bad_nodes("b"), max_hops=4)["r"].status == "fail"
    assert evaluate(graph("m>b", "b>r"), ["m"], ["r"], max_hops=1) == {}  # r not reached at all


def test_unreached_ends_and_unfollowed_kinds_give_no_outcome() -> None:
    g = graph("m>b", "b>r:returns", "b>r2:lists_on", "m>r3:sells")
    outcomes = evaluate(g, ["m"], ["r", "r2", "r3", "island"], node_bad=bad_nodes("b"))
    assert outcomes == {"r3": PathOutcome("pass")}


def test_multi_source() -> None:
    g = graph("m1>d", "d>r1", "m2>b", "b>r2", "b>r1")
    outcomes = evaluate(g, ["m1", "m2"], ["r1", "r2"], node_bad=bad_nodes("b"))
    assert outcomes["r1"] == PathOutcome("fail", ("m2", "b", "r1"), "through b: not authorized")
    assert outcomes["r2"].path == ("m2", "b", "r2")


# ---------------------------------------------------------------- some_good_path


def test_some_good_path_unreached_end_fails() -> None:
    g = graph("m>d", "x>r")
    outcomes = evaluate(g, ["m"], ["r"], mode="some_good_path")
    assert outcomes == {"r": PathOutcome("fail", (), "no path from any start partner reaches it")}


def test_some_good_path_documented_route_passes() -> None:
    g = graph("m>d", "d>r", "m>b", "b>r")
    outcomes = evaluate(g, ["m"], ["r"], mode="some_good_path", edge_bad=bad_edges("m>b"))
    assert outcomes == {"r": PathOutcome("pass")}
    outcomes = evaluate(g, ["m"], ["r"], mode="some_good_path", node_bad=bad_nodes("b"))
    assert outcomes == {"r": PathOutcome("pass")}


def test_some_good_path_undocumented_route_fails_with_evidence() -> None:
    g = graph("m>d", "d>r")
    outcome = evaluate(g, ["m"], ["r"], mode="some_good_path", edge_bad=bad_edges("d>r"))["r"]
    assert outcome == PathOutcome("fail", ("m", "d", "r"), "on the hop from d to r: no certificate of conformance")
    outcome = evaluate(g, ["m"], ["r"], mode="some_good_path", node_bad=bad_nodes("d"))["r"]
    assert outcome == PathOutcome("fail", ("m", "d", "r"), "through d: not authorized")


def test_some_good_path_bad_end_and_bad_start_are_allowed() -> None:
    g = graph("m>r")
    assert evaluate(g, ["m"], ["r"], mode="some_good_path", node_bad=bad_nodes("m", "r")) == {
        "r": PathOutcome("pass")}
    # a bad node may be an end of its own while it blocks the way to the next one
    g = graph("m>r1", "r1>r2")
    outcomes = evaluate(g, ["m"], ["r1", "r2"], mode="some_good_path", node_bad=bad_nodes("r1"))
    assert outcomes["r1"].status == "pass" and outcomes["r2"].status == "fail"


def test_some_good_path_with_parallel_edges_and_cycles() -> None:
    g = graph("m>r", "m>r:ships")
    documented = lambda u, v, kind: None if kind == "ships" else "undocumented"  # noqa: E731
    assert evaluate(g, ["m"], ["r"], mode="some_good_path", edge_bad=documented)["r"].status == "pass"
    assert evaluate(g, ["m"], ["r"], mode="some_good_path", edge_bad=documented,
                    follow=frozenset({"supplies"}))["r"].status == "fail"
    cyclic = graph("m>a", "a>b", "b>a", "b>r")
    assert evaluate(cyclic, ["m"], ["r"], mode="some_good_path")["r"].status == "pass"
    assert evaluate(cyclic, ["m"], ["r"], mode="some_good_path", node_bad=bad_nodes("b"))["r"].path == (
        "m", "a", "b", "r")


def test_some_good_path_max_hops() -> None:
    g = graph("m>a", "a>b", "b>r")
    assert evaluate(g, ["m"], ["r"], mode="some_good_path", max_hops=3)["r"].status == "pass"
    assert evaluate(g, ["m"], ["r"], mode="some_good_path", max_hops=2)["r"].reason.startswith("no path")


def test_some_good_path_start_that_is_also_an_end() -> None:
    g = graph("m1>m2")
    outcomes = evaluate(g, ["m1", "m2"], ["m1", "m2"], mode="some_good_path")
    assert outcomes == {"m2": PathOutcome("pass")}  # m1 is a start that nothing reaches: no verdict


# ---------------------------------------------------------------- linear work


def layered(layers: int, width: int) -> list[tuple[str, str, str]]:
    """Complete bipartite links between consecutive layers: width ** (layers - 1) distinct paths."""
    return [(f"L{layer}-{i}", f"L{layer + 1}-{j}", "supplies")
            for layer in range(layers - 1) for i in range(width) for j in range(width)]


@pytest.mark.parametrize("mode", ["no_bad_path", "some_good_path"])
def test_work_is_linear_on_a_graph_with_astronomically_many_paths(mode: str) -> None:
    layers, width = 40, 50  # 2000 nodes, 97,500 edges, 50**39 paths
    edges = layered(layers, width)
    g = Adjacency.from_edges(edges)
    n, m = len({node for u, v, _ in edges for node in (u, v)}), len(edges)
    node_calls: Counter[str] = Counter()
    edge_calls: Counter[tuple[str, str, str]] = Counter()
    bad = {f"L{layer}-0" for layer in range(1, layers - 1, 3)}

    def node_bad(node: str) -> str | None:
        node_calls[node] += 1
        return "unauthorized" if node in bad else None

    def edge_bad(u: str, v: str, kind: str) -> str | None:
        edge_calls[(u, v, kind)] += 1
        return "undocumented" if u == "L5-1" else None

    starts = [f"L0-{i}" for i in range(width)]
    ends = {f"L{layers - 1}-{i}" for i in range(width)}
    outcomes = evaluate_path_rule(g, starts, ends, FOLLOW, mode=mode, max_hops=None, node_bad=node_bad,
                                  edge_bad=edge_bad)
    assert set(outcomes) == ends
    expected = "fail" if mode == "no_bad_path" else "pass"
    assert {o.status for o in outcomes.values()} == {expected}
    if mode == "no_bad_path":
        path = outcomes[f"L{layers - 1}-7"].path
        assert len(path) == layers and set(path) & bad and is_path(g, path)
    # the traversal asks about each node and each edge a bounded number of times
    evidence = sum(len(o.path) for o in outcomes.values())
    assert sum(node_calls.values()) <= n + evidence
    assert sum(edge_calls.values()) <= 2 * m + evidence
    assert max(node_calls.values()) <= 1 + width  # once in the traversal, at most once per evidence path


def test_each_edge_is_examined_once_per_untainted_state() -> None:
    g = Adjacency.from_edges(layered(12, 6))
    asked: Counter[tuple[str, str]] = Counter()

    def edge_bad(u: str, v: str, kind: str) -> str | None:
        asked[(u, v)] += 1
        return None

    outcomes = evaluate_path_rule(g, ["L0-0"], {"L11-0"}, FOLLOW, mode="no_bad_path", max_hops=None,
                                  node_bad=bad_nodes("L3-3"), edge_bad=edge_bad)
    evidence = outcomes["L11-0"].path
    assert outcomes["L11-0"].status == "fail" and "L3-3" in evidence
    on_evidence = set(itertools.pairwise(evidence))
    # only untainted states consult edge_bad, and a node has one untainted state: once per edge, plus
    # once more for the edges of the evidence path when the reason is looked up
    assert all(count <= 1 + ((u, v) in on_evidence) for (u, v), count in asked.items())


# ---------------------------------------------------------------- the plain no_bad_path traversal


def test_the_plain_traversal_gives_the_general_one_s_outcomes_and_evidence() -> None:
    """Without a limit or an order a rule takes `nofakes.audit.plainpaths`; a limit that never counts
    takes the general state machine: both give the same outcomes, paths and reasons."""
    import random

    from nofakes.audit.paths import Limit

    rng = random.Random(20261203)
    failed = 0
    for _ in range(300):
        nodes = [f"n{i}" for i in range(rng.randint(2, 9))]
        kinds = ["supplies", "distributes", "returns"]
        edges = [f"{rng.choice(nodes)}>{rng.choice(nodes)}:{rng.choice(kinds)}" for _ in range(rng.randint(1, 20))]
        g = graph(*edges)
        present = sorted({n for e in edges for n in e.split(":")[0].split(">")})  # partners with an edge
        starts = rng.sample(present, rng.randint(1, min(3, len(present))))
        ends = set(rng.sample(nodes, rng.randint(1, len(nodes))))
        node_bad = bad_nodes(*rng.sample(nodes, rng.randint(0, min(3, len(nodes)))))
        edge_bad = bad_edges(*{e.split(":")[0] for e in edges if rng.random() < 0.3})
        for max_hops in (None, 1, 2, 4):
            plain = evaluate_path_rule(g, starts, ends, FOLLOW, mode="no_bad_path", max_hops=max_hops,
                                       node_bad=node_bad, edge_bad=edge_bad)
            general = evaluate_path_rule(g, starts, ends, FOLLOW, mode="no_bad_path", max_hops=max_hops,
                                         node_bad=node_bad, edge_bad=edge_bad, limit=Limit(9, node=lambda n: None))
            assert plain == general
            failed += sum(o.status == "fail" for o in plain.values())
    assert failed > 100  # the cases exercise bad paths, not only clean ones
