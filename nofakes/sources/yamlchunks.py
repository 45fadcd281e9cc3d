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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True)
class _Section:
    key: str
    start: int  # offset of the `key:` line
    body: int  # offset of the line after it
    end: int  # offset of the next top-level key (or the end of the text)
    empty_value: bool  # nothing after `key:` on its line (a block value follows, if any)


def _sections(text: str) -> list[_Section] | None:
    """The top-level entries of a plainly laid-out file, or None if the layout is not plain."""
    if has_node_properties(text) or _has_markers(text) or _has_other_breaks(text):
        return None
    found: list[tuple[str, int, int]] = []  # (key, offset of the key line, offset after `key:`)
    for line in _TOP_LINE.finditer(text):
        match = _TOP_KEY.match(line.group())
        if not match:
            return None
        found.append((match.group(1), line.start(), line.start() + len(match.group(1)) + 1))
    keys = [key for key, _, _ in found]
    if not keys or len(set(keys)) != len(keys):  # nothing but comments is null, not {}
        return None
    if not _BLANK_OR_COMMENTS.fullmatch(text, 0, found[0][1]):
        return None  # text before the first key: only the whole parse can say what it means
    sections = []
    for (key, start, after_key), end in zip(found, [s for _, s, _ in found[1:]] + [len(text)], strict=True):
        line_end = text.find("\n", after_key, end)
        line_end = end if line_end < 0 else line_end + 1
        sections.append(_Section(key, start, line_end, end, _EMPTY_VALUE.match(text, after_key, line_end) is not None))
    return sections


def parse_in_pieces(text: str, load: Callable[[str], Any], lists: frozenset[str]) -> dict[str, Any] | None:
    """The document as `load(text)` would give it, parsed piece by piece; None if unsure."""
    if len(text) < MIN_SIZE:
        return None
    sections = _sections(text)
    if sections is None:
        return None
    result: dict[str, Any] = {}
    try:
        for section in sections:
            if section.key in lists and section.empty_value:
                items = _list_in_batches(text, section.body, section.end, load)
                if items is None:
                    return None
                result[section.key] = items
                continue
            piece = load(text[section.start:section.end])
            if not isinstance(piece, dict) or list(piece) != [section.key]:
                return None
            result[section.key] = piece[section.key]
    except Exception:  # noqa: BLE001 - any problem: the whole parse reports it properly
        return None
    return result


def narrow(text: str, path: Sequence[str | int]) -> tuple[int, str, list[str | int]] | None:
    """For locating `path` (`nodes[4110].role`) in a large file without composing all of it:
    (offset, piece, path inside the piece), where the piece is the one list item holding the
    path, as a one-item block sequence. None when the file is small or not plainly laid out."""
    if len(text) < MIN_SIZE or len(path) < 2 or not isinstance(path[0], str) or not isinstance(path[1], int):
        return None
    index = _list_index(text, path[0])  # cached: a file may have hundreds of errors to locate
    if index is None or not 0 <= path[1] < len(index) - 1:
        return None
    begin, end = index[path[1]], index[path[1] + 1]
    return begin, text[begin:end], [0, *path[2:]]


@lru_cache(maxsize=4)
def _list_index(text: str, key: str) -> tuple[int, ...] | None:
    """Offsets of the items of the top-level list `key`, then the offset where the list ends."""
    section = next((s for s in _sections(text) or [] if s.key == key), None)
    if section is None or not section.empty_value:
        return None
    starts = _item_starts(text, section.body, section.end)
    return None if starts is None else (*starts, section.end)


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


def _item_starts(text: str, start: int, end: int) -> list[int] | None:
    """Offsets of the items of the block sequence in text[start:end]; None if not plainly one."""
    first = _FIRST_CONTENT.search(text, start, end)
    if first is None:
        return None  # `key:` with nothing under it is null, not a list: let the whole parse decide
    indent = len(first.group(1))
    if not re.compile(r"- |-\r?$", re.MULTILINE).match(text, first.start(2), end):
        return None
    # every content line must nest under the items: none shallower, none as deep but not an item
    if indent and re.compile(rf"^ {{0,{indent - 1}}}[^ #\r\n]", re.MULTILINE).search(text, start, end):
        return None
    if re.compile(rf"^ {{{indent}}}(?!- |-\r?$)[^ #\r\n]", re.MULTILINE).search(text, start, end):
        return None
    return [m.start() for m in re.compile(rf"^ {{{indent}}}-(?: |\r?$)", re.MULTILINE).finditer(text, start, end)]


def _list_in_batches(text: str, start: int, end: int, load: Callable[[str], Any]) -> list[Any] | None:
    """The items of the block sequence in text[start:end], parsed a batch of whole items at a time."""
    starts = _item_starts(text, start, end)
    if starts is None:
        return None
    items: list[Any] = []
    batch_start = start
    for item_start in starts:
        if item_start - batch_start >= BATCH_CHARS:
            items.extend(_load_list(text[batch_start:item_start], load))
            batch_start = item_start
    items.extend(_load_list(text[batch_start:end], load))
    return items


def _load_list(piece: str, load: Callable[[str], Any]) -> list[Any]:
    value = load(piece)
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value
