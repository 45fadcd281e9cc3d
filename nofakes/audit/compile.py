"""Compiling rules: every condition once per audit, against the scope of the rule's target.

`compile_rules()` turns each active rule of the selected packs into a `CompiledRule` (its
`applies_to` filter, its check, or its path spec), with its own pack's parameter values.
Every rule that fails to compile is reported, located in its pack file; deprecated rules are
compiled (so their errors show) but not evaluated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nofakes.audit.attributes import typed
from nofakes.audit.nearby import Nearby, Prepare
from nofakes.audit.pathrules import PathChecks, compile_path_checks
from nofakes.audit.paths import Reach, along, reach_from
from nofakes.audit.population import population
from nofakes.audit.riskroot import RiskTables, bound
from nofakes.audit.screening import ScreeningTables, bound_screening
from nofakes.audit.subjects import EDGE_SCOPE, NODE_SCOPE, PRODUCT_SCOPE, NodeView, Subjects
from nofakes.audit.targets import TARGETS, Filter, RuleTarget, applies_always
from nofakes.core.errors import Diagnostic, PackError, UsageError, format_path
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import AppliesTo, Rule, RuleStatus
from nofakes.rules import Check, Compiler, ConditionError, ScopeType, check_template
from nofakes.rules.compiler import record
from nofakes.rules.fields import Climb
from nofakes.rules.leaf import Built
from nofakes.rules.sets import Population
from nofakes.rules.starts import start_key
from nofakes.sources import formats
from nofakes.supply.graph import SupplyGraph
from nofakes.supply.model import EdgeKind


@dataclass(frozen=True)
class CompiledRule:
    pack: ResolvedPack
    rule: Rule
    params: Mapping[str, Any]  # this pack's parameter values (what {param.x} shows)
    applies: Filter
    check: Check | None
    start: Callable[[NodeView], bool] | None = None
    node_bad: Check | None = None
    node_required: Check | None = None
    edge_bad: Check | None = None
    edge_required: Check | None = None
    # when `applies` is the rule's `applies_to.where` alone: what identifies that test among the audit's
    # rules (same pack, target and condition: the same outcome on every subject), so rules share its selection
    where_key: str | None = None
    path_checks: PathChecks | None = None  # path rules: products, limit, after
    reads_risk: bool = False  # some condition reads `risk` (the audit needs an assessment)
    prepare: tuple[Prepare, ...] = ()  # called with the rule's candidates before it is evaluated

    @property
    def key(self) -> str:
        return f"{self.pack.id}|{self.rule.id}"

    @property
    def target(self) -> RuleTarget:
        return TARGETS[self.rule.target]


class RuleCompiler:
    """Compiles one rule; its target decides whether through `compile_check` or `compile_path`."""

    def __init__(self, pack: ResolvedPack, rule: Rule, params: Mapping[str, Any], as_of: dt.date,
                 supply: SupplyGraph, subjects: Subjects, risk: RiskTables | None = None,
                 screening: ScreeningTables | None = None):
        self.pack, self.rule, self.params, self.as_of = pack, rule, params, as_of
        self.supply, self.subjects, self.risk, self.screening = supply, subjects, risk, screening
        self.reads_risk = False
        self.target = TARGETS[rule.target]
        self.typed = typed(pack)  # its declared attributes: rules read only those, with their types
        self.base: list[str | int] = ["rules", pack.origins[rule.id].index]
        self.problems: list[ConditionError] = []  # every error of the rule, collected in one pass
        self.preparers: list[Prepare] = []  # told the rule's candidates before it runs (graph quantifiers)

    def compile(self) -> CompiledRule:
        """The compiled rule; every error in it (message and each condition) raised together as
        a `RuleErrors`."""
        try:
            check_template(self.rule.message, self.target.message_roots(self.rule), (*self.base, "message"),
                           self.params)
        except ConditionError as exc:
            record(self.problems, exc)
        try:
            compiled = self.target.compile(self)
        except ConditionError as exc:
            record(self.problems, exc)
        if self.problems:
            raise RuleErrors(self.problems)
        if self.preparers:
            compiled = replace(compiled, prepare=tuple(self.preparers))
        return replace(compiled, reads_risk=True) if self.reads_risk else compiled

    def typed_scope(self, scope: ScopeType) -> ScopeType:
        scope = bound_screening(bound(scope, self.risk, self._reads_risk), self.screening)
        return replace(scope, typed=self.typed) if self.typed is not None else scope

    def _reads_risk(self) -> None:
        self.reads_risk = True

    def compiler(self, scope: ScopeType, population: Population | None = None) -> Compiler:
        return Compiler(self.typed_scope(scope), self.params, self.as_of, graph_quantifier=self.graph_quantifier,
                        declared=self.pack.parameters, partner_name=self.partner_name, problems=self.problems,
                        population=population, company=self.subjects.company.company, named=self.pack.conditions)

    def condition(self, cond: Any, scope: ScopeType, *loc: str | int) -> Check:
        return self.compiler(scope).compile(cond, (*self.base, *loc))

    def forbidden(self, cond: Any, scope: ScopeType, *loc: str | int) -> Check:
        """Holds when `cond` definitely does not; fails in the words of `cond` (see Compiler.compile_forbidden)."""
        return self.compiler(scope).compile_forbidden(cond, (*self.base, *loc))

    def words(self, cond: Any, scope: ScopeType, *loc: str | int) -> str:
        """What a condition of the rule checks, in words (as failure reasons word it)."""
        return self.compiler(scope).build(cond, (*self.base, *loc)).text

    def partner_name(self, node_id: str) -> str:
        view = self.subjects.nodes.get(node_id)
        return view.node.name if view is not None else node_id

    def graph_quantifier(self, kind: str, spec: Mapping[str, Any], loc: Sequence[str | int]) -> Callable[[Any], Any]:
        climbs: list[Climb] = []  # what `where` reads of the starting partner through `../`
        node_scope = self.typed_scope(NODE_SCOPE)
        where = Compiler(node_scope, self.params, self.as_of, company=self.subjects.company.company,
                         named=self.pack.conditions).compile_inside(
            replace(node_scope, climbs=climbs), spec["where"], (*loc, "where"))
        key_of = start_key(climbs, kind)
        follow_raw = spec.get("follow", [k.value for k in EdgeKind if k is not EdgeKind.returns])
        kinds = {k.value for k in EdgeKind}
        if not isinstance(follow_raw, list) or not all(isinstance(k, str) and k in kinds for k in follow_raw):
            raise ConditionError((*loc, "follow"), f"found {follow_raw!r}",
                                 expected="a list of edge kinds: " + ", ".join(sorted(kinds)))
        max_hops = spec.get("max_hops")
        if max_hops is not None and (not isinstance(max_hops, int) or isinstance(max_hops, bool) or max_hops < 1):
            raise ConditionError((*loc, "max_hops"), f"found {max_hops!r}", expected="a whole number >= 1")
        follow = frozenset(follow_raw)
        upstream = kind.startswith("upstream")
        cache: dict[tuple[Any, ...], Reach] = {}  # one traversal per distinct start key (see nofakes.rules.starts)
        prefilter, reading = self._members_by_start(spec["where"], loc) if climbs else ([], None)
        hops_along = along(self.supply.adjacency, follow, backwards=not upstream, memo=bool(climbs))
        admitted: list[list[tuple[str, Any]]] = []  # [the partners the start-free members of `where` admit], once

        nearby = Nearby(self.supply.adjacency, self.subjects.nodes, follow, upstream=upstream, max_hops=max_hops,
                        hops_along=hops_along, towards=along(self.supply.adjacency, follow, backwards=upstream,
                                                             memo=True),
                        prefilter=prefilter, where=where, reading=reading,
                        existence=kind.endswith("_any")) if climbs else None
        if nearby is not None:
            self.preparers.append(nearby.prepare)

        def reached(stack: tuple[Any, ...]) -> tuple[str, ...] | None:
            start = stack[-1]
            key = key_of(start)
            reach = cache.get(key)
            if reach is None and nearby is not None and nearby.covers(start):  # over what can reach the starts
                found = nearby.path(start, key)
                return None if found is None else tuple(reversed(found)) if upstream else found
            if reach is None:
                if not admitted:
                    admitted.append([(nid, view) for nid, view in self.subjects.nodes.items()
                                     if all(member((view, start)) is True for member in prefilter)])
                matches = [nid for nid, view in admitted[0] if where((view, start)) is True]
                # a partner is upstream-matched when a match reaches it going downstream, and vice versa
                reach = cache[key] = reach_from(self.supply.adjacency, matches, follow, backwards=not upstream,
                                                max_hops=max_hops, hops_along=hops_along)
            node_id = start.node.id
            if node_id not in reach.hops:
                return None
            path = reach.path_to(node_id)  # node ... match
            return tuple(reversed(path)) if upstream else path

        return reached

    def _members_by_start(self, where: Any, loc: Sequence[str | int]) -> tuple[list[Check], list[Check] | None]:
        """The members of a graph quantifier's top-level `where: {all: [...]}` that do not read the
        starting partner (`../`), and those that do (None: `where` is no such `all`). A partner that fails
        one of the first is no match for any start, so they are tested once per partner, not once per
        distinct start key; a partner they admit matches a start when the others hold."""
        if not isinstance(where, Mapping) or set(where) != {"all"} or not isinstance(where["all"], list):
            return [], None
        node_scope = self.typed_scope(NODE_SCOPE)
        free: list[Check] = []
        reading: list[Check] = []
        for index, member in enumerate(where["all"]):
            climbs: list[Climb] = []
            check = Compiler(node_scope, self.params, self.as_of, company=self.subjects.company.company,
                             named=self.pack.conditions).compile_inside(
                replace(node_scope, climbs=climbs), member, (*loc, "where", "all", index))
            (reading if climbs else free).append(check)
        return free, reading

    def applies(self, spec: AppliesTo | None) -> Filter:
        """The rule's `applies_to` as one test, built from only the filters the rule has."""
        if spec is None:
            return applies_always
        checks = self.target.filters(spec)
        if spec.where is not None:
            where = self.condition(spec.where, self.target.scope, "applies_to", "where")
            checks.append(lambda s: where((s,)) is True)
        if spec.product is not None:
            checks.append(self.product_filter(spec.product))
        if not checks:
            return applies_always
        if len(checks) == 1:
            return checks[0]
        first, *rest = checks

        def test(subject: Any) -> bool:
            if not first(subject):
                return False
            for check in rest:
                if not check(subject):
                    return False
            return True

        return test

    def product_filter(self, cond: Any) -> Filter:
        """`applies_to.product`: the subject handles (carries) a product satisfying `cond`."""
        products_of = self.target.products_of
        if self.rule.target.value not in ("node", "edge", "path"):
            raise ConditionError((*self.base, "applies_to", "product"),
                                 f"applies_to.product in a {self.rule.target.value} rule",
                                 expected="node, edge and path rules (what a partner handles, what an edge carries)")
        match = self.condition(cond, PRODUCT_SCOPE, "applies_to", "product")

        def test(subject: Any) -> bool:
            return any(match((product,)) is True for product in products_of(subject) or ())

        return test

    def compile_check(self) -> CompiledRule:
        rule = self.rule
        assert rule.check is not None  # the pack loader requires it
        applies = self.applies(rule.applies_to)
        return CompiledRule(self.pack, rule, self.params, applies, self.built_check(applies).check,
                            where_key=self.where_key(rule.applies_to))

    def where_key(self, spec: AppliesTo | None) -> str | None:
        """`CompiledRule.where_key` of a rule whose per-subject tests are `applies_to.where` (and `product`): the rules
        with the same key and the same candidates share one selection, so the key holds every test `applies` makes."""
        if spec is None or spec.where is None or self.target.filters(spec):
            return None
        condition = json.dumps({"where": spec.where, "product": spec.product}, sort_keys=True, default=repr)
        return f"{self.pack.id}|{self.rule.target.value}|{condition}"

    def built_check(self, applies: Filter) -> Built:
        """The rule's `check` compiled, with the subjects its set checks (unique/group) compare."""
        loc = (*self.base, "check")
        subjects = population(self.target, self.rule, applies, self.subjects, loc)
        return self.compiler(self.target.scope, subjects).build(self.rule.check, loc)

    def check_words(self) -> str:
        """What the rule's `check` checks, in words."""
        return self.built_check(self.applies(self.rule.applies_to)).text

    def compile_path(self) -> CompiledRule:
        rule = self.rule
        spec = rule.path
        assert spec is not None  # the pack loader requires it
        end_roles = frozenset(spec.end.role) if spec.end.role else None
        start_roles = frozenset(spec.start.role) if spec.start.role else None
        end_where = self.condition(spec.end.where, NODE_SCOPE, "path", "end", "where") if spec.end.where else None
        start_where = (self.condition(spec.start.where, NODE_SCOPE, "path", "start", "where")
                       if spec.start.where else None)
        outer = self.applies(rule.applies_to)

        def is_end(view: NodeView) -> bool:
            if end_roles is not None and view.node.role not in end_roles:
                return False
            return (end_where is None or end_where((view,)) is True) and outer(view)

        def is_start(view: NodeView) -> bool:
            if start_roles is not None and view.node.role not in start_roles:
                return False
            return start_where is None or start_where((view,)) is True

        def required(cond: Any, scope: ScopeType, name: str) -> Check | None:
            return self.condition(cond, scope, "path", name) if cond is not None else None

        def forbidden(cond: Any, scope: ScopeType, name: str) -> Check | None:
            return self.forbidden(cond, scope, "path", name) if cond is not None else None

        return CompiledRule(
            self.pack, rule, self.params, is_end, None, start=is_start,
            node_bad=forbidden(spec.forbid_nodes, NODE_SCOPE, "forbid_nodes"),
            node_required=required(spec.require_nodes, NODE_SCOPE, "require_nodes"),
            edge_bad=forbidden(spec.forbid_edges, EDGE_SCOPE, "forbid_edges"),
            edge_required=required(spec.require_edges, EDGE_SCOPE, "require_edges"),
            path_checks=compile_path_checks(self, spec),
        )


