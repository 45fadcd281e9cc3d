"""Screening in the audit: matches are findings of the screening pack, with their evidence, waivable,
in every report format; `--watchlist`, `--screen-threshold`, `--no-notorious`; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from helpers import ROOT, TESTS, run

WATCHLIST = str(TESTS / "data" / "screening-watchlist.csv")
SUPPLY = """\
nofakes: "1"
as_of: 2026-11-01
company: {id: acme, name: Acme Brands, country: US}
nodes:
  - {id: acme, name: Acme Brands, role: brand_owner, country: US}
  - {id: dh, name: DHGATE.COM LIMITED, role: marketplace, country: CN}
  - {id: qc, name: "Quick-Chip Brokers Limited", role: broker, country: HK}
  - {id: ok, name: Good Parts GmbH, role: supplier, country: DE}
  - {id: np, name: Nordic Part Oy, role: supplier, country: FI}
edges:
  - {from: np, to: acme, kind: supplies}
  - {from: qc, to: acme, kind: supplies}
  - {from: ok, to: acme, kind: supplies}
  - {from: acme, to: dh, kind: lists_on}
"""
WAIVER = """\
waivers:
  - {rule: SCR-NMK-001, target: dh, reason: "our own storefront on DHgate, checked 2026-10", approved_by: J. Doe,
     expires: 2027-06-30}
