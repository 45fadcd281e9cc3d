"""The free layouts of the workbook: the Summary sheet (with its chart) and the Run sheet.

Each row is (values, cell kinds); `xlsx.py` writes them. Kinds are those of `tables.Column`
plus "bold" for headings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference

from nofakes.audit.scoring import FORMULA, Score
from nofakes.reports.common import CHANGES_TITLE, display_path, parameter_text
from nofakes.reports.risk_view import RISK_TITLE, exposure_line, factor_sources, factor_text
from nofakes.reports.view import ReportView

Layout = list[tuple[Sequence[Any], Sequence[str]]]
SUMMARY = "Summary"
_SCORE_KINDS = ("text", "wrap", "score", "number", "number", "int", "int", "int")


def _line(label: str, value: Any, kind: str = "text") -> tuple[Sequence[Any], Sequence[str]]:
    return (label, value), ("bold", kind)


def _heading(*labels: str) -> tuple[Sequence[Any], Sequence[str]]:
    return labels, ("bold",) * len(labels)


def _score(scope: str, title: str, score: Score, failed: int, waived: int) -> tuple[Sequence[Any], Sequence[str]]:
    value = score.value
    return ((scope, title, "no score" if value is None else value, score.numerator, score.denominator, score.rules,
             failed, waived), _SCORE_KINDS)


def _continued(continued: Mapping[str, Sequence[str]]) -> Layout:
    rows: Layout = []
    for title, sheets in continued.items():
        if len(sheets) > 1:
            rows.append(_line("Note", f"{title} is longer than an Excel sheet holds: it continues on "
                                      f"{', '.join(sheets[1:])}.", "wrap"))
    return rows


def _changes(view: ReportView) -> Layout:
    """With --baseline: the counts of new, unchanged and fixed gaps, and each score then, now and its change."""
    comparison = view.baseline
    if comparison is None:
        return []
    rows: Layout = [((), ()), _heading(CHANGES_TITLE),
                    _line("Baseline", f"{display_path(comparison.file)} (as of {comparison.as_of})"),
                    _line("New failing findings", comparison.new, "int"),
                    _line("Unchanged failing findings", comparison.unchanged, "int"),
                    _line("Fixed since the baseline", len(comparison.fixed), "int"),
                    _heading("Scope", "Title", "Then", "Now", "Change")]
    for change in comparison.scores:
        scope = "Overall" if change.pack is None else change.pack + (f" / {change.section}" if change.section else "")
        rows.append(((scope, change.title, change.old, change.new, change.delta),
                     ("text", "wrap", "score", "score", "number")))
    return rows


def _risk(view: ReportView) -> Layout:
    """Unless --no-risk: the profile, its caveat and formulas, and the partners of highest risk."""
    risk = view.risk
    if risk is None:
        return []
    rows: Layout = [((), ()), _heading(RISK_TITLE), _line("Risk profile", f"{risk.profile}: {risk.title}", "wrap"),
                    _line("Limits", risk.caveat, "wrap"), _line("Risk formula", risk.formula, "wrap"),
                    _line("Exposure formula", exposure_line(view), "wrap"),
                    _line("Sheets", "Risk: every partner, the points of each factor and their evidence; "
                                    "Highest exposure: the upstream paths", "wrap")]
    rows += [_line("Source" if i == 0 else "", f"{name.replace('_', ' ')}: {'; '.join(sources)}", "wrap")
             for i, (name, sources) in enumerate(factor_sources(view).items())]
    rows.append(_heading("Partner", "Name", "Risk", "Exposure", "Largest factor"))
    for partner in view.risk_shown:
        found = risk.partners[partner]
        largest = factor_text(found.factors[0]) if found.factors else None
        rows.append(((partner, view.names.get(partner, partner), found.score, found.exposure, largest),
                     ("text", "wrap", "score", "score", "text")))
    return rows


def summary_rows(view: ReportView, continued: Mapping[str, Sequence[str]]) -> tuple[Layout, BarChart | None]:
    """The Summary sheet's rows, and a bar chart of the section scores (None without a scored section)."""
    verdict, totals = view.verdict, view.totals
    rows: Layout = [
        (("Supply-chain gap report",), ("bold",)),
        _line("Company", f"{view.company_name} ({view.company_id})"),
        _line("As of", view.as_of, "date"),
        _line("Verdict", "PASS" if verdict.passed else "FAIL", "bold"),
    ]
    rows += [_line("Why" if i == 0 else "", reason, "wrap") for i, reason in enumerate(verdict.reasons)]
    rows += [
        _line("Thresholds", f"fail on {verdict.thresholds.fail_on}; fail under {verdict.thresholds.fail_under:g}"),
        _line("Coverage", view.coverage.text()),
        _line("Rules selected", view.coverage.rules_selected, "int"),
        _line("Rules scored", view.coverage.rules_scored, "int"),
        _line("Subjects evaluated", view.coverage.subjects_evaluated, "int"),
        _line("Partners", view.coverage.partners, "int"),
        _line("Failing findings", sum(verdict.failed_by_severity.values()), "int"),
        _line("Waived findings", totals.waived, "int"),
        *_continued(continued),
        ((), ()),
        _heading("Scores"),
        _heading("Scope", "Title", "Score", "Numerator", "Denominator", "Rules", "Failing", "Waived"),
        _score("Overall", view.company_name, view.overall, totals.failed, totals.waived),
    ]
    for pack in view.pack_order:
        tally = view.pack_tallies[pack]
        rows.append(_score(pack, view.pack_titles.get(pack, pack), view.scores.packs[pack], tally.failed, tally.waived))
    first_section = len(rows) + 1
    for key in view.section_order:
        tally = view.section_tallies[key]
        rows.append(_score(f"{key[0]} / {key[1]}", view.section_titles.get(key, key[1]), view.scores.sections[key],
                           tally.failed, tally.waived))
    last_section = len(rows)
    rows += [((), ()), _heading("Failing findings by severity"), _heading("Severity", "Failing")]
    rows += [((name, count), ("text", "int")) for name, count in verdict.failed_by_severity.items()]
    rows += _changes(view)
    rows += _risk(view)
    rows += [((), ()), _line("Score formula", FORMULA, "wrap")]
    if view.plan_weighting:
        rows.append(_line("Plan order", view.plan_weighting, "wrap"))
    chart = _section_chart(first_section, last_section) if view.section_order else None
    return rows, chart


