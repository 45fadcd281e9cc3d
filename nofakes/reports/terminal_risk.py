"""The terminal report's "Counterfeit risk" and "Highest exposure" sections (unless `audit --no-risk`).

The partners of highest risk with their largest factors, then the partners most exposed to upstream
risk with the paths that carry it, in partner names; the profile, the formulas and the caveat below.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.rule import Rule as HRule
from rich.table import Table
from rich.text import Text

from nofakes.core.text import LONG_TEXT_CHARS, count_of, safe_text
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

SHOWN = 5  # partners per section at most (--top lowers it; the JSON report and the workbook list all)


def _heading(title: str) -> HRule:
    return HRule(Text(title, style="bold"), align="left", style="dim")


def risk_style(score: float) -> str:
    """Red from 50, yellow from 25: where to look first stands out."""
    return "bold red" if score >= 50 else "yellow" if score >= 25 else ""


def _grid(numbers: int) -> Table:
    """`numbers` right-aligned number columns, then the text."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    for _ in range(numbers):
        grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def _note(*lines: str) -> Padding:
    return Padding(Text("\n".join(lines), style="dim"), (0, 0, 0, 2))


def risk_sections(view: ReportView) -> list[RenderableType]:
    section = view.risk
    if section is None:
        return []
    limit = min(SHOWN, max(view.options.top, 0))
    ranked = [p for p in section.ranked() if section.partners[p].score > 0]
    shown = ranked[:limit]
    out: list[RenderableType] = [_heading(f"{RISK_TITLE} ({len(shown)} of {count_of(len(ranked), 'partner')} "
                                          "with a risk factor, highest first)")]
    if shown:
        grid = _grid(2)
        grid.add_row(Text("Risk", style="bold"), Text("Exp.", style="bold"), Text("Partner and largest factors",
                                                                                  style="bold"))
        for partner in shown:
            risk = section.partners[partner]
            body = Text(safe_text(view.names.get(partner, partner)), style="bold")
            body.append(f" ({safe_text(partner)})", style="dim")
            for factor in risk.factors[:FACTORS_SHOWN]:
                body.append("\n" + safe_text(factor_text(factor), LONG_TEXT_CHARS))
            grid.add_row(Text(f"{risk.score:.1f}", style=risk_style(risk.score)), f"{risk.exposure:.1f}", body)
        out.append(Padding(grid, (0, 0, 0, 2)))
    else:
        out.append(Padding(Text("No partner has a risk factor.", style="green"), (0, 0, 0, 2)))
    out.append(_note(profile_line(view), f"Risk: {section.formula}; Exp.: exposure 0-100.", section.caveat))
    return [*out, Text(""), *_exposure(view, limit)]


def _exposure(view: ReportView, limit: int) -> list[RenderableType]:
    section = view.risk
    assert section is not None
    shown = section.exposed[:limit]
    out: list[RenderableType] = [_heading(f"{EXPOSURE_TITLE} ({len(shown)} of {len(section.exposed)} most "
                                          "exposed to upstream risk)")]
    if shown:
        grid = _grid(1)
        for exposed in shown:
            body = Text(safe_text(view.names.get(exposed.partner, exposed.partner)), style="bold")
            for contribution in exposed.paths:
                body.append("\n" + safe_text(contribution_text(view, contribution), LONG_TEXT_CHARS))
            grid.add_row(f"{exposed.exposure:.1f}", body)
        out.append(Padding(grid, (0, 0, 0, 2)))
    else:
        out.append(Padding(Text("No partner receives goods from a partner with a risk factor.", style="green"),
                           (0, 0, 0, 2)))
    out.append(_note(f"{exposure_line(view).capitalize()}; shown 0-100."))
    return out
