"""Product-scoped rules (`carries`, `handles`, `applies_to.product`, `path.products`) and counting
and order along paths (`path.limit`, `path.after`): fixture cases of a test pack, load errors,
waivers and baselines on (end, product) subjects."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import run
from nofakes.authoring.fixtures import Case, load_cases, meta_problems, run_case
from nofakes.authoring.lint import lint
from nofakes.packs.catalogue import ResolvedPack, resolve_pack
from nofakes.packs.parameters import day_parameters

FOLDER = Path(__file__).resolve().parent / "fixtures" / "paths"


@pytest.fixture(scope="module")
def pack() -> ResolvedPack:
    return resolve_pack(str(FOLDER / "pack.yaml"))


def _cases() -> list[Any]:
    return [pytest.param(case, id=f"{case.rule}: {case.name}") for case in load_cases(FOLDER / "rules")]


@pytest.mark.parametrize("case", _cases())
def test_fixture_case(case: Case, pack: ResolvedPack, tmp_path: Path) -> None:
    result = run_case(pack, case, tmp_path)
    assert result.passed, "\n".join(result.problems)


def test_every_rule_has_a_passing_and_a_failing_case(pack: ResolvedPack) -> None:
    assert meta_problems(pack, load_cases(FOLDER / "rules")) == []


# ---------------------------------------------------------------- waivers and baselines name END@PRODUCT

SUPPLY = yaml.safe_load((FOLDER / "rules" / "PP-PTH-001.yaml").read_text(encoding="utf-8"))["cases"][0]["supply"]


def _audit(tmp_path: Path, supply: dict[str, Any], name: str, *args: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({**supply, "as_of": dt.date(2026, 11, 1)}), encoding="utf-8")
    code, out, err = run("audit", str(path), "-g", str(FOLDER / "pack.yaml"), "--format", "json",
                         "--fail-on", "none", *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def _of(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == "PP-PTH-001"]


def test_a_waiver_names_the_end_and_the_product(tmp_path: Path) -> None:
    waiver = {"rule": "PP-PTH-001", "target": "r@psu", "reason": "PSU-9 re-documented in December",
              "approved_by": "J. Doe", "expires": dt.date(2027, 1, 31)}
    report = _audit(tmp_path, {**SUPPLY, "waivers": [waiver]}, "supply.yaml")
    status = {f["subject"]: f["status"] for f in _of(report["findings"])}
    assert status == {"r@psu": "waived", "c2@psu": "fail"}
    (waived,) = [f for f in _of(report["findings"]) if f["status"] == "waived"]
    assert waived["partner"] == "r" and waived["subject_name"] == "Shop (PSU-9)"


def test_a_baseline_matches_end_and_product(tmp_path: Path) -> None:
    old = _audit(tmp_path, SUPPLY, "old.yaml")
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    fixed = json.loads(json.dumps(SUPPLY))
    for edge in fixed["edges"]:
        if edge["kind"] == "sells" and edge["from"] == "m":
            edge["documents"] = {"certificate_of_conformance": True}
    fixed["nodes"].append({"id": "c3", "name": "Ward", "role": "customer", "products": ["mcu"]})
    new = _audit(tmp_path, fixed, "new.yaml", "--baseline", str(tmp_path / "old.json"))
    assert {f["subject"]: f["change"] for f in _of(new["findings"])} == {"c2@psu": "unchanged", "c3@mcu": "new"}
    assert [f["subject"] for f in _of(new["baseline"]["fixed"])] == ["r@psu"]


# ---------------------------------------------------------------- load errors, located, all in one run

HEAD = """\
pack: elx
version: 1.0.0
title: Electronics
sections: [{id: s, title: S}]
rules:
"""


def _rule(rule_id: str, target: str, body: str, message: str = "{node.name} fails") -> str:
    return (f"  - id: {rule_id}\n    title: T\n    section: s\n    severity: high\n    target: {target}\n"
            f"{body}    message: \"{message}\"\n    remediation: R.\n")


PATH = "    path:\n      start: {role: [manufacturer]}\n      end: {role: [customer]}\n"


def test_mistakes_in_the_new_constructs_are_located_errors(tmp_path: Path) -> None:
    text = HEAD + "".join([
        _rule("ELX-PTH-001", "path", PATH + "      mode: some_good_path\n"
                                            "      limit: {nodes: {field: role, equals: broker}, at_most: 1}\n"),
        _rule("ELX-PTH-002", "path", PATH + "      limit: {nodes: {field: role, equals: broker},"
                                            " edges: {field: kind, equals: sells}, at_most: 1}\n"),
        _rule("ELX-PTH-003", "path", PATH + "      products: {field: critcal, is_true: true}\n"),
        _rule("ELX-PTH-004", "path", PATH, message="{product.name} fails"),
        _rule("ELX-PRD-001", "product", "    applies_to: {product: {field: critical, is_true: true}}\n"
                                        "    check: {field: critical, is_true: true}\n", message="{product.name}"),
        _rule("ELX-PTH-005", "path", PATH + "      mode: some_good_path\n      after: {edge: {field: kind, equals: "
                                            "returns}, then_edge: {field: kind, equals: sells}, require_between: "
                                            "{field: programs.returns_verification, is_true: true}}\n"),
    ])
    path = tmp_path / "elx" / "1.0.0.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    found = [d.format().replace(str(tmp_path) + "/", "") for d in lint([path]).diagnostics]
    expected = [
        ("rules[0].path.limit: rule ELX-PTH-001: 'limit' in a some_good_path rule", "expected mode: no_bad_path"),
        ("rules[1].path.limit: rule ELX-PTH-002: a limit needs exactly one of 'nodes' and 'edges'", ""),
        ("rules[2].path.products.field: rule ELX-PTH-003: unknown field 'critcal' on a product", "'critical'"),
        ("rules[3].message: rule ELX-PTH-004: unknown placeholder {product.name}", "node, start"),
        ("rules[4].applies_to.product: rule ELX-PRD-001: applies_to.product in a product rule", ""),
        ("rules[5].path.after: rule ELX-PTH-005: 'after' in a some_good_path rule", ""),
    ]
    assert len(found) == len(expected), found
    for line, (start, more) in zip(found, expected, strict=True):
        assert line.startswith("elx/1.0.0.yaml:") and start in line and more in line, line


def test_a_limit_is_bounded_when_the_pack_loads(tmp_path: Path) -> None:
    path = tmp_path / "elx" / "1.0.0.yaml"
    path.parent.mkdir()
    path.write_text(HEAD + _rule("ELX-PTH-001", "path", PATH + "      limit: {nodes: {field: role, equals: broker}, "
                                                              "at_most: 21}\n"), encoding="utf-8")
    (line,) = [d.format() for d in lint([path]).diagnostics]
    assert "rules[0].path.limit.at_most" in line and "20" in line


def test_parameters_used_inside_the_new_constructs_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "elx" / "1.0.0.yaml"
    path.parent.mkdir()
    head = HEAD.replace("rules:\n", "parameters:\n  window: {default: 30, description: Window}\n"
                                    "  brokers: {default: 1, description: Brokers}\nrules:\n")
    after = ("      after: {edge: {field: kind, equals: returns}, then_edge: {field: kind, equals: sells}, "
             "require_between: {field: programs.training_last, within_days: {param: window}}}\n"
             "      limit: {nodes: {field: role, equals: broker}, at_most: {param: brokers}}\n")
    path.write_text(head + _rule("ELX-PTH-001", "path", PATH + after), encoding="utf-8")
    assert lint([path]).diagnostics == ()  # both parameters count as used
    pack = resolve_pack(str(path))
    assert day_parameters(pack) == {"window"}
