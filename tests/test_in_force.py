"""Effective and sunset dates on a rule (README: Rule language, In force): outside them every
subject is not applicable, and the reports, `guidelines show`, `docs` and `diff` say why in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rulekit import audit, failing, node, pack_text

from nofakes.authoring.docs import docs_markdown
from nofakes.cli.main import cli
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import load_pack_file, resolve_file
from nofakes.packs.diff import diff_lines, diff_packs
from nofakes.packs.listing import rule_lines, show_lines
from nofakes.reports.base import RenderOptions
from nofakes.reports.html_report import HtmlFormatter
from nofakes.reports.json_report import JsonFormatter
from nofakes.reports.view import build_view

# DSCSA: transaction history (TH) was required with each change of ownership until 2023-11-27
HISTORY = {"id": "KIT-DSC-001", "title": "Transaction history with each sale", "target": "edge",
           "applies_to": {"kind": ["sells"]}, "sunset": "2023-11-27",
           "check": {"field": "documents.transaction_history", "is_true": True}}
SUPPLY = {"nodes": [node("wholesaler", "wholesaler"), node("pharmacy", "retailer")],
          "edges": [{"from": "wholesaler", "to": "pharmacy", "kind": "sells"}]}


def test_before_the_sunset_the_rule_applies(tmp_path: Path) -> None:
    result = audit(tmp_path, [HISTORY], {**SUPPLY, "as_of": "2023-06-01"})
    assert failing(result) == {"wholesaler->pharmacy": "no evidence of the transaction history"}
    assert result.rules[0].not_in_force is None


def test_from_the_sunset_on_every_subject_is_not_applicable_and_the_reports_say_why(tmp_path: Path) -> None:
    result = audit(tmp_path, [HISTORY], {**SUPPLY, "as_of": "2026-12-02"})
    (scored,) = result.rules
    reason = "not in force on 2 December 2026: no longer required from 27 November 2023"
    assert failing(result) == {} and scored.not_in_force == reason
    assert (scored.counts.passed, scored.counts.failed, scored.counts.not_applicable) == (0, 0, 1)
    assert (result.coverage.rules_selected, result.coverage.rules_scored) == (1, 0)  # selected, not scored
    (note,) = [w for w in result.warnings if w.level == "note"]
    assert note.message == (f"rule KIT-DSC-001 (Transaction history with each sale) is {reason}; "
                            "its 1 subject(s) are not applicable")
    assert note.path == "rules[0].sunset" and note.line is not None
    view = build_view(result, RenderOptions())
    report = json.loads(JsonFormatter().render(view))
    assert report["rules"][0]["not_in_force"] == reason and any(reason in w for w in report["warnings"])
    html = HtmlFormatter().render(view)
    assert f'<div class="why"><strong>{reason}</strong></div>'.encode() in html  # in the rule catalogue


def test_on_the_sunset_day_itself_the_rule_no_longer_applies(tmp_path: Path) -> None:
    assert audit(tmp_path, [HISTORY], {**SUPPLY, "as_of": "2023-11-27"}).rules[0].not_in_force is not None
    assert audit(tmp_path, [HISTORY], {**SUPPLY, "as_of": "2023-11-26"}).rules[0].not_in_force is None


def test_before_its_effective_date_a_rule_does_not_apply(tmp_path: Path) -> None:
    rule = {**HISTORY, "sunset": None, "effective": "2027-01-01"}
    del rule["sunset"]
    later = audit(tmp_path, [rule], {**SUPPLY, "as_of": "2027-01-01"})
    assert list(failing(later)) == ["wholesaler->pharmacy"]
    now = audit(tmp_path, [rule], {**SUPPLY, "as_of": "2026-12-02"})
    assert now.rules[0].not_in_force == "not in force on 2 December 2026: required from 1 January 2027"
    (note,) = [w for w in now.warnings if w.level == "note"]
    assert note.path == "rules[0].effective"


@pytest.mark.parametrize("sunset", ["2023-11-27", "2023-01-01"])
def test_a_sunset_not_after_the_effective_date_is_a_located_load_error(tmp_path: Path, sunset: str) -> None:
    rule = {**HISTORY, "effective": "2023-11-27", "sunset": sunset}
    with pytest.raises(PackError) as error:
        audit(tmp_path, [rule], {**SUPPLY, "as_of": "2026-12-02"})
    (problem,) = error.value.diagnostics
    assert "is not after effective 2023-11-27" in problem.message and problem.line is not None


def pack(tmp_path: Path, rules: list[dict[str, Any]], name: str = "kit.yaml") -> Any:
    path = tmp_path / name
    path.write_text(pack_text([{"title": "A rule", "section": "s", "severity": "high", "message": "failed",
                                "remediation": "Fix it.", **r} for r in rules]), encoding="utf-8")
    return resolve_file(load_pack_file(path))


def test_show_docs_and_diff_say_when_a_rule_is_in_force(tmp_path: Path) -> None:
    dated = pack(tmp_path, [{**HISTORY, "effective": "2015-01-01"}])
    words = "required from 1 January 2015; no longer required from 27 November 2023"
    assert any(line.endswith(f"[{words}]") for line in show_lines(dated))
    assert f"  in force: {words}" in rule_lines(dated, "KIT-DSC-001")
    assert f"- **In force:** {words}" in docs_markdown(dated)
    undated = {k: v for k, v in HISTORY.items() if k != "sunset"}
    diff = "\n".join(diff_lines(diff_packs(pack(tmp_path, [undated], "old.yaml"), dated)))
    assert "effective:\n        was: (none)\n        now: 2015-01-01" in diff
    assert "sunset:\n        was: (none)\n        now: 2023-11-27" in diff


def test_the_terminal_report_shows_the_note(tmp_path: Path) -> None:
    audit(tmp_path, [HISTORY], {**SUPPLY, "as_of": "2026-12-02"})
    result = CliRunner().invoke(cli, ["audit", str(tmp_path / "supply.yaml"), "-g", str(tmp_path / "kit.yaml")])
    assert result.exit_code == 1 and "nothing was audited" in result.stdout  # the only rule is not in force
    assert "not in force on 2 December" in " ".join(result.stdout.split())  # in the report's warnings
    assert ("kit.yaml:20:11: note: rules[0].sunset: rule KIT-DSC-001 (Transaction history with each sale) is not in "
            "force on 2 December 2026: no longer required from 27 November 2023") in result.stderr
