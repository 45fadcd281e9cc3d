"""Loading a supply-chain file: read, parse, resolve `include:`, validate, cross-check.

`load_supply(path)` returns a `LoadedSupply` or raises `InputError` carrying every
diagnostic found (not just the first), each located at `file:line:col` with the path in
the document. The fast path keeps no positions; they are recovered only for errors.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nofakes.core.errors import Diagnostic, InputError, did_you_mean, format_path
from nofakes.sources import formats
from nofakes.supply.model import FORMAT_VERSIONS, MERGED_LISTS, Document, Fragment
from nofakes.supply.origins import Origin, Source
from nofakes.supply.references import cross_reference
from nofakes.supply.validation import VERSIONS_EXPECTED, sort_diagnostics, translate_validation_error

__all__ = ["STDIN", "LoadedSupply", "Origin", "Source", "input_name", "load_supply", "paused_gc"]

FRAGMENT_KEYS = tuple(Fragment.model_fields)
MAX_INCLUDE_DEPTH = 32
LIST_KEYS = frozenset(MERGED_LISTS)
STDIN = "-"
STDIN_NAME = "<stdin>"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk building (2-6x faster, same peak).

    On exit the objects built are frozen (`gc.freeze`): they are long-lived (the document,
    the graph, the findings), and collections should not keep walking them. They are still
    freed by reference counting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was built is long-lived: later collections need not walk it again
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class LoadedSupply:
    document: Document
    sources: tuple[Source, ...]
    origins: dict[str, list[Origin]] = field(repr=False)
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def path(self) -> Path:
        return self.sources[0].path

    @property
    def input_hash(self) -> str:
        """SHA-256 of the root file's bytes, as `sha256sum` prints it; every file read (the root
        file, then its includes in include order) has its own in `sources[i].sha256`."""
        return self.sources[0].sha256


def _kind(value: Any) -> str:
    """What a YAML/JSON value is, in the user's words (not Python type names)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    text = repr(value)
    return f"text ({text if len(text) <= 40 else text[:37] + '...'})" if isinstance(value, str) else f"{value!r}"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Loader:
    def __init__(self) -> None:
        self.sources: list[Source] = []
        self.diagnostics: list[Diagnostic] = []
        self.merged: dict[str, list[Any]] = {name: [] for name in MERGED_LISTS}
        self.origins: dict[str, list[Origin]] = {name: [] for name in MERGED_LISTS}
        self.seen: set[Path] = set()

    def error(self, source: int | None, file: str, path: list[str | int], message: str, *,
              expected: str | None = None, hint: str | None = None, key: bool = False) -> None:
        line = col = None
        if source is not None:
            line, col = formats.locate(self.sources[source].text, path, key=key)
        self.diagnostics.append(Diagnostic(file, message, path=format_path(path), line=line, column=col,
                                           expected=expected, hint=hint))

    def read(self, path: Path, display: str) -> tuple[int, Any] | None:
        from_stdin = str(path) == STDIN
        if not from_stdin and path.exists() and not path.is_dir() and not path.is_file():
            # /dev/zero, a FIFO: reading would never end
            self.diagnostics.append(Diagnostic(display, "not a regular file", expected="a YAML or JSON file"))
            return None
        try:
            raw = sys.stdin.buffer.read() if from_stdin else path.read_bytes()
        except FileNotFoundError:
            self.diagnostics.append(Diagnostic(display, "file not found", expected="an existing YAML or JSON file"))
            return None
        except IsADirectoryError:
            self.diagnostics.append(Diagnostic(display, "is a directory", expected="a YAML or JSON file"))
            return None
        except OSError as exc:
            self.diagnostics.append(Diagnostic(display, f"cannot read the file: {exc.strerror}"))
            return None
        text = formats.decode(raw, display)
        if isinstance(text, Diagnostic):
            self.diagnostics.append(text)
            return None
        fmt = formats.sniff(text) if from_stdin else formats.for_path(path)
        parsed = formats.parse(text, display, fmt, lists=LIST_KEYS)
        if isinstance(parsed, Diagnostic):
            self.diagnostics.append(parsed)
            return None
        self.sources.append(Source(path, display, text, hashlib.sha256(raw).hexdigest()))
        return len(self.sources) - 1, parsed.data

    def check_mapping(self, index: int, data: Any, what: str) -> bool:
        display = self.sources[index].display
        if data is None:
            blank = not self.sources[index].text.strip()
            message = "the file is empty" if blank else "the file has no content (only comments or a null value)"
            self.diagnostics.append(Diagnostic(display, message, line=1, column=1,
                                               expected=f"a mapping with {what}"))
            return False
        if not isinstance(data, dict):
            self.error(index, display, [], f"the top level is {_kind(data)}", expected=f"a mapping with {what}")
            return False
        return True

    def add_lists(self, index: int, data: dict[str, Any]) -> None:
        for name in MERGED_LISTS:
            items = data.get(name)
            if items is None:
                continue
            if not isinstance(items, list):
                self.error(index, self.sources[index].display, [name],
                           f"found {_kind(items)}", expected=f"a list of {name}")
                continue
            self.merged[name].extend(items)
            self.origins[name].extend(Origin(index, i) for i in range(len(items)))

    def includes(self, index: int, data: dict[str, Any], chain: tuple[Path, ...]) -> None:
        entries = data.get("include") or []
        source = self.sources[index]
        display = source.display
        if not isinstance(entries, list):
            self.error(index, display, ["include"], f"found {_kind(entries)}", expected="a list of file paths")
            return
        base = source.path.parent.resolve()
        for i, entry in enumerate(entries):
            where: list[str | int] = ["include", i]
            if not isinstance(entry, str) or not entry:
                self.error(index, display, where, f"found {entry!r}", expected="a relative file path")
                continue
            target = (base / entry).resolve()
            if not target.is_relative_to(base):
                self.error(index, display, where, f"{entry!r} points outside the including file's directory",
                           expected="a path inside " + str(base))
                continue
            if target in chain:
                loop = " -> ".join(_display(p) for p in (*chain, target))
                self.error(index, display, where, f"include loop: {loop}", expected="includes without cycles")
                continue
            if target in self.seen:
                self.error(index, display, where, f"{entry!r} is included twice", expected="each file included once")
                continue
            if not target.is_file():  # report it where the include is written, not at the missing path
                problem = "is a directory" if target.is_dir() else "not found"
                self.error(index, display, where, f"included file {entry!r} {problem}",
                           expected="an existing YAML or JSON file, relative to " + display)
                continue
            if len(chain) >= MAX_INCLUDE_DEPTH:
                self.error(index, display, where, "includes nested too deep",
                           expected=f"at most {MAX_INCLUDE_DEPTH} levels")
                continue
            self.seen.add(target)
            loaded = self.read(target, _display(target))
            if loaded is None:
                continue
            child, child_data = loaded
            if not self.check_mapping(child, child_data, "products, nodes, edges or waivers"):
                continue
            for key in child_data:
                if key not in FRAGMENT_KEYS:
                    self.error(child, self.sources[child].display, [str(key)],
                               f"unknown key {key!r} in an included file",
                               expected="one of " + ", ".join(FRAGMENT_KEYS),
                               hint=did_you_mean(str(key), FRAGMENT_KEYS), key=True)
            if child_data.get("nofakes", "1") not in FORMAT_VERSIONS:
                self.error(child, self.sources[child].display, ["nofakes"], f"found {child_data['nofakes']!r}",
                           expected=VERSIONS_EXPECTED)
            self.add_lists(child, child_data)
            self.includes(child, child_data, (*chain, target))


