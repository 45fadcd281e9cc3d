"""`nofakes audit`: audit a supply chain against guideline packs and write a report."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nofakes.cli.common import (
    EXIT_CODES_HELP,
    EXIT_GAPS,
    LARGE_GRAPH_NODES,
    echo_err,
    load_showing_status,
    print_diagnostics,
    status,
    stderr_is_terminal,
)
from nofakes.cli.output import check_output, stdout_is_terminal, write_output
from nofakes.core.errors import Diagnostic, PackError, UsageError
from nofakes.reports.registry import FORMATS, format_names
from nofakes.risk.defaults import DEFAULT_PROFILE
from nofakes.screening.scoring import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from nofakes.packs.catalogue import ResolvedPack
    from nofakes.risk.profile import Profile as RiskProfile
    from nofakes.supply.loading import LoadedSupply

SCREENING_PACK = "screening"
SEVERITIES = ("critical", "high", "medium", "low", "info", "none")  # == nofakes.audit.gate.FAIL_ON_CHOICES


class FormatChoice(click.Choice):
    """The report formats of the registry, read when the option is used (not when the CLI is defined)."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return format_names()


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


def _located(loaded: LoadedSupply, refs: Sequence[str], diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Problems with the packs named in the file's `guidelines:` key, located there (file:line:col, guidelines[i]).

    A problem inside a pack file keeps its own location in that file.
    """
    from nofakes.sources.formats import locate

    source = loaded.sources[0]
    index = {f"guideline pack {ref!r}": i for i, ref in reversed(list(enumerate(refs)))}  # the first mention
    out = []
    for diagnostic in diagnostics:
        i = index.get(diagnostic.file)
        if i is None:
            out.append(diagnostic)
            continue
        line, column = locate(source.text, ["guidelines", i])
        out.append(Diagnostic(source.display, f"guideline pack {refs[i]!r}: {diagnostic.message}",
                              path=f"guidelines[{i}]", line=line, column=column, expected=diagnostic.expected,
                              hint=diagnostic.hint))
    return out


def _select_packs(file: Path, loaded: LoadedSupply, packs: Sequence[str]) -> list[ResolvedPack]:
    """The packs of `-g`, else those of the file's `guidelines:` key, else the built-in packs whose scope fits."""
    from nofakes.packs.catalogue import default_packs, looks_like_path, resolve_all

    document = loaded.document
    if packs:
        return resolve_all(packs)
    if document.guidelines:
        # a pack file named in the supply file is found next to it, as includes are, wherever nofakes runs
        base = loaded.path.parent
        refs = [str(base / ref) if looks_like_path(ref) and not Path(ref).is_absolute() else ref
                for ref in document.guidelines]
        try:
            return resolve_all(refs)
        except PackError as exc:
            raise PackError(_located(loaded, refs, exc.diagnostics)) from None
    categories = {p.category for p in document.products if p.category}
    refs = default_packs(categories, {n.role.value for n in document.nodes})
    if not refs:
        raise UsageError([Diagnostic(str(file), "no guideline pack to audit against",
                                     expected="-g PACK, or guidelines: in the file")])
    return resolve_all(refs)


def _with_screening(resolved: list[ResolvedPack], watchlists: Sequence[Path]) -> list[ResolvedPack]:
    """`--watchlist` screens through the built-in screening pack: added when no selected pack is named screening."""
    if not watchlists or any(pack.name == SCREENING_PACK for pack in resolved):
        return resolved
    from nofakes.packs.catalogue import resolve_all

    return [*resolved, *resolve_all([SCREENING_PACK])]


def _risk_profile(ref: str) -> RiskProfile:
    """The profile of --risk-profile; a located error (exit 2) when it cannot be read."""
    from nofakes.risk.profile import load_profile

    return load_profile(ref)


def _check_plan_weight(plan_weight: str, no_risk: bool) -> None:
    if plan_weight == "risk" and no_risk:
        raise UsageError([Diagnostic("--plan-weight", "risk needs the risk scores that --no-risk leaves out",
                                     expected="--plan-weight risk without --no-risk")])


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


@click.command(help="""Audit a supply chain against guideline packs; print scores, gaps and a remediation plan.

FILE is a YAML or JSON supply-chain file, or - for standard input.

""" + EXIT_CODES_HELP)
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
              help="Exit 1 if the overall score is below this (or if there is no score).")
@click.option("--format", "fmt", type=FormatChoice(), default="terminal", show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the report to FILE (a regular file atomically; never over an input). Default: stdout.")
@click.option("--include-passes", is_flag=True, help="JSON: list passing (rule, subject) pairs too.")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="OLD.json",
              help="An earlier JSON report of this audit: mark each gap new, unchanged or fixed and show the "
                   "score changes.")
@click.option("--fail-on-new", is_flag=True,
              help="With --baseline: only new gaps at or above --fail-on fail the run.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Terminal: how many gaps and remediation steps to show.")
@click.option("--rule", "rules", multiple=True, metavar="ID",
              help="Run only this rule of the selected packs (repeatable); the scores cover those rules only.")
@click.option("--explain", "explain", metavar="SUBJECT",
              help="Show step by step why SUBJECT (a partner id, FROM->TO link, product or company id) passes, "
                   "fails, is waived or is not applicable for the one --rule ID (terminal or json).")
