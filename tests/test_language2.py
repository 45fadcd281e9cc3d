"""Rule language 2, end to end (README: Guideline packs and the rule language): named conditions
(`conditions:` and `{use: NAME}`), `if`/`then`/`else`, definite `present`/`absent`, and list
parameters. For each construct: a pack, a supply chain with partners that pass and fail, the
failing subjects and their reasons in words; load errors located `file:line:col`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import ROOT
from nofakes.audit.engine import run_audit
from nofakes.audit.subjects import NODE_SCOPE, NodeView
from nofakes.authoring.docs import docs_markdown
from nofakes.authoring.lint import lint
from nofakes.core.errors import PackError, UsageError
from nofakes.packs.catalogue import resolve_pack
from nofakes.packs.diff import diff_lines, diff_markdown, diff_packs
from nofakes.packs.listing import rule_lines, show_lines
from nofakes.packs.model import NamedCondition
from nofakes.reports.base import RenderOptions
from nofakes.reports.html_report import HtmlFormatter
from nofakes.reports.json_report import JsonFormatter
from nofakes.reports.view import build_view
from nofakes.rules import Compiler, ConditionError
from nofakes.supply.loading import load_supply
from nofakes.supply.model import Node

PACK = """\
pack: lang
version: 1.0.0
title: Rule language 2
status: released
sections: [{id: s, title: S}]
parameters:
  high_risk_countries:
    default: [CN, HK]
    description: Countries where counterfeit parts are common
  audit_interval_days: {default: 365, description: Longest time since an onsite audit}
conditions:
  current_authorization:
    description: a current authorization from the original manufacturer
    condition:
      all:
        - {field: authorization.status, equals: authorized}
        - {field: authorization.expires, not_expired: true}
  onsite_audit:
    description: an onsite audit within the audit interval
    condition:
      any_item:
        field: audits
        where:
          all:
            - {field: kind, equals: onsite}
            - {field: date, within_days: {param: audit_interval_days}}
  unauthorized_source:
    description: a source without a current authorization
    condition:
      all:
        - {field: role, in: [distributor, broker]}
        - {not: {use: current_authorization}}
rules:
  - id: LNG-AUT-001
    title: Distributors hold a current authorization
    section: s
    severity: high
    target: node
    applies_to: {role: [distributor]}
    check: {use: current_authorization}
    message: "{node.name} has no current authorization"
    remediation: Obtain one.
  - id: LNG-AUD-001
    title: Brokers had an onsite audit
    section: s
    severity: high
    target: node
    check:
      if: {field: role, equals: broker}
      then: {use: onsite_audit}
    message: "{node.name} is a broker without an onsite audit"
    remediation: Audit them.
  - id: LNG-CON-001
    title: Suppliers have a signed contract
    section: s
    severity: medium
    target: node
    applies_to: {role: [supplier]}
    check: {field: contract.signed, present: true}
    message: "{node.name} has no signed contract"
    remediation: Sign one.
  - id: LNG-INC-001
    title: No open incident on a supplier
    section: s
    severity: medium
    target: node
    applies_to: {role: [supplier]}
    check: {field: attributes.open_incident, absent: true}
    message: "{node.name} has an open incident"
    remediation: Close it.
  - id: LNG-CTY-001
    title: Suppliers are outside high-risk countries
    section: s
    severity: low
    target: node
    applies_to: {role: [supplier]}
    check: {field: country, not_in: {param: high_risk_countries}}
    message: "{node.name} is in a high-risk country"
    remediation: Source elsewhere.
  - id: LNG-SRC-001
    title: No unauthorized source upstream of the company
    section: s
    severity: high
    target: node
    applies_to: {role: [brand_owner]}
    check: {upstream_none: {where: {use: unauthorized_source}}}
    message: "{node.name} buys from an unauthorized source"
    remediation: Cut them off.
  - id: LNG-PTH-001
    title: Goods reach the company only through authorized sources
    section: s
    severity: high
    target: path
    path:
      start: {role: [manufacturer]}
      end: {role: [brand_owner]}
      forbid_nodes: {use: unauthorized_source}
    message: "{node.name} receives goods through an unauthorized source"
    remediation: Cut them off.
  - id: LNG-AUT-002
    title: A current authorization names its grantor
    section: s
    severity: low
    target: node
    applies_to: {where: {use: current_authorization}}
    check: {field: authorization.granted_by, present: true}
    message: "{node.name} does not say who authorized it"
    remediation: Record the grantor.
