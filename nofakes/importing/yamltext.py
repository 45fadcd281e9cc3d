"""Block YAML for the imported document: mappings, lists, and scalars (text, numbers, booleans, dates).

PyYAML's dumper builds a node graph and resolves every scalar in Python: 7 s for 10k
partners even with libyaml's emitter, where this writes the same document in a fraction of a
second. The shape is known (no anchors, no multi-line keys), so the rules are few:

- text that could be read as anything but itself (yes, null, 1.0, 2026-01-01, a leading '-',
  ': ' inside, ...) is double-quoted as JSON writes it (JSON's escapes are YAML's too); plain
  words stay plain (ids, roles, country codes, 'Shenzhen PCB Co.');
- dates are ISO dates, booleans true/false, numbers as Python writes them (finite only).

A test reads the text back with PyYAML and compares it with the document.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_](?:[A-Za-z0-9_. -]*[A-Za-z0-9_.])?")  # words with inner spaces; no : # , quotes
_RESERVED = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null"})


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def dump(data: dict[str, Any]) -> str:
    """`data` as block YAML text."""
    out: list[str] = []
    _mapping(data, "", out)
    return "\n".join(out) + "\n"


def _mapping(data: dict[str, Any], indent: str, out: list[str], first: str | None = None) -> None:
    """Write a mapping; `first` is the prefix of its first line ('- ' for a list item)."""
    for i, (key, value) in enumerate(data.items()):
        lead = first if i == 0 and first is not None else indent
        _entry(f"{lead}{scalar(key)}:", value, indent, out)


def _entry(head: str, value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{head} {{}}")
            return
        out.append(head)
        _mapping(value, indent + "  ", out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{head} []")
            return
        out.append(head)
        _sequence(value, indent, out)
    else:
        out.append(f"{head} {scalar(value)}")


def _sequence(items: list[Any], indent: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + "  ", out, first=f"{indent}- ")
        elif isinstance(item, dict):
            out.append(f"{indent}- {{}}")
        elif isinstance(item, list):
            raise ValueError("a list inside a list is not written")  # the supply-chain format has none
        else:
            out.append(f"{indent}- {scalar(item)}")
