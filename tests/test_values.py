"""Value rules YAML and JSON agree on (nofakes.supply.values): ISO date text under attributes is a
date in both formats, and the audit date (as_of, --as-of) must be plausible."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nofakes.audit.engine import run_audit
from nofakes.cli.main import cli
from nofakes.core.errors import InputError
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.loading import load_supply
from nofakes.supply.values import date_in_words, dates_in_attributes

YAML_SUPPLY = """\
nofakes: "1"
company: {id: acme, name: Acme, attributes: {founded: 1999-05-01}}
as_of: 2026-11-01
nodes:
  - id: screened
    name: Screened Ltd
    role: supplier
    attributes: {screening: {last: 2026-09-01, history: ["2025-09-01", 2024-09-01]}, kyc_expires: "2027-01-31"}
  - id: stale
    name: Stale Ltd
    role: supplier
    attributes: {screening: {last: "2025-01-15"}, kyc_expires: 2026-03-31}
  - id: odd
    name: Odd Ltd
    role: supplier
    attributes: {screening: {last: "2026-02-30"}, kyc_expires: "31/01/2027"}
"""
PACK = """\
pack: attr
version: 1.0.0
title: Attribute dates
status: released
sections: [{id: s, title: S}]
rules:
  - id: ATT-SCR-001
    title: Screened within a year
    section: s
    severity: high
    target: node
    applies_to: {role: [supplier]}
    check: {field: attributes.screening.last, within_days: 365}
    message: "{node.name} not screened in the last year"
    remediation: Screen them.
  - id: ATT-KYC-001
    title: KYC not expired
    section: s
    severity: medium
    target: node
    applies_to: {role: [supplier]}
    check: {field: attributes.kyc_expires, not_expired: true}
    message: "{node.name} KYC expired"
    remediation: Renew it.
"""


def _as_json(value: Any) -> Any:
    """The YAML document as JSON would carry it: every date as ISO text."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _write_both(tmp_path: Path) -> tuple[Path, Path]:
    import yaml

    yaml_path, json_path = tmp_path / "supply.yaml", tmp_path / "supply.json"
    yaml_path.write_text(YAML_SUPPLY, encoding="utf-8")
    json_path.write_text(json.dumps(_as_json(yaml.safe_load(YAML_SUPPLY)), indent=1), encoding="utf-8")
    return yaml_path, json_path


def test_iso_date_text_under_attributes_is_a_date_in_yaml_and_json(tmp_path: Path) -> None:
    yaml_path, json_path = _write_both(tmp_path)
    from_yaml, from_json = load_supply(yaml_path).document, load_supply(json_path).document
    assert from_yaml == from_json
    screened = from_yaml.nodes[0].attributes
    history = [dt.date(2025, 9, 1), dt.date(2024, 9, 1)]
    assert screened == {"screening": {"last": dt.date(2026, 9, 1), "history": history},
                        "kyc_expires": dt.date(2027, 1, 31)}  # quoted and unquoted alike
    assert from_yaml.company.attributes == {"founded": dt.date(1999, 5, 1)}
    # not an ISO calendar date: stays text, in both
    assert from_json.nodes[2].attributes == {"screening": {"last": "2026-02-30"}, "kyc_expires": "31/01/2027"}


def test_yaml_and_json_with_attribute_dates_give_the_same_audit(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    audits = [run_audit(load_supply(path), [resolve_pack(str(pack))], include_passes=True)
              for path in _write_both(tmp_path)]
    outcomes = [[(f.rule_id, f.subject, f.status.value, f.message) for f in audit.findings] for audit in audits]
    assert outcomes[0] == outcomes[1]
    statuses = {(rule, subject): status for rule, subject, status, _ in outcomes[0]}
    assert statuses[("ATT-SCR-001", "screened")] == "pass" and statuses[("ATT-KYC-001", "screened")] == "pass"
    assert statuses[("ATT-SCR-001", "stale")] == "fail" and statuses[("ATT-KYC-001", "stale")] == "fail"
    assert statuses[("ATT-SCR-001", "odd")] == "fail"  # text, not a date: never a pass
    assert audits[0].scores == audits[1].scores


def test_date_text_is_converted_in_shared_and_nested_containers_without_changing_the_input() -> None:
    shared = ["2026-01-01"]
    attributes = {"a": shared, "b": shared, "c": [{"d": ["2026-12-31", "x"]}], "n": 20260101}
    converted = dates_in_attributes(attributes)
    assert converted == {"a": [dt.date(2026, 1, 1)], "b": [dt.date(2026, 1, 1)],
                         "c": [{"d": [dt.date(2026, 12, 31), "x"]}], "n": 20260101}
    assert converted["a"] is converted["b"]  # a shared list is copied once
    assert attributes == {"a": ["2026-01-01"], "b": ["2026-01-01"], "c": [{"d": ["2026-12-31", "x"]}], "n": 20260101}
    assert dates_in_attributes({}) == {}


def test_deeply_nested_attributes_are_walked_without_recursion() -> None:
    deep: Any = "2026-01-01"
    for _ in range(5000):
        deep = [deep]
    converted = dates_in_attributes({"v": deep})["v"]
    for _ in range(5000):
        converted = converted[0]
    assert converted == dt.date(2026, 1, 1)


@pytest.mark.parametrize("text", ["2026-1-05", "２０２６-01-05", "2026-01-05 ", "2026-01-05\n", "2026-01-05T00:00"])
def test_only_exact_iso_date_text_becomes_a_date(text: str) -> None:
    assert dates_in_attributes({"v": text}) == {"v": text}


# ---------------------------------------------------------------- the audit date


def _supply(tmp_path: Path, as_of: str, suffix: str = ".yaml") -> Path:
    path = tmp_path / f"supply{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps({"nofakes": "1", "company": {"id": "a", "name": "A"}, "as_of": as_of,
                                    "nodes": [{"id": "s", "name": "S", "role": "supplier",
                                               "contract": {"expires": "9999-12-31"}}]}, indent=1))
    else:
        path.write_text(f'nofakes: "1"\ncompany: {{id: a, name: A}}\nas_of: {as_of}\nnodes:\n'
                        "  - {id: s, name: S, role: supplier, contract: {expires: 9999-12-31}}\n")
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("as_of, words", [("0001-01-01", "1 January 0001"), ("9999-12-31", "31 December 9999"),
                                           ("1969-12-31", "31 December 1969"), ("2200-01-01", "1 January 2200")])
