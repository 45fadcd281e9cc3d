"""The report view as tables of typed values: columns and rows shared by the spreadsheet formats.

The Gaps table is what csv writes and the workbook's Gaps sheet shows; the workbook's other
list sheets (plan, partners, rules, waivers) are tables too. Values are Python values (text,
int, float, date, None for an empty cell); each format decides how to write them. Rows are
built one at a time, so that the hundreds of thousands of gaps of a large graph never exist
as rows all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nofakes.audit.findings import SEVERITY_ORDER, Finding, Status
from nofakes.audit.scoring import PlanStep, ScoredRule
from nofakes.packs.model import Rule
from nofakes.reports.risk_tables import exposure_table, risk_table
from nofakes.reports.tables_base import Column, Row, Table, Value
from nofakes.reports.view import ReportView
from nofakes.supply.model import Waiver

STATUS_WORDS = {Status.failed: "failing", Status.waived: "waived", Status.passed: "pass",
                Status.not_applicable: "not applicable"}
SEVERITY_NAMES = tuple(s.value for s in SEVERITY_ORDER)

GAP_COLUMNS = (
    Column("Severity", 10), Column("Status", 9), Column("Partner", 18), Column("Partner name", 26, "wrap"),
    Column("Role", 20), Column("Country", 8), Column("Tier", 6, "int"), Column("Rule", 13),
    Column("Rule title", 40, "wrap"), Column("Pack", 12), Column("Section", 14), Column("Subject", 22),
    Column("Message", 50, "wrap"), Column("Why", 40, "wrap"), Column("Evidence path", 30, "wrap"),
    Column("Remediation", 50, "wrap"), Column("Effort", 8), Column("References", 45, "wrap"),
)
CHANGE_COLUMN = Column("Change", 10)  # with --baseline, after Status: new or unchanged (empty for waived gaps)
CHANGE_AT = 2


def risk_columns(view: ReportView, *, exposure: bool = True) -> tuple[Column, ...]:
    """The partner's risk (and exposure) columns of a list of partners; none without a risk section."""
    if view.risk is None:
        return ()
    return (Column("Risk", 7, "score"), *((Column("Exposure", 9, "score"),) if exposure else ()))


def risk_cells(view: ReportView, partner: str | None, *, exposure: bool = True) -> tuple[Value, ...]:
    """The values of `risk_columns` for a partner (empty cells for a finding with no partner)."""
    if view.risk is None:
        return ()
    risk = view.partner_risk(partner)
    if risk is None:
        return (None, None) if exposure else (None,)
    return (risk.score, risk.exposure) if exposure else (risk.score,)


def gap_columns(view: ReportView) -> tuple[Column, ...]:
    """The Gaps columns of this view: with a baseline, a Change column after Status."""
    if view.baseline is None:
        return GAP_COLUMNS
    return (*GAP_COLUMNS[:CHANGE_AT], CHANGE_COLUMN, *GAP_COLUMNS[CHANGE_AT:])


class Catalogue:
    """The rules of the view by (pack, rule id), with their references as text."""

    def __init__(self, view: ReportView):
        self.rules: dict[tuple[str, str], ScoredRule] = {(r.pack, r.rule.id): r for r in view.rules}
        self.sources = {pack.id: {s.id: s.title for s in pack.sources} for pack in view.packs}
        self._references: dict[tuple[str, str], str] = {}

    def rule(self, finding: Finding) -> Rule | None:
        scored = self.rules.get((finding.pack, finding.rule_id))
        return scored.rule if scored is not None else None

    def references(self, pack: str, rule: Rule) -> str:
        """'WCO SAFE Framework 3.2; ...': each reference's source title and clause."""
        key = (pack, rule.id)
        text = self._references.get(key)
        if text is None:
            titles = self.sources.get(pack, {})
            text = self._references[key] = "; ".join(
                " ".join(filter(None, (titles.get(ref.source, ref.source), ref.clause))) for ref in rule.references)
        return text


