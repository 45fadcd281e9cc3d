"""Value rules of the supply-chain format that YAML and JSON must agree on.

- **Dates under `attributes`**: a text value under `attributes` (at any depth) that is
  exactly an ISO calendar date, `YYYY-MM-DD`, is a date, whether written in YAML (quoted or
  not) or in JSON; YAML's own dates stay dates. So a rule reading `attributes.*` sees the
  same value in both formats. Other text (`2026-1-5`, `2026-02-30`, a time) stays text.
- **The audit date** (`as_of`, and `--as-of`) must be a plausible working date, between
  1 January 1970 and 31 December 2199: earlier or later is a placeholder or a typo (0001-01-01,
  9999-12-31), and every "within N days" rule would judge against it. Other dates in the
  file may be anything (9999-12-31 is a common "never expires" in ERP exports).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic_core import PydanticCustomError

AUDIT_DATE_FIRST = dt.date(1970, 1, 1)
AUDIT_DATE_LAST = dt.date(2199, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def date_in_words(value: dt.date) -> str:
    """2026-11-01 -> '1 November 2026' (independent of the locale)."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year:04d}"


AUDIT_DATE_EXPECTED = f"an audit date between {date_in_words(AUDIT_DATE_FIRST)} and {date_in_words(AUDIT_DATE_LAST)}"


def audit_date_problem(value: dt.date) -> str | None:
    """Why `value` cannot be an audit date, in words; None if it can."""
    if AUDIT_DATE_FIRST <= value <= AUDIT_DATE_LAST:
        return None
    return f"{date_in_words(value)} is not a plausible audit date"


def check_audit_date(value: dt.date) -> dt.date:
    """Pydantic validator for `as_of`: see `audit_date_problem`."""
    problem = audit_date_problem(value)
    if problem is not None:
        raise PydanticCustomError("audit_date_range", problem, {"expected": AUDIT_DATE_EXPECTED})
    return value


def dates_in_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Pydantic validator for `attributes`: ISO date text at any depth becomes a date.

    Nested mappings and lists are copied, never changed in place (they may be the caller's),
    each once even when a YAML alias shares it; no recursion, so any depth the reader accepts
    is fine. Linear in the size of the attributes.
    """
    if not attributes:
        return attributes
    for value in attributes.values():  # the common case: flat, with no date text - kept as it is, not copied
        kind = type(value)
        if kind is dict or kind is list or (kind is str and len(value) == 10):
            break
    else:
        return attributes
    root = dict(attributes)
    copies: dict[int, Any] = {id(attributes): root}
    stack: list[Any] = [root]
    while stack:
        container = stack.pop()
        for key, value in container.items() if isinstance(container, dict) else enumerate(container):
            if isinstance(value, str):
                if len(value) == 10 and _ISO_DATE.fullmatch(value):
                    container[key] = _date_or_text(value)
            elif isinstance(value, (dict, list)):
                copy = copies.get(id(value))
                if copy is None:
                    copy = copies[id(value)] = dict(value) if isinstance(value, dict) else list(value)
                    stack.append(copy)
                container[key] = copy
    return root


def _date_or_text(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2026-02-30: not a calendar date, stays text
        return value
