"""Wording helpers shared by the report formats: numbers, values and paths as reports show them.

What a report selects and in which order is decided by the report view (`reports/view.py`).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

DECIMALS = 4


def number(value: float | int | None) -> float | None:
    """A float rounded for reports (4 decimals), None stays None."""
    if value is None:
        return None
    rounded = round(float(value), DECIMALS)
    return 0.0 if rounded == 0 else rounded  # no '-0.0'


def parameter_text(value: Any) -> str:
    """A parameter value as text for a table cell: a list parameter's items separated by commas."""
    shown = plain(value)
    return ", ".join(str(v) for v in shown) if isinstance(shown, list) else str(shown)


def plain(value: Any) -> Any:
    """A parameter value as JSON-compatible data: dates as ISO strings, enums as their value.

    Input values are kept as given (not rounded): only computed numbers are rounded.
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def display_path(display: str) -> str:
    """An input file as the user sees it: as given, or relative to the working directory when given
    absolute (as the loader shows includes), so reports do not carry machine-specific prefixes."""
    path = Path(display)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return display


def full_list_formats() -> str:
    """'the xlsx, csv or json report': the registered formats that list every finding (for "see ..." notes)."""
    from nofakes.reports.registry import FORMATS

    names = [name for name in ("xlsx", "csv", "json") if name in FORMATS]
    return "the " + (", ".join(names[:-1]) + " or " if len(names) > 1 else "") + names[-1] + " report"




def score_text(value: float | None, decimals: int = 1) -> str:
    """'60.5' (or 'n/a' when no rule is in scope)."""
    return "n/a" if value is None else f"{value:.{decimals}f}"


def delta_text(value: float | None, decimals: int = 1) -> str:
    """'+2.5', '-0.3', '±0.0' (or 'n/a' when either score is missing): a score change since the baseline."""
    if value is None:
        return "n/a"
    text = f"{value:+.{decimals}f}"
    return "±" + text[1:] if float(text) == 0 else text


CHANGES_TITLE = "Changes since the baseline"
