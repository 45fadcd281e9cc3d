"""One import from start to end: read the tables and the mapping, build the document, write and check the text.

Flows come from the second table given, or else from a sheet named "Flows" in the partners'
workbook (the layout `nofakes init --xlsx` writes), or from the mapping's `flows.sheet`;
products likewise from `--products`, a "Products" sheet, or `products.sheet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nofakes.core.errors import Diagnostic, UsageError
from nofakes.core.text import folded
from nofakes.importing.build import Imported, Options, build
from nofakes.importing.fields import KINDS
from nofakes.importing.headers import recognised
from nofakes.importing.mapping import Mapping, TableMap, complete, guess_table, load_mapping
from nofakes.importing.output import Provenance, import_date, render, validate
from nofakes.sources.tables import XLSX_SUFFIXES, Table, read_table, sheet_names
from nofakes.supply.loading import LoadedSupply

SHEET_NAMES = {"flows": frozenset({"flows", "flow", "edges", "relationships", "supply flows"}),
               "products": frozenset({"products", "product", "items", "articles", "parts"})}


@dataclass(frozen=True)
class Inputs:
    tables: dict[str, Table]  # by kind: 'partners', then 'flows' and 'products' when there are such tables
    mapping: Mapping  # complete: every header of the tables is named
    guessed: bool  # the mapping was guessed from the headers
    warnings: tuple[Diagnostic, ...]

    @property
    def partners(self) -> Table:
        return self.tables["partners"]


@dataclass(frozen=True)
class Result:
    text: str
    imported: Imported
    loaded: LoadedSupply


def read_inputs(partners: Path, flows: Path | None, mapping_file: Path | None, *, products: Path | None = None,
                sheet: str | None = None, encoding: str | None = None, delimiter: str | None = None) -> Inputs:
    """The tables and their mapping (given, checked and completed; or guessed)."""
    _check_options(partners, flows, products, sheet, encoding, delimiter)
    given = load_mapping(mapping_file) if mapping_file is not None else None
    maps: dict[str, TableMap | None] = (
        {"partners": given.partners, "flows": given.flows, "products": given.products} if given else {})
    files = {"partners": partners, "flows": flows, "products": products}
    book = partners.suffix.lower() in XLSX_SUFFIXES
    sheets = sheet_names(partners) if book else []
    tables: dict[str, Table] = {}
    for kind in KINDS:
        given_map = maps.get(kind)
        wanted = sheet if kind == "partners" and sheet else (given_map.sheet if given_map is not None else None)
        path = files[kind]
        if path is not None:
            tables[kind] = read_table(path, sheet=wanted, encoding=encoding, delimiter=delimiter)
        elif kind == "partners":
            tables[kind] = read_table(partners, sheet=wanted, encoding=encoding, delimiter=delimiter)
        elif book:
            inside = wanted or next((n for n in sheets if folded(n) in SHEET_NAMES[kind]), None)
            if inside is not None and inside != tables["partners"].sheet:
                tables[kind] = read_table(partners, sheet=inside)
        if given_map is not None and kind not in tables:
            raise UsageError([Diagnostic(str(mapping_file), f"the mapping maps {kind}, but there is no {kind} table",
                                         expected=f"--{kind} FILE" if kind == "products" else "a FLOWS file after "
                                         "PARTNERS" + f", or {kind}.sheet naming a sheet of the partners' workbook")])
    if given is None:
        guessed = {kind: guess_table(table, kind) for kind, table in tables.items()}
        mapping = Mapping(guessed["partners"], guessed.get("flows"), guessed.get("products"))
        notes = [_unrecognised(table, guessed[kind], kind) for kind, table in tables.items()]
        return Inputs(tables, mapping, True, tuple(n for n in notes if n is not None))
    completed: dict[str, TableMap] = {}
    warnings: list[Diagnostic] = []
    for kind, table in tables.items():
        completed[kind], more = complete(maps.get(kind) or guess_table(table, kind), table, str(mapping_file))
        warnings.extend(more)
    mapping = Mapping(completed["partners"], completed.get("flows"), completed.get("products"), given.company,
                      given.date_format, given.file, given.sha256)
    return Inputs(tables, mapping, False, tuple(warnings))


def _check_options(partners: Path, flows: Path | None, products: Path | None, sheet: str | None,
                   encoding: str | None, delimiter: str | None) -> None:
    books = [p.suffix.lower() in XLSX_SUFFIXES for p in (partners, flows, products) if p is not None]
    if sheet is not None and not books[0]:
        raise UsageError([Diagnostic("--sheet", "a CSV file has no sheets", expected="--sheet with a workbook")])
    for option, value in (("--encoding", encoding), ("--delimiter", delimiter)):
        if value is not None and all(books):
            raise UsageError([Diagnostic(option, "a workbook has no text " + option[2:],
                                         expected=f"{option} with a CSV file")])


def _unrecognised(table: Table, table_map: TableMap, kind: str) -> Diagnostic | None:
    """A warning naming the headers that were not recognised (their values are kept as attributes)."""
    kept = [f'"{c.header}"' for c in table_map.columns if not recognised(c.header, kind)]
    if not kept:
        return None
    where = f'sheet "{table.sheet}"' if table.sheet is not None else ""
    return Diagnostic(table.file, f"not recognised, kept as attributes: {', '.join(kept)}", path=where,
                      level="warning", hint="if one of them is a field, map it (nofakes import --print-map > "
                                            "mapping.yaml, edit, then --map mapping.yaml)")


def run(inputs: Inputs, options: Options, output_name: str) -> Result:
    """Build the document, render it, and load the text with the supply-chain loader (InputError if it fails)."""
    mapping = inputs.mapping
    maps = {"partners": mapping.partners, "flows": mapping.flows, "products": mapping.products}
    tables: dict[str, tuple[Table, TableMap]] = {}
    for kind, table in inputs.tables.items():
        table_map = maps[kind]
        assert table_map is not None  # read_inputs maps every table it reads
        tables[kind] = (table, table_map)
    imported = build(tables, mapping, options)
    provenance = Provenance(tuple(inputs.tables.values()), None if inputs.guessed else mapping.file, mapping.sha256,
                            import_date())
    text = render(imported.document, provenance)
    return Result(text, imported, validate(text, output_name))
