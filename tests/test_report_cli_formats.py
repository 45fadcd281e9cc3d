"""`nofakes audit --format html|markdown|junit`: chosen from the registry, written to -o or stdout, same verdict."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ROOT, parse_html
from nofakes.cli.main import cli
from nofakes.reports.registry import FORMATS

EXAMPLE = ROOT / "examples" / "electronics" / "supply.yaml"


@pytest.mark.parametrize("fmt", ["html", "markdown", "junit"])
def test_each_format_is_a_text_format_of_the_registry(fmt: str) -> None:
    assert fmt in FORMATS and not FORMATS[fmt].binary
    assert FORMATS[fmt].load().__name__.lower().startswith(fmt)


@pytest.mark.parametrize("fmt", ["html", "markdown", "junit"])
def test_the_report_goes_to_the_file_and_the_exit_code_is_the_verdict(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["audit", str(EXAMPLE), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 1, result.output  # the example has gaps at or above high
    assert f"wrote {fmt} report to {target}" in result.stderr
    text = target.read_text(encoding="utf-8")
    if fmt == "html":
        assert "FAIL" in parse_html(text).iter("header")[0].text()
    elif fmt == "junit":
        assert ET.fromstring(text.encode()).tag == "testsuites"
    else:
        assert text.startswith("# Anti-counterfeiting compliance audit") and "**FAIL**" in text


def test_stdout_gets_the_same_report_as_the_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    runner = CliRunner()
    to_file = runner.invoke(cli, ["audit", str(EXAMPLE), "--format", "markdown", "-o", str(target)])
    to_stdout = runner.invoke(cli, ["audit", str(EXAMPLE), "--format", "markdown", "--fail-on", "none"])
    assert to_file.exit_code == 1 and to_stdout.exit_code == 0
    # only the verdict differs: --fail-on none passes
    assert to_stdout.stdout.split("\n", 3)[3] == target.read_text(encoding="utf-8").split("\n", 3)[3]


@pytest.mark.parametrize("fmt", ["html", "markdown", "junit"])
def test_the_same_run_gives_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for seed, target in (("1", first), ("2", second)):  # two processes with different string hashing
        subprocess.run([sys.executable, "-m", "nofakes", "audit", str(EXAMPLE), "--format", fmt, "-o", str(target)],
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, check=False, timeout=120)
    assert first.read_bytes() == second.read_bytes()  # no timestamps, no hash order: reports diff cleanly


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_no_format_shows_an_unfilled_parameter_in_a_remediation(fmt: str, tmp_path: Path) -> None:
    # the remediation of ntif NTF-AUD-001 ends "keep the audit current within {param.audit_interval_days} days"
    target = tmp_path / f"report.{fmt}"
    CliRunner().invoke(cli, ["audit", str(EXAMPLE), "--format", fmt, "-o", str(target)])
    text = target.read_text(encoding="utf-8-sig")
    assert "within 365 days" in text and "{param." not in text
