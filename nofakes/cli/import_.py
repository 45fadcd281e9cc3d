"""`nofakes import`: a supplier list (CSV or XLSX) to supply.yaml."""

from __future__ import annotations

from pathlib import Path

import click

from nofakes.cli.common import print_diagnostics
from nofakes.core.text import count_of

_HELP_FIELDS = """\b
Recognised headers (any case; see --print-map): Supplier Name / Vendor / Name,
ID / Vendor No, Role / Type, Country, Tier, Products, Authorized, Last Audit,
Audit Result, ISO 9001 Expiry (any standard), Contract signed, Anti-counterfeit
clause, Control plan, Last training, Due diligence, Supplies to / Customer.
Flows: From / Supplier, To / Customer, Kind, Products, Share.
Products: ID / SKU, Name / Description, Category, Critical.
"""


@click.command("import", epilog=_HELP_FIELDS)
@click.argument("partners", type=click.Path(path_type=Path))
@click.argument("flows", required=False, type=click.Path(path_type=Path))
@click.option("--map", "mapping", type=click.Path(path_type=Path), help="Mapping file: which column feeds which field.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The supply.yaml to write ('-': stdout).")
@click.option("--products", "products", type=click.Path(path_type=Path),
              help="A products table (CSV or XLSX: ID, Name, Category, Critical); default: a Products sheet of the "
                   "partners' workbook, if it has one.")
@click.option("--print-map", is_flag=True, help="Print the mapping (guessed, or given) as a mapping file and stop.")
@click.option("--date-format", type=click.Choice(["DMY", "MDY"], case_sensitive=False),
              help="How dates such as 05/06/2026 are written: day first (DMY) or month first (MDY).")
@click.option("--skip-bad-rows", is_flag=True, help="Leave out rows that cannot be imported (each is still listed).")
@click.option("--company", help="Who runs the audit: a partner's id or name, or a new name "
                                "(default: the mapping's company, else the one brand_owner).")
@click.option("--sheet", help="The workbook sheet with the partners (default: the first).")
@click.option("--encoding", help="The CSV files' encoding (default: UTF-8, else Windows-1252).")
@click.option("--delimiter", help="The CSV files' delimiter (default: the one the header line uses).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists (never an input).")
def import_(partners: Path, flows: Path | None, mapping: Path | None, products: Path | None, output: Path | None,
            print_map: bool,
            date_format: str | None, skip_bad_rows: bool, company: str | None, sheet: str | None,
            encoding: str | None, delimiter: str | None, force: bool) -> None:
    """Import a supplier list (PARTNERS.csv or .xlsx, one row per partner) and its flows (FLOWS.csv or .xlsx,
    one row per flow; optional) into a supply.yaml that validates.

    Without --map, common headers are recognised; other columns are kept as attributes. Every row
    that cannot be imported is listed with its file, sheet, row and column, and the import fails
    (exit 2) unless --skip-bad-rows.
    """
    from nofakes.cli.output import check_output, write_output
    from nofakes.core.errors import Diagnostic, UsageError
    from nofakes.importing.build import Options
    from nofakes.importing.mapping import render
    from nofakes.importing.pipeline import read_inputs, run

    inputs_given = [p for p in (partners, flows, mapping, products) if p is not None]
    if not print_map:
        if output is None:
            raise UsageError([Diagnostic("-o", "no output file given", expected="-o supply.yaml (or --print-map)")])
        target = check_output(output, inputs_given)
        if target is not None and target.exists() and target.is_file() and not force:
            raise UsageError([Diagnostic(str(output), "the file exists", expected="a new file, or --force")])
    inputs = read_inputs(partners, flows, mapping, products=products, sheet=sheet, encoding=encoding,
                         delimiter=delimiter)
    if print_map:
        click.echo(render(inputs.mapping), nl=False)
        return
    assert output is not None
    print_diagnostics(inputs.warnings)
    options = Options(date_format.upper() if date_format else None, skip_bad_rows, company)
    result = run(inputs, options, str(output))
    print_diagnostics(result.imported.skipped)
    print_diagnostics(result.imported.notes)
    write_output(result.text.encode("utf-8"), output, inputs_given)
    document = result.loaded.document
    left_out = result.imported.skipped_rows
    note = f"; {count_of(left_out, 'row')} left out (listed above)" if left_out else ""
    shown = "standard output" if str(output) == "-" else str(output)
    click.echo(f"nofakes: wrote {shown}: {count_of(len(document.nodes), 'partner')}, "
               f"{count_of(len(document.edges), 'flow')}, {count_of(len(document.products), 'product')}{note}",
               err=True)

