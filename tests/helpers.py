"""Shared paths and helpers for the nofakes test suite (imported by tests: `from helpers import ...`)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
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


class Element:
    """A parsed HTML element (see `parse_html`)."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.content: list[str | Element] = []  # text and child elements, in document order

    def iter(self, tag: str | None = None) -> list[Element]:
        out = [self] if tag is None or self.tag == tag else []
        for child in self.children:
            out += child.iter(tag)
        return out

    def text(self) -> str:
        """The text inside, in document order; a block (div, p, li) or a line break also separates words."""
        parts = []
        for item in self.content:
            if isinstance(item, str):
                parts.append(item)
            else:
                parts.append((" " if item.tag in ("div", "p", "li", "br") else "") + item.text())
        return "".join(parts)

    def by_id(self, element_id: str) -> Element:
        found = [e for e in self.iter() if e.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]


def parse_html(text: str) -> Element:
    """A strict enough HTML tree for the report tests: every element closed in order (void elements excepted)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "input", "img", "link", "hr", "wbr"}
    root = Element("#document", {}, None)

    class Builder(HTMLParser):
        current = root

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            element = Element(tag, dict(attrs), self.current)
            self.current.children.append(element)
            self.current.content.append(element)
            if tag not in void:
                self.current = element

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            element = Element(tag, dict(attrs), self.current)
            self.current.children.append(element)
            self.current.content.append(element)

        def handle_endtag(self, tag: str) -> None:
            assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
            assert self.current.parent is not None
            self.current = self.current.parent

        def handle_data(self, data: str) -> None:
            self.current.content.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(text)
    builder.close()
    assert builder.current is root, f"<{builder.current.tag}> is not closed"
    return root


def run_clean(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run a command outside this test environment (no PYTHONPATH or active venv); it must succeed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def build_wheel(project: Path, out: Path) -> Path:
    """Build the wheel of the project at `project` into `out` (without an isolated build environment
    when hatchling is at hand: fast and offline; else `build` fetches it)."""
    isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    run_clean([sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(out), str(project)], cwd=out)
    (built,) = out.glob("*.whl")
    return built
