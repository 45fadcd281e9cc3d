"""The `nofakes` command line. The only place that prints reports and exits.

Exit codes: 0 no gap over the thresholds; 1 gaps over `--fail-on` / `--fail-under`;
2 bad input, bad usage, or a guideline pack that fails to load.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nofakes import __version__
from nofakes.errors import Diagnostic, NofakesError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_GAPS, EXIT_ERROR = 0, 1, 2


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def reports_errors(func: F) -> F:
    """Turn NofakesError into located messages on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NofakesError as exc:
            print_diagnostics(exc.diagnostics)
            errors = sum(1 for d in exc.diagnostics if d.level == "error")
            click.echo(f"nofakes: {errors} error{'s' if errors != 1 else ''}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="nofakes")
def cli() -> None:
    """nofakes: audit a supply chain against anti-counterfeiting guideline packs.

    Describe your partners and the flows between them in supply.yaml, then run
    `nofakes audit supply.yaml`.

    \b
    Exit codes:
      0  no failing finding at or above --fail-on, score at or above --fail-under
      1  gaps over those thresholds
      2  bad input, bad usage, or a guideline pack that fails to load
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_errors
def validate(files: tuple[Path, ...]) -> None:
    """Check supply-chain files (YAML or JSON) and print every error with its location.

    On success prints one summary line per file: partners by role, edges, products, tiers.
    Exit 2 if any file has an error.
    """
    from nofakes.errors import InputError
    from nofakes.graph import build_graph, summarize
    from nofakes.loading import load_supply

    failed = 0
    for path in files:
        try:
            loaded = load_supply(path)
        except InputError as exc:
            print_diagnostics(exc.diagnostics)
            count = len(exc.diagnostics)
            click.echo(f"{path}: {count} error{'s' if count != 1 else ''}", err=True)
            failed += 1
            continue
        supply = build_graph(loaded.document)
        click.echo(f"{path}: ok: {summarize(loaded.document, supply).one_line()}")
    if failed:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("kind", type=click.Choice(["supply", "pack", "report"]))
@reports_errors
def schema(kind: str) -> None:
    """Print a published JSON Schema: supply (supply.yaml), pack (guideline packs), report (JSON report)."""
    from nofakes.schemas import text

    click.echo(text(kind), nl=False)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid"]), default="dot", show_default=True,
              help="Graphviz DOT (render with `dot -Tsvg`) or Mermaid (renders in GitHub Markdown).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of stdout.")
@reports_errors
def graph(file: Path, fmt: str, output: Path | None) -> None:
    """Draw the supply graph: roles as shapes and colours, edge kinds as line styles."""
    from nofakes.drawing import RENDERERS
    from nofakes.graph import build_graph
    from nofakes.loading import load_supply
    from nofakes.output import write_output

    loaded = load_supply(file)
    text = RENDERERS[fmt](build_graph(loaded.document), ())
    write_output(text.encode("utf-8"), output, protect=[s.path for s in loaded.sources])


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    try:
        cli.main(prog_name="nofakes")
    except KeyboardInterrupt:
        click.echo("nofakes: interrupted", err=True)
        sys.exit(130)
