"""Loading supply-chain files: includes, origins, hashes, JSON/YAML equivalence, dates, the parser."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from helpers import BROKEN, ROOT, VALID
from nofakes.core.errors import Diagnostic, InputError
from nofakes.sources import formats, json_locator, yaml_locator, yaml_reader
from nofakes.supply.loading import Origin, load_supply
from nofakes.supply.model import Document


def errors_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(InputError) as caught:
        load_supply(path)
    assert caught.value.diagnostics
    return caught.value.diagnostics


# ---------------------------------------------------------------- includes


def test_includes_resolve_relative_to_the_including_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # the working directory plays no part
    loaded = load_supply(VALID / "with-include" / "main.yaml")
    assert [s.path.name for s in loaded.sources] == ["main.yaml", "tier2.yaml", "tier3.json"]
    assert loaded.sources[2].path == (VALID / "with-include" / "parts" / "deeper" / "tier3.json").resolve()
    assert [n.id for n in loaded.document.nodes] == ["acme", "factory", "pcb", "copper"]
    assert [(e.from_, e.to) for e in loaded.document.edges] == [("factory", "acme"), ("pcb", "factory"),
                                                              ("copper", "pcb")]
    assert [w.target for w in loaded.document.waivers] == ["pcb"]
    assert loaded.document.include == ["parts/tier2.yaml"]
    assert loaded.path == VALID / "with-include" / "main.yaml"


def test_origins_map_merged_items_back_to_their_files() -> None:
    loaded = load_supply(VALID / "with-include" / "main.yaml")
    assert loaded.origins["nodes"] == [Origin(0, 0), Origin(0, 1), Origin(1, 0), Origin(2, 0)]
    assert loaded.origins["edges"] == [Origin(0, 0), Origin(1, 0), Origin(2, 0)]
    assert loaded.origins["waivers"] == [Origin(1, 0)]
    assert loaded.origins["products"] == [Origin(0, 0)]


def test_an_error_in_an_included_file_names_that_file_its_line_and_its_own_path(monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    (diagnostic,) = errors_of(Path("include-error-in-fragment/main.yaml"))
    assert diagnostic.file == "include-error-in-fragment/parts/tier2.yaml"
    assert (diagnostic.line, diagnostic.column) == (8, 11)
    assert diagnostic.path == "nodes[1].role"  # index inside the fragment, not in the merged list (3)
    assert "did you mean" in (diagnostic.hint or "")


def test_cross_reference_error_in_an_included_file(monkeypatch) -> None:
    monkeypatch.chdir(BROKEN)
    (diagnostic,) = errors_of(Path("include-dangling-across-files/main.yaml"))
    assert diagnostic.file == "include-dangling-across-files/edges.yaml"
    assert (diagnostic.line, diagnostic.path) == (3, "edges[1].to")


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\ninclude: [more.yaml]\n'
                                        "nodes:\n  - {id: s, name: S, role: supplier}\n")
    (tmp_path / "more.yaml").write_text("# more\nnodes:\n  - {id: t, name: T, role: supplier}\n"
                                        "  - {id: s, name: S again, role: supplier}\n")
    (diagnostic,) = errors_of(tmp_path / "main.yaml")
    assert diagnostic.file.endswith("more.yaml") and diagnostic.line == 4 and diagnostic.path == "nodes[1].id"
    assert "main.yaml nodes[0]" in diagnostic.message


def test_include_problems(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yaml").write_text("nodes: []\n")
    (tmp_path / "main.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\ninclude:\n'
                                        "  - sub/x.yaml\n  - sub/x.yaml\n  - sub\n  - ''\n  - 7\n")
    diagnostics = errors_of(tmp_path / "main.yaml")
    assert [(d.line, d.path) for d in diagnostics] == [(5, "include[1]"), (6, "include[2]"), (7, "include[3]"),
                                                       (8, "include[4]")]
    assert "included twice" in diagnostics[0].message
    assert "is a directory" in diagnostics[1].message


def test_include_loop_through_three_files(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\ninclude: [b.yaml]\n')
    (tmp_path / "b.yaml").write_text("include: [c.yaml]\n")
    (tmp_path / "c.yaml").write_text("include: [b.yaml]\n")
    (diagnostic,) = errors_of(tmp_path / "main.yaml")
    assert diagnostic.file.endswith("c.yaml") and diagnostic.line == 1
    assert "include loop" in diagnostic.message and "b.yaml -> " in diagnostic.message


def test_an_included_file_with_a_format_version_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\ninclude: [b.yaml, c.yaml]\n')
    (tmp_path / "b.yaml").write_text('nofakes: "1"\nnodes: [{id: s, name: S, role: supplier}]\n')
    (tmp_path / "c.yaml").write_text('nofakes: "2"\n')
    (diagnostic,) = errors_of(tmp_path / "main.yaml")
    assert diagnostic.file.endswith("c.yaml") and diagnostic.line == 1 and "'2'" in diagnostic.message


# ---------------------------------------------------------------- hashes


def _sha256sum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_input_hash_is_the_root_files_sha256sum_and_each_include_has_its_own(tmp_path: Path) -> None:
    copy = tmp_path / "supply"
    shutil.copytree(VALID / "with-include", copy)
    loaded = load_supply(copy / "main.yaml")
    files = [copy / "main.yaml", copy / "parts" / "tier2.yaml", copy / "parts" / "deeper" / "tier3.json"]
    assert loaded.input_hash == _sha256sum(files[0])
    assert [s.sha256 for s in loaded.sources] == [_sha256sum(f) for f in files]
    deepest = files[2]
    deepest.write_text(deepest.read_text().replace("Copper Laminate Ltd", "Copper Laminate Limited"))
    changed = load_supply(copy / "main.yaml")
    assert changed.input_hash == loaded.input_hash  # the root file did not change
    assert changed.sources[2].sha256 == _sha256sum(deepest) != loaded.sources[2].sha256


def test_input_hash_ignores_the_location_of_the_files(tmp_path: Path) -> None:
    shutil.copytree(VALID / "with-include", tmp_path / "a")
    shutil.copytree(VALID / "with-include", tmp_path / "b")
    a, b = load_supply(tmp_path / "a" / "main.yaml"), load_supply(tmp_path / "b" / "main.yaml")
    assert [s.sha256 for s in a.sources] == [s.sha256 for s in b.sources]


def test_input_hash_of_a_single_file_is_its_sha256sum() -> None:
    loaded = load_supply(VALID / "minimal.yaml")
    assert loaded.input_hash == loaded.sources[0].sha256 == _sha256sum(VALID / "minimal.yaml")
    assert len(loaded.sources) == 1


def test_input_hash_of_standard_input_is_that_of_the_bytes_read(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b"\xef\xbb\xbf" + (VALID / "minimal.yaml").read_bytes()  # the mark is part of the bytes hashed
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    loaded = load_supply("-")
    assert loaded.input_hash == hashlib.sha256(raw).hexdigest()
    assert loaded.sources[0].display == "<stdin>"


# ---------------------------------------------------------------- JSON, YAML, dates


def test_json_and_yaml_of_the_same_document_are_equal() -> None:
    from_yaml = load_supply(VALID / "full.yaml").document
    from_json = load_supply(VALID / "full.json").document
    assert isinstance(from_yaml, Document)
    assert from_yaml == from_json
    assert from_yaml.model_dump(mode="json") == from_json.model_dump(mode="json")


def test_dates_are_date_objects() -> None:
    for name in ("full.yaml", "full.json"):
        document = load_supply(VALID / name).document
        assert document.as_of == dt.date(2026, 11, 1)
        pcb = document.nodes[0]
        assert pcb.audits[0].date == dt.date(2026, 3, 12)
        assert pcb.authorization is not None and pcb.authorization.expires == dt.date(2027, 6, 30)
        assert pcb.incidents[0].reported[0].date == dt.date(2026, 8, 20)
        assert document.waivers[0].expires == dt.date(2027, 1, 31)
        assert type(document.as_of) is dt.date
        assert document.parameters == {"audit_interval_days": 365, "strict": True, "region": "EU", "ratio": 0.5}



def test_a_date_parameter_is_a_date_in_json_too(tmp_path: Path) -> None:
    head = '"nofakes": "1", "company": {"id": "a", "name": "A"}'
    (tmp_path / "s.json").write_text("{" + head + ', "parameters": {"cutoff": "2026-01-01"}}')
    (tmp_path / "s.yaml").write_text('nofakes: "1"\ncompany: {id: a, name: A}\nparameters: {cutoff: 2026-01-01}\n')
    assert load_supply(tmp_path / "s.yaml").document.parameters == {"cutoff": dt.date(2026, 1, 1)}
    assert load_supply(tmp_path / "s.json").document.parameters == {"cutoff": dt.date(2026, 1, 1)}


def test_anchors_and_merge_keys_expand() -> None:
    document = load_supply(VALID / "anchors.yaml").document
    a, b, c = document.nodes[:3]
    assert a.contract == b.contract == c.contract and a.contract is not None and a.contract.flow_down
    assert c.id == "pcb-c" and c.name == "PCB Supplier C" and c.country == "TW" and c.audits == b.audits
    assert all(e.documents is not None and e.documents.traceability.value == "full" for e in document.edges)


def test_models_are_frozen() -> None:
    document = load_supply(VALID / "full.yaml").document
    with pytest.raises(ValidationError, match="frozen"):
        document.nodes[0].name = "changed"  # type: ignore[misc]


def test_attributes_keep_free_form_data() -> None:
    document = load_supply(VALID / "full.yaml").document
    assert document.nodes[0].attributes == {"spend_usd": 1200000, "anything": {"nested": [1, 2, 3]}}
    assert document.company.attributes == {"duns": "123456789"}


def test_libyaml_is_used_when_available() -> None:
    assert yaml_reader.HAVE_LIBYAML == bool(getattr(yaml, "__with_libyaml__", False))
    if yaml_reader.HAVE_LIBYAML:
        assert issubclass(yaml_reader._Loader, yaml.CSafeLoader)
    else:  # pragma: no cover - depends on the PyYAML build
        assert issubclass(yaml_reader._Loader, yaml.SafeLoader)


def test_parser_is_safe_and_rejects_duplicates() -> None:
    assert isinstance(formats.parse("a: !!python/name:os.system x\n", "f", formats.YAML), Diagnostic)
    duplicate = formats.parse("a: 1\nb:\n  c: 1\n  c: 2\n", "f", formats.YAML)
    assert isinstance(duplicate, Diagnostic) and (duplicate.line, duplicate.column) == (4, 3)
    ok = formats.parse("a: 2026-01-02\nb: 2026-13-45\n", "f", formats.YAML)
    assert not isinstance(ok, Diagnostic)
    assert ok.data == {"a": dt.date(2026, 1, 2), "b": "2026-13-45"}


def test_json_duplicate_key_is_located_at_the_repeated_key() -> None:
    text = '{"nodes": [\n {"id": "a"},\n {"id": "b",\n  "id": "c"}]}'
    diagnostic = formats.parse(text, "f.json", formats.JSON)
    assert isinstance(diagnostic, Diagnostic)
    assert (diagnostic.line, diagnostic.column) == (4, 3)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    for fmt in formats.FORMATS:
        result = formats.parse('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "f", fmt)
        assert isinstance(result, Diagnostic)
        assert "nesting" in result.message


def test_alias_bomb_is_rejected_quickly() -> None:
    import time

    start = time.perf_counter()
    result = formats.parse((BROKEN / "alias-bomb.yaml").read_text(), "bomb.yaml", formats.YAML)
    assert isinstance(result, Diagnostic) and "alias bomb" in result.message
    assert time.perf_counter() - start < 2


def test_moderate_alias_use_is_accepted() -> None:
    text = "a: &a [1, 2, 3]\n" + "".join(f"k{i}: *a\n" for i in range(1000))
    assert not isinstance(formats.parse(text, "f", formats.YAML), Diagnostic)


def test_locate() -> None:
    text = "a:\n  b:\n    - x\n    - {c: 1, d: 2}\n"
    assert formats.locate(text, ["a", "b", 1, "d"]) == (4, 17)
    assert formats.locate(text, ["a", "b", 1, "d"], key=True) == (4, 14)
    assert formats.locate(text, ["a", "b", 7]) == (3, 5)  # nearest existing ancestor
    assert formats.locate("a: [unclosed", ["a"]) == (None, None)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path in a document, plus a missing key and an out-of-range index under each container."""
    yield prefix
    if isinstance(value, dict):
        yield (*prefix, "no_such_key")
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        yield (*prefix, len(value) + 3)
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@pytest.mark.parametrize("name", ["full.json", "generated"])
def test_json_positions_agree_with_the_composed_document(name: str, tmp_path: Path) -> None:
    if name == "generated":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import generate  # noqa: PLC0415 - the benchmark generator, from its folder

        path = tmp_path / "supply.json"
        generate.write(generate.generate(40, seed=5), path, "json")
    else:
        path = VALID / name
    text = path.read_text(encoding="utf-8")
    paths = list(_paths(json.loads(text)))
    assert len(paths) > 100
    json_locator._json_items.cache_clear()
    for doc_path in paths:
        for key in (False, True):
            expected = yaml_locator.locate_composed(text, doc_path, key)
            assert formats.locate(text, doc_path, key=key) == expected, doc_path
    assert json_locator._json_items.cache_info().misses <= len(json.loads(text))  # each list indexed once


