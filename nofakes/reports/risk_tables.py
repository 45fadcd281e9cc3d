"""The workbook's risk sheets as tables (see `tables`): "Risk", one row per partner and factor, highest
risk first (a partner without a factor has one row with the factor empty), and "Highest exposure", one
row per upstream path of the most exposed partners. Rows are built one at a time."""

from __future__ import annotations

from collections.abc import Iterator

from nofakes.reports.risk_view import EXPOSURE_TITLE, factor_name, path_names
from nofakes.reports.tables_base import Column, Row, Table
from nofakes.reports.view import ReportView

RISK_COLUMNS = (
    Column("Partner", 18), Column("Partner name", 26, "wrap"), Column("Role", 20), Column("Country", 8),
    Column("Risk", 7, "score"), Column("Exposure", 9, "score"), Column("Factor", 16), Column("Value", 8, "percent"),
    Column("Points", 8, "number"), Column("Evidence", 50, "wrap"), Column("Source", 36, "wrap"),
)
EXPOSURE_COLUMNS = (
    Column("Rank", 6, "int"), Column("Partner", 18), Column("Partner name", 26, "wrap"),
    Column("Exposure", 9, "score"), Column("Upstream path", 60, "wrap"), Column("Contribution", 12, "percent"),
)


def risk_note(view: ReportView) -> str:
    """The profile and its caveat, printed on the risk sheets' pages (empty without risk)."""
    risk = view.risk
    return "" if risk is None else f"{risk.profile}: {risk.caveat}"


def risk_table(view: ReportView) -> Table:
    section = view.risk
    assert section is not None

    def rows() -> Iterator[Row]:
        for partner in section.ranked():
            risk = section.partners[partner]
            about = view.partners.get(partner)
            head = (partner, view.names.get(partner, partner), about.role if about else None,
                    about.country if about else None, risk.score, risk.exposure)
            if not risk.factors:
                yield (*head, None, None, None, None, None)
            for f in risk.factors:
                yield (*head, factor_name(f), f.value, f.points, f.evidence, f.source)

    count = sum(max(1, len(r.factors)) for r in section.partners.values())
    return Table("Risk", RISK_COLUMNS, rows(), count, note=risk_note(view))


def exposure_table(view: ReportView) -> Table:
    section = view.risk
    assert section is not None
    rows = [(rank, e.partner, view.names.get(e.partner, e.partner), e.exposure, path_names(view, c.path), c.value)
            for rank, e in enumerate(section.exposed, start=1) for c in e.paths]
    return Table(EXPOSURE_TITLE, EXPOSURE_COLUMNS, rows, len(rows), note=risk_note(view))
