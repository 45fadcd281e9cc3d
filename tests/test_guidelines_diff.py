"""`nofakes guidelines diff`: release notes between two versions of a pack, as text and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.cli.main import cli
from nofakes.packs.catalogue import resolve_pack
from nofakes.packs.diff import diff_markdown, diff_packs

BASE = """\
pack: elx
version: 1.0.0
title: Electronics
status: released
parameters:
  window_days: {default: 30, description: Window, minimum: 1}
  old_count: {default: 2, description: Old}
sections: [{id: vetting, title: Vetting}, {id: gone, title: Gone}]
rules:
  - id: ELX-SRC-001
    title: Brokers are vetted
    section: vetting
    severity: high
    target: node
    applies_to: {role: [broker]}
    check: {field: due_diligence.date, within_days: {param: window_days}}
    message: "{node.name} was not vetted"
    remediation: Vet them.
  - id: ELX-SRC-002
    title: Partners have a role
    section: vetting
    severity: low
    target: node
    check: {field: audits, length_gte: {param: old_count}}
    message: "{node.name} fails"
    remediation: Nothing.
  - id: ELX-GON-001
    title: Going away
    section: gone
    severity: info
    target: node
    check: {field: role, exists: true}
    message: "{node.name} fails"
    remediation: Nothing.
"""
NEXT = """\
pack: elx
version: 1.1.0
title: Electronics
status: draft
extends: elx@1.0.0
remove: [ELX-GON-001]
parameters:
  window_days: {default: 60, description: Window, minimum: 7}
  new_days: {default: 5, description: New | days}
sections: [{id: extra, title: Extra}]
rules:
  - id: ELX-SRC-001
    title: Brokers are vetted
    section: vetting
    severity: critical
    target: node
    applies_to: {role: [broker, distributor]}
    check: {field: due_diligence.date, within_days: {param: new_days}}
    message: "{node.name} was not vetted"
    remediation: Vet them.
  - id: ELX-SRC-002
    title: Partners have a role
    section: vetting
    severity: low
    target: node
    check: {field: audits, length_gte: {param: old_count}}
    message: "{node.name} fails"
    remediation: Nothing.
    status: deprecated
    replaced_by: ELX-EXT-001
  - id: ELX-EXT-001
    title: A new rule
    section: extra
    severity: medium
    target: edge
    check: {field: documents.certificate_of_conformance, is_true: true}
    message: "{from.name} ships without a certificate"
    remediation: Ask for one.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "elx").mkdir()
    (tmp_path / "elx" / "1.0.0.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "elx" / "1.1.0.yaml").write_text(NEXT, encoding="utf-8")
    return tmp_path / "elx"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["guidelines", "diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_terminal_diff_lists_every_kind_of_change(folder: Path) -> None:
    code, out, _ = run(str(folder / "1.0.0.yaml"), str(folder / "1.1.0.yaml"))
    assert code == 0
    assert out == """\
elx@1.0.0 -> elx@1.1.0

Rules added (1):
  + ELX-EXT-001 (medium, edge): A new rule

Rules removed (1):
  - ELX-GON-001 (info, node): Going away

Rules deprecated (1):
  ~ ELX-SRC-002 (low, node): Partners have a role (replaced by ELX-EXT-001)

Rules changed (1):
  * ELX-SRC-001 (critical, node): Brokers are vetted
      severity:
        was: high
        now: critical
      applies_to:
        was: {"role": ["broker"]}
        now: {"role": ["broker", "distributor"]}
      check:
        was: {"field": "due_diligence.date", "within_days": {"param": "window_days"}}
        now: {"field": "due_diligence.date", "within_days": {"param": "new_days"}}

Parameters changed (2):
  new_days: added, default 5
  window_days
      default: 30 -> 60
      minimum: 1 -> 7

Sections added (1):
  + Extra (extra)
"""


def test_the_markdown_diff_is_release_notes(folder: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    code, out, _ = run(str(folder / "1.0.0.yaml"), str(folder / "1.1.0.yaml"), "--format", "markdown",
                       "-o", str(notes))
    assert (code, out) == (0, "")
    text = notes.read_text(encoding="utf-8")
    assert text.startswith("# Changes from elx@1.0.0 to elx@1.1.0\n\n## Rules added\n\n"
                           "- **ELX-EXT-001** (medium, edge): A new rule\n")
    assert "## Rules deprecated\n\n- **ELX-SRC-002** (low, node): Partners have a role (replaced by ELX-EXT-001)\n" \
        in text
    assert "| severity | `high` | `critical` |\n" in text
    assert "- `window_days`: default: 30 -> 60; minimum: 1 -> 7\n" in text
    assert text == diff_markdown(diff_packs(resolve_pack(str(folder / "1.0.0.yaml")),
                                            resolve_pack(str(folder / "1.1.0.yaml"))))


def test_by_name_no_changes_and_errors(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", str(folder.parent))
    code, out, _ = run("elx@1.0.0", "elx@1.0.0")
    assert (code, out) == (0, "elx@1.0.0 -> elx@1.0.0\nno changes\n")
    code, out, _ = run("elx@1.0.0", "elx@1.1.0", "--format", "markdown")
    assert code == 0
    assert '| applies_to | `{"role": ["broker"]}` | `{"role": ["broker", "distributor"]}` |' in out
    code, _, err = run("elx@1.0.0", "elx@2")
    assert code == 2 and "no version of elx matches 2" in err
