"""The Excel gap report (`--format xlsx`): a workbook for management and suppliers.

Sheets: Summary (verdict, scores with numerators and denominators, coverage, failing
findings by severity, a bar chart of section scores), Gaps, Remediation plan, Plan by
partner, Partners, Rules, Waivers (the tables of `reports/tables.py`, each an Excel table
with filter buttons, a frozen header and severity colours) and Run (versions, hashes,
parameters). The same inputs give the same bytes: the workbook is dated the audit's as_of, and
every zip member 1980-01-01 (the zip format's epoch). openpyxl (write-only mode) lays the
workbook out with the table sheets empty and saves it to a temporary file; `xlsx_rows.py` then
copies it to the output, writing each table's rows into its sheet one at a time: never the whole
workbook in memory. A table longer than a sheet holds (1,048,576 rows with its header) continues
on "Gaps (2)" and so on; the Summary says so. Every string passes through `reports/cells.py`:
text that would start a formula is stored as text with Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn, TableStyleInfo
from openpyxl.xml.functions import tostring

from nofakes.reports.base import Formatter
from nofakes.reports.cells import cell_text, starts_formula
from nofakes.reports.tables import Table, Value, tables
from nofakes.reports.view import ReportView
from nofakes.reports.xlsx_cells import wrapped_lines
from nofakes.reports.xlsx_rows import SheetRows, fill_rows, row_height
from nofakes.reports.xlsx_summary import SUMMARY, run_rows, summary_rows
from nofakes.supply.loading import paused_gc

SHEET_ROWS = 1_048_576  # Excel's limit, the header row included
CORE_PROPERTIES = "docProps/core.xml"  # the zip member with the workbook's author and dates
NUMBER_FORMATS = {"number": "0.00", "score": "0.0", "percent": "0.0%", "date": "yyyy-mm-dd"}
SEVERITY_COLOURS = {  # fill, font: dark red to grey, readable in print
    "critical": ("C00000", "FFFFFF"), "high": ("FF7C80", "000000"), "medium": ("FFD966", "000000"),
    "low": ("DDEBF7", "000000"), "info": ("EDEDED", "000000"),
}
BOLD = Font(name="Calibri", size=11, bold=True)  # the body font (openpyxl's default), bold
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def sheet_parts(count: int, limit: int = SHEET_ROWS) -> int:
    """How many sheets `count` data rows take, each holding `limit` rows with its header."""
    per_sheet = limit - 1
    return max(1, -(-count // per_sheet))


def part_title(title: str, part: int) -> str:
    return title if part == 1 else f"{title} ({part})"


class _Cells:
    """Turns values into the cells a write-only sheet appends, with one shared style per kind of cell."""

    def __init__(self, sheet: WriteOnlyWorksheet):
        self.sheet = sheet
        self.written = 0  # rows appended
        self.templates: dict[tuple[str, bool], Cell] = {}

    def _styled(self, kind: str, quoted: bool) -> Cell:
        template = self.templates.get((kind, quoted))
        if template is None:
            template = WriteOnlyCell(self.sheet)
            template.alignment = WRAP if kind == "wrap" else TOP
            if kind in NUMBER_FORMATS:
                template.number_format = NUMBER_FORMATS[kind]
            if kind == "bold":
                template.font = BOLD
            template.quotePrefix = quoted  # Excel keeps the cell text when someone edits it
            self.templates[(kind, quoted)] = template
        return template

    def cell(self, value: Value | bool, kind: str = "text") -> Any:
        """A styled cell (top-aligned like the wrapped text of its row), or None for an empty one."""
        if value is None:
            return None
        quoted = False
        if isinstance(value, str):
            value = cell_text(value)
            quoted = starts_formula(value)
        cell = WriteOnlyCell(self.sheet, value)
        if quoted:
            cell.data_type = "s"  # never a formula, whatever openpyxl guessed from the leading '='
        cell._style = self._styled(kind, quoted)._style  # one shared style array: no per-cell style lookups
        return cell

    def row(self, values: Iterable[Value | bool], kinds: Sequence[str]) -> list[Any]:
        return [self.cell(value, kind) for value, kind in zip(values, kinds, strict=False)]

    def append(self, values: Iterable[Value | bool], kinds: Sequence[str], widths: Sequence[float]) -> None:
        """Append a row, as tall as its longest wrapped text needs (see `xlsx_rows.row_height`)."""
        row = self.row(values, kinds)
        lines = max((wrapped_lines(cell.value, width) for cell, kind, width in zip(row, kinds, widths, strict=False)
                     if kind == "wrap" and cell is not None and isinstance(cell.value, str)), default=1)
        self.written += 1
        height = row_height(lines)
        if height:
            self.sheet.row_dimensions[self.written].height = height
            self.sheet.append(row)
            del self.sheet.row_dimensions[self.written]  # written: nothing kept per row
        else:
            self.sheet.append(row)

    def style_ids(self, kinds: Iterable[str]) -> dict[tuple[str, bool], int]:
        """The workbook's style id of each kind of cell, plain and quote-prefixed (registered in the workbook)."""
        return {(kind, quoted): self._styled(kind, quoted).style_id for kind in {*kinds, "bold"}
                for quoted in (False, True)}


