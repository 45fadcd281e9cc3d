"""Helpers shared by the report formats: ordering, counting and wording derived from an AuditResult.

Every format orders gaps, counts severities, groups the plan per partner and words the
verdict through these functions, so the reports agree with each other.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nofakes.audit.result import AuditResult, InputFile
from nofakes.audit.gate import evaluate_gate
from nofakes.core.errors import Diagnostic
from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_ORDER, Finding, Status
from nofakes.supply.loading import Source
from nofakes.supply.model import Severity
from nofakes.audit.scoring import PlanStep, Score

DECIMALS = 4
SEVERITY_RANK: dict[Severity, int] = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}
SEVERITY_NAMES: tuple[str, ...] = tuple(s.value for s in SEVERITY_ORDER)


def number(value: float | int | None) -> float | None:
    """A float rounded for reports (4 decimals), None stays None."""
    if value is None:
        return None
    rounded = round(float(value), DECIMALS)
    return 0.0 if rounded == 0 else rounded  # no '-0.0'


def plain(value: Any) -> Any:
    """A parameter value as JSON-compatible data: dates as ISO strings, enums as their value.

    Input values are kept as given (not rounded): only computed numbers are rounded.
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def display_path(source: InputFile | Source) -> str:
    """An input file as the user sees it: as given, or relative to the working directory when given
    absolute (as the loader shows includes), so reports do not carry machine-specific prefixes."""
    path = Path(source.display)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return source.display


def score_text(score: Score | float | None, decimals: int = 1) -> str:
    """'60.5' (or 'n/a' when no rule is in scope)."""
    value = score.value if isinstance(score, Score) else score
    return "n/a" if value is None else f"{value:.{decimals}f}"


def severity_at_or_above(severity: Severity, threshold: str) -> bool:
    """Is `severity` at or above the `--fail-on` threshold? Unknown thresholds (e.g. 'none') never trip."""
    try:
        limit = Severity(threshold)
    except ValueError:
        return False
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[limit]


def failures(result: AuditResult) -> list[Finding]:
    return [f for f in result.findings if f.status is Status.failed]


def gap_order(finding: Finding) -> tuple[int, str, str, str, str]:
    """Severity (worst first), then rule id, then subject: the order of every gap list."""
    return (SEVERITY_RANK[finding.severity], finding.rule_id, finding.pack, finding.subject, finding.edge_kind or "")


def worst_gaps(result: AuditResult, limit: int | None = None) -> list[Finding]:
    gaps = sorted(failures(result), key=gap_order)
    return gaps if limit is None else gaps[:max(limit, 0)]


def failed_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """Failing findings per severity, every severity present (critical first)."""
    counts = Counter(f.severity for f in findings if f.status is Status.failed)
    return {s.value: counts.get(s, 0) for s in SEVERITY_ORDER}


def partner_name(result: AuditResult, partner: str | None) -> str | None:
    if partner is None:
        return None
    return result.names.get(partner, partner)


def all_warnings(result: AuditResult) -> list[Diagnostic]:
    """Loading warnings, then audit warnings (parameters, waivers), without repeats.

    Input files are named as in the report's input list (`display_path`), so a report does
    not depend on whether the supply file was given as an absolute path.
    """
    shown = {s.display: display_path(s) for s in result.inputs}
    seen: set[str] = set()
    out: list[Diagnostic] = []
    for diagnostic in (*result.input_warnings, *result.warnings):
        if diagnostic.file in shown:
            diagnostic = replace(diagnostic, file=shown[diagnostic.file])
        text = diagnostic.format()
        if text not in seen:
            seen.add(text)
            out.append(diagnostic)
    return out


def section_titles(result: AuditResult) -> dict[tuple[str, str], str]:
    return {(pack.id, section.id): section.title for pack in result.packs for section in pack.sections}


def ordered_sections(result: AuditResult) -> list[tuple[str, str]]:
    """(pack id, section id) with a score, in pack order then the pack's declared section order."""
    present = set(result.scores.sections)
    out: list[tuple[str, str]] = []
    for pack in result.packs:
        for section in pack.sections:
            key = (pack.id, section.id)
            if key in present:
                out.append(key)
                present.discard(key)
    pack_order = {pack.id: i for i, pack in enumerate(result.packs)}
    out.extend(sorted(present, key=lambda k: (pack_order.get(k[0], len(pack_order)), k[0], k[1])))
    return out


def ordered_packs(result: AuditResult) -> list[str]:
    ids = [pack.id for pack in result.packs if pack.id in result.scores.packs]
    return ids + sorted(set(result.scores.packs) - set(ids))


@dataclass(frozen=True)
class Tally:
    """Per pack or section: rules (counted / total), failing and waived findings."""

    rules: int
    counted: int
    failed: int
    waived: int


def tallies(result: AuditResult) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
    packs: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    sections: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for scored in result.rules:
        for slot in (packs[scored.pack], sections[(scored.pack, scored.rule.section)]):
            slot[0] += 1
            slot[1] += 1 if scored.counts.counted else 0
            slot[2] += scored.counts.failed
            slot[3] += scored.counts.waived
    return ({k: Tally(*v) for k, v in packs.items()}, {k: Tally(*v) for k, v in sections.items()})


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


def plan_by_partner(result: AuditResult) -> list[PartnerPlan]:
    """Plan steps grouped per partner, the partner with the largest total gain first."""
    groups: dict[str | None, list[PlanStep]] = defaultdict(list)
    for step in result.scores.plan:
        groups[step.finding.partner].append(step)
    plans = [PartnerPlan(partner, partner_name(result, partner), tuple(steps)) for partner, steps in groups.items()]
    plans.sort(key=lambda p: (-round(p.total_gain, 9), p.steps[0].rank, p.partner or ""))
    return plans


def verdict(result: AuditResult, fail_on: str, fail_under: float = 0.0) -> tuple[bool, str]:
    """(failed?, '1 critical, 8 high, 3 medium gaps; fails --fail-on high'), as the CLI's exit code decides."""
    gate = evaluate_gate(result, fail_on, fail_under)
    return gate.failed, gate.describe()


def gaps_at_or_above(findings: Sequence[Finding], fail_on: str) -> int:
    return sum(1 for f in findings if f.status is Status.failed and severity_at_or_above(f.severity, fail_on))
