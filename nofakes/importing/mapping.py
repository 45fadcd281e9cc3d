"""Mapping files: which column (of which sheet) feeds which field, with value maps.

```yaml
company: {name: Acme Audio Inc., country: US}   # optional: who runs the audit
date_format: DMY                                 # optional: DMY or MDY, for dates like 05/06/2026
partners:
  sheet: Suppliers                               # optional: a workbook's sheet (default: the first)
  columns:
    Supplier Name: name
    Status: {field: authorization.status, values: {Approved Vendor: authorized, Blocked: revoked}}
    Notes: ignore
flows:                                           # optional: the second table
  columns: {From: from, To: to}
products:                                        # optional: a table of products (id, name, category, critical)
  sheet: Products
  columns: {SKU: id, Description: name, Critical: critical}
```

A value map replaces a cell's value (compared folded: case, accents and punctuation do not
count) before it is read as the field's type; `null` leaves the field empty. Columns of the
table that the mapping does not name keep their values under `attributes`, with a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from nofakes.core.errors import Diagnostic, InputError, did_you_mean, format_path
from nofakes.core.text import folded
from nofakes.importing.fields import IGNORE, field_named, field_names
from nofakes.importing.headers import attribute_name, guess_field
from nofakes.importing.values import DATE_ORDERS, ValueProblem, to_country
from nofakes.importing.yamltext import scalar
from nofakes.sources import formats
from nofakes.sources.tables import Table

NEEDED = {"partners": ("name", "role"), "flows": ("from", "to"), "products": ("id",)}
_EXAMPLES = {"partners": "name, role, country, audit.date", "flows": "from, to, kind, products, share",
             "products": "id, name, category, critical"}
TOP_KEYS = ("company", "date_format", "partners", "flows", "products")
TABLE_KEYS = ("sheet", "columns")
COMPANY_KEYS = ("id", "name", "country")


@dataclass(frozen=True)
class ColumnMap:
    header: str
    field: str
    values: tuple[tuple[str, Any], ...] = ()  # (cell value as written in the mapping, replacement)
    line: int | None = None  # where the mapping file names the column
    column: int | None = None

    @cached_property
    def value_map(self) -> dict[str, Any]:
        """The replacements by folded cell value."""
        return {folded(raw): target for raw, target in self.values}


@dataclass(frozen=True)
class TableMap:
    columns: tuple[ColumnMap, ...]
    sheet: str | None = None


@dataclass(frozen=True)
class Mapping:
    partners: TableMap
    flows: TableMap | None = None
    products: TableMap | None = None
    company: tuple[tuple[str, str], ...] = ()  # (key, value) of id, name, country
    date_format: str | None = None
    file: str | None = None  # the mapping file, when there is one
    sha256: str | None = None


# ---------------------------------------------------------------- guessing and completing


def missing_fields(table_map: TableMap, kind: str) -> list[str]:
    """The fields every row of this kind needs that no column feeds (an id stands in for a name, and a
    name for an id: the one is made from the other)."""
    fed = {c.field for c in table_map.columns}
    stand_in = {"name": "id", "id": "name"}
    return [f for f in NEEDED[kind] if f not in fed and stand_in.get(f) not in fed]


def guess_table(table: Table, kind: str) -> TableMap:
    """A mapping of every header of `table`: recognised ones to their field, others to attributes.
    When two headers would feed one field, the first does and the next keeps its values as an attribute."""
    taken: set[str] = set()
    columns = []
    for header in table.headers:
        if not header:
            continue
        field = guess_field(header, kind)
        if field in taken:
            field = "attributes." + attribute_name(header)
        taken.add(field)
        columns.append(ColumnMap(header, field))
    return TableMap(tuple(columns), table.sheet)


def complete(given: TableMap, table: Table, mapping_file: str) -> tuple[TableMap, list[Diagnostic]]:
    """`given` checked against the table's headers (a named column that is missing is an error),
    with every header it does not name added as an attribute (a warning each)."""
    by_header = {folded(h): h for h in table.headers if h}
    problems: list[Diagnostic] = []
    columns: list[ColumnMap] = []
    for column in given.columns:
        actual = by_header.get(folded(column.header))
        if actual is None:
            problems.append(Diagnostic(mapping_file, f'the column "{column.header}" is not in {_table_name(table)}',
                                       line=column.line, column=column.column,
                                       expected="one of " + ", ".join(f'"{h}"' for h in table.headers if h),
                                       hint=did_you_mean(column.header, [h for h in table.headers if h])))
            continue
        columns.append(replace(column, header=actual))
    if problems:
        raise InputError(problems)
    named = {folded(c.header) for c in columns}
    warnings = []
    for header in table.headers:
        if header and folded(header) not in named:
            field = "attributes." + attribute_name(header)
            columns.append(ColumnMap(header, field))
            warnings.append(Diagnostic(table.file, f'the column "{header}" is not in the mapping: its values are kept '
                                       f"as {field}", level="warning", hint="map it to a field, or to 'ignore'"))
    return TableMap(tuple(columns), given.sheet), warnings


def _table_name(table: Table) -> str:
    return f'sheet "{table.sheet}" of {table.file}' if table.sheet is not None else table.file


# ---------------------------------------------------------------- reading a mapping file


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; InputError with `file:line:col` for every problem."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(name, f"cannot read the mapping file: {exc.strerror or exc}",
                                     expected="an existing YAML mapping file")]) from None
    text = formats.decode(raw, name)
    if isinstance(text, Diagnostic):
        raise InputError([text])
    parsed = formats.parse(text, name, formats.YAML)
    if isinstance(parsed, Diagnostic):
        raise InputError([parsed])
    reader = _MappingReader(name, text)
    data = parsed.data
    if not isinstance(data, dict) or "partners" not in data:
        reader.error([], "a mapping file needs a 'partners:' section", expected=", ".join(TOP_KEYS))
        raise InputError(reader.problems)
    for key in data:
        if key not in TOP_KEYS:
            reader.error([str(key)], f"unknown key {key!r}", expected="one of " + ", ".join(TOP_KEYS),
                         hint=did_you_mean(str(key), TOP_KEYS), key=True)
    partners = reader.table(data.get("partners"), "partners")
    flows = reader.table(data["flows"], "flows") if data.get("flows") is not None else None
    products = reader.table(data["products"], "products") if data.get("products") is not None else None
    company = reader.company(data.get("company"))
    order = data.get("date_format")
    if order is not None and str(order).upper() not in DATE_ORDERS:
        reader.error(["date_format"], f"unknown date format {order!r}", expected="DMY or MDY")
    if reader.problems:
        raise InputError(reader.problems)
    assert partners is not None
    return Mapping(partners, flows, products, company, str(order).upper() if order is not None else None, path.name,
                   hashlib.sha256(raw).hexdigest())


class _MappingReader:
    def __init__(self, file: str, text: str):
        self.file, self.text = file, text
        self.problems: list[Diagnostic] = []

    def error(self, path: Sequence[str | int], message: str, *, expected: str | None = None,
              hint: str | None = None, key: bool = False) -> None:
        line, col = formats.locate(self.text, path, key=key)
        self.problems.append(Diagnostic(self.file, message, path=format_path(path), line=line, column=col,
                                        expected=expected, hint=hint))

    def table(self, data: Any, section: str) -> TableMap | None:
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            self.error([section], f"'{section}' needs 'columns:'", expected="columns: {HEADER: FIELD, ...}")
            return None
        for key in data:
            if key not in TABLE_KEYS:
                self.error([section, str(key)], f"unknown key {key!r}", expected="sheet or columns",
                           hint=did_you_mean(str(key), TABLE_KEYS), key=True)
        sheet = data.get("sheet")
        columns = [c for c in (self.column(section, str(h), spec) for h, spec in data["columns"].items()) if c]
        return TableMap(tuple(columns), None if sheet is None else str(sheet))

    def column(self, section: str, header: str, spec: Any) -> ColumnMap | None:
        where: list[str | int] = [section, "columns", header]
        if isinstance(spec, dict):
            field, values = spec.get("field"), spec.get("values") or {}
            for key in spec:
                if key not in ("field", "values"):
                    self.error([*where, str(key)], f"unknown key {key!r}", expected="field or values", key=True)
        else:
            field, values = spec, {}
        names = field_names(section)
        if not isinstance(field, str) or (field != IGNORE and field_named(field, section) is None):
            examples = _EXAMPLES[section]
            self.error(where, f"{field!r} is not a field a column can feed",
                       expected=f"a field such as {examples}, attributes.NAME or ignore",
                       hint=did_you_mean(str(field), names))
            return None
        if not isinstance(values, dict):
            self.error([*where, "values"], "a value map is a mapping", expected="{CELL VALUE: FIELD VALUE, ...}")
            return None
        pairs = []
        for raw, target in values.items():
            if isinstance(raw, bool) or raw is None:
                self.error([*where, "values"], f"the value {raw!r} was read as YAML's {str(raw).lower()}",
                           expected="the cell value as text", hint="write it in quotes, such as 'yes' or 'no'")
                continue
            shown = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
            pairs.append((shown, target))
        line, col = formats.locate(self.text, where, key=True)
        return ColumnMap(header, field, tuple(pairs), line, col)

    def company(self, data: Any) -> tuple[tuple[str, str], ...]:
        if data is None:
            return ()
        if not isinstance(data, dict) or "name" not in data:
            self.error(["company"], "the company needs a name", expected="{name: ..., id: ..., country: ...}")
            return ()
        for key in data:
            if key not in COMPANY_KEYS:
                self.error(["company", str(key)], f"unknown key {key!r}", expected="id, name or country", key=True)
        company = {k: str(data[k]) for k in COMPANY_KEYS if data.get(k) is not None}
        if "country" in company:
            try:
                company["country"] = to_country(company["country"])
            except ValueProblem as problem:
                self.error(["company", "country"], problem.message, expected=problem.expected)
        return tuple(company.items())


# ---------------------------------------------------------------- writing one


def render(mapping: Mapping) -> str:
    """The mapping as a YAML mapping file, ready to save and edit (`--print-map`)."""
    lines = ["# nofakes import mapping: which column feeds which field (nofakes import --map THIS_FILE).",
             "# Fields are those of supply.yaml; audit.* fill the partner's audit, certification[STANDARD].* a",
             "# certificate, supplies_to names partners by id or name, attributes.NAME keeps any other value,",
             "# and ignore leaves a column out. values: maps a cell value to a field value (null: leave empty)."]
    if mapping.company:
        lines.append("company: {" + ", ".join(f"{k}: {_q(v)}" for k, v in mapping.company) + "}")
    if mapping.date_format:
        lines.append(f"date_format: {mapping.date_format}")
    for section, table in (("partners", mapping.partners), ("flows", mapping.flows), ("products", mapping.products)):
        if table is None:
            continue
        lines.append(f"{section}:")
        if table.sheet is not None:
            lines.append(f"  sheet: {_q(table.sheet)}")
        lines.append("  columns:")
        for column in table.columns:
            field = scalar(column.field)
            spec = field
            if column.values:
                pairs = ", ".join(f"{_q(k)}: {'null' if v is None else scalar(v)}"
                                  for k, v in column.values)
                spec = f"{{field: {field}, values: {{{pairs}}}}}"
            lines.append(f"    {_q(column.header)}: {spec}")
        for field in missing_fields(table, section):
            lines.append(f"    # no column feeds {field}, which every {section[:-1]} needs: map one here")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
