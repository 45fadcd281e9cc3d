"""Reading JSON into plain Python data, with the same checks as YAML.

The standard library's C decoder does the work. Duplicate keys are rejected, and so are
whole numbers of more than `MAX_INTEGER_DIGITS` digits, each at its position.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from nofakes.core.errors import Diagnostic, format_path
from nofakes.sources.json_locator import locate_json
from nofakes.sources.text import MAX_INTEGER_DIGITS, Parsed, integer_too_large, offset_to_line_col
from nofakes.sources.yaml_reader import compose, path_at

# strings (skipped whole, so digits inside them do not count) and numbers
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?')


class _IntegerTooLarge(Exception):
    def __init__(self, written: str):
        self.written = written
        super().__init__(f"integer too large: {written[:20]}")


def _bounded_int(written: str) -> int:
    """The decoder's integer hook: a Python call per integer, far cheaper than a regex pass over the text."""
    if len(written.lstrip("-")) > MAX_INTEGER_DIGITS:  # JSON has no leading zeros: the digits are the size
        raise _IntegerTooLarge(written)
    return int(written)


def parse_json(text: str, file: str) -> Parsed | Diagnostic:
    """Parse JSON text into plain Python data, or return a located diagnostic."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            keys = [k for k, _ in items]
            duplicates.extend(k for k in result if keys.count(k) > 1)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        return Diagnostic(file, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                          expected="well-formed JSON")
    except _IntegerTooLarge as exc:
        line, col = offset_to_line_col(text, _number_offset(text, exc.written))
        return integer_too_large(exc.written, file, line, col, path_at(text, line, col))
    except RecursionError:
        return Diagnostic(file, "nesting too deep", expected="a supply-chain document of ordinary depth")
    if duplicates:
        return _duplicate_key(text, file, duplicates[0])
    if _SURROGATE_ESCAPE.search(text):  # rare: only then look for the one that stands alone
        problem = _lone_surrogate(data, text, file)
        if problem is not None:
            return problem
    return Parsed(data, text)


# \uD800-\uDFFF: half of a UTF-16 pair. A pair decodes to one character; a half alone is no character
# at all, and nothing downstream (terminal, JSON report, spreadsheet) can write it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: Any, text: str, file: str) -> Diagnostic | None:
    """The first text holding a lone surrogate, located (YAML refuses these escapes when it parses)."""
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if _SURROGATE.search(key):
                    return _surrogate_diagnostic(text, file, path, key=True, found=key)
                stack.append((item, [*path, key]))
        elif isinstance(value, list):
            stack.extend((item, [*path, i]) for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and _SURROGATE.search(value):
            return _surrogate_diagnostic(text, file, path, key=False, found=value)
    return None


def _surrogate_diagnostic(text: str, file: str, path: list[str | int], *, key: bool, found: str) -> Diagnostic:
    where = locate_json(text, path) or (None, None)
    half = _SURROGATE.search(found)
    code = f"\\u{ord(half.group()):04x}" if half else "a surrogate"
    return Diagnostic(file, f"{'a key' if key else 'text'} holds {code}, half of a UTF-16 surrogate pair, on its own",
                      path=format_path(path), line=where[0], column=where[1],
                      expected="valid Unicode text: the character itself, or both halves of its pair")


def _number_offset(text: str, written: str) -> int:
    """Offset of the first number written exactly so, outside strings (error path only)."""
    return next((m.start() for m in _TOKEN.finditer(text) if m.group() == written), 0)


def _duplicate_key(text: str, file: str, key: str) -> Diagnostic:
    located = _json_duplicate(text)
    if located is not None:
        key, line, col, first = located
        return Diagnostic(file, f"duplicate key {key!r} (first defined on line {first})", line=line,
                          column=col, expected="each key once per object")
    match = list(re.finditer(r'"' + re.escape(key) + r'"\s*:', text))
    where = match[1].start() if len(match) > 1 else (match[0].start() if match else 0)
    line, col = offset_to_line_col(text, where)
    return Diagnostic(file, f"duplicate key {key!r}", line=line, column=col, expected="each key once per object")


def _json_duplicate(text: str) -> tuple[str, int, int, int] | None:
    """(key, line, column, first line) of the first repeated key, from the node tree (error path only).

    The key name alone is not enough: `"id"` occurs in every object of a list.
    """
    root = compose(text)
    stack = [root] if root is not None else []
    found: list[tuple[int, int, str, int]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                name = getattr(key_node, "value", None)
                if isinstance(name, str) and name in seen:
                    mark = key_node.start_mark
                    found.append((mark.line + 1, mark.column + 1, name, seen[name].start_mark.line + 1))
                elif isinstance(name, str):
                    seen[name] = key_node
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if not found:
        return None
    line, col, name, first = min(found)
    return name, line, col, first
