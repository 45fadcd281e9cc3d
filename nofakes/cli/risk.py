"""`nofakes risk` and `nofakes exposure`: where counterfeits are likely to enter, and whom they reach."""

from __future__ import annotations

from pathlib import Path

import click

from nofakes.cli.output import write_output
from nofakes.core.errors import Diagnostic, UsageError, did_you_mean
from nofakes.risk.defaults import DEFAULT_DAMPING, DEFAULT_DEPTH, DEFAULT_PROFILE

_COMMON = [
    click.argument("file", type=click.Path(path_type=Path)),
    click.option("--risk-profile", "profile", default=DEFAULT_PROFILE, show_default=True, metavar="NAME[@V]|PATH",
                 help="Risk profile: a built-in one or a file (copy risk/ipr-seizures/1.1.0.yaml to change weights)."),
    click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True),
    click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Partners shown per list."),
    click.option("--depth", type=click.IntRange(1, 10), default=DEFAULT_DEPTH, show_default=True,
                 help="Longest upstream path counted, in hops."),
    click.option("--damping", type=click.FloatRange(0, 1), default=DEFAULT_DAMPING, show_default=True,
                 help="Share of risk passed on per hop."),
    click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of stdout."),
]


def _options(command):  # type: ignore[no-untyped-def]
    for option in reversed(_COMMON):
        command = option(command)
    return command


def _run(view: str, file: Path, profile: str, fmt: str, top: int, depth: int, damping: float,
         output: Path | None, start: str | None) -> None:
    from nofakes.audit.risk import assess
    from nofakes.reports.risk_text import exposure_text, risk_json, risk_text
    from nofakes.risk.profile import load_profile
    from nofakes.supply.graph import build_graph
    from nofakes.supply.loading import input_name, load_supply

    loaded = load_supply(file)
    document = loaded.document
    chosen = load_profile(profile)
    assessment = assess(document, build_graph(document), chosen, depth=depth, damping=damping)
    source = input_name(file)
    if start is not None and start not in assessment.model.partners:
        ids = [n.id for n in document.nodes]
        raise UsageError([Diagnostic("--from", f"no partner with id {start!r} in {source}",
                                     expected="a partner id (nodes[].id)", hint=did_you_mean(start, ids))])
    if fmt == "json":
        text = risk_json(assessment, document, source, top, start)
    elif view == "exposure":
        text = exposure_text(assessment, document, source, top, start)
    else:
        text = risk_text(assessment, document, source, top)
    write_output(text.encode("utf-8"), output, protect=[s.path for s in loaded.sources])


@click.command()
@_options
def risk(file: Path, profile: str, fmt: str, top: int, depth: int, damping: float, output: Path | None) -> None:
    """Rank partners by counterfeit risk, each score with its factors and their sources.

    The model is a prioritisation aid built from public seizure data: seizures show where customs
    looks as well as where fakes come from. It ranks where to look first and accuses nobody.
    """
    _run("risk", file, profile, fmt, top, depth, damping, output, None)


@click.command()
@_options
@click.option("--from", "start", metavar="PARTNER", help="Which partners (customers first) this partner's risk "
                                                        "reaches downstream, and how much.")
def exposure(file: Path, profile: str, fmt: str, top: int, depth: int, damping: float, output: Path | None,
             start: str | None) -> None:
    """How much counterfeit risk reaches each partner from upstream, with the paths that carry most."""
    _run("exposure", file, profile, fmt, top, depth, damping, output, start)
