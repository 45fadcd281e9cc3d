"""A products table: products' category and criticality, which decide the rules that apply to a partner."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from nofakes.cli.main import cli

PARTNERS = "Name,Role,Products,Supplies to\nAcme,brand_owner,,\nBeta,supplier,AMP-1; amp-2,Acme\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_products_table_describes_the_products_partners_name(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PARTNERS)
    (tmp_path / "products.csv").write_text("SKU;Description;Category;Critical\nAMP-1;X1 Amplifier;electronics;x\n")
    out = tmp_path / "o.yaml"
    result = run("import", tmp_path / "p.csv", "--products", tmp_path / "products.csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "products.csv: warning: not in the products table, so imported with an id and a name only: amp-2; add them "
        "to the products table to give their category and criticality")
    data = yaml.safe_load(out.read_text())
    assert data["products"] == [
        {"id": "AMP-1", "name": "X1 Amplifier", "category": "electronics", "critical": True,
         "attributes": {"source_row": "products.csv:2"}},
        {"id": "amp-2", "name": "amp-2"}]
    assert data["nodes"][1]["products"] == ["AMP-1", "amp-2"]
    assert "#   products.csv, utf-8 (sha256 " in out.read_text()


def test_product_rows_that_cannot_be_imported(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PARTNERS)
    (tmp_path / "products.csv").write_text("ID,Name,Critical\nAMP-1,X1,yes\nAMP-1,X1 again,no\namp-3,X3,maybe\n")
    result = run("import", tmp_path / "p.csv", "--products", tmp_path / "products.csv", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "products.csv:3:1: error: column \"ID\": duplicate product: the id 'AMP-1' is also on row 2 (expected one row "
        "per product)",
        "products.csv:4:3: error: column \"Critical\": 'maybe' is not yes or no (expected yes or no (Y/N, "
        "true/false, 1/0, x))",
        "nofakes: 2 errors"]


def test_a_products_table_needs_an_id_or_a_name(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PARTNERS)
    (tmp_path / "products.csv").write_text("Category,Critical\nelectronics,yes\n")
    result = run("import", tmp_path / "p.csv", "--products", tmp_path / "products.csv", "-o", tmp_path / "o.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("products.csv:1:1: error: header row: no column gives the products' id")


def test_a_mapping_names_the_products_sheet(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Vendors"
    for row in PARTNERS.splitlines():
        sheet.append(row.split(","))
    items = book.create_sheet("Articles 2026")
    items.append(["Article", "Text", "Kind"])
    items.append(["AMP-1", "X1 Amplifier", "electronics"])
    items.append(["amp-2", "X2 Amplifier", "electronics"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("partners:\n  columns: {Name: name, Role: role, Products: products, Supplies to: supplies_to}\n"
                       "products:\n  sheet: Articles 2026\n  columns: {Article: id, Text: name, Kind: category}\n")
    out = tmp_path / "o.yaml"
    result = run("import", path, "--map", mapping, "-o", out)
    assert result.exit_code == 0, result.output
    assert [(p["id"], p["category"]) for p in yaml.safe_load(out.read_text())["products"]] == [
        ("AMP-1", "electronics"), ("amp-2", "electronics")]
