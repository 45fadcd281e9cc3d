"""The rules engine: compile every rule once, evaluate it over its subjects, score.

`run_audit()` takes a loaded supply chain and resolved packs and returns an `AuditResult`
(frozen data). It never prints and never exits; progress goes to an optional callback.
Passing (rule, subject) pairs are counted, not kept, unless `include_passes` is set.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from nofakes import __version__
from nofakes.sources import formats
from nofakes.rules.conditions import Check, Compiler, ConditionError, Fail, ScopeType, check_template, render_template
from nofakes.core.errors import Diagnostic, PackError, UsageError, did_you_mean, format_path
from nofakes.audit.findings import SEVERITY_WEIGHT, Finding, RuleCounts, Status
from nofakes.supply.graph import SupplyGraph, build_graph
from nofakes.supply.loading import LoadedSupply, paused_gc
from nofakes.supply.model import EdgeKind
from nofakes.packs.model import AppliesTo, Parameter, Rule, RuleStatus, Target
from nofakes.packs.catalogue import ResolvedPack
from nofakes.audit.paths import evaluate_path_rule, reach_from
from nofakes.audit.scoring import PartnerScore, Score, ScoredRule, Scores, build_scores
from nofakes.audit.subjects import (COMPANY_SCOPE, EDGE_SCOPE, NODE_SCOPE, PRODUCT_SCOPE, TEMPLATE_ROOTS,
                              NodeView, Subjects, build_subjects)
from nofakes.audit.waivers import WaiverBook

Progress = Callable[[int, int, str], None]
SCOPES: dict[Target, ScopeType] = {Target.node: NODE_SCOPE, Target.edge: EDGE_SCOPE, Target.product: PRODUCT_SCOPE,
                                   Target.company: COMPANY_SCOPE, Target.path: NODE_SCOPE}


# ---------------------------------------------------------------- parameters


def parse_cli_params(values: Iterable[str]) -> dict[str, str]:
    """`K=V` strings from --param, as raw text; `effective_parameters` converts each to its declared type."""
    out: dict[str, str] = {}
    for text in values:
        key, sep, raw = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError([Diagnostic("--param", f"found {text!r}", expected="KEY=VALUE")])
        out[key] = raw.strip()
    return out


def _from_text(raw: str, default: Any) -> Any:
    """Convert --param text to the type of the parameter's default, or raise ValueError."""
    if isinstance(default, bool):
        lowered = raw.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, dt.date):
        return dt.date.fromisoformat(raw)
    return raw


ParamBlame = Callable[[str], Diagnostic]


def effective_parameters(packs: Sequence[ResolvedPack], from_file: Mapping[str, Any], from_cli: Mapping[str, Any],
                         blame_file: ParamBlame | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Pack defaults, overridden by the supply file, overridden by --param. Types and bounds checked.

    `blame_file(name)` gives a located diagnostic (file, line, column, path) for the supply
    file's `parameters.<name>`; without it, problems there are reported against "parameters".
    """
    declared: dict[str, Parameter] = {}
    for pack in packs:
        for name, parameter in pack.parameters.items():
            declared.setdefault(name, parameter)
    values = {name: p.default for name, p in declared.items()}
    warnings: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    for origin, overrides in (("parameters", from_file), ("--param", from_cli)):
        for name, value in overrides.items():
            if origin == "parameters" and blame_file is not None:
                where = blame_file(name)
            else:
                where = Diagnostic(origin, "", path=f"parameters.{name}" if origin == "parameters" else name)
            if name not in declared:
                warnings.append(replace(where, message=f"parameter {name!r} is not declared by any selected pack; "
                                        "ignored", level="warning", hint=did_you_mean(name, declared)))
                continue
            parameter = declared[name]
            default = parameter.default
            if origin == "--param":
                try:
                    value = _from_text(str(value), default)
                except ValueError:
                    value = str(value)
            if not _same_kind(default, value):
                kind = _KIND_NAMES.get(type(default), "a value")
                problems.append(replace(where, message=f"parameter {name!r} is {value!r}",
                                        expected=f"{kind} like the default {default!r}"))
                continue
            bounds = _bounds_problem(parameter, value)
            if bounds:
                problems.append(replace(where, message=f"parameter {name!r} is {value!r}", expected=bounds))
                continue
            values[name] = value
    if problems:
        raise UsageError(problems)
    return values, warnings


def _bounds_problem(parameter: Parameter, value: Any) -> str | None:
    """What a numeric parameter value should be, if it lies outside the declared bounds."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    low, high = parameter.minimum, parameter.maximum
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is None:
        return f"at most {_number(high)}" if high is not None else None
    return f"between {_number(low)} and {_number(high)}" if high is not None else f"at least {_number(low)}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text", dt.date: "a date"}


