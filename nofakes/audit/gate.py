"""The pass/fail gate of an audit: `--fail-on` and `--fail-under`, decided in one place.

The CLI turns the verdict into the exit code; every report prints the same verdict, with
its thresholds and its reasons in plain words. Nothing audited is not a pass: a run in
which no rule was scored has no overall score, and fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nofakes.audit.baseline import Change
from nofakes.audit.findings import SEVERITY_ORDER, Finding, Status
from nofakes.core.text import count_of

if TYPE_CHECKING:
    from nofakes.audit.baseline import Comparison
    from nofakes.audit.result import AuditResult

FAIL_ON_NONE = "none"
FAIL_ON_CHOICES: tuple[str, ...] = (*(s.value for s in SEVERITY_ORDER), FAIL_ON_NONE)
RANK: dict[str, int] = {s.value: rank for rank, s in enumerate(SEVERITY_ORDER)}  # critical 0
NOTHING_AUDITED = "nothing was audited: no rule applied to any partner"
NO_RULE_SELECTED = "nothing was audited: no rule was selected"


@dataclass(frozen=True, slots=True)
class Thresholds:
    fail_on: str = "high"  # a severity, or 'none'
    fail_under: float = 0.0  # minimum overall score; 0 is no minimum
    fail_on_new: bool = False  # only failing findings new since the baseline count against fail_on

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON_CHOICES:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON_CHOICES)}")
        if not 0 <= self.fail_under <= 100:
            raise ValueError("fail_under must be between 0 and 100")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the run passes its thresholds, and why, in words for the report."""

    thresholds: Thresholds
    passed: bool
    reasons: tuple[str, ...]  # why it fails (or, when it passes, why it passes)
    gaps_over: int  # failing (unwaived) findings at or above fail_on
    score: float | None  # the overall score; None when no rule was scored
    failed_by_severity: Mapping[str, int]  # every severity, critical first

    def gaps_text(self) -> str:
        """'1 critical, 8 high gaps' or 'no gaps'."""
        listed = [f"{n} {name}" for name, n in self.failed_by_severity.items() if n]
        total = sum(self.failed_by_severity.values())
        return (", ".join(listed) + (" gap" if total == 1 else " gaps")) if listed else "no gaps"


def _score_words(score: float, threshold: float) -> str:
    """The score with enough decimals that it visibly differs from the threshold (69.96 is not '70.0')."""
    for decimals in (1, 2, 3, 4):
        text = f"{score:.{decimals}f}"
        if (float(text) < threshold) == (score < threshold):
            return text
    return f"{score:.4f}"


def judge(thresholds: Thresholds, findings: Iterable[Finding], score: float | None, rules_selected: int,
          is_new: Callable[[Finding], bool] | None = None) -> Verdict:
    """The verdict for the findings of a run (only failing ones count) and its overall score.

    With `thresholds.fail_on_new`, only the failing findings `is_new` accepts count against `fail_on`.
    """
    if thresholds.fail_on_new and is_new is None:
        raise ValueError("fail_on_new needs a baseline to tell new findings")
    counts = {s.value: 0 for s in SEVERITY_ORDER}
    new_counts = dict(counts)
    for finding in findings:
        if finding.status is Status.failed:
            counts[finding.severity.value] += 1
            if is_new is not None and thresholds.fail_on_new and is_new(finding):
                new_counts[finding.severity.value] += 1
    fail_on, fail_under = thresholds.fail_on, thresholds.fail_under
    gated = new_counts if thresholds.fail_on_new else counts
    over = 0 if fail_on == FAIL_ON_NONE else sum(n for name, n in gated.items() if RANK[name] <= RANK[fail_on])
    word = "new failing finding" if thresholds.fail_on_new else "failing finding"
    failures: list[str] = []
    passes: list[str] = []
    if score is None:
        failures.append(NO_RULE_SELECTED if rules_selected == 0 else NOTHING_AUDITED)
    if over:
        failures.append(f"{count_of(over, word)} at or above {fail_on}")
    elif fail_on == FAIL_ON_NONE:
        passes.append("no severity threshold (--fail-on none)")
    else:
        passes.append(f"no {word} at or above {fail_on}")
    if fail_under > 0:
        if score is None:
            failures.append(f"there is no overall score to hold against the minimum of {fail_under:g}")
        elif score < fail_under:
            failures.append(f"overall score {_score_words(score, fail_under)} is below {fail_under:g}")
        else:
            passes.append(f"overall score {_score_words(score, fail_under)} is at or above {fail_under:g}")
    return Verdict(thresholds, not failures, tuple(failures or passes), over, score, counts)


def evaluate_gate(result: AuditResult, thresholds: Thresholds, baseline: Comparison | None = None) -> Verdict:
    """The verdict of an audit result (what the exit code and every report show); with `--fail-on-new`,
    the gaps `baseline` marks new."""
    overall = result.scores.overall
    score = overall.value if overall is not None else None  # no Score at all, or one without a value: n/a
    is_new = None if baseline is None else (lambda finding: baseline.change(finding) is Change.new)
    return judge(thresholds, result.findings, score, len(result.rules), is_new)
