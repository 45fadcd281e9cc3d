"""Nestings whose cost is not linear are rejected when a pack loads (nofakes.rules.cost)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpers import ROOT, TESTS
from nofakes.authoring.lint import lint
from nofakes.cli.main import cli

QUADRATIC = TESTS / "fixtures" / "sets" / "quadratic.yaml"
SQUARE = "its cost grows with the square of the graph (4,000 partners, 16 million comparisons)"


def test_every_quadratic_nesting_is_a_located_error_with_its_cost_and_the_linear_alternative() -> None:
    report = lint([QUADRATIC])
    found = [(d.line, d.column, d.path, d.message, d.hint) for d in report.diagnostics if d.level == "error"]
    assert [f[:3] for f in found] == [
        (18, 17, "rules[0].check.all_items.where.any[1].count"),
        (30, 33, "rules[1].check.upstream_none.where.downstream_any"),
        (41, 31, "rules[2].check.any_item.where.upstream_any"),
    ]  # rules[3] counts edges without `where` inside all_items over nodes: linear, accepted
    assert found[0][3] == ("rule QUA-SEL-001: count over every partner inside all_items over every partner compares "
                           f"every partner with every partner: {SQUARE}")
    assert found[0][4] is not None and "{unique: {field: FIELD}}" in found[0][4] and "group" in found[0][4]
    assert found[1][3] == ("rule QUA-SEL-002: downstream_any over every partner inside upstream_none over every "
                           f"partner compares every partner with every partner it reaches: {SQUARE}")
    assert found[2][3].startswith("rule QUA-SEL-003: upstream_any over every partner inside any_item over every")
    assert found[2][4] == ("put the graph quantifier at the top of a node rule's check: one traversal serves every "
                           "partner")
    assert report.errors == 3  # and warnings: the pack reads attributes it does not declare


def test_the_audit_refuses_a_quadratic_pack_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(ROOT / "examples" / "electronics" / "supply.yaml"),
                                      "-g", str(QUADRATIC), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "quadratic.yaml:18:17" in result.output and "compares every partner with every partner" in result.output


def test_the_shipped_packs_and_examples_have_no_quadratic_nesting() -> None:
    packs = [*(ROOT / "guidelines").rglob("*.yaml"), *(ROOT / "examples").rglob("[0-9]*.yaml")]
    assert packs
    report = lint(packs)
    assert not [d for d in report.diagnostics if "square of the graph" in d.message]