"""


def supply(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "supply.yaml"
    path.write_text(SUPPLY + extra, encoding="utf-8")
    return path


def report(tmp_path: Path, *args: str) -> tuple[int, dict]:
    out = tmp_path / "report.json"
    code, _, err = run("audit", *args, "--format", "json", "-o", str(out))
    assert out.is_file(), err
    return code, json.loads(out.read_text(encoding="utf-8"))


def failing(data: dict, rule: str) -> dict[str, dict]:
    return {f["subject"]: f for f in data["findings"] if f["rule"] == rule and f["status"] == "fail"}


def test_a_watch_list_adds_the_screening_pack_and_each_match_is_a_finding(tmp_path: Path) -> None:
    code, data = report(tmp_path, str(supply(tmp_path)), "-g", "ntif@1.0.0", "--watchlist", WATCHLIST)
    assert code == 1
    assert [p["id"] for p in data["run"]["packs"]] == ["ntif@1.0.0", "screening@1.0.0"]
    watch = failing(data, "SCR-WCH-001")
    assert set(watch) == {"qc", "np"}
    assert "similarity 0.95" in watch["np"]["detail"]
    detail = watch["qc"]["detail"]
    assert detail.startswith('"Quick-Chip Brokers Limited" resembles "Quickchip Brokers Ltd" in Hong Kong on your '
                             "watch list screening-watchlist.csv (row 2)")
    assert "similarity 1.00 (a match from 0.85), on the name, another name and the country." in detail
    assert "Listed because: counterfeit GNSS modules 2025. Source: incident QC-2025-07." in detail
    assert watch["qc"]["message"] == "Quick-Chip Brokers Limited resembles an entry of your watch list"
    notorious = failing(data, "SCR-NMK-001")
    assert set(notorious) == {"dh"}
    assert "Caveat: Being named in a USTR Review of Notorious Markets is not a finding" in notorious["dh"]["detail"]
    assert "(2019 edition, page 19; 2020 edition, page 21;" in notorious["dh"]["detail"]
    screening = data["screening"]
    assert screening["threshold"] == 0.85 and screening["screened"] == 5
    assert [(x["name"], x["kind"], x["entries"]) for x in screening["lists"]] == [
        ("USTR Notorious Markets 1.0.0", "notorious", 23), ("screening-watchlist.csv", "watchlist", 5)]
    assert [(m["partner"], m["entry"]["name"], m["fields"]) for m in screening["matches"]] == [
        ("dh", "DHgate", ["name", "alias", "country"]), ("qc", "Quickchip Brokers Ltd", ["name", "alias", "country"]),
        ("np", "Nordic Parts Oy", ["name", "country"])]
    assert screening["caveats"] and screening["caveats"][0].startswith("Being named in a USTR Review")
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_a_waiver_dismisses_a_match_like_any_other_finding(tmp_path: Path) -> None:
    code, data = report(tmp_path, str(supply(tmp_path, WAIVER)), "-g", "screening")
    waived = [f for f in data["findings"] if f["rule"] == "SCR-NMK-001" and f["status"] == "waived"]
    assert [f["subject"] for f in waived] == ["dh"]
    assert waived[0]["waiver"]["reason"] == "our own storefront on DHgate, checked 2026-10"
    assert code == 0  # the only match is waived; the watch-list rule applies to nobody
    rules = {r["id"]: r for r in data["rules"]}
    assert rules["SCR-WCH-001"]["counts"]["not_applicable"] == 5 and rules["SCR-WCH-001"]["counts"]["passed"] == 0
    assert data["warnings"] == []


def test_threshold_and_no_notorious(tmp_path: Path) -> None:
    path = str(supply(tmp_path))
    _, strict = report(tmp_path, path, "-g", "screening", "--watchlist", WATCHLIST, "--screen-threshold", "0.99")
    assert set(failing(strict, "SCR-WCH-001")) == {"qc"} and set(failing(strict, "SCR-NMK-001")) == {"dh"}
    assert strict["screening"]["threshold"] == 0.99
    _, without = report(tmp_path, path, "-g", "screening", "--watchlist", WATCHLIST, "--no-notorious")
    rules = {r["id"]: r for r in without["rules"]}
    assert rules["SCR-NMK-001"]["counts"]["not_applicable"] == 5 and not failing(without, "SCR-NMK-001")
    assert [x["kind"] for x in without["screening"]["lists"]] == ["watchlist"]


def test_an_audit_whose_rules_do_not_read_screening_screens_nothing(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def unread() -> None:
        raise AssertionError("the notorious-markets list was read")

    monkeypatch.setattr("nofakes.audit.screening.load_notorious", unread)
    _, data = report(tmp_path, str(supply(tmp_path)), "-g", "ntif@1.0.0")
    assert "screening" not in data
    assert not [f for f in data["findings"] if f["rule"].startswith("SCR-")]


def test_every_report_format_shows_the_screening_and_the_evidence(tmp_path: Path) -> None:
    path = str(supply(tmp_path))
    code, out, _ = run("audit", path, "-g", "screening", "--watchlist", WATCHLIST)
    assert code == 1
    assert "Screened  5 partners against USTR Notorious Markets 1.0.0 (23 entries) and" in out
    assert "resembles \"DHgate\", an online" in out
    for fmt in ("markdown", "html"):
        target = tmp_path / f"report.{fmt}"
        run("audit", path, "-g", "screening", "--watchlist", WATCHLIST, "--format", fmt, "-o", str(target))
        text = target.read_text(encoding="utf-8")
        assert "5 partners against USTR Notorious Markets 1.0.0 (23 entries)" in text
        assert "Quickchip Brokers Ltd" in text
    workbook = tmp_path / "report.xlsx"
    run("audit", path, "-g", "screening", "--watchlist", WATCHLIST, "--format", "xlsx", "-o", str(workbook))
    cells = [str(c) for ws in openpyxl.load_workbook(workbook).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any(c.startswith("5 partners against USTR Notorious Markets") for c in cells)
    assert any('resembles "Quickchip Brokers Ltd"' in c for c in cells)


def test_explain_a_screening_finding(tmp_path: Path) -> None:
    code, out, _ = run("audit", str(supply(tmp_path)), "-g", "screening", "--watchlist", WATCHLIST,
                       "--rule", "SCR-WCH-001", "--explain", "qc")
    assert code == 0, out
    assert "fails" in out and "Quickchip Brokers Ltd" in out


def test_explain_screens_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nofakes.audit.screening import ScreeningTables

    screened = []
    screen = ScreeningTables._screen

    def counted(self: ScreeningTables) -> None:
        screened.append(self)
        screen(self)

    monkeypatch.setattr(ScreeningTables, "_screen", counted)
    code, out, _ = run("audit", str(supply(tmp_path)), "-g", "screening", "--watchlist", WATCHLIST,
                       "--rule", "SCR-WCH-001", "--explain", "qc")
    assert code == 0 and "Quickchip Brokers Ltd" in out, out
    assert len(screened) == 1  # the audit's screening, read again by the explanation


@pytest.mark.parametrize(("content", "expected"), [
    ("name,country,colour\nAcme,CN,red\n", 'watch.csv:1:3: error: column 3: unknown column "colour"'),
    ("name,country\nAcme,Atlantis\n", """watch.csv:2:2: error: column "country": unknown country 'Atlantis'"""),
])
def test_a_bad_watch_list_is_a_located_error_before_anything_runs(tmp_path: Path, content: str,
                                                                  expected: str) -> None:
    bad = tmp_path / "watch.csv"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run("audit", str(supply(tmp_path)), "--watchlist", str(bad))
    assert code == 2 and out == ""
    assert expected in err


def test_a_missing_watch_list_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("audit", str(supply(tmp_path)), "--watchlist", str(tmp_path / "nope.csv"))
    assert code == 2 and "nope.csv" in err


def _pack(tmp_path: Path, rule: str) -> Path:
    path = tmp_path / "mine" / "1.0.0.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"""\
