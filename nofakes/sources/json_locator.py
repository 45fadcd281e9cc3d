"""Where a document path sits in JSON text, found only when there is an error to report.

Values on the way are skipped with the C decoder, not parsed into objects, so locating
one error in a large file is fast; the items of a top-level list are indexed once (cached),
since a file may have hundreds of errors to locate.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from functools import lru_cache

from nofakes.sources.text import offset_to_line_col, skip_space

_DECODER = json.JSONDecoder()


def locate_json(text: str, path: Sequence[str | int], key: bool = False) -> tuple[int, int] | None:
    """1-based (line, column) of `path` in JSON text, the nearest existing ancestor if absent
    (as `nofakes.sources.yaml_locator` finds it); None if the text is not well-formed JSON."""
    offset = _json_offset(text, path, key)
    return None if offset is None else offset_to_line_col(text, offset)


@lru_cache(maxsize=4)
def _json_items(text: str, key: str) -> tuple[int, ...] | None:
    """Offsets of the items of the array under top-level key `key` in JSON text, in one pass."""
    offset = _json_offset(text, [key], False)
    if offset is None or text[offset] != "[":
        return None
    try:
        return tuple(_array_items(text, offset))
    except (IndexError, ValueError, RecursionError):
        return None


def _array_items(text: str, offset: int) -> Iterator[int]:
    """Offsets of the items of the JSON array opening at `offset`, each skipped by the C
    decoder; ValueError (or IndexError) if the array is malformed."""
    pos = skip_space(text, offset + 1)
    while text[pos] != "]":
        yield pos
        pos = skip_space(text, _DECODER.raw_decode(text, pos)[1])
        if text[pos] == ",":
            pos = skip_space(text, pos + 1)
        elif text[pos] != "]":
            raise ValueError("malformed array")


def _json_offset(text: str, path: Sequence[str | int], key: bool) -> int | None:
    """Offset of `path` in JSON text; None if not JSON."""
    space = skip_space
    try:
        pos = mark = space(text, 0)
        if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int) and text[pos] == "{":
            items = _json_items(text, path[0])  # cached: a file may have hundreds of errors to locate
            if items is not None and 0 <= path[1] < len(items):
                pos = mark = items[path[1]]
                path = path[2:]
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if text[pos] == "{":
                pos = space(text, pos + 1)
                found: tuple[int, int] | None = None
                while text[pos] != "}":
                    key_at = pos
                    if text[pos] != '"':
                        return None
                    name, pos = _DECODER.raw_decode(text, pos)
                    pos = space(text, pos)
                    if text[pos] != ":":
                        return None
                    pos = space(text, pos + 1)
                    if name == str(part):
                        found = (key_at, pos)
                        break
                    pos = space(text, _DECODER.raw_decode(text, pos)[1])
                    if text[pos] == ",":
                        pos = space(text, pos + 1)
                    elif text[pos] != "}":
                        return None
                if found is None:
                    return mark
                if last and key:
                    return found[0]
                pos = mark = found[1]
            elif text[pos] == "[" and isinstance(part, int) and part >= 0:
                item = next(itertools.islice(_array_items(text, pos), part, None), None)
                if item is None:
                    return mark
                pos = mark = item
            else:
                return mark
        return mark
    except (IndexError, ValueError, RecursionError):
        return None
