"""Input sources: the format registry, byte-order marks, and integers out of range (located, never a crash)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import VALID
from nofakes.cli.main import cli
from nofakes.core.errors import Diagnostic, InputError
from nofakes.sources import formats, yamlchunks
from nofakes.supply.loading import load_supply

BOM = b"\xef\xbb\xbf"
HEAD_YAML = 'nofakes: "1"\ncompany: {id: a, name: A}\n'
HEAD_JSON = '{"nofakes": "1", "company": {"id": "a", "name": "A"},\n'


def errors_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(InputError) as caught:
        load_supply(path)
    return caught.value.diagnostics


# ---------------------------------------------------------------- the registry


def test_formats_by_suffix_and_by_first_character() -> None:
    assert formats.for_path("a/b.JSON") is formats.JSON
    assert formats.for_path("b.yml") is formats.for_path("b.yaml") is formats.for_path("b.txt") is formats.YAML
    assert formats.sniff(' \n\t{"a": 1}') is formats.sniff("[1]") is formats.JSON
    assert formats.sniff("a: 1") is formats.sniff("") is formats.YAML


def test_locate_finds_positions_in_either_format() -> None:
    assert formats.locate('{"a": {"b": [1, 2]}}', ["a", "b", 1]) == (1, 17)
    assert formats.locate("a:\n  b: [1, 2]\n", ["a", "b", 1]) == (2, 10)
    assert formats.locate("{a: [1, 2]}", ["a", 1]) == (1, 9)  # flow YAML opening like JSON: YAML finds it


# ---------------------------------------------------------------- byte-order mark


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_bad_byte_after_a_byte_order_mark_is_located_as_editors_count(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(BOM + b"ab\xffc\n")
    (diagnostic,) = errors_of(path)
    assert (diagnostic.line, diagnostic.column) == (1, 3)
    assert "byte 0xff" in diagnostic.message


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_nul_after_a_byte_order_mark_is_located_as_editors_count(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(BOM + b"abc\x00\n")
    (diagnostic,) = errors_of(path)
    assert (diagnostic.line, diagnostic.column) == (1, 4) and "NUL" in diagnostic.message


_LINE_ONE_JSON = ['{"nofakes": "1", "company": {"id": "a b", "name": "A"}, "as_of": "0001-01-01"}',
                  '{"nofakes": "1", "company": {"id": "a", "name": "A", "attributes": {"n": 12345678901234567}}}']
_LINE_ONE_YAML = ['nofakes: "2"\ncompany: {id: a, name: A}\n', "company: {id: a, name: A, size: 1}\nnofakes: '1'\n"]


@pytest.mark.parametrize("suffix, text", [(".json", t) for t in _LINE_ONE_JSON] + [(".yaml", t) for t in _LINE_ONE_JSON]
                         + [(".yaml", t) for t in _LINE_ONE_YAML])
def test_positions_on_line_one_are_the_same_with_a_byte_order_mark(tmp_path: Path, suffix: str, text: str) -> None:
    plain, marked = tmp_path / f"plain{suffix}", tmp_path / f"marked{suffix}"
    plain.write_bytes(text.encode())
    marked.write_bytes(BOM + text.encode())
    expected = [(d.line, d.column, d.path, d.message) for d in errors_of(plain)]
    assert expected and all(line == 1 for line, *_ in expected)
    assert [(d.line, d.column, d.path, d.message) for d in errors_of(marked)] == expected


def test_a_file_with_a_byte_order_mark_loads_in_both_formats(tmp_path: Path) -> None:
    for name in ("minimal.yaml", "full.json"):
        path = tmp_path / name
        path.write_bytes(BOM + (VALID / name).read_bytes())
        assert load_supply(path).document == load_supply(VALID / name).document


# ---------------------------------------------------------------- integers out of range


HUGE = "9" * 5000


@pytest.mark.parametrize("suffix, text, where", [
    (".json", HEAD_JSON + ' "nodes": [{"id": "s", "name": "S", "role": "supplier",\n'
              '  "attributes": {"spend": ' + HUGE + "}}]}", (3, 27, "nodes[0].attributes.spend")),
    (".yaml", HEAD_YAML + "nodes:\n  - id: s\n    name: S\n    role: supplier\n    attributes: {spend: " + HUGE + "}\n",
     (7, 25, "nodes[0].attributes.spend")),
    (".json", HEAD_JSON + ' "parameters": {"x": -1000000000000000}}', (2, 22, "parameters.x")),
    (".yaml", HEAD_YAML + "parameters: {x: 0x38D7EA4C68000}\n", (3, 17, "parameters.x")),  # 10**15 in hexadecimal
    (".yaml", HEAD_YAML + "nodes:\n  - {id: s, name: S, role: supplier, audits: [{date: 2026-01-01, result: pass,\n"
              "      open_findings: 1_000_000_000_000_000}]}\n", (5, 22, "nodes[0].audits[0].open_findings")),
], ids=["json-5000-digits", "yaml-5000-digits", "json-16-digits", "yaml-hex", "yaml-field"])
def test_an_integer_of_more_than_15_digits_is_a_located_error(tmp_path: Path, suffix: str, text: str,
                                                              where: tuple[int, int, str]) -> None:
    path = tmp_path / f"supply{suffix}"
    path.write_text(text, encoding="utf-8")
    (diagnostic,) = errors_of(path)
    assert (diagnostic.line, diagnostic.column, diagnostic.path) == where
    assert "is too large" in diagnostic.message and diagnostic.expected == "a whole number of at most 15 digits"
    assert len(diagnostic.format()) < 300  # a 5,000-digit number is shortened


def test_validate_reports_a_5000_digit_integer_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "supply.json"
    path.write_text(HEAD_JSON + ' "attributes": ' + HUGE + "}", encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(path)])
    assert done.exit_code == 2
    shown = "the number 99999999999999999999... (5,000 digits) is too large"
    assert f"{path}:2:16: error: attributes: {shown}" in done.output
    assert "Traceback" not in done.output


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_integers_up_to_15_digits_and_long_digit_text_are_accepted(tmp_path: Path, suffix: str) -> None:
    attributes = {"spend": 999_999_999_999_999, "debt": -999_999_999_999_999, "erp_id": "123456789012345678901234",
                  "ratio": 0.12345678901234567890}
    data = {"nofakes": "1", "company": {"id": "a", "name": "A", "attributes": attributes}}
    path = tmp_path / f"supply{suffix}"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML too
    assert load_supply(path).document.company.attributes == attributes


def test_a_too_large_integer_in_a_large_yaml_file_parsed_in_pieces(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    monkeypatch.setattr(yamlchunks, "BATCH_CHARS", 50)
    nodes = "".join(f"  - id: s{i}\n    name: S{i}\n    role: supplier\n" for i in range(20))
    path = tmp_path / "supply.yaml"
    path.write_text(HEAD_YAML + "nodes:\n" + nodes + "  - id: t\n    name: T\n    role: supplier\n"
                    "    attributes:\n      n: 12345678901234567890\n", encoding="utf-8")
    (diagnostic,) = errors_of(path)
    assert (diagnostic.line, diagnostic.column) == (3 + 60 + 5, 10) and "too large" in diagnostic.message
    assert diagnostic.path == ""  # a large file is not composed whole to find the path


LONE_HALF = ('{"nofakes": "1", "company": {"id": "a", "name": "A"},\n'
             ' "nodes": [{"id": "a", "name": "A\\ud800", "role": "brand_owner"}]}\n')


def test_a_lone_surrogate_in_json_is_a_located_error(tmp_path: Path) -> None:
    # JSON can spell half of a UTF-16 pair; it is no character, and no report could write it (it crashed them)
    path = tmp_path / "supply.json"
    path.write_text(LONE_HALF, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_supply(path)
    (problem,) = caught.value.diagnostics
    assert (problem.path, problem.line, problem.column) == ("nodes[0].name", 2, 32)  # at the text
    assert "\\ud800, half of a UTF-16 surrogate pair, on its own" in problem.message
    result = CliRunner().invoke(cli, ["audit", str(path), "-g", "ntif", "--format", "json"])
    assert result.exit_code == 2 and "nodes[0].name" in result.stderr


def test_a_surrogate_pair_in_json_is_one_character(tmp_path: Path) -> None:
    path = tmp_path / "supply.json"
    path.write_text(LONE_HALF.replace("\\ud800", "\\ud83d\\ude00"), encoding="utf-8")
    assert load_supply(path).document.nodes[0].name == "A\U0001F600"
