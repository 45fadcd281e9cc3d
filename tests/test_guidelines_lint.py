"""`nofakes guidelines lint`: every problem of a pack at once, located, without a supply file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.authoring.lint import lint
from nofakes.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
HEAD = """\
pack: elx
version: 1.0.0
title: Electronics
status: draft
parameters:
  window_days: {default: 30, description: Window, minimum: 1, maximum: 365}
sections: [{id: vetting, title: Vetting}]
rules:
"""
RULE = """\
  - id: {id}
    title: Partners are vetted
    section: vetting
    severity: high
    target: node
    check: {check}
    message: "{message}"
    remediation: Vet them.
"""


def rule(rule_id: str = "ELX-SRC-001", check: str = "{field: due_diligence.date, within_days: {param: window_days}}",
         message: str = "{node.name} is not vetted", extra: str = "") -> str:
    return RULE.replace("{id}", rule_id).replace("{check}", check).replace("{message}", message) + extra


def write(tmp_path: Path, text: str, name: str = "elx/1.0.0.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines(tmp_path: Path, *paths: Path, strict: bool = False) -> list[str]:
    report = lint(list(paths), strict=strict)
    return [d.format().replace(str(tmp_path) + "/", "") for d in report.diagnostics]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["guidelines", "lint", *args])
    return result.exit_code, result.stderr


def test_the_built_in_packs_are_clean() -> None:
    """Clean but for one warning: ntif 1.0.0 (immutable) reads attributes.supplies and declares no
    attributes; a later version that declares them clears it."""
    code, err = run(str(ROOT / "guidelines"))
    assert code == 0
    (warning, summary) = err.strip().splitlines()
    assert warning.endswith("1.0.0.yaml:394:21: warning: rules[8].applies_to.where.any[1].field: rule NTF-CON-003: "
                            "reads attributes.supplies, but the pack declares no attributes, so supply files are not "
                            "checked for its spelling or type; declare it: attributes: {node: {supplies: {type: TYPE, "
                            "description: ...}}}")
    assert summary == "3 pack files: 0 errors, 1 warning"


def test_a_clean_pack_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + rule())
    code, err = run(str(path))
    assert (code, err.strip()) == (0, "1 pack file: 0 errors, 0 warnings")


def test_every_error_of_every_rule_in_one_run_even_when_the_model_fails(tmp_path: Path) -> None:
    text = HEAD + rule(check="{all: [{field: contrct.audit_rights, is_true: true}, {field: name, equalz: x}]}",
                       message="{node.nmae} fails")
    text += rule("ELX-SRC-002", check="{field: rol, exists: true}")
    text += "  - id: ELX-SRC-3\n    title: Half a rule\n"
    assert lines(tmp_path, write(tmp_path, text)) == [
        "elx/1.0.0.yaml:14:27: error: rules[0].check.all[0].field: rule ELX-SRC-001: unknown field 'contrct' on a "
        "node (expected one of: id, name, role, country, region, products, authorization, authorizations, "
        "certifications, audits, contract, licenses, programs, traceability, due_diligence, incidents, "
        "seller_verification, attributes, all_authorizations, tier, critical, handles, risk, screening); "
        "did you mean 'contract'?",
        "elx/1.0.0.yaml:14:87: error: rules[0].check.all[1].equalz: rule ELX-SRC-001: unknown operator 'equalz' "
        "(expected one of: equals, not_equals, in, not_in, exists, present, absent, is_true, is_false, gt, gte, lt, "
        "lte, matches, contains, within_days, within_business_days, not_expired, expires_within_days, length_gte, "
        "unlisted); "
        "did you mean 'equals'?",
        "elx/1.0.0.yaml:15:14: error: rules[0].message: rule ELX-SRC-001: placeholder {node.nmae}: unknown field "
        "'node.nmae' (expected one of: id, name, role, country, region, products, authorization, authorizations, "
        "certifications, audits, contract, licenses, programs, traceability, due_diligence, incidents, "
        "seller_verification, attributes, all_authorizations); did you mean 'name'?",
        "elx/1.0.0.yaml:22:20: error: rules[1].check.field: rule ELX-SRC-002: unknown field 'rol' on a node "
        "(expected one of: id, name, role, country, region, products, authorization, authorizations, "
        "certifications, audits, contract, licenses, programs, traceability, due_diligence, incidents, "
        "seller_verification, attributes, all_authorizations, tier, critical, handles, risk, screening); "
        "did you mean 'role'?",
        "elx/1.0.0.yaml:25:5: error: rules[2]: missing required key 'section' (expected 'section' to be set)",
        "elx/1.0.0.yaml:25:5: error: rules[2]: missing required key 'severity' (expected 'severity' to be set)",
        "elx/1.0.0.yaml:25:5: error: rules[2]: missing required key 'target' (expected 'target' to be set)",
        "elx/1.0.0.yaml:25:5: error: rules[2]: missing required key 'message' (expected 'message' to be set)",
        "elx/1.0.0.yaml:25:5: error: rules[2]: missing required key 'remediation' (expected 'remediation' to be set)",
        "elx/1.0.0.yaml:25:9: error: rules[2].id: found 'ELX-SRC-3' (expected a rule id of the form "
        "PREFIX-AREA-NNN: capital letters, a dash, an area in capitals or digits, a dash and three digits, "
        "e.g. ELX-SRC-001)",
    ]


def test_a_rule_that_fails_the_model_hides_no_section_bound_or_parameter_problem(tmp_path: Path) -> None:
    """One run reports the same problems whichever of them are fixed first (issue 8 item 3)."""
    head = HEAD.replace("{default: 30, description: Window, minimum: 1, maximum: 365}",
                        "{default: 400, description: Window, minimum: 1, maximum: 365}")
    bad_section = rule().replace("section: vetting", "section: vetings")
    bad_severity = rule("ELX-SRC-002", message="{node.name} x").replace("severity: high", "severity: hgh")
    both = lines(tmp_path, write(tmp_path, head + bad_section + bad_severity))
    assert [line.split(": ", 3)[:3] for line in both] == [
        ["elx/1.0.0.yaml:6:26", "error", "parameters.window_days.default"],
        ["elx/1.0.0.yaml:11:14", "error", "rules[0].section"],
        ["elx/1.0.0.yaml:20:15", "error", "rules[1].severity"],
    ]
    assert "unknown section 'vetings'" in both[1] and "did you mean 'vetting'?" in both[1]
    # with the severity fixed, the same two problems remain, as they would with the section fixed first
    fixed = lines(tmp_path, write(tmp_path, head + bad_section + rule("ELX-SRC-002", message="{node.name} x")))
    assert fixed == both[:2]
    assert lines(tmp_path, write(tmp_path, head + rule() + bad_severity)) == [both[0], both[2]]


def test_a_parameter_with_an_unknown_key_still_serves_the_rules_that_use_it(tmp_path: Path) -> None:
    head = HEAD.replace("minimum: 1, maximum: 365}", "minimum: 1, maximun: 365}")
    (line,) = lines(tmp_path, write(tmp_path, head + rule()))
    assert "parameters.window_days.maximun: unknown key 'maximun'" in line  # no "unknown parameter" in the rule


def test_unused_parameters_are_not_guessed_while_a_rule_fails_the_model(tmp_path: Path) -> None:
    head = HEAD.replace("  window_days:", "  spare_days: {default: 3, description: Spare}\n  window_days:")
    uses_spare = rule("ELX-SRC-002", check="{field: due_diligence.date, within_days: {param: spare_days}}")
    broken = lines(tmp_path, write(tmp_path, head + rule() + uses_spare.replace("severity: high", "severity: x")))
    assert [line.split(": ", 3)[2] for line in broken] == ["rules[1].severity"]
    whole = lines(tmp_path, write(tmp_path, head + rule()))
    assert [line.split(": ", 3)[1:3] for line in whole] == [["warning", "parameters.spare_days"]]


def test_not_over_a_field_that_may_be_missing_in_applies_to_is_a_warning(tmp_path: Path) -> None:
    applies = "    applies_to: {where: {not: {field: authorization.status, equals: authorized}}}\n"
    safe = "    applies_to: {where: {not: {field: role, equals: broker}}}\n"
    exists = "    applies_to: {where: {not: {field: authorization, exists: true}}}\n"
    text = HEAD + rule(extra=applies) + rule("ELX-SRC-002", extra=safe) + rule("ELX-SRC-003", extra=exists)
    path = write(tmp_path, text)
    (line,) = lines(tmp_path, path)
    assert line.startswith("elx/1.0.0.yaml:17:39: warning: rules[0].applies_to.where.not.field: rule ELX-SRC-001: "
                           "'not' over authorization.status, which a subject may lack: in applies_to.where, a subject "
                           "without authorization.status is not applicable and never checked; ")
    assert "{any: [{field: authorization.status, exists: false}, {not: {...}}]}" in line
    assert run(str(path))[0] == 0
    path_rule = ("  - id: ELX-CHN-001\n    title: Paths\n    section: vetting\n    severity: high\n"
                 "    target: path\n    path:\n      start: {role: [manufacturer]}\n"
                 "      end: {where: {not: {field: contract.signed, is_true: true}}}\n"
                 "    message: \"{node.name} x\"\n    remediation: Fix.\n")
    other = write(tmp_path, text.replace("pack: elx", "pack: paths").replace("ELX-", "PTH-") + path_rule,
                  "paths/1.0.0.yaml")
    assert [line.split(" rule ")[0] for line in lines(tmp_path, other)] == [
        "paths/1.0.0.yaml:17:39: warning: rules[0].applies_to.where.not.field:",
        "paths/1.0.0.yaml:43:34: warning: rules[3].path.end.where.not.field:"]
    assert "in path.end.where, a subject without contract.signed is not applicable" in lines(tmp_path, other)[1]
    code, err = run("--strict", str(path))
    assert code == 2 and "error: rules[0].applies_to.where.not.field" in err
    assert err.strip().endswith("1 pack file: 1 error, 0 warnings")


def test_parameters_defaults_outside_bounds_and_unused(tmp_path: Path) -> None:
    text = HEAD.replace("  window_days: {default: 30, description: Window, minimum: 1, maximum: 365}\n",
                        "  window_days: {default: 400, description: Window, minimum: 1, maximum: 365}\n"
                        "  unused_count: {default: 3, description: Nobody}\n"
                        "  upside_down: {default: 3, description: Bounds, minimum: 5, maximum: 1}\n")
    text += rule() + rule(
        "ELX-SRC-002", check="{field: audits, length_gte: {param: upside_down}}")
    assert lines(tmp_path, write(tmp_path, text)) == [
        "elx/1.0.0.yaml:6:26: error: parameters.window_days.default: parameter 'window_days': the default 400 is "
        "outside its own bounds (expected between 1 and 365 days (at most 100 years))",
        "elx/1.0.0.yaml:8:59: error: parameters.upside_down.minimum: parameter 'upside_down': minimum 5 is above "
        "maximum 1 (expected minimum <= maximum)",
        "elx/1.0.0.yaml:7:17: warning: parameters.unused_count: parameter 'unused_count' is declared but no rule "
        "uses it (expected {param: unused_count} in a rule, or remove it)",
    ]


def test_replaced_by_extends_and_file_name(tmp_path: Path) -> None:
    write(tmp_path, HEAD + rule())
    text = HEAD.replace("version: 1.0.0", "version: 1.1.0\nextends: ntif@1.0.0")
    text += rule(extra="    status: deprecated\n    replaced_by: ELX-SRC-009\n")
    path = write(tmp_path, text, "elx/1.2.0.yaml")
    assert lines(tmp_path, path) == [
        "elx/1.2.0.yaml:2:10: error: version: version '1.1.0' does not match the file's place "
        "<pack>/<version>.yaml (elx/1.2.0.yaml) (expected version: 1.2.0)",
        "elx/1.2.0.yaml:3:10: error: extends: elx extends ntif@1.0.0, a pack of another name (expected an earlier "
        "version of elx); to build on another pack, audit with both packs (-g one -g other)",
        "elx/1.2.0.yaml:19:18: error: rules[0].replaced_by: rule ELX-SRC-001: replaced_by 'ELX-SRC-009' names no "
        "rule of elx@1.1.0 (expected the id of a rule in the pack); did you mean 'ELX-SRC-001'?",
    ]


def test_rule_ids_colliding_across_packs_linted_together(tmp_path: Path) -> None:
    first = write(tmp_path, HEAD + rule())
    write(tmp_path, HEAD.replace("pack: elx", "pack: pharma") + rule(), "pharma/1.0.0.yaml")
    newer = write(tmp_path, HEAD.replace("version: 1.0.0", "version: 1.1.0") + rule(), "elx/1.1.0.yaml")
    assert lines(tmp_path, tmp_path) == [
        "pharma/1.0.0.yaml:9:9: error: rules[0].id: rule id ELX-SRC-001 is also a rule of elx@1.0.0 (expected rule "
        "ids unique across the packs audited together); give the pack its own id prefix",
    ]
    assert lines(tmp_path, first, newer) == []  # versions of one pack share their ids
    write(tmp_path, "rule: ELX-SRC-001\ncases: []\n", "elx/fixtures/ELX-SRC-001.yaml")
    report = lint([tmp_path / "elx"])
    assert report.files == (str(first), str(newer))  # a folder: its <version>.yaml files, not fixtures


def test_yaml_errors_and_missing_files(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + rule().replace("title: Partners are vetted", "title: Partners: vetted"))
    code, err = run(str(path), str(tmp_path / "nowhere.yaml"))
    assert code == 2
    assert f"{path}:10:20: error: invalid YAML: mapping values are not allowed" in err
    assert 'text containing ": " must be quoted' in err
    assert f"{tmp_path / 'nowhere.yaml'}: error: no such file or folder" in err
    assert err.strip().endswith("1 pack file: 2 errors, 0 warnings")


@pytest.mark.parametrize("args", [[], ["--nope"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2
