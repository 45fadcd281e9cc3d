"""Turning a merged supply-chain mapping into a `Document`, with errors people can act on.

Two passes, both reporting every problem they find:
1. the pydantic models (types, enums, required keys, unknown keys) - errors are translated
   into located diagnostics with what was found, what was expected and "did you mean" (here);
2. cross references the models cannot see (nofakes.supply.references).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from nofakes.core.errors import Diagnostic, did_you_mean, format_path
from nofakes.sources import formats
from nofakes.supply.model import FORMAT_VERSIONS, ID_PATTERN, MERGED_LISTS, Document
from nofakes.supply.origins import Origin, Source

MAX_REPORTED = 1000
VERSIONS_EXPECTED = "format version " + " or ".join(f'"{v}"' for v in FORMAT_VERSIONS)


def unwrap_annotation(annotation: Any, ambiguous: Any = None) -> Any:
    """Strip Optional/Annotated and return the inner type. A union of several types is
    returned as it is, or as `ambiguous` when that is given."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation if ambiguous is None else ambiguous
            annotation = args[0]
        else:
            return annotation


def _field_alias(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    return info.alias or name


def model_at(path: Sequence[str | int], root: type[BaseModel] = Document) -> Any:
    """The type expected at a document path (a model class, an Enum, list, dict, ...)."""
    current: Any = root
    for part in path:
        current = unwrap_annotation(current)
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
                continue
            return None
        if isinstance(current, type) and issubclass(current, BaseModel):
            by_alias = {_field_alias(current, n): n for n in current.model_fields}
            if part not in by_alias:
                return None
            current = current.model_fields[by_alias[part]].annotation
            continue
        if typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
            continue
        return None
    return unwrap_annotation(current)


def allowed_keys(path: Sequence[str | int], root: type[BaseModel] = Document) -> list[str]:
    model = model_at(path, root)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [_field_alias(model, n) for n in model.model_fields]
    return []


def _enum_values(path: Sequence[str | int], root: type[BaseModel]) -> list[str]:
    model = model_at(path, root)
    if isinstance(model, type) and issubclass(model, Enum):
        return [str(m.value) for m in model]
    return []


def _short(value: Any) -> str:
    """The offending value as the user wrote it (not as a Python repr of dates or nested data)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "date", "list", "dict", "none"})


_NO_DATA: Any = object()
_VALIDATOR_TAG = re.compile(r"[a-z][a-z-]*\[.*\]", re.DOTALL)  # function-after[...], json-or-python[...]


def clean_loc(loc: tuple[Any, ...], root: type[BaseModel] = Document, data: Any = _NO_DATA) -> tuple[str | int, ...]:
    """Drop pydantic's union/validator tags ('str', 'function-after[...]') from a location.

    With `data` (the validated input), a part that is a key or index actually present there is
    always kept, so that a user's key such as `a[b]` or `str` is not mistaken for a tag.
    """
    out: list[str | int] = []
    current, walking = data, data is not _NO_DATA
    for part in loc:
        if walking:
            if isinstance(current, dict) and part in current:
                out.append(part)
                current = current[part]
                continue
            if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                out.append(part)
                current = current[part]
                continue
        if isinstance(part, str) and _VALIDATOR_TAG.fullmatch(part):
            continue
        if isinstance(part, str) and part in _TYPE_TAGS and model_at([*out, part], root) is None:
            continue
        out.append(part)
        walking = False  # a key that is not in the data (a missing one): nothing left to walk
    return tuple(out)


def located_error(error: Any, loc: tuple[str | int, ...], file: str, text: str, local: list[str | int],
                  root: type[BaseModel] = Document) -> Diagnostic:
    """One pydantic error as a located diagnostic; `local` is the path inside `file`."""
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        keys = allowed_keys(loc[:-1], root)
        line, col = formats.locate(text, local, key=True)
        return Diagnostic(file, f"unknown key {loc[-1]!r}", path=format_path(local), line=line, column=col,
                          expected="one of: " + ", ".join(keys) if keys else None,
                          hint=did_you_mean(str(loc[-1]), keys))
    line, col = formats.locate(text, local)
    if kind == "invalid_key":  # a key like 1, true or null: pydantic's loc holds the key itself
        key = "null" if value is None else str(value).lower() if isinstance(value, bool) else _short(value)
        line, col = formats.locate(text, local, key=True)
        return Diagnostic(file, f"key {key} is not text", path=format_path(local[:-1]), line=line,
                          column=col, expected="text keys (quote the key)")
    if kind == "missing":
        return Diagnostic(file, f"missing required key {loc[-1]!r}", path=format_path(local[:-1]),
                          line=line, column=col, expected=f"{loc[-1]!r} to be set")
    if kind == "enum":
        values = _enum_values(loc, root)
        return Diagnostic(file, f"found {_short(value)}", path=format_path(local), line=line, column=col,
                          expected="one of: " + ", ".join(values), hint=did_you_mean(str(value), values))
    if kind == "literal_error" and root is Document and tuple(loc) == ("nofakes",):
        hint = f'write the version as text: nofakes: "{value}"' if str(value) in FORMAT_VERSIONS else None
        return Diagnostic(file, f"unsupported format version {_short(value)}", path=format_path(local),
                          line=line, column=col, expected=VERSIONS_EXPECTED, hint=hint)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return Diagnostic(file, f"found {_short(value)}", path=format_path(local), line=line, column=col,
                          expected=expected)
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    elif kind in ("date_from_datetime_parsing", "date_from_datetime_inexact", "date_parsing", "date_type",
                  "bool_type", "bool_parsing",
                  "string_type", "int_type", "int_parsing", "float_type", "float_parsing", "list_type",
                  "model_type", "dict_type", "string_pattern_mismatch", "greater_than_equal",
                  "less_than_equal", "string_too_short", "string_too_long", "int_from_float", "finite_number"):
        message = f"found {_short(value)}: {message[0].lower()}{message[1:]}"
    ctx = error.get("ctx") or {}
    expected = _EXPECTED.get(kind) or (ctx["expected"] if isinstance(ctx.get("expected"), str) else None)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        expected = "an id of letters, digits, '.', '_', ':' and '-', starting with a letter or digit"
    elif kind == "greater_than_equal" and "ge" in ctx:
        expected = f"a number of at least {_number(ctx['ge'])}"
    elif kind == "less_than_equal" and "le" in ctx:
        expected = f"a number of at most {_number(ctx['le'])}"
    elif kind == "string_too_short" and ctx.get("min_length") == 1:
        expected = "non-empty text"
    return Diagnostic(file, message, path=format_path(local), line=line, column=col, expected=expected)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


_EXPECTED = {
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
}


def locate_source(loc: tuple[str | int, ...], origins: dict[str, list[Origin]]) -> tuple[int, list[str | int]]:
    if len(loc) >= 2 and loc[0] in MERGED_LISTS and isinstance(loc[1], int):
        origin_list = origins.get(str(loc[0]), [])
        if loc[1] < len(origin_list):
            origin = origin_list[loc[1]]
            return origin.source, [loc[0], origin.index, *loc[2:]]
    return 0, list(loc)


def translate_validation_error(merged: dict[str, Any], origins: dict[str, list[Origin]],
                               sources: Sequence[Source]) -> tuple[Document | None, list[Diagnostic]]:
    """Validate the merged mapping; return the document or the located diagnostics."""
    try:
        return Document.model_validate(merged), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    diagnostics: list[Diagnostic] = []
    seen: set[tuple[str | int, ...]] = set()
    # a parameter is one of several types: for .nan or .inf, say it is not finite, not that it is no boolean
    not_finite = {clean_loc(tuple(e["loc"]), Document, merged) for e in errors if e["type"] == "finite_number"}
    for error in errors:
        loc = clean_loc(tuple(error["loc"]), Document, merged)
        if loc in seen or (loc in not_finite and error["type"] != "finite_number"):
            continue
        seen.add(loc)
        source, local = locate_source(loc, origins)
        diagnostics.append(located_error(error, loc, sources[source].display, sources[source].text, local))
        if len(diagnostics) >= MAX_REPORTED:
            break
    return None, diagnostics


def sort_diagnostics(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then line and column (unlocated first)."""
    return sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.column or 0))
