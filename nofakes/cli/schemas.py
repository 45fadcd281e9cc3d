"""The published JSON Schemas: generated from the models, shipped in `schemas/`.

`supply` and `pack` are generated from the pydantic models (a test fails when the committed
files differ from a fresh generation); `report` is written by hand and the JSON report is
validated against it in the tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nofakes.core.resources import data_dir

if TYPE_CHECKING:
    from nofakes.packs.catalogue import ResolvedPack

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


_JSON_TYPES: dict[str, dict[str, Any]] = {"text": {"type": "string"}, "integer": {"type": "integer"},
                                          "number": {"type": "number"}, "boolean": {"type": "boolean"},
                                          "date": {"type": "string", "format": "date"}}
_RECORDS = {"node": "Node", "edge": "Edge", "product": "Product", "company": "Company"}  # owner -> $defs entry


def supply_with_attributes(packs: Sequence[ResolvedPack]) -> dict[str, Any]:
    """The supply schema whose `attributes` describe what the packs declare (other keys stay allowed),
    so that an editor completes the declared names and flags a value of the wrong type."""
    from nofakes.audit.attributes import declarations
    from nofakes.rules.declared import LIST

    schema = generate("supply")
    for owner, names in declarations(packs).items():
        properties: dict[str, Any] = {}
        for name, (attribute, pack) in sorted(names.items()):
            kind = attribute.type.value
            one = _JSON_TYPES[kind[len(LIST):]] if kind.startswith(LIST) else _JSON_TYPES[kind]
            described = {"description": f"{attribute.description} ({kind}; declared by {pack})"}
            properties[name] = {"type": "array", "items": one, **described} if kind.startswith(LIST) else {
                **one, **described}
        if properties:
            schema["$defs"][_RECORDS[owner]]["properties"]["attributes"] = {
                **schema["$defs"][_RECORDS[owner]]["properties"]["attributes"], "properties": properties}
    return schema


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
