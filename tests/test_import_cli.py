"""`nofakes import` end to end: CSV and XLSX with and without a mapping, the output it writes, and every error path."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner, Result

from nofakes.cli.main import cli
from nofakes.supply.loading import load_supply

PARTNERS = """\
Supplier Name,Country,Type,Tier,Authorized,Last Audit,Audit Result,ISO 9001 Expiry,Supplies to,Spend (USD)
Acme Audio Inc.,USA,Brand owner,0,,,,,,
Shenzhen PCB Co.,China,Vendor,1,yes,31/03/2026,passed,31.12.2027,Acme Audio Inc.,1200000
Saigon Cellpack,Viet Nam,CM,1,no,2026-06-10,Pass,,Acme Audio Inc.,
Rheinmark Vertrieb,Deutschland,Authorized distributor,-1,Y,,,,,
"""


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env or {"SOURCE_DATE_EPOCH": "1780000000"})


@pytest.fixture
def partners(tmp_path: Path) -> Path:
    path = tmp_path / "partners.csv"
    path.write_text(PARTNERS, encoding="utf-8")
    return path


def _imported(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_csv_without_a_mapping_becomes_a_supply_file_that_validates_and_audits(partners: Path,
                                                                               tmp_path: Path) -> None:
    out = tmp_path / "supply.yaml"
    result = run("import", partners, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        'partners.csv: warning: not recognised, kept as attributes: "Spend (USD)"; if one of them is a field, map it '
        "(nofakes import --print-map > mapping.yaml, edit, then --map mapping.yaml)",
        f"nofakes: wrote {out}: 4 partners, 2 flows, 0 products"]
    data = _imported(out)
    assert data["company"] == {"id": "acme-audio-inc", "name": "Acme Audio Inc.", "country": "US"}
    pcb = data["nodes"][1]
    assert pcb == {"id": "shenzhen-pcb-co", "name": "Shenzhen PCB Co.", "role": "supplier", "country": "CN",
                   "authorization": {"status": "authorized"},
                   "certifications": [{"standard": "ISO 9001", "expires": dt.date(2027, 12, 31)}],
                   "audits": [{"date": dt.date(2026, 3, 31), "result": "pass"}],
                   "attributes": {"tier": 1, "spend_usd": 1200000, "source_row": "partners.csv:3"}}
    assert [(n["role"], n["country"]) for n in data["nodes"][2:]] == [("contract_manufacturer", "VN"),
                                                                      ("distributor", "DE")]
    assert data["edges"] == [
        {"from": "shenzhen-pcb-co", "to": "acme-audio-inc", "kind": "supplies",
         "attributes": {"source_row": "partners.csv:3"}},
        {"from": "saigon-cellpack", "to": "acme-audio-inc", "kind": "supplies",
         "attributes": {"source_row": "partners.csv:4"}}]
    assert len(load_supply(out).document.nodes) == 4
    assert run("validate", out).exit_code == 0
    assert run("audit", out, "--as-of", "2026-11-01").exit_code == 1  # the list has gaps, as real ones do


def test_the_output_says_where_it_came_from_and_is_stable_byte_for_byte(partners: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert run("import", partners, "-o", first).exit_code == 0
    assert run("import", partners, "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    digest = hashlib.sha256(partners.read_bytes()).hexdigest()
    assert first.read_text().splitlines()[:3] == [
        "# Imported by `nofakes import` on 2026-05-28 from:",
        f"#   partners.csv, utf-8 (sha256 {digest})",
        "# with the mapping guessed from the headers (see `nofakes import --print-map`).",
    ]


def test_print_map_shows_the_guess_and_saved_it_imports_the_same(partners: Path, tmp_path: Path) -> None:
    shown = run("import", partners, "--print-map")
    assert shown.exit_code == 0
    assert '    "ISO 9001 Expiry": "certification[ISO 9001].expires"\n' in shown.stdout
    assert '    "Spend (USD)": attributes.spend_usd\n' in shown.stdout
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(shown.stdout)
    guessed, mapped = tmp_path / "guessed.yaml", tmp_path / "mapped.yaml"
    assert run("import", partners, "-o", guessed).exit_code == 0
    result = run("import", partners, "--map", mapping, "-o", mapped)
    assert result.exit_code == 0, result.output
    assert _imported(guessed) == _imported(mapped)
    assert f"# with the mapping mapping.yaml (sha256 {hashlib.sha256(mapping.read_bytes()).hexdigest()})." in \
        mapped.read_text()


def _workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Vendors"
    sheet.append(["Vendor No", "Vendor", "Kind", "Land", "Status", "Last Audit", "Audit Result", "Notes"])
    sheet.append(["V1", "Acme", "brand owner", "US", None, None, None, None])
    sheet.append(["V2", "Beta Parts", "supplier", "DE", "Approved Vendor", 46000, "pass", "spare"])
    sheet.append(["V3", "Gamma", "distributor", "FR", "Blocked", dt.datetime(2026, 2, 1), "fail", None])
    flows = book.create_sheet("Flows")
    flows.append(["From", "To", "Products", "Share"])
    flows.append(["V2", "Acme", "amp-x1; amp-x2", "60%"])
    flows.append(["Acme", "gamma", "amp-x1", 0.5])
    path = tmp_path / "vendors.xlsx"
    book.save(path)
    return path


MAPPING = """\
company: {name: Acme}
partners:
  sheet: Vendors
  columns:
    Vendor No: id
    Vendor: name
    Kind: role
    Land: country
    Status: {field: authorization.status, values: {Approved Vendor: authorized, Blocked: revoked}}
    Last Audit: audit.date
    Audit Result: audit.result
