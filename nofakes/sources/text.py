"""What every input format shares: bytes to text, offsets to positions, the parsed result,
and the bound on integers.

A file may start with a UTF-8 byte-order mark. It is dropped before anything else looks at
the bytes, so that line 1 is counted from the first real character, as editors show it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nofakes.core.errors import Diagnostic, format_path

UTF8_BOM = b"\xef\xbb\xbf"

# Whole numbers must stay below 10**15 in size. Spreadsheets keep 15 significant digits and
# JavaScript-based JSON tools about as many (2**53), so a larger number would silently change
# on its way through the tools these files come from; a long identifier belongs in quotes.
MAX_INTEGER_DIGITS = 15
INTEGER_LIMIT = 10**MAX_INTEGER_DIGITS


@dataclass(frozen=True, slots=True)
class Parsed:
    data: Any
    text: str


def offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(raw: bytes, file: str) -> str | Diagnostic:
    """Bytes to text (UTF-8, optional byte-order mark), or a located diagnostic."""
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = offset_to_line_col(head, len(head))
        return Diagnostic(file, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                          line=line, column=col, expected="a UTF-8 encoded YAML or JSON file")
    if "\x00" in text:
        line, col = offset_to_line_col(text, text.index("\x00"))
        return Diagnostic(file, "the file contains NUL bytes: it looks binary, not YAML or JSON",
                          line=line, column=col, expected="a YAML or JSON text file")
    return text


_SPACE = re.compile(r"[ \t\n\r]*")


def skip_space(text: str, pos: int) -> int:
    """The offset after the (JSON) white space at `pos`."""
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # `*` always matches


def first_char(text: str) -> str:
    """The first character that is not white space ('' if none), without copying the text."""
    pos = skip_space(text, 0)
    return text[pos:pos + 1]


def integer_too_large(written: str, file: str, line: int, column: int,
                      path: Sequence[str | int] | None) -> Diagnostic:
    """The diagnostic for a whole number of more than `MAX_INTEGER_DIGITS` digits, as written."""
    digits = sum(c.isdigit() for c in written)
    shown = written if len(written) <= 24 else f"{written[:20]}... ({digits:,} digits)"
    return Diagnostic(file, f"the number {shown} is too large", path=format_path(path or ()), line=line, column=column,
                      expected=f"a whole number of at most {MAX_INTEGER_DIGITS} digits",
                      hint="write an identifier or a code in quotes, as text")
