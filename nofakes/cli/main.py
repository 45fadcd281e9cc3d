"""The `nofakes` command line. The only place that prints reports and exits.

Exit codes: 0 no gap over the thresholds; 1 gaps over `--fail-on` / `--fail-under`;
2 bad input, bad usage, or a guideline pack that fails to load.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from nofakes import __version__
from nofakes.core.errors import Diagnostic, NofakesError, UsageError
from nofakes.cli.output import check_output, write_output

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
      0  no failing finding at or above --fail-on, and the overall score
         at or above --fail-under
      1  gaps over those thresholds
      2  bad input, bad usage, or a guideline pack that fails to load
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_errors
def validate(files: tuple[Path, ...]) -> None:
    """Check supply-chain files (YAML or JSON) and print every error with its location.

    On success prints one summary line per file: partners by role, edges, products, tiers.
    `-` reads standard input (JSON if it starts with { or [, else YAML).
    Exit 2 if any file has an error.
    """
    from nofakes.core.errors import InputError
    from nofakes.supply.graph import build_graph, summarize
    from nofakes.supply.loading import input_name

    failed = 0
    for path in files:
        try:
            loaded = _load_showing_status(path)
        except InputError as exc:
            print_diagnostics(exc.diagnostics)
            count = len(exc.diagnostics)
            click.echo(f"{input_name(path)}: {count} error{'s' if count != 1 else ''}", err=True)
            failed += 1
            continue
        print_diagnostics(list(loaded.warnings))
        supply = build_graph(loaded.document)
        click.echo(f"{input_name(path)}: ok: {summarize(loaded.document, supply).one_line()}")
    if failed:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("kind", type=click.Choice(["supply", "pack", "report"]))
@reports_errors
def schema(kind: str) -> None:
    """Print a published JSON Schema: supply (supply.yaml), pack (guideline packs), report (JSON report)."""
    from nofakes.core.schemas import text

    click.echo(text(kind), nl=False)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid"]), default="dot", show_default=True,
              help="Graphviz DOT (render with `dot -Tsvg`) or Mermaid (renders in GitHub Markdown).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of stdout.")
@reports_errors
def graph(file: Path, fmt: str, output: Path | None) -> None:
    """Draw the supply graph: roles as shapes and colours, edge kinds as line styles."""
    from nofakes.supply.drawing import RENDERERS
    from nofakes.supply.graph import build_graph
    from nofakes.supply.loading import load_supply

    loaded = load_supply(file)
    text = RENDERERS[fmt](build_graph(loaded.document), ())
    write_output(text.encode("utf-8"), output, protect=[s.path for s in loaded.sources])


SEVERITIES = ("critical", "high", "medium", "low", "info", "none")  # == nofakes.audit.gate.FAIL_ON_CHOICES


def _parse_audit_date(value: str, option: str) -> dt.date:
    from nofakes.supply.values import AUDIT_DATE_EXPECTED, audit_date_problem

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError([Diagnostic(option, f"found {value!r}", expected="a date as YYYY-MM-DD")]) from None
    problem = audit_date_problem(day)
    if problem is not None:
        raise UsageError([Diagnostic(option, problem, expected=AUDIT_DATE_EXPECTED)])
    return day


def _format_choices() -> list[str]:
    from nofakes.reports import FORMATTERS

    return list(FORMATTERS)


LARGE_INPUT_BYTES = 5_000_000  # about 2,500 partners: loading takes seconds (YAML) from here on
LARGE_GRAPH_NODES = 5_000  # from here on, the audit and its report take seconds: show progress


def _load_showing_status(path: Path) -> Any:
    """`load_supply`, with a spinner on stderr while a large file loads (only on a terminal)."""
    from nofakes.supply.loading import input_name, load_supply

    try:
        size = path.stat().st_size
    except OSError:  # standard input, or a missing file (load_supply reports it)
        size = 0
    message = f"loading {input_name(path)} ({size / 1e6:.0f} MB)"
    with _status(message, sys.stderr.isatty() and size >= LARGE_INPUT_BYTES):
        return load_supply(path)


@contextmanager
def _status(message: str, enabled: bool) -> Iterator[None]:
    """A spinner with a message on stderr while a long step runs (only on a terminal)."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def _progress_callback(enabled: bool) -> tuple[Any, Callable[..., None] | None]:
    """A rich progress bar on stderr (only for large graphs on a terminal)."""
    if not enabled:
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("rules"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = progress.add_task("", total=None)

    def update(done: int, total: int, rule_id: str) -> None:
        progress.update(task, completed=done, total=total, description=rule_id)

    return progress, update


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-g", "--guidelines", "packs", multiple=True, metavar="PACK[@VERSION]|PATH",
              help="Guideline pack to audit against (repeatable). Default: the file's guidelines: key, "
                   "else the latest released built-in packs whose scope fits.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Reference date for every date rule. Default: the file's as_of, else today.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Override a pack parameter, e.g. --param ntif.audit_interval_days=180 (the bare name "
                   "when one selected pack declares it; repeatable).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="high", show_default=True,
              help="Exit 1 if a failing (unwaived) finding has this severity or worse; 'none' never.")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=0.0, show_default=True,
              help="Exit 1 if the overall score is below this.")
@click.option("--format", "fmt", type=click.Choice(_format_choices()), default="terminal", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically; never over an input). Default: stdout.")
@click.option("--include-passes", is_flag=True, help="JSON: list passing (rule, subject) pairs too.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Terminal: how many gaps and remediation steps to show.")
@reports_errors
def audit(file: Path, packs: tuple[str, ...], as_of: str | None, params: tuple[str, ...], fail_on: str,
          fail_under: float, fmt: str, output: Path | None, include_passes: bool, top: int) -> None:
    """Audit a supply chain against guideline packs; print scores, gaps and a remediation plan.

    FILE is a YAML or JSON supply-chain file, or - for standard input.

    \b
    Exit codes:
      0  no failing finding at or above --fail-on, and the overall score
         at or above --fail-under
      1  gaps over those thresholds
      2  bad input, bad usage, or a guideline pack that fails to load
    """
    from nofakes.audit.engine import run_audit
    from nofakes.packs.parameters import parse_cli_params
    from nofakes.audit.gate import evaluate_gate
    from nofakes.packs.catalogue import default_packs, resolve_all
    from nofakes.reports import FORMATTERS, RenderOptions

    reference = _parse_audit_date(as_of, "--as-of") if as_of else None
    cli_params = parse_cli_params(params)
    loaded = _load_showing_status(file)
    document = loaded.document
    refs = list(packs) or list(document.guidelines)
    if not refs:
        categories = {p.category for p in document.products if p.category}
        refs = default_packs(categories, {n.role.value for n in document.nodes})
    if not refs:
        raise UsageError([Diagnostic(str(file), "no guideline pack to audit against",
                                     expected="-g PACK, or guidelines: in the file")])
    resolved = resolve_all(refs)
    protect = [s.path for s in loaded.sources] + [f.path for p in resolved for f in p.files]
    check_output(output, protect)  # before the audit: a bad -o should not cost a long run
    progress, update = _progress_callback(sys.stderr.isatty() and len(document.nodes) >= LARGE_GRAPH_NODES)
    if progress is not None:
        with progress:
            result = run_audit(loaded, resolved, as_of=reference, cli_params=cli_params,
                               include_passes=include_passes, progress=update)
    else:
        result = run_audit(loaded, resolved, as_of=reference, cli_params=cli_params, include_passes=include_passes)
    print_diagnostics([*result.input_warnings, *result.warnings])
    colour = output is None and fmt == "terminal" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if output is None and sys.stdout.isatty() else 80
    options = RenderOptions(colour=colour, width=width, top=top, fail_on=fail_on, fail_under=fail_under)
    formatter = FORMATTERS[fmt]()
    with _status(f"writing the {fmt} report", sys.stderr.isatty() and len(document.nodes) >= LARGE_GRAPH_NODES):
        write_output(lambda stream: formatter.write(result, options, stream), output, protect=protect)
    if output is not None:
        click.echo(f"nofakes: wrote {fmt} report to {output}", err=True)
    if evaluate_gate(result, fail_on, fail_under).failed:
        sys.exit(EXIT_GAPS)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="nofakes")
    except KeyboardInterrupt:
        click.echo("nofakes: interrupted", err=True)
        sys.exit(130)
