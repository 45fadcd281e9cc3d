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
from nofakes.importing.mapping import Mapping, TableMap
from nofakes.importing.partners import Partners
from nofakes.importing.rows import Record, check_model, model_of, read_row
from nofakes.importing.values import to_identifier
from nofakes.sources.tables import Table
from nofakes.supply import model as m
from nofakes.supply.validation import sort_diagnostics


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


def build(partners: Table, partner_map: TableMap, flows: Table | None, flow_map: TableMap | None,
          mapping: Mapping, options: Options) -> Imported:
    """The supply-chain document (plain data, ready to write) from the tables and their (complete) mappings."""
    order = options.date_format or mapping.date_format
    _require(partners, partner_map, ("name", "role"), "partner")
    records = [read_row(partners, partner_map, row, order, flows=False) for row in partners.rows]
    flow_records: list[Record] = []
    if flows is not None and flow_map is not None:
        _require(flows, flow_map, ("from", "to"), "flow")
        flow_records = [read_row(flows, flow_map, row, order, flows=True) for row in flows.rows]
    nodes = Partners(records, partners)
    for record in records:
        check_model(record, flows=False)
    for record in flow_records:
        check_model(record, flows=True)
    try:
        company = nodes.company(options.company, mapping)
    except InputError as exc:  # no company: say so, and why rows that might have given one could not
        problems = [p for r in (*records, *flow_records) for p in r.problems if p.level == "error"]
        raise InputError([*exc.diagnostics, *sort_diagnostics(problems)]) from None
    edges, left_out = nodes.edges(records, flow_records)
    problems = [p for r in (*records, *flow_records) for p in r.problems if p.level == "error"]
    if problems and not options.skip_bad_rows:
        raise InputError(sort_diagnostics(problems))
    bad = [r for r in (*records, *flow_records) if r.problems]
    skipped = tuple(sort_diagnostics([*(replace(p, message="row left out: " + p.message, level="warning")
                                        for p in problems), *left_out]))
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
        sub = model_of(name, model is m.Edge)
        if sub is not None and isinstance(value, dict):
            value = _ordered(value, sub)
        elif sub is not None and isinstance(value, list):
            value = [_ordered(v, sub) for v in value]
        out[name] = value
    return out
