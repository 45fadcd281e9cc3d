"""Results of an audit as frozen data. The engine produces them; reports read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from nofakes.supply.model import Severity


class Status(str, Enum):
    passed = "pass"
    failed = "fail"
    waived = "waived"
    not_applicable = "not_applicable"


SEVERITY_WEIGHT: dict[Severity, float] = {
    Severity.critical: 10.0,
    Severity.high: 7.5,
    Severity.medium: 5.0,
    Severity.low: 2.5,
    Severity.info: 0.0,
}
SEVERITY_ORDER: tuple[Severity, ...] = (Severity.critical, Severity.high, Severity.medium, Severity.low, Severity.info)
EFFORT_UNITS: dict[str, float] = {"low": 1.0, "medium": 2.0, "high": 4.0}


@dataclass(frozen=True, slots=True)
class AppliedWaiver:
    rule: str
    target: str
    reason: str
    approved_by: str
    expires: dt.date


@dataclass(frozen=True, slots=True)
class Finding:
    """One (rule, subject) outcome that is reported individually: fail, waived (or pass on request)."""

    rule_id: str
    pack: str
    section: str
    severity: Severity
    status: Status
    subject_type: str  # node | edge | product | company | path
    subject: str  # node id, 'from->to', product id, company id; for path rules the end node id
    subject_name: str
    partner: str | None  # node id whose partner score carries the finding
    message: str
    detail: str  # why: the failing check, e.g. "no evidence of contract.audit_rights"
    missing_evidence: bool
    edge_kind: str | None = None
    evidence: tuple[str, ...] = ()  # path rules: one concrete offending path, node ids in goods-flow order
    waiver: AppliedWaiver | None = None

    @property
    def key(self) -> str:
        """A stable fingerprint of the finding for baselines: rule, subject, edge kind."""
        return f"{self.rule_id}|{self.subject}|{self.edge_kind or ''}"


@dataclass(frozen=True, slots=True)
class RuleCounts:
    passed: int
    failed: int
    waived: int
    not_applicable: int

    @property
    def counted(self) -> int:
        return self.passed + self.failed

    @property
    def compliance(self) -> float | None:
        return self.passed / self.counted if self.counted else None
