"""Shared paths and helpers for the nofakes test suite (imported by tests: `from helpers import ...`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from nofakes.cli.main import cli

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


# a tiny supply chain and pack for command-line tests (the `tiny` fixture writes them to files)
MINIMAL = """\
nofakes: "1"
company: {id: acme, name: Acme}
as_of: 2026-11-01
nodes:
  - id: acme
    name: Acme
    role: brand_owner
  - id: cm
    name: Good Factory
    role: contract_manufacturer
    audits: [{date: 2026-06-01, kind: onsite, result: pass, open_findings: 0}]
edges:
  - {from: cm, to: acme, kind: supplies}
"""
PACK = """\
pack: tiny
version: 1.0.0
title: Tiny
status: released
sections: [{id: s, title: S}]
parameters:
  audit_interval_days: {default: 365, description: max audit age}
rules:
  - id: TNY-AUD-001
    title: Factories audited
    section: s
    severity: high
    target: node
    applies_to: {role: [contract_manufacturer]}
    check: {any_item: {field: audits, where: {field: date, within_days: {param: audit_interval_days}}}}
    message: "{node.name} not audited in {param.audit_interval_days} days"
    remediation: Audit.
  - id: TNY-CON-001
    title: Clause
    section: s
    severity: low
    target: node
    applies_to: {role: [contract_manufacturer]}
    check: {field: contract.anti_counterfeit_clause, is_true: true}
    message: "{node.name} has no clause"
    remediation: Add it.
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
