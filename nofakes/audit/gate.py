"""The pass/fail gate of an audit: `--fail-on` and `--fail-under`, decided in one place.

The CLI turns the gate into the exit code; reports print the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from nofakes.audit.findings import SEVERITY_ORDER, Status
from nofakes.audit.result import AuditResult
from nofakes.supply.model import Severity

FAIL_ON_CHOICES: tuple[str, ...] = (*(s.value for s in SEVERITY_ORDER), "none")


@dataclass(frozen=True, slots=True)
class Gate:
    fail_on: str
    fail_under: float
    gaps_over: int  # failing (unwaived) findings at or above fail_on
    score: float | None
    failed_by_severity: dict[str, int]

    @property
    def score_below(self) -> bool:
        return self.score is not None and self.score < self.fail_under

    @property
    def failed(self) -> bool:
        return self.gaps_over > 0 or self.score_below

    def describe(self) -> str:
        """'1 critical, 8 high gaps; fails --fail-on high; score 61.2 >= --fail-under 0'."""
        listed = [f"{n} {name}" for name, n in self.failed_by_severity.items() if n]
        total = sum(self.failed_by_severity.values())
        text = (", ".join(listed) + (" gap" if total == 1 else " gaps")) if listed else "no gaps"
        if self.fail_on == "none":
            text += "; no severity gate (--fail-on none)"
        else:
            text += f"; {'fails' if self.gaps_over else 'passes'} --fail-on {self.fail_on}"
        if self.fail_under > 0:
            shown = "n/a" if self.score is None else f"{self.score:.1f}"
            text += f"; score {shown} {'<' if self.score_below else '>='} --fail-under {self.fail_under:g}"
        return text


def evaluate_gate(result: AuditResult, fail_on: str = "high", fail_under: float = 0.0) -> Gate:
    if fail_on not in FAIL_ON_CHOICES:
        raise ValueError(f"fail_on must be one of {FAIL_ON_CHOICES}")
    counts = {s.value: 0 for s in SEVERITY_ORDER}
    for finding in result.findings:
        if finding.status is Status.failed:
            counts[finding.severity.value] += 1
    gated = SEVERITY_ORDER[: SEVERITY_ORDER.index(Severity(fail_on)) + 1] if fail_on != "none" else ()
    over = sum(counts[s.value] for s in gated)
    overall = result.scores.overall
    return Gate(fail_on, fail_under, over, overall.value if overall is not None else None, counts)