"""


def test_an_xlsx_with_a_mapping_value_maps_and_a_flows_sheet(tmp_path: Path) -> None:
    book = _workbook(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING)
    out = tmp_path / "supply.yaml"
    result = run("import", book, "--map", mapping, "-o", out)
    assert result.exit_code == 0, result.output
    assert ('vendors.xlsx: warning: the column "Notes" is not in the mapping: its values are kept as '
            "attributes.notes; map it to a field, or to 'ignore'") in result.stderr
    data = _imported(out)
    assert data["company"] == {"id": "V1", "name": "Acme", "country": "US"}
    assert [n["authorization"]["status"] for n in data["nodes"][1:]] == ["authorized", "revoked"]
    assert data["nodes"][1]["audits"] == [{"date": dt.date(2025, 12, 9), "result": "pass"}]  # Excel serial 46000
    assert data["nodes"][1]["attributes"] == {"notes": "spare", "source_row": "vendors.xlsx:Vendors:3"}
    assert data["products"] == [{"id": "amp-x1", "name": "amp-x1"}, {"id": "amp-x2", "name": "amp-x2"}]
    assert [(e["from"], e["to"], e["share"], e["attributes"]["source_row"]) for e in data["edges"]] == [
        ("V2", "V1", 0.6, "vendors.xlsx:Flows:2"), ("V1", "V3", 0.5, "vendors.xlsx:Flows:3")]
    assert len(load_supply(out).document.edges) == 2


def test_flows_from_a_second_csv_with_semicolons_in_windows_1252(partners: Path, tmp_path: Path) -> None:
    flows = tmp_path / "flows.csv"
    flows.write_bytes("Supplier;Customer;Kind\nRheinmark Vertrieb;Café Zürich;sells\n".encode("cp1252"))
    table = partners.read_text().replace(",,,,,,\n", ",,,,,,\n", 1) + "Café Zürich,CH,retailer,-2,,,,,,\n"
    partners.write_text(table)
    out = tmp_path / "supply.yaml"
    result = run("import", partners, flows, "-o", out)
    assert result.exit_code == 0, result.output
    data = _imported(out)
    assert data["nodes"][-1]["id"] == "cafe-zurich"
    assert data["edges"][-1] == {"from": "rheinmark-vertrieb", "to": "cafe-zurich", "kind": "sells",
                                 "attributes": {"source_row": "flows.csv:2"}}
    assert "#   flows.csv, cp1252 (sha256 " in out.read_text()


def _fails(tmp_path: Path, table: str, *extra: str) -> str:
    path = tmp_path / "partners.csv"
    path.write_text(table)
    result = run("import", path, "-o", tmp_path / "out.yaml", *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.yaml").exists()
    return result.stderr


HEAD = "ID,Name,Role,Country,Last Audit,Audit Result,Supplies to\n"


@pytest.mark.parametrize(("rows", "message"), [
    ("b,B,Reseller,DE,,,a\n", 'partners.csv:3:3: error: column "Role": \'Reseller\' is not one of the values this '
                              "field takes (expected one of brand_owner, "),
    ("b,B,supplier,DE,2026-02-30,pass,a\n", 'partners.csv:3:5: error: column "Last Audit": \'2026-02-30\' is not a '
                                            "calendar date"),
    ("b,B,supplier,DE,05/06/2026,pass,a\n", 'partners.csv:3:5: error: column "Last Audit": \'05/06/2026\' could be '
                                            "5 June or 6 May"),
    ("b,B,supplier,DE,2026-05-01,,a\n", 'partners.csv:3:6: error: column "Audit Result": the audit has no result'),
    ("a,B,supplier,DE,,,\n", "partners.csv:3:1: error: column \"ID\": duplicate partner: the id 'a' is also on row 2"),
    ("b,B,supplier,Atlantis,,,a\n", 'partners.csv:3:4: error: column "Country": \'Atlantis\' is not a country'),
    ("b,B,supplier,DE,,,Nobody\n", "partners.csv:3:7: error: column \"Supplies to\": no partner is named 'Nobody'"),
    ("b,B,supplier,DE,,,b\n", 'partners.csv:3:7: error: column "Supplies to": a partner cannot supply itself'),
    ("b,,supplier,DE,,,a\n", 'partners.csv:3:2: error: column "Name": no name: the cell is blank'),
    ("b,B,,DE,,,a\n", 'partners.csv:3:3: error: column "Role": no role: the cell is blank'),
])
def test_bad_rows_are_located_and_fail_the_import(tmp_path: Path, rows: str, message: str) -> None:
    stderr = _fails(tmp_path, HEAD + "a,Acme,brand_owner,US,,,\n" + rows)
    assert stderr.splitlines()[0].startswith(message), stderr
    assert stderr.splitlines()[-1] == "nofakes: 1 error"


def test_a_missing_required_column(tmp_path: Path) -> None:
    stderr = _fails(tmp_path, "Name,Country\nAcme,US\n")
    assert stderr.startswith("partners.csv:1:1: error: header row: no column gives the partners' role (expected "
                             'columns for name, role); name the columns "Role", or map them with --map')


def test_the_same_name_twice_in_one_country_without_ids_is_a_duplicate(tmp_path: Path) -> None:
    stderr = _fails(tmp_path, "Name,Role,Country\nAcme,brand_owner,US\nBeta,supplier,DE\nbeta,supplier,DE\n")
    assert stderr.startswith('partners.csv:4:1: error: column "Name": duplicate partner: row 3 has the same name and '
                             "country")


def test_the_same_name_in_two_countries_gets_two_ids(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Country\nAcme,brand_owner,US\nBeta,supplier,DE\nBeta,supplier,FR\n")
    assert run("import", path, "-o", tmp_path / "o.yaml").exit_code == 0
    assert [n["id"] for n in _imported(tmp_path / "o.yaml")["nodes"]] == ["acme", "beta", "beta-2"]


def test_a_flow_to_an_unknown_partner_and_an_ambiguous_name(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Country\nAcme,brand_owner,US\nBeta,supplier,DE\nBeta,supplier,FR\n")
    flows = tmp_path / "f.csv"
    flows.write_text("From,To\nBeta,Acme\nBeta-2,Acmee\n")
    result = run("import", path, flows, "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "f.csv:2:1: error: column \"From\": 'Beta' is ambiguous: partners on rows 3 and 4 have that name "
        "(expected a partner's id or name)",
        "f.csv:3:2: error: column \"To\": no partner is named 'Acmee'; did you mean 'Acme'? "
        "(expected a partner's id or name)",
        "nofakes: 2 errors"]


def test_formula_cells_and_empty_sheets_in_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Suppliers"
    sheet.append(["Name", "Role", "Last Audit", "Audit Result"])
    sheet.append(["Acme", "brand_owner", None, None])
    sheet.append(["Beta", "supplier", "=TODAY()", "pass"])
    book.create_sheet("Flows")
    path = tmp_path / "s.xlsx"
    book.save(path)
    result = run("import", path, "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == ('s.xlsx: error: sheet "Flows": the sheet is empty (expected a header row, '
                                             "then one row per record)")
    del book["Flows"]
    book.save(path)
    result = run("import", path, "-o", tmp_path / "o.yaml")
    assert result.stderr.splitlines()[0] == (
        's.xlsx:3:3: error: sheet "Suppliers", cell C3 ("Last Audit"): the cell holds a formula (=TODAY()) '
        "(expected a value); nofakes reads values, not formulas: copy the column and paste it as values")


def test_skip_bad_rows_leaves_them_out_and_still_lists_every_one(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEAD + "a,Acme,brand_owner,US,,,\nb,Beta,supplier,DE,2026-13-01,pass,a\n"
                           "c,Gamma,supplier,FR,,,a\nd,Delta,distributor,XX,,,\n")
    flows = tmp_path / "f.csv"
    flows.write_text("From,To\na,d\nc,a\n")
    out = tmp_path / "o.yaml"
    result = run("import", path, flows, "-o", out, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("f.csv:2:2: warning: column \"To\": the flow to or from 'Delta' is left out: its row "
                               "(p.csv:5) could not be imported")
    assert lines[1].startswith("f.csv:3:2: warning: column \"To\": row left out: the flow c -> a (supplies) is also "
                               "on p.csv:4")
    assert lines[2].startswith('p.csv:3:5: warning: column "Last Audit": row left out: \'2026-13-01\' is not a '
                               "calendar date")
    assert lines[3].startswith('p.csv:5:4: warning: column "Country": row left out: \'XX\' is not a country')
    assert lines[4] == f"nofakes: wrote {out}: 2 partners, 1 flow, 0 products; 4 rows left out (listed above)"
    assert [n["id"] for n in _imported(out)["nodes"]] == ["a", "c"]


def test_who_runs_the_audit(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Supplies to\nBeta,supplier,Acme Ltd\n")
    stderr = _fails(tmp_path, path.read_text())
    assert stderr.startswith("partners.csv: error: which partner runs the audit? brand owners: none")
    out = tmp_path / "o.yaml"
    assert run("import", path, "-o", out, "--company", "Acme Ltd").exit_code == 0
    data = _imported(out)
    assert data["company"] == {"id": "acme-ltd", "name": "Acme Ltd"}
    assert data["nodes"][0] == {"id": "acme-ltd", "name": "Acme Ltd", "role": "brand_owner"}
    assert data["edges"][0]["to"] == "acme-ltd"


def test_output_rules(partners: Path, tmp_path: Path) -> None:
    out = tmp_path / "supply.yaml"
    out.write_text("keep me")
    result = run("import", partners, "-o", out)
    assert result.exit_code == 2 and "the file exists (expected a new file, or --force)" in result.stderr
    assert out.read_text() == "keep me"
    assert run("import", partners, "-o", out, "--force").exit_code == 0
    assert run("import", partners, "-o", partners, "--force").stderr.startswith(
        f"{partners}: error: refusing to overwrite an input file")
    assert run("import", partners).stderr.startswith("-o: error: no output file given")
    to_stdout = run("import", partners, "-o", "-")
    assert to_stdout.stdout.startswith("# Imported by `nofakes import`")
    assert to_stdout.stderr.endswith("nofakes: wrote standard output: 4 partners, 2 flows, 0 products\n")


@pytest.mark.parametrize(("mapping", "message"), [
    ("partners:\n  columns:\n    Supplier Name: nmae\n",
     "m.yaml:3:20: error: partners.columns.Supplier Name: 'nmae' is not a field a column can feed (expected a "
     "field such as name, role, country, audit.date, attributes.NAME or ignore); did you mean 'name'?"),
    ("partners:\n  columns:\n    Vendor: name\n",
     'm.yaml:3:5: error: the column "Vendor" is not in partners.csv'),
    ("partner:\n  columns: {}\n", "m.yaml:1:1: error: a mapping file needs a 'partners:' section"),
    ("partners:\n  columns:\n    Authorized: {field: authorization.status, values: {yes: authorized}}\n",
     "m.yaml:3:55: error: partners.columns.Authorized.values: the value True was read as YAML's true"),
    ("date_format: YMD\npartners:\n  columns: {Supplier Name: name}\n",
     "m.yaml:1:14: error: date_format: unknown date format 'YMD'"),
])
def test_mapping_file_errors_are_located(partners: Path, tmp_path: Path, mapping: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(mapping)
    result = run("import", partners, "--map", path, "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.replace(str(path), "m.yaml").startswith(message), result.stderr


def test_print_map_says_which_needed_field_no_column_feeds(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Vendor,Land,Kind\nAcme,US,brand_owner\n")
    shown = run("import", path, "--print-map")
    assert shown.stdout.splitlines()[-4:] == [
        '    "Vendor": name', '    "Land": attributes.land', '    "Kind": attributes.kind',
        "    # no column feeds role, which every partner needs: map one here"]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(shown.stdout.replace("attributes.land", "country").replace("attributes.kind", "role"))
    out = tmp_path / "o.yaml"
    assert run("import", path, "--map", mapping, "-o", out).exit_code == 0
    assert _imported(out)["nodes"][0]["country"] == "US"


def test_values_outside_the_formats_bounds_are_located_at_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Last Audit,Audit Result,Open findings\nAcme,brand_owner,,,\n"
                    "Beta,supplier,2026-01-05,pass,-2\n")
    flows = tmp_path / "f.csv"
    flows.write_text("From,To,Share\nBeta,Acme,60\nAcme,Beta,60%\n")
    result = run("import", path, flows, "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        'f.csv:2:3: error: column "Share": 60.0: input should be less than or equal to 1 (expected a value the '
        "supply-chain format accepts)",
        'p.csv:3:5: error: column "Open findings": -2: input should be greater than or equal to 0 (expected a value '
        "the supply-chain format accepts)",
        "nofakes: 2 errors"]


def test_a_mapping_names_the_company_and_its_country_in_words(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Supplies to\nBeta,supplier,Acme Ltd\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text('company: {name: Acme Ltd, country: Deutschland}\n'
                       'partners:\n  columns: {Name: name, Role: role, "Supplies to": supplies_to}\n')
    out = tmp_path / "o.yaml"
    assert run("import", path, "--map", mapping, "-o", out).exit_code == 0
    assert _imported(out)["company"] == {"id": "acme-ltd", "name": "Acme Ltd", "country": "DE"}
    mapping.write_text("company: {name: Acme Ltd, country: Atlantis}\npartners:\n  columns: {Name: name}\n")
    result = run("import", path, "--map", mapping, "-o", out, "--force")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{mapping}:1:36: error: company.country: 'Atlantis' is not a country")


def test_a_list_of_ids_without_names_names_each_partner_by_its_id(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Vendor ID,Role\nacme,brand_owner\nV-7,supplier\n")
    out = tmp_path / "o.yaml"
    assert run("import", path, "-o", out).exit_code == 0
    assert [(n["id"], n["name"]) for n in _imported(out)["nodes"]] == [("acme", "acme"), ("V-7", "V-7")]


def test_workbook_and_csv_options_only_where_they_apply(partners: Path, tmp_path: Path) -> None:
    result = run("import", partners, "--sheet", "Suppliers", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("--sheet: error: a CSV file has no sheets")
    book = _workbook(tmp_path)
    result = run("import", book, "--encoding", "cp1252", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("--encoding: error: a workbook has no text encoding")
