"""Parameters belong to their pack (README: Guideline packs and the rule language): qualified names,
ambiguous bare names, each pack's rules with that pack's values, and day counts bounded so date
arithmetic cannot overflow."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.cli.main import cli
from nofakes.core.errors import UsageError
from nofakes.packs.catalogue import ResolvedPack, resolve_pack
from nofakes.packs.parameters import MAX_DAYS, day_parameters, effective_parameters, parse_cli_params
from nofakes.supply.loading import load_supply

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "engine"
SUPPLY = FIXTURES / "supply.yaml"  # pcb's last passing audit is 234 days before as_of
MINI = FIXTURES / "mini-pack.yaml"


def mini() -> ResolvedPack:
    return resolve_pack(str(MINI))


def other(tmp_path: Path) -> ResolvedPack:
    """The mini pack under another name and prefix: it declares the same audit_interval_days."""
    text = MINI.read_text(encoding="utf-8").replace("pack: mini", "pack: other").replace("MIN-", "OTH-")
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    return resolve_pack(str(path))


def windowed(tmp_path: Path, declared: str = "") -> ResolvedPack:
    """A pack whose day count is not named *_days: it is used by within_days and plus_days."""
    path = tmp_path / "window.yaml"
    path.write_text(f"""\
pack: window
version: 1.0.0
title: Window
status: released
parameters:
  window: {{default: 30, description: "Days a partner has"{declared}}}
  grace: {{default: 5, description: "Extra days"}}
  limit: {{default: 3000000, description: "Not a day count: no day bound"}}
sections: [{{id: s, title: S}}]
rules:
  - id: WIN-AUD-001
    title: Audited lately
    section: s
    severity: high
    target: node
    check:
      any_item:
        field: audits
        where: {{all: [{{field: date, within_days: {{param: window}}}},
                       {{field: date, lte: {{ref: date, plus_days: {{param: grace}}}}}}]}}
    message: "{{node.name}} not audited in {{param.window}} days"
    remediation: Audit.
