"""Reading CSV files and workbooks with their locations: encodings, delimiters, sheets, and what cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from nofakes.core.errors import InputError
from nofakes.sources.tables import Formula, column_letter, read_table, sniff_delimiter

ROWS = "Name;Country;Notes\nMüller GmbH;Deutschland;Straße 5\nCafé Ltd;FR;\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_real_exports_use(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes(ROWS.encode(encoding))
    table = read_table(path)
    assert table.encoding == encoding
    assert table.delimiter == ";"
    assert table.headers == ("Name", "Country", "Notes")
    assert [r.cells for r in table.rows] == [("Müller GmbH", "Deutschland", "Straße 5"), ("Café Ltd", "FR", None)]
    assert [r.number for r in table.rows] == [2, 3]


def test_a_named_encoding_and_delimiter_win(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes("Name|Country\nÅsa AB|SE\n".encode("latin-1"))
    table = read_table(path, encoding="latin-1", delimiter="|")
    assert table.rows[0].cells == ("Åsa AB", "SE")


def test_an_unknown_encoding_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text("Name\nA\n")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_table(path, encoding="klingon")


def test_bytes_no_encoding_reads_are_located(tmp_path: Path) -> None:
    path = tmp_path / "partners.csv"
    path.write_bytes(b"Name\nabc\x81\n")  # 0x81 is undefined in Windows-1252 and invalid UTF-8
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert caught.value.diagnostics[0].format().startswith("partners.csv:2:4: error: the file is not UTF-8 or "
                                                           "Windows-1252 text (byte 0x81)")


def test_the_delimiter_is_the_one_the_header_line_uses_most() -> None:
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter('"Name, legal";Country') == ";"  # commas inside quotes do not count
    assert sniff_delimiter("a\tb") == "\t"
    assert sniff_delimiter("single") == ","


def test_a_quoted_field_over_two_lines_keeps_the_row_number_of_its_start(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('Name,Notes\n"A","two\nlines"\n\nB,x\n')
    table = read_table(path)
    assert [(r.number, r.cells[0]) for r in table.rows] == [(2, "A"), (5, "B")]


def test_an_empty_file_and_an_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("\n  \n")
    with pytest.raises(InputError, match="the file is empty"):
        read_table(path)
    book = openpyxl.Workbook()
    book.active.title = "Suppliers"  # type: ignore[union-attr]
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "p.xlsx")
    assert caught.value.diagnostics[0].format() == ('p.xlsx: error: sheet "Suppliers": the sheet is empty '
                                                    "(expected a header row, then one row per record)")


def _book(tmp_path: Path, rows: list[list[object]], title: str = "Suppliers") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / "suppliers.xlsx"
    book.save(path)
    return path


def test_workbook_cells_keep_their_types_and_formulas_are_not_evaluated(tmp_path: Path) -> None:
    path = _book(tmp_path, [["Name", "Audited", "Spend", "Ok"], ["A", dt.datetime(2026, 3, 1), 12.5, True],
                            ["B", "=B2+1", None, False]])
    table = read_table(path)
    assert table.sheet == "Suppliers" and table.encoding is None
    assert table.rows[0].cells == ("A", dt.datetime(2026, 3, 1), 12.5, True)
    assert table.rows[1].cells == ("B", Formula("=B2+1"), None, False)
    assert table.source_row(3) == "suppliers.xlsx:Suppliers:3"


def test_a_header_row_below_a_blank_row_and_trailing_blank_columns(tmp_path: Path) -> None:
    path = _book(tmp_path, [[], ["Name", "Country", None, None], ["A", "DE", None, None]])
    table = read_table(path)
    assert (table.header_row, table.headers, table.rows[0].number) == (2, ("Name", "Country"), 3)


def test_merged_header_cells_are_reported_at_the_cell(tmp_path: Path) -> None:
    path = _book(tmp_path, [["Supplier", None, "Country"], ["Acme", "Ltd", "DE"]])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("A1:B1")  # type: ignore[union-attr]
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_table(path)
    text = caught.value.diagnostics[0].format()
    assert text.startswith('suppliers.xlsx:1:2: error: sheet "Suppliers", cell B1: this column has values but no '
                           "header (a blank or merged header cell)")


def test_a_repeated_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Country,name\nA,DE,B\n")
    with pytest.raises(InputError, match='the header "name" repeats column A'):
        read_table(path)


def test_an_unknown_sheet_suggests_the_closest(tmp_path: Path) -> None:
    path = _book(tmp_path, [["Name"], ["A"]])
    with pytest.raises(InputError) as caught:
        read_table(path, sheet="Supplier")
    assert caught.value.diagnostics[0].hint == "did you mean 'Suppliers'?"


@pytest.mark.parametrize(("name", "content", "words"), [
    ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel format"),
    ("p.pdf", b"%PDF", "unknown table format '.pdf'"),
    ("renamed.csv", b"PK\x03\x04rest", "this is a workbook, not CSV text"),
    ("broken.xlsx", b"not a zip", "cannot read the workbook"),
])
def test_files_that_are_not_tables(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        read_table(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "absent.csv")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_a_workbook_whose_stored_size_is_wrong_is_read_whole(tmp_path: Path) -> None:
    import re
    import zipfile

    written = _book(tmp_path, [["Name", "Role"], ["Acme", "brand_owner"], ["Beta", "supplier"]])
    wrong = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(wrong, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data, count = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:A1"/>', data)
                assert count == 1
            target.writestr(item, data)
    table = read_table(wrong)
    assert table.headers == ("Name", "Role")
    assert [r.cells for r in table.rows] == [("Acme", "brand_owner"), ("Beta", "supplier")]