def _file_parameter(loaded: LoadedSupply) -> ParamBlame:
    """Locates `parameters.<name>` in the root supply file (only it may hold parameters)."""
    source = loaded.sources[0]

    def blame(name: str) -> Diagnostic:
        line, col = formats.locate(source.text, ["parameters", name])
        return Diagnostic(source.display, "", path=f"parameters.{name}", line=line, column=col)

    return blame


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(default, float) or isinstance(value, int))
    return type(default) is type(value)


# ---------------------------------------------------------------- compiled rules


@dataclass(frozen=True)
class CompiledRule:
    pack: ResolvedPack
    rule: Rule
    applies: Callable[[Any], bool]
    check: Check | None
    start: Callable[[NodeView], bool] | None = None
    node_bad: Check | None = None
    node_required: Check | None = None
    edge_bad: Check | None = None
    edge_required: Check | None = None

    @property
    def key(self) -> str:
        return f"{self.pack.id}|{self.rule.id}"


class _RuleCompiler:
    def __init__(self, pack: ResolvedPack, rule: Rule, params: Mapping[str, Any], as_of: dt.date,
                 supply: SupplyGraph, subjects: Subjects):
        self.pack, self.rule, self.params, self.as_of = pack, rule, params, as_of
        self.supply, self.subjects = supply, subjects
        self.base: list[str | int] = ["rules", pack.origins[rule.id].index]

    def compiler(self, scope: ScopeType) -> Compiler:
        return Compiler(scope, self.params, self.as_of, graph_quantifier=self.graph_quantifier)

    def condition(self, cond: Any, scope: ScopeType, *loc: str | int) -> Check:
        return self.compiler(scope).compile(cond, (*self.base, *loc))

    def graph_quantifier(self, kind: str, spec: Mapping[str, Any], loc: Sequence[str | int]) -> Callable[[Any], Any]:
        where = Compiler(NODE_SCOPE, self.params, self.as_of).compile(spec["where"], (*loc, "where"))
        follow_raw = spec.get("follow", [k.value for k in EdgeKind if k is not EdgeKind.returns])
        kinds = {k.value for k in EdgeKind}
        if not isinstance(follow_raw, list) or not all(isinstance(k, str) and k in kinds for k in follow_raw):
            raise ConditionError((*loc, "follow"), f"found {follow_raw!r}", expected="a list of edge kinds: " + ", ".join(sorted(kinds)))
        max_hops = spec.get("max_hops")
        if max_hops is not None and (not isinstance(max_hops, int) or isinstance(max_hops, bool) or max_hops < 1):
            raise ConditionError((*loc, "max_hops"), f"found {max_hops!r}", expected="a whole number >= 1")
        follow = frozenset(follow_raw)
        upstream = kind.startswith("upstream")
        cache: dict[str, Any] = {}

        def reached(stack: tuple[Any, ...]) -> tuple[str, ...] | None:
            if "reach" not in cache:
                matches = [nid for nid, view in self.subjects.nodes.items() if where((view,)) is True]
                # a partner is upstream-matched when a match reaches it going downstream, and vice versa
                cache["reach"] = reach_from(self.supply.graph, matches, follow, backwards=not upstream, max_hops=max_hops)
            reach = cache["reach"]
            node_id = stack[-1].node.id
            if node_id not in reach.hops:
                return None
            path = reach.path_to(node_id)  # node ... match
            return tuple(reversed(path)) if upstream else path

        return reached

    def applies(self, spec: AppliesTo | None, target: Target, *loc: str | int) -> Callable[[Any], bool]:
        if spec is None:
            return lambda subject: True
        where = self.condition(spec.where, SCOPES[target], *loc, "where") if spec.where is not None else None
        roles = frozenset(spec.role) if spec.role else None
        kinds = frozenset(spec.kind) if spec.kind else None
        from_roles = frozenset(spec.from_role) if spec.from_role else None
        to_roles = frozenset(spec.to_role) if spec.to_role else None
        categories = frozenset(spec.category) if spec.category else None

        checks: list[Callable[[Any], bool]] = []
        if target in (Target.node, Target.path):
            if roles is not None:
                checks.append(lambda s: s.node.role in roles)
            if categories is not None:
                checks.append(lambda s: not categories.isdisjoint(s.categories))
        elif target is Target.edge:
            if kinds is not None:
                checks.append(lambda s: s.edge.kind in kinds)
            if from_roles is not None:
                checks.append(lambda s: s.source.node.role in from_roles)
            if to_roles is not None:
                checks.append(lambda s: s.target.node.role in to_roles)
            if categories is not None:
                checks.append(lambda s: not categories.isdisjoint(s.categories))
        elif target is Target.product:
            if categories is not None:
                checks.append(lambda s: s.category in categories)
        elif target is Target.company:
            if roles is not None:
                checks.append(lambda s: s.node is not None and s.node.role in roles)
        if where is not None:
            checks.append(lambda s: where((s,)) is True)
        if not checks:
            return lambda subject: True
        if len(checks) == 1:
            return checks[0]
        first, *rest = checks

        def test(subject: Any) -> bool:  # compiled once per rule: only the filters the rule has
            if not first(subject):
                return False
            for check in rest:
                if not check(subject):
                    return False
            return True

        return test

    def compile(self) -> CompiledRule:
        rule = self.rule
        check_template(rule.message, TEMPLATE_ROOTS[rule.target.value], (*self.base, "message"), self.params)
        if rule.target is not Target.path:
            applies = self.applies(rule.applies_to, rule.target, "applies_to")
            assert rule.check is not None
            return CompiledRule(self.pack, rule, applies, self.condition(rule.check, SCOPES[rule.target], "check"))
        spec = rule.path
        assert spec is not None
        end_roles = frozenset(spec.end.role) if spec.end.role else None
        start_roles = frozenset(spec.start.role) if spec.start.role else None
        end_where = self.condition(spec.end.where, NODE_SCOPE, "path", "end", "where") if spec.end.where else None
        start_where = self.condition(spec.start.where, NODE_SCOPE, "path", "start", "where") if spec.start.where else None
        outer = self.applies(rule.applies_to, Target.path, "applies_to")

        def is_end(view: NodeView) -> bool:
            if end_roles is not None and view.node.role not in end_roles:
                return False
            return (end_where is None or end_where((view,)) is True) and outer(view)

        def is_start(view: NodeView) -> bool:
            if start_roles is not None and view.node.role not in start_roles:
                return False
            return start_where is None or start_where((view,)) is True

        def optional(cond: Any, scope: ScopeType, name: str) -> Check | None:
            return self.condition(cond, scope, "path", name) if cond is not None else None

        return CompiledRule(
            self.pack, rule, is_end, None, start=is_start,
            node_bad=optional(spec.forbid_nodes, NODE_SCOPE, "forbid_nodes"),
            node_required=optional(spec.require_nodes, NODE_SCOPE, "require_nodes"),
            edge_bad=optional(spec.forbid_edges, EDGE_SCOPE, "forbid_edges"),
            edge_required=optional(spec.require_edges, EDGE_SCOPE, "require_edges"),
        )


