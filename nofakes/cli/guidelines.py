"""`nofakes guidelines ...`: the pack toolchain for pack authors (command wiring only).

The logic lives in `nofakes.packs.listing` and `nofakes.authoring`; this module parses options, prints the lines it
returns and picks the exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nofakes.cli.common import EXIT_ERROR, echo_err, print_diagnostics


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


@guidelines.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def lint(paths: tuple[Path, ...], strict: bool) -> None:
    """Check pack files (or every pack in a folder) without a supply file: everything the loader
    checks, every error of every rule at once, plus mistakes the loader accepts.

    Exit 0 with only warnings, 2 with any error (--strict: any warning)."""
    from nofakes.authoring.lint import lint as run_lint

    report = run_lint(paths, strict=strict)
    print_diagnostics(report.diagnostics)
    echo_err(report.summary())
    if report.errors:
        sys.exit(EXIT_ERROR)
