"""The `nofakes` command line: the group, its global options and the error handling of every command.

The only place that exits. Exit codes (README: Commands): 0 no gap over the thresholds; 1 gaps
over `--fail-on` / `--fail-under`, or nothing audited; 2 bad input, bad usage, or a
guideline pack that fails to load; 3 an internal error (a bug), in one line on stderr, the
traceback only with `--debug`; 130 interrupted; 141 the reader of the report went away (`| head`).
"""

from __future__ import annotations

import traceback
from typing import Any

import click

from nofakes import __version__
from nofakes.cli.audit import audit
from nofakes.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES_HELP,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    echo_err,
    print_diagnostics,
)
from nofakes.cli.graph import graph
from nofakes.cli.guidelines import guidelines
from nofakes.cli.import_ import import_
from nofakes.cli.init import init
from nofakes.cli.risk import exposure, risk
from nofakes.cli.schema import schema
from nofakes.cli.screen import screen
from nofakes.cli.validate import validate
from nofakes.core.errors import NofakesError
from nofakes.core.text import count_of


class _Group(click.Group):
    """Runs a command and turns what it raises into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NofakesError as exc:
            print_diagnostics(exc.diagnostics)
            errors = sum(1 for d in exc.diagnostics if d.level == "error")
            echo_err(f"nofakes: {count_of(errors, 'error')}")
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own: usage errors (exit 2), --help, ctx.exit
        except KeyboardInterrupt:
            echo_err("nofakes: interrupted")
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # whoever read the report stopped reading (`| head`): not a bug
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:  # a bug: never exit 0 or 1, so CI tells a broken run from a failed audit
            if ctx.params.get("debug"):
                click.echo(traceback.format_exc(), err=True, nl=False)
            what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            echo_err(f"nofakes: internal error: {what} - please report it, with the command that caused it "
                     "(run again with --debug for the traceback)")
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help="nofakes: audit a supply chain against anti-counterfeiting guideline packs.\n\n"
                  "Describe your partners and the flows between them in supply.yaml, then run "
                  "`nofakes audit supply.yaml`.\n\n" + EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="nofakes")
@click.option("--debug", is_flag=True, help="On an internal error, print the traceback.")
def cli(debug: bool) -> None:
    pass


cli.add_command(audit)
cli.add_command(validate)
cli.add_command(graph)
cli.add_command(import_)
cli.add_command(init)
cli.add_command(schema)
cli.add_command(guidelines)
cli.add_command(risk)
cli.add_command(exposure)
cli.add_command(screen)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="nofakes")
