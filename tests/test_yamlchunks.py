"""Parsing large YAML in pieces gives exactly what parsing it whole gives, or steps aside.

`nofakes.sources.yamlchunks` is a memory-saving fast path for big files; these tests lower its size
threshold and batch size so that every file here goes through it, batch cuts included.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import BROKEN, ROOT, VALID
from nofakes.core.errors import InputError
from nofakes.sources import yaml_reader, yamlchunks
from nofakes.supply.loading import LIST_KEYS, load_supply

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402 - the benchmark generator, imported from its folder

EXAMPLES = sorted((ROOT / "examples").glob("*/supply.yaml"))
VALID_YAML = sorted(p for p in VALID.rglob("*.yaml"))
BROKEN_YAML = sorted(p for p in BROKEN.rglob("*.yaml") if p.name != "expected.yaml")


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    monkeypatch.setattr(yamlchunks, "BATCH_CHARS", 150)


def _pieces(text: str):
    return yamlchunks.parse_in_pieces(text, yaml_reader.load_plain, LIST_KEYS)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (1 == True == 1.0 is not enough here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        keys_alike = list(a) == list(b) and all(same(k, m) for k, m in zip(a, b, strict=True))
        return keys_alike and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_parse_in_pieces_to_the_same_data(path: Path, small_pieces: None) -> None:
    text = path.read_text(encoding="utf-8")
    pieces = _pieces(text)
    assert pieces is not None, "the examples are plainly laid out: the fast path must take them"
    assert same(pieces, yaml_reader.load(text))


def test_a_generated_graph_parses_in_pieces_to_the_same_data(small_pieces: None, tmp_path: Path) -> None:
    path = tmp_path / "supply.yaml"
    generate.write(generate.generate(300, seed=3), path, "yaml")
    text = path.read_text(encoding="utf-8")
    pieces = _pieces(text)
    assert pieces is not None
    assert same(pieces, yaml_reader.load(text))


@pytest.mark.parametrize("path", VALID_YAML + BROKEN_YAML, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_pieces_equal_the_whole_or_step_aside(path: Path, small_pieces: None) -> None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not text: decoding rejects it before parsing")
    pieces = _pieces(text)
    if pieces is None:
        return
    assert same(pieces, yaml_reader.load(text))


ENTRY_FILES = [p for p in VALID_YAML if p.parent == VALID] + [VALID / "with-include" / "main.yaml"] + EXAMPLES


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_loading_through_pieces_gives_the_same_document(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = load_supply(path)
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    monkeypatch.setattr(yamlchunks, "BATCH_CHARS", 100)
    assert load_supply(path).document == whole.document


@pytest.mark.parametrize("path", BROKEN_YAML, ids=lambda p: str(p.relative_to(BROKEN)))
def test_broken_files_give_the_same_errors_through_pieces(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def messages() -> list[str]:
        try:
            load_supply(path)
        except InputError as exc:
            return [str(d) for d in exc.diagnostics]
        return []

    whole = messages()
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    monkeypatch.setattr(yamlchunks, "BATCH_CHARS", 100)
    assert messages() == whole


NODES = "".join(f"  - id: n{i}\n    name: N {i}\n    role: supplier\n    country: DE\n" for i in range(20))


@pytest.mark.parametrize("text", [
    "company: {name: A}\nnodes:\n  - &a {id: x}\n  - *a\n",            # anchors and aliases
    "company: {name: A}\nnodes: !!seq\n  - id: x\n",                   # tags
    "%YAML 1.1\n---\ncompany: {name: A}\n",                            # directives, markers
    "company: {name: A}\ncompany: {name: B}\n",                        # a key twice
    "company: {name: A}\n\tnodes: []\n",                               # odd layout
    "company: {name: A}\nnodes:\n",                                    # null, not a list
    "company: {name: A}\nnodes:\n  - id: x\n - id: y\n",               # a line outside its items
    "company: {name: A}\rnodes:\r  - id: x\r",                         # bare CR line breaks
    "company: {name: A}\nnodes:\n  - id: x\n    note: \"a\n  - b\"\n",  # a quoted scalar cut at a batch
    "\ufeffcompany: {name: A}\n",                                      # a byte-order mark
    "  stray text\ncompany: {name: A}\n",                               # text before the first key
    "- item\ncompany: {name: A}\n",                                    # a list item before the first key
])
def test_unsure_layouts_are_left_to_the_whole_parse(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    monkeypatch.setattr(yamlchunks, "BATCH_CHARS", 1)
    assert _pieces(text) is None


@pytest.mark.parametrize("text", [
    "company: {name: A}\nnodes:\n" + NODES,
    "company: {name: A}\r\nnodes:\r\n" + NODES.replace("\n", "\r\n"),        # Windows line endings
    "# header\ncompany:\n  name: A\n\nnodes:\n# a comment\n" + NODES + "edges: []\n",
    "company: {name: A}\nnodes:\n" + NODES.replace("  - ", "- ").replace("    ", "  "),  # compact lists
    "company: {name: A}\nnodes:\n" + NODES + "  - id: z\n    note: |\n      - not an item\n      text\n",
    "company: {name: 'Smith & Sons'}\nnodes: []\n",
])
def test_plain_layouts_parse_in_pieces(text: str, small_pieces: None) -> None:
    pieces = _pieces(text)
    assert pieces is not None
    assert same(pieces, yaml_reader.load(text))


def test_small_files_are_parsed_whole() -> None:
    assert _pieces("company: {name: A}\nnodes: []\n") is None


SCALARS = """\
ints: [0x1F, 0o17, 017, 1_000, +5, -0, 190:20:30, 0b101]
floats: [1.5, 6.8523015e+5, .inf, -.Inf, .nan, 1_000.5, 190:20:30.15]
bools: [yes, No, on, OFF, true, False, y, n]
nulls: [~, null, Null, ]
empty:
dates: [2026-01-02, 2026-01-02T10:00:00Z, 2026-01-02 10:00:00.5 +02:00, 2026-13-45, 2026-1-2]
strings: ['yes', "0x1F", plain text, "a\\tb", 'it''s', "\\u00e9", 1.2.3, 12:30, "", '2026-01-02']
block: |
  kept
    as is
