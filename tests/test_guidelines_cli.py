"""`nofakes guidelines list` and `show`: every pack found, one pack resolved after extends, one rule in full."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.cli.main import cli

BASE = """\
pack: acme
version: 1.0.0
title: Acme pack
status: released
sources: [{id: src, title: Acme handbook, url: "https://example.org/handbook"}]
parameters:
  window_days: {default: 30, description: Vetting window, minimum: 1, maximum: 365}
sections: [{id: vetting, title: Know your partners}]
rules:
  - id: ACM-VET-001
    title: Partners are vetted
    section: vetting
    severity: high
    target: node
    applies_to: {role: [supplier]}
    check: {field: due_diligence.date, within_days: {param: window_days}}
    message: "{node.name} was not vetted in {param.window_days} days"
    remediation: Vet them.
    references: [{source: src, clause: "4.2"}]
  - id: ACM-VET-002
    title: Old vetting rule
    section: vetting
    severity: low
    target: node
    check: {field: role, exists: true}
    message: "{node.name} fails"
    remediation: Nothing.
"""
NEXT = """\
pack: acme
version: 1.1.0
title: Acme pack
status: draft
extends: acme@1.0.0
rules:
  - id: ACM-VET-002
    title: Old vetting rule
    section: vetting
    severity: low
    target: node
    check: {field: role, exists: true}
    message: "{node.name} fails"
    remediation: Nothing.
    status: deprecated
    replaced_by: ACM-VET-001
"""


@pytest.fixture
def search_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "packs"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "1.0.0.yaml").write_text(BASE, encoding="utf-8")
    (folder / "acme" / "1.1.0.yaml").write_text(NEXT, encoding="utf-8")
    (folder / "broken").mkdir()
    (folder / "broken" / "1.0.0.yaml").write_text("pack: broken\nversion: 1.0.0\n", encoding="utf-8")
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", f"{folder}:{tmp_path / 'nowhere'}")
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_pack_with_status_rules_and_origin(search_path: Path) -> None:
    code, out, err = run("guidelines", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["pack", "version", "status", "rules", "from", "title"]
    (ntif,) = [line for line in lines if line.startswith("ntif ") and " 1.0.0 " in line]
    assert ntif.split()[:5] == ["ntif", "1.0.0", "released", "30", "built-in:"]
    (ntif_next,) = [line for line in lines if line.startswith("ntif ") and " 1.1.0 " in line]
    assert ntif_next.split()[:3] == ["ntif", "1.1.0", "draft"] and "33 (+1 deprecated)" in ntif_next
    (base,) = [line for line in lines if line.startswith("acme ") and " 1.0.0 " in line]
    assert base.split()[:5] == ["acme", "1.0.0", "released", "2", "NOFAKES_GUIDELINES_PATH:"]
    assert str(search_path / "acme" / "1.0.0.yaml") in base and base.endswith("Acme pack")
    (newer,) = [line for line in lines if line.startswith("acme ") and " 1.1.0 " in line]
    assert "draft" in newer and "1 (+1 deprecated)" in newer
    (broken,) = [line for line in lines if line.startswith("broken ")]
    assert " broken " in broken and " 0 " in broken
    assert any(line.startswith("broken@1.0.0: ") and "missing required key 'title'" in line for line in lines)
    assert f"NOFAKES_GUIDELINES_PATH: warning: {search_path.parent / 'nowhere'}: no such folder" in err


def test_show_resolves_extends_and_lists_parameters_and_rules(search_path: Path) -> None:
    code, out, _ = run("guidelines", "show", "acme@1.1")
    assert code == 0
    assert out.startswith("acme@1.1.0: Acme pack\nstatus: draft\n")
    assert f"file: {search_path / 'acme' / '1.1.0.yaml'} extends {search_path / 'acme' / '1.0.0.yaml'}" in out
    assert "  window_days = 30 (min 1, max 365): Vetting window" in out
    assert "Know your partners (vetting, 2 rules):" in out
    assert "    ACM-VET-001  high      node     Partners are vetted\n" in out
    assert "ACM-VET-002  low       node     Old vetting rule [deprecated, replaced by ACM-VET-001]" in out


def test_show_rule_prints_one_rule_in_full(search_path: Path) -> None:
    code, out, _ = run("guidelines", "show", "acme@1.0.0", "--rule", "ACM-VET-001")
    assert code == 0
    assert out.startswith("ACM-VET-001: Partners are vetted\n")
    assert f"  defined at: {search_path / 'acme' / '1.0.0.yaml'}:10:5\n" in out
    assert "  applies_to:\n    role: [supplier]\n" in out
    assert "  check:\n    field: due_diligence.date\n    within_days: {param: window_days}\n" in out
    assert "  message: {node.name} was not vetted in {param.window_days} days\n" in out
    assert "  reference: Acme handbook, 4.2 <https://example.org/handbook>\n" in out


def test_show_errors_exit_2_with_a_suggestion(search_path: Path) -> None:
    code, _, err = run("guidelines", "show", "acme", "--rule", "ACM-VET-01")
    assert code == 2
    assert "no rule 'ACM-VET-01'" in err and "did you mean 'ACM-VET-001'?" in err
    code, _, err = run("guidelines", "show", "acmee")
    assert code == 2 and "no such guideline pack" in err and "did you mean 'acme'?" in err
    code, _, err = run("guidelines", "show", "broken")
    assert code == 2 and "missing required key 'title'" in err and "Traceback" not in err
