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
- anything but blank and comment lines before the first key;
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
BATCH_CHARS = 1_000_000  # list items are parsed in batches of about this many characters

_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ \t\r]|$)")
# anchors (&a), aliases (*a) and tags (!t): where YAML would read them, they follow the start,
# white space or a flow indicator. The patterns start with a literal so that `re` scans fast.
_NODE_PROPERTY = re.compile(r"[&*!]\S")
_PROPERTY_MAY_FOLLOW = frozenset(" \t\r\n[]{},")
_MARKERS = re.compile(r"\n(?:%|---|\.\.\.)")
_EMPTY_VALUE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
# a line starting at column 0 that is not blank, a comment or a compact list item ("- x" or "-")
_TOP_LINE = re.compile(r"^(?!- |-\r?$)[^ #\r\n][^\n]*", re.MULTILINE)
_BLANK_OR_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?\r?")
_FIRST_CONTENT = re.compile(r"^( *)([^ #\r\n])", re.MULTILINE)


def parse_in_pieces(text: str, load: Callable[[str], Any], lists: frozenset[str]) -> dict[str, Any] | None:
    """The document as `load(text)` would give it, parsed piece by piece; None if unsure."""
    if len(text) < MIN_SIZE or has_node_properties(text) or _has_markers(text) or _has_other_breaks(text):
        return None
    sections: list[tuple[str, int, int]] = []  # (key, offset of the key line, offset after `key:`)
    for line in _TOP_LINE.finditer(text):
        match = _TOP_KEY.match(line.group())
        if not match:
            return None
        sections.append((match.group(1), line.start(), line.start() + len(match.group(1)) + 1))
    keys = [key for key, _, _ in sections]
    if not keys or len(set(keys)) != len(keys):  # nothing but comments is null, not {}
        return None
    if not _BLANK_OR_COMMENTS.fullmatch(text, 0, sections[0][1]):
        return None  # text before the first key: only the whole parse can say what it means
    result: dict[str, Any] = {}
    bounds = [start for _, start, _ in sections[1:]] + [len(text)]
    try:
        for (key, start, after_key), end in zip(sections, bounds):
            line_end = text.find("\n", after_key, end)
            line_end = end if line_end < 0 else line_end + 1
            if key in lists and _EMPTY_VALUE.match(text, after_key, line_end):
                items = _list_in_batches(text, line_end, end, load)
                if items is None:
                    return None
                result[key] = items
                continue
            piece = load(text[start:end])
            if not isinstance(piece, dict) or list(piece) != [key]:
                return None
            result[key] = piece[key]
    except Exception:  # noqa: BLE001 - any problem: the whole parse reports it properly
        return None
    return result


def has_node_properties(text: str) -> bool:
    """Whether the text may hold an anchor, alias or tag (a false alarm now and then is fine)."""
    return any(m.start() == 0 or text[m.start() - 1] in _PROPERTY_MAY_FOLLOW for m in _NODE_PROPERTY.finditer(text))


def _has_markers(text: str) -> bool:
    """Directives (%YAML) or document markers (---, ...) at the start of a line."""
    return text.startswith(("%", "---", "...")) or _MARKERS.search(text) is not None


def _has_other_breaks(text: str) -> bool:
    """Line breaks other than \\n and \\r\\n (YAML 1.1 also breaks lines at these): left to the whole parse."""
    return ("\x85" in text or "\u2028" in text or "\u2029" in text
            or ("\r" in text and text.count("\r") != text.count("\r\n")))


def _list_in_batches(text: str, start: int, end: int, load: Callable[[str], Any]) -> list[Any] | None:
    """The items of the block sequence in text[start:end], parsed a batch of whole items at a time."""
    first = _FIRST_CONTENT.search(text, start, end)
    if first is None:
        return None  # `key:` with nothing under it is null, not a list: let the whole parse decide
    indent = len(first.group(1))
    if not re.compile(r"- |-\r?$", re.MULTILINE).match(text, first.start(2), end):
        return None
    # every content line must nest under the items: none shallower, none as deep but not an item
    if indent and re.compile(r"^ {0,%d}[^ #\r\n]" % (indent - 1), re.MULTILINE).search(text, start, end):
        return None
    if re.compile(r"^ {%d}(?!- |-\r?$)[^ #\r\n]" % indent, re.MULTILINE).search(text, start, end):
        return None
    items: list[Any] = []
    batch_start = start
    for item in re.compile(r"^ {%d}-(?: |\r?$)" % indent, re.MULTILINE).finditer(text, start, end):
        if item.start() - batch_start >= BATCH_CHARS:
            items.extend(_load_list(text[batch_start:item.start()], load))
            batch_start = item.start()
    items.extend(_load_list(text[batch_start:end], load))
    return items


def _load_list(piece: str, load: Callable[[str], Any]) -> list[Any]:
    value = load(piece)
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value
