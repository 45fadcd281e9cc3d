"""Who runs the audit when the partner list does not say it plainly, and a mapping's flows without a flows table."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nofakes.cli.main import cli


def test_a_brand_owner_whose_row_cannot_be_read_is_named_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role,Products\nAcme,brand_owner,//\n")
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "p.csv: error: which partner runs the audit? brand owners: none whose row could be read (expected one "
        'partner with role brand_owner, or --company NAME); give --company "Your Company Ltd." (or company: in the '
        "mapping)",
        "p.csv:2:3: error: column \"Products\": '//' has no letters or digits to make an id of (expected an id of "
        "letters, digits, '.', '_', ':' or '-')",
        "nofakes: 2 errors"]


def test_two_brand_owners_need_a_choice(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role\nAcme,brand_owner\nZeta,brand_owner\n")
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("p.csv: error: which partner runs the audit? brand owners: Acme, Zeta")
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml"), "--company", "zeta"])
    assert result.exit_code == 0, result.output
    assert "company:\n  id: zeta\n  name: Zeta\n" in (tmp_path / "o.yaml").read_text()


def test_a_mapping_of_flows_needs_a_flows_table(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Name,Role\nAcme,brand_owner\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("partners:\n  columns: {Name: name, Role: role}\nflows:\n  columns: {From: from, To: to}\n")
    result = CliRunner().invoke(cli, ["import", str(path), "--map", str(mapping), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{mapping}: error: the mapping maps flows, but there is no flows table")


def test_the_mappings_company_id_finds_a_partner(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("ID,Name,Role\nhq,Acme Holdings,brand_owner\nb,Beta,supplier\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("company: {id: hq, name: Acme}\npartners:\n  columns: {ID: id, Name: name, Role: role}\n")
    out = tmp_path / "o.yaml"
    result = CliRunner().invoke(cli, ["import", str(path), "--map", str(mapping), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "company:\n  id: hq\n  name: Acme Holdings\n" in out.read_text()
    assert out.read_text().count("role: brand_owner") == 1  # no second company partner


def test_did_you_mean_only_for_the_first_unknown_names(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    rows = "".join(f"P{i},supplier,Acme{i}\n" for i in range(120))
    path.write_text("Name,Role,Supplies to\nAcme,brand_owner,\n" + rows)
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 121 and lines[-1] == "nofakes: 120 errors"
    assert sum("did you mean" in line for line in lines) == 100


def test_numeric_ids_in_a_workbook_are_found_from_number_cells(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Vendor No", "Name", "Role", "Supplies to"])
    sheet.append([10001, "Acme", "brand_owner", None])
    sheet.append([10023, "Beta", "supplier", 10001])
    path = tmp_path / "v.xlsx"
    book.save(path)
    out = tmp_path / "o.yaml"
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "- from: \"10023\"\n  to: \"10001\"\n" in out.read_text()
