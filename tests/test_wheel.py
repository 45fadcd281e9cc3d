"""The wheel: builds, ships guidelines/ and schemas/ as package data, and works from anywhere.

Builds with `python -m build --wheel` (without isolation when hatchling is installed),
installs into a fresh virtual environment (dependencies come from the package index) and
runs the installed `nofakes` from an unrelated working directory. Marked `wheel` (slow): skip
locally with `pytest -m "not wheel"`; the default run, and CI, include it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, VALID
from helpers import run_clean as _run

pytestmark = pytest.mark.wheel


def test_wheel_ships_guidelines_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nofakes/_data/schemas/supply-chain.schema.json" in names
    assert "nofakes/cli/main.py" in names and "nofakes/__main__.py" in names
    assert {"nofakes/reports/assets/report.css", "nofakes/reports/assets/report.js"} <= names  # the HTML report's
    for folder in ("guidelines", "schemas"):
        source = {p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts}
        shipped = {n.removeprefix(f"nofakes/_data/{folder}/") for n in names
                   if n.startswith(f"nofakes/_data/{folder}/")}
        assert shipped == source, f"{folder}/ and nofakes/_data/{folder}/ in the wheel differ"
    if any((ROOT / "guidelines").rglob("*.yaml")):
        assert any(n.startswith("nofakes/_data/guidelines/") and n.endswith(".yaml") for n in names)
    assert not any(n.startswith(("tests/", "examples/", "benchmarks/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "nofakes = nofakes.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_works_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python, nofakes = bindir / "python", bindir / "nofakes"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    done = _run([str(nofakes), "validate", str(VALID / "full.yaml"), str(VALID / "with-include" / "main.yaml")],
                cwd=elsewhere)
    assert done.stdout.count(": ok: ") == 2 and "6 partners" in done.stdout

    done = _run([str(nofakes), "schema", "supply"], cwd=elsewhere)
    assert done.stdout == (ROOT / "schemas" / "supply-chain.schema.json").read_text(encoding="utf-8")

    done = _run([str(python), "-c", "import nofakes, nofakes.core.resources as r; print(nofakes.__file__); "
                 "print(r.data_dir('schemas')); print(r.data_dir('guidelines'))"], cwd=elsewhere)
    module, schemas_dir, guidelines_dir = done.stdout.splitlines()
    assert Path(module).resolve().is_relative_to(venv.resolve()), "imported the source tree, not the wheel"
    assert Path(schemas_dir).resolve() == Path(module).resolve().parent / "_data" / "schemas"
    if any(p.is_file() for p in (ROOT / "guidelines").rglob("*")):
        assert Path(guidelines_dir).resolve() == Path(module).resolve().parent / "_data" / "guidelines"

    page = elsewhere / "report.html"
    audited = subprocess.run([str(nofakes), "audit", str(ROOT / "examples" / "electronics" / "supply.yaml"),
                              "--format", "html", "-o", str(page)], cwd=elsewhere, capture_output=True, text=True)
    assert audited.returncode == 1 and "<style>" in page.read_text(encoding="utf-8"), audited.stderr

    ranked = _run([str(nofakes), "risk", str(ROOT / "examples" / "pharma" / "supply.yaml"), "--top", "2"],
                  cwd=elsewhere)  # the risk profile ships inside the wheel
    assert "ipr-seizures@1.1.0" in ranked.stdout and " 2. " in ranked.stdout

    broken = subprocess.run([str(nofakes), "validate", "nope.yaml"], cwd=elsewhere, capture_output=True, text=True)
    assert broken.returncode == 2 and "file not found" in broken.stderr and "Traceback" not in broken.stderr
