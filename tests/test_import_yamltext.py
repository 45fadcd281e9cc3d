"""The imported document's YAML text reads back as the same data, whatever the text in it."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from nofakes.importing.yamltext import dump, scalar

TRICKY = ["yes", "No", "null", "~", "1.0", "007", "2026-01-01", "- dash", "a: b", "hash #x", "[list]", "{map}",
          "'quoted'", '"double"', "tab\there", "line\nbreak", " lead", "trail ", "", "Ünïcode Gmbh", "100%",
          "@at", "`tick", "!tag", "&anchor", "*alias", "? key", "a,b", "ISO 9001", "Shenzhen PCB Co.", "x" * 300,
          "\u202eevil", "emoji 🙂", "ON", "Off", "y", ".inf", "-.5", "0x1F", "1e5", ":", "a:b"]


@pytest.mark.parametrize("text", TRICKY)
def test_text_reads_back_as_itself(text: str) -> None:
    assert yaml.safe_load(f"k: {scalar(text)}\n") == {"k": text}


def test_a_document_reads_back_as_itself() -> None:
    document = {"nofakes": "1", "company": {"id": "acme", "name": "Acme: Inc."},
                "nodes": [{"id": "a", "attributes": {"tier": 1, "spend": 1.5, "ok": True, "Größe": "x",
                                                     "when": dt.date(2026, 1, 2), "empty": {}, "none": []}},
                          {"id": "b", "products": ["p1", "yes"], "audits": [{"date": dt.date(2025, 5, 1)}]}],
                "edges": [{"from": "a", "to": "b", "share": 0.25}], "products": []}
    text = dump(document)
    assert yaml.safe_load(text) == document
    assert "  name: \"Acme: Inc.\"\n" in text and "- id: a\n" in text


def test_what_the_format_never_holds_is_refused() -> None:
    with pytest.raises(ValueError):
        scalar(float("nan"))
    with pytest.raises(ValueError):
        dump({"k": [[1]]})
