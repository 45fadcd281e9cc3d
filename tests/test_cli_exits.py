"""Exit codes and destinations of `nofakes audit`: internal errors (3), interrupts (130), nothing audited (1),
the verdict in the JSON report, `-o` onto a FIFO, binary formats on a terminal, and the lazy format registry."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import MINIMAL, PACK, run
from nofakes.cli.main import cli
from nofakes.reports.base import Formatter
from nofakes.reports.registry import FORMATS, FormatSpec

NO_FACTORY = MINIMAL.split("  - id: cm")[0] + "edges: []\n"  # the tiny pack's rules apply to no partner



def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def _boom(*_: object, **__: object) -> None:
    raise RuntimeError("boom at \x1b[31mred")


# ---------------------------------------------------------------- exit codes


def test_an_internal_error_exits_3_with_one_line_and_no_traceback(tiny: tuple[Path, Path], monkeypatch) -> None:
    import nofakes.audit.engine

    monkeypatch.setattr(nofakes.audit.engine, "run_audit", _boom)
    supply, pack = tiny
    result = invoke("audit", str(supply), "-g", str(pack))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "nofakes: internal error: RuntimeError: boom at [31mred - please report it, with the command that caused it "
        "(run again with --debug for the traceback)"]


def test_an_internal_error_without_a_message_is_named_by_its_type(tiny: tuple[Path, Path], monkeypatch) -> None:
    import nofakes.reports.view

    def no_message(*_: object, **__: object) -> None:
        raise AssertionError

    monkeypatch.setattr(nofakes.reports.view, "build_view", no_message)  # a bug after the audit ran
    supply, pack = tiny
    result = invoke("audit", str(supply), "-g", str(pack))
    assert result.exit_code == 3
    assert result.stderr.startswith("nofakes: internal error: AssertionError - please report it")


def test_debug_shows_the_traceback_of_an_internal_error(tiny: tuple[Path, Path], monkeypatch) -> None:
    import nofakes.audit.engine

    monkeypatch.setattr(nofakes.audit.engine, "run_audit", _boom)
    supply, pack = tiny
    result = invoke("--debug", "audit", str(supply), "-g", str(pack))
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr and "_boom" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("nofakes: internal error: RuntimeError: boom")


def test_the_installed_entry_point_exits_3_on_a_crash(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    code = ("import nofakes.audit.engine as engine\n"
            "def boom(*a, **k): raise ZeroDivisionError('division by zero')\n"
            "engine.run_audit = boom\n"
            "from nofakes.cli.main import main\n"
            f"import sys; sys.argv = ['nofakes', 'audit', {str(supply)!r}, '-g', {str(pack)!r}]\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 3
    assert proc.stderr.startswith("nofakes: internal error: ZeroDivisionError: division by zero - please report it")
    assert "Traceback" not in proc.stderr


def test_an_interrupt_exits_130_quietly(tiny: tuple[Path, Path], monkeypatch) -> None:
    import nofakes.audit.engine

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(nofakes.audit.engine, "run_audit", interrupted)
    supply, pack = tiny
    result = invoke("audit", str(supply), "-g", str(pack))
    assert result.exit_code == 130
    assert result.stderr == "nofakes: interrupted\n"


def test_a_reader_that_stops_reading_is_not_an_internal_error() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "electronics" / "supply.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "nofakes", "audit", str(example), "--format", "json",
                             "--include-passes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head -0` does, before the report is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "internal error" not in err and "Traceback" not in err


def test_bad_input_still_exits_2_and_gaps_1(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    supply, pack = tiny
    assert run("audit", str(tmp_path / "missing.yaml"), "-g", str(pack))[0] == 2
    assert run("audit", str(supply), "-g", str(pack), "--fail-on", "low")[0] == 1
    assert run("audit", str(supply), "-g", str(pack))[0] == 0


def test_nothing_audited_exits_1_whatever_the_thresholds(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    supply.write_text(NO_FACTORY)
    for thresholds in ([], ["--fail-on", "none"], ["--fail-under", "10"]):
        code, out, _ = run("audit", str(supply), "-g", str(pack), "--format", "json", *thresholds)
        assert code == 1
        verdict = json.loads(out)["verdict"]
        assert verdict["passed"] is False
        assert verdict["reasons"][0] == "nothing was audited: no rule applied to any partner"
    code, out, _ = run("audit", str(supply), "-g", str(pack))
    assert code == 1 and "FAIL  nothing was audited: no rule applied to any partner" in out


def test_the_json_verdict_is_the_exit_code(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    # score 75: the clause rule (low) fails, the audit rule (high) passes
    for args, code in ((["--fail-under", "75"], 0), (["--fail-under", "75.1"], 1), (["--fail-on", "low"], 1)):
        exit_code, out, _ = run("audit", str(supply), "-g", str(pack), "--format", "json", *args)
        verdict = json.loads(out)["verdict"]
        assert exit_code == code and verdict["passed"] is (code == 0)
    report = json.loads(run("audit", str(supply), "-g", str(pack), "--format", "json", "--fail-under", "75.1")[1])
    assert report["verdict"] == {"passed": False, "thresholds": {"fail_on": "high", "fail_under": 75.1},
                                 "reasons": ["overall score 75.0 is below 75.1"]}


# ---------------------------------------------------------------- -o onto a FIFO


def _read_fifo_in_background(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, received


@pytest.mark.parametrize("through_symlink", [False, True], ids=["fifo", "symlink to a fifo"])
def test_output_onto_a_fifo_is_written_in_place_never_replaced(tiny: tuple[Path, Path], tmp_path: Path,
                                                              through_symlink: bool) -> None:
    supply, pack = tiny
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    target = fifo
    if through_symlink:
        target = tmp_path / "report.json"
        target.symlink_to(fifo)
    thread, received = _read_fifo_in_background(fifo)
    code, out, err = run("audit", str(supply), "-g", str(pack), "--format", "json", "-o", str(target))
    thread.join(timeout=60)
    assert code == 0 and out == "" and "wrote json report" in err
    assert json.loads(received[0])["tool"]["name"] == "nofakes"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO, not a regular file put in its place
    assert target.is_symlink() is through_symlink
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------- formats


class BinaryFormatter(Formatter):
    """A test-only binary format."""

    def render(self, view: Any) -> bytes:
        return b"PK\x03\x04" + view.company_id.encode()


@pytest.fixture()
def binary_format(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(FORMATS, "testbin", FormatSpec(f"{__name__}:BinaryFormatter", binary=True))
    return "testbin"


def test_a_binary_format_refuses_a_terminal(tiny: tuple[Path, Path], binary_format: str, monkeypatch) -> None:
    import nofakes.audit.engine
    import nofakes.cli.output

    supply, pack = tiny
    assert binary_format in invoke("audit", "--help").stdout  # --format choices come from the registry
    monkeypatch.setattr(nofakes.cli.output, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(nofakes.audit.engine, "run_audit", _boom)  # refused before the audit runs
    for stdout in ([], ["-o", "-"]):
        code, out, err = run("audit", str(supply), "-g", str(pack), "--format", binary_format, *stdout)
        assert code == 2 and out == ""
        assert "standard output: error: is a terminal, and this report format is binary" in err
        assert "(expected -o FILE, or standard output redirected to a file)" in err


def test_a_binary_format_refuses_a_terminal_named_by_o(tiny: tuple[Path, Path], binary_format: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o /dev/pts/N` is a terminal too: refused before the audit, and nothing is written to it."""
    import os

    import nofakes.audit.engine

    supply, pack = tiny
    leader, follower = os.openpty()  # a terminal of the test's own; only asked whether it is one
    try:
        terminal = os.ttyname(follower)
        monkeypatch.setattr(nofakes.audit.engine, "run_audit", _boom)
        code, out, err = run("audit", str(supply), "-g", str(pack), "--format", binary_format, "-o", terminal)
        assert code == 2 and out == ""
        assert f"{terminal}: error: is a terminal, and this report format is binary" in err
        os.set_blocking(leader, False)
        with pytest.raises(BlockingIOError):
            os.read(leader, 1)  # nothing reached the terminal
    finally:
        os.close(follower)
        os.close(leader)


