"""Text from the input made safe to show on a terminal.

A partner name, a message or a waiver reason comes from the user's files: it may hold
escape sequences (ESC, which can recolour or rewrite the terminal), NUL, bidi overrides
that show text in another order than it is stored, or megabytes of one value. JSON reports
keep the exact data (their encoder escapes control characters); terminal output goes
through `safe_text`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

TEXT_CHARS = 200  # longest value shown on a terminal (names, ids)
LONG_TEXT_CHARS = 1000  # messages and diagnostics, which quote values
ELLIPSIS = "…"
_SPACES = re.compile(r"[\t\n\r\v\f]+")
# Beyond the C0 controls (U+0000-001F, with ESC and NUL): DEL, C1 controls (U+009B is a CSI), left-to-right and
# right-to-left marks, bidi embeddings and overrides (U+202A-202E) and isolates (U+2066-2069), as a regex class body
UNSAFE_BEYOND_C0 = "\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\x00-\x1f{UNSAFE_BEYOND_C0}]")


def _clean(text: str) -> str:
    return _CONTROLS.sub("", _SPACES.sub(" ", text))


def safe_text(value: object, limit: int = TEXT_CHARS) -> str:
    """`value` as text without control characters (line breaks and tabs become one space), at most
    `limit` characters: longer text keeps its beginning and its end around an ellipsis, so that a
    message quoting a huge name still ends with what it says about it."""
    text = str(value)
    if len(text) <= limit and text.isprintable():
        return text  # the common case: nothing to do
    if len(text) > 4 * limit:  # a 5 MB name is not cleaned whole to show 200 characters of it
        head, tail = _clean(text[: 2 * limit]), _clean(text[-2 * limit:])
    else:
        head = tail = _clean(text)
        if len(head) <= limit:
            return head
    back = (limit - 1) // 2
    front = limit - 1 - back
    return head[:front] + ELLIPSIS + (tail[-back:] if back else "")


@lru_cache(maxsize=65536)  # a supplier list repeats its roles, countries and yes/no words on every row
def folded(text: str) -> str:
    """`text` as compared by people rather than byte for byte: case, accents and punctuation do not
    count, and words are separated by one space ('Supplier-Name ' and 'supplier name' fold alike;
    'Côte d'Ivoire' folds to 'cote d ivoire')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def count_of(n: int, word: str, plural: str | None = None) -> str:
    """'1 rule', '1,234 rules' (or `plural`: '2 entries'): a count and its noun, for messages and reports."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def either(items: Iterable[str]) -> str:
    """'A, B or C' (each item once)."""
    return _join(list(dict.fromkeys(items)), "or")


def both(items: Iterable[str]) -> str:
    """'A, B and C' (each item once)."""
    return _join(list(dict.fromkeys(items)), "and")


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def listing(names: Sequence[str], limit: int = 3) -> str:
    """Names of matching items, shortened after a few: "A, B, C and 2 more"."""
    if len(names) <= limit:
        return both(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
