"""The terminal report's "Changes since the baseline" section (`audit --baseline`).

The counts of new, unchanged and fixed gaps, the score changes (overall, each pack and section)
and the fixed gaps with their old rule, subject, partner and message, all from the view.
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.rule import Rule as HRule
from rich.table import Table
from rich.text import Text

from nofakes.core.text import LONG_TEXT_CHARS, safe_text
from nofakes.reports.common import CHANGES_TITLE, delta_text, display_path, score_text
from nofakes.reports.view import ReportView

MARK_STYLE = {"new": "bold magenta", "unchanged": "dim"}


def mark_text(mark: str) -> Text:
    """'NEW' or 'unchanged' under a gap's rule id."""
    return Text(mark.upper() if mark == "new" else mark, style=MARK_STYLE.get(mark, ""))


def _delta_style(value: float | None) -> str:
    if value is None or round(value, 1) == 0:
        return "dim"
    return "green" if value > 0 else "red"


def changes(view: ReportView) -> list[RenderableType]:
    comparison = view.baseline
    if comparison is None:
        return []
    out: list[RenderableType] = [HRule(Text(CHANGES_TITLE, style="bold"), align="left", style="dim")]
    line = Text(f"against {safe_text(display_path(comparison.file))} (as of {safe_text(comparison.as_of)}): ")
    line.append(f"{comparison.new:,} new", style="bold magenta" if comparison.new else "")
    line.append(f", {comparison.unchanged:,} unchanged, ")
    line.append(f"{len(comparison.fixed):,} fixed", style="bold green" if comparison.fixed else "")
    line.append(" failing gaps")
    out.append(Padding(line, (0, 0, 0, 2)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    table.add_column("Score", overflow="fold", ratio=1)
    for header in ("Then", "Now", "Change"):
        table.add_column(header, justify="right", no_wrap=True)
    for change in comparison.scores:
        label = Text(safe_text(change.title), style="bold" if change.section is None else "")
        indent = 0 if change.pack is None else (2 if change.section is None else 4)
        table.add_row(Padding(label, (0, 0, 0, indent)), score_text(change.old), score_text(change.new),
                      Text(delta_text(change.delta), style=_delta_style(change.delta)))
    out.append(table)
    if comparison.fixed:
        shown = comparison.fixed[: max(view.options.top, 0)]
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for old in shown:
            who, message = safe_text(old.partner_name or old.partner or old.subject), safe_text(old.message,
                                                                                                LONG_TEXT_CHARS)
            body = Text(message) if who in message else Text.assemble((who, "bold"), ": ", message)
            grid.add_row(Text("FIXED", style="bold green"), Text(safe_text(old.rule), style="bold"), body)
        out.append(Padding(Text(f"Fixed ({len(shown)} of {len(comparison.fixed)}, most severe first)",
                                style="bold"), (0, 0, 0, 2)))
        out.append(grid)
    return out
