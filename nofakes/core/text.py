"""Text from the input made safe to show on a terminal.

A partner name, a message or a waiver reason comes from the user's files: it may hold
escape sequences (ESC, which can recolour or rewrite the terminal), NUL, bidi overrides
that show text in another order than it is stored, or megabytes of one value. JSON reports
keep the exact data (their encoder escapes control characters); terminal output goes
through `safe_text`.
"""

from __future__ import annotations

import re

TEXT_CHARS = 200  # longest value shown on a terminal (names, ids)
LONG_TEXT_CHARS = 1000  # messages and diagnostics, which quote values
ELLIPSIS = "…"
_SPACES = re.compile(r"[\t\n\r\v\f]+")
# C0 controls (with ESC and NUL), DEL, C1 controls; left-to-right/right-to-left marks; bidi embeddings,
# overrides (U+202A-202E) and isolates (U+2066-2069)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(value: object, limit: int = TEXT_CHARS) -> str:
    """`value` as text without control characters (line breaks and tabs become one space),
    at most `limit` characters (longer text is cut and ends with an ellipsis)."""
    text = str(value)
    if len(text) <= limit and text.isprintable():
        return text  # the common case: nothing to do
    head = text[: limit * 4]  # a 5 MB name is not cleaned whole to show 200 characters of it
    cleaned = _CONTROLS.sub("", _SPACES.sub(" ", head))
    if len(cleaned) > limit or len(head) < len(text):
        return cleaned[: max(limit - 1, 0)] + ELLIPSIS
    return cleaned
