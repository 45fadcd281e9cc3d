"""Format versions: which fields each version of the supply-chain format added.

A field marked `since_format("1.1", ...)` in the models may appear only in a file that declares
`nofakes: "1.1"`: a file that says "1" promises to be readable by any nofakes that reads format 1,
which would reject the key. So a format "1" file that uses one is told, at the key, which version
it needs. `uses_newer_fields` walks only the keys that lead to such fields (a set intersection
per record), so a large format "1" file costs almost nothing to check.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
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


@cache
def _plan(model: type[BaseModel], version: str) -> tuple[frozenset[str], dict[str, type[BaseModel]]]:
    """(keys added after `version`, keys whose records hold such keys further down) of `model`."""
    later = FORMAT_VERSIONS[FORMAT_VERSIONS.index(version) + 1:]
    newer: set[str] = set()
    nested: dict[str, type[BaseModel]] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if added_in(model, name) in later:
            newer.add(key)
            continue
        inner = _inner_model(info.annotation)
        if inner is not None and inner is not model:
            inner_newer, inner_nested = _plan(inner, version)
            if inner_newer or inner_nested:
                nested[key] = inner
    return frozenset(newer), nested


def uses_newer_fields(data: Any, version: str, model: type[BaseModel] = Document,
                      loc: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """(location, key, version that added it) of every key in `data` newer than format `version`."""
    if version not in FORMAT_VERSIONS or not isinstance(data, dict):
        return
    newer, nested = _plan(model, version)
    if not newer.isdisjoint(data):
        for key in data:
            if key in newer:
                yield (*loc, key), key, str(added_in(model, _name(model, key)))
    for key in nested:  # in the model's order: a few keys per record
        value = data.get(key)
        if isinstance(value, dict):
            yield from uses_newer_fields(value, version, nested[key], (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from uses_newer_fields(item, version, nested[key], (*loc, key, i))


def _name(model: type[BaseModel], key: str) -> str:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return name
    raise KeyError(key)


def needed_version(data: Any) -> str:
    """The oldest format version a document mapping can declare (e.g. for a file the importer writes)."""
    for version in FORMAT_VERSIONS:
        if next(uses_newer_fields(data, version), None) is None:
            return version
    return FORMAT_VERSIONS[-1]