def test_a_binary_format_goes_to_a_file_or_a_redirected_stdout(tiny: tuple[Path, Path], tmp_path: Path,
                                                               binary_format: str) -> None:
    supply, pack = tiny
    target = tmp_path / "report.bin"
    assert run("audit", str(supply), "-g", str(pack), "--format", binary_format, "-o", str(target))[0] == 0
    assert target.read_bytes() == b"PK\x03\x04acme"
    result = invoke("audit", str(supply), "-g", str(pack), "--format", binary_format)  # stdout is not a terminal
    assert result.exit_code == 0 and result.stdout_bytes == b"PK\x03\x04acme"


def test_the_command_line_starts_without_importing_formats_or_the_engine() -> None:
    code = ("import sys, nofakes.cli.main\n"
            "heavy = ('nofakes.reports.terminal', 'nofakes.reports.json_report', 'nofakes.reports.view',\n"
            "         'nofakes.audit.engine', 'nofakes.supply.model', 'rich', 'pydantic', 'networkx', 'yaml')\n"
            "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_every_registered_format_loads_a_formatter() -> None:
    for name, spec in FORMATS.items():
        assert issubclass(spec.load(), Formatter), name


# ---------------------------------------------------------------- the file's guidelines: key


def test_errors_in_the_guidelines_key_are_located(tiny: tuple[Path, Path]) -> None:
    supply, _ = tiny
    supply.write_text(MINIMAL + "guidelines: [ntif@9, ntiff]\n")
    line = MINIMAL.count("\n") + 1
    code, _, err = run("audit", str(supply))
    assert code == 2
    assert (f"{supply}:{line}:14: error: guidelines[0]: guideline pack 'ntif@9': no version of ntif matches 9 "
            "(expected one of: 1.0.0)") in err
    assert f"{supply}:{line}:22: error: guidelines[1]: guideline pack 'ntiff': no such guideline pack" in err
    assert "did you mean 'ntif'?" in err


def test_errors_in_the_guidelines_key_of_a_json_file_are_located(tmp_path: Path) -> None:
    supply = tmp_path / "supply.json"
    supply.write_text('{"nofakes": "1", "company": {"id": "a", "name": "A"}, "nodes": [],\n'
                      ' "guidelines": ["ntif",\n   "ntif@1"]}\n')
    code, _, err = run("audit", str(supply))
    assert code == 2
    assert f"{supply}:2:17: error: guidelines[0]: guideline pack 'ntif': selected more than once" in err


def test_a_broken_pack_named_in_the_file_keeps_its_own_location(tiny: tuple[Path, Path]) -> None:
    supply, pack = tiny
    pack.write_text(PACK.replace("is_true: true", "is_ture: true"))
    supply.write_text(MINIMAL + f"guidelines: [{pack}]\n")
    code, _, err = run("audit", str(supply))
    assert code == 2 and f"{pack}:" in err and "unknown operator 'is_ture'" in err


def test_a_pack_file_named_in_the_supply_file_is_found_next_to_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "chain"
    (folder / "packs").mkdir(parents=True)
    (folder / "packs" / "tiny.yaml").write_text(PACK)
    supply = folder / "supply.yaml"
    supply.write_text(MINIMAL + "guidelines: [packs/tiny.yaml]\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # relative to the supply file, like include:, not to where nofakes runs
    code, out, err = run("audit", str(supply), "--format", "json")
    report = json.loads(out)
    assert code == 0, err  # the tiny pack's one gap is low, under the default --fail-on high
    assert [p["id"] for p in report["run"]["packs"]] == ["tiny@1.0.0"]
    assert [f["rule"] for f in report["findings"]] == ["TNY-CON-001"]
    supply.write_text(MINIMAL + "guidelines: [packs/missing.yaml]\n")
    code, _, err = run("audit", str(supply))
    line = MINIMAL.count("\n") + 1
    assert code == 2 and f"{supply}:{line}:14: error: guidelines[0]: guideline pack" in err and "file not found" in err
