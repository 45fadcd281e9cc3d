"""`nofakes guidelines test`: a pack's fixture cases, pass/fail per rule and per case, and the meta-check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nofakes.authoring.versions import parse_versions
from nofakes.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
PACK = """\
pack: elx
version: 1.0.0
title: Electronics
status: released
sections: [{id: vetting, title: Vetting}]
rules:
  - id: ELX-SRC-001
    title: Suppliers have an anti-counterfeit clause
    section: vetting
    severity: high
    target: node
    applies_to: {role: [supplier]}
    check: {field: contract.anti_counterfeit_clause, is_true: true}
    message: "{node.name} has no anti-counterfeit clause"
    remediation: Add the clause.
"""
FIXTURE = """\
rule: ELX-SRC-001
as_of: 2026-11-01
supply:
  nofakes: "1"
  company: {id: acme, name: Acme}
  nodes:
    - {id: acme, name: Acme, role: brand_owner}
    - {id: good, name: Good, role: supplier, contract: {anti_counterfeit_clause: true}}
    - {id: bad, name: Bad, role: supplier}
cases:
  - name: the shared graph, one passing and one failing supplier
    expect:
      fail: [bad]
      pass: [good]
      not_applicable: [acme]
      missing_evidence: [bad]
      message: {bad: "Bad has no anti-counterfeit clause"}
  - name: a graph of its own
    supply:
      nofakes: "1"
      company: {id: acme, name: Acme}
      nodes: [{id: s, name: S, role: supplier, contract: {anti_counterfeit_clause: false}}]
    expect: {fail: [s], detail: {s: "anti-counterfeit clause"}}
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "elx" / "1.0.0.yaml"
    (tmp_path / "elx" / "fixtures").mkdir(parents=True)
    path.write_text(PACK, encoding="utf-8")
    (tmp_path / "elx" / "fixtures" / "ELX-SRC-001.yaml").write_text(FIXTURE, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["guidelines", "test", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_passing_pack_next_to_its_fixtures(pack: Path) -> None:
    code, out, _ = run(str(pack))
    assert code == 0
    assert out.splitlines() == [
        f"elx@1.0.0: fixtures in {pack.parent / 'fixtures'}",
        "ok   ELX-SRC-001 (2 cases)",
        "  ok   the shared graph, one passing and one failing supplier",
        "  ok   a graph of its own",
        "1 rules, 2 cases: 2 passed, 0 failed",
    ]


def test_a_failing_case_says_what_differs_and_where_the_case_is(pack: Path) -> None:
    fixture = pack.parent / "fixtures" / "ELX-SRC-001.yaml"
    fixture.write_text(FIXTURE.replace("fail: [bad]", "fail: [bad, good]"), encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "FAIL ELX-SRC-001 (2 cases, 1 failed)"
    assert lines[2] == f"  FAIL the shared graph, one passing and one failing supplier ({fixture}:11:5)"
    assert lines[3] == "       fail: expected ['bad', 'good'], got ['bad']"
    assert "         pass good\n" in out and "         fail bad: no evidence of" in out
    assert lines[-1] == "1 rules, 2 cases: 1 passed, 1 failed"


def test_the_meta_check_needs_a_passing_and_a_failing_case_per_rule(pack: Path) -> None:
    text = PACK + PACK[PACK.index("  - id:"):].replace("ELX-SRC-001", "ELX-SRC-002")
    pack.write_text(text, encoding="utf-8")
    fixture = pack.parent / "fixtures" / "ELX-SRC-001.yaml"
    fixture.write_text(FIXTURE.split("  - name: a graph of its own")[0].replace("      pass: [good]\n", "")
                       .replace("fail: [bad]", "fail: [bad, good]"), encoding="utf-8")
    (pack.parent / "fixtures" / "ELX-OLD-001.yaml").write_text(
        FIXTURE.replace("rule: ELX-SRC-001", "rule: ELX-OLD-001"), encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 1
    assert "meta-check failed:\n" in out
    assert ("  ELX-OLD-001: fixtures for a rule elx@1.0.0 does not have (fixtures for other versions say which: "
            'versions: ">=1.0.0")\n') in out
    assert "  ELX-SRC-001: no case where a subject passes\n" in out
    assert "  ELX-SRC-002: no fixture file ELX-SRC-002.yaml\n" in out
    assert out.splitlines()[-1].endswith("; 3 meta-check problems")


def test_malformed_fixture_files_are_located_errors_before_anything_runs(pack: Path) -> None:
    folder = pack.parent / "fixtures"
    (folder / "ELX-SRC-001.yaml").write_text(
        FIXTURE.replace("    expect:\n      fail: [bad]", "    expects:\n      fail: [bad]")
        .replace("expect: {fail: [s],", "expect: {fial: [s],"), encoding="utf-8")
    code, out, err = run(str(pack))
    assert code == 2 and out == ""
    fixture = folder / "ELX-SRC-001.yaml"
    assert f"{fixture}:12:5: error: cases[0].expects: unknown key 'expects'" in err
    assert f"{fixture}:11:5: error: cases[0]: a case without 'expect'" in err
    assert f"{fixture}:23:14: error: cases[1].expect.fial: unknown key 'fial'" in err
    assert err.strip().endswith("nofakes: 3 errors")
    assert "Traceback" not in err


def test_an_invalid_case_graph_is_located_in_the_fixture_file(pack: Path) -> None:
    fixture = pack.parent / "fixtures" / "ELX-SRC-001.yaml"
    fixture.write_text(FIXTURE.replace("role: supplier, contract: {anti_counterfeit_clause: false}",
                                       "role: suplier, contract: {anti_counterfeit_clause: false}"), encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 1
    assert f"       {fixture}:22:38: error: cases[1].supply.nodes[0].role: found 'suplier'" in out
    assert "did you mean 'supplier'?" in out


def test_the_built_in_pack_with_the_project_fixtures(tmp_path: Path) -> None:
    code, out, _ = run("ntif", str(ROOT / "tests" / "rules" / "ntif"))
    assert code == 0
    assert out.splitlines()[-1] == "30 rules, 62 cases: 62 passed, 0 failed"
    copy = tmp_path / "ntif"
    shutil.copytree(ROOT / "tests" / "rules" / "ntif", copy)
    (copy / "NTF-AUD-001.yaml").unlink()
    code, out, _ = run("ntif@1.0.0", str(copy))
    assert code == 1 and "  NTF-AUD-001: no fixture file NTF-AUD-001.yaml\n" in out


def test_no_fixture_folder_is_exit_2(pack: Path, tmp_path: Path) -> None:
    code, _, err = run(str(pack), str(tmp_path / "none"))
    assert code == 2 and f"{tmp_path / 'none'}: error: no such folder" in err


def test_an_invalid_shared_graph_is_located_at_the_files_supply(pack: Path) -> None:
    fixture = pack.parent / "fixtures" / "ELX-SRC-001.yaml"
    fixture.write_text(FIXTURE.replace("{id: bad, name: Bad, role: supplier}", "{id: bad, name: Bad, rol: supplier}"),
                       encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 1
    assert f"       {fixture}:9:33: error: supply.nodes[2].rol: unknown key 'rol'" in out
    assert f"       {fixture}:9:7: error: supply.nodes[2]: missing required key 'role'" in out
    assert "  ok   a graph of its own" in out


NEXT = """\
pack: elx
version: 1.1.0
title: Electronics
status: released
extends: elx@1.0.0
rules:
  - id: ELX-SRC-002
    title: Suppliers were audited
    section: vetting
    severity: medium
    target: node
    applies_to: {role: [supplier]}
    check: {any_item: {field: audits}}
    message: "{node.name} was never audited"
    remediation: Audit them.
"""
NEW_RULE_FIXTURE = """\
rule: ELX-SRC-002
as_of: 2026-11-01
versions: ">=1.1.0"
cases:
  - name: an audited supplier passes, another fails
    supply:
      nofakes: "1"
      company: {id: acme, name: Acme}
      nodes:
        - {id: a, name: A, role: supplier, audits: [{date: 2026-01-01, kind: onsite, result: pass}]}
        - {id: b, name: B, role: supplier}
    expect: {pass: [a], fail: [b]}
"""


def test_versions_of_one_pack_share_its_fixtures(pack: Path) -> None:
    """A fixture file or case says which versions it is for; the others are skipped, not failed."""
    (pack.parent / "1.1.0.yaml").write_text(NEXT, encoding="utf-8")
    folder = pack.parent / "fixtures"
    (folder / "ELX-SRC-002.yaml").write_text(NEW_RULE_FIXTURE, encoding="utf-8")
    # a case only 1.0.0 has: in 1.1.0 it would pass as well, but the point is that it is not run there
    only_old = ('  - name: only for the first version\n    versions: "<1.1.0"\n    supply:\n      nofakes: "1"\n'
                "      company: {id: acme, name: Acme}\n      nodes: [{id: s, name: S, role: supplier}]\n"
                "    expect: {fail: [s]}\n")
    (folder / "ELX-SRC-001.yaml").write_text(FIXTURE + only_old, encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 0, out
    assert "ELX-SRC-002" not in out
    assert out.splitlines()[-1] == "1 rules, 3 cases: 3 passed, 0 failed, 1 skipped (for other versions)"
    code, out, _ = run(str(pack.parent / "1.1.0.yaml"))
    assert code == 0, out
    assert "ok   ELX-SRC-002 (1 case)" in out and "only for the first version" not in out
    assert out.splitlines()[-1] == "2 rules, 3 cases: 3 passed, 0 failed, 1 skipped (for other versions)"
    # without `versions`, the new rule's fixtures fail the older version's meta-check, saying what to do
    (folder / "ELX-SRC-002.yaml").write_text(NEW_RULE_FIXTURE.replace('versions: ">=1.1.0"\n', ""),
                                            encoding="utf-8")
    code, out, _ = run(str(pack))
    assert code == 1 and 'ELX-SRC-002: fixtures for a rule elx@1.0.0 does not have' in out


@pytest.mark.parametrize("spec", ['">1.0"', "[]", "110", '"~=1.0.0"', '">=1.0.0,"'])
def test_a_bad_versions_spec_is_a_located_error(pack: Path, spec: str) -> None:
    fixture = pack.parent / "fixtures" / "ELX-SRC-001.yaml"
    fixture.write_text(FIXTURE.replace("as_of: 2026-11-01\n", f"as_of: 2026-11-01\nversions: {spec}\n"),
                       encoding="utf-8")
    code, _, err = run(str(pack))
    assert code == 2
    assert f"{fixture}:3:11: error: versions: found" in err and 'versions such as "1.0.0", ">=1.1.0"' in err


@pytest.mark.parametrize(("spec", "admitted", "refused"), [
    ("1.0.0", ["1.0.0"], ["1.0.1", "0.9.9"]),
    (">=1.1.0", ["1.1.0", "1.10.0", "2.0.0"], ["1.0.9", "1.0.0"]),
    (">=1.0.0, <2.0.0", ["1.0.0", "1.99.3"], ["2.0.0", "0.1.0"]),
    (["1.0.0", ">1.2.0"], ["1.0.0", "1.2.1"], ["1.1.0", "1.2.0"]),
    ("!=1.0.1", ["1.0.0", "1.0.2"], ["1.0.1"]),
])
def test_versions_specs(spec: object, admitted: list[str], refused: list[str]) -> None:
    versions = parse_versions(spec)
    assert versions is not None
    assert [v for v in admitted + refused if versions.admits(v)] == admitted
