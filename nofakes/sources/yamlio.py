"""Parsing YAML and JSON safely, and finding where a document path sits in the source.

- YAML is read with PyYAML's safe loader (the libyaml C loader when present: several
  times faster). Duplicate mapping keys are rejected with their position.
- JSON is read with the standard library; duplicate keys are rejected too.
- Anchors and aliases are bounded: a document whose alias expansion would exceed
  `MAX_EXPANSION` values, or that refers to itself, is rejected (the "billion laughs").
  Nesting is bounded by libyaml (depth 1000) or, for the pure-Python loader, by a
  pre-scan of flow brackets.
- Plain YAML (no anchors, aliases or tags) is built by `_PlainLoader`, a lean builder over
  PyYAML's own scalar constructors; large plain files are parsed in pieces
  (`nofakes.sources.yamlchunks`). Anything unusual goes through the full PyYAML constructor.
- Positions are not kept on the fast path. `locate()` finds them only when there is an
  error to report: JSON by skipping values with the C decoder, YAML by composing the text
  again (only the list item concerned, for a large plain file) and walking the node tree.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from nofakes.core.errors import Diagnostic
from nofakes.sources.yamlchunks import has_node_properties, narrow, parse_in_pieces

try:  # libyaml bindings: much faster; fall back to pure Python when absent
    from yaml import CSafeLoader as _BaseLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

MAX_EXPANSION_FACTOR = 10
MAX_EXPANSION_FLOOR = 1_000_000
MAX_DEPTH = 200


class DuplicateKey(Exception):
    def __init__(self, key: Any, mark: Any, first: Any):
        self.key, self.mark, self.first = key, mark, first
        super().__init__(f"duplicate key {key!r}")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate mapping keys.

    It also remembers the tags it resolved for plain scalars: a supply-chain file repeats
    the same few values (roles, true, dates, country codes) hundreds of thousands of times,
    and PyYAML's resolver tries a list of regexes on each. Safe loaders have no path
    resolvers, so a plain scalar's tag depends on its text alone.
    """

    TAG_CACHE_SIZE = 20_000

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:  # quoted, or plain with an explicit non-specific tag: a string
            return super().resolve(kind, value, implicit)
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._plain_tags) < self.TAG_CACHE_SIZE:
                self._plain_tags[value] = tag
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], Any] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    ident = (key_node.tag, key_node.value)
                    if ident in seen:
                        raise DuplicateKey(key_node.value, key_node.start_mark, seen[ident])
                    seen[ident] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Keep an impossible date (2026-13-45) as text so validation reports it at its path."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALAR_CONSTRUCTORS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}


class Unsupported(Exception):
    """The plain builder met something only PyYAML's full constructor handles."""


class _PlainLoader(_Loader):
    """Builds plain documents (mappings with scalar keys, sequences, the core scalar types)
    about twice as fast as PyYAML's generic constructor, with the same values: PyYAML's
    own scalar constructors are used. Anything else (merge keys, other tags, non-scalar or
    repeated keys, aliases) raises Unsupported, and the caller parses with `_Loader`
    instead, which also reports errors properly. Used for documents without anchors,
    aliases or tags, and for the pieces of large files (nofakes.sources.yamlchunks).
    """

    def construct_document(self, node: yaml.Node) -> Any:
        scalars = {tag: getattr(self, name) for tag, name in _SCALAR_CONSTRUCTORS.items()}
        scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
        collections: set[int] = set()  # an alias shares its anchor's node: never expand one here

        def enter(node: yaml.Node) -> None:
            if id(node) in collections:
                raise Unsupported("an alias")
            collections.add(id(node))

        def build(node: yaml.Node) -> Any:
            tag, kind = node.tag, type(node)
            if kind is scalar_node:
                if tag == _STR:
                    return node.value
                construct = scalars.get(tag)
                if construct is None:
                    raise Unsupported(tag)
                return construct(node)
            if kind is mapping_node and tag == _MAP:
                enter(node)
                pairs = node.value
                out = {}
                for key, value in pairs:
                    if type(key) is not scalar_node:
                        raise Unsupported("a key that is not a scalar")
                    out[build(key)] = build(value)
                if len(out) != len(pairs):
                    raise Unsupported("a repeated key")
                return out
            if kind is sequence_node and tag == _SEQ:
                enter(node)
                return [build(item) for item in node.value]
            raise Unsupported(tag)

        return build(node)


