"""The HTML report's "Counterfeit risk" section (unless `audit --no-risk`): the caveat, the profile and
its formulas, every partner by risk with its factors (points, evidence, source), and the most exposed
partners with the upstream paths that carry their exposure, in partner names. Also the risk cells of the
report's other partner lists."""

from __future__ import annotations

from collections.abc import Iterator

from nofakes.core.text import count_of
from nofakes.reports.html_parts import Write, table
from nofakes.reports.markup import html_name, html_text
from nofakes.reports.risk_view import (
    EXPOSURE_TITLE,
    RISK_TITLE,
    contribution_text,
    exposure_line,
    factor_name,
    profile_line,
)
from nofakes.reports.view import ReportView

ANCHOR = "risk"


def risk_header(view: ReportView) -> list[str]:
    """The column title of a partner's risk in the other tables (none without risk)."""
    return [] if view.risk is None else ["Risk"]


def risk_cell(view: ReportView, partner: str | None) -> str:
    """A partner's risk score as a table cell (nothing without risk; empty for no partner)."""
    if view.risk is None:
        return ""
    risk = view.partner_risk(partner)
    return f'<td class="num">{"" if risk is None else f"{risk.score:.1f}"}</td>'


def risk_section(view: ReportView, write: Write) -> None:
    section = view.risk
    if section is None:
        return
    write(f'<section id="{ANCHOR}"><h2>{RISK_TITLE}</h2>\n<p class="note">{html_text(section.caveat)}</p>\n'
          f"<p>{html_text(profile_line(view))} Risk 0-100: {html_text(section.formula)}. Exposure 0-100: "
          f"{html_text(exposure_line(view))}.</p>\n"
          f"<p>{count_of(len(section.partners), 'partner')}, highest risk first.</p>\n")

    def rows() -> Iterator[str]:
        for partner in section.ranked():
            risk = section.partners[partner]
            factors = "".join(f"<li><strong>{html_text(factor_name(f))}</strong> +{f.points:.1f}: "
                              f'{html_text(f.evidence)} <span class="muted">({html_text(f.source)})</span></li>'
                              for f in risk.factors)
            yield (f'<tr><td class="num">{risk.score:.1f}</td><td class="num">{risk.exposure:.1f}</td>'
                   f"<td>{html_name(view.names.get(partner, partner))}</td><td>{html_name(partner)}</td>"
                   f"<td>{f'<ul>{factors}</ul>' if factors else ''}</td></tr>\n")

    table(write, "risk-table", ["Risk", "Exposure", "Partner", "Id", "Factors"], rows(), len(section.partners),
          "partners", filter_box=True, numeric=(0, 1))
    write(f"<h3>{EXPOSURE_TITLE}</h3>\n<p>The partners most exposed to upstream risk, with the paths that "
          "carry most of it.</p>\n")
    exposed = (f'<tr><td class="num">{e.exposure:.1f}</td><td>{html_name(view.names.get(e.partner, e.partner))}'
               "</td><td><ul>" + "".join(f"<li>{html_text(contribution_text(view, c))}</li>" for c in e.paths)
               + "</ul></td></tr>\n" for e in section.exposed)
    table(write, "exposure-table", ["Exposure", "Partner", "Upstream paths"], exposed, len(section.exposed),
          "partners", numeric=(0,))
    write("</section>\n")
