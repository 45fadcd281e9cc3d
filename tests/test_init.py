"""`nofakes init`: starter files that validate and audit, a template workbook that `import` reads back without a
mapping (the round trip template -> import -> validate -> audit), and never an overwritten file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner, Result

from nofakes.cli.main import cli
from nofakes.cli.schemas import text
from nofakes.importing.headers import guess_field
from nofakes.importing.starter import PARTNER_COLUMNS, SHEETS, mapping_template
from nofakes.supply.model import Role


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_init_writes_a_starter_that_validates_and_audits(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["mapping.yaml", "supply-chain.schema.json", "supply.yaml"]
    supply = folder / "supply.yaml"
    assert supply.read_text().startswith("# yaml-language-server: $schema=supply-chain.schema.json\n")
    assert (folder / "supply-chain.schema.json").read_text() == text("supply")
    assert run("validate", supply).stdout.startswith(f"{supply}: ok: 3 partners")
    audit = run("audit", supply, "--as-of", "2026-11-01", "--format", "json")
    assert audit.exit_code == 1  # the starter's deliberate gaps, high severity among them
    assert '"NTF-PRG-003"' in audit.stdout


def test_init_refuses_to_overwrite_and_then_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "mapping.yaml").write_text("mine")
    result = run("init", tmp_path, "--xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (f"{tmp_path / 'mapping.yaml'}: error: already exists: nothing was "
                                             "written (expected a directory without these files)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.yaml"]
    assert (tmp_path / "mapping.yaml").read_text() == "mine"


def test_the_template_headers_are_recognised_without_a_mapping() -> None:
    for _sheet, kind, columns in SHEETS:
        for column in columns:
            assert guess_field(column.header, kind) == column.field, column.header


def test_the_mapping_template_is_a_mapping_for_the_template(tmp_path: Path) -> None:
    data = yaml.safe_load(mapping_template())
    for sheet, kind, columns in SHEETS:
        assert data[kind] == {"sheet": sheet, "columns": {c.header: c.field for c in columns}}


def test_the_template_workbook_has_drop_downs_and_instructions(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "suppliers.xlsx")
    assert book.sheetnames == ["Partners", "Flows", "Products", "Instructions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    partners = book["Partners"]
    assert [c.value for c in partners[1]] == [c.header for c in PARTNER_COLUMNS]
    assert partners.freeze_panes == "A2"
    checks = {str(v.sqref): v for v in partners.data_validations.dataValidation}
    role = checks["C2:C501"]
    assert role.type == "list" and role.errorStyle == "stop"
    lists = book["Lists"]
    column = role.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [lists[f"{column}{r}"].value for r in range(2, 2 + len(Role))] == [r.value for r in Role]
    assert checks["D2:D501"].errorStyle == "warning"  # countries: a name may be typed instead of a code
    yes_no = checks["F2:F501"]  # Authorized
    letter = yes_no.formula1.split("!")[1][1]
    assert [lists[f"{letter}2"].value, lists[f"{letter}3"].value] == ["yes", "no"]
    assert "nofakes import suppliers.xlsx -o suppliers.yaml" in " ".join(
        str(c.value) for c in book["Instructions"]["A"] if c.value)


def test_round_trip_template_import_validate_audit(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--xlsx").exit_code == 0
    out = tmp_path / "suppliers.yaml"
    result = run("import", tmp_path / "suppliers.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"nofakes: wrote {out}: 3 partners, 2 flows, 1 product\n"  # nothing to warn about
    assert run("validate", out).exit_code == 0
    imported = yaml.safe_load(out.read_text())
    starter = yaml.safe_load((tmp_path / "supply.yaml").read_text())
    assert [(n["id"], n["role"], n.get("country")) for n in imported["nodes"]] == [
        (n["id"], n["role"], n.get("country")) for n in starter["nodes"]]
    assert [(e["from"], e["to"], e["kind"], e["documents"]) for e in imported["edges"]] == [
        (e["from"], e["to"], e["kind"], e["documents"]) for e in starter["edges"]]
    assert [(p["id"], p["category"], p["critical"]) for p in imported["products"]] == [
        (p["id"], p["category"], p["critical"]) for p in starter["products"]]
    gaps = [_failing(run("audit", path, "--as-of", "2026-11-01", "--format", "json").stdout) for path in
            (out, tmp_path / "supply.yaml")]
    assert gaps[0] == gaps[1] == [("NTF-CON-002", "rheinmark"), ("NTF-PRG-003", "rheinmark")]


def _failing(report: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["subject"]) for f in json.loads(report)["findings"] if f["status"] == "fail")


def test_the_mapping_template_imports_the_template_as_the_guess_does(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--xlsx").exit_code == 0
    guessed, mapped = tmp_path / "guessed.yaml", tmp_path / "mapped.yaml"
    assert run("import", tmp_path / "suppliers.xlsx", "-o", guessed).exit_code == 0
    result = run("import", tmp_path / "suppliers.xlsx", "--map", tmp_path / "mapping.yaml", "-o", mapped)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(guessed.read_text()) == yaml.safe_load(mapped.read_text())
