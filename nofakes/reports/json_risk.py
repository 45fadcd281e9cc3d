"""The JSON report's `risk` object (report schema 1.3): the profile, each partner's score, exposure and
factors, and the most exposed partners with their upstream paths. The partners are a `Lazy` list, so
a graph of 100,000 partners is written one partner at a time. And its `screening` object (1.4): the
lists screened against and every match with its evidence."""

from __future__ import annotations

from typing import Any

from nofakes.audit.result import Exposed, PartnerRisk
from nofakes.reports.common import number
from nofakes.reports.json_lazy import Lazy
from nofakes.reports.risk_view import contribution_text
from nofakes.reports.view import ReportView
from nofakes.screening.render import match_json


def partner_risk_fields(view: ReportView, partner: str | None) -> dict[str, Any]:
    """`risk` and `exposure` of a partner, for the lists of partners (nothing without a risk section)."""
    if view.risk is None:
        return {}
    risk = view.partner_risk(partner)
    return {"risk": number(risk.score) if risk else None, "exposure": number(risk.exposure) if risk else None}


def _partner(view: ReportView, item: tuple[str, PartnerRisk]) -> dict[str, Any]:
    partner, risk = item
    return {"partner": partner, "name": view.names.get(partner, partner), "score": number(risk.score),
            "exposure": number(risk.exposure),
            "factors": [{"factor": f.name, "value": number(f.value), "points": number(f.points),
                         "evidence": f.evidence, "source": f.source} for f in risk.factors]}


def _exposed(view: ReportView, exposed: Exposed) -> dict[str, Any]:
    return {"partner": exposed.partner, "name": view.names.get(exposed.partner, exposed.partner),
            "exposure": number(exposed.exposure),
            "paths": [{"path": list(c.path), "contribution": number(c.value), "text": contribution_text(view, c)}
                      for c in exposed.paths]}


def risk_report(view: ReportView, *, lazy: bool = False) -> dict[str, Any] | None:
    """The `risk` object (None: the audit ran with --no-risk). Partners highest risk first (ties by id)."""
    section = view.risk
    if section is None:
        return None
    ranked = [(partner, section.partners[partner]) for partner in section.ranked()]

    def partner(item: tuple[str, PartnerRisk]) -> dict[str, Any]:
        return _partner(view, item)

    return {
        "profile": {"id": section.profile, "title": section.title, "caveat": section.caveat},
        "formula": section.formula,
        "exposure_formula": section.exposure_formula,
        "depth": section.depth,
        "damping": section.damping,
        "partners": Lazy(ranked, partner) if lazy else [partner(item) for item in ranked],
        "exposed": [_exposed(view, e) for e in section.exposed],
    }


def screening_report(view: ReportView) -> dict[str, Any] | None:
    """The `screening` object (None: no rule read `screening`, nothing was screened)."""
    section = view.screening
    if section is None:
        return None
    return {
        "threshold": section.threshold,
        "screened": section.screened,
        "lists": [{"name": x.name, "kind": x.kind, "entries": x.entries} for x in section.lists],
        "matches": [{"partner": m.subject.id, "name": m.subject.name, **match_json(m)} for m in section.matches],
        "caveats": list(section.caveats),
    }
