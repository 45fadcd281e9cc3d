"""The Markdown report: verdict, scores, failing rules, worst gaps and the plan, read back with a CommonMark parser."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from helpers import ROOT, Element, parse_html
from nofakes.audit.engine import run_audit
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.markdown import MarkdownFormatter
from nofakes.reports.view import ReportView, build_view
from nofakes.supply.loading import load_supply

EXAMPLES = sorted(ROOT.glob("examples/*/supply.yaml"))


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def view_of(path: Path, top: int = 10) -> ReportView:
    return build_view(run_audit(load_supply(path), [resolve_pack("ntif")]), RenderOptions(top=top))


def rendered(markdown: str) -> Element:
    """The Markdown as GitHub would show it (CommonMark with tables and strikethrough), parsed."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return parse_html(parser.render(markdown))


def tables(doc: Element) -> dict[str, list[list[str]]]:
    """Each table's body rows (cell texts), by the heading before it."""
    out: dict[str, list[list[str]]] = {}
    heading = ""
    for element in doc.children:
        if element.tag in ("h1", "h2"):
            heading = element.text().split(" (")[0]
        elif element.tag == "table":
            header = len(element.iter("th"))
            rows = [[td.text() for td in tr.iter("td")] for tr in element.iter("tbody")[0].iter("tr")]
            assert all(len(row) == header for row in rows)  # no cell split or lost
            out[heading] = rows
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_report_shows_the_view(path: Path) -> None:
    view = view_of(path, top=4)
    markdown = MarkdownFormatter().render(view).decode("utf-8")
    doc = rendered(markdown)
    verdict = doc.iter("p")[0].text()
    assert verdict.startswith(("PASS" if view.verdict.passed else "FAIL") + ": " + "; ".join(view.verdict.reasons))
    assert view.coverage.text() in verdict
    found = tables(doc)
    scores = found["Scores"]
    assert len(scores) == len(view.pack_order) + len(view.section_order)
    assert scores[0][1] == f"{view.overall.value:.1f}"
    assert [row[1] for row in found["Failing rules"]] == [r.rule.id for r in view.failing_rules]
    gaps = found["Worst gaps"]
    assert [(row[0], row[1]) for row in gaps] == [(f.severity.value.upper(), f.rule_id) for f in view.worst_gaps]
    assert [row[0] for row in found["Remediation plan"]] == [str(s.rank) for s in view.plan_shown]
    if len(view.failing) > 4:
        assert f"and {len(view.failing) - 4} more failing findings" in doc.text()


def test_a_run_without_gaps_says_so() -> None:
    view = view_of(EXAMPLES[0])
    clean = dataclasses.replace(view, failing=(), failing_rules=(), plan=(), plan_by_partner=())
    doc = rendered(MarkdownFormatter().render(clean).decode("utf-8"))
    assert "No failing findings." in doc.text()
    assert "Failing rules" not in doc.text() and "Remediation plan" not in doc.text()