def gap_rows(view: ReportView, findings: Sequence[Finding] | None = None) -> Iterator[Row]:
    """One row of `gap_columns(view)` per gap (default: `view.gaps`), in that order."""
    catalogue = Catalogue(view)
    partners = view.partners
    marked = view.baseline is not None
    # what a row says of its rule and of its partner, made once per rule and per partner
    rules: dict[tuple[str, str], tuple[Value, ...]] = {}
    who: dict[str | None, tuple[Value, ...]] = {}
    for f in view.gaps if findings is None else findings:
        key = (f.pack, f.rule_id)
        about_rule = rules.get(key)
        if about_rule is None:
            rule = catalogue.rule(f)
            about_rule = rules[key] = (
                (rule.title, view.remediations.get(key), rule.effort.value, catalogue.references(f.pack, rule))
                if rule else (None, None, None, None))
        about_partner = who.get(f.partner)
        if about_partner is None:
            partner = partners.get(f.partner) if f.partner is not None else None
            about_partner = who[f.partner] = (f.partner, view.partner_name(f.partner), *(
                (partner.role, partner.country, partner.tier) if partner else (None, None, None)))
        title, remediation, effort, references = about_rule
        yield (
            f.severity.value, STATUS_WORDS[f.status], *((view.change(f),) if marked else ()), *about_partner,
            f.rule_id, title, f.pack, f.section, f.subject, f.message, f.detail,
            " -> ".join(f.evidence) or None, remediation, effort, references,
        )


def gaps_table(view: ReportView) -> Table:
    return Table("Gaps", gap_columns(view), gap_rows(view), len(view.failing) + len(view.waived), colour_column=0)


def plan_table(view: ReportView) -> Table:
    columns = (Column("Step", 6, "int"), Column("Severity", 10), Column("Rule", 13), Column("Rule title", 40, "wrap"),
               Column("Subject", 22), Column("Partner", 18), Column("Partner name", 26, "wrap"), Column("Effort", 8),
               Column("Gain", 9, "number"), Column("Gain per effort unit", 11, "number"),
               Column("Projected score", 11, "score"), *risk_columns(view, exposure=False))
    catalogue = Catalogue(view)

    def row(step: PlanStep) -> Row:
        f = step.finding
        rule = catalogue.rule(f)
        return (step.rank, step.severity.value, f.rule_id, rule.title if rule else None, f.subject, f.partner,
                view.partner_name(f.partner), step.effort, step.gain, step.gain_per_effort, step.projected,
                *risk_cells(view, f.partner, exposure=False))

    return Table("Remediation plan", columns, map(row, view.plan), len(view.plan), colour_column=1)


def plan_by_partner_table(view: ReportView) -> Table:
    columns = (Column("Partner", 18), Column("Partner name", 26, "wrap"), Column("Steps", 7, "int"),
               Column("Total gain", 10, "number"), Column("Effort units", 9, "number"),
               Column("Worst severity", 10), Column("Step numbers", 30, "wrap"), *risk_columns(view))
    rows = ((group.partner, group.name, len(group.steps), group.total_gain, group.effort,
             min((s.severity for s in group.steps), key=SEVERITY_ORDER.index).value,
             ", ".join(str(s.rank) for s in group.steps), *risk_cells(view, group.partner))
            for group in view.plan_by_partner)
    return Table("Plan by partner", columns, rows, len(view.plan_by_partner), colour_column=5)


def partners_table(view: ReportView) -> Table:
    columns = (Column("Partner", 18), Column("Name", 28, "wrap"), Column("Role", 20), Column("Country", 8),
               Column("Tier", 6, "int"), Column("Score", 8, "score"), Column("Numerator", 10, "number"),
               Column("Denominator", 11, "number"), Column("Failing", 8, "int"), Column("Waived", 8, "int"),
               *(Column(name.capitalize(), 8, "int") for name in SEVERITY_NAMES), *risk_columns(view))
    scores = {p.partner: p for p in view.scores.partners}
    open_gaps = view.open_gaps

    def row(item: tuple[str, Any]) -> Row:
        partner_id, partner = item
        score = scores.get(partner_id)
        gaps = open_gaps.get(partner_id)
        return (partner_id, partner.name, partner.role, partner.country, partner.tier,
                score.score.value if score else None, score.score.numerator if score else None,
                score.score.denominator if score else None, score.failed if score else 0,
                score.waived if score else 0, *(gaps[s] if gaps else 0 for s in SEVERITY_ORDER),
                *risk_cells(view, partner_id))

    return Table("Partners", columns, map(row, view.partners.items()), len(view.partners))


