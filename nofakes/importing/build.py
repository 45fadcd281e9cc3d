"""Rows to a supply-chain document: partners from one table, flows from a second or from a "supplies to" column.

Every problem is a `Diagnostic` naming the file, the sheet, the row and the column. A row
with a problem is never dropped silently: without `skip_bad_rows` the import fails with
every problem listed; with it, each bad row is left out and listed as a warning, and so is
every flow that names a partner left out.

Ids, references and the company: see `nofakes.importing.partners`.
**Provenance**: each partner and flow keeps `attributes.source_row` ("partners.csv:12").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel

from nofakes.core.errors import Diagnostic, InputError
from nofakes.importing.mapping import NEEDED, Mapping, TableMap, missing_fields
from nofakes.importing.partners import Partners
from nofakes.importing.rows import Record, check_model, model_of, read_row
from nofakes.importing.values import slug, to_identifier
from nofakes.sources.tables import Table
from nofakes.supply import model as m
from nofakes.supply.validation import sort_diagnostics
from nofakes.supply.versions import needed_version


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
    notes: tuple[Diagnostic, ...] = ()  # warnings about what was imported (products not in the products table)


def build(tables: dict[str, tuple[Table, TableMap]], mapping: Mapping, options: Options) -> Imported:
    """The supply-chain document (plain data, ready to write) from the tables ('partners', and optionally
    'flows' and 'products') and their (complete) mappings."""
    order = options.date_format or mapping.date_format
    rows: dict[str, list[Record]] = {}
    for kind, (table, table_map) in tables.items():
        _require(table, table_map, kind)
        rows[kind] = [read_row(table, table_map, row, order, kind) for row in table.rows]
    records, flow_records, product_records = rows["partners"], rows.get("flows", []), rows.get("products", [])
    nodes = Partners(records, tables["partners"][0])
    for kind, kind_records in rows.items():
        for record in kind_records:
            check_model(record, kind)
    _product_ids(product_records)
    try:
        company = nodes.company(options.company, mapping)
    except InputError as exc:  # no company: say so, and why rows that might have given one could not
        problems = [p for r in (*records, *flow_records, *product_records) for p in r.problems if p.level == "error"]
        raise InputError([*exc.diagnostics, *sort_diagnostics(problems)]) from None
    edges, left_out = nodes.edges(records, flow_records)
    every = (*records, *flow_records, *product_records)
    problems = [p for r in every for p in r.problems if p.level == "error"]
    if problems and not options.skip_bad_rows:
        raise InputError(sort_diagnostics(problems))
    bad = [r for r in every if r.problems]
    skipped = tuple(sort_diagnostics([*(replace(p, message="row left out: " + p.message, level="warning")
                                        for p in problems), *left_out]))
    kept_nodes = [r.data for r in records if not r.problems]
    if nodes.added_company is not None:
        kept_nodes.insert(0, nodes.added_company)
    document: dict[str, Any] = {"nofakes": "1", "company": company}
    products = _products(kept_nodes, edges, [r.data for r in product_records if not r.problems])
    notes: tuple[Diagnostic, ...] = ()
    if "products" in tables:
        unlisted = [str(p["id"]) for p in products if "attributes" not in p]  # table rows carry source_row
        if unlisted:
            table = tables["products"][0]
            notes = (Diagnostic(table.file, "not in the products table, so imported with an id and a name only: " +
                                ", ".join(unlisted[:20]) + (f" and {len(unlisted) - 20} more" if len(unlisted) > 20
                                                            else ""), level="warning",
                                hint="add them to the products table to give their category and criticality"),)
    if products:
        document["products"] = [_ordered(p, m.Product, "products") for p in products]
    document["nodes"] = [_ordered(n, m.Node, "partners") for n in kept_nodes]
    if edges:
        document["edges"] = [_ordered(e, m.Edge, "flows") for e in edges]
    document["nofakes"] = needed_version(document)  # "1.1" only when a column maps to a field it added
    return Imported(document, skipped, len(bad), notes)


def _require(table: Table, table_map: TableMap, kind: str) -> None:
    missing = missing_fields(table_map, kind)
    if missing:
        where = f'sheet "{table.sheet}", ' if table.sheet is not None else ""
        raise InputError([Diagnostic(
            table.file, f"no column gives the {kind}' {' or '.join(missing)}", path=f"{where}header row",
            line=table.header_row, column=1, expected="columns for " + ", ".join(NEEDED[kind]),
            hint="name the columns " + " and ".join(f'"{n.title()}"' for n in missing) +
                 ", or map them with --map (see --print-map)")])


def _product_ids(records: list[Record]) -> None:
    """Each product row's id (from its name when it has none); one id twice is a problem on the second row."""
    seen: dict[str, int] = {}
    for record in records:
        data = record.data
        if "id" not in data and "name" in data:
            data["id"] = to_identifier(data["name"]) if slug(str(data["name"])) else f"product-{record.row.number}"
        data.setdefault("name", data.get("id"))
        ident = data.get("id")
        if ident in seen:
            record.problems.append(record.table.diagnostic(record.row.number, record.fed.get("id"),
                                                           f"duplicate product: the id {ident!r} is also on row "
                                                           f"{seen[ident]}", expected="one row per product"))
        elif isinstance(ident, str):
            seen[ident] = record.row.number


def _products(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
              table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The products table's rows, then every other product named in products columns (and authorization
    scopes), with its id made valid and its name as written."""
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
    listed = {str(p["id"]) for p in table}
    return [*table, *({"id": ident, "name": name} for ident, name in found.items() if ident not in listed)]


def _ordered(data: dict[str, Any], model: type[BaseModel], kind: str | None = None) -> dict[str, Any]:
    """`data` with its keys in the model's order (so the file reads as the format documents it); `kind`
    (partners, flows, products) for a row's own data, None for a sub-record."""
    out: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        name = info.alias or key
        if name not in data:
            continue
        value = data[name]
        sub = model_of(name, kind) if kind is not None else None
        if sub is not None and isinstance(value, dict):
            value = _ordered(value, sub)
        elif sub is not None and isinstance(value, list):
            value = [_ordered(v, sub) for v in value]
        out[name] = value
    return out
