"""Whatever a supplier list holds, `nofakes import` answers with an import or with located errors: never a crash."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nofakes.cli.main import cli
from nofakes.importing.headers import PARTNER_HEADERS

ODD = ["", " ", "yes", "N", "x", "0", "-1", "1e999", "nan", "12/13/2026", "05/06/2026", "2026-02-30", "46022",
       "99999999", "Deutschland", "Atlantis", "brand_owner", "Vendor", "3PL", "=SUM(A1)", "a;b;;c", "//", "\x1b[31m",
       "\u202eevil", "Acme", "acme", "ACME ", "Acme; Acme", "Beta", "名前", "x" * 500, "true", "2026-01-01T10:00",
       "60%", "1,000", "'quoted'", '"', "#", ": colon", "- dash", "None", "null"]
HEADERS = ["Name", "ID", "Role", "Country", "Supplies to", "Last Audit", "Audit Result", "Authorized",
           "ISO 9001 Expiry", "Products", "Open findings", "Authorized by", "Tier", "Notes"]


@pytest.mark.parametrize("seed", range(30))
def test_random_csv_tables_import_or_fail_cleanly(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    headers = rng.sample(HEADERS, rng.randrange(2, len(HEADERS)))
    lines = [",".join(headers)]
    for _ in range(rng.randrange(1, 25)):
        cells = [rng.choice(ODD) for _ in headers]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for extra in ([], ["--skip-bad-rows"], ["--company", "Acme", "--skip-bad-rows", "--date-format", "DMY"]):
        result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml"), "--force", *extra])
        assert result.exit_code in (0, 2), (extra, result.output)
        assert "internal error" not in result.output
        if result.exit_code == 0:
            assert CliRunner().invoke(cli, ["validate", str(tmp_path / "o.yaml")]).exit_code == 0


@pytest.mark.parametrize("seed", range(4))
def test_random_workbooks_import_or_fail_cleanly(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    headers = rng.sample(sorted(PARTNER_HEADERS), 8) + ["Name", "Role"]
    sheet.append(headers)
    for _ in range(15):
        row: list[object] = [rng.choice([*ODD[:30], 3.5, -2, 46022, True, None]) for _ in headers]
        sheet.append([c.replace("\x1b", "") if isinstance(c, str) else c for c in row])  # openpyxl refuses ESC
    path = tmp_path / "b.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["import", str(path), "-o", str(tmp_path / "o.yaml"), "--skip-bad-rows",
                                      "--company", "Acme"])
    assert result.exit_code in (0, 2), result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize("seed", range(10))
def test_random_products_tables_import_or_fail_cleanly(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    partners = tmp_path / "p.csv"
    partners.write_text("Name,Role,Products\nAcme,brand_owner,\n" + "".join(
        f'P{i},supplier,"{rng.choice(ODD)};{rng.choice(ODD)}"\n'.replace('"""', '"') for i in range(8)))
    headers = rng.sample(["ID", "Name", "Category", "Critical", "Authentication", "Notes"], rng.randrange(1, 6))
    rows = [",".join('"' + rng.choice(ODD).replace('"', '""') + '"' for _ in headers) for _ in range(8)]
    products = tmp_path / "products.csv"
    products.write_text("\n".join([",".join(headers), *rows]) + "\n")
    for extra in ([], ["--skip-bad-rows"]):
        result = CliRunner().invoke(cli, ["import", str(partners), "--products", str(products), "-o",
                                          str(tmp_path / "o.yaml"), "--force", *extra])
        assert result.exit_code in (0, 2), (extra, result.output)
        assert "internal error" not in result.output
