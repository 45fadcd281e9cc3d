"""The typed table every spreadsheet format lays out (see `tables`): columns and rows of Python values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

Value = str | int | float | dt.date | None
Row = tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # characters
    kind: str = "text"  # text | wrap (long text) | int | number | score (0-100) | percent (0-1) | date

    @property
    def sheet_width(self) -> float:
        """The width on a sheet: wide enough for the header (bold, with a filter button) too."""
        return max(self.width, len(self.header) + 3)


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name
    columns: tuple[Column, ...]
    rows: Iterable[Row]
    count: int  # how many rows `rows` yields
    colour_column: int | None = None  # index of the severity column, coloured by severity
    note: str = ""  # printed at the top of every page of the sheet (the risk sheets: the caveat)