def compile_rules(packs: Sequence[ResolvedPack], params: Mapping[str, Any], as_of: dt.date, supply: SupplyGraph,
                  subjects: Subjects) -> list[CompiledRule]:
    """Compile every active rule; report every rule that fails to compile, located in its pack file."""
    compiled: list[CompiledRule] = []
    problems: list[Diagnostic] = []
    for pack in packs:
        for rule in pack.rules:
            try:
                rule_code = _RuleCompiler(pack, rule, params, as_of, supply, subjects).compile()
                if rule.status is not RuleStatus.deprecated:  # compiled so its errors show, never evaluated
                    compiled.append(rule_code)
            except ConditionError as exc:
                origin = pack.origins[rule.id]
                line, col = formats.locate(origin.file.text, list(exc.loc))
                problems.append(Diagnostic(origin.file.display, f"rule {rule.id}: {exc.message}", path=format_path(exc.loc),
                                           line=line, column=col, expected=exc.expected, hint=exc.hint))
    if problems:
        raise PackError(problems)
    return compiled


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class WaiverReport:
    applied: tuple[Finding, ...]
    expired: tuple[Any, ...]  # model.Waiver
    unused: tuple[Any, ...]


@dataclass(frozen=True)
class AuditResult:
    tool_version: str
    as_of: dt.date
    supply: LoadedSupply
    packs: tuple[ResolvedPack, ...]
    parameters: dict[str, Any]
    rules: tuple[ScoredRule, ...]
    findings: tuple[Finding, ...]  # failing and waived (and passing with include_passes), ordered
    scores: Scores
    waivers: WaiverReport
    warnings: tuple[Diagnostic, ...]
    include_passes: bool = False
    names: dict[str, str] = field(default_factory=dict, repr=False)  # node id -> name


