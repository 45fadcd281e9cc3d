"""Reading YAML safely into plain Python data.

- YAML is read with PyYAML's safe loader (the libyaml C loader when present: several
  times faster). Duplicate mapping keys are rejected with their position.
- Anchors and aliases are bounded: a document whose alias expansion would exceed
  `MAX_EXPANSION_FACTOR` times its distinct values (plus `MAX_EXPANSION_FLOOR`), or that
  refers to itself, is rejected (the "billion laughs"). Nesting is bounded by libyaml
  (depth 1000) or, for the pure-Python loader, by a pre-scan of flow brackets.
- Whole numbers of more than `MAX_INTEGER_DIGITS` digits are rejected with their position.
- Plain YAML (no anchors, aliases or tags) is built by `_PlainLoader`, a lean builder over
  PyYAML's own scalar constructors; large plain files are parsed in pieces
  (`nofakes.sources.yamlchunks`). Anything unusual goes through the full PyYAML constructor.
- Positions are not kept: `nofakes.sources.yaml_locator` finds them when there is an error.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from nofakes.core.errors import Diagnostic
from nofakes.sources import yamlchunks
from nofakes.sources.text import INTEGER_LIMIT, Parsed, integer_too_large, offset_to_line_col
from nofakes.sources.yamlchunks import has_node_properties, parse_in_pieces

try:  # libyaml bindings: much faster; fall back to pure Python when absent
    from yaml import CSafeLoader as _BaseLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

MAX_EXPANSION_FACTOR = 10
MAX_EXPANSION_FLOOR = 1_000_000
MAX_DEPTH = 200
_MAX_INT_TEXT = 4000  # longer digit strings are too large without converting them (Python refuses 4,300+)


class DuplicateKey(Exception):
    def __init__(self, key: Any, mark: Any, first: Any):
        self.key, self.mark, self.first = key, mark, first
        super().__init__(f"duplicate key {key!r}")


class IntegerTooLarge(Exception):
    def __init__(self, written: str, mark: Any):
        self.written, self.mark = written, mark
        super().__init__(f"integer too large: {written[:20]}")


class _Loader(_BaseLoader):
    """Safe loader that rejects duplicate mapping keys and integers out of range.

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
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Keep an impossible date (2026-13-45) as text so validation reports it at its path."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, unless it has more than MAX_INTEGER_DIGITS digits (then a located error)."""
        written = str(node.value)
        if len(written) > _MAX_INT_TEXT:
            raise IntegerTooLarge(written, node.start_mark)
        value: int = super().construct_yaml_int(node)
        if abs(value) >= INTEGER_LIMIT:
            raise IntegerTooLarge(written, node.start_mark)
        return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)

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


def _flow_depth_exceeds(text: str, limit: int) -> int | None:
    """Offset where bracket nesting passes `limit` (pure-Python loader only), else None."""
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return match.start()
        depth = max(depth, 0)
    return None


def load(text: str) -> Any:
    """The document as PyYAML's safe loader builds it (with this module's checks); raises on errors."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def load_plain(text: str) -> Any:
    """Like `load` for plain documents, faster; raises Unsupported (or a YAML error) otherwise."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass


def parse_yaml(text: str, file: str, lists: frozenset[str] = frozenset()) -> Parsed | Diagnostic:
    """Parse YAML text into plain Python data, or return a located diagnostic.

    `lists` names top-level keys holding long block sequences: a large, plainly laid-out
    file is then parsed piece by piece (see nofakes.sources.yamlchunks) to bound memory.
    """
    if HAVE_LIBYAML:
        if lists:
            pieces = parse_in_pieces(text, load_plain, lists)
            if pieces is not None:
                return Parsed(pieces, text)
        if not has_node_properties(text):  # no anchors, aliases or tags: the plain builder may do
            try:
                return Parsed(load_plain(text), text)
            except Exception:  # noqa: BLE001 - anything unusual or wrong: the full parse below reports it
                pass
    else:
        where = _flow_depth_exceeds(text, MAX_DEPTH)
        if where is not None:
            line, col = offset_to_line_col(text, where)
            return Diagnostic(file, f"nesting deeper than {MAX_DEPTH} levels", line=line, column=col,
                              expected="a supply-chain document of ordinary depth")
    try:
        data = load(text)
    except DuplicateKey as exc:
        return Diagnostic(file, f"duplicate key {exc.key!r} (first defined on line {exc.first.line + 1})",
                          line=exc.mark.line + 1, column=exc.mark.column + 1, expected="each key once per mapping")
    except IntegerTooLarge as exc:
        line, col = exc.mark.line + 1, exc.mark.column + 1
        return integer_too_large(exc.written, file, line, col, path_at(text, line, col))
    except yaml.MarkedYAMLError as exc:
        return _syntax_error(exc, file)
    except yaml.reader.ReaderError as exc:
        line, col = offset_to_line_col(text, exc.position)
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
            spot = offset_to_line_col(text, anchor.start()) if anchor else None
            return Diagnostic(file, problem, line=spot[0] if spot else None, column=spot[1] if spot else None,
                              expected="aliases that expand to a bounded document")
    return Parsed(data, text)


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context:
        opened = exc.context_mark
        if opened is not None and mark is not None and opened.line != mark.line and exc.context.startswith("while"):
            problem = f"{problem} ({exc.context} started on line {opened.line + 1})"
        else:
            problem = f"{problem} ({exc.context})"
    hint = None
    if (exc.problem or "").startswith("mapping values are not allowed"):
        hint = 'text containing ": " must be quoted, e.g. title: "Partners: vetted yearly"'
    return Diagnostic(file, f"invalid YAML: {problem}",
                      line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                      expected="well-formed YAML", hint=hint)


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


@lru_cache(maxsize=16)
def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML (or JSON) text, with positions; None if it does not compose."""
    try:
        return yaml.compose(text, Loader=_BaseLoader)  # noqa: S506 - safe loader
    except (yaml.YAMLError, RecursionError):
        return None


def path_at(text: str, line: int, column: int) -> list[str | int] | None:
    """The document path of the value starting at 1-based (line, column), from the node tree
    (error path only; None for a large file, which is not composed whole, or if not found)."""
    if len(text) >= yamlchunks.MIN_SIZE:
        return None
    root = compose(text)
    stack: list[tuple[yaml.Node, list[str | int]]] = [(root, [])] if root is not None else []
    while stack:
        node, path = stack.pop()
        mark = node.start_mark
        if (mark.line + 1, mark.column + 1) == (line, column) and isinstance(node, yaml.ScalarNode):
            return path
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, [*path, str(getattr(key, "value", ""))]) for key, value in node.value)
            stack.extend((key, path) for key, _ in node.value)  # a key is found at its mapping's path
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, [*path, i]) for i, item in enumerate(node.value))
    return None
