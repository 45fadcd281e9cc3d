"""The CSV gap list (`--format csv`): one row per gap, the columns of the workbook's Gaps sheet.

Rows in the view's gap order (failing findings, most severe first, then waived ones), a header
row, RFC 4180 quoting and line ends. UTF-8 with a byte order mark: Excel, where most of these
files are opened, reads a CSV without one in the machine's legacy code page and garbles every
non-ASCII partner name; Python (`encoding="utf-8-sig"`), pandas and LibreOffice read the mark
as what it is. Every text goes through `reports/cells.py`: text that a spreadsheet would take
for a formula is written behind an apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from nofakes.reports.base import Formatter
from nofakes.reports.cells import csv_text
from nofakes.reports.tables import Value, gap_columns, gap_rows
from nofakes.reports.view import ReportView
from nofakes.supply.loading import paused_gc

ENCODING = "utf-8-sig"  # UTF-8 behind a byte order mark


def _field(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, (int, float)):
        return value
    return value.isoformat()


class CsvFormatter(Formatter):

    def render(self, view: ReportView) -> bytes:
        buffer = io.BytesIO()
        self.write(view, buffer)
        return buffer.getvalue()

    def write(self, view: ReportView, stream: BinaryIO) -> None:
        text = io.TextIOWrapper(stream, encoding=ENCODING, newline="", write_through=False)
        try:
            writer = csv.writer(text)
            writer.writerow([column.header for column in gap_columns(view)])
            with paused_gc():  # hundreds of thousands of short-lived rows: collections would only slow it
                writer.writerows([_field(value) for value in row] for row in gap_rows(view))
            text.flush()
        finally:
            text.detach()  # the stream belongs to the caller
