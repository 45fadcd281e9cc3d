"""`nofakes guidelines ...`: the pack toolchain for pack authors (command wiring only).

The logic lives in `nofakes.packs.listing` and `nofakes.authoring`; this module parses options, prints the lines it
returns and picks the exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nofakes.cli.common import EXIT_ERROR, EXIT_GAPS, echo_err, print_diagnostics


def _echo_lines(lines: list[str]) -> None:
    from nofakes.core.text import LONG_TEXT_CHARS, safe_text

    for line in lines:
        click.echo(safe_text(line, LONG_TEXT_CHARS))


@click.group()
def guidelines() -> None:
    """List, show, lint, test, document and diff guideline packs (no supply file needed)."""


@guidelines.command("list", short_help="Every pack found, with version, status, rule count and origin.")
def list_command() -> None:
    """Every pack found: built-in, from installed packages (the nofakes.guidelines entry point) and
    from the folders in NOFAKES_GUIDELINES_PATH, with version, status, rule count and origin."""
    from nofakes.packs.listing import list_lines, list_packs

    listed, warnings = list_packs()
    print_diagnostics(warnings)
    _echo_lines(list_lines(listed))


@guidelines.command(short_help="A pack after extends: parameters and rules; --rule ID in full.")
@click.argument("pack")
@click.option("--rule", "rule_id", metavar="ID", help="Show this one rule in full.")
def show(pack: str, rule_id: str | None) -> None:
    """Show PACK (NAME, NAME@VERSION or a file) after extends: parameters, sections and rules;
    with --rule, one rule in full."""
    from nofakes.packs.catalogue import resolve_pack
    from nofakes.packs.listing import rule_lines, show_lines

    resolved = resolve_pack(pack)
    _echo_lines(rule_lines(resolved, rule_id) if rule_id else show_lines(resolved))


@guidelines.command(short_help="Check pack files without a supply file: every problem at once.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def lint(paths: tuple[Path, ...], strict: bool) -> None:
    """Check pack files (or every <version>.yaml in a folder) without a supply file: everything the loader
    checks, every error of every rule at once, plus mistakes the loader accepts.

    Exit 0 with only warnings, 2 with any error (--strict: any warning)."""
    from nofakes.authoring.lint import lint as run_lint

    report = run_lint(paths, strict=strict)
    print_diagnostics(report.diagnostics)
    echo_err(report.summary())
    if report.errors:
        sys.exit(EXIT_ERROR)


@guidelines.command("test", short_help="Run a pack's fixture cases: pass/fail per rule and per case.")
@click.argument("pack")
@click.argument("fixtures", required=False, type=click.Path(path_type=Path))
def test_command(pack: str, fixtures: Path | None) -> None:
    """Run the fixture cases in FIXTURES (a folder of <RULE-ID>.yaml files; default: the folder
    `fixtures/` next to the pack file) against PACK (NAME, NAME@VERSION or a file).

    Prints pass/fail per rule and per case. Exit 0 when every case passes and every active rule
    has a passing and a failing case, 1 otherwise, 2 on a broken pack or fixture file."""
    from nofakes.authoring.fixtures import report_lines, run_fixtures
    from nofakes.packs.catalogue import resolve_pack

    resolved = resolve_pack(pack)
    folder = fixtures if fixtures is not None else resolved.files[0].path.parent / "fixtures"
    report = run_fixtures(resolved, folder)
    _echo_lines(report_lines(report))
    if not report.ok:
        sys.exit(EXIT_GAPS)


@guidelines.command(short_help="A Markdown reference of a pack.")
@click.argument("pack")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the Markdown to this file.")
def docs(pack: str, output: Path | None) -> None:
    """Print a Markdown reference of PACK (NAME, NAME@VERSION or a file): parameters, sections and
    every rule with severity, target, what it checks in words, rationale, remediation and sources."""
    from nofakes.authoring.docs import docs_markdown
    from nofakes.cli.output import write_output
    from nofakes.packs.catalogue import resolve_pack

    resolved = resolve_pack(pack)
    write_output(docs_markdown(resolved).encode("utf-8"), output, protect=[f.path for f in resolved.files])


@guidelines.command(short_help="What changed between two packs, as text or Markdown.")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["terminal", "markdown"]), default="terminal", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the diff to this file.")
def diff(old: str, new: str, fmt: str, output: Path | None) -> None:
    """What changed from pack OLD to pack NEW (NAME@VERSION or files): rules added, removed and
    deprecated, rules changed field by field, parameters with old and new defaults, sections."""
    from nofakes.cli.output import write_output
    from nofakes.packs.catalogue import resolve_pack
    from nofakes.packs.diff import diff_lines, diff_markdown, diff_packs

    before, after = resolve_pack(old), resolve_pack(new)
    result = diff_packs(before, after)
    if fmt == "terminal" and output is None:
        _echo_lines(diff_lines(result))
        return
    text = diff_markdown(result) if fmt == "markdown" else "\n".join(diff_lines(result)) + "\n"
    write_output(text.encode("utf-8"), output, protect=[f.path for f in (*before.files, *after.files)])
