"""`nofakes validate`: check supply-chain files and print every error with its location."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nofakes.cli.common import EXIT_ERROR, echo_err, load_showing_status, print_diagnostics
from nofakes.core.text import count_of


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check supply-chain files (YAML or JSON) and print every error with its location.

    On success prints one summary line per file: partners by role, edges, products, tiers.
    `-` reads standard input (JSON if it starts with { or [, else YAML).
    Exit 2 if any file has an error.
    """
    from nofakes.core.errors import InputError
    from nofakes.core.text import LONG_TEXT_CHARS, safe_text
    from nofakes.supply.graph import build_graph, summarize
    from nofakes.supply.loading import input_name

    failed = 0
    for path in files:
        try:
            loaded = load_showing_status(path)
        except InputError as exc:
            print_diagnostics(exc.diagnostics)
            count = len(exc.diagnostics)
            echo_err(f"{input_name(path)}: {count_of(count, 'error')}")
            failed += 1
            continue
        print_diagnostics(loaded.warnings)
        supply = build_graph(loaded.document)
        summary = summarize(loaded.document, supply).one_line()
        click.echo(safe_text(f"{input_name(path)}: ok: {summary}", LONG_TEXT_CHARS))
    if failed:
        sys.exit(EXIT_ERROR)
