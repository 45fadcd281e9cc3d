"""The imported document as `supply.yaml` text: a provenance comment, then the data, checked by the loader.

The text depends only on the inputs (their names and bytes), the mapping and the date
of the import, so the same import on the same day gives the same bytes. The date is
today's, or the one `SOURCE_DATE_EPOCH` gives (the reproducible-builds convention).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nofakes.core.errors import Diagnostic, InputError
from nofakes.importing.yamltext import dump
from nofakes.sources.tables import Table
from nofakes.supply.loading import LoadedSupply, load_supply


@dataclass(frozen=True)
class Provenance:
    tables: tuple[Table, ...]
    mapping: str | None  # the mapping file's name, None when the headers were recognised
    mapping_sha256: str | None
    date: dt.date


def import_date() -> dt.date:
    """Today (UTC), or the day `SOURCE_DATE_EPOCH` (seconds since 1970) names."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def render(document: dict[str, Any], provenance: Provenance) -> str:
    lines = [f"# Imported by `nofakes import` on {provenance.date.isoformat()} from:"]
    for table in provenance.tables:
        sheet = f', sheet "{table.sheet}"' if table.sheet is not None else ""
        encoding = f", {table.encoding}" if table.encoding else ""
        lines.append(f"#   {table.file}{sheet}{encoding} (sha256 {table.sha256})")
    if provenance.mapping is not None:
        lines.append(f"# with the mapping {provenance.mapping} (sha256 {provenance.mapping_sha256}).")
    else:
        lines.append("# with the mapping guessed from the headers (see `nofakes import --print-map`).")
    lines.append("# Each partner's and flow's attributes.source_row names the row it came from. Edit the")
    lines.append("# spreadsheet and import it again, rather than editing this file by hand.")
    body = dump(document)
    return "\n".join(lines) + "\n" + body


def validate(text: str, name: str) -> LoadedSupply:
    """Load `text` with the supply-chain loader, as `nofakes validate` would (errors name `name`)."""
    with tempfile.TemporaryDirectory(prefix="nofakes-import-") as folder:
        path = Path(folder) / "supply.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_supply(path)
        except InputError as exc:
            raise InputError([_renamed(d, str(path), name) for d in exc.diagnostics]) from None


def _renamed(diagnostic: Diagnostic, old: str, new: str) -> Diagnostic:
    return replace(diagnostic, file=new) if diagnostic.file in (old, Path(old).name) else diagnostic
