"""The rows of the workbook's tables, written as sheet XML straight into the xlsx file.

openpyxl makes a cell object and an XML element for every cell: about 5 µs a cell, 13 s for
the 1.6 million cells of a 10,000-partner report. Every table sheet is therefore laid out by
openpyxl with no rows (columns, frozen header, table, colours, printing) and its rows are
written here, as text, while the saved workbook is copied into the output: a block of rows at a
time (`xlsx_cells.py` makes their cells, column by column), never the whole sheet in memory.
Each cell carries a style registered with the workbook by `xlsx.py` (so styles.xml has it);
text is an inline string, escaped for XML.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from typing import IO, BinaryIO

from openpyxl.utils import get_column_letter

from nofakes.reports.cells import cell_text
from nofakes.reports.tables import Column, Row
from nofakes.reports.xlsx_cells import StyleIds, column_xml, text_xml

LINE_POINTS = 15  # the height of a line of text in the default font
MAX_LINES = 20  # the tallest row: longer text scrolls inside its cell
BLOCK_ROWS = 4096  # rows made at a time, column by column
_EMPTY = ("<sheetData></sheetData>", "<sheetData/>")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip member can carry


def row_height(lines: int) -> float | None:
    """Points for a row of `lines` lines of wrapped text (None: the default height). Spreadsheet applications
    do not grow a row for wrapped text when they open a file (LibreOffice does not), so the file says it."""
    return LINE_POINTS * min(lines, MAX_LINES) if lines > 1 else None


@dataclass(frozen=True)
class SheetRows:
    """The rows one sheet part receives: the header, then `rows`."""

    columns: Sequence[Column]
    rows: Iterable[Row]
    styles: StyleIds


def rows_xml(part: SheetRows) -> Iterator[str]:
    """The `<row>` elements of a sheet part, header first, a block of rows at a time.

    Each block is cut into columns whose cells `xlsx_cells.column_xml` makes; a row is then one call of
    a format string made for the sheet (`<row r="{0}"{1}><c r="A{0}" {2}...`), run by `map`.
    """
    letters = [get_column_letter(i) for i in range(1, len(part.columns) + 1)]
    styles = part.styles
    bold = styles[("bold", False)]
    yield '<row r="1">' + "".join(f'<c r="{letter}1" ' + text_xml(bold, cell_text(column.header))
                                  for letter, column in zip(letters, part.columns, strict=True)) + "</row>"
    row = ('<row r="{0}"{1}>' + "".join(f'<c r="{letter}{{0}}" {{{index}}}' for index, letter in
                                         enumerate(letters, start=2)) + "</row>").format
    heights = [""] + [f' ht="{height:g}" customHeight="1"' if (height := row_height(lines)) else ""
                      for lines in range(1, MAX_LINES + 1)]
    number = 2
    rows = iter(part.rows)
    while block := list(islice(rows, BLOCK_ROWS)):
        cells, wrapped = [], []
        for column, values in zip(part.columns, zip(*block, strict=True), strict=True):
            xml, lines = column_xml(values, column.kind, column.sheet_width, styles)
            cells.append(xml)
            if lines is not None:
                wrapped.append(lines)
        tall: Iterable[str]
        if not wrapped:
            tall = repeat("", len(block))
        else:
            most = wrapped[0] if len(wrapped) == 1 else map(max, *wrapped)
            tall = map(heights.__getitem__, map(min, most, repeat(MAX_LINES)))
        yield "".join(map(row, range(number, number + len(block)), tall, *cells))
        number += len(block)


def _copy_filled(xml: str, part: SheetRows, out: IO[bytes]) -> None:
    """`xml`, a sheet saved without rows, with the rows of `part` in its sheetData."""
    for empty in _EMPTY:
        head, found, tail = xml.partition(empty)
        if found:
            break
    else:
        raise ValueError("the sheet has rows already")  # a bug: table sheets are saved empty
    out.write((head + "<sheetData>").encode())
    chunk: list[str] = []
    size = 0
    for row in rows_xml(part):
        chunk.append(row)
        size += len(row)
        if size > 1 << 20:  # about a megabyte at a time
            out.write("".join(chunk).encode())
            chunk, size = [], 0
    out.write(("".join(chunk) + "</sheetData>" + tail).encode())


def fill_rows(saved: BinaryIO, stream: BinaryIO, parts: Mapping[str, SheetRows],
              replaced: Mapping[str, bytes] | None = None) -> None:
    """Copy the workbook `saved` to `stream`, the sheets named in `parts` (zip member names) with their rows,
    and the members named in `replaced` with the bytes given there.

    Members are copied in their order, which is the workbook's sheet order: the parts of one table,
    which share one iterator of rows, are filled one after the other. Every member is dated the zip
    epoch (1980-01-01), not the time of writing, so that the same workbook is the same bytes.
    """
    replaced = replaced or {}
    with zipfile.ZipFile(saved) as source, \
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            part = parts.get(info.filename)
            if part is None:
                data = replaced.get(info.filename)
                member = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
                member.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(member, source.read(info.filename) if data is None else data, compresslevel=1)
                continue
            # a member opened by name is dated the zip epoch, and deflated at level 1 as the others
            with target.open(info.filename, "w", force_zip64=True) as out:
                _copy_filled(source.read(info.filename).decode(), part, out)
