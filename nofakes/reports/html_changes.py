"""The HTML report's "Changes since the baseline" section (`audit --baseline`): the counts of new,
unchanged and fixed gaps, each score then and now, and the fixed gaps as the baseline wrote them."""

from __future__ import annotations

from collections.abc import Iterator

from nofakes.core.text import count_of
from nofakes.reports.common import CHANGES_TITLE, delta_text, display_path, score_text
from nofakes.reports.html_parts import Write, severity_badge, table
from nofakes.reports.markup import html_name, html_text
from nofakes.reports.view import ReportView

ANCHOR = "changes"


def change_cell(mark: str | None) -> str:
    """The Change cell of a gap row: a 'new' badge, 'unchanged', or empty (a waived gap)."""
    if mark is None:
        return "<td></td>"
    return f'<td><span class="change change-{mark}">{mark}</span></td>'


def _delta_class(value: float | None) -> str:
    if value is None or round(value, 1) == 0:
        return "num"
    return "num up" if value > 0 else "num down"


def changes_section(view: ReportView, write: Write) -> None:
    comparison = view.baseline
    if comparison is None:
        return
    write(f'<section id="{ANCHOR}"><h2>{CHANGES_TITLE}</h2>\n<p>Against <code>'
          f"{html_text(display_path(comparison.file))}</code> (as of {html_text(comparison.as_of)}): "
          f"<strong>{comparison.new:,} new</strong>, {comparison.unchanged:,} unchanged and "
          f"<strong>{len(comparison.fixed):,} fixed</strong> failing gaps. Gaps are matched by rule and "
          "subject, not by their wording.</p>\n")
    write('<table class="scores"><thead><tr><th scope="col">Score</th><th scope="col" class="num">Then</th>'
          '<th scope="col" class="num">Now</th><th scope="col" class="num">Change</th></tr></thead><tbody>\n')
    for change in comparison.scores:
        cls = ' class="section"' if change.section is not None else ""
        write(f'<tr><th scope="row"{cls}>{html_text(change.title)}</th><td class="num">{score_text(change.old)}</td>'
              f'<td class="num">{score_text(change.new)}</td>'
              f'<td class="{_delta_class(change.delta)}">{delta_text(change.delta)}</td></tr>\n')
    write("</tbody></table>\n")
    if comparison.fixed:
        write(f"<h3>Fixed ({count_of(len(comparison.fixed), 'gap')})</h3>\n")

        def rows() -> Iterator[str]:
            for old in comparison.fixed:
                who = old.partner_name or old.partner or old.subject
                yield (f"<tr><td>{severity_badge(html_text(old.severity))}</td><td class=\"id\">{html_name(old.rule)}"
                       f"</td><td>{html_name(who)}</td><td>{html_text(old.message)}</td></tr>\n")

        table(write, "fixed-table", ["Severity", "Rule", "Partner", "Gap as the baseline wrote it"], rows(),
              len(comparison.fixed), "fixed gaps", filter_box=True)
    write("</section>\n")
