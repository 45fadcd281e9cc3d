"""The rules engine: evaluate every compiled rule over its subjects, then score.

`run_audit()` takes a loaded supply chain and resolved packs and returns an `AuditResult`
(frozen data, `nofakes.audit.result`). It never prints and never exits; progress goes to an
optional callback. Passing (rule, subject) pairs are counted, not kept, unless
`include_passes` is set; a kept finding's message and reason are worded when a report first reads
them (`findings.Words`), so an audit whose report shows ten gaps words ten. Parameters are
resolved in `nofakes.packs.parameters`, rules compiled in `nofakes.audit.compile`; what differs
between rule targets lives in `nofakes.audit.targets`, the partner tally in `nofakes.audit.tally`.
A graph without partners audits nothing: no rule is evaluated and there is no score. `only`
narrows the audit to some rule ids (`audit --rule`): the scores then cover those rules only,
which the audit's warnings say. `jobs` evaluates the rules in several processes
(`nofakes.audit.parallel`; one rule's outcomes are recorded in `nofakes.audit.runs`); they are
added to the audit in rule order, so the result is the same whatever the number.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nofakes import __version__
from nofakes.audit.attributes import check_supply
from nofakes.audit.compile import CompiledRule, compile_rules, refuse_without_risk
from nofakes.audit.findings import SEVERITY_WEIGHT, Finding, RuleCounts, Status
from nofakes.audit.parallel import evaluate_rules, heaviest_first, usable_jobs
from nofakes.audit.result import AuditResult, Coverage, InputFile, Link, Partner, WaiverReport
from nofakes.audit.risk import assess_subjects, audit_risk
from nofakes.audit.riskroot import RiskTables
from nofakes.audit.runs import Remote, RemoteRun, RuleRun, replay
from nofakes.audit.scoring import ScoredRule, build_scores
from nofakes.audit.screening import ScreeningLists, ScreeningTables
from nofakes.audit.subjects import Subjects, build_subjects
from nofakes.audit.tally import PartnerTally
from nofakes.audit.targets import applies_always
from nofakes.audit.waivers import WaiverBook, waiver_warnings
from nofakes.core.errors import Diagnostic, UsageError, did_you_mean
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import RuleStatus
from nofakes.packs.parameters import ParamBlame, effective_parameters, qualified
from nofakes.risk.profile import Profile
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


class _Evaluator:
    """Evaluates rules (here, or in a worker process: `remote`, then `absorb` here) and adds their outcomes to the
    audit in rule order (`add`): the partner tally, the findings, the count of evaluations."""

    def __init__(self, supply: SupplyGraph, subjects: Subjects, book: WaiverBook, include_passes: bool):
        self.supply, self.subjects, self.book = supply, subjects, book
        self.include_passes = include_passes
        self.findings: list[Finding] = []
        self.tally = PartnerTally(subjects.nodes)
        self.evaluated = 0  # applicable (rule, subject) evaluations
        self.waivable = frozenset(rule for rule, _ in book.active)  # rules some active waiver names

    def _run(self, compiled: CompiledRule, kind: type[RuleRun] = RuleRun) -> RuleRun:
        return kind(compiled, self.book, self.include_passes, self.subjects, self.tally.place,
                    compiled.rule.id in self.waivable)

    def evaluate(self, compiled: CompiledRule, kind: type[RuleRun] = RuleRun) -> RuleRun:
        """One rule's outcomes over its subjects, recorded (not yet added to the audit)."""
        target = compiled.target
        candidates, total = target.candidates(compiled.rule, self.subjects)
        if compiled.where_key is not None:  # applies_to.where alone: its selection is shared by the rules that have it
            candidates = self.subjects.index.applicable(candidates, compiled.where_key, compiled.applies)
            compiled = replace(compiled, applies=applies_always)
        run = self._run(compiled, kind)
        run.total = total
        for prepare in compiled.prepare:  # graph quantifiers with `../`: what can reach these subjects
            prepare(candidates)
        if self.subjects.nodes:  # no partners: nothing is audited, not even the company's own rules
            target.evaluate(compiled, candidates, run, self.subjects, self.supply.adjacency)
        run.finish()
        return run

    def remote(self, compiled: CompiledRule) -> Remote:
        """`evaluate`, in a worker process: what it sends of the rule's outcomes."""
        run = self.evaluate(compiled, RemoteRun)
        assert isinstance(run, RemoteRun)
        return run.remote()

    def absorb(self, compiled: CompiledRule, outcomes: Remote) -> RuleRun:
        """The run that `evaluate` would have given, from what a worker sent of it (`remote`)."""
        return replay(self._run(compiled), outcomes)

    def add(self, run: RuleRun) -> RuleCounts:
        """A rule's outcomes, into the partner tally and the audit's findings. Called in rule order: the partner
        sums are the same whichever process evaluated the rule."""
        self.tally.add(SEVERITY_WEIGHT[run.rule.severity], run.passes, run.failures, run.waivers)
        self.findings.extend(run.findings)
        passed, failed, waived = len(run.passes), len(run.failures), len(run.waivers)
        self.evaluated += passed + failed + waived
        return RuleCounts(passed, failed, waived, run.total - passed - failed - waived)

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


@dataclass
class Built:
    """What an audit built that a caller may read again (`audit --explain` compiles its rule over them):
    the subjects, the risk tables rules read as `risk` (None without a profile), the screening tables."""

    subjects: Subjects | None = None
    risk: RiskTables | None = None
    screening: ScreeningTables | None = None


