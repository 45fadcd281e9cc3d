"""The input formats, by file suffix or (for standard input) by the first character.

Each format has a reader (text to plain data, or a located diagnostic) and a locator
(document path to line and column, for error messages). Adding a format, such as a CSV or
spreadsheet importer, is one more `Format` in `FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from nofakes.core.errors import Diagnostic
from nofakes.sources.json_locator import locate_json
from nofakes.sources.json_reader import parse_json
from nofakes.sources.text import Parsed, decode, first_char
from nofakes.sources.yaml_locator import locate_yaml
from nofakes.sources.yaml_reader import parse_yaml

__all__ = ["FORMATS", "JSON", "YAML", "Format", "Parsed", "decode", "for_path", "locate", "parse", "sniff"]

Reader = Callable[[str, str, frozenset[str]], Parsed | Diagnostic]
Locator = Callable[[str, Sequence[str | int], bool], tuple[int | None, int | None] | None]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    opens_with: tuple[str, ...]  # first non-space characters that identify it on standard input
    read: Reader  # (text, file name for messages, top-level keys holding long lists)
    locate: Locator  # (text, document path, point at the key): None when the text is not this format


JSON = Format("JSON", (".json",), ("{", "["), lambda text, file, _lists: parse_json(text, file), locate_json)
YAML = Format("YAML", (".yaml", ".yml"), (), parse_yaml, locate_yaml)
FORMATS: tuple[Format, ...] = (JSON, YAML)
DEFAULT = YAML  # what a file with another suffix, or text opening otherwise, is read as


def for_path(path: str | PurePath) -> Format:
    """The format of a file, by its suffix."""
    suffix = PurePath(path).suffix.lower()
    return next((f for f in FORMATS if suffix in f.suffixes), DEFAULT)


def sniff(text: str) -> Format:
    """The format of text without a file name (standard input), by its first character."""
    start = first_char(text)
    return next((f for f in FORMATS if start in f.opens_with), DEFAULT)


def parse(text: str, file: str, fmt: Format, lists: frozenset[str] = frozenset()) -> Parsed | Diagnostic:
    """Text in `fmt` to plain data, or a located diagnostic. `lists`: see `parse_yaml`."""
    return fmt.read(text, file, lists)


def locate(text: str, path: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of `path` in `text`; the nearest existing ancestor if absent.

    With `key=True` and a path ending in a mapping key, point at the key itself (used for
    unknown keys) rather than its value. The format is recognised from the text; YAML,
    a superset of JSON, finds positions in anything that parses.
    """
    fmt = sniff(text)
    if fmt is not DEFAULT:
        found = fmt.locate(text, path, key)
        if found is not None:
            return found
    return DEFAULT.locate(text, path, key) or (None, None)
