"""Fixtures for the nofakes test suite; shared paths and helpers live in `helpers.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINIMAL, PACK, ROOT, build_wheel


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    supply = tmp_path / "supply.yaml"
    supply.write_text(MINIMAL)
    pack = tmp_path / "tiny.yaml"
    pack.write_text(PACK)
    return supply, pack


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The nofakes wheel, built once per test session (wheel tests)."""
    return build_wheel(ROOT, tmp_path_factory.mktemp("dist"))
