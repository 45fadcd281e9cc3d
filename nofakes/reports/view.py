"""The report view: what every report format shows, built once from an audit result.

The view holds the selection (the findings a report lists, the failing and waived findings
in severity order, the worst gaps, the plan and the plan per partner), the verdict, the
coverage, the scores, the packs, the inputs and the warnings. Formats only lay the view
out, so two formats of one run never disagree. This module is the only place in
`nofakes.reports` that reads the audit result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from nofakes.audit.baseline import Comparison
from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_ORDER, Finding, RuleCounts, Status
from nofakes.audit.gate import Thresholds, Verdict, evaluate_gate
from nofakes.audit.result import Coverage, Link, Partner, PartnerRisk, RiskSection
from nofakes.audit.scoring import RISK_WEIGHT_FORMULA, PlanStep, Score, ScoredRule, Scores, risk_weighted
from nofakes.audit.screening import ScreeningSection
from nofakes.core.errors import Diagnostic
from nofakes.reports.common import display_path
from nofakes.rules import render_template
from nofakes.supply.model import Severity

if TYPE_CHECKING:
    from nofakes.audit.result import AuditResult, WaiverReport
    from nofakes.packs.catalogue import ResolvedPack
    from nofakes.reports.base import RenderOptions

SEVERITY_RANK: dict[Severity, int] = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}
NO_SCORE = Score(0.0, 0.0, 0)


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # as the user sees it (see common.display_path)
    sha256: str


@dataclass(frozen=True, slots=True)
class Tally:
    """Per pack or section: rules (counted / total), failing and waived findings."""

    rules: int
    counted: int
    failed: int
    waived: int


@dataclass(frozen=True)
class PartnerPlan:
    """The plan steps that fall to one partner (None: findings with no partner, e.g. product rules)."""

    partner: str | None
    name: str | None
    steps: tuple[PlanStep, ...]

    @property
    def total_gain(self) -> float:
        return sum(step.gain for step in self.steps)

    @property
    def effort(self) -> float:
        return sum(EFFORT_UNITS[step.effort] for step in self.steps)


@dataclass(frozen=True)
class ReportView:
    options: RenderOptions
    tool_version: str
    as_of: dt.date
    company_id: str
    company_name: str
    inputs: tuple[InputFile, ...]
    input_hash: str
    packs: tuple[ResolvedPack, ...]
    parameters: Mapping[str, Any]
    include_passes: bool
    rules: tuple[ScoredRule, ...]  # in audit order
    totals: RuleCounts  # summed over every rule
    listed: Sequence[Finding]  # every finding a full report lists (failing, waived, passes on request), audit order
    failing: tuple[Finding, ...]  # failing findings, most severe first (gap order)
    waived: tuple[Finding, ...]  # waived findings, in gap order
    failing_rules: tuple[ScoredRule, ...]  # rules with a failing finding, most severe first
    overall: Score  # value None: no rule was scored
    scores: Scores
    pack_order: tuple[str, ...]  # pack ids with a score, in selection order
    section_order: tuple[tuple[str, str], ...]  # (pack id, section id) with a score, in each pack's order
    pack_titles: Mapping[str, str]
    section_titles: Mapping[tuple[str, str], str]
    pack_tallies: Mapping[str, Tally]
    section_tallies: Mapping[tuple[str, str], Tally]
    plan: tuple[PlanStep, ...]
    plan_by_partner: tuple[PartnerPlan, ...]  # the partner with the largest total gain first
    waivers: WaiverReport
    warnings: tuple[Diagnostic, ...]  # loading, then audit warnings; input files named as in `inputs`
    verdict: Verdict
    coverage: Coverage
    names: Mapping[str, str]  # partner id -> name
    partners: Mapping[str, Partner]  # partner id -> name, role, country, tier; in file order
    links: tuple[Link, ...]  # the goods flows between partners, in file order
    baseline: Comparison | None = None  # what changed since `--baseline`
    risk: RiskSection | None = None  # counterfeit risk and exposure; None: the audit ran with --no-risk
    screening: ScreeningSection | None = None  # every screening match; None: no rule read `screening`
    plan_weighting: str | None = None  # the formula the plan was ordered by when weighted by risk

    def partner_risk(self, partner: str | None) -> PartnerRisk | None:
        """The partner's counterfeit risk (None without a partner or without a risk section)."""
        if partner is None or self.risk is None:
            return None
        return self.risk.partners.get(partner)

    @property
    def risk_shown(self) -> tuple[str, ...]:
        """The `top` partners of highest risk (ids; only those with a risk factor), for the summaries."""
        if self.risk is None:
            return ()
        partners = self.risk.partners
        return tuple(p for p in self.risk.ranked()[: max(self.options.top, 0)] if partners[p].score > 0)

    def change(self, finding: Finding) -> str | None:
        """'new' or 'unchanged' for a failing finding when there is a baseline; else None."""
        if self.baseline is None:
            return None
        mark = self.baseline.change(finding)
        return mark.value if mark is not None else None

    @property
    def worst_gaps(self) -> tuple[Finding, ...]:
        return self.failing[: max(self.options.top, 0)]

    @property
    def plan_shown(self) -> tuple[PlanStep, ...]:
        return self.plan[: max(self.options.top, 0)]

    def partner_name(self, partner: str | None) -> str | None:
        return None if partner is None else self.names.get(partner, partner)

    @cached_property
    def remediations(self) -> Mapping[tuple[str, str], str]:
        """(pack id, rule id) -> the rule's remediation, its `{param.x}` placeholders filled with the effective
        parameters of its pack (as the findings' messages are): what every format shows as the fix."""
        names = {pack.id: pack.name for pack in self.packs}
        out: dict[tuple[str, str], str] = {}
        for scored in self.rules:
            prefix = names.get(scored.pack, scored.pack) + "."
            params = {key[len(prefix):]: value for key, value in self.parameters.items() if key.startswith(prefix)}
            out[(scored.pack, scored.rule.id)] = render_template(scored.rule.remediation, {"param": params})
        return out

    @property
    def gaps(self) -> tuple[Finding, ...]:
        """Every gap a gap list shows: the failing findings, then the waived ones (each in gap order)."""
        return self.failing + self.waived

    @cached_property
    def open_gaps(self) -> Mapping[str, Mapping[Severity, int]]:
        """Partner id -> failing findings by severity (every severity, critical first), for partners with one."""
        counts: dict[str, dict[Severity, int]] = {}
        for finding in self.failing:
            if finding.partner is not None:
                slot = counts.get(finding.partner)
                if slot is None:
                    slot = counts[finding.partner] = dict.fromkeys(SEVERITY_ORDER, 0)
                slot[finding.severity] += 1
        return counts


