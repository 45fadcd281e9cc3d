"""Guideline packs: resolution by name and version, extends, entry points, located load errors."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path
from typing import Any

import pytest

import nofakes.packs.catalogue as packs
from nofakes.audit.compile import compile_rules
from nofakes.audit.subjects import build_subjects
from nofakes.core.errors import Diagnostic, PackError
from nofakes.packs.catalogue import ResolvedPack, find_version, resolve_all, resolve_pack
from nofakes.supply.graph import build_graph
from nofakes.supply.model import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "engine"


# ---------------------------------------------------------------- building pack trees


def rule_text(rule_id: str, *, section: str = "vetting", severity: str = "high",
              check: str = "{field: role, exists: true}", message: str = '"{node.name} fails"',
              remediation: str | None = "Fix it.", extra: str = "") -> str:
    text = (f"  - id: {rule_id}\n"
            f"    title: Rule {rule_id}\n"
            f"    section: {section}\n"
            f"    severity: {severity}\n"
            f"    target: node\n"
            f"    check: {check}\n"
            f"    message: {message}\n")
    if remediation is not None:
        text += f"    remediation: {remediation}\n"
    return text + extra


def pack_text(name: str = "acme", version: str = "1.0.0", status: str = "released", *,
              rules: list[str] | None = None, extends: str | None = None, remove: list[str] | None = None,
              sections: bool = True) -> str:
    text = f"pack: {name}\nversion: {version}\ntitle: Test pack {name}\nstatus: {status}\n"
    if extends:
        text += f"extends: {extends}\n"
    if remove:
        text += "remove:\n" + "".join(f"  - {r}\n" for r in remove)
    if sections:
        text += ("sources: [{id: src, title: Source}]\n"
                 "parameters:\n"
                 "  audit_interval_days: {default: 365, description: Max audit age}\n"
                 "sections:\n"
                 "  - {id: vetting, title: Vetting}\n"
                 "  - {id: channels, title: Channels}\n")
    rules = [rule_text("ACM-GEN-001")] if rules is None else rules
    return text + ("rules:\n" + "".join(rules) if rules else "rules: []\n")


def write(root: Path, name: str, version: str, text: str | None = None, **kwargs: Any) -> Path:
    path = root / name / f"{version}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else pack_text(name, version, **kwargs), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated pack folder that is the only search root."""
    folder = tmp_path / "guidelines"
    folder.mkdir()
    monkeypatch.setattr(packs, "search_roots", lambda: [folder])
    return folder


@pytest.fixture
def versions(root: Path) -> Path:
    for version, status in [("0.9.0", "released"), ("1.0.0", "released"), ("1.1.0", "released"),
                            ("1.2.0", "draft"), ("1.3.0", "deprecated"), ("2.0.0", "draft"), ("1.10.0", "draft")]:
        write(root, "acme", version, status=status)
    return root


def line_of(text: str, needle: str) -> int:
    """1-based number of the line holding `needle` (for checking reported positions)."""
    (hit,) = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hit


def only(exc: pytest.ExceptionInfo[PackError]) -> Diagnostic:
    assert len(exc.value.diagnostics) == 1, exc.value.diagnostics
    return exc.value.diagnostics[0]


# ---------------------------------------------------------------- resolution


@pytest.mark.parametrize("ref, version", [
    ("acme", "1.1.0"),  # latest released: drafts (2.0.0, 1.10.0) and deprecated (1.3.0) are not picked
    ("acme@1", "1.1.0"),
    ("acme@1.0", "1.0.0"),
    ("acme@1.1", "1.1.0"),
    ("acme@0", "0.9.0"),
    ("acme@1.2", "1.2.0"),  # nothing released matches: the draft
    ("acme@1.10", "1.10.0"),  # numeric, not textual, prefixes
    ("acme@2", "2.0.0"),
    ("acme@1.0.0", "1.0.0"),  # exact: any status
    ("acme@1.2.0", "1.2.0"),
    ("acme@1.3.0", "1.3.0"),
])
def test_resolution_by_name_and_version(versions: Path, ref: str, version: str) -> None:
    pack = resolve_pack(ref)
    assert (pack.name, pack.version) == ("acme", version)
    assert pack.id == f"acme@{version}"
    assert find_version(ref) == versions / "acme" / f"{version}.yaml"