pack: mine
version: 1.0.0
title: Mine
sections: [{{id: s, title: S}}]
rules:
{rule}""", encoding="utf-8")
    return path


def test_screening_is_a_partners_and_unlisted_reads_only_screening(tmp_path: Path) -> None:
    edge = _pack(tmp_path, """\
  - {id: MIN-SCR-001, title: T, section: s, severity: high, target: edge, message: m, remediation: r,
     check: {field: screening.notorious, unlisted: true}}
""")
    code, _, err = run("audit", str(supply(tmp_path)), "-g", str(edge))
    assert code == 2 and "a link is not screened: screening matches belong to partners" in err
    other = _pack(tmp_path, """\
  - {id: MIN-SCR-001, title: T, section: s, severity: high, target: node, message: m, remediation: r,
     check: {field: name, unlisted: true}}
""")
    code, _, err = run("audit", str(supply(tmp_path)), "-g", str(other))
    assert code == 2 and "unlisted reads a screening match, not the name" in err


def test_a_pack_may_combine_screening_with_other_conditions(tmp_path: Path) -> None:
    """A coalition's own rule: brokers only, and the negation reads in words."""
    pack = _pack(tmp_path, """\
  - id: MIN-SCR-001
    title: Brokers are on no watch list
    section: s
    severity: critical
    target: node
    applies_to: {role: [broker], where: {field: screening.watchlist_entries, gt: 0}}
    check: {field: screening.watchlist, unlisted: true}
    message: "{node.name} is on a watch list"
    remediation: r
  - id: MIN-SCR-002
    title: A partner matches a watch list (a test of the negation)
    section: s
    severity: low
    target: node
    check: {not: {field: screening.watchlist, unlisted: true}}
    message: "{node.name}"
    remediation: r
  - id: MIN-SCR-003
    title: Close watch-list matches only
    section: s
    severity: low
    target: node
    applies_to: {where: {field: screening.watchlist, present: true}}
    check: {field: screening.watchlist.score, lt: 0.99}
    message: "{node.name}"
    remediation: r
""")
    _, data = report(tmp_path, str(supply(tmp_path)), "-g", str(pack), "--watchlist", WATCHLIST)
    assert [p["id"] for p in data["run"]["packs"]] == ["mine@1.0.0", "screening@1.0.0"]
    assert set(failing(data, "MIN-SCR-001")) == {"qc"}
    negated = failing(data, "MIN-SCR-002")
    assert set(negated) == {"acme", "dh", "ok"}  # qc and np are on it
    assert negated["ok"]["detail"] == "there is no match on your watch lists"
    assert set(failing(data, "MIN-SCR-003")) == {"qc"}  # 1.00; np's 0.95 is below 0.99
    assert failing(data, "MIN-SCR-003")["qc"]["detail"] == "the watch-list match score is 1.0, expected less than 0.99"


def test_the_fixture_harness_takes_a_watch_list_and_reports_its_mistakes(tmp_path: Path) -> None:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "SCR-WCH-001.yaml").write_text("""\
rule: SCR-WCH-001
as_of: 2026-11-01
screening: {watchlist: [{name: Acme, country: Atlantis}], threshold: 2, colour: red}
cases:
  - name: x
    supply: {nofakes: "1", company: {id: a, name: A}, nodes: [{id: a, name: A, role: supplier}]}
    expect: {pass: [a]}
""", encoding="utf-8")
    code, _, err = run("guidelines", "test", "screening@1.0.0", str(folder))
    assert code == 2
    assert "SCR-WCH-001.yaml:3:73: error: screening.colour: unknown key 'colour'" in err
    assert "screening.threshold: found 2 (expected a number above 0 and at most 1)" in err
    assert "screening.watchlist[0].country: unknown country 'Atlantis'" in err


def test_the_marketplace_example_with_its_watch_list(tmp_path: Path) -> None:
    example = ROOT / "examples" / "marketplace"
    _, data = report(tmp_path, str(example / "supply.yaml"), "--watchlist", str(example / "watchlist.csv"))
    watch = failing(data, "SCR-WCH-001")
    assert set(watch) == {"cheapcharge-store", "greyline-trading"}
    assert "Source: test-buy report TB-2026-031." in watch["cheapcharge-store"]["detail"]
    assert not failing(data, "SCR-NMK-001")
