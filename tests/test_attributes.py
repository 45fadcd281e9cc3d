"""Declared attributes: a pack's `attributes:` block, checked in its rules when it loads and in the
supply file at audit time; the supply schema that includes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from helpers import TESTS
from nofakes.authoring.lint import lint
from nofakes.cli.main import cli
from nofakes.packs.model import AttributeType
from nofakes.rules.declared import TYPE_NAMES

TYPED = TESTS / "fixtures" / "attributes"
PACK, SUPPLY = TYPED / "pack.yaml", TYPED / "supply.yaml"


def data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, value: Any) -> Path:
    path.write_text(yaml.safe_dump(value, sort_keys=False), encoding="utf-8")
    return path


def lint_rule(tmp_path: Path, **changes: Any) -> list[tuple[int | None, int | None, str, str | None, str | None]]:
    pack = data(PACK)
    pack["rules"][0] = {**pack["rules"][0], **changes}
    report = lint([write(tmp_path / "pack.yaml", pack)])
    return [(d.line, d.column, d.message, d.expected, d.hint) for d in report.diagnostics if d.level == "error"]


def test_the_types_are_the_ones_the_rules_know() -> None:
    assert tuple(t.value for t in AttributeType) == TYPE_NAMES


def test_a_declaring_pack_lints_clean() -> None:
    report = lint([PACK])
    assert (report.errors, report.warnings) == (0, 0)


def test_reading_an_undeclared_attribute_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    ((line, col, message, expected, hint),) = lint_rule(tmp_path, check={"unique": {"field": "attributes.bank_acount"}})
    text = (tmp_path / "pack.yaml").read_text(encoding="utf-8").splitlines()
    (at,) = [i for i, row in enumerate(text) if "bank_acount" in row]
    assert (line, col) == (at + 1, text[at].index("attributes.bank_acount") + 1)
    assert message == ("rule TYP-SEL-001: 'attributes.bank_acount' is not a declared attribute of partners "
                       "(the pack typed-demo declares its attributes)")
    assert hint == "did you mean 'bank_account'?"
    assert expected is not None and expected.startswith("one of: attributes.bank_account, attributes.verified_on")


@pytest.mark.parametrize(("target", "check", "message"), [
    ("edge", {"field": "from.attributes.phone", "length_gte": 1},
     "'from.attributes.phone' is not a declared attribute of partners"),
    ("edge", {"field": "attributes.bank_account", "exists": True},
     "'attributes.bank_account' is not a declared attribute of links"),
    ("company", {"field": "company.attributes.licence_no", "exists": True},
     "'company.attributes.licence_no' is not a declared attribute of the company"),
    ("company", {"all_items": {"field": "nodes", "where": {"field": "attributes.bank", "exists": True}}},
     "'attributes.bank' is not a declared attribute of partners"),
    ("node", {"upstream_none": {"where": {"field": "attributes.high_volum", "is_true": True}}},
     "'attributes.high_volum' is not a declared attribute of partners"),
    ("node", {"field": "attributes.bank_account", "within_days": 30},
     "within_days cannot read the bank account, declared as text"),
    ("node", {"field": "attributes.bank_account", "equals": 5},
     "equals compares the bank account, declared as text, with 5"),
    ("node", {"field": "attributes.listings", "in": [3, "a few"]},
     "in compares the listings, declared as integer, with a few"),
    ("node", {"field": "attributes.verified_on", "gt": "2026-01-01"},
     "gt compares the verified on, declared as date, with 2026-01-01"),
    ("node", {"field": "attributes.high_volume", "gte": 1}, "gte cannot read the high volume, declared as boolean"),
    ("node", {"field": "attributes.phones", "contains": 5},
     "contains compares the phones, declared as list of text, with 5"),
    ("node", {"field": "attributes.verified_on", "lt": {"ref": "attributes.listings"}},
     "lt compares the verified on, declared as date, with the listings, declared as integer"),
    ("node", {"field": "attributes.bank_account.iban", "exists": True},
     "'attributes.bank_account' has no fields (cannot read 'iban')"),
])
def test_reads_are_checked_against_the_declarations(tmp_path: Path, target: str, check: Any, message: str) -> None:
    applies = {"kind": ["lists_on"]} if target == "edge" else None
    found = lint_rule(tmp_path, target=target, check=check, applies_to=applies,
                      message="{company.name}" if target == "company" else "x")
    assert len(found) == 1 and found[0][2].startswith(f"rule TYP-SEL-001: {message}")
    assert found[0][0] is not None and found[0][1] is not None


def test_operands_that_fit_are_accepted(tmp_path: Path) -> None:
    for check in ({"field": "attributes.listings", "gte": 2}, {"field": "attributes.phones", "contains": "+49"},
                  {"field": "attributes.verified_on", "lt": {"ref": "attributes.verified_on"}},
                  {"any_item": {"field": "attributes.phones", "where": {"field": "value", "matches": "^[+]"}}},
                  {"field": "attributes.high_volume", "equals": False}):
        assert lint_rule(tmp_path, check=check) == [], check


def test_an_extension_adds_declarations(tmp_path: Path) -> None:
    base = data(PACK)
    write(tmp_path / "0.1.0.yaml", base)
    newer = {"pack": "typed-demo", "version": "0.2.0", "title": "More", "extends": "typed-demo@0.1.0",
             "attributes": {"node": {"bank_verified": {"type": "boolean", "description": "Account verified"}}},
             "rules": [{**base["rules"][0], "check": {"field": "attributes.bank_verified", "is_true": True}}]}
    folder = tmp_path / "typed-demo"
    folder.mkdir()
    write(folder / "0.1.0.yaml", base)
    report = lint([write(folder / "0.2.0.yaml", newer)])
    assert report.errors == 0, [d.format() for d in report.diagnostics]


def audit(*args: str) -> Any:
    return CliRunner().invoke(cli, ["audit", *args, "--format", "json"])


def supply_with(tmp_path: Path, **attributes: Any) -> Path:
    supply = data(SUPPLY)
    supply["nodes"][1]["attributes"].update(attributes)
    return write(tmp_path / "supply.yaml", supply)


def test_a_misspelt_attribute_in_the_supply_file_is_a_warning_naming_the_declared_one(tmp_path: Path) -> None:
    path = supply_with(tmp_path, bank_acount="DE00", sales_region="DACH")
    result = audit(str(path), "-g", str(PACK))
    assert result.exit_code == 0, result.output  # a warning, not a broken input (the gap is below --fail-on)
    warnings = [line for line in result.stderr.splitlines() if "did you mean" in line]
    assert warnings == [f"{path}:21:5: warning: nodes[1].attributes.bank_acount: attributes.bank_acount: did you "
                        "mean bank_account (declared by typed-demo)?"]


def test_a_value_of_the_wrong_type_is_a_located_error_with_exit_2(tmp_path: Path) -> None:
    path = supply_with(tmp_path, listings="twelve", phones="+49 30 1")
    result = audit(str(path), "-g", str(PACK))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{path}:19:13: error: nodes[1].attributes.phones: attributes.phones is +49 30 1, not a list of text "
        "values (declared by typed-demo) (expected list of text: Contact phone numbers)",
        f"{path}:20:15: error: nodes[1].attributes.listings: attributes.listings is twelve, not a whole number "
        "(declared by typed-demo) (expected integer: Active listings)",
    ]


def test_the_supply_file_is_not_checked_against_packs_that_declare_nothing(tmp_path: Path) -> None:
    path = supply_with(tmp_path, listings="twelve", bank_acount="x")
    result = audit(str(path), "-g", str(TESTS / "fixtures" / "sets" / "pack.yaml"))
    assert result.exit_code in (0, 1) and "did you mean" not in result.stderr


def test_two_packs_declaring_one_attribute_with_two_types_is_an_error(tmp_path: Path) -> None:
    other = data(PACK)
    other["pack"] = "other-demo"
    other["attributes"]["node"]["listings"]["type"] = "number"
    for rule in other["rules"]:
        rule["id"] = rule["id"].replace("TYP", "OTH")
    result = audit(str(SUPPLY), "-g", str(PACK), "-g", str(write(tmp_path / "other.yaml", other)))
    assert result.exit_code == 2
    assert "node attribute 'listings' is declared as number here and as integer by typed-demo" in result.stderr


def test_the_supply_schema_includes_the_declared_attributes(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema", "supply", "-g", str(PACK)])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    node = schema["$defs"]["Node"]["properties"]["attributes"]
    assert node["additionalProperties"] is True
    assert node["properties"]["verified_on"] == {
        "type": "string", "format": "date",
        "description": "When the seller's identity was last verified (date; declared by typed-demo)"}
    assert node["properties"]["phones"]["items"] == {"type": "string"}
    assert list(schema["$defs"]["Company"]["properties"]["attributes"]["properties"]) == ["licence"]
    validator = Draft202012Validator(schema)
    good = json.loads(json.dumps(data(SUPPLY), default=str))
    assert list(validator.iter_errors(good)) == []
    good["nodes"][1]["attributes"]["listings"] = "twelve"
    assert [list(e.absolute_path) for e in validator.iter_errors(good)] == [["nodes", 1, "attributes", "listings"]]
    refused = CliRunner().invoke(cli, ["schema", "pack", "-g", str(PACK)])
    assert refused.exit_code == 2 and "only the supply schema takes packs" in refused.stderr


def test_many_wrong_values_and_misspellings_are_summed_up(tmp_path: Path) -> None:
    supply = data(SUPPLY)
    supply["nodes"] += [{"id": f"x{i}", "name": f"Seller {i}", "role": "seller",
                         "attributes": {"listings": "many", "bank_acount": "x"}} for i in range(13)]
    path = write(tmp_path / "supply.yaml", supply)
    result = audit(str(path), "-g", str(PACK))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 11 and all("attributes.listings is many, not a whole number" in e for e in errors[:10])
    assert errors[10] == f"{path}: error: attributes.listings is not a whole number on another 3 partners " \
                         "(expected integer)"
    supply["nodes"] = [n for n in supply["nodes"] if not n["id"].startswith("x")] + [
        {"id": f"x{i}", "name": f"Seller {i}", "role": "seller", "attributes": {"bank_acount": "x"}} for i in range(3)]
    result = audit(str(write(path, supply)), "-g", str(PACK))
    (warning,) = [line for line in result.stderr.splitlines() if "did you mean" in line]
    assert warning.endswith("attributes.bank_acount: did you mean bank_account (declared by typed-demo)? "
                            "(3 partners have it; the first is here)")
    assert ":33:5: warning: nodes[3].attributes.bank_acount" in warning  # the first of them


def test_show_and_docs_list_the_declared_attributes() -> None:
    from nofakes.authoring.docs import docs_markdown
    from nofakes.packs.catalogue import load_pack_file, resolve_file

    shown = CliRunner().invoke(cli, ["guidelines", "show", str(PACK)])
    assert "  node verified_on (date): When the seller's identity was last verified\n" in shown.output
    assert "  company licence (text): Marketplace operating licence\n" in shown.output
    text = docs_markdown(resolve_file(load_pack_file(PACK)))
    assert "| node | `phones` | list of text | Contact phone numbers |\n" in text


def test_the_pack_schema_describes_declarations() -> None:
    from helpers import ROOT

    validator = Draft202012Validator(json.loads((ROOT / "schemas" / "guideline-pack.schema.json").read_text("utf-8")))
    pack = data(PACK)
    assert list(validator.iter_errors(pack)) == []
    pack["attributes"]["node"]["bank account"] = {"type": "txt", "description": "x"}
    pack["attributes"]["nodes"] = {}
    errors = list(validator.iter_errors(pack))
    assert [list(e.absolute_path) for e in errors] == [["attributes"]]  # its mistakes in the error's context


def test_a_placeholder_naming_an_undeclared_attribute_is_an_error(tmp_path: Path) -> None:
    found = lint_rule(tmp_path, message="{node.name} shares {node.attributes.bank_acount}")
    assert [f[2] for f in found] == [
        "rule TYP-SEL-001: placeholder {node.attributes.bank_acount}: 'node.attributes.bank_acount' is not a declared "
        "attribute of partners (the pack typed-demo declares its attributes)"]
    assert lint_rule(tmp_path, message="{node.name} shares {node.attributes.bank_account}") == []
