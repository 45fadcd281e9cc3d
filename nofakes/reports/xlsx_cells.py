"""The cells of the workbook's table rows, as sheet XML: one column of a block of rows at a time.

A large report has millions of cells, most of them text. Making each cell with Python code costs
about a microsecond; here a block of rows is cut into columns, each column's distinct values are
made into cells once (a column's repeated values, such as a rule's remediation, cost nothing
more), and the checks every text needs (characters a cell cannot hold, XML escaping, a leading
formula character, leading or trailing spaces, how many lines it wraps to) run over the whole
column in C (`str.join`, `map`) rather than value by value. Only the rare value that needs one of
these treatments is treated on its own, by the same code that makes a single cell (`cell_xml`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping, Sequence
from itertools import compress, repeat
from xml.sax.saxutils import escape

from nofakes.reports.cells import CELL_CHARS, FORMULA_STARTS, cell_text, starts_formula
from nofakes.reports.tables import Value

EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (1900) date system, as the serial numbers of dates count
CHARS_PER_WIDTH = 1.35  # characters of proportional text per unit of column width (one "0"), as LibreOffice wraps
EMPTY = "/>"  # an empty cell: `<c r="B7" />`
StyleIds = Mapping[tuple[str, bool], int]  # (cell kind, quote prefix) -> the workbook's style id
_TEXT_END = "</t></is></c>"


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` wide (an estimate: fonts are proportional)."""
    per_line = max(int(width * CHARS_PER_WIDTH), 1)
    return sum(len(part) // per_line + 1 for part in text.split("\n"))


def text_xml(style: int, text: str) -> str:
    """A text cell after its reference and a space: `s=".." t="inlineStr"><is><t>..</t></is></c>`."""
    if "&" in text or "<" in text or ">" in text:
        text = escape(text)
    if "\r" in text:
        text = text.replace("\r", "&#13;")  # a bare carriage return would be read back as a line feed
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f's="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell_xml(value: Value, kind: str, width: float, styles: StyleIds) -> tuple[str, int]:
    """One cell after its reference, and the lines its text takes (1 but for wrapped text)."""
    if value is None:
        return EMPTY, 1
    if isinstance(value, str):
        text = cell_text(value)
        return text_xml(styles[(kind, starts_formula(text))], text), wrapped_lines(text, width) if kind == "wrap" else 1
    style = styles[(kind, False)]
    if isinstance(value, bool):
        return f's="{style}" t="b"><v>{int(value)}</v></c>', 1
    if isinstance(value, dt.date):
        return f's="{style}"><v>{(value - EPOCH).days}</v></c>', 1
    return f's="{style}"><v>{value!r}</v></c>', 1


def column_xml(values: Sequence[Value], kind: str, width: float,
               styles: StyleIds) -> tuple[list[str], list[int] | None]:
    """The cells of one column of a block of rows, and (wrapped text only) the lines each takes."""
    distinct = list(dict.fromkeys(values))
    if None in distinct:
        distinct.remove(None)
    types = set(map(type, distinct))
    if types <= {str}:
        cells, lines = _texts_xml(distinct, kind, width, styles)  # type: ignore[arg-type]
    elif types <= {int, float}:  # (not bool, whose type is its own)
        head = f's="{styles[(kind, False)]}"><v>'
        cells, lines = [head + number + "</v></c>" for number in map(repr, distinct)], [1] * len(distinct)
    else:  # dates, yes/no
        made = [cell_xml(value, kind, width, styles) for value in distinct]
        cells, lines = [xml for xml, _ in made], [n for _, n in made]
    xml_of: dict[Value, str] = dict(zip(distinct, cells, strict=True))
    xml_of[None] = EMPTY
    column = list(map(xml_of.__getitem__, values))
    if kind != "wrap":
        return column, None
    lines_of: dict[Value, int] = dict(zip(distinct, lines, strict=True))
    lines_of[None] = 1
    return column, list(map(lines_of.__getitem__, values))


def _texts_xml(texts: list[str], kind: str, width: float, styles: StyleIds) -> tuple[list[str], list[int]]:
    """`cell_xml` of distinct texts, with every check run over all of them at once."""
    everything = "".join(texts)
    if not everything.isprintable() or (texts and max(map(len, texts)) > CELL_CHARS):
        texts = list(map(cell_text, texts))  # some value needs cleaning: cell_text leaves the others as they are
        everything = "".join(texts)
    per_line = max(int(width * CHARS_PER_WIDTH), 1)
    if kind != "wrap":
        lines = [1] * len(texts)
    elif "\n" in everything:
        lines = [wrapped_lines(text, width) for text in texts]
    else:
        lines = [len(text) // per_line + 1 for text in texts]
    quoted = list(map(str.startswith, texts, repeat(FORMULA_STARTS)))
    escaped = texts
    if "&" in everything or "<" in everything or ">" in everything or "\r" in everything:
        # clean text holds no NUL (cell_text drops it): it separates the texts escaped all at once
        escaped = ("\x00".join(texts).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                   .replace("\r", "&#13;").split("\x00"))
    head = f's="{styles[(kind, False)]}" t="inlineStr"><is><t>'
    cells = [head + text + _TEXT_END for text in escaped]
    special = map(operator.or_, quoted, map(operator.ne, texts, map(str.strip, texts)))  # leading/trailing space
    for index in compress(range(len(texts)), special):  # the few that need more than the common prefix
        cells[index] = text_xml(styles[(kind, quoted[index])], texts[index])
    return cells, lines
