"""The Markdown report's "Counterfeit risk" and "Highest exposure" sections (unless `audit --no-risk`):
the partners of highest risk with their largest factors, the most exposed partners with the upstream
paths that carry it, the profile, the formulas and the caveat."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from nofakes.reports.markup import markdown_name, markdown_text
from nofakes.reports.risk_view import (
    EXPOSURE_TITLE,
    FACTORS_SHOWN,
    RISK_TITLE,
    contribution_text,
    exposure_line,
    factor_text,
    profile_line,
)
from nofakes.reports.view import ReportView

TableMaker = Callable[[Sequence[str], str, Iterable[Iterable[str]]], list[str]]


def risk_blocks(view: ReportView, table: TableMaker) -> list[list[str]]:
    section = view.risk
    if section is None:
        return []
    ranked = view.risk_shown
    risk = [f"## {RISK_TITLE} (top {len(ranked)}, highest first)", "",
            f"*{markdown_text(section.caveat)}*", ""]
    if ranked:
        rows = [[f"{section.partners[p].score:.1f}", f"{section.partners[p].exposure:.1f}",
                 markdown_name(view.names.get(p, p)),
                 "; ".join(markdown_text(factor_text(f)) for f in section.partners[p].factors[:FACTORS_SHOWN])]
                for p in ranked]
        risk += [*table(["Risk", "Exposure", "Partner", "Largest factors"], "rrll", rows), ""]
    else:
        risk += ["No partner has a risk factor.", ""]
    risk.append(f"{markdown_text(profile_line(view))} Risk: {markdown_text(section.formula)}; "
                "exposure 0-100 (the JSON report and the workbook list every partner and factor).")
    exposed = section.exposed[: max(view.options.top, 0)]
    lines = [f"## {EXPOSURE_TITLE} ({len(exposed)} of {len(section.exposed)})", ""]
    if exposed:
        rows = [[f"{e.exposure:.1f}", markdown_name(view.names.get(e.partner, e.partner)),
                 "; ".join(markdown_text(contribution_text(view, c)) for c in e.paths)] for e in exposed]
        lines += [*table(["Exposure", "Partner", "Upstream paths"], "rll", rows), ""]
    else:
        lines += ["No partner receives goods from a partner with a risk factor.", ""]
    lines.append(f"{markdown_text(exposure_line(view)).capitalize()}.")
    return [risk, lines]
