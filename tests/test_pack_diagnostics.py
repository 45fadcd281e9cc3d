"""Pack load errors worded for pack authors, and the NOFAKES_GUIDELINES_PATH search path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import nofakes.packs.catalogue as packs
from nofakes.core.errors import PackError
from nofakes.packs.catalogue import resolve_pack

PACK = """\
pack: acme
version: 1.0.0
title: Acme pack
status: released
parameters:
  window_days: {default: 30, description: Window}
sections: [{id: vetting, title: Vetting}]
rules:
  - id: ACM-VET-001
    title: Partners are vetted
    section: vetting
    severity: high
    target: node
    check: {field: role, exists: true}
    message: "{node.name} is not vetted"
    remediation: Vet them.
"""


def errors_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as exc:
        resolve_pack(str(path))
    return [d.format() for d in exc.value.diagnostics]


def test_a_parameter_default_of_no_allowed_type_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(PACK.replace("{default: 30,", "{default: {every: 30},"), encoding="utf-8")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:6:")
    assert "parameters.window_days.default: found a mapping" in line
    assert "(expected text, a whole number, a number, true or false, a date as YYYY-MM-DD, or a list)" in line


@pytest.mark.parametrize("default", ["[30, soon]", "[]", "[[30]]"])
def test_a_list_parameter_of_mixed_or_no_items_is_reported_once(tmp_path: Path, default: str) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(PACK.replace("{default: 30,", f"{{default: {default},"), encoding="utf-8")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:6:")
    assert "items must all be text, all whole numbers or all dates" in line


def test_a_condition_name_in_the_wrong_form_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    text = PACK.replace("sections:", "conditions:\n  Vetted: {description: vetted, condition: {field: role, "
                                     "exists: true}}\nsections:")
    path.write_text(text, encoding="utf-8")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:8:")
    assert "conditions.Vetted: found 'Vetted'" in line and "e.g. current_authorization" in line


def test_a_rule_id_in_the_wrong_form_is_explained_in_words(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(PACK.replace("ACM-VET-001", "ACM-VET-01"), encoding="utf-8")
    (line,) = errors_of(path)
    assert f"{path}:9:9: error: rules[0].id: found 'ACM-VET-01'" in line
    assert "PREFIX-AREA-NNN" in line and "e.g. ELX-SRC-001" in line
    assert "[A-Z]" not in line  # no raw regular expression


def test_an_unquoted_colon_gets_a_quoting_hint(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(PACK.replace("title: Partners are vetted", "title: Partners: vetted"), encoding="utf-8")
    (line,) = errors_of(path)
    assert line.startswith(f"{path}:10:")
    assert "mapping values are not allowed" in line and 'text containing ": " must be quoted' in line


def test_the_search_path_variable_adds_folders_after_the_others(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    (first / "acme").mkdir(parents=True)
    (first / "acme" / "1.0.0.yaml").write_text(PACK, encoding="utf-8")
    monkeypatch.setenv("NOFAKES_GUIDELINES_PATH", f"{first}:{tmp_path / 'missing'}:{second}")
    second.mkdir()
    roots = packs.pack_roots()
    assert [r.origin for r in roots][0] == "built-in"
    assert [(r.path, r.origin) for r in roots][-2:] == [(first, "NOFAKES_GUIDELINES_PATH"),
                                                        (second, "NOFAKES_GUIDELINES_PATH")]
    assert resolve_pack("acme").id == "acme@1.0.0"
    assert resolve_pack("ntif").name == "ntif"  # the built-in packs stay found


def test_every_condition_error_of_every_rule_is_reported_at_once(tmp_path: Path) -> None:
    from nofakes.audit.compile import compile_rules
    from nofakes.audit.subjects import build_subjects
    from nofakes.supply.graph import build_graph
    from nofakes.supply.model import Document

    rules = PACK.replace("    check: {field: role, exists: true}\n    message: \"{node.name} is not vetted\"",
                         "    applies_to: {where: {field: rol, in: [supplier]}}\n"
                         "    check:\n"
                         "      all:\n"
                         "        - {field: contrct.audit_rights, is_true: true}\n"
                         "        - {any_item: {field: audits, where: {field: reslt, equals: pass}}}\n"
                         "        - {field: name, exist: true}\n"
                         "    message: \"{nod.name} is not vetted\"")
    rules += rules[rules.index("  - id: ACM-VET-001"):].replace("ACM-VET-001", "ACM-VET-002")
    path = tmp_path / "acme.yaml"
    path.write_text(rules, encoding="utf-8")
    pack = resolve_pack(str(path))
    document = Document.model_validate({"nofakes": "1", "company": {"id": "c", "name": "C"}})
    supply = build_graph(document)
    with pytest.raises(PackError) as exc:
        compile_rules([pack], {}, dt.date(2026, 11, 1), supply, build_subjects(document, supply))
    found = [(d.line, d.path, d.message) for d in exc.value.diagnostics]
    expected = [
        (20, "rules[0].message", "rule ACM-VET-001: unknown placeholder {nod.name}"),
        (14, "rules[0].applies_to.where.field", "rule ACM-VET-001: unknown field 'rol' on a node"),
        (17, "rules[0].check.all[0].field", "rule ACM-VET-001: unknown field 'contrct' on a node"),
        (18, "rules[0].check.all[1].any_item.where.field", "rule ACM-VET-001: unknown field 'reslt' on a audit item"),
        (19, "rules[0].check.all[2].exist", "rule ACM-VET-001: unknown operator 'exist'"),
    ]
    assert found[:5] == expected
    assert [(line + 13, path.replace("rules[0]", "rules[1]"), msg.replace("001", "002"))
            for line, path, msg in expected] == found[5:]
