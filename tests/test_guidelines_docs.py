"""`nofakes guidelines docs`: the Markdown reference of a pack, and the committed references kept current."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.authoring.docs import docs_markdown
from nofakes.cli.main import cli
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import available, resolve_pack
from nofakes.packs.model import PackStatus

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "guidelines"
PACK = """\
pack: elx
version: 1.0.0
title: Electronics
status: draft
sources: [{id: hb, title: Handbook, url: "https://example.org/hb"}]
parameters:
  window_days: {default: 30, description: "Vetting window | days", minimum: 1, maximum: 365}
sections: [{id: vetting, title: Vetting, description: Know who you buy from.}]
rules:
  - id: ELX-SRC-001
    title: Brokers are vetted
    section: vetting
    severity: high
    target: node
    applies_to: {role: [broker], where: {field: country, equals: CN}}
    check: {field: due_diligence.date, within_days: {param: window_days}}
    message: "{node.name} was not vetted"
    rationale: Brokers are where counterfeits enter.
    remediation: Vet them.
    effort: low
    references: [{source: hb, clause: "4.2"}]
  - id: ELX-SRC-002
    title: Old rule
    section: vetting
    severity: low
    target: node
    check: {field: role, exists: true}
    message: "{node.name} fails"
    remediation: Nothing.
    status: deprecated
    replaced_by: ELX-SRC-001
"""


def built_in() -> list[tuple[str, str]]:
    root = ROOT / "guidelines"
    return [(name, version) for name, versions in sorted(available().items())
            for version, path in sorted(versions.items()) if path.is_relative_to(root)]


@pytest.mark.parametrize(("name", "version"), built_in())
def test_the_committed_reference_of_each_built_in_pack_is_current(name: str, version: str) -> None:
    committed = DOCS / name / f"{version}.md"
    assert committed.is_file(), f"run: nofakes guidelines docs {name}@{version} -o {committed.relative_to(ROOT)}"
    assert committed.read_text(encoding="utf-8") == docs_markdown(resolve_pack(f"{name}@{version}")), (
        f"out of date: run nofakes guidelines docs {name}@{version} -o {committed.relative_to(ROOT)}")


def test_the_reference_has_parameters_sections_and_every_rule_in_words(tmp_path: Path) -> None:
    path = tmp_path / "elx.yaml"
    path.write_text(PACK, encoding="utf-8")
    pack = resolve_pack(str(path))
    assert pack.status is PackStatus.draft
    text = docs_markdown(pack)
    assert text.startswith("# elx 1.0.0: Electronics\n\nStatus: draft. 1 rule and 1 deprecated.\n")
    assert "| `window_days` | `30` | 1 to 365 | Vetting window \\| days |" in text
    assert "## Vetting\n\nKnow who you buy from.\n\n### ELX-SRC-001: Brokers are vetted\n" in text
    assert ("- **Applies to:** each partner with role broker, where the country is CN\n"
            "- **Checks that:** the due-diligence check date is within the last 30 days\n") in text
    assert "- **Severity:** high; **effort to fix:** low\n" in text
    assert "- **Why:** Brokers are where counterfeits enter.\n- **What to do:** Vet them.\n" in text
    assert "- **Parameters:** `window_days` (30)\n- **Source:** [Handbook](https://example.org/hb), 4.2\n" in text
    assert "### ELX-SRC-002: Old rule (deprecated: replaced by ELX-SRC-001)\n" in text
    assert str(tmp_path) not in text  # no path: the reference depends on the pack alone


def test_a_path_rule_says_where_paths_start_and_what_they_must_avoid() -> None:
    text = (DOCS / "ntif" / "1.0.0.md").read_text(encoding="utf-8")
    section = text[text.index("### NTF-CHN-001"):text.index("### NTF-CHN-002")]
    assert "- **Applies to:** each partner at the end of a goods path with role retailer, seller or customer\n" \
        in section
    assert "  - paths start at partners with role brand owner, manufacturer, contract manufacturer or licensee" \
        in section
    assert "  - forbidden partners: those where the role is distributor, broker or wholesaler" in section


def test_docs_command_writes_a_file_and_refuses_broken_packs(tmp_path: Path) -> None:
    path = tmp_path / "elx.yaml"
    path.write_text(PACK, encoding="utf-8")
    out = tmp_path / "elx.md"
    result = CliRunner().invoke(cli, ["guidelines", "docs", str(path), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == docs_markdown(resolve_pack(str(path)))
    result = CliRunner().invoke(cli, ["guidelines", "docs", str(path), "-o", str(path)])
    assert result.exit_code == 2 and "refusing to overwrite an input file" in result.stderr
    path.write_text(PACK.replace("field: country, equals", "field: contry, equals"), encoding="utf-8")
    with pytest.raises(PackError):
        docs_markdown(resolve_pack(str(path)))
    result = CliRunner().invoke(cli, ["guidelines", "docs", str(path)])
    assert result.exit_code == 2 and "unknown field 'contry' on a node" in result.stderr


def test_product_scope_limits_and_order_are_described_in_words() -> None:
    text = (DOCS / "ntif" / "1.1.0.md").read_text(encoding="utf-8")

    def section(rule_id: str) -> str:
        start = text.index(f"### {rule_id}")
        return text[start:text.index("\n### ", start + 1)]

    product = ("  - each product where the critical is recorded as yes is followed on its own, along the links that "
               "carry it, to the partners that handle it\n")
    assert product in section("NTF-CHN-003") and product in section("NTF-CHN-004")
    assert "  - a path is forbidden when it passes more than 0 partners where the role is broker\n" \
        in section("NTF-CHN-004")
    assert ("  - a path is forbidden when a link where the kind is returns is later followed by a link where the kind "
            "is sells, distributes or supplies with no partner in between where the returns verification is "
            "recorded as yes\n") in section("NTF-CHN-005")
    edge_rule = docs_markdown(resolve_pack(str(ROOT / "tests" / "fixtures" / "paths" / "pack.yaml")))
    assert ("- **Applies to:** each goods or listing link between two partners, where it carries a product where the "
            "critical is recorded as yes\n") in edge_rule
    assert "a path is forbidden when it passes more than 1 link where the shipment's free-trade-zone transit" \
        in edge_rule
