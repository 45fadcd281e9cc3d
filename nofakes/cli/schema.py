"""`nofakes schema`: print a published JSON Schema."""

from __future__ import annotations

import click

from nofakes.core.errors import Diagnostic, UsageError


@click.command()
@click.argument("kind", type=click.Choice(["supply", "pack", "report"]))
@click.option("-g", "--guidelines", "packs", multiple=True, metavar="PACK[@VERSION]|PATH",
              help="supply: describe the attributes these packs declare (repeatable).")
def schema(kind: str, packs: tuple[str, ...]) -> None:
    """Print a published JSON Schema: supply (supply.yaml), pack (guideline packs), report (JSON report).

    With -g, the supply schema's attributes are the packs' declared attributes, with their types."""
    from nofakes.cli.schemas import render, supply_with_attributes, text

    if not packs:
        click.echo(text(kind), nl=False)
        return
    if kind != "supply":
        raise UsageError([Diagnostic("-g", f"only the supply schema takes packs (not {kind})",
                                     expected="nofakes schema supply -g PACK")])
    from nofakes.packs.catalogue import resolve_all

    click.echo(render(supply_with_attributes(resolve_all(packs))), nl=False)
