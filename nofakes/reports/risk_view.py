"""Counterfeit risk as every report format words it: partner names along a path, a factor in one
line, the caveat. The numbers come from the view's risk section (`nofakes.audit.result.RiskSection`)."""

from __future__ import annotations

from collections.abc import Sequence

from nofakes.audit.result import Exposed
from nofakes.reports.view import ReportView
from nofakes.risk.exposure import Contribution
from nofakes.risk.model import Factor, percent

RISK_TITLE = "Counterfeit risk"
EXPOSURE_TITLE = "Highest exposure"
FACTORS_SHOWN = 3  # factors of a partner the summaries show (the JSON report and the workbook: all)


def factor_name(factor: Factor) -> str:
    """'transport value' for `transport_value`."""
    return factor.name.replace("_", " ")


def factor_text(factor: Factor) -> str:
    """'origin +26.1: Hong Kong: 57.5% of seizure lines of electronics'."""
    return f"{factor_name(factor)} +{factor.points:.1f}: {factor.evidence}"


def factor_sources(view: ReportView) -> dict[str, list[str]]:
    """Factor name -> its sources, for the factors that occur, most points in all first (ties by name)."""
    risk = view.risk
    if risk is None:
        return {}
    points: dict[str, float] = {}
    sources: dict[str, dict[str, None]] = {}
    for partner in risk.partners.values():
        for factor in partner.factors:
            points[factor.name] = points.get(factor.name, 0.0) + factor.points
            sources.setdefault(factor.name, {})[factor.source] = None
    return {name: list(sources[name]) for name in sorted(points, key=lambda n: (-points[n], n))}


def factor_names(view: ReportView) -> list[str]:
    """The factors that occur, most points in all first (the workbook's Risk columns)."""
    return list(factor_sources(view))


def path_names(view: ReportView, path: Sequence[str]) -> str:
    """'Quickchip Brokers -> Sentinel Lab': the partners of a path by name, the start first."""
    return " -> ".join(view.names.get(partner, partner) for partner in path)


def contribution_text(view: ReportView, contribution: Contribution) -> str:
    """'Quickchip Brokers -> Sentinel Lab: 26.5%'."""
    return f"{path_names(view, contribution.path)}: {percent(contribution.value)}"


def exposed_paths_text(view: ReportView, exposed: Exposed) -> str:
    """The upstream paths that carry most of a partner's exposure, separated by '; '."""
    return "; ".join(contribution_text(view, c) for c in exposed.paths)


def profile_line(view: ReportView) -> str:
    """'Risk profile ipr-seizures@1.1.0: Counterfeit seizures at the US border, ...' (empty without risk)."""
    risk = view.risk
    return "" if risk is None else f"Risk profile {risk.profile}: {risk.title}."


def exposure_line(view: ReportView) -> str:
    """The exposure formula with its damping and depth (empty without risk)."""
    risk = view.risk
    if risk is None:
        return ""
    return f"{risk.exposure_formula}; d = {risk.damping:g} per hop, at most {risk.depth} hops"
