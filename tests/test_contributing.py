"""`guidelines/CONTRIBUTING.md` shows real output: every `$ nofakes ...` command in its `console`
blocks is run from `examples/plugin-pack/` (with the example pack on the search path) and its
output and exit status are compared with what the guide shows.

In a block, a line `$ CMD` starts a command; the lines after it are its output, `...` stands for
any number of lines, and a last line `[exit N]` gives the exit status (0 when absent). Lines are
compared with runs of spaces collapsed (column widths follow the install path), and the path of
this checkout is shown as `/path/to/nofakes`."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from helpers import ROOT
from nofakes.cli.main import cli

GUIDE = ROOT / "guidelines" / "CONTRIBUTING.md"
EXAMPLE = ROOT / "examples" / "plugin-pack"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
_EXIT = re.compile(r"^\[exit (\d+)\]$")


@dataclass(frozen=True)
class Shown:
    command: str
    output: tuple[str, ...]
    status: int


def shown_commands() -> list[Shown]:
    found = []
    for block in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if not chunk.strip():
                continue
            command, *output = chunk.rstrip("\n").split("\n")
            status = 0
            if output and (match := _EXIT.match(output[-1])):
                status, output = int(match.group(1)), output[:-1]
            found.append(Shown(command.removeprefix("$ "), tuple(output), status))
    return found


def _norm(line: str) -> str:
    return " ".join(line.replace(str(ROOT), "/path/to/nofakes").split())


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """`expected` (with `...` for any run of lines) against the actual lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and _norm(expected[0]) == _norm(actual[0]) and matches(expected[1:], actual[1:])


SHOWN = shown_commands()


def test_the_guide_shows_every_command() -> None:
    commands = {" ".join(s.command.split()[:3]) for s in SHOWN}
    assert {f"nofakes guidelines {c}" for c in ("lint", "test", "show", "docs", "diff", "list")} <= commands
    assert "nofakes audit toy-supply.yaml" in commands


@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: s.command)
def test_the_guide_shows_real_output(shown: Shown, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", "src/nofakes_toys/guidelines")
    program, *args = shlex.split(shown.command)
    assert program == "nofakes"
    result = CliRunner().invoke(cli, args)
    actual = result.output.rstrip("\n").split("\n")
    assert result.exit_code == shown.status, result.output
    assert matches(shown.output, actual), "\n".join(["the guide shows:", *shown.output, "", "nofakes prints:", *actual])


def test_the_comparison_notices_a_difference() -> None:
    assert matches(("a", "...", "d"), ["a", "b", "c", "d"])
    assert matches(("a  b",), ["a b"])
    assert not matches(("a", "...", "d"), ["a", "b", "c"])
    assert not matches(("a",), ["a", "b"])
