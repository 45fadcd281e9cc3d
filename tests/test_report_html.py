"""The HTML report: a self-contained page with the workbook's sections, laid out from the view."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from pathlib import Path

import pytest

from helpers import ROOT, TESTS, Element, parse_html
from nofakes.audit.engine import run_audit
from nofakes.audit.result import AuditResult, Partner
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports import html_parts, html_report
from nofakes.reports.base import RenderOptions
from nofakes.reports.common import full_list_formats
from nofakes.reports.html_chain import CHAIN_LIMIT
from nofakes.reports.html_parts import rule_anchor
from nofakes.reports.html_report import HtmlFormatter
from nofakes.reports.view import ReportView, build_view
from nofakes.supply.loading import load_supply

ELECTRONICS = ROOT / "examples" / "electronics" / "supply.yaml"
FIXTURES = TESTS / "fixtures" / "reports"


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def audit(path: Path, pack: str = "ntif") -> AuditResult:
    return run_audit(load_supply(path), [resolve_pack(pack)])


def page(view: ReportView) -> Element:
    return parse_html(HtmlFormatter().render(view).decode("utf-8"))


def body_rows(doc: Element, table_id: str) -> list[Element]:
    tbody = doc.by_id(table_id).iter("tbody")[0]
    return [row for row in tbody.children if row.tag == "tr"]


def cells(row: Element) -> list[str]:
    return [" ".join(cell.text().split()) for cell in row.children if cell.tag in ("td", "th")]


@pytest.fixture(scope="module")
def electronics() -> tuple[ReportView, Element]:
    view = build_view(audit(ELECTRONICS), RenderOptions())
    return view, page(view)


def test_every_section_of_the_workbook_is_there_in_order(electronics: tuple[ReportView, Element]) -> None:
    _, doc = electronics
    sections = [s.attrs["id"] for s in doc.iter("section")]
    assert sections == [anchor for anchor, _ in html_report.SECTIONS]
    links = [a.attrs["href"] for a in doc.iter("nav")[0].iter("a")]
    assert links == [f"#{anchor}" for anchor in sections]


def test_the_summary_shows_verdict_score_and_coverage(electronics: tuple[ReportView, Element]) -> None:
    view, doc = electronics
    verdict = [p for p in doc.iter("p") if "verdict" in (p.attrs.get("class") or "")][0]
    text = " ".join(verdict.text().split())
    assert text.startswith("FAIL " + "; ".join(view.verdict.reasons))
    assert view.coverage.text() in text and view.verdict.gaps_text() in text
    summary = " ".join(doc.by_id("summary").text().split())
    assert f"{view.overall.value:.1f} / 100" in summary
    assert f"100 × {view.overall.numerator:.4f} / {view.overall.denominator:.4f}" in summary
    score_rows = [cells(row) for row in doc.by_id("summary").iter("tbody")[0].children]
    assert len(score_rows) == len(view.pack_order) + len(view.section_order)
    assert score_rows[0][0].startswith(view.pack_order[0])


def test_gaps_list_every_failing_then_waived_finding_in_view_order(electronics: tuple[ReportView, Element]) -> None:
    view, doc = electronics
    rows = [cells(row) for row in body_rows(doc, "gaps-table")]
    expected = [*view.failing, *view.waived]
    assert len(rows) == len(expected)
    for row, finding in zip(rows, expected, strict=True):
        assert row[0] == finding.severity.value and row[1] == finding.rule_id
        assert row[8] == ("waived" if finding.waiver else "fail")
        partner = view.partners.get(finding.partner or "")
        if partner is not None:
            assert row[2].startswith(partner.name) and row[4] == (partner.country or "")
            assert row[5] == ("" if partner.tier is None else str(partner.tier))


def test_rule_links_lead_to_the_rule_catalogue(electronics: tuple[ReportView, Element]) -> None:
    view, doc = electronics
    targets = {a.attrs["href"][1:] for a in doc.by_id("gaps-table").iter("a")}
    rule_rows = body_rows(doc, "rules-table")
    assert [row.attrs["id"] for row in rule_rows] == [rule_anchor(r.pack, r.rule.id) for r in view.rules]
    assert targets <= {row.attrs["id"] for row in rule_rows}
    by_id = {r.rule.id: r for r in view.rules}
    for row in rule_rows:
        values = cells(row)
        counts = by_id[values[0].split(" ")[0]].counts
        assert values[5:] == [f"{counts.passed:,}", f"{counts.failed:,}", f"{counts.waived:,}",
                              f"{counts.not_applicable:,}"]
        assert "{param." not in values[3]  # remediation placeholders are filled


def test_plan_partners_and_waivers_follow_the_view(electronics: tuple[ReportView, Element]) -> None:
    view, doc = electronics
    plan = [cells(row) for row in body_rows(doc, "plan-table")]
    assert [row[0] for row in plan] == [str(step.rank) for step in view.plan]
    assert [row[7] for row in plan] == [f"{step.projected:.1f}" for step in view.plan]
    partners = [cells(row) for row in body_rows(doc, "partners-table")]
    assert sorted(row[1] for row in partners) == sorted(view.partners)
    first = partners[0]
    worst = max(view.open_gaps.items(), key=lambda item: tuple(item[1].values()))
    assert first[1] == worst[0]  # the most severe open gaps first
    assert len(body_rows(doc, "waivers-active")) == len(view.waived)
    assert len(body_rows(doc, "waivers-expired")) == len(view.waivers.expired)


def test_the_page_is_self_contained_and_its_script_is_the_only_one_allowed(
        electronics: tuple[ReportView, Element]) -> None:
    _, doc = electronics
    scripts = doc.iter("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs
    csp = [m.attrs["content"] for m in doc.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    script = scripts[0].text()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert csp and "default-src 'none'" in csp[0] and f"'sha256-{digest}'" in csp[0]
    for element in doc.iter():
        assert element.tag not in ("link", "img", "iframe", "object", "embed")
        assert "src" not in element.attrs
        assert not any(name.startswith("on") for name in element.attrs)
        href = element.attrs.get("href") or ""
        assert element.tag == "a" or not href or href.startswith("#") or href.startswith("url(#"), element.tag
    assert not re.search(r"url\((?!#)", doc.iter("style")[0].text())


def test_the_chain_marks_failing_partners(electronics: tuple[ReportView, Element]) -> None:
    view, doc = electronics
    svg = doc.by_id("chain").iter("svg")[0]
    groups = [g for g in svg.iter("g") if "node" in (g.attrs.get("class") or "")]
    assert len(groups) == len(view.partners)
    failing = [g for g in groups if "gap" in (g.attrs.get("class") or "").split()]
    assert len(failing) == len(view.open_gaps)
    badges = sorted(int(t.text()) for g in failing for t in g.iter("text") if t.attrs.get("class") == "badge")
    assert badges == sorted(sum(c.values()) for c in view.open_gaps.values())
    columns = [t.text() for t in svg.iter("text") if t.attrs.get("class") == "column"]
    assert columns[0].startswith("upstream tier") and "company" in columns


def test_a_chain_too_large_to_read_is_left_out_with_a_note() -> None:
    result = audit(ELECTRONICS)
    many = {f"p{i}": Partner(f"Partner {i}", "supplier", "CN", 1) for i in range(CHAIN_LIMIT + 1)}
    doc = page(build_view(dataclasses.replace(result, partners=many), RenderOptions()))
    chain = doc.by_id("chain")
    assert not chain.iter("svg")
    assert f"{CHAIN_LIMIT + 1} partners are too many" in " ".join(chain.text().split())


def test_long_tables_are_cut_at_the_row_limit_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_parts, "ROW_LIMIT", 3)
    view = build_view(audit(ELECTRONICS), RenderOptions())
    doc = page(view)
    assert len(body_rows(doc, "gaps-table")) == 3
    gaps = " ".join(doc.by_id("gaps").text().split())
    total = len(view.failing) + len(view.waived)
    assert f"The first 3 of {total} gaps are listed here; {full_list_formats()} lists them all" in gaps


def test_a_report_of_nothing_audited_still_renders() -> None:
    result = run_audit(load_supply(FIXTURES / "supply.yaml"), [resolve_pack(str(FIXTURES / "pack.yaml"))])
    empty = dataclasses.replace(result, findings=(), rules=(), partners={}, links=(),
                                scores=dataclasses.replace(result.scores, overall=None, plan=(), partners=(),
                                                           packs={}, sections={}))
    doc = page(build_view(empty, RenderOptions()))
    assert "n/a" in doc.by_id("summary").text()
    assert "no partners" in doc.by_id("chain").text()


def test_notes_name_the_registered_formats_that_list_every_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from nofakes.reports import registry

    assert full_list_formats() == "the json report" or "xlsx" in registry.FORMATS
    fake = {**registry.FORMATS, "xlsx": registry.FORMATS["json"], "csv": registry.FORMATS["json"]}
    monkeypatch.setattr(registry, "FORMATS", fake)
    assert full_list_formats() == "the xlsx, csv or json report"


def test_chain_columns_run_upstream_to_downstream_with_unconnected_partners_last() -> None:
    from nofakes.audit.result import Link
    from nofakes.reports.html_chain import chain_svg

    partners = {"far": Partner("Far", "supplier", "CN", 2), "near": Partner("Near", "manufacturer", "US", 1),
                "us": Partner("Us", "brand_owner", "US", 0), "shop": Partner("Shop", "retailer", None, -1),
                "lost": Partner("Lost", "broker", "HK", None)}
    links = (Link("far", "near", "supplies"), Link("near", "us", "supplies"), Link("us", "shop", "sells"),
             Link("shop", "us", "returns"), Link("near", "ghost", "supplies"))  # an unknown partner is not drawn
    svg = parse_html(chain_svg(partners, links, {"far": 3}))
    columns = [t.text() for t in svg.iter("text") if t.attrs.get("class") == "column"]
    assert columns == ["upstream tier 2", "upstream tier 1", "company", "downstream tier 1", "not connected"]
    edges = [p for p in svg.iter("path") if p.attrs.get("class") == "edge"]
    assert [p.iter("title")[0].text() for p in edges] == ["supplies", "supplies", "sells", "returns"]
    assert edges[3].attrs.get("stroke-dasharray")  # returns are dashed, as in `nofakes graph`
    nodes = {g.iter("title")[0].text().split(" (")[0]: g for g in svg.iter("g")}
    assert nodes["Far"].attrs["class"] == "node gap" and "3 failing findings" in nodes["Far"].iter("title")[0].text()
    x = {name: int(g.iter("rect")[0].attrs["x"]) for name, g in nodes.items()}
    assert x["Far"] < x["Near"] < x["Us"] < x["Shop"] < x["Lost"]