def input_name(path: str | Path) -> str:
    """How an input file is named in messages: as given, and `-` as standard input."""
    return STDIN_NAME if str(path) == STDIN else str(path)


def load_supply(path: str | Path, timings: dict[str, float] | None = None) -> LoadedSupply:
    """Load and validate a supply-chain file and its includes; raise InputError on any problem.

    `-` reads standard input (JSON when it starts with `{` or `[`, else YAML; includes are
    resolved from the working directory).

    `timings`, when given, receives seconds spent in 'load' (read, parse, includes) and
    'validation' (models and cross references).
    """
    path = Path(path)
    loader = _Loader()
    started = time.perf_counter()
    with paused_gc():
        loaded = loader.read(path, input_name(path))
        if loaded is None:
            raise InputError(loader.diagnostics)
        index, data = loaded
        if not loader.check_mapping(index, data, "nofakes, company, nodes, edges, ..."):
            raise InputError(loader.diagnostics)
        loader.seen.add(path.resolve())
        loader.add_lists(index, data)
        loader.includes(index, data, (path.resolve(),))
        merged = {k: v for k, v in data.items() if k not in MERGED_LISTS}
        merged.update({k: v for k, v in loader.merged.items() if v or k in data})
        if loader.diagnostics:  # structural problems: model errors would only repeat them
            raise InputError(loader.diagnostics)
        parsed = time.perf_counter()
        document, problems = translate_validation_error(merged, loader.origins, loader.sources)
        problems.extend(cross_reference(merged, loader.origins, loader.sources))
        warnings = tuple(sort_diagnostics([p for p in problems if p.level == "warning"]))
        problems = [p for p in problems if p.level != "warning"]
        if problems:
            raise InputError(sort_diagnostics(problems))
        assert document is not None
    if timings is not None:
        timings["load"] = parsed - started
        timings["validation"] = time.perf_counter() - parsed
    return LoadedSupply(document, tuple(loader.sources), loader.origins, warnings)
