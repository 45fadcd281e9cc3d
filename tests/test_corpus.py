"""The broken and valid corpora run through `nofakes validate`.

Every broken file must exit 2 with a located message (`FILE:LINE:`), never a traceback; every
valid file must exit 0 with the one-line summary.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import BROKEN, VALID
from nofakes.cli.main import cli

EXPECTED: dict[str, dict] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+): error: ", re.MULTILINE)

# A few files also run in a real subprocess: the entry point, encodings and exit codes end to end.
SUBPROCESS = ["binary-garbage.yaml", "invalid-utf8.yaml", "alias-bomb.yaml", "misspelt-role.json",
              "include-loop/a.yaml", "multi-error.yaml", "tab-indentation.yaml", "missing-edge-kind.yaml"]


def _location(name: str, spec: dict) -> str:
    where = f"{spec.get('file', name)}:{spec['line']}:"
    if "col" in spec:
        where += f"{spec['col']}:"
    return where


def _check(name: str, spec: dict, code: int, stdout: str, stderr: str) -> None:
    assert code == 2, f"{name}: exit {code}\nstdout: {stdout}\nstderr: {stderr}"
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    assert _location(name, spec) in stderr, f"{name}: no {_location(name, spec)} in\n{stderr}"
    assert spec["contains"] in stderr, f"{name}: no {spec['contains']!r} in\n{stderr}"
    assert "ok:" not in stdout


def test_corpus_is_big_enough_and_every_entry_file_has_an_expectation() -> None:
    assert len(EXPECTED) >= 30
    for name in EXPECTED:
        assert (BROKEN / name).is_file(), name
    top = {p.name for p in BROKEN.iterdir() if p.is_file() and p.name != "expected.yaml"}
    assert top <= set(EXPECTED), f"corpus files without an expectation: {sorted(top - set(EXPECTED))}"
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    entries = {name.split("/")[0] for name in EXPECTED if "/" in name}
    assert folders == entries, f"folders without an entry file in expected.yaml: {sorted(folders - entries)}"
    for name, spec in EXPECTED.items():
        assert set(spec) <= {"line", "col", "contains", "file", "lines", "schema"}, name
        assert isinstance(spec["line"], int) and spec["contains"], name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_reported_with_its_location(name: str, runner, monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    result = runner.invoke(cli, ["validate", name])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    _check(name, EXPECTED[name], result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("name", SUBPROCESS)
def test_broken_file_in_a_subprocess(name: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", "nofakes", "validate", name], cwd=BROKEN, env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60)
    _check(name, EXPECTED[name], done.returncode, done.stdout, done.stderr)


def test_every_error_of_a_file_is_reported(runner, monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    result = runner.invoke(cli, ["validate", "multi-error.yaml"])
    assert result.exit_code == 2
    lines = [int(m["line"]) for m in LOCATED.finditer(result.stderr) if m["file"] == "multi-error.yaml"]
    assert lines == EXPECTED["multi-error.yaml"]["lines"], result.stderr
    for fragment in ("found 'suplier'", "did you mean 'GB'?", "edges[0].share", "unknown node 'nowhere'"):
        assert fragment in result.stderr
    assert "multi-error.yaml: 4 errors" in result.stderr


def test_several_files_in_one_run_report_each(runner, monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    result = runner.invoke(cli, ["validate", "misspelt-role.yaml", str(VALID / "minimal.yaml"), "self-loop.yaml"])
    assert result.exit_code == 2
    assert "misspelt-role.yaml:6:11:" in result.stderr
    assert "self-loop.yaml:8:9:" in result.stderr
    assert "minimal.yaml: ok:" in result.stdout


def test_missing_input_file(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_directory_as_input(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_device_or_fifo_is_refused_instead_of_read_forever(runner, tmp_path: Path) -> None:
    fifo = tmp_path / "supply.yaml"
    os.mkfifo(fifo)  # reading it would block until a writer appears
    for target in (fifo, Path("/dev/zero")):  # /dev/zero would fill the memory
        if not target.exists():
            continue
        result = runner.invoke(cli, ["validate", str(target)])
        assert result.exit_code == 2 and "not a regular file" in result.stderr
    result = runner.invoke(cli, ["audit", str(VALID / "minimal.yaml"), "-g", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.stderr


# ---------------------------------------------------------------- valid corpus

VALID_FILES = {
    "minimal.yaml": "0 partners; 0 edges; 0 products; tiers: 0 upstream, 0 downstream",
    "full.yaml": "6 partners (1 brand_owner, 1 contract_manufacturer, 1 distributor, 1 retailer, 1 supplier, "
                 "1 test_lab); 5 edges; 2 products; tiers: 2 upstream, 2 downstream, 1 unconnected to the company",
    "full.json": "6 partners (1 brand_owner, 1 contract_manufacturer, 1 distributor, 1 retailer, 1 supplier, "
                 "1 test_lab); 5 edges; 2 products; tiers: 2 upstream, 2 downstream, 1 unconnected to the company",
    "anchors.yaml": "4 partners (3 supplier, 1 brand_owner); 3 edges; 1 product; tiers: 1 upstream, 0 downstream",
    "cycles-and-returns.yaml": "5 partners (2 distributor, 1 brand_owner, 1 recycler, 1 retailer); 5 edges; "
                               "0 products; tiers: 0 upstream, 3 downstream, 1 unconnected to the company",
    "with-include/main.yaml": "4 partners (2 supplier, 1 brand_owner, 1 contract_manufacturer); 3 edges; "
                              "1 product; tiers: 3 upstream, 0 downstream",
    # a waiver that can match nothing is a warning, not an error (README: Scores)
    "waiver-unknown-target.yaml": "2 partners (1 brand_owner, 1 supplier); 0 edges; 0 products; tiers: 0 upstream, "
                                  "0 downstream, 1 unconnected to the company",
    "waiver-unknown-edge.yaml": "2 partners (1 brand_owner, 1 supplier); 1 edge; 0 products; tiers: 1 upstream, "
                                "0 downstream",
}
VALID_WARNINGS = {
    "waiver-unknown-target.yaml": "waiver-unknown-target.yaml:8:13: warning: waivers[0].target: waiver names unknown "
                                  "target 'shenzhen-pcb', so it waives nothing (expected a node id, 'from->to' edge, "
                                  "product id, the company id or '*')\n",
    "waiver-unknown-edge.yaml": "waiver-unknown-edge.yaml:10:13: warning: waivers[0].target: waiver names unknown edge "
                                "'acme->pcb', so it waives nothing (expected 'from->to' of an existing edge); "
                                "did you mean 'pcb->acme'? (goods flow that way)\n",
}


def test_every_valid_entry_file_is_listed() -> None:
    entries = {p.name for p in VALID.glob("*.*")} | {f"{p.parent.name}/main.yaml" for p in VALID.glob("*/main.yaml")}
    assert entries == set(VALID_FILES)


@pytest.mark.parametrize("name", sorted(VALID_FILES))
def test_valid_file_prints_the_summary(name: str, runner, monkeypatch) -> None:
    monkeypatch.chdir(VALID)
    result = runner.invoke(cli, ["validate", name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{name}: ok: {VALID_FILES[name]}\n"
    assert result.stderr == VALID_WARNINGS.get(name, "")


def test_valid_files_together(runner) -> None:
    files = [str(VALID / name) for name in sorted(VALID_FILES)]
    result = runner.invoke(cli, ["validate", *files])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(": ok: ") == len(files)
    for line in result.stdout.splitlines():
        assert re.search(r"\d+ partners?.*; \d+ edges?; \d+ products?; tiers: \d+ upstream, \d+ downstream", line)


def test_valid_file_in_a_subprocess() -> None:
    done = subprocess.run([sys.executable, "-m", "nofakes", "validate", "with-include/main.yaml"], cwd=VALID,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("with-include/main.yaml: ok: 4 partners")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_diagnostic_is_located_and_says_what_was_expected(name: str, monkeypatch) -> None:
    from nofakes.core.errors import InputError
    from nofakes.supply.loading import load_supply

    monkeypatch.chdir(BROKEN)
    with pytest.raises(InputError) as caught:
        load_supply(name)
    for diagnostic in caught.value.diagnostics:
        assert diagnostic.line is not None and diagnostic.column is not None, diagnostic.format()
        assert diagnostic.expected or diagnostic.hint or " is not " in diagnostic.message, diagnostic.format()
        assert "Traceback" not in diagnostic.message and "pydantic" not in diagnostic.message
        assert "datetime.date(" not in diagnostic.message and "<class" not in diagnostic.message