class _Tally:
    """Per-partner accumulation of the partner score, one rule at a time (no per-pair storage)."""

    def __init__(self) -> None:
        self.numerator: dict[str, float] = defaultdict(float)
        self.denominator: dict[str, float] = defaultdict(float)
        self.rules: dict[str, int] = defaultdict(int)
        self.failed: dict[str, int] = defaultdict(int)
        self.waived: dict[str, int] = defaultdict(int)

    def add(self, weight: float, counts: Mapping[str, list[int]]) -> None:
        for partner, (p, f, w) in counts.items():
            self.failed[partner] += f
            self.waived[partner] += w
            if p + f:
                self.numerator[partner] += weight * p / (p + f)
                self.denominator[partner] += weight
                self.rules[partner] += 1

    def scores(self) -> list[PartnerScore]:
        partners = sorted(set(self.failed) | set(self.denominator))
        return [PartnerScore(p, Score(self.numerator[p], self.denominator[p], self.rules[p]), self.failed[p],
                             self.waived[p]) for p in partners]


def _subject_name(view: Any, target: Target) -> tuple[str, str]:
    if target in (Target.node, Target.path):
        return view.node.id, view.node.name
    if target is Target.edge:
        return view.subject, f"{view.source.node.name} -> {view.target.node.name}"
    if target is Target.product:
        return view.id, view.name
    return view.company.id, view.company.name


