"""One import from start to end: read the tables and the mapping, build the document, write and check the text.

Flows come from the second table given, or else from a sheet named "Flows" in the partners'
workbook (the layout `nofakes init --xlsx` writes), or from the mapping's `flows.sheet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nofakes.core.errors import Diagnostic, UsageError
from nofakes.core.text import folded
from nofakes.importing.build import Imported, Options, build
from nofakes.importing.headers import recognised
from nofakes.importing.mapping import Mapping, TableMap, complete, guess_table, load_mapping
from nofakes.importing.output import Provenance, import_date, render, validate
from nofakes.sources.tables import XLSX_SUFFIXES, Table, read_table, sheet_names
from nofakes.supply.loading import LoadedSupply

FLOW_SHEETS = frozenset({"flows", "flow", "edges", "relationships", "supply flows"})


@dataclass(frozen=True)
class Inputs:
    partners: Table
    flows: Table | None
    mapping: Mapping  # complete: every header of the tables is named
    guessed: bool  # the mapping was guessed from the headers
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Result:
    text: str
    imported: Imported
    loaded: LoadedSupply


def read_inputs(partners: Path, flows: Path | None, mapping_file: Path | None, *, sheet: str | None = None,
                encoding: str | None = None, delimiter: str | None = None) -> Inputs:
    """The tables and their mapping (given, checked and completed; or guessed)."""
    _check_options(partners, flows, sheet, encoding, delimiter)
    given = load_mapping(mapping_file) if mapping_file is not None else None
    partner_sheet = sheet or (given.partners.sheet if given else None)
    partner_table = read_table(partners, sheet=partner_sheet, encoding=encoding, delimiter=delimiter)
    flow_table = None
    flow_sheet = given.flows.sheet if given and given.flows else None
    if flows is not None:
        flow_table = read_table(flows, sheet=flow_sheet, encoding=encoding, delimiter=delimiter)
    elif partners.suffix.lower() in XLSX_SUFFIXES:
        inside = flow_sheet or next((n for n in sheet_names(partners) if folded(n) in FLOW_SHEETS), None)
        if inside is not None and inside != partner_table.sheet:
            flow_table = read_table(partners, sheet=inside)
    if given is not None and given.flows is not None and flow_table is None:
        raise UsageError([Diagnostic(str(mapping_file), "the mapping maps flows, but there is no flows table",
                                     expected="a FLOWS file after PARTNERS, or flows.sheet naming a sheet of the "
                                              "partners' workbook")])
    if given is None:
        mapping = Mapping(guess_table(partner_table, flows=False),
                          guess_table(flow_table, flows=True) if flow_table is not None else None)
        notes = [_unrecognised(t, m, f) for t, m, f in ((partner_table, mapping.partners, False),
                                                        (flow_table, mapping.flows, True)) if t is not None and m]
        return Inputs(partner_table, flow_table, mapping, True, tuple(n for n in notes if n is not None))
    name = str(mapping_file)
    partner_map, warnings = complete(given.partners, partner_table, False, name)
    flow_map = None
    if flow_table is not None:
        flow_map, more = complete(given.flows or guess_table(flow_table, flows=True), flow_table, True, name)
        warnings = [*warnings, *more]
    mapping = Mapping(partner_map, flow_map, given.company, given.date_format, given.file, given.sha256)
    return Inputs(partner_table, flow_table, mapping, False, tuple(warnings))


def _check_options(partners: Path, flows: Path | None, sheet: str | None, encoding: str | None,
                   delimiter: str | None) -> None:
    books = [p.suffix.lower() in XLSX_SUFFIXES for p in (partners, flows) if p is not None]
    if sheet is not None and not books[0]:
        raise UsageError([Diagnostic("--sheet", "a CSV file has no sheets", expected="--sheet with a workbook")])
    for option, value in (("--encoding", encoding), ("--delimiter", delimiter)):
        if value is not None and all(books):
            raise UsageError([Diagnostic(option, "a workbook has no text " + option[2:],
                                         expected=f"{option} with a CSV file")])


def _unrecognised(table: Table, table_map: TableMap, flows: bool) -> Diagnostic | None:
    """A warning naming the headers that were not recognised (their values are kept as attributes)."""
    kept = [f'"{c.header}"' for c in table_map.columns if not recognised(c.header, flows)]
    if not kept:
        return None
    where = f'sheet "{table.sheet}"' if table.sheet is not None else ""
    return Diagnostic(table.file, f"not recognised, kept as attributes: {', '.join(kept)}", path=where,
                      level="warning", hint="if one of them is a field, map it (nofakes import --print-map > "
                                            "mapping.yaml, edit, then --map mapping.yaml)")


def run(inputs: Inputs, options: Options, output_name: str) -> Result:
    """Build the document, render it, and load the text with the supply-chain loader (InputError if it fails)."""
    mapping = inputs.mapping
    imported = build(inputs.partners, mapping.partners, inputs.flows, mapping.flows, mapping, options)
    tables = (inputs.partners,) + ((inputs.flows,) if inputs.flows is not None else ())
    provenance = Provenance(tables, None if inputs.guessed else mapping.file, mapping.sha256, import_date())
    text = render(imported.document, provenance)
    return Result(text, imported, validate(text, output_name))
