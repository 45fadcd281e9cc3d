"""Report formats: one module per format, one interface, one registry.

Every formatter turns an `AuditResult` into bytes. The CLI builds its `--format` choices
from `FORMATTERS`; adding a format means adding a module and one line here.
"""

from __future__ import annotations

from nofakes.reports.base import Formatter, RenderOptions
from nofakes.reports.json_report import JsonFormatter
from nofakes.reports.terminal import TerminalFormatter

FORMATTERS: dict[str, type[Formatter]] = {
    "terminal": TerminalFormatter,
    "json": JsonFormatter,
}

__all__ = ["FORMATTERS", "Formatter", "RenderOptions"]