def _section_chart(first: int, last: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: section titles stay readable
    chart.title = "Section scores"
    chart.y_axis.title = "score (0-100)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.x_axis.scaling.orientation = "maxMin"  # the first section on top, as in the table
    chart.legend = None
    chart.add_data(Reference(range_string=f"{SUMMARY}!$C${first}:$C${last}"), titles_from_data=False)
    chart.set_categories(Reference(range_string=f"{SUMMARY}!$B${first}:$B${last}"))
    chart.width, chart.height = 18, max(6.0, 1.0 + 0.8 * (last - first + 1))
    return chart


def _parameter(value: Any) -> tuple[Any, str]:
    if isinstance(value, dt.date):
        return value, "date"
    if isinstance(value, bool):
        return ("true" if value else "false"), "text"
    if isinstance(value, (int, float)):
        return value, "text"
    return parameter_text(value), "wrap"


def run_rows(view: ReportView) -> Layout:
    """The Run sheet: what produced the report, to reproduce or check it."""
    thresholds = view.verdict.thresholds
    rows: Layout = [
        _heading("Run"),
        _line("Tool", "nofakes"), _line("Version", view.tool_version), _line("As of", view.as_of, "date"),
        _line("Company", f"{view.company_name} ({view.company_id})"),
        _line("Input hash (SHA-256)", view.input_hash),
        _line("Fail on", thresholds.fail_on), _line("Fail under", thresholds.fail_under, "number"),
        _line("Passes listed", "yes" if view.include_passes else "no"),
        *([_line("Screened", view.screening.text())] if view.screening is not None else []),
        ((), ()), _heading("Input files"), _heading("Path", "SHA-256"),
        *(((f.path, f.sha256), ("wrap", "text")) for f in view.inputs),
        ((), ()), _heading("Packs"), _heading("Pack", "Title", "Status", "Files", "SHA-256"),
        *(((p.id, p.title, p.status.value, len(p.files), p.sha256), ("text", "wrap", "text", "int", "text"))
          for p in view.packs),
        ((), ()), _heading("Parameters"), _heading("Name", "Value"),
    ]
    for name, value in view.parameters.items():
        shown, kind = _parameter(value)
        rows.append(((name, shown), ("text", kind)))
    if view.warnings:
        rows += [((), ()), _heading("Warnings"), *(_line("Warning", d.format(), "wrap") for d in view.warnings)]
    return rows
