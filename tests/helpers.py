"""Shared paths and helpers for the nofakes test suite (imported by tests: `from helpers import ...`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CORPUS = TESTS / "corpus"
BROKEN = CORPUS / "broken"
VALID = CORPUS / "valid"


class _PlainLoader(yaml.SafeLoader):
    """yaml.safe_load, except that an impossible date (2026-13-01) stays text instead of raising."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_PlainLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlainLoader.construct_yaml_timestamp)


def plain_data(path: Path) -> Any:
    """A YAML or JSON file as JSON-compatible data (dates as ISO strings), independent of nofakes."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)  # noqa: S506 - a SafeLoader
    return _json_compatible(data)


def _json_compatible(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_compatible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