class _Evaluator:
    def __init__(self, supply: SupplyGraph, subjects: Subjects, params: Mapping[str, Any], book: WaiverBook,
                 include_passes: bool):
        self.supply, self.subjects, self.params, self.book = supply, subjects, params, book
        self.include_passes = include_passes
        self.findings: list[Finding] = []
        self.tally = _Tally()
        self.by_role: dict[str, list[NodeView]] = defaultdict(list)
        for view in subjects.nodes.values():
            self.by_role[view.node.role.value].append(view)
        self.edge_views = {(v.edge.from_, v.edge.to, v.edge.kind.value): v for v in subjects.edges}

    def subjects_of(self, compiled: CompiledRule) -> tuple[list[Any], int]:
        """Candidate subjects (pre-filtered by role where possible) and the total count."""
        rule = compiled.rule
        target = rule.target
        if target in (Target.node, Target.path):
            total = len(self.subjects.nodes)
            roles = rule.applies_to.role if rule.applies_to and rule.applies_to.role else None
            if target is Target.path and rule.path is not None and rule.path.end.role:
                roles = [r for r in rule.path.end.role if roles is None or r in roles]
            if roles is not None:
                return [v for r in dict.fromkeys(roles) for v in self.by_role.get(r.value, [])], total
            return list(self.subjects.nodes.values()), total
        if target is Target.edge:
            edges = self.subjects.edges
            kinds = frozenset(rule.applies_to.kind) if rule.applies_to and rule.applies_to.kind else None
            if kinds is not None:
                return [v for v in edges if v.edge.kind in kinds], len(edges)
            return edges, len(edges)
        if target is Target.product:
            return self.subjects.products, len(self.subjects.products)
        return [self.subjects.company], 1

    def partner_of(self, compiled: CompiledRule, view: Any) -> str | None:
        target = compiled.rule.target
        if target in (Target.node, Target.path):
            return view.node.id  # type: ignore[no-any-return]
        if target is Target.edge:
            return view.edge.from_ if compiled.rule.responsible == "from" else view.edge.to  # type: ignore[no-any-return]
        if target is Target.company:
            return view.node.id if view.node is not None else None  # type: ignore[no-any-return]
        return None

    def template_values(self, compiled: CompiledRule, view: Any, evidence: tuple[str, ...]) -> dict[str, Any]:
        target = compiled.rule.target
        values: dict[str, Any] = {"param": self.params}
        if target in (Target.node, Target.path):
            values.update(node=view.node, tier=view.tier)
            if target is Target.path:
                names = [self.subjects.nodes[n].node.name for n in evidence]
                values.update(start=self.subjects.nodes[evidence[0]].node if evidence else None,
                              path=" -> ".join(names) if names else "(no path)", hops=max(len(evidence) - 1, 0))
        elif target is Target.edge:
            values.update({"edge": view.edge, "from": view.source.node, "to": view.target.node})
        elif target is Target.product:
            values.update(product=view)
        else:
            values.update(company=view.company, node=view.node)
        return values

    def record(self, compiled: CompiledRule, view: Any, outcome: Any, counts: list[int],
               partner_counts: dict[str, list[int]] | None, evidence: tuple[str, ...] = ()) -> None:
        """Count one applicable subject; keep it as a finding unless it passed."""
        rule = compiled.rule
        partner = self.partner_of(compiled, view)
        if outcome is True and not self.include_passes:  # the common case: only counted
            counts[0] += 1
            if partner is not None and partner_counts is not None:
                partner_counts.setdefault(partner, [0, 0, 0])[0] += 1
            return
        subject, name = _subject_name(view, rule.target)
        edge_kind = view.edge.kind.value if rule.target is Target.edge else None
        if outcome is True:
            counts[0] += 1
            slot = 0
            if self.include_passes:
                self.findings.append(Finding(rule.id, compiled.pack.id, rule.section, rule.severity, Status.passed,
                                             rule.target.value, subject, name, partner, "", "", False, edge_kind))
        else:
            waiver = self.book.match(rule.id, subject)
            fail: Fail = outcome
            evidence = evidence or fail.evidence
            message = render_template(rule.message, self.template_values(compiled, view, evidence))
            status = Status.waived if waiver else Status.failed
            counts[2 if waiver else 1] += 1
            slot = 2 if waiver else 1
            self.findings.append(Finding(rule.id, compiled.pack.id, rule.section, rule.severity, status,
                                         rule.target.value, subject, name, partner, message, fail.reason, fail.missing,
                                         edge_kind, evidence, waiver))
        if partner is not None and partner_counts is not None:
            partner_counts.setdefault(partner, [0, 0, 0])[slot] += 1

    def run(self, compiled: CompiledRule) -> RuleCounts:
        counts = [0, 0, 0]  # passed, failed, waived
        first = len(self.findings)
        candidates, total = self.subjects_of(compiled)
        partner_counts: dict[str, list[int]] = {}
        weight = SEVERITY_WEIGHT[compiled.rule.severity]
        if compiled.rule.target is Target.path:
            self.run_path(compiled, candidates, counts, partner_counts)
        else:
            applies, check = compiled.applies, compiled.check
            assert check is not None
            for view in candidates:
                if not applies(view):
                    continue
                self.record(compiled, view, check((view,)), counts, partner_counts)
        self.tally.add(weight, partner_counts)
        if len(self.findings) - first > 1:  # this rule's findings, by subject: deterministic and readable
            self.findings[first:] = sorted(self.findings[first:], key=_subject_order)
        applicable = counts[0] + counts[1] + counts[2]
        return RuleCounts(counts[0], counts[1], counts[2], total - applicable)

    def run_path(self, compiled: CompiledRule, candidates: list[NodeView], counts: list[int],
                 partner_counts: dict[str, list[int]]) -> None:
        spec = compiled.rule.path
        assert spec is not None and compiled.start is not None
        nodes = self.subjects.nodes
        ends = {view.node.id: view for view in candidates if compiled.applies(view)}
        starts = [nid for nid, view in nodes.items() if compiled.start(view)]
        node_memo: dict[str, str | None] = {}
        edge_memo: dict[tuple[str, str, str], str | None] = {}

        def node_bad(node_id: str) -> str | None:
            if node_id not in node_memo:
                node_memo[node_id] = _violation((nodes[node_id],), compiled.node_bad, compiled.node_required)
            return node_memo[node_id]

        def edge_bad(u: str, v: str, kind: str) -> str | None:
            key = (u, v, kind)
            if key not in edge_memo:
                edge_memo[key] = _violation((self.edge_views[key],), compiled.edge_bad, compiled.edge_required)
            return edge_memo[key]

        outcomes = evaluate_path_rule(self.supply.graph, starts, ends, frozenset(k.value for k in spec.follow),
                                      mode=spec.mode, max_hops=spec.max_hops, node_bad=node_bad, edge_bad=edge_bad)
        for end_id in sorted(outcomes):
            outcome = outcomes[end_id]
            result: Any = True if outcome.status == "pass" else Fail(
                outcome.reason, missing=": no evidence of " in outcome.reason or outcome.reason.startswith("no evidence of "))
            self.record(compiled, ends[end_id], result, counts, partner_counts, outcome.path)