def test_latest_is_numeric(root: Path) -> None:
    for version in ("1.9.0", "1.10.0", "1.2.0"):
        write(root, "acme", version)
    assert resolve_pack("acme").version == "1.10.0"
    assert resolve_pack("acme@1.9").version == "1.9.0"


def test_only_drafts(root: Path) -> None:
    write(root, "acme", "0.1.0", status="draft")
    write(root, "acme", "0.2.0", status="draft")
    assert resolve_pack("acme").version == "0.2.0"


def test_unknown_name_with_hint(versions: Path) -> None:
    write(versions, "ntif", "1.0.0")
    with pytest.raises(PackError) as exc:
        resolve_pack("acmee@1")
    diag = only(exc)
    assert diag.message == "no such guideline pack"
    assert diag.hint == "did you mean 'acme'?"
    assert diag.expected == "one of: acme, ntif"
    assert diag.file == "guideline pack 'acmee@1'"


def test_unknown_versions(versions: Path) -> None:
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@3")
    assert only(exc).message == "no version of acme matches 3"
    assert "0.9.0, 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.10.0, 2.0.0" in (only(exc).expected or "")
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.5.0")
    assert only(exc).message == "no version 1.5.0 of acme"
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.x")
    assert only(exc).message == "not a pack reference"


def test_resolution_by_path(tmp_path: Path, root: Path) -> None:
    path = tmp_path / "elsewhere" / "my-rules.yaml"
    path.parent.mkdir()
    path.write_text(pack_text("mine", "0.3.0", status="draft"), encoding="utf-8")
    pack = resolve_pack(str(path))
    assert pack.id == "mine@0.3.0" and pack.files[0].path == path
    assert resolve_pack(str(FIXTURES / "mini-pack.yaml")).id == "mini@1.0.0"
    with pytest.raises(PackError) as exc:
        resolve_pack(str(tmp_path / "nope" / "missing.yaml"))
    assert only(exc).message == "file not found"


def test_file_must_match_its_place_in_the_tree(root: Path) -> None:
    text = pack_text("acme", "1.0.0")
    path = write(root, "acme", "1.1.0", text)
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.1.0")
    diag = only(exc)
    assert diag.path == "version" and diag.line == line_of(text, "version: 1.0.0")
    assert diag.file == str(path)
    write(root, "other", "1.0.0", pack_text("acme", "1.0.0"))
    with pytest.raises(PackError) as exc:
        resolve_pack("other")
    assert only(exc).path == "pack"


def test_resolve_all_reports_every_failure_and_duplicates(versions: Path) -> None:
    with pytest.raises(PackError) as exc:
        resolve_all(["acme@1", "nope", "acme@1.0.0", "acme@9"])
    messages = [d.message for d in exc.value.diagnostics]
    assert messages == ["no such guideline pack", "no version of acme matches 9", "selected more than once"]
    assert [p.id for p in resolve_all(["acme@1.0"])] == ["acme@1.0.0"]


def test_content_hash(versions: Path) -> None:
    one, again, other = resolve_pack("acme@1.0.0"), resolve_pack("acme@1.0.0"), resolve_pack("acme@1.1.0")
    assert one.sha256 == again.sha256 and len(one.sha256) == 64
    assert one.sha256 != other.sha256  # the version line differs


# ---------------------------------------------------------------- entry points