folded: >-
  folded
  text
nested: {a: [1, {b: c}], "quoted key": 2, 3: three, 2026-01-02: day, null: nothing}
"""


def test_the_plain_builder_gives_pyyaml_s_values_and_types() -> None:
    assert same(yaml_reader.load_plain(SCALARS), yaml_reader.load(SCALARS))


@pytest.mark.parametrize("text", [
    "base: &b {a: 1}\nother: {<<: *b, c: 2}\n",   # merge keys (and aliases)
    "plain: {<<: {a: 1}, c: 2}\n",                # a merge key without anchors
    "a: &x [1, 2]\nb: *x\n",                       # an alias (never expanded: alias bombs)
    "a: !!set {x, y}\n",                           # other tags
    "a: !!binary aGVsbG8=\n",
    "a: !custom x\n",
    "? [1, 2]\n: list key\n",                       # a key that is not a scalar
    "a: 1\na: 2\n",                               # repeated keys
    "1: a\n1.0: b\n",                             # keys equal once constructed
])
def test_the_plain_builder_refuses_what_it_does_not_handle(text: str) -> None:
    with pytest.raises((yaml_reader.Unsupported, yaml.YAMLError)):
        yaml_reader.load_plain(text)


@pytest.mark.parametrize("path", VALID_YAML + BROKEN_YAML + EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_plain_builder_on_whole_files_agrees_or_refuses(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not text: decoding rejects it before parsing")
    try:
        plain = yaml_reader.load_plain(text)
    except Exception:  # noqa: BLE001 - refusing is always allowed: the full parse then decides
        return
    assert same(plain, yaml_reader.load(text))


MUTATIONS = ["- x", "key: value", "  - id: q", "    name: 'a", '    note: "b', "# c", "\tx: 1", "---", "...",
             "  &a", "*a", "x: [1,", "  y: }", "-", "- ", "nodes:", "edges: []", "   - z", " w: 1", "%YAML 1.1",
             "a: |", "  text", "b: >", "  <<: {a: 1}", "k: !!str 1", "\r", "? k", ": v", "nodes:\n- id: a\n  x: 1"]


@pytest.mark.parametrize("seed", range(4))
def test_mutated_files_are_never_parsed_differently(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random line edits of real files: the fast paths either step aside or agree exactly."""
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES + [VALID / "full.yaml"]]
    taken = 0
    for _ in range(150):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(lines))
            op = rng.randrange(5)
            if op == 0 and len(lines) > 1:
                del lines[i]
            elif op == 1:
                lines.insert(i, rng.choice(MUTATIONS))
            elif op == 2:
                lines[i] = " " * rng.randint(0, 4) + lines[i].lstrip()
            elif op == 3:
                lines.insert(i, lines[rng.randrange(len(lines))])
            else:
                j = rng.randrange(len(lines[i]) + 1)
                lines[i] = lines[i][:j] + rng.choice(":- '\"#{}[],&*!") + lines[i][j:]
        text = "\n".join(lines)
        monkeypatch.setattr(yamlchunks, "BATCH_CHARS", rng.choice([1, 50, 500, 10**6]))
        try:
            whole, failed = yaml_reader.load(text), False
        except Exception:  # noqa: BLE001 - any error of the full parse
            whole, failed = None, True
        pieces = _pieces(text)
        if pieces is not None:
            taken += 1
            assert not failed and same(pieces, whole), text
        try:
            plain = yaml_reader.load_plain(text)
        except Exception:  # noqa: BLE001 - refusing is always allowed
            continue
        assert not failed and same(plain, whole), text
    assert taken > 5  # the fast path was really exercised
