"""`nofakes init`: starter files for a new supply chain."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--xlsx", is_flag=True, help="Also write suppliers.xlsx, a supplier-list template for `nofakes import`.")
def init(directory: Path, xlsx: bool) -> None:
    """Write starter files into DIRECTORY (default: here): a commented supply.yaml that validates and
    audits, the JSON Schema its editor line names, a mapping template for `nofakes import`, and with
    --xlsx a supplier-list template workbook. Never overwrites a file: if one exists, nothing is written.
    """
    from nofakes.cli.output import write_output
    from nofakes.cli.schemas import text
    from nofakes.core.errors import Diagnostic, UsageError
    from nofakes.importing.starter import TEMPLATE_FILE, starter_files

    files = starter_files(xlsx, text("supply"))
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing:
        raise UsageError([Diagnostic(str(path), "already exists: nothing was written",
                                     expected="a directory without these files") for path in existing])
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError([Diagnostic(str(directory), f"cannot create the directory: {exc.strerror or exc}")]) from None
    for name, data in files.items():
        write_output(data, directory / name)
        click.echo(f"nofakes: wrote {directory / name}", err=True)
    if xlsx:
        book, imported = directory / TEMPLATE_FILE, directory / "suppliers.yaml"
        steps = f"fill in {book}, then: nofakes import {book} -o {imported} && nofakes audit {imported}"
    else:
        steps = f"edit {directory / 'supply.yaml'}, then: nofakes audit {directory / 'supply.yaml'}"
    click.echo(f"nofakes: next: {steps}", err=True)
