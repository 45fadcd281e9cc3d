"""Rows to a supply-chain document: partners from one table, flows from a second or from a "supplies to" column.

Every problem is a `Diagnostic` naming the file, the sheet, the row and the column. A row
with a problem is never dropped silently: without `skip_bad_rows` the import fails with
every problem listed; with it, each bad row is left out and listed as a warning, and so is
every flow that names a partner left out.

- **Ids**: an id column's values (made valid: other characters become '-'); without one,
  or where it is blank, an id made from the name ('Shenzhen PCB Co.' -> 'shenzhen-pcb-co'),
  with '-2', '-3' for a name that repeats. One id twice is a duplicate partner, and so is
  one name twice in one country when there is no id column.
- **References** (`supplies_to`, `from`, `to`, `authorization.granted_by`): a partner's id,
  else its name (folded), else the company. A name two partners share is ambiguous.
- **The company** (who runs the audit): `--company`, else the mapping's `company:`, else the
  one partner whose role is brand_owner. It is a partner too (so tiers count from it).
- **Provenance**: each partner and flow keeps `attributes.source_row` ("partners.csv:12").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from nofakes.core.errors import Diagnostic, InputError, did_you_mean
from nofakes.core.text import folded
from nofakes.importing.fields import IGNORE, PARTNER_REFS, Field, field_named
from nofakes.importing.mapping import ColumnMap, Mapping, TableMap
from nofakes.importing.values import ValueProblem, shown, slug, to_identifier
from nofakes.sources.tables import Formula, Row, Table
from nofakes.supply import model as m

REFERENCES = ("from", "to", "authorization.granted_by")
DEFAULT_KIND = "supplies"


@dataclass(frozen=True)
class Options:
    date_format: str | None = None  # DMY or MDY; wins over the mapping's
    skip_bad_rows: bool = False
    company: str | None = None  # the company's name or a partner's id or name


@dataclass(frozen=True)
class Imported:
    document: dict[str, Any]
    skipped: tuple[Diagnostic, ...]  # why each left-out row was left out (warnings)
    skipped_rows: int


@dataclass
class _Record:
    table: Table
    row: Row
    data: dict[str, Any]
    refs: dict[str, tuple[int, list[str]]] = field(default_factory=dict)  # field -> (column, partner names)
    fed: dict[str, int] = field(default_factory=dict)  # field -> the column feeding it
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read (already reported)
    problems: list[Diagnostic] = field(default_factory=list)


def build(partners: Table, partner_map: TableMap, flows: Table | None, flow_map: TableMap | None,
          mapping: Mapping, options: Options) -> Imported:
    """The supply-chain document (plain data, ready to write) from the tables and their (complete) mappings."""
    order = options.date_format or mapping.date_format
    _require(partners, partner_map, ("name", "role"), "partner")
    records = [_read_row(partners, partner_map, row, order, flows=False) for row in partners.rows]
    flow_records: list[_Record] = []
    if flows is not None and flow_map is not None:
        _require(flows, flow_map, ("from", "to"), "flow")
        flow_records = [_read_row(flows, flow_map, row, order, flows=True) for row in flows.rows]
    nodes = _Partners(records, partners)
    company = nodes.company(options.company, mapping)
    edges, left_out = nodes.edges(records, flow_records)
    problems = [p for r in (*records, *flow_records) for p in r.problems if p.level == "error"]
    if problems and not options.skip_bad_rows:
        raise InputError(problems)
    bad = [r for r in (*records, *flow_records) if r.problems]
    skipped = tuple(sorted((*(Diagnostic(p.file, "row left out: " + p.message, p.path, p.line, p.column, p.expected,
                                         p.hint, "warning") for p in problems), *left_out),
                           key=lambda d: (d.file, d.line or 0, d.column or 0)))
    kept_nodes = [r.data for r in records if not r.problems]
    if nodes.added_company is not None:
        kept_nodes.insert(0, nodes.added_company)
    document: dict[str, Any] = {"nofakes": "1", "company": company}
    product_ids = _products(kept_nodes, edges)
    if product_ids:
        document["products"] = [{"id": ident, "name": name} for ident, name in product_ids.items()]
    document["nodes"] = [_ordered(n, m.Node) for n in kept_nodes]
    if edges:
        document["edges"] = [_ordered(e, m.Edge) for e in edges]
    return Imported(document, skipped, len(bad))


def _require(table: Table, table_map: TableMap, needed: tuple[str, ...], what: str) -> None:
    fed = {c.field for c in table_map.columns}
    missing = [f for f in needed if f not in fed and not (f == "name" and "id" in fed)]
    if missing:
        where = f'sheet "{table.sheet}", ' if table.sheet is not None else ""
        raise InputError([Diagnostic(
            table.file, f"no column gives the {what}s' {' or '.join(missing)}", path=f"{where}header row",
            line=table.header_row, column=1, expected="columns for " + ", ".join(needed),
            hint="name the columns " + " and ".join(f'"{n.title()}"' for n in missing) +
                 ", or map them with --map (see --print-map)")])


def _columns(table: Table, table_map: TableMap, flows: bool) -> Iterator[tuple[int, ColumnMap, Field]]:
    index = {h: i for i, h in enumerate(table.headers) if h}
    for column in table_map.columns:
        if column.field == IGNORE or column.header not in index:
            continue
        target = field_named(column.field, flows)
        assert target is not None  # checked when the mapping was read or guessed
        yield index[column.header], column, target


def _read_row(table: Table, table_map: TableMap, row: Row, order: str | None, flows: bool) -> _Record:
    record = _Record(table, row, {})
    columns = list(_columns(table, table_map, flows))
    record.fed = {target.name: index for index, _column, target in columns}
    for index, column, target in columns:
        cell: Any = row.cells[index]
        if cell is not None and column.values:
            key = folded(shown(cell).strip("'"))
            if key in column.value_map():
                cell = column.value_map()[key]
        if cell is None:
            continue
        if isinstance(cell, Formula):
            record.problems.append(table.diagnostic(row.number, index, f"the cell holds a formula ({cell.text})",
                                                    expected="a value", hint="nofakes reads values, not formulas: "
                                                    "copy the column and paste it as values"))
            record.failed.add(target.name)
            continue
        if target.name in (PARTNER_REFS, *REFERENCES):
            names = [n for n in str(cell).replace("\n", ";").split(";") if n.strip()]
            record.refs[target.name] = (index, [" ".join(n.split()) for n in names])
            continue
        try:
            value = target.convert(cell, order)
        except ValueProblem as problem:
            record.problems.append(table.diagnostic(row.number, index, problem.message, expected=problem.expected,
                                                    hint=problem.hint))
            record.failed.add(target.name)
            continue
        _place(record.data, target, value)
    _check_records(record, columns, flows)
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


def _check_records(record: _Record, columns: list[tuple[int, ColumnMap, Field]], flows: bool) -> None:
    """A sub-record the row fills (an audit, a certificate, the authorization, ...) needs its required fields."""
    data = record.data
    for name, value in list(data.items()):
        items = value if isinstance(value, list) and value and isinstance(value[0], dict) else [value]
        for item in items:
            model = _model_of(name, flows)
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


def _model_of(name: str, flows: bool) -> type[BaseModel] | None:
    owner = m.Edge if flows else m.Node
    info = owner.model_fields.get(name) if name != "attributes" else None
    if info is None:
        return None
    from nofakes.supply.validation import unwrap_annotation

    inner = unwrap_annotation(info.annotation, ambiguous=None)
    inner = getattr(inner, "__args__", (inner,))[0] if getattr(inner, "__origin__", None) is list else inner
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _products(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, str]:
    """Product ids named in products columns (and authorization scopes), made valid, with their names."""
    found: dict[str, str] = {}
    for item in (*nodes, *edges):
        lists = [item.get("products"), (item.get("authorization") or {}).get("scope")]
        for names in lists:
            if not names:
                continue
            ids = []
            for name in names:
                ident = to_identifier(name)
                found.setdefault(ident, name)
                ids.append(ident)
            names[:] = list(dict.fromkeys(ids))
    return found


def _ordered(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """`data` with its keys in the model's order (so the file reads as the format documents it)."""
    out: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        name = info.alias or key
        if name not in data:
            continue
        value = data[name]
        sub = _model_of(name, model is m.Edge)
        if sub is not None and isinstance(value, dict):
            value = _ordered(value, sub)
        elif sub is not None and isinstance(value, list):
            value = [_ordered(v, sub) for v in value]
        out[name] = value
    return out