def run_audit(loaded: LoadedSupply, packs: Sequence[ResolvedPack], *, as_of: dt.date | None = None,
              cli_params: Mapping[str, Any] | None = None, include_passes: bool = False,
              progress: Progress | None = None, supply: SupplyGraph | None = None,
              timings: dict[str, float] | None = None, only: Collection[str] | None = None,
              risk: Profile | None = None, screening: ScreeningLists | None = None,
              built: Built | None = None, jobs: int | None = None) -> AuditResult:
    """Audit a loaded supply chain against resolved packs. Raises PackError / UsageError, and InputError
    when the supply file's attributes have other types than the packs declare.

    With `only` (rule ids of the packs), only those rules are evaluated and scored. With a `risk`
    profile, every partner's counterfeit risk and exposure is assessed before the rules run (rules
    read it) and reported with the audit's gaps as one more factor (`nofakes.audit.risk`). Rules that
    read `screening` screen every partner against `screening` (by default the newest shipped
    notorious-markets list and no watch list) the first time one is compiled (`nofakes.audit.screening`).

    `timings`, when given, receives wall seconds spent in 'graph', 'risk', 'compile' (screening included),
    'rules', 'scoring' and 'risk_report', and CPU seconds in the same names with '_cpu' appended.
    `built`, when given, receives the subjects, risk tables and screening tables the audit built.
    `jobs`: how many processes evaluate the rules (`nofakes.audit.parallel`; None: as many as this machine
    lends this process, up to 4 and as many as the available memory holds, for a graph of `PARALLEL_FROM`
    partners or more on Linux, else 1). The result is the same whatever the number.
    """
    clock = _Stopwatch({} if timings is None else timings)
    document = loaded.document
    as_of = as_of or document.as_of or dt.date.today()
    selected = _selected_rules(packs, only)
    params, warnings = effective_parameters(packs, document.parameters, cli_params or {}, _file_parameter(loaded))
    warnings.extend(check_supply(loaded, packs))  # against the packs' declared attributes; InputError on a wrong type
    with paused_gc():
        supply = supply or build_graph(document)
        subjects = build_subjects(document, supply)
        clock.lap("graph")
        assessment = assess_subjects(document, subjects, risk) if risk is not None else None
        clock.lap("risk")
        screened = ScreeningTables(document, screening or ScreeningLists())
        risk_tables = assessment.tables() if assessment is not None else None
        if built is not None:
            built.subjects, built.risk, built.screening = subjects, risk_tables, screened
        compiled = [rule for rule in compile_rules(packs, params, as_of, supply, subjects, risk_tables, screened)
                    if selected is None or rule.rule.id in selected]
        if assessment is None:
            refuse_without_risk(compiled)
        clock.lap("compile")
        book = WaiverBook.from_waivers(document.waivers, as_of)
        evaluator = _Evaluator(supply, subjects, book, include_passes)
        off = [rule.rule.not_in_force(as_of) for rule in compiled]  # why each rule is not in force (None: it is)
        live = [rule for rule, why in zip(compiled, off, strict=True) if why is None]
        started = _Started(progress, len(compiled), len(compiled) - len(live), [rule.rule.id for rule in live])
        runs = iter(evaluate_rules(len(live), lambda i: evaluator.evaluate(live[i]),
                                   lambda i: evaluator.remote(live[i]), lambda i, sent: evaluator.absorb(live[i], sent),
                                   jobs=usable_jobs(jobs, len(document.nodes)), order=heaviest_first(live),
                                   started=started))
        scored: list[ScoredRule] = []
        for rule, why in zip(compiled, off, strict=True):
            if why is None:
                scored.append(ScoredRule(rule.pack.id, rule.rule, evaluator.add(next(runs))))
            else:
                scored.append(ScoredRule(rule.pack.id, rule.rule, counts := evaluator.skip(rule), why))
                warnings.append(_not_in_force_note(rule, as_of, why, counts))
        if progress:
            progress(len(compiled), len(compiled), "")
        clock.lap("rules")
    with paused_gc():  # scores, plan and risk section: hundreds of thousands of small, long-lived records
        findings = evaluator.findings  # in rule order, each rule's by subject
        failures = [f for f in findings if f.status is Status.failed]
        scores = build_scores(scored, failures, evaluator.tally.scores())
        warnings.extend(waiver_warnings(book, loaded, [rule.id for pack in packs for rule in pack.rules], selected))
        if selected is not None:
            total = sum(1 for pack in packs for rule in pack.rules if rule.status is not RuleStatus.deprecated)
            warnings.append(Diagnostic("--rule", f"only {len(selected)} of {total} rules were run "
                                                 f"({', '.join(sorted(selected))}); the scores cover these rules only",
                                       level="warning"))
        clock.lap("scoring")
        section = audit_risk(assessment, scores.partners, [p.id for p in packs]) if assessment is not None else None
    clock.lap("risk_report")
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
        links=tuple(Link(e.from_, e.to, e.kind.value) for e in document.edges), risk=section,
        screening=screened.section(),
    )


class _Started:
    """The progress callback as rules are started, in whatever order the processes take them: (rules done, rules,
    the rule started); the rules not in force count as done from the start."""

    def __init__(self, progress: Progress | None, total: int, skipped: int, names: Sequence[str]):
        self.progress, self.total, self.count, self.names = progress, total, skipped, names

    def __call__(self, index: int) -> None:
        if self.progress:
            self.progress(self.count, self.total, self.names[index])
        self.count += 1


class _Stopwatch:
    """Wall and CPU seconds of consecutive stages, into `timings` (`stage` and `stage_cpu`)."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.timings[stage], self.timings[f"{stage}_cpu"] = wall - self.wall, cpu - self.cpu
        self.wall, self.cpu = wall, cpu


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