def _prepare(sheet: WriteOnlyWorksheet, widths: Sequence[float], *, header: bool) -> None:
    """Column widths, frozen header, printing: landscape, fit to width, header repeated on each page
    (the paper is the printer's: A4 or Letter).

    Called before the first row: a write-only sheet writes its head with that row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if header:
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"


def _table_name(title: str, part: int) -> str:
    name = re.sub(r"\W", "", title.title())
    return name if part == 1 else f"{name}_{part}"


def _finish_table(sheet: WriteOnlyWorksheet, table: Table, part: int, rows: int) -> None:
    """The Excel table over the header and `rows` data rows, and the severity colours."""
    last = get_column_letter(len(table.columns))
    end = max(rows, 1) + 1  # an empty table still has one (empty) data row
    excel = ExcelTable(displayName=_table_name(table.title, part), ref=f"A1:{last}{end}")
    excel.tableColumns = [TableColumn(id=i, name=column.header) for i, column in enumerate(table.columns, start=1)]
    excel.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    excel.autoFilter = AutoFilter(ref=excel.ref)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")  # done above
        sheet.add_table(excel)
    if table.colour_column is not None and rows:
        letter = get_column_letter(table.colour_column + 1)
        for severity, (fill, font) in SEVERITY_COLOURS.items():
            sheet.conditional_formatting.add(
                f"{letter}2:{letter}{end}",
                CellIsRule(operator="equal", formula=[f'"{severity}"'], fill=PatternFill("solid", bgColor=fill),
                           font=Font(color=font, bold=severity == "critical")))


def add_table(workbook: Workbook, table: Table, limit: int = SHEET_ROWS) -> list[tuple[str, SheetRows]]:
    """Lay `table` out on as many sheets as it needs, without rows; each sheet's title and the rows it
    receives when the workbook is copied (see `xlsx_rows.fill_rows`)."""
    rows: Iterator[Any] = iter(table.rows)
    per_sheet = limit - 1
    parts = []
    for part in range(1, sheet_parts(table.count, limit) + 1):
        sheet = workbook.create_sheet(part_title(table.title, part))
        _prepare(sheet, [column.sheet_width for column in table.columns], header=True)
        styles = _Cells(sheet).style_ids(column.kind for column in table.columns)
        _finish_table(sheet, table, part, min(per_sheet, table.count - (part - 1) * per_sheet))
        if table.note:
            sheet.oddHeader.center.text = _header_text(table.note)
        parts.append((sheet.title, SheetRows(table.columns, islice(rows, per_sheet), styles)))
    return parts


HEADER_CHARS = 250  # Excel refuses a page header over 255 characters, its codes included


def _header_text(note: str) -> str:
    """`note` as a page header: '&' doubled (it starts a header code), cut at a word with '…' when too long
    (the Summary has the whole text)."""
    text = note.replace("&", "&&")
    if len(text) <= HEADER_CHARS:
        return text
    cut = text[:HEADER_CHARS - 1]
    return cut[:cut.rfind(" ")].rstrip("&") + "…" if " " in cut else cut + "…"


def _write_layout(sheet: WriteOnlyWorksheet, rows: Iterable[tuple[Sequence[Any], Sequence[str]]],
                  widths: Sequence[float]) -> None:
    """A free layout (Summary, Run): rows of values, each with its cell kinds."""
    _prepare(sheet, widths, header=False)
    cells = _Cells(sheet)
    for values, kinds in rows:
        cells.append(values, kinds, widths)


class XlsxFormatter(Formatter):
    """`sheet_rows` is Excel's row limit; tests lower it to see a table continue on a second sheet."""

    sheet_rows = SHEET_ROWS

    def render(self, view: ReportView) -> bytes:
        buffer = io.BytesIO()
        self.write(view, buffer)
        return buffer.getvalue()

    def write(self, view: ReportView, stream: BinaryIO) -> None:
        workbook = Workbook(write_only=True)
        sheets = tables(view)
        continued = {t.title: [part_title(t.title, p) for p in range(1, sheet_parts(t.count, self.sheet_rows) + 1)]
                     for t in sheets}
        summary = workbook.create_sheet(SUMMARY)
        layout, chart = summary_rows(view, continued)
        _write_layout(summary, layout, (34, 40, 10, 12, 12, 8, 8, 8))
        if chart is not None:
            summary.add_chart(chart, "J2")
        parts = dict(part for table in sheets for part in add_table(workbook, table, self.sheet_rows))
        _write_layout(workbook.create_sheet("Run"), run_rows(view), (34, 60, 30, 12, 66))
        members = {f"xl/worksheets/sheet{index}.xml": parts[sheet.title]  # how openpyxl names the sheets' parts
                   for index, sheet in enumerate(workbook.worksheets, start=1) if sheet.title in parts}
        with tempfile.TemporaryFile() as saved, paused_gc():  # saved: the workbook without table rows, small
            workbook.save(saved)  # stamps the time of saving as the workbook's modification time
            saved.seek(0)
            # rows of short-lived strings: collections would only slow it
            fill_rows(saved, stream, members, {CORE_PROPERTIES: _properties(workbook, view.as_of)})


def _properties(workbook: Workbook, as_of: dt.date) -> bytes:
    """The workbook's document properties dated the audit's as_of: the same inputs give the same bytes."""
    properties = workbook.properties
    properties.creator = "nofakes"
    properties.created = properties.modified = dt.datetime.combine(as_of, dt.time())
    return tostring(properties.to_tree())

