"""Fixtures for the nofakes test suite; shared paths and helpers live in `helpers.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import MINIMAL, PACK


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
