"""`nofakes graph`: draw the supply graph as Graphviz DOT or Mermaid."""

from __future__ import annotations

from pathlib import Path

import click

from nofakes.cli.output import write_output


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid"]), default="dot", show_default=True,
              help="Graphviz DOT (render with `dot -Tsvg`) or Mermaid (renders in GitHub Markdown).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of stdout.")
def graph(file: Path, fmt: str, output: Path | None) -> None:
    """Draw the supply graph: roles as shapes and colours, edge kinds as line styles."""
    from nofakes.supply.drawing import RENDERERS
    from nofakes.supply.graph import build_graph
    from nofakes.supply.loading import load_supply

    loaded = load_supply(file)
    text = RENDERERS[fmt](build_graph(loaded.document), ())
    write_output(text.encode("utf-8"), output, protect=[s.path for s in loaded.sources])