def gap_order(finding: Finding) -> tuple[int, str, str, str, str]:
    """Severity (worst first), then rule id, then subject: the order of every gap list."""
    return (SEVERITY_RANK[finding.severity], finding.rule_id, finding.pack, finding.subject, finding.edge_kind or "")


def _totals(rules: Sequence[ScoredRule]) -> RuleCounts:
    return RuleCounts(sum(r.counts.passed for r in rules), sum(r.counts.failed for r in rules),
                      sum(r.counts.waived for r in rules), sum(r.counts.not_applicable for r in rules))


def _tallies(rules: Sequence[ScoredRule]) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
    packs: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    sections: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for scored in rules:
        for slot in (packs[scored.pack], sections[(scored.pack, scored.rule.section)]):
            slot[0] += 1
            slot[1] += 1 if scored.counts.counted else 0
            slot[2] += scored.counts.failed
            slot[3] += scored.counts.waived
    return ({k: Tally(*v) for k, v in packs.items()}, {k: Tally(*v) for k, v in sections.items()})


def _ordered_sections(packs: Sequence[ResolvedPack], scores: Scores) -> tuple[tuple[str, str], ...]:
    """(pack id, section id) with a score, in pack order then the pack's declared section order."""
    present = set(scores.sections)
    out: list[tuple[str, str]] = []
    for pack in packs:
        for section in pack.sections:
            key = (pack.id, section.id)
            if key in present:
                out.append(key)
                present.discard(key)
    pack_order = {pack.id: i for i, pack in enumerate(packs)}
    out.extend(sorted(present, key=lambda k: (pack_order.get(k[0], len(pack_order)), k[0], k[1])))
    return tuple(out)


