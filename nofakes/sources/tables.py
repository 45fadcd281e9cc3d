"""Tables from CSV files and Excel workbooks: a header row, then rows of cells that know where they are.

Every cell can be named the way its user sees it: `partners.csv:12:3` (line 12, third field)
or `suppliers.xlsx:12:3` with `sheet "Suppliers", cell C12`. The header row is the first
row with a value; blank rows are skipped; trailing blank columns are ignored.

- **CSV**: UTF-8 (with or without a byte-order mark), else Windows-1252, unless an encoding
  is given; the delimiter (comma, semicolon, tab) is the one the header line uses most,
  unless one is given. Every cell is text.
- **XLSX**: read with openpyxl in read-only mode. Cells keep their type (text, number,
  boolean, date-time). A formula is never evaluated: it is kept as `Formula`, so that the
  importer reports it instead of using a cached result that may be stale or missing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nofakes.core.errors import Diagnostic, InputError, did_you_mean
from nofakes.sources.text import UTF8_BOM

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t", "|")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell that holds a formula (its text, such as '=B2*2'), not a value."""

    text: str


Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | Formula | None


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # 1-based: the line of a CSV record, the row of a sheet
    cells: tuple[Cell, ...]  # one per header, None where blank


@dataclass(frozen=True)
class Table:
    file: str  # as named in messages (the file's name, without its directory)
    sheet: str | None  # the worksheet, for workbooks
    headers: tuple[str, ...]
    header_row: int
    rows: tuple[Row, ...]
    sha256: str
    encoding: str | None = None  # CSV only: the encoding read
    delimiter: str | None = None  # CSV only

    def source_row(self, row: int) -> str:
        """'partners.csv:12', 'suppliers.xlsx:Suppliers:12': where a record came from."""
        return f"{self.file}:{self.sheet}:{row}" if self.sheet is not None else f"{self.file}:{row}"

    def where(self, row: int, column: int | None) -> tuple[str, int, int | None]:
        """(path text, line, column) of a cell for a Diagnostic; `column` is 0-based, None for the whole row."""
        if column is None:
            return (f'sheet "{self.sheet}", row {row}' if self.sheet is not None else f"row {row}"), row, None
        header = self.headers[column]
        if self.sheet is not None:
            return f'sheet "{self.sheet}", cell {column_letter(column)}{row} ("{header}")', row, column + 1
        return f'column "{header}"', row, column + 1

    def diagnostic(self, row: int, column: int | None, message: str, *, expected: str | None = None,
                   hint: str | None = None, level: str = "error") -> Diagnostic:
        path, line, col = self.where(row, column)
        return Diagnostic(self.file, message, path=path, line=line, column=col, expected=expected, hint=hint,
                          level=level)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, *, sheet: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> Table:
    """The table in a CSV file or in one sheet of a workbook (the first unless `sheet` names one).

    Raises InputError for a file that cannot be read, an unknown sheet, an empty table, a
    header that is blank (as merged header cells leave it) or repeated above values.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError([Diagnostic(name, "this is the old Excel format (.xls), which nofakes does not read",
                                     expected="an .xlsx workbook or a CSV file",
                                     hint="open it in Excel and save it as .xlsx")])
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise InputError([Diagnostic(name, f"unknown table format {suffix or '(no suffix)'!r}",
                                     expected="a .csv or an .xlsx file")])
    raw = _read_bytes(path, name)
    digest = hashlib.sha256(raw).hexdigest()
    if suffix in XLSX_SUFFIXES:
        return _read_workbook(raw, name, digest, sheet)
    if raw.startswith(ZIP_MAGIC):
        raise InputError([Diagnostic(name, "this is a workbook, not CSV text", expected="a CSV file",
                                     hint="give the file its .xlsx name")])
    return _read_csv(raw, name, digest, encoding, delimiter)


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in order."""
    from openpyxl import load_workbook

    raw = _read_bytes(path, path.name)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable(path.name, exc) from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _unreadable(name: str, exc: Exception) -> InputError:
    return InputError([Diagnostic(name, f"cannot read the workbook ({type(exc).__name__}: {exc})",
                                  expected="an .xlsx workbook saved by Excel, LibreOffice or another tool")])


def _read_bytes(path: Path, name: str) -> bytes:
    if path.exists() and not path.is_dir() and not path.is_file():
        raise InputError([Diagnostic(name, "not a regular file", expected="a CSV or XLSX file")])
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Diagnostic(str(path), "file not found", expected="an existing CSV or XLSX file")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(str(path), "is a directory", expected="a CSV or XLSX file")]) from None
    except OSError as exc:
        raise InputError([Diagnostic(str(path), f"cannot read the file: {exc.strerror}")]) from None


# ---------------------------------------------------------------- CSV


