"""One table row to plain partner or flow data: each mapped cell read as its field's type, in its place.

A cell that cannot be read, a formula, or a sub-record without its required fields (an audit
without a result) is a problem on the row, located at the cell. References to partners
(`supplies_to`, `from`, `to`, `authorization.granted_by`) are kept as written, for
`nofakes.importing.partners` to resolve once every row is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from nofakes.core.errors import Diagnostic
from nofakes.core.text import folded
from nofakes.importing.fields import IGNORE, MODELS, PARTNER_REFS, Field, field_named
from nofakes.importing.mapping import ColumnMap, TableMap
from nofakes.importing.values import ValueProblem, to_list, to_text
from nofakes.sources.tables import Formula, Row, Table
from nofakes.supply.validation import unwrap_annotation

REFERENCES = ("from", "to", "authorization.granted_by")
DEFAULT_KIND = "supplies"  # the kind of a flow that names none


@dataclass
class Record:
    table: Table
    row: Row
    data: dict[str, Any]
    refs: dict[str, tuple[int, list[str]]] = field(default_factory=dict)  # field -> (column, partner names)
    fed: dict[str, int] = field(default_factory=dict)  # field -> the column feeding it
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read (already reported)
    problems: list[Diagnostic] = field(default_factory=list)


def _columns(table: Table, table_map: TableMap, kind: str) -> Iterator[tuple[int, ColumnMap, Field]]:
    index = {h: i for i, h in enumerate(table.headers) if h}
    for column in table_map.columns:
        if column.field == IGNORE or column.header not in index:
            continue
        target = field_named(column.field, kind)
        assert target is not None  # checked when the mapping was read or guessed
        yield index[column.header], column, target


def read_row(table: Table, table_map: TableMap, row: Row, order: str | None, kind: str) -> Record:
    record = Record(table, row, {})
    columns = list(_columns(table, table_map, kind))
    record.fed = {target.name: index for index, _column, target in columns}
    for index, column, target in columns:
        cell: Any = row.cells[index]
        if cell is not None and column.values:
            key = folded(to_text(cell))
            if key in column.value_map:
                cell = column.value_map[key]
        if cell is None:
            continue
        if isinstance(cell, Formula):
            record.problems.append(table.diagnostic(row.number, index, f"the cell holds a formula ({cell.text})",
                                                    expected="a value", hint="nofakes reads values, not formulas: "
                                                    "copy the column and paste it as values"))
            record.failed.add(target.name)
            continue
        if target.name in (PARTNER_REFS, *REFERENCES):
            record.refs[target.name] = (index, to_list(cell))  # a number cell (10023.0) names partner 10023
            continue
        try:
            value = target.convert(cell, order)
        except ValueProblem as problem:
            record.problems.append(table.diagnostic(row.number, index, problem.message, expected=problem.expected,
                                                    hint=problem.hint))
            record.failed.add(target.name)
            continue
        _place(record.data, target, value)
    _check_records(record, columns, kind)
    attributes = record.data.setdefault("attributes", {})
    attributes["source_row"] = table.source_row(row.number)
    return record


def _place(data: dict[str, Any], target: Field, value: Any) -> None:
    if target.record is None:
        data[target.key] = value
    elif target.record == "audits":
        data.setdefault("audits", [{}])[0][target.key] = value
    elif target.record == "certifications":
        certificates = data.setdefault("certifications", [])
        found = next((c for c in certificates if c["standard"] == target.standard), None)
        if found is None:
            found = {"standard": target.standard}
            certificates.append(found)
        found[target.key] = value
    else:
        data.setdefault(target.record, {})[target.key] = value


def _check_records(record: Record, columns: list[tuple[int, ColumnMap, Field]], kind: str) -> None:
    """A sub-record the row fills (an audit, a certificate, the authorization, ...) needs its required fields."""
    data = record.data
    for name, value in list(data.items()):
        items = value if isinstance(value, list) and value and isinstance(value[0], dict) else [value]
        for item in items:
            model = model_of(name, kind)
            if model is None or not isinstance(item, dict):
                continue
            missing = [k for k, info in model.model_fields.items() if info.is_required() and k not in item]
            if missing and not any(f.record == name and f.key in missing and f.name in record.failed
                                   for _i, _c, f in columns):
                label = name if name != "audits" else "audit"
                fed = [i for i, _c, f in columns if f.record == name and f.key in missing]
                where = fed[0] if fed else None
                record.problems.append(record.table.diagnostic(
                    record.row.number, where, f"the {label.replace('_', ' ')} has no {' or '.join(missing)}",
                    expected=f"{label} with {', '.join(missing)}",
                    hint=None if fed else f"add a column for {label.rstrip('s')}.{missing[0]}"))


def check_model(record: Record, kind: str) -> None:
    """The row's data checked by the format's own model (bounds such as a share between 0 and 1, or
    findings not negative), each problem located at the column that fed it. Flows are checked with
    stand-in ends: their partners are resolved (and checked) separately."""
    if record.problems:
        return
    data = {"from": "a", "to": "b", "kind": DEFAULT_KIND, **record.data} if kind == "flows" else record.data
    try:
        MODELS[kind].model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            column = next((record.fed[name] for name in record.fed if _fed_by(name, loc, record.data, kind)), None)
            if error["type"] == "missing":
                what = " ".join(str(part) for part in loc if isinstance(part, str)).replace("_", " ")
                message = f"no {what}: the cell is blank" if column is not None else f"no {what}"
            else:
                text = str(error["msg"])
                message = f"{error['input']!r}: {text[:1].lower()}{text[1:]}"
            record.problems.append(record.table.diagnostic(record.row.number, column, message,
                                                           expected="a value the supply-chain format accepts"))


def _fed_by(name: str, loc: tuple[Any, ...], data: dict[str, Any], kind: str) -> bool:
    target = field_named(name, kind)
    if target is None or not loc:
        return False
    if target.record is None:
        return bool(loc[0] == target.key)
    if target.record != loc[0] or loc[-1] != target.key:
        return False
    if target.standard is not None and len(loc) > 1 and isinstance(loc[1], int):
        return bool(data["certifications"][loc[1]].get("standard") == target.standard)
    return True


@cache
def model_of(name: str, kind: str) -> type[BaseModel] | None:
    owner = MODELS[kind]
    info = owner.model_fields.get(name) if name != "attributes" else None
    if info is None:
        return None
    inner = unwrap_annotation(info.annotation, ambiguous=None)
    inner = getattr(inner, "__args__", (inner,))[0] if getattr(inner, "__origin__", None) is list else inner
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
