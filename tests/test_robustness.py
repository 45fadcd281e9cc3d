"""Mangled input never crashes the loader: every problem is an InputError with located diagnostics.

Deterministic mutations (seeded) of the valid corpus: deleted, duplicated and swapped lines,
deleted or inserted characters, changed indentation, values replaced by other types.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from helpers import VALID
from nofakes.core.errors import InputError
from nofakes.supply.loading import load_supply

REPLACEMENTS = ["", "~", "[]", "{}", "[1, 2]", "{a: 1}", "-1", "1.5", "true", "2026-13-45", "'x y'", "&a [*a]",
                "!!binary aGVsbG8=", "!!set {a, b}", "1e400", "0x10", ".nan", "|\n  text", "*nope", "\"\\x00\"",
                "9" * 5000, "-1234567890123456", "0001-01-01", "9999-12-31", "-.inf"]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    choice = rng.randrange(8)
    if choice == 0:
        del lines[i]
    elif choice == 1:
        lines.insert(i, lines[i])
    elif choice == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 3 and lines[i]:
        k = rng.randrange(len(lines[i]))
        lines[i] = lines[i][:k] + lines[i][k + 1:]
    elif choice == 4:
        k = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:k] + rng.choice("[]{}:,-'\"&*!#|>% \t") + lines[i][k:]
    elif choice == 5:
        lines[i] = " " * rng.randrange(1, 4) + lines[i]
    elif ": " in lines[i]:
        key, _, _ = lines[i].partition(": ")
        lines[i] = f"{key}: {rng.choice(REPLACEMENTS)}"
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["full.yaml", "anchors.yaml", "full.json", "cycles-and-returns.yaml"])
def test_mutations_never_crash(name: str, tmp_path: Path) -> None:
    rng = random.Random(f"nofakes-{name}")
    original = (VALID / name).read_text(encoding="utf-8")
    target = tmp_path / name
    failures = 0
    for _ in range(150):
        text = original
        for _ in range(rng.randrange(1, 4)):
            text = _mutate(text, rng)
        target.write_text(text, encoding="utf-8")
        try:
            load_supply(target)
        except InputError as exc:
            failures += 1
            for diagnostic in exc.diagnostics:
                assert diagnostic.file and diagnostic.message, diagnostic
                assert diagnostic.line is not None, f"unlocated: {diagnostic.format()}\n--- input ---\n{text}"
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{type(exc).__name__}: {exc}\n--- input ---\n{text}")
    assert failures > 30  # the mutations do break things


def test_every_valid_file_survives_being_truncated(tmp_path: Path) -> None:
    original = (VALID / "full.yaml").read_bytes()
    target = tmp_path / "cut.yaml"
    for end in range(0, len(original), 37):
        target.write_bytes(original[:end])
        try:
            load_supply(target)
        except InputError as exc:
            assert all(d.line is not None for d in exc.diagnostics), [d.format() for d in exc.diagnostics]