class FakeEntryPoint:
    def __init__(self, name: str, value: Any):
        self.name, self.value, self._value = name, f"plugin:{name}", value

    def load(self) -> Any:
        if isinstance(self._value, Exception):
            raise self._value
        return self._value


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, *entries: FakeEntryPoint) -> None:
    def entry_points(**kwargs: Any) -> list[FakeEntryPoint]:
        assert kwargs == {"group": "nofakes.guidelines"}
        return list(entries)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    monkeypatch.setattr(packs, "data_dir", lambda name: folder)
    return folder


def test_entry_point_publishes_a_folder(tmp_path: Path, builtin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = tmp_path / "plugin"
    write(plugin, "pharma", "1.0.0")
    write(builtin, "ntif", "1.0.0")
    fake_entry_points(monkeypatch, FakeEntryPoint("pharma", str(plugin)))
    assert packs.search_roots() == [builtin, plugin]
    assert sorted(packs.available()) == ["ntif", "pharma"]
    assert resolve_pack("pharma").files[0].path == plugin / "pharma" / "1.0.0.yaml"
    assert resolve_pack("ntif@1").id == "ntif@1.0.0"


def test_entry_point_callable_and_precedence(tmp_path: Path, builtin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = tmp_path / "plugin"
    write(plugin, "ntif", "1.0.0", pack_text("ntif", "1.0.0", rules=[rule_text("NTF-PLG-001")]))
    write(plugin, "ntif", "1.1.0")
    write(builtin, "ntif", "1.0.0", pack_text("ntif", "1.0.0", rules=[rule_text("NTF-BLT-001")]))
    fake_entry_points(monkeypatch, FakeEntryPoint("more", lambda: plugin), FakeEntryPoint("gone", "/no/such/dir"))
    assert packs.search_roots() == [builtin, plugin]  # a folder that does not exist is ignored
    assert [r.id for r in resolve_pack("ntif@1.0.0").rules] == ["NTF-BLT-001"]  # the first root wins
    assert resolve_pack("ntif").version == "1.1.0"  # a plugin may add versions


def test_broken_entry_point_is_an_error(builtin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, FakeEntryPoint("broken", ImportError("no module named broken_pack")))
    with pytest.raises(PackError) as exc:
        packs.search_roots()
    diag = only(exc)
    assert diag.file == "entry point broken (plugin:broken)"
    assert "no module named broken_pack" in diag.message


# ---------------------------------------------------------------- extends


def base_and_next(root: Path, next_text: str) -> tuple[Path, Path]:
    base = write(root, "acme", "1.0.0", rules=[
        rule_text("ACM-GEN-001"), rule_text("ACM-GEN-002", severity="medium"), rule_text("ACM-GEN-003")])
    return base, write(root, "acme", "1.1.0", next_text)


def test_extends_adds_changes_and_removes(root: Path) -> None:
    next_text = pack_text("acme", "1.1.0", extends="acme@1.0.0", remove=["ACM-GEN-003"], sections=False, rules=[
        rule_text("ACM-GEN-002", severity="low"), rule_text("ACM-NEW-004", section="channels")])
    base, newer = base_and_next(root, next_text)
    pack = resolve_pack("acme@1.1")
    assert pack.id == "acme@1.1.0"
    assert [r.id for r in pack.rules] == ["ACM-GEN-001", "ACM-GEN-002", "ACM-NEW-004"]
    assert {r.id: r.severity.value for r in pack.rules} == {"ACM-GEN-001": "high", "ACM-GEN-002": "low",
                                                           "ACM-NEW-004": "high"}
    assert [f.path for f in pack.files] == [newer, base]
    assert pack.origins["ACM-GEN-001"].file.path == base and pack.origins["ACM-GEN-001"].index == 0
    assert pack.origins["ACM-GEN-002"].file.path == newer and pack.origins["ACM-GEN-002"].index == 0
    assert pack.origins["ACM-NEW-004"].index == 1
    assert "ACM-GEN-003" not in pack.origins
    assert [s.id for s in pack.sections] == ["vetting", "channels"] and set(pack.parameters) == {"audit_interval_days"}
    assert pack.sha256 != resolve_pack("acme@1.0.0").sha256
    # the base is untouched
    assert [r.id for r in resolve_pack("acme@1.0.0").rules] == ["ACM-GEN-001", "ACM-GEN-002", "ACM-GEN-003"]


def test_extends_chain_of_three(root: Path) -> None:
    base_and_next(root, pack_text("acme", "1.1.0", extends="acme@1.0.0", sections=False,
                                  remove=["ACM-GEN-001"], rules=[]))
    write(root, "acme", "1.2.0", pack_text("acme", "1.2.0", extends="acme@1.1.0", sections=False,
                                           rules=[rule_text("ACM-GEN-001", severity="critical")]))
    pack = resolve_pack("acme@1.2.0")
    assert [f.pack.version for f in pack.files] == ["1.2.0", "1.1.0", "1.0.0"]
    assert {r.id: r.severity.value for r in pack.rules} == {"ACM-GEN-001": "critical", "ACM-GEN-002": "medium",
                                                           "ACM-GEN-003": "high"}


def test_remove_of_an_unknown_id_is_a_located_error(root: Path) -> None:
    text = pack_text("acme", "1.1.0", extends="acme@1.0.0", remove=["ACM-GEN-002", "ACM-GEN-009"], sections=False,
                     rules=[])
    _, newer = base_and_next(root, text)
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.1.0")
    diag = only(exc)
    assert diag.file == str(newer)
    assert diag.path == "remove[1]"
    assert (diag.line, diag.column) == (line_of(text, "ACM-GEN-009"), 5)
    assert "cannot remove 'ACM-GEN-009'" in diag.message
    assert diag.hint == "did you mean 'ACM-GEN-001'?" or diag.hint == "did you mean 'ACM-GEN-003'?"


def test_extends_loop(root: Path) -> None:
    write(root, "acme", "1.0.0", pack_text("acme", "1.0.0", extends="acme@1.1.0", sections=False))
    write(root, "acme", "1.1.0", pack_text("acme", "1.1.0", extends="acme@1.0.0", sections=False))
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.1.0")
    diag = only(exc)
    assert "extends loop" in diag.message and diag.line == 5
    write(root, "solo", "1.0.0", pack_text("solo", "1.0.0", extends="solo@1.0.0", sections=False))
    with pytest.raises(PackError) as exc:
        resolve_pack("solo")
    assert "extends loop through solo@1.0.0" in only(exc).message


def test_extends_must_name_an_existing_exact_version(root: Path) -> None:
    text = pack_text("acme", "1.1.0", extends="acme@1", sections=False)
    write(root, "acme", "1.1.0", text)
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.1.0")
    diag = only(exc)
    assert "must name an exact version" in diag.message and diag.line == line_of(text, "extends:")
    text = pack_text("acme", "1.2.0", extends="acme@0.9.0", sections=False)
    write(root, "acme", "1.2.0", text)
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.2.0")
    diag = only(exc)
    assert diag.message == "no version 0.9.0 of acme" and diag.line == line_of(text, "extends:")
    assert diag.path == "extends"


def test_extends_another_pack_through_the_catalogue(root: Path) -> None:
    write(root, "ntif", "1.0.0", rules=[rule_text("NTF-GEN-001")])
    write(root, "acme", "1.0.0", pack_text("acme", "1.0.0", extends="ntif@1.0.0", sections=False,
                                           rules=[rule_text("ACM-GEN-001")]))
    pack = resolve_pack("acme")
    assert pack.id == "acme@1.0.0" and [r.id for r in pack.rules] == ["ACM-GEN-001", "NTF-GEN-001"]


def test_extending_file_with_an_unknown_section_is_located(root: Path) -> None:
    text = pack_text("acme", "1.1.0", extends="acme@1.0.0", sections=False,
                     rules=[rule_text("ACM-NEW-004", section="vettting")])
    _, newer = base_and_next(root, text)
    with pytest.raises(PackError) as exc:
        resolve_pack("acme@1.1.0")
    diag = only(exc)
    assert (diag.file, diag.path, diag.line) == (str(newer), "rules[0].section", line_of(text, "section: vettting"))
    assert diag.hint == "did you mean 'vetting'?"


# ---------------------------------------------------------------- load errors, located


def load_error(tmp_path: Path, text: str) -> tuple[Path, list[Diagnostic]]:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as exc:
        resolve_pack(str(path))
    for diag in exc.value.diagnostics:
        assert diag.file == str(path)
        assert diag.line is not None and diag.column is not None, diag
        assert diag.format().startswith(f"{path}:{diag.line}:{diag.column}: error: ")
    return path, exc.value.diagnostics


def test_invalid_yaml(tmp_path: Path) -> None:
    text = pack_text().replace("    target: node\n", "    target: node\n   bad: [\n")
    _, (diag,) = load_error(tmp_path, text)
    assert diag.message.startswith("invalid YAML")
    assert diag.line >= line_of(text, "bad: [")  # type: ignore[operator]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001", extra="    severity: low\n")])
    _, (diag,) = load_error(tmp_path, text)
    assert "duplicate key 'severity'" in diag.message and diag.line == line_of(text, "severity: low")


def test_duplicate_rule_id(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001"), rule_text("ACM-GEN-002"), rule_text("ACM-GEN-001")])
    _, (diag,) = load_error(tmp_path, text)
    assert diag.message == "duplicate rule id 'ACM-GEN-001' (first at rules[0])"
    assert diag.path == "rules[2].id"
    assert diag.line == [i for i, line in enumerate(text.splitlines(), 1) if "id: ACM-GEN-001" in line][-1]


def test_unknown_section(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001"), rule_text("ACM-GEN-002", section="chanels")])
    _, (diag,) = load_error(tmp_path, text)
    assert diag.message == "unknown section 'chanels'" and diag.path == "rules[1].section"
    assert (diag.line, diag.column) == (line_of(text, "section: chanels"), 14)
    assert diag.hint == "did you mean 'channels'?"


def test_missing_field(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001"), rule_text("ACM-GEN-002", remediation=None)])
    _, (diag,) = load_error(tmp_path, text)
    assert diag.message == "missing required key 'remediation'"
    assert diag.path == "rules[1]"
    assert diag.line == line_of(text, "id: ACM-GEN-002")


def test_unknown_key_and_bad_enum(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001", extra="    severty: low\n")])
    _, (diag,) = load_error(tmp_path, text)
    assert diag.message == "unknown key 'severty'" and diag.hint == "did you mean 'severity'?"
    assert (diag.line, diag.column) == (line_of(text, "severty"), 5)
    text = pack_text(rules=[rule_text("ACM-GEN-001", severity="hgh")])
    _, (diag,) = load_error(tmp_path, text)
    assert diag.path == "rules[0].severity" and diag.hint == "did you mean 'high'?"


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001", section="nope"), rule_text("ACM-GEN-001"),
                            rule_text("ACM-GEN-003", extra="    references: [{source: srcc}]\n")])
    _, diags = load_error(tmp_path, text)
    assert [d.path for d in diags] == ["rules[1].id", "rules[0].section", "rules[2].references[0].source"]


def test_target_and_spec_must_agree(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001").replace("target: node", "target: path")])
    _, diags = load_error(tmp_path, text)
    assert [d.message for d in diags] == ["a path rule without 'path'", "a path rule takes 'path', not 'check'"]


def test_not_a_mapping(tmp_path: Path) -> None:
    _, (diag,) = load_error(tmp_path, "- just\n- a list\n")
    assert diag.message == "the pack is not a mapping" and (diag.line, diag.column) == (1, 1)


# Errors inside conditions and messages are found when the rules are compiled (before any is run).


def compile_pack(pack: ResolvedPack) -> None:
    doc = Document.model_validate({"nofakes": "1", "company": {"id": "acme", "name": "Acme"}})
    supply = build_graph(doc)
    params = {pack.id: {"audit_interval_days": 365}}
    compile_rules([pack], params, dt.date(2026, 11, 1), supply, build_subjects(doc, supply))


def compile_error(tmp_path: Path, text: str) -> tuple[Path, list[Diagnostic]]:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    pack = resolve_pack(str(path))
    with pytest.raises(PackError) as exc:
        compile_pack(pack)
    for diag in exc.value.diagnostics:
        assert diag.file == str(path) and diag.line is not None and diag.column is not None
    return path, exc.value.diagnostics


def test_unknown_operator_inside_check_is_located(tmp_path: Path) -> None:
    check = "{all: [{field: role, exists: true}, {field: role, equal: supplier}]}"
    text = pack_text(rules=[rule_text("ACM-GEN-001"), rule_text("ACM-GEN-002", check=check)])
    path, (diag,) = compile_error(tmp_path, text)
    assert diag.path == "rules[1].check.all[1].equal"
    assert diag.message == "rule ACM-GEN-002: unknown operator 'equal'"
    assert diag.hint == "did you mean 'equals'?"
    line = line_of(text, "equal: supplier")
    assert (diag.line, diag.column) == (line, text.splitlines()[line - 1].index("supplier") + 1)
    assert diag.format().startswith(f"{path}:{line}:")


def test_bad_regex_is_located(tmp_path: Path) -> None:
    text = pack_text(rules=[rule_text("ACM-GEN-001", check="{field: name, matches: '([a-z'}"),
                            rule_text("ACM-GEN-002", check="{field: name, matches: '(a)\\1'}")])
    _, diags = compile_error(tmp_path, text)
    assert [d.path for d in diags] == ["rules[0].check.matches", "rules[1].check.matches"]
    assert "invalid regular expression" in diags[0].message
    assert "backreferences such as \\1 are not supported" in diags[1].message  # RE2: linear time, so no backreferences
    assert [d.line for d in diags] == [line_of(text, "([a-z"), line_of(text, "(a)\\1")]


def test_unknown_field_placeholder_and_param_are_located(tmp_path: Path) -> None:
    text = pack_text(rules=[
        rule_text("ACM-GEN-001", check="{field: contrct.audit_rights, is_true: true}"),
        rule_text("ACM-GEN-002", message='"{nodes.name} fails"'),
        rule_text("ACM-GEN-003", check="{field: audits, length_gte: {param: audit_interval}}"),
    ])
    _, diags = compile_error(tmp_path, text)
    assert [(d.path, d.hint) for d in diags] == [
        ("rules[0].check.field", "did you mean 'contract'?"),
        ("rules[1].message", "did you mean 'node'?"),
        ("rules[2].check.length_gte.param", "did you mean 'audit_interval_days'?"),
    ]
    assert [d.line for d in diags] == [line_of(text, "contrct"), line_of(text, "{nodes.name}"),
                                       line_of(text, "audit_interval}")]


def test_rules_of_an_extended_file_are_located_in_that_file(root: Path) -> None:
    base_text = pack_text("acme", "1.0.0", rules=[rule_text("ACM-GEN-001"),
                                                  rule_text("ACM-GEN-002", check="{field: role, eq: x}")])
    base = write(root, "acme", "1.0.0", base_text)
    write(root, "acme", "1.1.0", pack_text("acme", "1.1.0", extends="acme@1.0.0", sections=False,
                                           rules=[rule_text("ACM-NEW-003")]))
    with pytest.raises(PackError) as exc:
        compile_pack(resolve_pack("acme@1.1.0"))
    diag = only(exc)
    assert (diag.file, diag.path, diag.line) == (str(base), "rules[1].check.eq", line_of(base_text, "eq: x"))


def test_the_mini_fixture_pack_compiles() -> None:
    compile_pack(resolve_pack(str(FIXTURES / "mini-pack.yaml")))
