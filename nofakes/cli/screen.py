"""`nofakes screen`: screen partner names and web addresses against notorious markets and watch lists."""

from __future__ import annotations

from pathlib import Path

import click

from nofakes.cli.common import load_showing_status, print_diagnostics
from nofakes.screening.scoring import DEFAULT_THRESHOLD


@click.command()
@click.argument("supply", type=click.Path(path_type=Path))
@click.option("--watchlist", "watchlists", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="A CSV watch list (name, country, aliases, reason, source); repeatable.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=DEFAULT_THRESHOLD,
              show_default=True, help="The lowest score reported as a match (0 to 1).")
@click.option("--no-notorious", is_flag=True, help="Do not screen against the shipped USTR notorious-markets list.")
@click.option("--format", "format_", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
def screen(supply: Path, watchlists: tuple[Path, ...], threshold: float, no_notorious: bool, format_: str) -> None:
    """Screen every partner's name, aliases and web address against the USTR Notorious Markets
    list and your own watch lists, and print each match with its score, the fields that matched,
    its source and the list's caveat.

    Here a match is information to check: exit 0 whatever matched; 2 on bad input. In an audit with
    the screening pack (`nofakes audit -g screening`, added by --watchlist) each match is a finding.
    """
    from nofakes.audit.screening import ScreeningLists
    from nofakes.screening.index import screen as run
    from nofakes.screening.render import Screening, to_json, to_terminal
    from nofakes.screening.subjects import subjects_of

    loaded = load_showing_status(supply)
    print_diagnostics(loaded.warnings)
    lists = ScreeningLists.load(watchlists, threshold, notorious=not no_notorious).named()
    subjects = list(subjects_of(loaded.document))
    matches = tuple(run(subjects, [e for _name, entries in lists for e in entries], threshold))
    result = Screening(matches, len(subjects), tuple((name, len(entries)) for name, entries in lists), threshold)
    click.echo(to_json(result) if format_ == "json" else to_terminal(result), nl=False)
