"""The report formats by name, imported only when used.

Each entry names the formatter class as "module:Class" and says whether the format writes
binary output (which never goes to a terminal). `nofakes --help` and the `--format`
choices read this table without importing any formatter. Adding a format is one module
(a `Formatter` subclass rendering a `ReportView`) and one entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nofakes.reports.base import Formatter


@dataclass(frozen=True, slots=True)
class FormatSpec:
    target: str  # "package.module:Class"
    binary: bool = False  # bytes that are not text (xlsx): refused on a terminal

    def load(self) -> type[Formatter]:
        module, _, name = self.target.partition(":")
        cls: type[Formatter] = getattr(importlib.import_module(module), name)
        return cls


FORMATS: dict[str, FormatSpec] = {
    "terminal": FormatSpec("nofakes.reports.terminal:TerminalFormatter"),
    "json": FormatSpec("nofakes.reports.json_report:JsonFormatter"),
    "xlsx": FormatSpec("nofakes.reports.xlsx:XlsxFormatter", binary=True),
    "csv": FormatSpec("nofakes.reports.csv_report:CsvFormatter"),
}


def format_names() -> tuple[str, ...]:
    return tuple(FORMATS)


def formatter(name: str) -> Formatter:
    """A formatter of the format `name` (one of `format_names()`)."""
    return FORMATS[name].load()()
