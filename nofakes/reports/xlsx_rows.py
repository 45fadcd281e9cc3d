"""The rows of the workbook's tables, written as sheet XML straight into the xlsx file.

openpyxl makes a cell object and an XML element for every cell: about 5 µs a cell, 13 s for
the 1.6 million cells of a 10,000-partner report. Every table sheet is therefore laid out by
openpyxl with no rows (columns, frozen header, table, colours, printing) and its rows are
written here, as text, while the saved workbook is copied into the output: a row at a time,
never the whole sheet in memory. Each cell carries a style registered with the workbook by
`xlsx.py` (so styles.xml has it); text is an inline string, escaped for XML.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, BinaryIO
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from nofakes.reports.cells import cell_text, starts_formula
from nofakes.reports.tables import Column, Row, Value

EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (1900) date system, as the serial numbers of dates count
LINE_POINTS = 15  # the height of a line of text in the default font
MAX_LINES = 20  # the tallest row: longer text scrolls inside its cell
CHARS_PER_WIDTH = 1.35  # characters of proportional text per unit of column width (one "0"), as LibreOffice wraps
CACHED_VALUES = 4096  # per column: the distinct values whose cells are kept for reuse
_EMPTY = ("<sheetData></sheetData>", "<sheetData/>")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip member can carry
StyleIds = Mapping[tuple[str, bool], int]  # (cell kind, quote prefix) -> the workbook's style id


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` wide (an estimate: fonts are proportional)."""
    per_line = max(int(width * CHARS_PER_WIDTH), 1)
    return sum(len(part) // per_line + 1 for part in text.split("\n"))


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


def _text(style: int, text: str) -> str:
    """A text cell after its reference and a space: `s=".." t="inlineStr"><is><t>..</t></is></c>`."""
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")  # a bare carriage return would be read back as a line feed
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f's="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(value: Value, kind: str, width: float, styles: StyleIds) -> tuple[str, int]:
    """A cell after its reference, and the lines its text takes (1 but for wrapped text)."""
    if isinstance(value, str):
        text = cell_text(value)
        return _text(styles[(kind, starts_formula(text))], text), wrapped_lines(text, width) if kind == "wrap" else 1
    style = styles[(kind, False)]
    if isinstance(value, bool):
        return f's="{style}" t="b"><v>{int(value)}</v></c>', 1
    if isinstance(value, dt.date):
        return f's="{style}"><v>{(value - EPOCH).days}</v></c>', 1
    return f's="{style}"><v>{value!r}</v></c>', 1


def rows_xml(part: SheetRows) -> Iterator[str]:
    """The `<row>` elements of a sheet part, header first.

    Most values repeat from row to row (severity, rule title, remediation, references): each column
    keeps the cells it made for its latest distinct values, so a repeated value is made once.
    """
    letters = [get_column_letter(i) for i in range(1, len(part.columns) + 1)]
    kinds = [column.kind for column in part.columns]
    widths = [column.sheet_width for column in part.columns]
    styles = part.styles
    bold = styles[("bold", False)]
    yield '<row r="1">' + "".join(f'<c r="{letter}1" ' + _text(bold, cell_text(column.header))
                                  for letter, column in zip(letters, part.columns, strict=True)) + "</row>"
    made: list[dict[Value, tuple[str, int]]] = [{} for _ in part.columns]
    prefixes = [f'<c r="{letter}' for letter in letters]
    for number, values in enumerate(part.rows, start=2):
        row = f'{number}" '
        cells = []
        lines = 1
        for index, (prefix, cache, value) in enumerate(zip(prefixes, made, values, strict=True)):
            if value is None:
                continue
            cell = cache.get(value)
            if cell is None:
                if len(cache) >= CACHED_VALUES:
                    cache.clear()  # a column of distinct values (messages, partner ids) keeps little
                cell = cache[value] = _cell(value, kinds[index], widths[index], styles)
            cells.append(prefix + row + cell[0])
            if cell[1] > lines:
                lines = cell[1]
        height = row_height(lines)
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        yield f'<row r="{number}"{tall}>' + "".join(cells) + "</row>"


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
