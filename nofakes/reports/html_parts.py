"""Pieces of the HTML report: its inline assets, badges, bars and the long tables.

Every table of the report is written by `table`: sortable by the page's script, with a
filter box when asked, and cut at `ROW_LIMIT` rows with a note saying where the rest is.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib import resources

from nofakes.audit.scoring import Score
from nofakes.reports.common import full_list_formats, score_text

ROW_LIMIT = 5_000  # rows per table: a 10k-partner page loads in seconds, sorting stays interactive
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")
Write = Callable[[str], object]


@cache
def asset(name: str) -> str:
    """A file of `nofakes/reports/assets/` (the page's CSS and script), read once."""
    return (resources.files("nofakes.reports") / "assets" / name).read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def rule_anchor(pack: str, rule_id: str) -> str:
    """The id of a rule's row in the rule catalogue (gaps and plan steps link to it)."""
    return "rule-" + _SLUG.sub("-", f"{pack}-{rule_id}")


def severity_badge(severity: str) -> str:
    return f'<span class="sev sev-{severity}">{severity}</span>'


def score_badge(score: Score | None) -> str:
    value = score.value if score is not None else None
    if value is None:
        return '<span class="score none">n/a</span>'
    band = "good" if value >= 90 else "fair" if value >= 70 else "poor"
    return f'<span class="score {band}">{score_text(value)}</span>'


def bar(value: float | None) -> str:
    width = 0.0 if value is None else max(0.0, min(100.0, value))
    return f'<span class="bar" aria-hidden="true"><span style="width:{width:.1f}%"></span></span>'


def table(write: Write, table_id: str, header: Sequence[str], rows: Iterable[str], total: int, what: str,
           *, filter_box: bool = False, numeric: Sequence[int] = ()) -> None:
    """A sortable table of `total` rows; `rows` are '<tr>...</tr>' strings (input text escaped), `header` the
    report's own column titles. At most ROW_LIMIT rows are written."""
    if total > ROW_LIMIT:
        write(f'<p class="note">The first {ROW_LIMIT:,} of {total:,} {what} are listed here; '
              f"{full_list_formats()} lists them all.</p>")
    flags = ' data-filter="1"' if filter_box else ""
    write(f'<table id="{table_id}" class="sortable"{flags}><thead><tr>')
    for index, title in enumerate(header):
        cls = ' class="num"' if index in numeric else ""
        write(f'<th scope="col"{cls}>{title}</th>')
    write("</tr></thead><tbody>\n")
    for count, row in enumerate(rows):
        if count >= ROW_LIMIT:
            break
        write(row)
    write("</tbody></table>\n")
