"""Fixtures for the nofakes test suite; shared paths and helpers live in `helpers.py`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
