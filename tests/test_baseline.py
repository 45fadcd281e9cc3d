"""`audit --baseline OLD.json` and `--fail-on-new`: marks, fixed gaps, score changes, mismatches, every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from helpers import PACK, ROOT, run
from nofakes.audit.findings import Finding, Severity, Status, Words
from nofakes.audit.gate import Thresholds, judge

# two factories; the old run: cm1 not audited and without clause, cm2 fine
SUPPLY = """\
nofakes: "1"
company: {id: acme, name: Acme}
as_of: 2026-11-01
nodes:
  - {id: acme, name: Acme, role: brand_owner}
  - id: cm1
    name: First Factory
    role: contract_manufacturer
    contract: {anti_counterfeit_clause: false}
    audits: AUDITS1
  - id: cm2
    name: Second Factory
    role: contract_manufacturer
    contract: {anti_counterfeit_clause: CLAUSE2}
    audits: [{date: 2026-06-01, kind: onsite, result: pass, open_findings: 0}]
edges:
  - {from: cm1, to: acme, kind: supplies}
  - {from: cm2, to: acme, kind: supplies}
"""
AUDITED = "[{date: 2026-06-01, kind: onsite, result: pass, open_findings: 0}]"


def _supply(path: Path, *, cm1_audited: bool, cm2_clause: bool) -> Path:
    path.write_text(SUPPLY.replace("AUDITS1", AUDITED if cm1_audited else "[]")
                    .replace("CLAUSE2", "true" if cm2_clause else "false"))
    return path


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(old report, new supply file, pack): between the two runs cm1 was audited (a fixed high gap)
    and cm2 lost its clause (a new low gap); cm1's missing clause is unchanged."""
    pack = tmp_path / "tiny.yaml"
    pack.write_text(PACK)
    old = _supply(tmp_path / "old.yaml", cm1_audited=False, cm2_clause=True)
    report = tmp_path / "old.json"
    code, _, _ = run("audit", str(old), "-g", str(pack), "--format", "json", "-o", str(report))
    assert code == 1
    return report, _supply(tmp_path / "new.yaml", cm1_audited=True, cm2_clause=False), pack


def _audit(pair: tuple[Path, Path, Path], *args: str) -> tuple[int, str, str]:
    report, supply, pack = pair
    return run("audit", str(supply), "-g", str(pack), "--baseline", str(report), *args)


def _json(pair: tuple[Path, Path, Path], *args: str) -> dict:
    _, out, _ = _audit(pair, "--format", "json", "--fail-on", "none", *args)
    return json.loads(out)


def _edit(report: Path, change) -> Path:
    data = json.loads(report.read_text())
    change(data)
    report.write_text(json.dumps(data, indent=2))
    return report


def test_marks_new_unchanged_and_fixed(pair):
    report = _json(pair)
    marks = {(f["rule"], f["subject"]): f["change"] for f in report["findings"]}
    assert marks == {("TNY-CON-001", "cm1"): "unchanged", ("TNY-CON-001", "cm2"): "new"}
    baseline = report["baseline"]
    assert baseline["counts"] == {"new": 1, "unchanged": 1, "fixed": 1}
    (fixed,) = baseline["fixed"]
    assert (fixed["rule"], fixed["subject"], fixed["partner_name"], fixed["severity"]) == \
        ("TNY-AUD-001", "cm1", "First Factory", "high")
    assert fixed["message"] == "First Factory not audited in 365 days"


def test_score_changes_hand_checked(pair):
    # weights high 7.5, low 2.5. Then: AUD 1/2, CON 1/2 -> 100 * (7.5 * .5 + 2.5 * .5) / 10 = 50.
    # Now: AUD 2/2, CON 0/2 -> 100 * 7.5 / 10 = 75.
    scores = {(c["pack"], c["section"]): (c["old"], c["new"], c["delta"]) for c in _json(pair)["baseline"]["scores"]}
    assert scores == {(None, None): (50.0, 75.0, 25.0), ("tiny", None): (50.0, 75.0, 25.0),
                      ("tiny", "s"): (50.0, 75.0, 25.0)}


def test_matching_ignores_message_text_and_order(pair):
    report, _, _ = pair

    def reword(data):
        for finding in data["findings"]:
            finding["message"] = "worded differently in an older version"
        data["findings"].reverse()

    _edit(report, reword)
    assert _json(pair)["baseline"]["counts"] == {"new": 1, "unchanged": 1, "fixed": 1}


def test_fingerprint_has_no_position_or_message(pair):
    report, _, _ = pair
    for finding in json.loads(report.read_text())["findings"]:
        assert finding["fingerprint"] == f"{finding['rule']}|{finding['subject']}|{finding['edge_kind'] or ''}"


def test_json_report_with_baseline_matches_the_schema(pair):
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    report = _json(pair)
    assert report["schema_version"] == "1.4"
    assert list(Draft202012Validator(schema).iter_errors(report)) == []


