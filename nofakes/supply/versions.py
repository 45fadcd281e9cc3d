"""Format versions: which fields each version of the supply-chain format added.

A field marked `since_format("1.1", ...)` in the models may appear only in a file that declares
`nofakes: "1.1"`: a file that says "1" promises to be readable by any nofakes that reads format 1,
which would reject the key. So a format "1" file that uses one is told, at the key, which version
it needs. `uses_newer_fields` walks only the keys that lead to such fields (a set test per record,
a call only for records whose model nests one), so a large format "1" file costs little to check.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from nofakes.supply.base import added_in
from nofakes.supply.model import FORMAT_VERSIONS, Document

Loc = tuple[str | int, ...]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly, in an Optional or as list items; else None."""
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            return current
        stack.extend(typing.get_args(current))
    return None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to look at in a record of `model`: its keys newer than the version, and the keys
    whose records (or lists of records) hold newer keys further down."""

    model: type[BaseModel]
    newer: frozenset[str]
    nested: tuple[tuple[str, _Plan], ...]


@cache
def _plan(model: type[BaseModel], version: str) -> _Plan:
    later = FORMAT_VERSIONS[FORMAT_VERSIONS.index(version) + 1:]
    newer: set[str] = set()
    nested: list[tuple[str, _Plan]] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if added_in(model, name) in later:
            newer.add(key)
            continue
        inner = _inner_model(info.annotation)
        if inner is not None and inner is not model:
            plan = _plan(inner, version)
            if plan.newer or plan.nested:
                nested.append((key, plan))
    return _Plan(model, frozenset(newer), tuple(nested))


def uses_newer_fields(data: Any, version: str, model: type[BaseModel] = Document,
                      loc: Loc = ()) -> list[tuple[Loc, str, str]]:
    """(location, key, version that added it) of every key in `data` newer than format `version`."""
    out: list[tuple[Loc, str, str]] = []
    if version in FORMAT_VERSIONS and isinstance(data, dict):
        _walk(data, _plan(model, version), loc, out)
    return out


def _walk(data: dict[str, Any], plan: _Plan, loc: Loc, out: list[tuple[Loc, str, str]]) -> None:
    if not plan.newer.isdisjoint(data):
        out.extend(((*loc, key), key, str(added_in(plan.model, _name(plan.model, key))))
                   for key in data if key in plan.newer)
    for key, inner in plan.nested:  # in the model's order: a few keys per record
        value = data.get(key)
        if not value:
            continue
        newer, deeper = inner.newer, inner.nested
        if isinstance(value, dict):
            if deeper or not newer.isdisjoint(value):
                _walk(value, inner, (*loc, key), out)
        elif isinstance(value, list):
            # a record whose model nests nothing newer needs one set test, not a call (edges, incidents)
            for index, item in enumerate(value):
                if isinstance(item, dict) and (deeper or not newer.isdisjoint(item)):
                    _walk(item, inner, (*loc, key, index), out)


def _name(model: type[BaseModel], key: str) -> str:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return name
    raise KeyError(key)


def needed_version(data: Any) -> str:
    """The oldest format version a document mapping can declare (e.g. for a file the importer writes)."""
    for version in FORMAT_VERSIONS:
        if not uses_newer_fields(data, version):
            return version
    return FORMAT_VERSIONS[-1]
