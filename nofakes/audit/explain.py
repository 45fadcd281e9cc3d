"""`audit --explain SUBJECT --rule ID`: why one subject passed, failed, was waived or is not
applicable for one rule, step by step.

The verdict is the audit's own: the rule is run (alone, with passes kept) by `run_audit`, so the
explanation can never disagree with a report. The steps re-compile every part of the rule with
the rule's own compiler (`nofakes.rules.explain`) and evaluate it on the subject: each filter of
`applies_to`, then the check as a tree; for a path rule, the path found and the conditions on every
partner and hop along it. Everything is evaluated for one subject, in time linear in the graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from nofakes.audit.compile import CompiledRule, RuleCompiler
from nofakes.audit.engine import Built, run_audit
from nofakes.audit.findings import AppliedWaiver, Finding, Status
from nofakes.audit.paths import reach_from
from nofakes.audit.screening import ScreeningLists
from nofakes.audit.subjects import EDGE_SCOPE, NODE_SCOPE, Subjects
from nofakes.audit.targets import TARGETS
from nofakes.core.errors import Diagnostic, UsageError, did_you_mean
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import AppliesTo, Rule, Target
from nofakes.packs.parameters import effective_parameters
from nofakes.risk.profile import Profile
from nofakes.rules.explain import FAILS, HOLDS, NO_EVIDENCE, Explainer, Step, outcome_word
from nofakes.rules.words import either, show
from nofakes.supply.graph import Adjacency, SupplyGraph, build_graph
from nofakes.supply.loading import LoadedSupply

VERDICTS = {Status.passed: "passes", Status.failed: "fails", Status.waived: "is waived",
            Status.not_applicable: "is not applicable"}


@dataclass(frozen=True)
class PathSteps:
    """A path rule on its end partner: the route shown (partner names, start to end) and why."""

    starts: int  # partners where the rule's paths start
    route: tuple[str, ...]
    route_words: str  # what the route is ("the path that fails", "a path the rule accepts", ...)
    steps: tuple[Step, ...]  # the rule's conditions on each partner and hop of the route


@dataclass(frozen=True)
class Explanation:
    pack: str
    rule: Rule
    subject: str  # as reports and waivers name it
    name: str
    edge_kind: str | None
    as_of: dt.date
    status: Status  # the audit's outcome for the subject (not_applicable: not evaluated)
    missing_evidence: bool
    message: str  # the finding's message (failing and waived subjects)
    why: str  # the finding's reason
    waiver: AppliedWaiver | None
    applies: tuple[Step, ...]  # each applies_to filter, in the order the audit applies them
    check: Step | None  # None: not applicable, or a path rule
    path: PathSteps | None

    @property
    def verdict(self) -> str:
        """The outcome in words: "passes", "fails", "is waived", "is not applicable"."""
        return VERDICTS[self.status]


def explain(loaded: LoadedSupply, packs: Sequence[ResolvedPack], subject: str, rule_id: str, *,
            as_of: dt.date | None = None, cli_params: Mapping[str, Any] | None = None,
            risk: Profile | None = None, screening: ScreeningLists | None = None) -> list[Explanation]:
    """One explanation per subject named `subject` (an edge id `from->to` names one per edge kind), with the
    counterfeit risk `risk` scores (what rules read as `risk`) and the lists `screening` names (what rules
    read as `screening`).

    Raises UsageError for an unknown rule or subject (with a did-you-mean), PackError as an audit does."""
    supply = build_graph(loaded.document)
    built = Built()  # its subjects, risk and screening tables: assessed and screened once
    result = run_audit(loaded, packs, as_of=as_of, cli_params=cli_params, include_passes=True, only=[rule_id],
                       supply=supply, risk=risk, screening=screening, built=built)
    pack = next(p for p in packs if any(r.id == rule_id for r in p.rules))
    rule = next(r for r in pack.rules if r.id == rule_id)
    subjects = built.subjects
    assert subjects is not None, "run_audit fills `built`"
    target = TARGETS[rule.target]
    views = [view for view in _all_subjects(rule.target, subjects) if target.subject(view)[0] == subject]
    if not views:
        known = [target.subject(view)[0] for view in _all_subjects(rule.target, subjects)]
        raise UsageError([Diagnostic("--explain", f"rule {rule_id} has no subject {subject!r}",
                                     expected=SUBJECT_WORDS[rule.target], hint=did_you_mean(subject, known))])
    params, _ = effective_parameters(packs, loaded.document.parameters, cli_params or {})
    compiler = RuleCompiler(pack, rule, params.get(pack.id, {}), result.as_of, supply, subjects, built.risk,
                            built.screening)
    findings = {(f.subject, f.edge_kind): f for f in result.findings if f.rule_id == rule_id and f.pack == pack.id}
    return [_explain_one(compiler, view, findings.get((subject, target.edge_kind(view))), supply)
            for view in views]


SUBJECT_WORDS = {
    Target.node: "a partner id", Target.path: "a partner id (the end of the rule's paths)",
    Target.edge: "a link as FROM->TO (partner ids)", Target.product: "a product id", Target.company: "the company id",
}


def _all_subjects(target: Target, subjects: Subjects) -> Iterable[Any]:
    if target in (Target.node, Target.path):
        return subjects.nodes.values()
    if target is Target.edge:
        return subjects.edges
    if target is Target.product:
        return subjects.products
    return [subjects.company]


def _explain_one(compiler: RuleCompiler, view: Any, finding: Finding | None, supply: SupplyGraph) -> Explanation:
    rule, target = compiler.rule, compiler.target
    subject, name = target.subject(view)
    explainer = Explainer(compiler.compiler(target.scope))
    applies = tuple(_applies_steps(compiler, explainer, view))
    applicable = finding is not None
    check = path = None
    if applicable and rule.check is not None:
        check = explainer.explain(rule.check, (*compiler.base, "check"), (view,))
    if rule.path is not None and all(step.outcome == HOLDS for step in applies):
        path = _path_steps(compiler, view, finding, supply)
    return Explanation(
        compiler.pack.id, rule, subject, name, target.edge_kind(view), compiler.as_of,
        finding.status if finding is not None else Status.not_applicable,
        finding.missing_evidence if finding is not None else False,
        finding.message if finding is not None else "", finding.detail if finding is not None else "",
        finding.waiver if finding is not None else None, applies, check, path)


# applies_to filters other than `where`: their words, and the value a subject has for them
_FILTERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "role": ("the partner's role", lambda v: v.node.role if v.node is not None else None),
    "kind": ("the link's kind", lambda v: v.edge.kind),
    "from_role": ("the supplying partner's role", lambda v: v.source.role),
    "to_role": ("the receiving partner's role", lambda v: v.target.role),
    "category": ("a product category it handles",
                 lambda v: sorted(v.categories) if hasattr(v, "categories") else v.category),
}


# the facets each target's subjects are selected by (README: What each target can read)
_FACETS: dict[Target, tuple[str, ...]] = {
    Target.node: ("role", "category"), Target.path: ("role", "category"),
    Target.edge: ("kind", "from_role", "to_role", "category"), Target.product: ("category",),
    Target.company: ("role",),
}


def _filter_steps(compiler: RuleCompiler, spec: AppliesTo, view: Any) -> Iterable[Step]:
    """Each facet of `applies_to` the rule's target reads, with the subject's value (the audit selects
    subjects by them through its index: here they are told one by one)."""
    for name in _FACETS.get(compiler.rule.target, ()):
        allowed = getattr(spec, name)
        if not allowed:
            continue
        words, value_of = _FILTERS[name]
        value = value_of(view)
        holds = not set(allowed).isdisjoint(value) if isinstance(value, list) else value in allowed
        found = f"{words} is {show(value)}" if value not in (None, []) else f"{words} is not recorded"
        yield Step(f"{words} is {either(show(v) for v in allowed)}", HOLDS if holds else FAILS, "", found)


def _applies_steps(compiler: RuleCompiler, explainer: Explainer, view: Any) -> Iterable[Step]:
    rule = compiler.rule
    if rule.path is not None:  # a path rule's subjects are its end partners
        end = rule.path.end
        if end.role:
            yield from _filter_steps(compiler, AppliesTo.model_validate({"role": end.role}), view)
        if end.where is not None:
            yield explainer.explain(end.where, (*compiler.base, "path", "end", "where"), (view,))
    spec = rule.applies_to
    if spec is not None:
        yield from _filter_steps(compiler, spec, view)
        if spec.where is not None:
            yield explainer.explain(spec.where, (*compiler.base, "applies_to", "where"), (view,))


def _path_steps(compiler: RuleCompiler, view: Any, finding: Finding | None, supply: SupplyGraph) -> PathSteps:
    rule, subjects = compiler.rule, compiler.subjects
    spec = rule.path
    assert spec is not None
    compiled = compiler.compile()
    assert compiled.start is not None
    starts = [nid for nid, start in subjects.nodes.items() if compiled.start(start)]
    follow = frozenset(kind.value for kind in spec.follow)
    end = view.node.id
    if finding is None:  # every applies_to filter holds, yet the audit did not check it
        route: tuple[str, ...] = ()
        words = ("it is itself a start partner: there is nothing to check" if end in starts else
                 "no path from a start partner reaches it: there is nothing to check")
    elif finding.evidence:
        route, words = finding.evidence, "the path that fails"
    elif finding.status is not Status.passed:
        route, words = (), "no path from a start partner reaches it"
    else:
        graph = supply.adjacency if spec.mode == "no_bad_path" else _allowed(compiled, subjects, starts, follow)
        reach = reach_from(graph, starts, follow, max_hops=spec.max_hops, strict=False)
        route = tuple(reversed(reach.path_to(end)))
        words = ("a path that reaches it (every such path is clean)" if spec.mode == "no_bad_path" else
                 "a path the rule accepts")
    steps = tuple(_route_steps(compiler, compiled, route, follow, frozenset(starts)))
    name = compiler.partner_name
    return PathSteps(len(starts), tuple(name(node) for node in route), words, steps)


def _allowed(compiled: CompiledRule, subjects: Subjects, starts: Sequence[str], follow: frozenset[str]) -> Adjacency:
    """The graph of the hops a `some_good_path` path may take: allowed edges out of start partners
    and out of partners that may be crossed."""
    start_set = frozenset(starts)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(starts)
    graph.add_edges_from((u, v, kind) for (u, v, kind), edge in subjects.by_edge.items()
                         if kind in follow and (u in start_set or _clean((subjects.nodes[u],), compiled.node_bad,
                                                                          compiled.node_required))
                         and _clean((edge,), compiled.edge_bad, compiled.edge_required))
    return Adjacency(graph)


def _clean(stack: tuple[Any, ...], *checks: Any) -> bool:
    return all(check is None or check(stack) is True for check in checks)


def _route_steps(compiler: RuleCompiler, compiled: CompiledRule, route: Sequence[str], follow: frozenset[str],
                 starts: frozenset[str]) -> Iterable[Step]:
    """For every hop and every partner crossed on the route: the rule's conditions on it."""
    spec = compiler.rule.path
    assert spec is not None
    nodes, name = compiler.subjects.nodes, compiler.partner_name
    node_explainer = Explainer(compiler.compiler(NODE_SCOPE))
    edge_explainer = Explainer(compiler.compiler(EDGE_SCOPE))
    for i in range(1, len(route)):
        u, v = route[i - 1], route[i]
        if i > 1 and u not in starts:
            yield _on_path(f"partner {name(u)}", node_explainer, compiler.base, (nodes[u],),
                           spec.forbid_nodes, "forbid_nodes", compiled.node_bad,
                           spec.require_nodes, "require_nodes", compiled.node_required)
        for (a, b, kind), edge in compiler.subjects.by_edge.items():
            if a == u and b == v and kind in follow:
                yield _on_path(f"hop {name(u)} -> {name(v)} ({kind.replace('_', ' ')})", edge_explainer,
                               compiler.base, (edge,), spec.forbid_edges, "forbid_edges", compiled.edge_bad,
                               spec.require_edges, "require_edges", compiled.edge_required)


def _on_path(what: str, explainer: Explainer, base: Sequence[str | int], stack: tuple[Any, ...],
             forbid: Any, forbid_key: str, forbid_check: Any, require: Any, require_key: str,
             require_check: Any) -> Step:
    parts: list[Step] = []
    outcomes: list[str] = []
    if forbid is not None:
        inner = explainer.explain(forbid, (*base, "path", forbid_key), stack)
        outcomes.append(outcome_word(forbid_check(stack)))
        noun = "partner" if forbid_key == "forbid_nodes" else "hop"
        parts.append(Step(f"it is not a {noun} the rule forbids, one where:", outcomes[-1], "", "", (inner,)))
    if require is not None:
        inner = explainer.explain(require, (*base, "path", require_key), stack)
        outcomes.append(inner.outcome)
        parts.append(Step("the rule requires:", inner.outcome, "", "", (inner,)))
    worst = FAILS if FAILS in outcomes else NO_EVIDENCE if NO_EVIDENCE in outcomes else HOLDS
    verdict = "may be on the path" if worst == HOLDS else "may not be on the path"
    return Step(f"{what} {verdict}", worst, "", "", tuple(parts) if worst != HOLDS else ())