def test_fail_on_new_counts_only_new_gaps(pair):
    code, out, _ = _audit(pair, "--fail-on", "low")
    assert code == 1 and "2 failing findings at or above low" in out
    code, out, _ = _audit(pair, "--fail-on", "low", "--fail-on-new")
    assert code == 1 and "1 new failing finding at or above low" in out
    code, out, _ = _audit(pair, "--fail-on", "high", "--fail-on-new")
    assert code == 0 and "no new failing finding at or above high" in out


def test_fail_on_new_passes_when_every_gap_is_old(pair, tmp_path):
    _, supply, pack = pair
    same = tmp_path / "same.json"
    run("audit", str(supply), "-g", str(pack), "--format", "json", "-o", str(same))
    code, _, _ = run("audit", str(supply), "-g", str(pack), "--fail-on", "low")
    assert code == 1
    code, out, _ = run("audit", str(supply), "-g", str(pack), "--fail-on", "low", "--baseline", str(same),
                       "--fail-on-new")
    assert code == 0 and "0 new, 2 unchanged, 0 fixed" in out


def test_fail_on_new_needs_a_baseline(tiny):
    supply, pack = tiny
    code, _, err = run("audit", str(supply), "-g", str(pack), "--fail-on-new")
    assert code == 2 and "--fail-on-new" in err and "--baseline" in err


def test_judge_with_new_findings():
    def finding(subject: str) -> Finding:
        return Finding("R-1", "p@1.0.0", "s", Severity.high, Status.failed, "node", subject, subject, subject,
                       Words("m", "d"), False)

    findings = [finding("a"), finding("b"), finding("c")]
    verdict = judge(Thresholds("high", 0, fail_on_new=True), findings, 50.0, 1, lambda f: f.subject != "a")
    assert (verdict.passed, verdict.gaps_over, verdict.reasons) == \
        (False, 2, ("2 new failing findings at or above high",))
    assert dict(verdict.failed_by_severity)["high"] == 3  # every failing finding is still counted
    with pytest.raises(ValueError, match="baseline"):
        judge(Thresholds("high", 0, fail_on_new=True), findings, 50.0, 1)


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["run"]["company"].update(id="other"), "the baseline audits company 'other', this run 'acme'"),
    (lambda d: d["run"]["packs"][0].update(id="other@1.0.0", name="other"), "the baseline audits the packs other"),
    (lambda d: d["run"]["packs"][0].update(version="2.0.0"), "tiny@2.0.0, this run tiny@1.0.0: a new major"),
    (lambda d: d.update(schema_version="1.0"), "report schema 1.0 is older than this version reads"),
    (lambda d: d.update(schema_version="2.0"), "report schema 2.0 is unknown"),
    (lambda d: d.update(tool={"name": "other", "version": "1"}), "not a JSON report of nofakes"),
    (lambda d: d["findings"][0].pop("fingerprint"), "missing 'fingerprint'"),
    (lambda d: d["findings"][0].update(severity="<b>"), "found '<b>'"),
])
def test_a_baseline_that_cannot_be_compared_is_an_error(pair, change, words):
    _edit(pair[0], change)
    code, out, err = _audit(pair)
    assert code == 2 and out == ""
    assert words in err and str(pair[0]) in err


def test_missing_field_is_located(pair):
    _edit(pair[0], lambda d: d["findings"][0].pop("fingerprint"))
    _, _, err = _audit(pair)
    line = err.splitlines()[0]
    assert line.startswith(f"{pair[0]}:") and ": findings[0]: " in line


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["run"]["packs"][0].update(version="1.3.0"), "the baseline audits tiny@1.3.0, this run tiny@1.0.0"),
    (lambda d: d.update(schema_version="1.7"), "report schema 1.7, newer than this version writes"),
])
def test_a_baseline_that_may_differ_is_a_warning(pair, change, words):
    _edit(pair[0], change)
    code, out, err = _audit(pair, "--fail-on", "none")
    assert code == 0 and words in err and "warning" in err
    assert "1 new, 1 unchanged, 1 fixed" in out


def test_bad_json_is_located(pair):
    pair[0].write_text('{"schema_version": "1.2",\n  "run": ,}\n')
    code, _, err = _audit(pair)
    assert code == 2 and err.startswith(f"{pair[0]}:2:10: error: invalid JSON")