attributes:
  node: {open_incident: {type: text, description: Id of an incident not yet closed}}
"""

SUPPLY = """\
nofakes: "1"
company: {id: acme, name: Acme}
as_of: 2026-11-01
nodes:
  - {id: acme, name: Acme, role: brand_owner}
  - {id: oem, name: Original Maker, role: manufacturer}
  - id: good-dist
    name: Good Distribution
    role: distributor
    authorization: {status: authorized, expires: 2027-06-30}
  - id: stale-dist
    name: Stale Distribution
    role: distributor
    authorization: {status: authorized, expires: 2026-01-31}
  - {id: bare-dist, name: Bare Distribution, role: distributor}
  - id: audited-broker
    name: Audited Brokers
    role: broker
    authorization: {status: authorized, expires: 2027-06-30}
    audits: [{date: 2026-05-01, kind: onsite, result: pass}]
  - id: remote-broker
    name: Remote Brokers
    role: broker
    authorization: {status: authorized, expires: 2027-06-30}
    audits: [{date: 2026-05-01, kind: remote, result: pass}]
  - id: unaudited-broker
    name: Acme Brokers
    role: broker
    authorization: {status: authorized, expires: 2027-06-30}
  - id: signed
    name: Signed Supplies
    role: supplier
    country: DE
    contract: {signed: 2025-01-10}
  - id: unsigned
    name: Unsigned Supplies
    role: supplier
    country: CN
    attributes: {open_incident: INC-7}
edges:
  - {from: oem, to: good-dist, kind: supplies}
  - {from: oem, to: stale-dist, kind: supplies}
  - {from: good-dist, to: acme, kind: distributes}
  - {from: stale-dist, to: acme, kind: distributes}
  - {from: signed, to: acme, kind: supplies}
  - {from: unsigned, to: acme, kind: supplies}
"""


def write(tmp_path: Path, pack: str = PACK, supply: str = SUPPLY) -> tuple[Path, Path]:
    pack_path, supply_path = tmp_path / "lang.yaml", tmp_path / "supply.yaml"
    pack_path.write_text(pack, encoding="utf-8")
    supply_path.write_text(supply, encoding="utf-8")
    return pack_path, supply_path


def failures(tmp_path: Path, pack: str = PACK, supply: str = SUPPLY, **params: Any) -> dict[str, dict[str, str]]:
    """rule id -> failing subject -> the reason in words."""
    pack_path, supply_path = write(tmp_path, pack, supply)
    result = run_audit(load_supply(supply_path), [resolve_pack(str(pack_path))], cli_params=params)
    out: dict[str, dict[str, str]] = {}
    for finding in result.findings:
        if finding.status.value == "fail":
            out.setdefault(finding.rule_id, {})[finding.subject] = finding.detail
    return out


def load_errors(tmp_path: Path, pack: str) -> list[str]:
    pack_path, supply_path = write(tmp_path, pack)
    with pytest.raises(PackError) as exc:
        run_audit(load_supply(supply_path), [resolve_pack(str(pack_path))])
    return [d.format() for d in exc.value.diagnostics]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    return failures(tmp_path_factory.mktemp("lang"))


# ---------------------------------------------------------------- named conditions


def test_a_named_condition_as_a_check(found: dict[str, dict[str, str]]) -> None:
    assert found["LNG-AUT-001"] == {
        "stale-dist": "the authorization's expiry date 2026-01-31 has passed",
        "bare-dist": "no evidence of the authorization's status",
    }


def test_a_named_condition_in_applies_to(found: dict[str, dict[str, str]]) -> None:
    reasons = found["LNG-AUT-002"]  # partners without a current authorization are not applicable
    assert set(reasons) == {"good-dist", "audited-broker", "remote-broker", "unaudited-broker"}
    assert set(reasons.values()) == {"the authorization's grantor is not recorded"}


def test_a_named_condition_inside_another_and_in_a_graph_quantifier(found: dict[str, dict[str, str]]) -> None:
    (reason,) = found["LNG-SRC-001"].values()
    assert reason.startswith("the upstream partner Stale Distribution matches: a source without a current "
                             "authorization (route: Stale Distribution -> Acme)")


def test_a_named_condition_in_a_path_rule(found: dict[str, dict[str, str]]) -> None:
    assert found["LNG-PTH-001"] == {
        "acme": "through Stale Distribution: a source without a current authorization (the role is distributor; "
                "the authorization's expiry date 2026-01-31 has passed)"}


def test_a_later_version_redefines_a_named_condition(tmp_path: Path) -> None:
    (tmp_path / "lang").mkdir()
    (tmp_path / "lang" / "1.0.0.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "lang" / "1.1.0.yaml").write_text("""\
