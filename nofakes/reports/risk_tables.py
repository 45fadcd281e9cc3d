"""The workbook's risk sheets as tables (see `tables`): "Risk", one row per partner, highest risk first,
with a column of points per factor (empty: the factor does not apply) to filter and sort by, and the
evidence of each factor; "Highest exposure", one row per upstream path of the most exposed partners.
Rows are built one at a time."""

from __future__ import annotations

from collections.abc import Iterator

from nofakes.reports.risk_view import EXPOSURE_TITLE, factor_names, path_names
from nofakes.reports.tables_base import Column, Row, Table
from nofakes.reports.view import ReportView

PARTNER_COLUMNS = (
    Column("Partner", 18), Column("Partner name", 26, "wrap"), Column("Role", 20), Column("Country", 8),
    Column("Risk", 7, "score"), Column("Exposure", 9, "score"),
)
EVIDENCE_COLUMN = Column("Evidence (factor: evidence)", 70, "wrap")
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
    names = factor_names(view)
    columns = (*PARTNER_COLUMNS, *(Column(name.replace("_", " ").capitalize(), 10, "number") for name in names),
               EVIDENCE_COLUMN)
    empty = dict.fromkeys(names)

    def rows() -> Iterator[Row]:
        for partner in section.ranked():
            risk = section.partners[partner]
            about = view.partners.get(partner)
            points = {**empty, **{f.name: f.points for f in risk.factors}}
            yield (partner, view.names.get(partner, partner), about.role if about else None,
                   about.country if about else None, risk.score, risk.exposure, *points.values(),
                   "\n".join(f"{f.name.replace('_', ' ')}: {f.evidence}" for f in risk.factors) or None)

    return Table("Risk", columns, rows(), len(section.partners), note=risk_note(view))


def exposure_table(view: ReportView) -> Table:
    section = view.risk
    assert section is not None
    rows = [(rank, e.partner, view.names.get(e.partner, e.partner), e.exposure, path_names(view, c.path), c.value)
            for rank, e in enumerate(section.exposed, start=1) for c in e.paths]
    return Table(EXPOSURE_TITLE, EXPOSURE_COLUMNS, rows, len(rows), note=risk_note(view))