@dataclass(frozen=True, slots=True)
class Parsed:
    data: Any
    text: str


def _offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(raw: bytes, file: str) -> str | Diagnostic:
    """Bytes to text (UTF-8, optional BOM), or a located diagnostic."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _offset_to_line_col(head, len(head))
        return Diagnostic(file, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                          line=line, column=col, expected="a UTF-8 encoded YAML or JSON file")
    if "\x00" in text:
        line, col = _offset_to_line_col(text, text.index("\x00"))
        return Diagnostic(file, "the file contains NUL bytes: it looks binary, not YAML or JSON",
                          line=line, column=col, expected="a YAML or JSON text file")
    return text


def _flow_depth_exceeds(text: str, limit: int) -> int | None:
    """Offset where bracket nesting passes `limit` (pure-Python loader only), else None."""
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return match.start()
        depth = max(depth, 0)
    return None


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def _load_plain(text: str) -> Any:
    """Like `_load` for plain documents, faster; raises Unsupported (or a YAML error) otherwise."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass


def parse(text: str, file: str, is_json: bool, lists: frozenset[str] = frozenset()) -> Parsed | Diagnostic:
    """Parse text as JSON or YAML into plain Python data, or return a located diagnostic.

    `lists` names top-level keys holding long block sequences: a large, plainly laid-out
    YAML file is then parsed piece by piece (see nofakes.sources.yamlchunks) to bound memory.
    """
    if is_json:
        return _parse_json(text, file)
    if HAVE_LIBYAML:
        if lists:
            pieces = parse_in_pieces(text, _load_plain, lists)
            if pieces is not None:
                return Parsed(pieces, text)
        if not has_node_properties(text):  # no anchors, aliases or tags: the plain builder may do
            try:
                return Parsed(_load_plain(text), text)
            except Exception:  # noqa: BLE001 - anything unusual or wrong: the full parse below reports it
                pass
    else:
        where = _flow_depth_exceeds(text, MAX_DEPTH)
        if where is not None:
            line, col = _offset_to_line_col(text, where)
            return Diagnostic(file, f"nesting deeper than {MAX_DEPTH} levels", line=line, column=col,
                              expected="a supply-chain document of ordinary depth")
    try:
        data = _load(text)
    except DuplicateKey as exc:
        return Diagnostic(file, f"duplicate key {exc.key!r} (first defined on line {exc.first.line + 1})",
                          line=exc.mark.line + 1, column=exc.mark.column + 1, expected="each key once per mapping")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            opened = exc.context_mark
            if opened is not None and mark is not None and opened.line != mark.line and exc.context.startswith("while"):
                problem = f"{problem} ({exc.context} started on line {opened.line + 1})"
            else:
                problem = f"{problem} ({exc.context})"
        return Diagnostic(file, f"invalid YAML: {problem}",
                          line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                          expected="well-formed YAML")
    except yaml.reader.ReaderError as exc:
        line, col = _offset_to_line_col(text, exc.position)
        return Diagnostic(file, f"invalid YAML: control character #x{exc.character:04x} is not allowed",
                          line=line, column=col, expected="printable YAML text")
    except yaml.YAMLError as exc:
        return Diagnostic(file, f"invalid YAML: {exc}", expected="well-formed YAML")
    except RecursionError:
        return Diagnostic(file, "nesting too deep", expected="a supply-chain document of ordinary depth")
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar PyYAML could not construct
        return Diagnostic(file, f"invalid YAML value: {exc}", expected="well-formed YAML")
    if "&" in text:  # anchors are the only way to share or loop values: check only then
        problem = _expansion_problem(data)
        if problem:
            anchor = re.search(r"&[^\s,\[\]{}]+", text)
            spot = _offset_to_line_col(text, anchor.start()) if anchor else None
            return Diagnostic(file, problem, line=spot[0] if spot else None, column=spot[1] if spot else None,
                              expected="aliases that expand to a bounded document")
    return Parsed(data, text)


def _parse_json(text: str, file: str) -> Parsed | Diagnostic:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            keys = [k for k, _ in items]
            duplicates.extend(k for k in result if keys.count(k) > 1)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        return Diagnostic(file, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno, expected="well-formed JSON")
    except RecursionError:
        return Diagnostic(file, "nesting too deep", expected="a supply-chain document of ordinary depth")
    if duplicates:
        key = duplicates[0]
        located = _json_duplicate(text)
        if located is not None:
            key, line, col, first = located
            return Diagnostic(file, f"duplicate key {key!r} (first defined on line {first})", line=line,
                              column=col, expected="each key once per object")
        match = list(re.finditer(r'"' + re.escape(key) + r'"\s*:', text))
        where = match[1].start() if len(match) > 1 else (match[0].start() if match else 0)
        line, col = _offset_to_line_col(text, where)
        return Diagnostic(file, f"duplicate key {key!r}", line=line, column=col, expected="each key once per object")
    return Parsed(data, text)