def _subject_order(finding: Finding) -> tuple[str, str]:
    return finding.subject, finding.edge_kind or ""


def _violation(stack: tuple[Any, ...], bad: Check | None, required: Check | None) -> str | None:
    """Why a node or edge may not be on a path, or None. Missing evidence counts against it."""
    if bad is not None:
        result = bad(stack)
        if result is True:
            return "matches a forbidden condition"
        if result.missing:  # type: ignore[union-attr]
            return result.reason  # type: ignore[union-attr]
    if required is not None:
        result = required(stack)
        if result is not True:
            return result.reason  # type: ignore[union-attr]
    return None


def run_audit(loaded: LoadedSupply, packs: Sequence[ResolvedPack], *, as_of: dt.date | None = None,
              cli_params: Mapping[str, Any] | None = None, include_passes: bool = False,
              progress: Progress | None = None, supply: SupplyGraph | None = None,
              timings: dict[str, float] | None = None) -> AuditResult:
    """Audit a loaded supply chain against resolved packs. Raises PackError / UsageError.

    `timings`, when given, receives seconds spent in 'graph', 'rules' and 'scoring'.
    """
    clock = time.perf_counter()
    timings = {} if timings is None else timings
    document = loaded.document
    as_of = as_of or document.as_of or dt.date.today()
    params, warnings = effective_parameters(packs, document.parameters, cli_params or {}, _file_parameter(loaded))
    with paused_gc():
        supply = supply or build_graph(document)
        subjects = build_subjects(document, supply)
        timings["graph"], clock = time.perf_counter() - clock, time.perf_counter()
        compiled = compile_rules(packs, params, as_of, supply, subjects)
        book = WaiverBook.from_waivers(document.waivers, as_of)
        evaluator = _Evaluator(supply, subjects, params, book, include_passes)
        scored: list[ScoredRule] = []
        for index, rule in enumerate(compiled):
            if progress:
                progress(index, len(compiled), rule.rule.id)
            scored.append(ScoredRule(rule.pack.id, rule.rule, evaluator.run(rule)))
        if progress:
            progress(len(compiled), len(compiled), "")
        timings["rules"], clock = time.perf_counter() - clock, time.perf_counter()
    findings = evaluator.findings  # in rule order, each rule's by subject
    failures = [f for f in findings if f.status is Status.failed]
    scores = build_scores(scored, failures, evaluator.tally.scores())
    for waiver in book.expired:
        warnings.append(Diagnostic("waivers", f"waiver for {waiver.rule} on {waiver.target} expired on "
                                              f"{waiver.expires.isoformat()}; its findings count again", level="warning"))
    for waiver in book.unused():
        warnings.append(Diagnostic("waivers", f"waiver for {waiver.rule} on {waiver.target} matches no failing finding",
                                   level="warning"))
    timings["scoring"] = time.perf_counter() - clock
    return AuditResult(
        tool_version=__version__, as_of=as_of, supply=loaded, packs=tuple(packs), parameters=dict(sorted(params.items())),
        rules=tuple(scored), findings=tuple(findings), scores=scores,
        waivers=WaiverReport(tuple(f for f in findings if f.status is Status.waived), tuple(book.expired),
                             tuple(book.unused())),
        warnings=tuple(warnings), include_passes=include_passes,
        names={n.id: n.name for n in document.nodes},
    )
