"""`nofakes schema`: print a published JSON Schema."""

from __future__ import annotations

import click


@click.command()
@click.argument("kind", type=click.Choice(["supply", "pack", "report"]))
def schema(kind: str) -> None:
    """Print a published JSON Schema: supply (supply.yaml), pack (guideline packs), report (JSON report)."""
    from nofakes.cli.schemas import text

    click.echo(text(kind), nl=False)