""", encoding="utf-8")
    return resolve_pack(str(path))


def failing(result: object, rule_id: str) -> dict[str, str]:
    return {f.subject: f.message for f in result.findings  # type: ignore[attr-defined]
            if f.rule_id == rule_id and f.status is Status.failed}


def test_a_qualified_name_sets_the_parameter_of_that_pack() -> None:
    result = run_audit(load_supply(SUPPLY), [mini()], cli_params=parse_cli_params(["mini.audit_interval_days=200"]))
    assert result.parameters == {"mini.audit_interval_days": 200}
    assert failing(result, "MIN-AUD-001")["pcb"] == "PCB Co has no passing audit in the last 200 days"


def test_each_pack_sees_its_own_values(tmp_path: Path) -> None:
    packs = [mini(), other(tmp_path)]
    result = run_audit(load_supply(SUPPLY), packs, cli_params={"mini.audit_interval_days": "200"})
    assert result.parameters == {"mini.audit_interval_days": 200, "other.audit_interval_days": 365}
    assert failing(result, "MIN-AUD-001")["pcb"] == "PCB Co has no passing audit in the last 200 days"
    assert "pcb" not in failing(result, "OTH-AUD-001")  # 234 days is within the other pack's 365
    assert failing(result, "OTH-AUD-001")["cm"] == "Contract Maker has no passing audit in the last 365 days"


def test_a_bare_name_several_packs_declare_is_an_error_naming_them(tmp_path: Path) -> None:
    packs = [mini(), other(tmp_path)]
    with pytest.raises(UsageError) as exc:
        effective_parameters(packs, {}, {"audit_interval_days": "200"})
    (diag,) = exc.value.diagnostics
    assert diag.file == "--param" and diag.level == "error"
    assert "declared by several selected packs (mini, other)" in diag.message
    assert diag.expected == ("the pack's name before the parameter: mini.audit_interval_days or "
                             "other.audit_interval_days")
    with pytest.raises(UsageError) as exc:  # the same in the supply file, located there
        data = yaml.safe_load(SUPPLY.read_text(encoding="utf-8"))
        data["parameters"] = {"audit_interval_days": 200}
        path = tmp_path / "supply.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        run_audit(load_supply(path), packs)
    (diag,) = exc.value.diagnostics
    line = path.read_text(encoding="utf-8").splitlines()[diag.line - 1]  # type: ignore[operator]
    assert diag.path == "parameters.audit_interval_days" and "audit_interval_days: 200" in line


def test_qualified_names_in_the_supply_file(tmp_path: Path) -> None:
    data = yaml.safe_load(SUPPLY.read_text(encoding="utf-8"))
    data["parameters"] = {"other.audit_interval_days": 200, "mini.audit_intervall_days": 1}
    path = tmp_path / "supply.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_audit(load_supply(path), [mini(), other(tmp_path)])
    assert result.parameters == {"mini.audit_interval_days": 365, "other.audit_interval_days": 200}
    (warning,) = result.warnings
    assert warning.level == "warning" and warning.path == "parameters.mini.audit_intervall_days"
    assert warning.message == "pack mini declares no parameter 'audit_intervall_days'; ignored"
    assert warning.hint == "did you mean 'audit_interval_days'?" and warning.line is not None


def test_day_parameters_are_named_days_or_used_by_a_day_operator(tmp_path: Path) -> None:
    assert day_parameters(mini()) == {"audit_interval_days"}
    assert day_parameters(windowed(tmp_path)) == {"window", "grace"}
    assert {"audit_interval_days", "incident_report_days"} <= day_parameters(resolve_pack("ntif@1.0.0"))


@pytest.mark.parametrize("value", ["3000000", "99999999999999999999", "-36501", "36501"])
def test_a_day_count_beyond_100_years_is_bad_input(value: str) -> None:
    with pytest.raises(UsageError) as exc:
        run_audit(load_supply(SUPPLY), [mini()], cli_params={"audit_interval_days": value})
    (diag,) = exc.value.diagnostics
    assert diag.file == "--param" and diag.path == "audit_interval_days"
    assert diag.message == f"parameter 'audit_interval_days' is {value}"
    assert diag.expected == "between -36500 and 36500 days (at most 100 years)"


def test_the_day_bound_holds_at_its_limit_and_for_every_day_parameter(tmp_path: Path) -> None:
    values, _ = effective_parameters([mini()], {}, {"audit_interval_days": str(MAX_DAYS)})
    assert values == {"mini@1.0.0": {"audit_interval_days": MAX_DAYS}}
    pack = windowed(tmp_path)
    with pytest.raises(UsageError) as exc:
        effective_parameters([pack], {"window": 10**20}, {"grace": "3000000", "limit": "4000000"})
    assert [(d.path, d.expected) for d in exc.value.diagnostics] == [
        ("parameters.window", "between -36500 and 36500 days (at most 100 years)"),
        ("grace", "between -36500 and 36500 days (at most 100 years)")]  # limit is no day count: accepted
    declared = windowed(tmp_path, ", minimum: 1, maximum: 90")
    with pytest.raises(UsageError) as exc:
        effective_parameters([declared], {}, {"window": "91"})
    assert exc.value.diagnostics[0].expected == "between 1 and 90 days (at most 100 years)"


def test_an_enormous_value_is_shortened_in_the_message() -> None:
    with pytest.raises(UsageError) as exc:
        effective_parameters([mini()], {}, {"audit_interval_days": "9" * 5000})
    (diag,) = exc.value.diagnostics
    assert len(diag.message) < 100 and diag.message.endswith("...")
    assert diag.expected == "between -36500 and 36500 days (at most 100 years)"
    with pytest.raises(UsageError) as exc:  # no bounds at all: still a number, but too long to be one
        effective_parameters([resolve_pack("ntif@1.0.0")], {}, {"max_open_findings": "9" * 5000})
    assert exc.value.diagnostics[0].expected == "a whole number of at most 4300 digits"


@pytest.mark.parametrize("value", ["3000000", "99999999999999999999"])
def test_cli_out_of_range_day_count_exits_2_in_words(value: str) -> None:
    result = CliRunner().invoke(cli, ["audit", str(SUPPLY), "-g", str(MINI), "--param",
                                      f"audit_interval_days={value}"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"--param: error: audit_interval_days: parameter 'audit_interval_days' is {value} " \
           "(expected between -36500 and 36500 days (at most 100 years))" in result.stderr
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
