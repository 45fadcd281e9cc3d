"""Parsing a large, plainly laid-out YAML file in pieces, to bound PyYAML's memory.

PyYAML composes the whole document as a tree of nodes with position marks before it
builds any value: about 50 bytes of memory per byte of YAML (9 GB for a 100k-partner
file). A supply-chain file is a top-level block mapping whose big entries are block
sequences (`nodes:`, `edges:`). For such a file, parsing each top-level entry, and each
batch of list items, on its own gives the same values while only one batch's node tree
exists at a time.

This is only a fast path. `parse_in_pieces()` returns None (and the caller parses the
whole text as usual, which also produces every error message) whenever the layout is not
plainly one of those, or anything in a piece fails to parse:
- anchors, aliases, tags, directives or document markers anywhere;
- a top-level line that is not `key:` / `key: value`, or a key seen twice;
- a list whose lines do not nest under its `- ` items;
- line breaks other than `\n` and `\r\n`.
A conformance test checks that pieces and whole parsing give equal data on the test
corpus, the examples and generated graphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MIN_SIZE = 2_000_000  # below this, whole parsing is cheap enough
BATCH_LINES = 20_000  # list items are parsed in batches of about this many lines

_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ \t\r]|$)")
# anchors (&a), aliases (*a) and tags (!t) where YAML would read them: after an indicator or a space
_NODE_PROPERTY = re.compile(r"(?:^|[\s\[\]{},])[&*!]\S", re.MULTILINE)
_MARKERS = re.compile(r"^(?:%|---|\.\.\.)", re.MULTILINE)
_EMPTY_VALUE = re.compile(r"[ \t]*(?:#.*)?\r?$")
# line breaks other than \n and \r\n (YAML 1.1 also breaks lines at these): rare, left to the whole parse
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def parse_in_pieces(text: str, load: Callable[[str], Any], lists: frozenset[str]) -> dict[str, Any] | None:
    """The document as `load(text)` would give it, parsed piece by piece; None if unsure."""
    if (len(text) < MIN_SIZE or _NODE_PROPERTY.search(text) or _MARKERS.search(text)
            or _OTHER_BREAKS.search(text)):
        return None
    lines = _LINE.findall(text)  # split at \n only: str.splitlines() also splits at \f, \v, ...
    sections: list[tuple[str, int]] = []  # (key, first line)
    for number, line in enumerate(lines):
        first = line[:1]
        if first in ("", " ", "\n", "\r", "#"):
            continue
        if line.startswith("- ") or line.rstrip("\r\n") == "-":  # a list item at column 0 (compact style)
            if not sections:
                return None
            continue
        match = _TOP_KEY.match(line)
        if not match:
            return None
        sections.append((match.group(1), number))
    keys = [key for key, _ in sections]
    if not keys or len(set(keys)) != len(keys):  # nothing but comments is null, not {}
        return None
    result: dict[str, Any] = {}
    bounds = [start for _, start in sections] + [len(lines)]
    try:
        for (key, start), end in zip(sections, bounds[1:]):
            rest = lines[start][len(key) + 1:]
            if key in lists and _EMPTY_VALUE.match(rest):
                items = _list_in_batches(lines[start + 1:end], load)
                if items is None:
                    return None
                result[key] = items
                continue
            piece = load("".join(lines[start:end]))
            if not isinstance(piece, dict) or list(piece) != [key]:
                return None
            result[key] = piece[key]
    except Exception:  # noqa: BLE001 - any problem: the whole parse reports it properly
        return None
    return result


def _list_in_batches(body: list[str], load: Callable[[str], Any]) -> list[Any] | None:
    """The items of a block sequence, parsed a batch of whole items at a time."""
    indent = None
    for line in body:
        stripped = line.lstrip(" ")
        if stripped[:1] in ("", "\n", "\r", "#"):
            continue
        indent = len(line) - len(stripped)
        if not (stripped.startswith("- ") or stripped.rstrip("\r\n") == "-"):
            return None
        break
    if indent is None:
        return None  # `key:` with nothing under it is null, not a list: let the whole parse decide
    items: list[Any] = []
    batch_start = 0
    for number, line in enumerate(body):
        stripped = line.lstrip(" ")
        if stripped[:1] in ("", "\n", "\r", "#"):
            continue
        depth = len(line) - len(stripped)
        if depth < indent or (depth == indent and not (stripped.startswith("- ") or stripped.rstrip("\r\n") == "-")):
            return None
        if depth == indent and number - batch_start >= BATCH_LINES:
            items.extend(_load_list(body[batch_start:number], load))
            batch_start = number
    items.extend(_load_list(body[batch_start:], load))
    return items


def _load_list(lines: list[str], load: Callable[[str], Any]) -> list[Any]:
    value = load("".join(lines))
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value