def test_an_implausible_audit_date_is_a_located_error(tmp_path: Path, suffix: str, as_of: str, words: str) -> None:
    path = _supply(tmp_path, as_of, suffix)
    with pytest.raises(InputError) as caught:
        load_supply(path)
    (diagnostic,) = caught.value.diagnostics
    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "as_of" in text)
    column = lines[line - 1].index(as_of) + (0 if suffix == ".json" else 1)  # JSON: at the opening quote
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == ("as_of", line, column)
    assert diagnostic.message == f"{words} is not a plausible audit date"
    assert diagnostic.expected == "an audit date between 1 January 1970 and 31 December 2199"


@pytest.mark.parametrize("as_of", ["1970-01-01", "2199-12-31"])
def test_the_audit_date_bounds_are_included_and_other_dates_may_be_far(tmp_path: Path, as_of: str) -> None:
    document = load_supply(_supply(tmp_path, as_of)).document
    assert document.as_of == dt.date.fromisoformat(as_of)
    assert document.nodes[0].contract is not None and document.nodes[0].contract.expires == dt.date(9999, 12, 31)


def test_validate_reports_an_implausible_audit_date_with_exit_2(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["validate", str(_supply(tmp_path, "9999-12-31"))])
    assert done.exit_code == 2
    assert "supply.yaml:3:8: error: as_of: 31 December 9999 is not a plausible audit date" in done.output
    assert "Traceback" not in done.output


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_cli_as_of_goes_through_the_same_check(tmp_path: Path, value: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    done = CliRunner().invoke(cli, ["audit", str(_supply(tmp_path, "2026-11-01")), "-g", str(pack), "--as-of", value])
    assert done.exit_code == 2, done.output
    day = dt.date.fromisoformat(value)
    assert f"--as-of: error: {date_in_words(day)} is not a plausible audit date" in done.output
    assert "Traceback" not in done.output


def test_dates_in_words() -> None:
    assert date_in_words(dt.date(2026, 11, 1)) == "1 November 2026"
    assert date_in_words(dt.date(1, 1, 1)) == "1 January 0001"


# ---------------------------------------------------------------- numbers that are not finite


@pytest.mark.parametrize("suffix, value", [(".yaml", ".nan"), (".yaml", ".inf"), (".yaml", "-.inf"),
                                           (".json", "1e400"), (".json", "NaN")])
def test_a_number_that_is_not_finite_is_a_located_error(tmp_path: Path, suffix: str, value: str) -> None:
    path = tmp_path / f"supply{suffix}"
    if suffix == ".json":
        path.write_text('{"nofakes": "1", "company": {"id": "a", "name": "A"},\n "parameters": {"ratio": ' + value
                        + '},\n "nodes": [{"id": "s", "name": "S", "role": "supplier", "traceability": '
                        '{"records_retention_years": ' + value + "}}]}")
    else:
        path.write_text(f'nofakes: "1"\ncompany: {{id: a, name: A}}\nparameters: {{ratio: {value}}}\nnodes:\n'
                        f"  - {{id: s, name: S, role: supplier, traceability: {{records_retention_years: {value}}}}}\n")
    with pytest.raises(InputError) as caught:
        load_supply(path)
    lines = (2, 3) if suffix == ".json" else (3, 5)
    assert [(d.path, d.line, d.expected) for d in caught.value.diagnostics] == [
        ("parameters.ratio", lines[0], "a finite number"),
        ("nodes[0].traceability.records_retention_years", lines[1], "a finite number")]