def compile_rules(packs: Sequence[ResolvedPack], params: Mapping[str, Mapping[str, Any]], as_of: dt.date,
                  supply: SupplyGraph, subjects: Subjects, risk: RiskTables | None = None,
                  screening: ScreeningTables | None = None) -> list[CompiledRule]:
    """Compile every active rule with its pack's parameters (`params[pack.id]`); report every rule
    that fails to compile, located in its pack file. `risk`: what rules read as `risk` (without it,
    rules that read it compile with `reads_risk` set and must not run); `screening`: what node rules
    read as `screening` (screened on first use)."""
    compiled: list[CompiledRule] = []
    problems: list[Diagnostic] = []
    for pack in packs:
        for rule in pack.rules:
            try:
                rule_code = RuleCompiler(pack, rule, params.get(pack.id, {}), as_of, supply, subjects, risk,
                                         screening).compile()
                if rule.status is not RuleStatus.deprecated:  # compiled so its errors show, never evaluated
                    compiled.append(rule_code)
            except RuleErrors as exc:
                problems.extend(condition_diagnostic(pack, rule, error) for error in exc.errors)
    if problems:
        raise PackError(problems)
    return compiled


def refuse_without_risk(compiled: Sequence[CompiledRule]) -> None:
    """In an audit without a risk assessment: a UsageError naming the rules that read `risk`, if any
    (they cannot be evaluated, and must never pass unseen)."""
    reading = [rule for rule in compiled if rule.reads_risk]
    if reading:
        names = ", ".join(f"{rule.rule.id} ({rule.pack.id})" for rule in reading)
        raise UsageError([Diagnostic(
            "--no-risk", f"rule(s) {names} read the computed counterfeit risk (risk.*), but this audit assesses "
                         "no risk", expected="an audit with a risk profile",
            hint="leave out --no-risk (the default profile is used), or choose one with --risk-profile")])


