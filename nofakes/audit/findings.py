"""Results of an audit as frozen data. The engine produces them; reports read them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

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


class Words:
    """A finding's message and its reason ("why"), worded when a report first reads them.

    The engine gives a failing finding the function that words it and what it needs (the subject, the
    failure, the evidence), not the words: an audit with 900,000 gaps whose terminal report shows ten
    words ten, and a report that shows them all words each once. Immutable to its readers: the words
    are the same on every read.
    """

    __slots__ = ("_message", "_detail", "_source")

    def __init__(self, message: str = "", detail: str = "") -> None:
        self._message, self._detail = message, detail
        self._source: tuple[Callable[..., tuple[str, str]], tuple[Any, ...]] | None = None

    @classmethod
    def later(cls, word: Callable[..., tuple[str, str]], *args: Any) -> Words:
        """Words that `word(*args)` gives (message, reason) when first read."""
        words = cls.__new__(cls)
        words._source = (word, args)
        return words

    @property
    def message(self) -> str:
        if self._source is not None:
            self._word()
        return self._message

    @property
    def detail(self) -> str:
        if self._source is not None:
            self._word()
        return self._detail

    def _word(self) -> None:
        assert self._source is not None
        word, args = self._source
        self._message, self._detail = word(*args)
        self._source = None  # what it needed is no longer kept

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Words):
            return NotImplemented
        return (self.message, self.detail) == (other.message, other.detail)

    def __hash__(self) -> int:
        return hash((self.message, self.detail))

    def __repr__(self) -> str:
        return f"Words({self.message!r}, {self.detail!r})"


NO_WORDS = Words()  # passing findings (`--include-passes`) have neither message nor reason


class Finding(NamedTuple):
    """One (rule, subject) outcome that is reported individually: fail, waived (or pass on request).

    Immutable (a named tuple: an audit keeps hundreds of thousands, and a tuple is made six times
    faster than a frozen dataclass); `message` and `detail` are read from its `words`.
    """

    rule_id: str
    pack: str
    section: str
    severity: Severity
    status: Status
    subject_type: str  # node | edge | product | company | path
    subject: str  # node id, 'from->to', product id, company id; for path rules the end node id
    subject_name: str
    partner: str | None  # node id whose partner score carries the finding
    words: Words  # the message and, for a failure, why: the failing check, e.g. "no evidence of contract.audit_rights"
    missing_evidence: bool
    edge_kind: str | None = None
    evidence: tuple[str, ...] = ()  # path rules: one concrete offending path, node ids in goods-flow order
    waiver: AppliedWaiver | None = None

    @property
    def message(self) -> str:
        return self.words.message

    @property
    def detail(self) -> str:
        return self.words.detail

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
