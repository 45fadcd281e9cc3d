"""The rules engine: evaluate every compiled rule over its subjects, then score.

`run_audit()` takes a loaded supply chain and resolved packs and returns an `AuditResult`
(frozen data, `nofakes.audit.result`). It never prints and never exits; progress goes to an
optional callback. Passing (rule, subject) pairs are counted, not kept, unless
`include_passes` is set. Parameters are resolved in `nofakes.packs.parameters`, rules
compiled in `nofakes.audit.compile`; what differs between rule targets lives in
`nofakes.audit.targets`. A graph without partners audits nothing: no rule is evaluated and
there is no score. `only` narrows the audit to some rule ids (`audit --rule`): the scores then
cover those rules only, which the audit's warnings say.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from nofakes import __version__
from nofakes.audit.attributes import check_supply
from nofakes.audit.compile import CompiledRule, compile_rules
from nofakes.audit.findings import SEVERITY_WEIGHT, Finding, RuleCounts, Status
from nofakes.audit.result import AuditResult, Coverage, InputFile, Link, Partner, WaiverReport
from nofakes.audit.scoring import PartnerScore, Score, ScoredRule, build_scores
from nofakes.audit.subjects import Subjects, build_subjects
from nofakes.audit.waivers import WaiverBook, waiver_warnings
from nofakes.core.errors import Diagnostic, UsageError, did_you_mean
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import RuleStatus
from nofakes.packs.parameters import ParamBlame, effective_parameters, qualified
from nofakes.rules import Fail, Outcome, render_template
from nofakes.sources import formats
from nofakes.supply.graph import SupplyGraph, build_graph
from nofakes.supply.loading import LoadedSupply, paused_gc

Progress = Callable[[int, int, str], None]


def _file_parameter(loaded: LoadedSupply) -> ParamBlame:
    """Locates `parameters.<name>` in the root supply file (only it may hold parameters)."""
    source = loaded.sources[0]

    def blame(name: str) -> Diagnostic:
        line, col = formats.locate(source.text, ["parameters", name])
        return Diagnostic(source.display, "", path=f"parameters.{name}", line=line, column=col)

    return blame


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


class _RuleRun:
    """The outcomes of one rule: counted, and kept as findings unless they passed."""

    __slots__ = ("compiled", "rule", "target", "findings", "book", "include_passes", "subjects", "counts",
                 "partner_counts")

    def __init__(self, compiled: CompiledRule, findings: list[Finding], book: WaiverBook, include_passes: bool,
                 subjects: Subjects):
        self.compiled, self.rule, self.target = compiled, compiled.rule, compiled.target
        self.findings, self.book, self.include_passes, self.subjects = findings, book, include_passes, subjects
        self.counts = [0, 0, 0]  # passed, failed, waived
        self.partner_counts: dict[str, list[int]] = {}

    def record(self, view: Any, outcome: Outcome, evidence: tuple[str, ...] = ()) -> None:
        """Count one applicable subject; keep it as a finding unless it passed."""
        rule = self.rule
        partner = self.target.partner(rule, view)
        if outcome is True and not self.include_passes:  # the common case: only counted
            self.counts[0] += 1
            if partner is not None:
                self.partner_counts.setdefault(partner, [0, 0, 0])[0] += 1
            return
        subject, name = self.target.subject(view)
        edge_kind = self.target.edge_kind(view)
        pack = self.compiled.pack.id
        if outcome is True:
            slot = 0
            self.findings.append(Finding(rule.id, pack, rule.section, rule.severity, Status.passed,
                                         rule.target.value, subject, name, partner, "", "", False, edge_kind))
        else:
            waiver = self.book.match(rule.id, subject)
            fail: Fail = outcome  # type: ignore[assignment]
            evidence = evidence or fail.evidence
            values = {"param": self.compiled.params, **self.target.template_values(view, evidence, self.subjects)}
            message = render_template(rule.message, values)
            slot = 2 if waiver else 1
            self.findings.append(Finding(rule.id, pack, rule.section, rule.severity,
                                         Status.waived if waiver else Status.failed, rule.target.value, subject,
                                         name, partner, message, fail.reason, fail.missing, edge_kind, evidence,
                                         waiver))
        self.counts[slot] += 1
        if partner is not None:
            self.partner_counts.setdefault(partner, [0, 0, 0])[slot] += 1


class _Evaluator:
    def __init__(self, supply: SupplyGraph, subjects: Subjects, book: WaiverBook, include_passes: bool):
        self.supply, self.subjects, self.book = supply, subjects, book
        self.include_passes = include_passes
        self.findings: list[Finding] = []
        self.tally = _Tally()
        self.evaluated = 0  # applicable (rule, subject) evaluations

    def run(self, compiled: CompiledRule) -> RuleCounts:
        first = len(self.findings)
        target = compiled.target
        candidates, total = target.candidates(compiled.rule, self.subjects)
        run = _RuleRun(compiled, self.findings, self.book, self.include_passes, self.subjects)
        if self.subjects.nodes:  # no partners: nothing is audited, not even the company's own rules
            target.evaluate(compiled, candidates, run.record, self.subjects, self.supply.adjacency)
        self.tally.add(SEVERITY_WEIGHT[compiled.rule.severity], run.partner_counts)
        if len(self.findings) - first > 1:  # this rule's findings, by subject: deterministic and readable
            self.findings[first:] = sorted(self.findings[first:], key=_subject_order)
        passed, failed, waived = run.counts
        self.evaluated += passed + failed + waived
        return RuleCounts(passed, failed, waived, total - passed - failed - waived)

    def skip(self, compiled: CompiledRule) -> RuleCounts:
        """A rule not in force on the audit date: every subject it may apply to is not applicable."""
        return RuleCounts(0, 0, 0, compiled.target.candidates(compiled.rule, self.subjects)[1])


def _not_in_force_note(compiled: CompiledRule, as_of: dt.date, reason: str, counts: RuleCounts) -> Diagnostic:
    """Says, located at the rule's date in its pack file, why a rule was not applied."""
    rule, origin = compiled.rule, compiled.pack.origins[compiled.rule.id]
    key = "effective" if rule.effective is not None and as_of < rule.effective else "sunset"
    line, col = formats.locate(origin.file.text, ["rules", origin.index, key])
    return Diagnostic(origin.file.display, f"rule {rule.id} ({rule.title}) is {reason}; its "
                                           f"{counts.not_applicable} subject(s) are not applicable",
                      path=f"rules[{origin.index}].{key}", line=line, column=col, level="note")


