"""The published supply-chain JSON Schema: up to date, and in agreement with the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import BROKEN, ROOT, VALID, plain_data
from nofakes.cli import schemas

COMMITTED = ROOT / "schemas" / "supply-chain.schema.json"
EXPECTED: dict[str, dict] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
MODEL_LEVEL = sorted(name for name, spec in EXPECTED.items() if spec.get("schema") == "reject")
VALID_ENTRIES = sorted([*VALID.glob("*.yaml"), *VALID.glob("*.json"), *VALID.glob("*/main.yaml")])
EXAMPLES = sorted(ROOT.glob("examples/*/supply.yaml"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_committed_schema_is_up_to_date() -> None:
    fresh = schemas.render(schemas.generate("supply"))
    committed = COMMITTED.read_text(encoding="utf-8")
    assert fresh == committed, (
        "schemas/supply-chain.schema.json is out of date with nofakes/model.py; regenerate it with\n"
        "    nofakes schema supply > schemas/supply-chain.schema.json"
    )


def test_schema_command_prints_the_committed_schema(runner) -> None:
    from nofakes.cli.main import cli

    result = runner.invoke(cli, ["schema", "supply"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == COMMITTED.read_text(encoding="utf-8")


def test_schema_header() -> None:
    schema = schemas.generate("supply")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/supply-chain.schema.json")
    assert schema["additionalProperties"] is False
    assert {"nofakes", "company"} <= set(schema["required"])


def test_there_is_something_to_check() -> None:
    assert len(VALID_ENTRIES) >= 5
    assert len(MODEL_LEVEL) >= 20


@pytest.mark.parametrize("path", [*VALID_ENTRIES, *EXAMPLES], ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_documents_satisfy_the_schema(path: Path, validator: Draft202012Validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(plain_data(path))]
    assert errors == []


@pytest.mark.parametrize("name", MODEL_LEVEL)
def test_schema_rejects_model_level_errors(name: str, validator: Draft202012Validator) -> None:
    data = plain_data(BROKEN / name)
    assert list(validator.iter_errors(data)), f"the schema accepts {name}, which the models reject"


def test_schema_and_models_agree_on_enumerations() -> None:
    from nofakes.supply.model import EdgeKind, Role

    schema = schemas.generate("supply")
    assert schema["$defs"]["Role"]["enum"] == [r.value for r in Role]
    assert schema["$defs"]["EdgeKind"]["enum"] == [k.value for k in EdgeKind]


# ---------------------------------------------------------------- guideline-pack schema

PACK_SCHEMA = ROOT / "schemas" / "guideline-pack.schema.json"


def test_committed_pack_schema_is_up_to_date() -> None:
    fresh = schemas.render(schemas.generate("pack"))
    assert PACK_SCHEMA.read_text(encoding="utf-8") == fresh, (
        "schemas/guideline-pack.schema.json is stale: run `nofakes schema pack > schemas/guideline-pack.schema.json`")


@pytest.mark.parametrize("pack", sorted((ROOT / "guidelines").glob("*/*.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_built_in_packs_satisfy_the_pack_schema(pack: Path) -> None:
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
                    .iter_errors(plain_data(pack)), key=str)
    assert not errors, [e.message for e in errors[:5]]


def test_pack_schema_rejects_an_unknown_operator() -> None:
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    pack = {"pack": "x", "version": "1.0.0", "title": "X", "sections": [{"id": "s", "title": "S"}],
            "rules": [{"id": "X-A-001", "title": "t", "section": "s", "severity": "low", "target": "node",
                       "check": {"field": "role", "equalz": "broker"}, "message": "m", "remediation": "r"}]}
    assert list(Draft202012Validator(schema).iter_errors(pack))


def test_report_schema_command_prints_the_shipped_file(runner) -> None:
    result = runner.invoke(__import__("nofakes.cli.main", fromlist=["cli"]).cli, ["schema", "report"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"].endswith("report.schema.json")