pack: lang
version: 1.1.0
title: Rule language 2
extends: lang@1.0.0
conditions:
  current_authorization:
    description: an authorization from the original manufacturer
    condition: {field: authorization.status, equals: authorized}
""", encoding="utf-8")
    (tmp_path / "supply.yaml").write_text(SUPPLY, encoding="utf-8")
    pack = resolve_pack(str(tmp_path / "lang" / "1.1.0.yaml"))
    assert pack.conditions["current_authorization"].description == "an authorization from the original manufacturer"
    assert pack.condition_files["onsite_audit"].path.name == "1.0.0.yaml"  # inherited
    result = run_audit(load_supply(tmp_path / "supply.yaml"), [pack])
    failing = {f.subject for f in result.findings if f.rule_id == "LNG-AUT-001" and f.status.value == "fail"}
    assert failing == {"bare-dist"}  # the stale authorization now counts


def test_an_unknown_name_is_located_with_a_suggestion(tmp_path: Path) -> None:
    (line,) = load_errors(tmp_path, PACK.replace("check: {use: current_authorization}",
                                                 "check: {use: current_authorisation}"))
    assert line.startswith(f"{tmp_path / 'lang.yaml'}:40:18:")
    assert "rules[0].check.use: rule LNG-AUT-001: unknown named condition 'current_authorisation'" in line
    assert "did you mean 'current_authorization'?" in line


def test_an_error_in_a_definition_is_located_there_and_names_the_use(tmp_path: Path) -> None:
    errors = load_errors(tmp_path, PACK.replace("{field: authorization.status, equals: authorized}",
                                                "{field: authorisation.status, equals: authorized}"))
    pack = tmp_path / "lang.yaml"
    assert errors[0].startswith(f"{pack}:16:")
    assert (f"conditions.current_authorization.condition.all[0].field: named condition 'current_authorization' "
            f"(used by rule LNG-AUT-001 at {pack}:40:12, rules[0].check): unknown field 'authorisation'") in errors[0]
    # used by one more rule, and through unauthorized_source by two more: each rule's use is named once
    assert len(errors) == 4
    assert any("rules[6].path.forbid_nodes, through 'unauthorized_source'): unknown field" in e for e in errors)
    assert any("(used by rule LNG-AUT-002 at" in e and "rules[7].applies_to.where): unknown field" in e
               for e in errors)


def test_a_cycle_is_an_error_naming_it(tmp_path: Path) -> None:
    errors = load_errors(tmp_path, PACK.replace("- {field: authorization.status, equals: authorized}",
                                                "- {use: unauthorized_source}"))
    assert any("named condition 'current_authorization' uses itself (current_authorization -> "
               "unauthorized_source -> current_authorization)" in e for e in errors), errors


@pytest.mark.parametrize(("condition", "message"), [
    ("{use: onsite_audit, field: role}", "'use' beside ['field']"),
    ("{then: {use: onsite_audit}}", "then without 'if'"),
    ("{if: {field: role, equals: broker}, else: {use: onsite_audit}}", "if/else without 'then'"),
    ("{if: {field: role, equals: broker}, then: {use: onsite_audit}, otherwise: {field: role, exists: true}}",
     "'otherwise' beside if/then"),
    ("{use: [onsite_audit]}", "found ['onsite_audit']"),
])
def test_bad_nesting_is_located(tmp_path: Path, condition: str, message: str) -> None:
    text = PACK.replace("    check:\n      if: {field: role, equals: broker}\n      then: {use: onsite_audit}\n",
                        f"    check: {condition}\n")
    (line,) = load_errors(tmp_path, text)
    assert line.startswith(f"{tmp_path / 'lang.yaml'}:48:") and message in line


# ---------------------------------------------------------------- if / then / else


def test_if_then_fails_only_where_the_premise_holds(found: dict[str, dict[str, str]]) -> None:
    assert found["LNG-AUD-001"] == {
        "remote-broker": "the role is broker, so an onsite audit within the audit interval was expected, but no "
                         "audit qualifies: the audit's kind is remote, expected onsite",
        "unaudited-broker": "no evidence of an audit (the role is broker, so an onsite audit within the audit "
                            "interval was expected)",
    }


# ---------------------------------------------------------------- present / absent


def test_present_fails_definitely_where_the_field_is_missing(tmp_path: Path) -> None:
    pack_path, supply_path = write(tmp_path)
    result = run_audit(load_supply(supply_path), [resolve_pack(str(pack_path))])
    (finding,) = [f for f in result.findings if f.rule_id == "LNG-CON-001"]
    assert (finding.subject, finding.detail, finding.missing_evidence) == (
        "unsigned", "the contract's signing date is not recorded", False)


def test_absent_fails_where_the_field_is_recorded(found: dict[str, dict[str, str]]) -> None:
    assert found["LNG-INC-001"] == {"unsigned": "the open incident is recorded as INC-7, expected none"}


# ---------------------------------------------------------------- list parameters


def test_a_list_parameter_as_the_operand_of_not_in(found: dict[str, dict[str, str]]) -> None:
    assert found["LNG-CTY-001"] == {
        "unsigned": "the country is China (CN), expected none of China (CN) or Hong Kong (HK)"}


def test_a_list_parameter_overridden_by_comma_text_and_in_the_supply_file(tmp_path: Path) -> None:
    assert set(failures(tmp_path, **{"lang.high_risk_countries": "DE, HK"})["LNG-CTY-001"]) == {"signed"}
    in_file = SUPPLY.replace("as_of: 2026-11-01\n", "as_of: 2026-11-01\nparameters:\n  high_risk_countries: [DE]\n")
    assert set(failures(tmp_path, supply=in_file)["LNG-CTY-001"]) == {"signed"}
    as_text = SUPPLY.replace("as_of: 2026-11-01\n", "as_of: 2026-11-01\nparameters:\n  high_risk_countries: DE,CN\n")
    assert set(failures(tmp_path, supply=as_text)["LNG-CTY-001"]) == {"signed", "unsigned"}


def test_list_parameter_items_keep_their_type_and_bounds(tmp_path: Path) -> None:
    pack = PACK.replace("default: [CN, HK]", "default: [CN, HK]\n    maximum: 5").replace(
        "audit_interval_days: {default: 365,", "audit_interval_days: {default: 365, minimum: 30,")
    numbers = pack.replace("high_risk_countries:\n    default: [CN, HK]\n    maximum: 5",
                           "windows:\n    default: [30, 60]\n    maximum: 90") + "\n"
    numbers = numbers.replace("    check: {field: country, not_in: {param: high_risk_countries}}",
                              "    check: {field: attributes.window, in: {param: windows}}")
    numbers = numbers.replace("  node: {open_incident:",
                              "  node: {window: {type: integer, description: Days}, open_incident:")
    pack_path, supply_path = write(tmp_path, numbers)
    loaded, packs = load_supply(supply_path), [resolve_pack(str(pack_path))]
    assert run_audit(loaded, packs, cli_params={"windows": "30,90"}).findings is not None
    for value, expected in (("30,120", "a list of whole numbers, each at most 90"),
                            ("30,soon", "a list of whole numbers like the default [30, 60]")):
        with pytest.raises(UsageError) as exc:
            run_audit(loaded, packs, cli_params={"windows": value})
        (problem,) = exc.value.diagnostics
        assert problem.expected == expected, problem


# ---------------------------------------------------------------- lint


def test_lint_warns_of_a_named_condition_no_rule_uses(tmp_path: Path) -> None:
    pack_path, _ = write(tmp_path)
    assert lint([pack_path]).diagnostics == ()
    unused = PACK.replace("conditions:\n", "conditions:\n  spare:\n    description: a spare condition\n"
                                           "    condition: {field: role, present: true}\n", 1)
    pack_path.write_text(unused, encoding="utf-8")
    (warning,) = lint([pack_path]).diagnostics
    assert warning.format() == (f"{pack_path}:13:5: warning: conditions.spare: named condition 'spare' is defined "
                                "but no rule uses it (expected {use: spare} in a rule, or remove it)")


def test_lint_reports_a_cycle_among_named_conditions_no_rule_uses(tmp_path: Path) -> None:
    spare = ("conditions:\n  spare:\n    description: a spare condition\n    condition: {not: {use: other}}\n"
             "  other:\n    description: another\n    condition: {any: [{use: spare}, {field: role, present: true}]}\n")
    pack_path, _ = write(tmp_path, PACK.replace("conditions:\n", spare, 1))
    report = lint([pack_path])
    assert (report.errors, report.warnings) == (2, 2)
    assert [d.format() for d in report.diagnostics][:2] == [
        f"{pack_path}:14:16: error: conditions.spare.condition: named condition 'spare' uses itself (expected named "
        "conditions that do not use themselves)",
        f"{pack_path}:17:16: error: conditions.other.condition: named condition 'other' uses itself (expected named "
        "conditions that do not use themselves)"]


def test_lint_reports_every_error_in_named_conditions_and_uses_at_once(tmp_path: Path) -> None:
    pack_path, _ = write(tmp_path, PACK.replace("check: {use: current_authorization}", "check: {use: curent}")
                         .replace("{field: kind, equals: onsite}", "{field: knd, equals: onsite}"))
    report = lint([pack_path])
    assert report.errors == 2 and report.warnings == 0
    first, second = (d.format() for d in report.diagnostics)
    assert "conditions.onsite_audit.condition.any_item.where.all[0].field: named condition 'onsite_audit'" in first
    assert "rules[0].check.use: rule LNG-AUT-001: unknown named condition 'curent'" in second


# ---------------------------------------------------------------- show, docs, diff


def test_show_docs_and_diff_name_the_named_conditions(tmp_path: Path) -> None:
    (tmp_path / "lang").mkdir()
    old_path, new_path = tmp_path / "lang" / "1.0.0.yaml", tmp_path / "lang" / "1.1.0.yaml"
    old_path.write_text(PACK, encoding="utf-8")
    new_path.write_text("""\