def test_unreadable_baseline(pair, tmp_path):
    report, supply, pack = pair
    code, _, err = run("audit", str(supply), "-g", str(pack), "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read the baseline report" in err


def test_terminal_shows_changes_and_marks(pair):
    _, out, _ = _audit(pair, "--fail-on", "none")
    assert "Changes since the baseline" in out
    assert "1 new, 1 unchanged, 1 fixed failing gaps" in out
    overall = next(line for line in out[out.index("Changes since"):].splitlines() if line.startswith("Overall "))
    assert overall.split() == ["Overall", "50.0", "75.0", "+25.0"]
    assert "FIXED TNY-AUD-001 First Factory not audited in 365 days" in out
    gaps = out[out.index("Worst gaps"):]
    assert "NEW" in gaps and "unchanged" in gaps


def test_csv_has_a_change_column(pair):
    _, out, _ = _audit(pair, "--format", "csv", "--fail-on", "none")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert list(rows[0])[:3] == ["Severity", "Status", "Change"]
    assert {(r["Partner"], r["Change"]) for r in rows} == {("cm1", "unchanged"), ("cm2", "new")}


def test_csv_without_baseline_has_no_change_column(tiny):
    supply, pack = tiny
    _, out, _ = run("audit", str(supply), "-g", str(pack), "--format", "csv")
    assert "Change" not in out.splitlines()[0]


def test_xlsx_shows_marks_counts_and_deltas(pair, tmp_path):
    target = tmp_path / "gaps.xlsx"
    _audit(pair, "--format", "xlsx", "-o", str(target), "--fail-on", "none")
    book = openpyxl.load_workbook(target)
    gaps = [[c.value for c in row] for row in book["Gaps"].iter_rows()]
    assert gaps[0][2] == "Change" and {(r[3], r[2]) for r in gaps[1:]} == {("cm1", "unchanged"), ("cm2", "new")}
    assert book["Gaps"].tables[next(iter(book["Gaps"].tables))].ref == "A1:S3"
    fixed = [[c.value for c in row] for row in book["Fixed since baseline"].iter_rows()]
    assert fixed[1][:2] == ["high", "TNY-AUD-001"] and fixed[1][-1] == "First Factory not audited in 365 days"
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["New failing findings"][0] == 1 and summary["Fixed since the baseline"][0] == 1
    assert summary["Overall"][:4] == ("Overall", 50, 75, 25)  # the last Overall row: the score change


def test_html_shows_changes_and_marks(pair, tmp_path):
    _, out, _ = _audit(pair, "--format", "html", "--fail-on", "none")
    section = out[out.index('<section id="changes">'):]
    section = section[:section.index("</section>")]
    assert "<strong>1 new</strong>, 1 unchanged and <strong>1 fixed</strong>" in section
    assert "+25.0" in section and "First Factory not audited in 365 days" in section
    gaps = out[out.index('<section id="gaps">'):]
    assert '<th scope="col">Change</th>' in gaps and 'class="change change-new">new<' in gaps
    assert '<a href="#changes">' in out


def test_markdown_shows_counts_deltas_and_fixed(pair):
    _, out, _ = _audit(pair, "--format", "markdown", "--fail-on", "none")
    assert "## Changes since the baseline" in out and "**1 new, 1 unchanged, 1 fixed**" in out
    assert "| **Overall** | 50.0 | 75.0 | +25.0 |" in out
    assert "| HIGH | **TNY-AUD-001** | First Factory | First Factory not audited in 365 days |" in out
    assert "| Severity | Change | Rule | Partner | Gap |" in out


def test_junit_has_baseline_properties(pair):
    _, out, _ = _audit(pair, "--format", "junit", "--fail-on", "none")
    suite = ET.fromstring(out.encode()).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert (props["baseline.new"], props["baseline.unchanged"], props["baseline.fixed"]) == ("1", "1", "1")
    assert props["baseline.score_change"] == "+25.0"
    failure = next(f for f in suite.iter("failure"))
    assert "[new] Second Factory (cm2)" in failure.text and "[unchanged] First Factory (cm1)" in failure.text


def test_text_from_the_baseline_cannot_hurt_the_reader(pair, tmp_path):
    """The fixed list is text from the old file: neutralised in the workbook, escaped in HTML and Markdown."""
    payload = '=HYPERLINK("http://x.invalid")<script>alert(1)</script>|**x**'

    def poison(data):
        for finding in data["findings"]:
            finding["message"] = payload
            finding["partner_name"] = payload

    _edit(pair[0], poison)
    target = tmp_path / "gaps.xlsx"
    _audit(pair, "--format", "xlsx", "-o", str(target), "--fail-on", "none")
    sheet = openpyxl.load_workbook(target)["Fixed since baseline"]
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "s" and cell.value == payload and cell.quotePrefix
    _, html, _ = _audit(pair, "--format", "html", "--fail-on", "none")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _, markdown, _ = _audit(pair, "--format", "markdown", "--fail-on", "none")
    fixed = markdown[markdown.index("### Fixed"):]
    assert "<script>" not in fixed and "|**x**" not in fixed


def test_a_baseline_can_be_rolled_forward_in_place(pair):
    report, supply, pack = pair
    code, _, _ = run("audit", str(supply), "-g", str(pack), "--baseline", str(report), "--format", "json",
                     "-o", str(report), "--fail-on", "none")
    assert code == 0
    assert json.loads(report.read_text())["baseline"]["counts"] == {"new": 1, "unchanged": 1, "fixed": 1}
    _, out, _ = _audit(pair, "--format", "json", "--fail-on", "none")
    assert json.loads(out)["baseline"]["counts"] == {"new": 0, "unchanged": 2, "fixed": 0}