class RuleErrors(Exception):
    """Every error found compiling one rule."""

    def __init__(self, errors: Sequence[ConditionError]):
        self.errors = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))


def condition_diagnostic(pack: ResolvedPack, rule: Rule, error: ConditionError) -> Diagnostic:
    """A compile error of `rule`, located in the pack file that defines it; an error inside a named
    condition is located at its definition and names the rule's use of it."""
    origin = pack.origins[rule.id]
    if not error.within:
        line, col = formats.locate(origin.file.text, list(error.loc))
        return Diagnostic(origin.file.display, f"rule {rule.id}: {error.message}", path=format_path(error.loc),
                          line=line, column=col, expected=error.expected, hint=error.hint)
    use_line, use_col = formats.locate(origin.file.text, list(error.used_at))
    used = f"{origin.file.display}:{use_line}:{use_col}"
    *through, name = error.within
    via = ", through " + ", ".join(repr(n) for n in through) if through else ""
    definition = pack.condition_files[name]
    line, col = formats.locate(definition.text, list(error.loc))
    return Diagnostic(definition.display, f"named condition {name!r} (used by rule {rule.id} at {used}, "
                                          f"{format_path(error.used_at)}{via}): {error.message}",
                      path=format_path(error.loc), line=line, column=col, expected=error.expected, hint=error.hint)
