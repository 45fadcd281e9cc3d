"""The supplier-list template workbook that `nofakes init --xlsx` writes and `nofakes import` reads back.

Sheets: Partners, Flows and Products (a bold, frozen header row, example rows to overwrite,
drop-downs for roles, countries, yes/no and the other closed lists, date formats on date
columns), Instructions (each column in words, then the commands), and Lists (the drop-downs'
values). The country drop-down only warns, so that a country name can be typed as well.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nofakes.importing.starter import COUNTRIES, SHEETS, TemplateColumn
from nofakes.supply.countries import ALPHA2, SHORT_NAMES

TEMPLATE_ROWS = 500  # rows that get the drop-downs and the date format
DATE_FORMAT = "yyyy-mm-dd"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
INSTRUCTIONS = (
    "How to use this template",
    "1. On the Partners sheet, write one row per partner: your suppliers, manufacturers, distributors, "
    "logistics partners, marketplaces, retailers. Include your own company, with the role brand_owner.",
    "2. On the Flows sheet, write one row per flow of goods: who sends them (From) and who receives them (To), "
    "by the ID or the name you gave on the Partners sheet. On the Products sheet, describe the products the "
    "Products columns name: their category and whether they are critical decide which rules apply.",
    "3. Overwrite or delete the example rows. Leave a cell blank when you do not know: nofakes reports a "
    "blank as missing evidence, never as a pass.",
    "4. Import and audit:  nofakes import suppliers.xlsx -o suppliers.yaml  then  nofakes audit suppliers.yaml",
    "Rows nofakes cannot read are listed with their sheet, row and column; fix them here and import again.",
    "",
)


def template_bytes() -> bytes:
    """The template workbook, as the bytes of an .xlsx file."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    tables = [(book.create_sheet(title), columns) for title, _kind, columns in SHEETS]
    instructions = book.create_sheet("Instructions")
    lists = book.create_sheet("Lists")
    ranges = _lists(lists)
    for sheet, columns in tables:
        _table(sheet, columns, ranges)
    _instructions(instructions)
    lists.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lists(sheet: Worksheet) -> dict[tuple[str, ...], str]:
    """Write each drop-down's values in a column of the Lists sheet; the range formula of each."""
    choices = list(dict.fromkeys(c.choices for _t, _k, columns in SHEETS for c in columns if c.choices))
    ranges: dict[tuple[str, ...], str] = {}
    for index, values in enumerate(choices, start=1):
        letter = get_column_letter(index)
        items = sorted(ALPHA2) if values == (COUNTRIES,) else list(values)
        sheet.cell(1, index, "country" if values == (COUNTRIES,) else "values")
        for row, value in enumerate(items, start=2):
            sheet.cell(row, index, value)
        ranges[values] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    names_column = len(choices) + 1
    sheet.cell(1, names_column, "country name")
    for row, code in enumerate(sorted(ALPHA2), start=2):
        sheet.cell(row, names_column, SHORT_NAMES[code])
    return ranges


def _table(sheet: Worksheet, columns: Sequence[TemplateColumn], ranges: dict[tuple[str, ...], str]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for row, value in enumerate(column.example, start=2):
            if value != "":
                sheet.cell(row, index, value)
        if column.date:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row, index).number_format = DATE_FORMAT
        if column.choices:
            countries = column.choices == (COUNTRIES,)
            check = DataValidation(type="list", formula1=f"={ranges[column.choices]}", allow_blank=True,
                                   showErrorMessage=True, errorStyle="warning" if countries else "stop",
                                   error="Pick a two-letter code, or type a country name" if countries
                                   else "Pick a value from the list", errorTitle=column.header,
                                   prompt=column.help, promptTitle=column.header, showInputMessage=True)
            check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"


def _instructions(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 50
    for row, text in enumerate(INSTRUCTIONS, start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=row == 1, size=14 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)  # one wide paragraph
        sheet.row_dimensions[row].height = 15 * (1 + len(text) // 130)  # Excel does not fit merged rows itself
    row = len(INSTRUCTIONS) + 1
    for title, _kind, columns in SHEETS:
        for col, text in enumerate((f"{title} sheet", "What to write", "Values"), start=1):
            sheet.cell(row, col, text).font = Font(bold=True)
        row += 1
        for column in columns:
            values = ("a two-letter code from the list, or a country name" if column.choices == (COUNTRIES,)
                      else ", ".join(column.choices) if column.choices
                      else "a date (2026-12-31)" if column.date else "")
            sheet.cell(row, 1, column.header)
            sheet.cell(row, 2, column.help).alignment = Alignment(wrap_text=True)
            sheet.cell(row, 3, values).alignment = Alignment(wrap_text=True)
            row += 1
        row += 1