def _ordered_packs(packs: Sequence[ResolvedPack], scores: Scores) -> tuple[str, ...]:
    ids = [pack.id for pack in packs if pack.id in scores.packs]
    return (*ids, *sorted(set(scores.packs) - set(ids)))


def _plan_by_partner(plan: Sequence[PlanStep], names: Mapping[str, str]) -> tuple[PartnerPlan, ...]:
    groups: dict[str | None, list[PlanStep]] = defaultdict(list)
    for step in plan:
        groups[step.finding.partner].append(step)
    plans = [PartnerPlan(partner, None if partner is None else names.get(partner, partner), tuple(steps))
             for partner, steps in groups.items()]
    plans.sort(key=lambda p: (-round(p.total_gain, 9), p.steps[0].rank, p.partner or ""))
    return tuple(plans)


def _warnings(diagnostics: Sequence[Diagnostic], shown: Mapping[str, str]) -> tuple[Diagnostic, ...]:
    """Without repeats; input files named as in the report's input list (`shown`: as loaded -> as shown),
    so a report does not depend on whether the supply file was given as an absolute path."""
    seen: set[str] = set()
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.file in shown:
            diagnostic = replace(diagnostic, file=shown[diagnostic.file])
        text = diagnostic.format()
        if text not in seen:
            seen.add(text)
            out.append(diagnostic)
    return tuple(out)


def _weighted_plan(result: AuditResult, options: RenderOptions) -> tuple[tuple[PlanStep, ...], str | None]:
    """The plan, reordered by risk with `plan_weight` "risk" (and a risk section): the plan and its formula."""
    plan, risk = result.scores.plan, result.risk
    if options.plan_weight != "risk" or risk is None or result.scores.overall is None:
        return plan, None
    scores = {partner: r.score for partner, r in risk.partners.items()}
    return risk_weighted(plan, result.scores.overall.value or 0.0, scores), RISK_WEIGHT_FORMULA


def build_view(result: AuditResult, options: RenderOptions, baseline: Comparison | None = None) -> ReportView:
    """The view of `result` for one rendering (compared with `baseline` when given); the attributes of the
    result are read here only."""
    company = result.company
    shown = {source.display: display_path(source.display) for source in result.inputs}
    inputs = tuple(InputFile(shown[source.display], source.sha256) for source in result.inputs)
    scores = result.scores
    overall = scores.overall or NO_SCORE
    rules = result.rules
    findings = result.findings
    listed = findings if result.include_passes else [f for f in findings if f.status is not Status.passed]
    failing = tuple(sorted((f for f in listed if f.status is Status.failed), key=gap_order))
    waived = tuple(sorted((f for f in listed if f.status is Status.waived), key=gap_order))
    failing_rules = tuple(sorted((r for r in rules if r.counts.failed),
                                 key=lambda r: (SEVERITY_RANK[r.rule.severity], r.rule.id, r.pack)))
    pack_tallies, section_tallies = _tallies(rules)
    thresholds = Thresholds(options.fail_on, options.fail_under, options.fail_on_new)
    plan, weighting = _weighted_plan(result, options)
    return ReportView(
        options=options, tool_version=result.tool_version, as_of=result.as_of, company_id=company.id,
        company_name=company.name, inputs=inputs, input_hash=result.input_hash, packs=result.packs,
        parameters=result.parameters, include_passes=result.include_passes, rules=rules, totals=_totals(rules),
        listed=listed, failing=failing, waived=waived, failing_rules=failing_rules, overall=overall, scores=scores,
        pack_order=_ordered_packs(result.packs, scores), section_order=_ordered_sections(result.packs, scores),
        pack_titles={pack.id: pack.title for pack in result.packs},
        section_titles={(pack.id, s.id): s.title for pack in result.packs for s in pack.sections},
        pack_tallies=pack_tallies, section_tallies=section_tallies, plan=plan,
        plan_by_partner=_plan_by_partner(plan, result.names), waivers=result.waivers,
        warnings=_warnings((*result.input_warnings, *result.warnings, *(baseline.warnings if baseline else ())), shown),
        verdict=evaluate_gate(result, thresholds, baseline), coverage=result.coverage,
        names=result.names, partners=result.partners, links=result.links, baseline=baseline,
        risk=result.risk, screening=result.screening, plan_weighting=weighting,
    )
