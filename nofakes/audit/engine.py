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
which the audit's warnings say.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import compress
from operator import itemgetter
from typing import Any

from nofakes import __version__
from nofakes.audit.attributes import check_supply
from nofakes.audit.compile import CompiledRule, compile_rules, refuse_without_risk
from nofakes.audit.findings import NO_WORDS, SEVERITY_WEIGHT, Finding, RuleCounts, Status, Words
from nofakes.audit.result import AuditResult, Coverage, InputFile, Link, Partner, WaiverReport
from nofakes.audit.risk import assess_subjects, audit_risk
from nofakes.audit.riskroot import RiskTables
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
from nofakes.rules import Fail, Outcome
from nofakes.rules.templates import compile_template
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


# a Finding from all its fields, in order: `tuple.__new__` in C, without the named tuple's Python constructor
_finding: Callable[[tuple[Any, ...]], Finding] = partial(tuple.__new__, Finding)  # type: ignore[assignment]


class _RuleRun:
    """The outcomes of one rule: counted, and kept as findings unless they passed.

    Every outcome costs the place of its partner in a list; a kept failure's words (message, reason) are worded when a
    report first reads them (`Words.later`).
    """

    __slots__ = ("rule", "target", "findings", "book", "waivable", "include_passes", "word",
                 "partner_of", "place_of", "kind", "pack", "passes", "failures", "waivers")

    def __init__(self, compiled: CompiledRule, findings: list[Finding], book: WaiverBook, include_passes: bool,
                 subjects: Subjects, places: Mapping[str | None, int], waivable: bool = True):
        self.rule, self.target = compiled.rule, compiled.target
        self.findings, self.book, self.include_passes = findings, book, include_passes
        self.waivable = waivable  # some active waiver names this rule
        self.word = _Wording(compiled, subjects).word
        self.partner_of = self.target.partner_reader(compiled.rule)
        self.place_of = self.target.place_reader(compiled.rule, places)  # its partner's place in the tally's columns
        self.kind = compiled.rule.target.value  # the subject type findings name
        self.pack = compiled.pack.id
        # per outcome, the place of the partner that carries it (-1: none)
        self.passes: list[int] = []
        self.failures: list[int] = []
        self.waivers: list[int] = []

    def record(self, view: Any, outcome: Outcome, evidence: tuple[str, ...] = ()) -> None:
        """Count one applicable subject; keep it as a finding unless it passed."""
        if outcome is True and not self.include_passes:  # the common case: only counted
            self.passes.append(self.place_of(view))
            return
        self._keep(view, outcome, evidence)

    def record_all(self, views: Sequence[Any], outcomes: Sequence[Outcome]) -> None:
        """`record` for subjects and their outcomes, in order: the passes counted per partner at once."""
        if self.include_passes:
            for view, outcome in zip(views, outcomes, strict=True):
                self._keep(view, outcome, ())
            return
        passed = [outcome is True for outcome in outcomes]
        self.passes.extend(map(self.place_of, compress(views, passed)))
        if not all(passed):
            keep = self._keep
            for view, outcome in zip(views, outcomes, strict=True):
                if outcome is not True:
                    keep(view, outcome, ())

    def _keep(self, view: Any, outcome: Outcome, evidence: tuple[str, ...]) -> None:
        rule, target = self.rule, self.target
        partner = self.partner_of(view)
        subject, name = target.subject(view)
        edge_kind = target.edge_kind(view)
        place = self.place_of(view)
        if outcome is True:
            self.findings.append(_finding((rule.id, self.pack, rule.section, rule.severity, Status.passed,
                                           self.kind, subject, name, partner, NO_WORDS, False, edge_kind, (), None)))
            self.passes.append(place)
            return
        waiver = self.book.match(rule.id, subject) if self.waivable else None
        fail: Fail = outcome  # type: ignore[assignment]
        evidence = evidence or fail.evidence
        self.findings.append(_finding((rule.id, self.pack, rule.section, rule.severity,
                                       Status.waived if waiver else Status.failed, self.kind, subject, name, partner,
                                       Words.later(self.word, view, fail, evidence), fail.missing, edge_kind,
                                       evidence, waiver)))
        (self.waivers if waiver else self.failures).append(place)


class _Wording:
    """How one rule words a failing subject: its message template filled in, and the failure's reason."""

    __slots__ = ("message", "params", "target", "subjects")

    def __init__(self, compiled: CompiledRule, subjects: Subjects):
        self.message = compile_template(compiled.rule.message)
        self.params, self.target, self.subjects = compiled.params, compiled.target, subjects

    def word(self, view: Any, fail: Fail, evidence: tuple[str, ...]) -> tuple[str, str]:
        values = self.target.template_values(view, evidence, self.subjects)
        values["param"] = self.params
        return self.message(values), fail.reason


class _Evaluator:
    def __init__(self, supply: SupplyGraph, subjects: Subjects, book: WaiverBook, include_passes: bool):
        self.supply, self.subjects, self.book = supply, subjects, book
        self.include_passes = include_passes
        self.findings: list[Finding] = []
        self.tally = PartnerTally(subjects.nodes)
        self.evaluated = 0  # applicable (rule, subject) evaluations
        self.waivable = frozenset(rule for rule, _ in book.active)  # rules some active waiver names

    def run(self, compiled: CompiledRule) -> RuleCounts:
        first = len(self.findings)
        target = compiled.target
        candidates, total = target.candidates(compiled.rule, self.subjects)
        if compiled.where_key is not None:  # applies_to.where alone: its selection is shared by the rules that have it
            candidates = self.subjects.index.applicable(candidates, compiled.where_key, compiled.applies)
            compiled = replace(compiled, applies=applies_always)
        run = _RuleRun(compiled, self.findings, self.book, self.include_passes, self.subjects, self.tally.place,
                       compiled.rule.id in self.waivable)
        for prepare in compiled.prepare:  # graph quantifiers with `../`: what can reach these subjects
            prepare(candidates)
        if self.subjects.nodes:  # no partners: nothing is audited, not even the company's own rules
            target.evaluate(compiled, candidates, run, self.subjects, self.supply.adjacency)
        self.tally.add(SEVERITY_WEIGHT[compiled.rule.severity], run.passes, run.failures, run.waivers)
        if len(self.findings) - first > 1:  # this rule's findings, by subject: deterministic and readable
            self.findings[first:] = sorted(self.findings[first:], key=_BY_LINK if target.edges else _BY_SUBJECT)
        passed, failed, waived = len(run.passes), len(run.failures), len(run.waivers)
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


# a rule's findings in subject order, and a link rule's by subject and kind (C-level keys: its findings all have a kind)
_BY_SUBJECT = itemgetter(Finding._fields.index("subject"))
_BY_LINK = itemgetter(Finding._fields.index("subject"), Finding._fields.index("edge_kind"))


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
              built: Built | None = None) -> AuditResult:
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