def rules_table(view: ReportView) -> Table:
    columns = (Column("Pack", 12), Column("Section", 14), Column("Rule", 13), Column("Severity", 10),
               Column("Weight", 7, "number"), Column("Title", 40, "wrap"), Column("Rationale", 50, "wrap"),
               Column("Remediation", 50, "wrap"), Column("Effort", 8), Column("References", 45, "wrap"),
               Column("Passed", 8, "int"), Column("Failed", 8, "int"), Column("Waived", 8, "int"),
               Column("Not applicable", 10, "int"), Column("Compliance", 11, "percent"))
    catalogue = Catalogue(view)
    rows = ((r.pack, r.rule.section, r.rule.id, r.rule.severity.value, r.weight, r.rule.title, r.rule.rationale,
             view.remediations[(r.pack, r.rule.id)], r.rule.effort.value, catalogue.references(r.pack, r.rule),
             r.counts.passed, r.counts.failed, r.counts.waived, r.counts.not_applicable, r.counts.compliance)
            for r in view.rules)
    return Table("Rules", columns, rows, len(view.rules), colour_column=3)


def waivers_table(view: ReportView) -> Table:
    """Active waivers (with the number of findings each covers), then expired, then unused."""
    columns = (Column("State", 9), Column("Rule", 13), Column("Target", 22), Column("Reason", 50, "wrap"),
               Column("Approved by", 24, "wrap"), Column("Expires", 12, "date"), Column("Findings waived", 9, "int"))
    active: dict[tuple[str, str], list[Any]] = {}
    for finding in view.waivers.applied:
        waiver = finding.waiver
        if waiver is not None:
            active.setdefault((waiver.rule, waiver.target), [waiver, 0])[1] += 1

    def row(state: str, waiver: Waiver | Any, count: int | None) -> Row:
        return (state, waiver.rule, waiver.target, waiver.reason, waiver.approved_by, waiver.expires, count)

    rows = [*(row("active", w, n) for w, n in active.values()),
            *(row("expired", w, None) for w in view.waivers.expired),
            *(row("unused", w, None) for w in view.waivers.unused)]
    return Table("Waivers", columns, rows, len(rows))


def fixed_table(view: ReportView) -> Table:
    """With --baseline: the gaps of the baseline that no longer fail, as the baseline wrote them."""
    columns = (Column("Severity", 10), Column("Rule", 13), Column("Pack", 12), Column("Subject", 22),
               Column("Partner", 18), Column("Partner name", 26, "wrap"), Column("Message", 60, "wrap"))
    fixed = view.baseline.fixed if view.baseline is not None else ()
    rows = ((f.severity, f.rule, f.pack, f.subject, f.partner, f.partner_name, f.message) for f in fixed)
    return Table("Fixed since baseline", columns, rows, len(fixed), colour_column=0)


TABLES: tuple[Callable[[ReportView], Table], ...] = (
    gaps_table, plan_table, plan_by_partner_table, partners_table, rules_table, waivers_table)


def tables(view: ReportView) -> list[Table]:
    """The list sheets of the workbook: `TABLES`, with a baseline the fixed gaps, with risk the risk
    factors and the highest exposure (after Partners)."""
    out = [make(view) for make in TABLES]
    if view.risk is not None:
        at = TABLES.index(partners_table) + 1
        out[at:at] = [risk_table(view), exposure_table(view)]
    if view.baseline is not None:
        out.insert(1, fixed_table(view))
    return out