def _json_duplicate(text: str) -> tuple[str, int, int, int] | None:
    """(key, line, column, first line) of the first repeated key, from the node tree (error path only).

    The key name alone is not enough: `"id"` occurs in every object of a list.
    """
    root = _compose(text)
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


def _expansion_problem(data: Any) -> str | None:
    """Count values as if aliases were expanded; detect self-reference. Linear in distinct values."""
    sizes: dict[int, int] = {}
    distinct = 0
    on_stack: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, (dict, list)):
            continue
        key = id(obj)
        if done:
            on_stack.discard(key)
            children = obj.values() if isinstance(obj, dict) else obj
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
            continue
        if key in sizes:
            continue
        if key in on_stack:
            return "a value refers to itself through an alias (recursive structure)"
        distinct += 1
        on_stack.add(key)
        stack.append((obj, True))
        children = obj.values() if isinstance(obj, dict) else obj
        for child in children:
            if isinstance(child, (dict, list)):
                if id(child) in on_stack:
                    return "a value refers to itself through an alias (recursive structure)"
                stack.append((child, False))
    total = sizes.get(id(data), 1)
    limit = MAX_EXPANSION_FACTOR * distinct + MAX_EXPANSION_FLOOR
    if total > limit:
        return f"aliases expand to {total:,} values, more than the limit of {limit:,} (alias bomb?)"
    return None


# ---------------------------------------------------------------- positions


@lru_cache(maxsize=16)
def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_BaseLoader)  # noqa: S506 - safe loader
    except (yaml.YAMLError, RecursionError):
        return None


def locate(text: str, path: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of `path` in `text`; the nearest existing ancestor if absent.

    With `key=True` and a path ending in a mapping key, point at the key itself (used for
    unknown keys) rather than its value. Only error paths call this, but a large file may
    have a single error: JSON is walked by skipping values with the C decoder, and a large
    plainly laid-out YAML file composes only the list item holding the path.
    """
    if first_char(text) in ("{", "["):
        offset = _json_offset(text, path, key)
        if offset is not None:
            return _offset_to_line_col(text, offset)
    piece = narrow(text, path)
    if piece is not None:
        begin, piece_text, inner = piece
        line, col = _locate_composed(piece_text, inner, key)
        if line is not None:
            return line + text.count("\n", 0, begin), col
    return _locate_composed(text, path, key)


def _locate_composed(text: str, path: Sequence[str | int], key: bool) -> tuple[int | None, int | None]:
    node = _compose(text)
    if node is None:
        return None, None
    mark = node.start_mark
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, (str, int)):  # int: a key like `1:`
            for key_node, value_node in node.value:
                if getattr(key_node, "value", None) == str(part):
                    if last and key:
                        return key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    node, mark = value_node, value_node.start_mark
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_DECODER = json.JSONDecoder()


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
    pos = _space(text, offset + 1)
    while text[pos] != "]":
        yield pos
        pos = _space(text, _JSON_DECODER.raw_decode(text, pos)[1])
        if text[pos] == ",":
            pos = _space(text, pos + 1)
        elif text[pos] != "]":
            raise ValueError("malformed array")


def _space(text: str, pos: int) -> int:
    """The offset after the JSON white space at `pos`."""
    return _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]  # `*` always matches


def first_char(text: str) -> str:
    """The first character that is not JSON white space ('' if none), without copying the text."""
    pos = _space(text, 0)
    return text[pos:pos + 1]


def _json_offset(text: str, path: Sequence[str | int], key: bool) -> int | None:
    """Offset of `path` in JSON text (as `_locate_composed` would find it); None if not JSON."""
    space = _space
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
                    name, pos = _JSON_DECODER.raw_decode(text, pos)
                    pos = space(text, pos)
                    if text[pos] != ":":
                        return None
                    pos = space(text, pos + 1)
                    if name == str(part):
                        found = (key_at, pos)
                        break
                    pos = space(text, _JSON_DECODER.raw_decode(text, pos)[1])
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