def decode_csv(raw: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """(text, encoding read): the given encoding, else UTF-8 (a byte-order mark is dropped), else Windows-1252."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError([Diagnostic(name, f"unknown encoding {encoding!r}",
                                         expected="an encoding such as utf-8, cp1252 or latin-1")]) from None
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            raise InputError([_undecodable(raw, name, exc, encoding)]) from None
    if raw.startswith(UTF8_BOM):
        try:
            return raw[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError([_undecodable(raw, name, exc, "UTF-8")]) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError([_undecodable(raw, name, exc, "UTF-8 or Windows-1252")]) from None


def _undecodable(raw: bytes, name: str, exc: UnicodeDecodeError, tried: str) -> Diagnostic:
    line = raw.count(b"\n", 0, exc.start) + 1
    column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return Diagnostic(name, f"the file is not {tried} text (byte 0x{raw[exc.start]:02x})", line=line, column=column,
                      expected="a text file in the encoding given", hint="name its encoding with --encoding")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most, outside quotes (a comma when it has none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(raw: bytes, name: str, digest: str, encoding: str | None, delimiter: str | None) -> Table:
    text, used = decode_csv(raw, name, encoding)
    if "\x00" in text:
        raise InputError([Diagnostic(name, "the file contains NUL bytes: it looks binary, not CSV text",
                                     expected="a CSV text file")])
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    chosen = delimiter if delimiter is not None else sniff_delimiter(first_line)
    if len(chosen) != 1:
        raise InputError([Diagnostic(name, f"the delimiter {chosen!r} is not one character",
                                     expected="one character, such as , or ;")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, strict=False)
    records = _numbered(reader)
    return _assemble(records, name, None, digest, used, chosen)


def _numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, Sequence[Cell]]]:
    """(first line of the record, its cells); a quoted field may span lines."""
    start = 1
    for record in reader:
        yield start, [cell if cell.strip() else None for cell in record]
        start = reader.line_num + 1  # type: ignore[attr-defined]  # csv readers count the lines read


# ---------------------------------------------------------------- XLSX


def _read_workbook(raw: bytes, name: str, digest: str, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _unreadable(name, exc) from None
    try:
        names = book.sheetnames
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise InputError([Diagnostic(name, f'the workbook has no sheet "{chosen}"',
                                         expected="one of " + ", ".join(f'"{n}"' for n in names),
                                         hint=did_you_mean(chosen, names))])
        worksheet = book[chosen]
        worksheet.reset_dimensions()  # the size stored in the file may be wrong (some tools write A1:A1)
        records = _sheet_records(worksheet.iter_rows())
        return _assemble(records, name, chosen, digest, None, None)
    finally:
        book.close()


def _sheet_records(rows: Iterable[Sequence[object]]) -> Iterator[tuple[int, Sequence[Cell]]]:
    for number, cells in enumerate(rows, start=1):
        values: list[Cell] = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                values.append(Formula(str(value)))
            elif isinstance(value, str):
                values.append(value if value.strip() else None)
            else:
                values.append(value)
        yield number, values


# ---------------------------------------------------------------- both


def _assemble(records: Iterator[tuple[int, Sequence[Cell]]], name: str, sheet: str | None, digest: str,
              encoding: str | None, delimiter: str | None) -> Table:
    header: tuple[int, Sequence[Cell]] | None = None
    for number, cells in records:
        if any(c is not None for c in cells):
            header = number, cells
            break
    where = f'sheet "{sheet}"' if sheet is not None else ""
    if header is None:
        raise InputError([Diagnostic(name, "the sheet is empty" if sheet is not None else "the file is empty",
                                     path=where, expected="a header row, then one row per record")])
    header_row, header_cells = header
    rows: list[Row] = []
    width = len(header_cells)
    used = [False] * width
    for number, cells in records:
        if not any(c is not None for c in cells):
            continue
        if len(cells) > width:
            extra = [i for i in range(width, len(cells)) if cells[i] is not None]
            if extra:
                used.extend([False] * (extra[-1] + 1 - len(used)))
                width = extra[-1] + 1
        padded = tuple(cells[:width]) + (None,) * (width - len(cells))
        for i, cell in enumerate(padded):
            if cell is not None:
                used[i] = True
        rows.append(Row(number, padded))
    headers = _headers(header_cells, width, used, name, sheet, header_row)
    keep = len(headers)
    trimmed = tuple(Row(r.number, r.cells[:keep]) for r in rows) if keep < width else tuple(rows)
    return Table(name, sheet, headers, header_row, trimmed, digest, encoding, delimiter)


def _headers(cells: Sequence[Cell], width: int, used: list[bool], name: str, sheet: str | None,
             header_row: int) -> tuple[str, ...]:
    texts = [_header_text(cells[i]) if i < len(cells) else "" for i in range(width)]
    while texts and not texts[-1] and not used[len(texts) - 1]:
        texts.pop()  # trailing blank columns
    problems: list[Diagnostic] = []
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        cell = f"cell {column_letter(i)}{header_row}" if sheet is not None else f"column {i + 1}"
        path = f'sheet "{sheet}", {cell}' if sheet is not None else cell
        if not text:
            if used[i]:
                problems.append(Diagnostic(name, "this column has values but no header (a blank or merged header cell)",
                                           path=path, line=header_row, column=i + 1,
                                           expected="one header per column", hint="unmerge the header cells and "
                                           "give every column its own header"))
            continue
        key = text.casefold()
        if key in first:
            problems.append(Diagnostic(name, f'the header "{text}" repeats column {column_letter(first[key])}',
                                       path=path, line=header_row, column=i + 1, expected="distinct headers"))
        else:
            first[key] = i
    if problems:
        raise InputError(problems)
    return tuple(texts)


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Formula):
        return cell.text
    return " ".join(str(cell).split())
