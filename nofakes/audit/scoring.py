"""Scores and the remediation plan, as the README's "Scores" section states them.

- weight w_r by severity: critical 10, high 7.5, medium 5, low 2.5, info 0;
- rule compliance c_r = passed / (passed + failed); waived and not-applicable subjects are
  left out; a rule with no counted subject is left out of every score;
- section, pack and overall score = 100 * sum(w_r * c_r) / sum(w_r) over the rules in scope;
- partner score: the same formula over the partner's own findings (per rule, the share of
  that partner's subjects that pass);
- gain of fixing one failing finding = 100 * w_r / (n_r * W) on the overall score
  (n_r: the rule's counted subjects, W: the sum of weights in scope);
- the plan orders failing findings by severity first (critical, high, medium, low), then by
  gain per unit of effort (low 1, medium 2, high 4), then rule id and subject, with the
  cumulative projected overall score after each step; `info` findings are not plan steps;
- weighted by risk (audit --plan-weight risk), the order within a severity is gain x (1 + risk/100)
  per unit of effort, risk being the partner's counterfeit risk score; gains and projections are not weighted;
- nothing audited is not a pass: with no weighted rule scored the overall score is None ("no score").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_ORDER, SEVERITY_WEIGHT, Finding, RuleCounts, Status
from nofakes.packs.model import Rule
from nofakes.supply.model import Severity

FORMULA = "score = 100 * sum(w_r * c_r) / sum(w_r); c_r = passed / (passed + failed); " \
          "w: critical 10, high 7.5, medium 5, low 2.5, info 0"
GAIN_FORMULA = "gain = 100 * w_r / (n_r * W)"
RISK_WEIGHT_FORMULA = "order = severity, then gain * (1 + risk / 100) / effort units; risk = the partner's " \
                      "counterfeit risk score 0-100 (0 for findings with no partner); gain and projected score " \
                      "stay unweighted"


@dataclass(frozen=True, slots=True)
class ScoredRule:
    pack: str  # pack id, name@version
    rule: Rule
    counts: RuleCounts
    not_in_force: str | None = None  # why the rule did not apply on the audit date (effective / sunset)

    @property
    def weight(self) -> float:
        return SEVERITY_WEIGHT[self.rule.severity]


@dataclass(frozen=True, slots=True)
class Score:
    """A score with its numerator and denominator, so it can be checked by hand."""

    numerator: float  # sum(w_r * c_r)
    denominator: float  # sum(w_r)
    rules: int  # rules counted

    @property
    def value(self) -> float | None:
        return 100.0 * self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class PartnerScore:
    partner: str
    score: Score
    failed: int
    waived: int


@dataclass(frozen=True, slots=True)
class PlanStep:
    rank: int
    finding: Finding
    severity: Severity
    effort: str
    gain: float
    gain_per_effort: float
    projected: float  # overall score after this and every earlier step


@dataclass(frozen=True)
class Scores:
    overall: Score | None  # None: no rule was scored, nothing was audited
    packs: dict[str, Score]
    sections: dict[tuple[str, str], Score]  # (pack id, section id)
    partners: tuple[PartnerScore, ...]
    plan: tuple[PlanStep, ...]


def score_of(rules: Iterable[ScoredRule]) -> Score:
    numerator = denominator = 0.0
    count = 0
    for scored in rules:
        compliance = scored.counts.compliance
        if compliance is None:
            continue
        numerator += scored.weight * compliance
        denominator += scored.weight
        count += 1
    return Score(numerator, denominator, count)


def build_scores(rules: Sequence[ScoredRule], failures: Sequence[Finding],
                 partners: Sequence[PartnerScore]) -> Scores:
    total = score_of(rules)
    overall = total if total.denominator else None  # no weighted rule scored: no score, never 100
    packs: dict[str, list[ScoredRule]] = defaultdict(list)
    sections: dict[tuple[str, str], list[ScoredRule]] = defaultdict(list)
    for scored in rules:
        packs[scored.pack].append(scored)
        sections[(scored.pack, scored.rule.section)].append(scored)
    return Scores(
        overall=overall,
        packs={k: score_of(v) for k, v in packs.items()},
        sections={k: score_of(v) for k, v in sections.items()},
        partners=tuple(partners),
        plan=plan(rules, failures, overall),
    )


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}


def plan(rules: Sequence[ScoredRule], failures: Sequence[Finding], overall: Score | None) -> tuple[PlanStep, ...]:
    """Failing findings by severity, then gain per effort, with the cumulative projected overall score.

    `info` findings carry no weight and are not steps; ties go by rule id, subject and edge kind.
    """
    if overall is None:
        return ()
    by_key = {(r.pack, r.rule.id): r for r in rules}
    candidates = []
    for finding in failures:
        if finding.status is not Status.failed or finding.severity is Severity.info:
            continue
        scored = by_key[(finding.pack, finding.rule_id)]
        gain = 100.0 * scored.weight / (scored.counts.counted * overall.denominator)
        effort = scored.rule.effort.value
        candidates.append((gain / EFFORT_UNITS[effort], gain, effort, finding))
    return _ranked(candidates, overall.value or 0.0)


def _ranked(candidates: list[tuple[float, float, str, Finding]], start: float) -> tuple[PlanStep, ...]:
    """(order key, gain, effort, finding) as plan steps: by severity, then the order key (largest first),
    then gain, rule id, subject and edge kind; each step's projected score adds its real gain to `start`."""
    candidates.sort(key=lambda c: (_SEVERITY_RANK[c[3].severity], -c[0], -c[1], c[3].rule_id, c[3].subject,
                                   c[3].edge_kind or ""))
    steps = []
    projected = start
    for rank, (_, gain, effort, finding) in enumerate(candidates, start=1):
        projected = min(100.0, round(projected + gain, 9))
        steps.append(PlanStep(rank, finding, finding.severity, effort, gain, gain / EFFORT_UNITS[effort], projected))
    return tuple(steps)


def risk_weighted(steps: Sequence[PlanStep], start: float, risk: Mapping[str, float]) -> tuple[PlanStep, ...]:
    """The plan `steps` reordered by `RISK_WEIGHT_FORMULA` (`risk`: partner id -> score 0-100), projected from
    the overall score `start`: the same steps with the same gains, so the last projected score is unchanged."""
    return _ranked([(s.gain * (1 + risk.get(s.finding.partner or "", 0.0) / 100) / EFFORT_UNITS[s.effort],
                     s.gain, s.effort, s.finding) for s in steps], start)