def _subject_order(finding: Finding) -> tuple[str, str]:
    return finding.subject, finding.edge_kind or ""


def run_audit(loaded: LoadedSupply, packs: Sequence[ResolvedPack], *, as_of: dt.date | None = None,
              cli_params: Mapping[str, Any] | None = None, include_passes: bool = False,
              progress: Progress | None = None, supply: SupplyGraph | None = None,
              timings: dict[str, float] | None = None, only: Collection[str] | None = None) -> AuditResult:
    """Audit a loaded supply chain against resolved packs. Raises PackError / UsageError, and InputError
    when the supply file's attributes have other types than the packs declare.

    With `only` (rule ids of the packs), only those rules are evaluated and scored.

    `timings`, when given, receives seconds spent in 'graph', 'rules' and 'scoring'.
    """
    clock = time.perf_counter()
    timings = {} if timings is None else timings
    document = loaded.document
    as_of = as_of or document.as_of or dt.date.today()
    selected = _selected_rules(packs, only)
    params, warnings = effective_parameters(packs, document.parameters, cli_params or {}, _file_parameter(loaded))
    warnings.extend(check_supply(loaded, packs))  # against the packs' declared attributes; InputError on a wrong type
    with paused_gc():
        supply = supply or build_graph(document)
        subjects = build_subjects(document, supply)
        timings["graph"], clock = time.perf_counter() - clock, time.perf_counter()
        compiled = [rule for rule in compile_rules(packs, params, as_of, supply, subjects)
                    if selected is None or rule.rule.id in selected]
        book = WaiverBook.from_waivers(document.waivers, as_of)
        evaluator = _Evaluator(supply, subjects, book, include_passes)
        scored: list[ScoredRule] = []
        for index, rule in enumerate(compiled):
            if progress:
                progress(index, len(compiled), rule.rule.id)
            off = rule.rule.not_in_force(as_of)
            if off is None:
                scored.append(ScoredRule(rule.pack.id, rule.rule, evaluator.run(rule)))
            else:
                scored.append(ScoredRule(rule.pack.id, rule.rule, counts := evaluator.skip(rule), off))
                warnings.append(_not_in_force_note(rule, as_of, off, counts))
        if progress:
            progress(len(compiled), len(compiled), "")
        timings["rules"], clock = time.perf_counter() - clock, time.perf_counter()
    findings = evaluator.findings  # in rule order, each rule's by subject
    failures = [f for f in findings if f.status is Status.failed]
    scores = build_scores(scored, failures, evaluator.tally.scores())
    warnings.extend(waiver_warnings(book, loaded, [rule.id for pack in packs for rule in pack.rules], selected))
    if selected is not None:
        total = sum(1 for pack in packs for rule in pack.rules if rule.status is not RuleStatus.deprecated)
        warnings.append(Diagnostic("--rule", f"only {len(selected)} of {total} rules were run "
                                             f"({', '.join(sorted(selected))}); the scores cover these rules only",
                                   level="warning"))
    timings["scoring"] = time.perf_counter() - clock
    return AuditResult(
        tool_version=__version__, as_of=as_of, company=document.company,
        inputs=tuple(InputFile(source.display, source.sha256) for source in loaded.sources),
        input_hash=loaded.input_hash, guidelines=tuple(document.guidelines),
        partners={n.id: Partner(n.name, n.role.value, n.country, supply.tiers.get(n.id)) for n in document.nodes},
        packs=tuple(packs), parameters=qualified(params, packs),
        rules=tuple(scored), findings=tuple(findings), scores=scores,
        coverage=Coverage(len(scored), sum(1 for r in scored if r.counts.counted), evaluator.evaluated,
                          len(document.nodes)),
        waivers=WaiverReport(tuple(f for f in findings if f.status is Status.waived), tuple(book.expired),
                             tuple(w for w in book.unused() if selected is None or w.rule in selected),
                             tuple(book.duplicates)),
        warnings=tuple(warnings), input_warnings=loaded.warnings, include_passes=include_passes,
        links=tuple(Link(e.from_, e.to, e.kind.value) for e in document.edges),
    )


def _selected_rules(packs: Sequence[ResolvedPack], only: Collection[str] | None) -> frozenset[str] | None:
    """The rule ids to run (None: all); every id must name an active rule of the packs."""
    if only is None:
        return None
    rules = {rule.id: rule for pack in packs for rule in pack.rules}
    problems = []
    for rule_id in dict.fromkeys(only):
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(Diagnostic("--rule", f"no selected pack has rule {rule_id!r}",
                                       expected="a rule id of the selected packs", hint=did_you_mean(rule_id, rules)))
        elif rule.status is RuleStatus.deprecated:
            problems.append(Diagnostic("--rule", f"rule {rule_id} is deprecated and never run",
                                       expected="an active rule",
                                       hint=f"run {rule.replaced_by} instead" if rule.replaced_by else None))
    if problems:
        raise UsageError(problems)
    return frozenset(only)