def test_json_positions_with_escapes_odd_spacing_and_nesting() -> None:
    text = '{ "a\\"b" :[1, {"x": "}]\\u00e9", "y" :\t[ ] } ],"c":{"d":null}}'
    for doc_path in [("a\"b",), ("a\"b", 1), ("a\"b", 1, "y"), ("a\"b", 1, "x"), ("c", "d"), ("c", "e"), ("a\"b", 9)]:
        for key in (False, True):
            expected = yaml_locator.locate_composed(text, doc_path, key)
            assert formats.locate(text, doc_path, key=key) == expected, doc_path


def test_large_yaml_positions_come_from_the_item_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from nofakes.sources import yamlchunks

    text = (VALID / "full.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    whole = {p: (formats.locate(text, p), formats.locate(text, p, key=True)) for p in _paths(data)}
    monkeypatch.setattr(yamlchunks, "MIN_SIZE", 0)
    yaml_reader.compose.cache_clear()
    assert yamlchunks.narrow(text, ["nodes", 1, "name"]) is not None
    yamlchunks._list_index.cache_clear()
    for doc_path, expected in whole.items():
        assert (formats.locate(text, doc_path), formats.locate(text, doc_path, key=True)) == expected, doc_path
    # each list is indexed once, however many positions are asked for (a file may have 1000 errors)
    assert yamlchunks._list_index.cache_info().misses <= len(data)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (VALID / "minimal.yaml").read_bytes())
    assert load_supply(path).document.company.id == "acme"