pack: lang
version: 1.1.0
title: Rule language 2
extends: lang@1.0.0
conditions:
  current_authorization:
    description: an authorization from the original manufacturer
    condition: {field: authorization.status, equals: authorized}
""", encoding="utf-8")
    old, new = resolve_pack(str(old_path)), resolve_pack(str(new_path))
    shown = show_lines(old)
    assert "Named conditions ({use: NAME}):" in shown
    assert "  current_authorization: a current authorization from the original manufacturer" in shown
    assert "  high_risk_countries = CN, HK: Countries where counterfeit parts are common" in shown
    assert "  uses unauthorized_source: a source without a current authorization" in rule_lines(old, "LNG-SRC-001")
    docs = docs_markdown(old)
    assert ("| `current_authorization` | a current authorization from the original manufacturer | "
            "LNG-AUT-001, LNG-AUT-002, LNG-PTH-001, LNG-SRC-001 |") in docs
    assert "- **Checks that:** the country is none of China (CN) or Hong Kong (HK)" in docs
    lines = diff_lines(diff_packs(old, new))
    assert lines[lines.index("Named conditions changed (1):") + 1:] == [
        "  current_authorization",
        "      description: a current authorization from the original manufacturer -> an authorization from the "
        "original manufacturer",
        '      condition: {"all": [{"field": "authorization.status", "equals": "authorized"}, {"field": '
        '"authorization.expires", "not_expired": true}]} -> {"field": "authorization.status", "equals": "authorized"}',
        "      used by: LNG-AUT-001, LNG-AUT-002, LNG-PTH-001, LNG-SRC-001",
    ]
    assert "## Named conditions" in diff_markdown(diff_packs(old, new))


# ---------------------------------------------------------------- three-valued implication

SIGNED = {"field": "contract.signed", "exists": True}  # holds, fails for lack of evidence, never fails definitely
RIGHTS = {"field": "contract.audit_rights", "is_true": True}
CONSENT = {"field": "contract.subcontract_consent", "is_true": True}


def check(cond: dict[str, Any], **contract: Any) -> Any:
    view = NodeView(Node.model_validate({"id": "b", "name": "Acme Brokers", "role": "broker",
                                         "contract": contract}), 1, False, frozenset())
    return Compiler(NODE_SCOPE, {}, dt.date(2026, 11, 1)).compile(cond, ("check",))((view,))


def outcome(result: Any) -> str:
    return "holds" if result is True else "no evidence" if result.missing else "fails"


@pytest.mark.parametrize(("contract", "expected"), [
    ({"signed": "2026-01-01", "audit_rights": True}, "holds"),  # C holds, D holds
    ({"signed": "2026-01-01", "audit_rights": False}, "fails"),  # C holds, D fails
    ({"signed": "2026-01-01"}, "no evidence"),  # C holds, D unknown
    ({"audit_rights": True}, "holds"),  # C unknown, D holds
    ({"audit_rights": False}, "no evidence"),  # C unknown, D fails
])
def test_if_then_is_three_valued(contract: dict[str, Any], expected: str) -> None:
    assert outcome(check({"if": SIGNED, "then": RIGHTS}, **contract)) == expected


def test_if_then_holds_where_the_premise_definitely_fails() -> None:
    premise = {"field": "role", "equals": "distributor"}
    assert check({"if": premise, "then": RIGHTS}, audit_rights=False) is True
    assert check({"not": {"if": premise, "then": RIGHTS}}, audit_rights=False).reason == \
        "the role is broker, expected distributor"


def test_if_then_reasons_name_what_is_unknown_and_what_was_expected() -> None:
    unknown = check({"if": SIGNED, "then": RIGHTS}, audit_rights=False)
    assert unknown.reason == ("no evidence of the contract's signing date, which decides whether it was expected "
                              "that the contract's audit rights clause is recorded as yes (the contract's audit "
                              "rights clause is recorded as no, expected yes)")
    failed = check({"if": SIGNED, "then": RIGHTS}, signed="2026-01-01", audit_rights=False)
    assert failed.reason == ("the contract's signing date is recorded, so it was expected that the contract's audit "
                             "rights clause is recorded as yes, but the contract's audit rights clause is recorded as "
                             "no, expected yes")


@pytest.mark.parametrize(("contract", "expected"), [
    ({"signed": "2026-01-01", "audit_rights": True, "subcontract_consent": False}, "holds"),  # C: D decides
    ({"signed": "2026-01-01", "audit_rights": False, "subcontract_consent": True}, "fails"),
    ({"audit_rights": True, "subcontract_consent": True}, "holds"),  # C unknown: both hold
    ({"audit_rights": False, "subcontract_consent": False}, "fails"),  # C unknown: both fail definitely
    ({"audit_rights": True, "subcontract_consent": False}, "no evidence"),  # C unknown: they disagree
])
def test_if_then_else_is_three_valued(contract: dict[str, Any], expected: str) -> None:
    assert outcome(check({"if": SIGNED, "then": RIGHTS, "else": CONSENT}, **contract)) == expected


def test_else_applies_where_the_premise_definitely_fails() -> None:
    cond = {"if": {"field": "role", "equals": "distributor"}, "then": RIGHTS, "else": CONSENT}
    assert check(cond, audit_rights=False, subcontract_consent=True) is True
    assert check(cond, audit_rights=True, subcontract_consent=False).reason == (
        "the role is broker, expected distributor, so it was expected that the contract's subcontracting consent "
        "clause is recorded as yes, but the contract's subcontracting consent clause is recorded as no, expected yes")


def test_present_and_absent_are_definite_where_exists_is_not() -> None:
    assert outcome(check({"field": "contract.signed", "exists": True})) == "no evidence"
    assert outcome(check({"field": "contract.signed", "present": True})) == "fails"
    assert check({"field": "contract.signed", "absent": True}) is True
    assert outcome(check({"field": "contract.signed", "absent": True}, signed="2026-01-01")) == "fails"
    with pytest.raises(ConditionError, match="found False"):
        check({"field": "contract.signed", "present": False})


# ---------------------------------------------------------------- editor schema


def test_the_editor_schema_knows_rule_language_2() -> None:
    schema = json.loads((ROOT / "schemas" / "guideline-pack.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    data = yaml.safe_load(PACK)
    for named in data["conditions"].values():  # dates as text, as in a JSON pack
        named["condition"] = json.loads(json.dumps(named["condition"], default=str))
    assert not list(validator.iter_errors(data))
    for wrong in ({"use": "Current"}, {"if": {"field": "role", "present": True}}, {"field": "role", "present": 1},
                  {"if": {"use": "a"}, "then": {"use": "b"}, "otherwise": {"use": "c"}}):
        data["rules"][0]["check"] = wrong
        assert list(validator.iter_errors(data)), wrong
    data["rules"][0]["check"] = {"if": {"use": "a"}, "then": {"field": "role", "absent": True}, "else": {"use": "b"}}
    assert not list(validator.iter_errors(data))
    data["conditions"]["Bad-Name"] = data["conditions"]["onsite_audit"]
    assert list(validator.iter_errors(data))


# ---------------------------------------------------------------- named conditions in other scopes


def test_a_named_condition_is_compiled_in_the_scope_of_each_use() -> None:
    named = {"onsite": NamedCondition(description="an onsite audit", condition={"field": "kind", "equals": "onsite"})}
    compiler = Compiler(NODE_SCOPE, {}, dt.date(2026, 11, 1), named=named)
    every = compiler.compile({"all_items": {"field": "audits", "where": {"use": "onsite"}}}, ("check",))
    view = NodeView(Node.model_validate({"id": "b", "name": "B", "role": "broker", "audits": [
        {"date": "2026-01-01", "kind": "onsite", "result": "pass"},
        {"date": "2026-02-01", "kind": "desk", "result": "pass"}]}), 1, False, frozenset())
    assert every((view,)).reason == "audit number 2: the audit's kind is desk, expected onsite"
    with pytest.raises(ConditionError) as exc:  # `kind` is a field of an audit, not of a partner
        Compiler(NODE_SCOPE, {}, dt.date(2026, 11, 1), named=named).compile({"use": "onsite"}, ("rules", 0, "check"))
    error = exc.value
    assert (error.loc, error.message, error.within, error.used_at) == (
        ("conditions", "onsite", "condition", "field"), "unknown field 'kind' on a node", ("onsite",),
        ("rules", 0, "check"))


def test_lint_does_not_warn_of_not_over_present_or_absent(tmp_path: Path) -> None:
    pack_path, _ = write(tmp_path, PACK.replace(
        "    applies_to: {role: [supplier]}\n    check: {field: contract.signed, present: true}",
        "    applies_to: {role: [supplier], where: {not: {field: contract.audit_rights, absent: true}}}\n"
        "    check: {field: contract.signed, present: true}"))
    assert lint([pack_path]).diagnostics == ()
    pack_path.write_text(pack_path.read_text(encoding="utf-8").replace("audit_rights, absent: true",
                                                                       "audit_rights, is_true: true"))
    (warning,) = lint([pack_path]).diagnostics
    assert "'not' over contract.audit_rights, which a subject may lack" in warning.message


def test_a_list_parameter_in_a_message_and_in_the_json_report(tmp_path: Path) -> None:
    pack = PACK.replace('message: "{node.name} is in a high-risk country"',
                        'message: "{node.name} is in one of {param.high_risk_countries}"')
    pack_path, supply_path = write(tmp_path, pack)
    result = run_audit(load_supply(supply_path), [resolve_pack(str(pack_path))])
    (finding,) = [f for f in result.findings if f.rule_id == "LNG-CTY-001"]
    assert finding.message == "Unsigned Supplies is in one of CN, HK"
    data = json.loads(JsonFormatter().render(build_view(result, RenderOptions())))
    assert data["run"]["parameters"]["lang.high_risk_countries"] == ["CN", "HK"]
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    html = HtmlFormatter().render(build_view(result, RenderOptions())).decode()
    assert "<td>lang.high_risk_countries</td><td>CN, HK</td>" in html
