"""The published JSON Schemas: generated from the models, shipped in `schemas/`.

`supply` and `pack` are generated from the pydantic models (a test fails when the committed
files differ from a fresh generation); `report` is written by hand and the JSON report is
validated against it in the tests.
"""

from __future__ import annotations

import json
from typing import Any

from nofakes.core.resources import data_dir

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://nofakes.dev/schemas/"
FILES = {"supply": "supply-chain.schema.json", "pack": "guideline-pack.schema.json", "report": "report.schema.json"}


def generate(kind: str) -> dict[str, Any]:
    """Generate the schema for 'supply' or 'pack' from the models."""
    if kind == "supply":
        from nofakes.supply.model import Document

        schema = Document.model_json_schema(by_alias=True, mode="validation")
    elif kind == "pack":
        from nofakes.packs.model import CONDITION_MARKER, Pack
        from nofakes.rules.schema import condition_defs

        schema = _replace_marker(Pack.model_json_schema(by_alias=True, mode="validation"), CONDITION_MARKER)
        schema["$defs"].update(condition_defs({"$ref": "#/$defs/EdgeKind"}))
    else:
        raise ValueError(f"schema {kind!r} is not generated")
    return {"$schema": DIALECT, "$id": BASE_ID + FILES[kind], **schema}


def _replace_marker(node: Any, marker: str) -> Any:
    if isinstance(node, dict):
        if node.get(marker):
            return {"$ref": "#/$defs/Condition"}
        return {k: _replace_marker(v, marker) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_marker(v, marker) for v in node]
    return node


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def shipped(kind: str) -> dict[str, Any]:
    """The schema file shipped with nofakes."""
    return json.loads((data_dir("schemas") / FILES[kind]).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def text(kind: str) -> str:
    """The schema as published text: generated for supply/pack, the shipped file for report."""
    if kind == "report":
        return (data_dir("schemas") / FILES[kind]).read_text(encoding="utf-8")
    return render(generate(kind))
