"""An outside pack, for real: `examples/plugin-pack/` is built as a wheel, installed with the
nofakes wheel into a throwaway virtual environment, found through the `nofakes.guidelines`
entry point, and its fixtures and an audit run from an unrelated folder. Marked `wheel` (slow);
`test_the_example_pack_is_sound` checks the same pack from the source tree, quickly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, build_wheel, run_clean
from nofakes.authoring.lint import lint

PLUGIN = ROOT / "examples" / "plugin-pack"
PACK = PLUGIN / "src" / "nofakes_toys" / "guidelines" / "toys" / "1.0.0.yaml"
SUPPLY = PLUGIN / "toy-supply.yaml"


def test_the_example_pack_is_sound(runner) -> None:
    from nofakes.cli.main import cli

    assert lint([PACK], strict=True).diagnostics == ()
    done = runner.invoke(cli, ["guidelines", "test", str(PACK)])
    assert done.exit_code == 0, done.output
    assert "3 rules, 3 cases: 3 passed, 0 failed" in done.output


@pytest.fixture(scope="module")
def plugin_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("plugin") / "plugin-pack"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "dist", "build"))
    return build_wheel(source, tmp_path_factory.mktemp("plugin-dist"))


@pytest.mark.wheel
def test_plugin_wheel_ships_the_pack_and_its_entry_point(plugin_wheel: Path) -> None:
    archive = zipfile.ZipFile(plugin_wheel)
    names = set(archive.namelist())
    assert {"nofakes_toys/__init__.py", "nofakes_toys/guidelines/toys/1.0.0.yaml",
            "nofakes_toys/guidelines/toys/fixtures/TOY-SAF-001.yaml"} <= names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "[nofakes.guidelines]\ntoys = nofakes_toys:guidelines" in archive.read(entry_points).decode()


@pytest.mark.wheel
def test_installed_plugin_pack_is_listed_tested_and_audited(wheel: Path, plugin_wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run_clean([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python, nofakes = bindir / "python", bindir / "nofakes"
    run_clean([str(python), "-m", "pip", "install", "--quiet", str(wheel), str(plugin_wheel)], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    supply = shutil.copy(SUPPLY, elsewhere / "toy-supply.yaml")

    listed = run_clean([str(nofakes), "guidelines", "list"], cwd=elsewhere).stdout
    (row,) = [line for line in listed.splitlines() if line.startswith("toys ")]
    assert row.split()[:4] == ["toys", "1.0.0", "released", "3"]
    assert "entry point toys (nofakes-toys)" in row
    assert str(venv.resolve()) in row or str(venv) in row, "the pack is read from the installed package"

    tested = run_clean([str(nofakes), "guidelines", "test", "toys"], cwd=elsewhere).stdout
    assert "3 rules, 3 cases: 3 passed, 0 failed" in tested
    assert [line.split()[:2] for line in tested.splitlines() if line.startswith("ok ")] == [
        ["ok", "TOY-AUD-001"], ["ok", "TOY-CON-001"], ["ok", "TOY-SAF-001"]]

    report = elsewhere / "report.json"
    audited = subprocess.run([str(nofakes), "audit", str(supply), "-g", "toys", "--format", "json", "-o", str(report)],
                             cwd=elsewhere, capture_output=True, text=True)
    assert audited.returncode == 1, audited.stderr  # failing findings at or above the gate
    data = json.loads(report.read_text(encoding="utf-8"))
    failing = sorted((f["rule"], f["subject"]) for f in data["findings"] if f["status"] == "fail")
    assert failing == [("TOY-AUD-001", "plastfab"), ("TOY-CON-001", "kinderladen"), ("TOY-SAF-001", "plastfab")]
    assert {f["pack"] for f in data["findings"]} == {"toys@1.0.0"}
