"""What the commands share: exit codes, printing diagnostics, progress on stderr, loading with a spinner."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nofakes.core.errors import Diagnostic
from nofakes.core.text import LONG_TEXT_CHARS, safe_text

if TYPE_CHECKING:
    from nofakes.supply.loading import LoadedSupply

EXIT_OK, EXIT_GAPS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away
EXIT_CODES_HELP = """\b
Exit codes:
  0  no failing finding at or above --fail-on, and the overall score
     at or above --fail-under
  1  gaps over those thresholds, or nothing audited (no rule scored)
  2  bad input, bad usage, or a guideline pack that fails to load
  3  an internal error (a bug in nofakes; --debug shows the traceback)
"""
LARGE_INPUT_BYTES = 5_000_000  # about 2,500 partners: loading takes seconds (YAML) from here on
LARGE_GRAPH_NODES = 5_000  # from here on, the audit and its report take seconds: show progress


def echo_err(text: str) -> None:
    """One message on stderr; it may quote the input, so it goes through `safe_text`."""
    click.echo(safe_text(text, LONG_TEXT_CHARS), err=True)


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        echo_err(diagnostic.format())


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def status(message: str, enabled: bool) -> Iterator[None]:
    """A spinner with a message on stderr while a long step runs (only on a terminal)."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(safe_text(message)):
        yield


def load_showing_status(path: Path) -> LoadedSupply:
    """`load_supply`, with a spinner on stderr while a large file loads (only on a terminal)."""
    from nofakes.supply.loading import input_name, load_supply

    try:
        size = path.stat().st_size
    except OSError:  # standard input, or a missing file (load_supply reports it)
        size = 0
    message = f"loading {input_name(path)} ({size / 1e6:.0f} MB)"
    with status(message, stderr_is_terminal() and size >= LARGE_INPUT_BYTES):
        return load_supply(path)
