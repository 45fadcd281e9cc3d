"""The user's own watch lists: a CSV file with the columns name, country, aliases, reason, source.

Only `name` is required; headers are matched without regard to case. `aliases` holds several
names separated by `;` or `|`. `country` is a code (CN, CHN) or a name (China). The file is
read by the project's table reader (UTF-8 with or without a byte-order mark, else
Windows-1252; comma, semicolon or tab). Every bad row is reported, with its line, in one run.
"""

from __future__ import annotations

import re
from pathlib import Path

from nofakes.core.errors import Diagnostic, InputError, did_you_mean
from nofakes.screening.entries import WATCHLIST, Entry
from nofakes.sources.tables import Cell, Table, read_table
from nofakes.supply.countries import country_code

COLUMNS = ("name", "country", "aliases", "reason", "source")
COUNTRY_EXPECTED = "an ISO 3166 code such as CN or CHN, or a country name"
_ALIAS_SPLIT = re.compile(r"[;|]")


def load_watchlist(path: Path) -> tuple[Entry, ...]:
    """The entries of a watch-list CSV file; InputError listing every problem, each with its line."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        suffix = path.suffix or "a file without suffix"
        raise InputError([Diagnostic(path.name, f"a watch list is a CSV file, not {suffix}",
                                     expected="a .csv file with the columns " + ", ".join(COLUMNS))])
    table = read_table(path)
    columns = _columns(table)
    problems: list[Diagnostic] = []
    entries: list[Entry] = []
    for row in table.rows:
        def text(column: str) -> str | None:
            return _text(row.cells, columns, column)  # noqa: B023  (called only inside this iteration)

        name = text("name")
        if name is None:
            problems.append(table.diagnostic(row.number, columns["name"], "this row has no name",
                                             expected="the name of the company or market to watch for"))
            continue
        country = None
        written = text("country")
        if written is not None:
            country = country_code(written)
            if country is None:
                problems.append(table.diagnostic(row.number, columns["country"], f"unknown country {written!r}",
                                                 expected=COUNTRY_EXPECTED))
                continue
        entries.append(watch_entry(table.source_row(row.number), table.file, name, country, text("aliases"),
                                   text("reason"), text("source")))
    if problems:
        raise InputError(problems)
    return tuple(entries)


def watch_entry(entry_id: str, list_name: str, name: str, country: str | None, aliases: str | None,
                reason: str | None, source: str | None) -> Entry:
    """One watch-list entry; `country` a code, `aliases` separated by ';' or '|'."""
    names = tuple(a.strip() for a in _ALIAS_SPLIT.split(aliases or "") if a.strip())
    return Entry(id=entry_id, name=name, kind=WATCHLIST, list_name=list_name, aliases=names, country=country,
                 reason=reason, source=source)


def _text(cells: tuple[Cell, ...], columns: dict[str, int], column: str) -> str | None:
    index = columns.get(column)
    value = cells[index] if index is not None else None
    return (" ".join(str(value).split()) or None) if value is not None else None


def _columns(table: Table) -> dict[str, int]:
    columns: dict[str, int] = {}
    problems = []
    for index, header in enumerate(table.headers):
        key = header.strip().casefold()
        if key in COLUMNS:
            columns[key] = index
        else:
            problems.append(Diagnostic(table.file, f'unknown column "{header}"', path=f"column {index + 1}",
                                       line=table.header_row, column=index + 1,
                                       expected="the columns " + ", ".join(COLUMNS),
                                       hint=did_you_mean(key, COLUMNS)))
    if "name" not in columns:
        problems.append(Diagnostic(table.file, "the watch list has no name column", line=table.header_row,
                                   expected="a header row with the columns " + ", ".join(COLUMNS)))
    if problems:
        raise InputError(problems)
    return columns
