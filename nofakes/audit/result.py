"""What an audit produces, as frozen data: everything reports need and no source text.

Reports import this module, never the engine. The supply file itself is not kept: only its
company, the input files (display name and SHA-256), the partners (name, role, country,
tier), the `guidelines:` it names and the warnings raised while loading it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from nofakes.audit.findings import Finding
from nofakes.audit.scoring import ScoredRule, Scores
from nofakes.audit.screening import ScreeningSection
from nofakes.core.errors import Diagnostic
from nofakes.core.text import count_of
from nofakes.packs.catalogue import ResolvedPack
from nofakes.risk.exposure import Contribution
from nofakes.risk.model import Factor
from nofakes.supply.model import Company, Waiver


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file the supply chain was read from: as the user named it, and `sha256sum` of its bytes."""

    display: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Partner:
    """A node of the graph as reports show it."""

    name: str
    role: str
    country: str | None
    tier: int | None  # see nofakes.supply.graph: upstream positive, downstream negative, None unconnected


@dataclass(frozen=True, slots=True)
class Link:
    """A goods flow between two partners (an edge of the file), as the chain drawings of reports show it."""

    source: str  # node id the goods come from
    target: str  # node id they go to
    kind: str  # the edge kind


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much the audit looked at, shown next to the score (README: Scores: nothing audited is not a pass)."""

    rules_selected: int  # active rules of the selected packs
    rules_scored: int  # rules with at least one counted (passed or failed) subject
    subjects_evaluated: int  # applicable (rule, subject) evaluations: passed + failed + waived
    partners: int  # nodes in the graph

    def text(self) -> str:
        """'5 of 6 rules scored, 120 subjects evaluated'."""
        return (f"{self.rules_scored} of {self.rules_selected} rules scored, "
                f"{count_of(self.subjects_evaluated, 'subject')} evaluated")


@dataclass(frozen=True)
class WaiverReport:
    applied: tuple[Finding, ...]
    expired: tuple[Waiver, ...]
    unused: tuple[Waiver, ...]
    duplicates: tuple[tuple[Waiver, Waiver], ...] = ()  # (first, repeated) with the same rule and target


class PartnerRisk(NamedTuple):
    """A partner's counterfeit risk as the audit reports it (README: Counterfeit risk and exposure); one per
    partner, immutable."""

    score: float  # 0-100, the profile's factors and the audit's gaps
    factors: tuple[Factor, ...]  # largest contribution first
    exposure: float  # 0-100: how much risk reaches the partner from upstream


@dataclass(frozen=True, slots=True)
class Exposed:
    """One of the partners most exposed to upstream risk, with the upstream paths that carry most of it."""

    partner: str
    exposure: float  # 0-100
    paths: tuple[Contribution, ...]  # start first, the partner last; value 0-1


@dataclass(frozen=True)
class RiskSection:
    """Where counterfeits are likely to enter (the risk profile's model) and whom they reach."""

    profile: str  # 'ipr-seizures@1.1.0'
    title: str
    caveat: str  # the profile's limits, shown wherever the scores are
    formula: str
    exposure_formula: str
    depth: int
    damping: float
    partners: dict[str, PartnerRisk]  # node id -> risk, in file order
    exposed: tuple[Exposed, ...]  # highest exposure first

    def ranked(self) -> list[str]:
        """Partner ids, highest risk score first (ties by id)."""
        return sorted(self.partners, key=lambda n: (-self.partners[n].score, n))


@dataclass(frozen=True)
class AuditResult:
    tool_version: str
    as_of: dt.date
    company: Company
    inputs: tuple[InputFile, ...]  # the root file first, then includes
    input_hash: str
    guidelines: tuple[str, ...]  # the packs the file names (guidelines:)
    partners: dict[str, Partner]  # node id -> partner, in file order
    packs: tuple[ResolvedPack, ...]
    parameters: dict[str, Any]  # 'pack.parameter' -> effective value, sorted
    rules: tuple[ScoredRule, ...]
    findings: tuple[Finding, ...]  # failing and waived (and passing with include_passes), ordered
    scores: Scores
    coverage: Coverage
    waivers: WaiverReport
    warnings: tuple[Diagnostic, ...]  # from the audit: parameters, waivers
    input_warnings: tuple[Diagnostic, ...] = ()  # from loading the supply file
    include_passes: bool = False
    links: tuple[Link, ...] = ()  # the edges of the file, in file order
    risk: RiskSection | None = None  # None: the audit ran without a risk profile (audit --no-risk)
    screening: ScreeningSection | None = None  # None: no rule read `screening`, nothing was screened

    @cached_property
    def names(self) -> dict[str, str]:
        """Node id -> partner name."""
        return {node_id: partner.name for node_id, partner in self.partners.items()}