@click.option("--risk-profile", "risk_profile", default=DEFAULT_PROFILE, show_default=True, metavar="NAME[@V]|PATH",
              help="Risk profile scoring each partner's counterfeit risk and exposure (a risk column and a "
                   "highest-exposure section; rules may read risk.*).")
@click.option("--no-risk", is_flag=True, help="Do not assess counterfeit risk (rules that read risk.* cannot run).")
@click.option("--plan-weight", "plan_weight", type=click.Choice(("none", "risk")), default="none", show_default=True,
              help="Order the remediation plan within each severity by gain x (1 + risk/100) per effort unit, "
                   "risk being the partner's risk score (gains and projected scores stay unweighted).")
@click.option("--watchlist", "watchlists", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Screen every partner against this CSV watch list (name, country, aliases, reason, source; "
                   "repeatable): each match is a finding of the screening pack, added when no selected pack "
                   "is named screening.")
@click.option("--screen-threshold", "screen_threshold", type=click.FloatRange(0.0, 1.0, min_open=True),
              default=DEFAULT_THRESHOLD, show_default=True,
              help="Screening: the similarity (0 to 1) from which a partner's name resembles a listed one.")
@click.option("--no-notorious", is_flag=True,
              help="Screening: leave out the shipped USTR Notorious Markets list (its rule is then not applicable).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), metavar="N",
              help="Processes that evaluate the rules (the report is the same). Default: on Linux, the CPUs "
                   "available, up to 4 and as many as the free memory holds, for graphs of 5,000 partners "
                   "or more; else 1.")
def audit(file: Path, packs: tuple[str, ...], as_of: str | None, params: tuple[str, ...], fail_on: str,
          fail_under: float, fmt: str, output: Path | None, include_passes: bool, baseline: Path | None,
          fail_on_new: bool, top: int, rules: tuple[str, ...], explain: str | None, risk_profile: str,
          no_risk: bool, plan_weight: str, watchlists: tuple[Path, ...], screen_threshold: float,
          no_notorious: bool, jobs: int | None) -> None:
    from nofakes.audit.baseline import compare, read_baseline
    from nofakes.audit.engine import run_audit
    from nofakes.audit.screening import ScreeningLists
    from nofakes.packs.parameters import parse_cli_params
    from nofakes.reports.base import RenderOptions
    from nofakes.reports.registry import formatter
    from nofakes.reports.view import build_view

    if fail_on_new and baseline is None:
        raise UsageError([Diagnostic("--fail-on-new", "needs a baseline to tell new gaps",
                                     expected="--baseline OLD.json")])
    if rules and baseline is not None:
        raise UsageError([Diagnostic("--rule", "cannot be combined with --baseline: the gaps of the rules not run "
                                               "would look fixed", expected="--rule or --baseline")])
    if explain is not None:
        from nofakes.cli.explain import check_explain

        check_explain(explain, rules, fmt)
    _check_plan_weight(plan_weight, no_risk)
    reference = _parse_audit_date(as_of, "--as-of") if as_of else None
    old = read_baseline(baseline) if baseline is not None else None  # before the audit, as -o is
    cli_params = parse_cli_params(params)
    profile = None if no_risk else _risk_profile(risk_profile)
    screening = ScreeningLists.load(watchlists, screen_threshold, notorious=not no_notorious)
    loaded = load_showing_status(file)
    resolved = _with_screening(_select_packs(file, loaded, packs), watchlists)
    protect = [s.path for s in loaded.sources] + [f.path for p in resolved for f in p.files] + list(watchlists)
    check_output(output, protect, binary=FORMATS[fmt].binary)  # before the audit: a bad -o should not cost a long run
    if explain is not None:
        from nofakes.cli.explain import explain_command

        width = shutil.get_terminal_size((80, 24)).columns if output is None and stdout_is_terminal() else 80
        explain_command(loaded, resolved, explain, rules[0], fmt, output, protect, width, as_of=reference,
                        cli_params=cli_params, risk=profile, screening=screening)
        return
    large = stderr_is_terminal() and len(loaded.document.nodes) >= LARGE_GRAPH_NODES
    progress, update = _progress_callback(large)
    only = rules or None
    if progress is not None:
        with progress:
            result = run_audit(loaded, resolved, as_of=reference, cli_params=cli_params,
                               include_passes=include_passes, progress=update, only=only, risk=profile,
                               screening=screening, jobs=jobs)
    else:
        result = run_audit(loaded, resolved, as_of=reference, cli_params=cli_params, include_passes=include_passes,
                           only=only, risk=profile, screening=screening, jobs=jobs)
    comparison = compare(old, result) if old is not None else None
    print_diagnostics([*result.input_warnings, *result.warnings, *(comparison.warnings if comparison else ())])
    to_terminal = output is None and stdout_is_terminal()
    colour = to_terminal and fmt == "terminal" and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns if to_terminal else 80
    view = build_view(result, RenderOptions(colour=colour, width=width, top=top, fail_on=fail_on,
                                            fail_under=fail_under, fail_on_new=fail_on_new,
                                            plan_weight=plan_weight), comparison)
    report = formatter(fmt)
    with status(f"writing the {fmt} report", large):
        write_output(lambda stream: report.write(view, stream), output, protect=protect)
    if output is not None:
        echo_err(f"nofakes: wrote {fmt} report to {output}")
    if not view.verdict.passed:
        sys.exit(EXIT_GAPS)