class _Partners:
    """Partner ids, lookups by id and name, the company, and the flows between them."""

    def __init__(self, records: list[_Record], table: Table):
        self.records, self.table = records, table
        self.added_company: dict[str, Any] | None = None
        self.by_id: dict[str, _Record] = {}
        self.by_name: dict[str, list[_Record]] = {}
        given = {str(r.data["id"]) for r in records if "id" in r.data}
        used = set(given)
        first_of: dict[tuple[str, Any], _Record] = {}
        for record in records:
            data = record.data
            if "id" in data:
                ident = data["id"]
                if ident in self.by_id:
                    first = self.by_id[ident].row.number
                    record.problems.append(self._at(record, "id", f"duplicate partner: the id {ident!r} is also on "
                                                    f"row {first}", "one row per partner, each with its own id"))
                    continue
            else:
                name = str(data.get("name", ""))
                same = first_of.get((folded(name), data.get("country")))
                if same is not None and name:
                    record.problems.append(self._at(record, "name", f"duplicate partner: row {same.row.number} has "
                                                    "the same name and country", "one row per partner",
                                                    "give the partners an id column if they are different partners"))
                    continue
                first_of[(folded(name), data.get("country"))] = record
                ident = self._new_id(slug(name) or f"partner-{record.row.number}", used)
                data["id"] = ident
            self.by_id[ident] = record
            if "name" not in data:
                data["name"] = ident
            self.by_name.setdefault(folded(str(data["name"])), []).append(record)

    @staticmethod
    def _new_id(base: str, used: set[str]) -> str:
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        return ident

    def _at(self, record: _Record, field_name: str, message: str, expected: str, hint: str | None = None) -> Diagnostic:
        return record.table.diagnostic(record.row.number, record.fed.get(field_name), message, expected=expected,
                                       hint=hint)

    def company(self, wanted: str | None, mapping: Mapping) -> dict[str, Any]:
        given = dict(mapping.company)
        name = wanted or given.get("name")
        if name is None:
            owners = [r for r in self.records if r.data.get("role") == "brand_owner" and not r.problems]
            if len(owners) != 1:
                found = "none" if not owners else ", ".join(str(r.data["name"]) for r in owners)
                raise InputError([Diagnostic(self.table.file, f"which partner runs the audit? brand owners: {found}",
                                             expected="one partner with role brand_owner, or --company NAME",
                                             hint="give --company \"Your Company Ltd.\" (or company: in the mapping)")])
            data = owners[0].data
        else:
            match = self.find(name)
            if isinstance(match, _Record):
                data = match.data
            else:
                ident = given.get("id") or self._new_id(slug(name) or "company", set(self.by_id))
                data = {"id": ident, "name": name, "role": "brand_owner"}
                if given.get("country"):
                    data["country"] = given["country"]
                self.added_company = data
                self.by_id[ident] = _Record(self.table, Row(0, ()), data)
                self.by_name.setdefault(folded(name), []).append(_Record(self.table, Row(0, ()), data))
        return {k: data[k] for k in ("id", "name", "country") if k in data}

    def find(self, name: str) -> _Record | str:
        """The partner a reference names, or why none does."""
        if name in self.by_id:
            return self.by_id[name]
        named = self.by_name.get(folded(name), [])
        if len(named) == 1:
            return named[0]
        if named:
            rows = " and ".join(str(r.row.number) for r in named)
            return f"{name!r} is ambiguous: partners on rows {rows} have that name"
        hint = did_you_mean(name, [str(r.data["name"]) for rs in self.by_name.values() for r in rs])
        return f"no partner is named {name!r}" + (f"; {hint}" if hint else "")

    def resolve(self, record: _Record, field_name: str) -> list[_Record]:
        """The partners a reference cell names; a problem on `record` for each name that names none."""
        column, names = record.refs.get(field_name, (None, []))
        found_all = []
        for name in names:
            found = self.find(name)
            if isinstance(found, str):
                record.problems.append(record.table.diagnostic(record.row.number, column, found,
                                                               expected="a partner's id or name"))
            else:
                found_all.append(found)
        return found_all

    def edges(self, records: list[_Record], flows: list[_Record]) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
        """The flows, and a warning for each flow (or grantor) left out because its partner's row was.

        First every row's own problems (references that name nobody, a partner supplying itself, a
        flow given twice), which do not depend on other rows; then the flows whose rows and ends are fine.
        """
        planned: list[tuple[_Record, _Record, _Record, dict[str, Any], int | None]] = []
        seen: dict[tuple[str, str, str], str] = {}
        granted: dict[int, _Record] = {}

        def plan(record: _Record, source: _Record, target: _Record, data: dict[str, Any], column: int | None) -> None:
            kind = data.setdefault("kind", DEFAULT_KIND)
            if source is target:
                record.problems.append(record.table.diagnostic(record.row.number, column, "a partner cannot supply "
                                                               "itself", expected="a flow between two partners"))
                return
            key = (str(source.data["id"]), str(target.data["id"]), kind)
            if key in seen:
                record.problems.append(record.table.diagnostic(
                    record.row.number, column, f"the flow {key[0]} -> {key[1]} ({kind}) is also on {seen[key]}",
                    expected="one flow per pair of partners and kind"))
                return
            seen[key] = record.table.source_row(record.row.number)
            planned.append((record, source, target, data, column))

        for record in records:
            grantors = self.resolve(record, "authorization.granted_by")
            if grantors:
                granted[id(record)] = grantors[0]
            column = record.refs.get(PARTNER_REFS, (None, []))[0]
            for target in self.resolve(record, PARTNER_REFS):
                plan(record, record, target, {"attributes": {"source_row": record.data["attributes"]["source_row"]}},
                     column)
        for record in flows:
            sources, targets = self.resolve(record, "from"), self.resolve(record, "to")
            if len(sources) == 1 and len(targets) == 1:
                plan(record, sources[0], targets[0], record.data, record.refs["to"][0])
            elif not record.problems:
                record.problems.append(record.table.diagnostic(record.row.number, None, "a flow names one partner "
                                                               "as from and one as to", expected="one partner each"))
        left_out: list[Diagnostic] = []
        for record in records:
            grantor = granted.get(id(record))
            if grantor is not None and not record.problems:
                if grantor.problems:
                    left_out.append(self._left_out(record, "authorization.granted_by", grantor))
                else:
                    record.data.setdefault("authorization", {})["granted_by"] = grantor.data["id"]
        edges = []
        for record, source, target, data, column in planned:
            if record.problems:
                continue
            bad = source if source.problems else target if target.problems else None
            if bad is not None:
                left_out.append(self._left_out(record, None, bad, column))
                if record.table is not self.table:
                    record.problems.append(left_out[-1])  # a flow row left out is a row left out
                continue
            edges.append({"from": source.data["id"], "to": target.data["id"], **data})
        return edges, left_out

    @staticmethod
    def _left_out(record: _Record, field_name: str | None, bad: _Record, column: int | None = None) -> Diagnostic:
        where = bad.table.source_row(bad.row.number)
        what = "the grantor" if field_name else "the flow to or from"
        if field_name is not None:
            column = record.refs.get(field_name, (None, []))[0]
        return record.table.diagnostic(record.row.number, column, f"{what} {bad.data.get('name')!r} is left out: "
                                       f"its row ({where}) could not be imported", level="warning")
