"""`nofakes guidelines ...`: the pack toolchain for pack authors (command wiring only).

The logic lives in `nofakes.packs.listing`; this module parses options, prints the lines it
returns and picks the exit code.
"""

from __future__ import annotations

import click

from nofakes.cli.common import print_diagnostics


def _echo_lines(lines: list[str]) -> None:
    from nofakes.core.text import LONG_TEXT_CHARS, safe_text

    for line in lines:
        click.echo(safe_text(line, LONG_TEXT_CHARS))


@click.group()
def guidelines() -> None:
    """List, show, lint and test guideline packs (no supply file needed)."""


@guidelines.command("list")
def list_command() -> None:
    """Every pack found: built-in, from installed packages (the nofakes.guidelines entry point) and
    from the folders in NOFAKES_GUIDELINES_PATH, with version, status, rule count and origin."""
    from nofakes.packs.listing import list_lines, list_packs

    listed, warnings = list_packs()
    print_diagnostics(warnings)
    _echo_lines(list_lines(listed))


@guidelines.command()
@click.argument("pack")
@click.option("--rule", "rule_id", metavar="ID", help="Show this one rule in full.")
def show(pack: str, rule_id: str | None) -> None:
    """Show PACK (NAME, NAME@VERSION or a file) after extends: parameters, sections and rules;
    with --rule, one rule in full."""
    from nofakes.packs.catalogue import resolve_pack
    from nofakes.packs.listing import rule_lines, show_lines

    resolved = resolve_pack(pack)
    _echo_lines(rule_lines(resolved, rule_id) if rule_id else show_lines(resolved))
