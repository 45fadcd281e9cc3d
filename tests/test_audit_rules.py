"""`audit --rule ID` (repeatable; `run_audit(only=...)`): run only some rules of the selected packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT
from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.cli.main import cli
from nofakes.core.errors import UsageError
from nofakes.packs.catalogue import load_pack_file, resolve_file
from nofakes.supply.loading import load_supply

EXAMPLE = ROOT / "examples" / "plugin-pack"
PACK = EXAMPLE / "src" / "nofakes_toys" / "guidelines" / "toys" / "1.0.0.yaml"
SUPPLY = EXAMPLE / "toy-supply.yaml"


def with_waivers(tmp_path: Path, *waivers: dict[str, str]) -> Path:
    data = yaml.safe_load(SUPPLY.read_text(encoding="utf-8"))
    data["waivers"] = [{"reason": "In review", "approved_by": "Counsel", "expires": "2027-06-30", **w}
                       for w in waivers]
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_only_the_named_rules_are_run_and_scored() -> None:
    pack = resolve_file(load_pack_file(PACK))
    full = run_audit(load_supply(SUPPLY), [pack])
    some = run_audit(load_supply(SUPPLY), [pack], only=["TOY-CON-001", "TOY-SAF-001"])
    assert [r.rule.id for r in full.rules] == ["TOY-AUD-001", "TOY-CON-001", "TOY-SAF-001"]
    assert [r.rule.id for r in some.rules] == ["TOY-CON-001", "TOY-SAF-001"]
    assert {f.rule_id for f in some.findings} == {"TOY-CON-001", "TOY-SAF-001"}
    # the same findings as the full audit for those rules; the score covers those rules only
    assert [f for f in full.findings if f.rule_id != "TOY-AUD-001"] == list(some.findings)
    assert some.scores.overall != full.scores.overall
    (warning,) = [w for w in some.warnings if w.file == "--rule"]
    assert warning.level == "warning"
    assert warning.message == ("only 2 of 3 rules were run (TOY-CON-001, TOY-SAF-001); "
                               "the scores cover these rules only")
    assert not [w for w in full.warnings if w.file == "--rule"]


def test_a_waiver_of_a_rule_not_run_is_not_called_unused(tmp_path: Path) -> None:
    pack = resolve_file(load_pack_file(PACK))
    supply = with_waivers(tmp_path, {"rule": "TOY-AUD-001", "target": "holzwerk"},
                          {"rule": "TOY-CON-001", "target": "kinderladen"})
    full = run_audit(load_supply(supply), [pack])
    assert [w.rule for w in full.waivers.unused] == ["TOY-AUD-001"]  # holzwerk is not a contract manufacturer
    some = run_audit(load_supply(supply), [pack], only=["TOY-CON-001"])
    assert some.waivers.unused == ()
    assert not [w for w in some.warnings if "matches no failing finding" in w.message]
    assert [(f.rule_id, f.subject, f.status) for f in some.findings if f.status is Status.waived] == [
        ("TOY-CON-001", "kinderladen", Status.waived)]


def test_an_unknown_or_deprecated_rule_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = resolve_file(load_pack_file(PACK))
    with pytest.raises(UsageError) as caught:
        run_audit(load_supply(SUPPLY), [pack], only=["TOY-SAF-01", "TOY-AUD-001"])
    (problem,) = caught.value.diagnostics
    assert problem.message == "no selected pack has rule 'TOY-SAF-01'"
    assert problem.hint == "did you mean 'TOY-SAF-001'?"
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", str(PACK.parent.parent))
    draft = resolve_file(load_pack_file(EXAMPLE / "drafts" / "toys" / "1.1.0.yaml"))
    with pytest.raises(UsageError) as caught:
        run_audit(load_supply(SUPPLY), [draft], only=["TOY-CON-001"])
    (problem,) = caught.value.diagnostics
    assert problem.message == "rule TOY-CON-001 is deprecated and never run"
    assert problem.hint == "run TOY-CON-002 instead"


def test_cli_rule_option(tmp_path: Path) -> None:
    runner = CliRunner()
    report = tmp_path / "report.json"
    done = runner.invoke(cli, ["audit", str(SUPPLY), "-g", str(PACK), "--rule", "TOY-CON-001", "--format", "json",
                               "-o", str(report)])
    assert done.exit_code == 0, done.output  # the only high gap (TOY-SAF-001) was not run
    assert "only 1 of 3 rules were run (TOY-CON-001)" in done.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {f["rule"] for f in data["findings"]} == {"TOY-CON-001"}
    assert any("only 1 of 3 rules were run" in str(w) for w in data["warnings"])

    done = runner.invoke(cli, ["audit", str(SUPPLY), "-g", str(PACK), "--rule", "TOY-CON-01"])
    assert done.exit_code == 2
    assert "--rule: error: no selected pack has rule 'TOY-CON-01'" in done.output and "TOY-CON-001" in done.output
    assert "Traceback" not in done.output


def test_rule_and_baseline_do_not_mix(tmp_path: Path) -> None:
    """A comparison with an earlier report would call the gaps of the rules not run fixed."""
    runner = CliRunner()
    old = tmp_path / "old.json"
    done = runner.invoke(cli, ["audit", str(SUPPLY), "-g", str(PACK), "--format", "json", "-o", str(old)])
    assert done.exit_code == 1, done.output
    done = runner.invoke(cli, ["audit", str(SUPPLY), "-g", str(PACK), "--rule", "TOY-CON-001", "--baseline", str(old)])
    assert done.exit_code == 2
    assert "--rule: error: cannot be combined with --baseline" in done.output and "Traceback" not in done.output
