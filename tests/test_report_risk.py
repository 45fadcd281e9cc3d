"""Counterfeit risk in every report format (README: Counterfeit risk and exposure): each partner's score
and exposure where partners are listed, the factors with their evidence and source, the most exposed
partners with their upstream paths in partner names, and the caveat wherever scores are shown; with
--no-risk every format works without them."""

from __future__ import annotations

import io
import json
from functools import cache

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from helpers import ROOT
from nofakes.audit.engine import run_audit
from nofakes.audit.result import AuditResult
from nofakes.packs.catalogue import resolve_all
from nofakes.reports.base import RenderOptions
from nofakes.reports.markup import markdown_text
from nofakes.reports.registry import formatter
from nofakes.reports.view import ReportView, build_view
from nofakes.risk.profile import load_profile
from nofakes.supply.loading import load_supply

ELECTRONICS = ROOT / "examples" / "electronics" / "supply.yaml"
CAVEAT = "Seizures reflect where customs looks as well as where fakes come from"
PATH = "QuickChip Trading Ltd. -> Sentinel Component Laboratories, LLC: 26.5%"  # the most exposed partner's path


@cache
def _result(with_risk: bool) -> AuditResult:
    loaded = load_supply(ELECTRONICS)
    return run_audit(loaded, resolve_all(loaded.document.guidelines or ["ntif"]),
                     risk=load_profile("ipr-seizures@1.1.0") if with_risk else None)


def _view(with_risk: bool = True, **options: object) -> ReportView:
    return build_view(_result(with_risk), RenderOptions(**options))  # type: ignore[arg-type]


def _render(fmt: str, with_risk: bool = True, **options: object) -> bytes:
    return formatter(fmt).render(_view(with_risk, **options))


def test_json_carries_the_profile_every_partner_with_its_factors_and_the_exposed() -> None:
    data = json.loads(_render("json"))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    risk, section = data["risk"], _result(True).risk
    assert section is not None
    assert risk["profile"] == {"id": "ipr-seizures@1.1.0", "title": section.title, "caveat": section.caveat}
    assert CAVEAT in risk["profile"]["caveat"]
    assert (risk["depth"], risk["damping"]) == (section.depth, section.damping)
    assert [p["partner"] for p in risk["partners"]] == section.ranked()
    first = risk["partners"][0]
    assert first["partner"] == "dronedeals-global" and first["score"] == 64.0 and first["exposure"] == 18.7
    assert first["factors"][0] == {"factor": "origin", "value": 1.0, "points": 26.09,
                                   "evidence": "Hong Kong: 57.5% of seizure lines of electronics",
                                   "source": "DHS Office of Homeland Security Statistics, IPR seizures FY2019-2023"}
    for partner in risk["partners"]:  # the score is its factors' points
        assert partner["score"] == pytest.approx(sum(f["points"] for f in partner["factors"]), abs=0.06)
    top = risk["exposed"][0]
    assert (top["partner"], top["exposure"]) == ("sentinel-lab", 26.5)
    assert top["paths"] == [{"path": ["quickchip-brokers", "sentinel-lab"], "contribution": 0.265, "text": PATH}]
    by_partner = {p["partner"]: p for p in data["scores"]["partners"]}
    assert (by_partner["quickchip-brokers"]["risk"], by_partner["quickchip-brokers"]["exposure"]) == (53.0, 0.0)
    groups = {g["partner"]: g for g in data["plan_by_partner"]}
    assert groups["dronedeals-global"]["risk"] == 64.0


def test_json_without_risk_has_no_risk_and_still_matches_the_schema() -> None:
    data = json.loads(_render("json", with_risk=False))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(data))
    assert "risk" not in data
    assert all("risk" not in p for p in data["scores"]["partners"])
    assert all("risk" not in g for g in data["plan_by_partner"])


def test_the_streamed_json_is_the_rendered_one() -> None:
    view = _view()
    buffer = io.BytesIO()
    formatter("json").write(view, buffer)
    assert buffer.getvalue() == formatter("json").render(view)
    assert json.loads(buffer.getvalue())["risk"]["partners"][0]["partner"] == "dronedeals-global"


def test_terminal_shows_risk_exposure_paths_and_the_caveat_in_80_columns() -> None:
    text = _render("terminal").decode()
    assert all(len(line) <= 80 for line in text.splitlines())
    risk = text[text.index("Counterfeit risk ("):text.index("Highest exposure (")]
    assert "64.0 18.7 DroneDeals Global Store (dronedeals-global)" in risk
    assert "origin +26.1: Hong Kong: 57.5% of seizure lines of electronics" in risk
    assert CAVEAT in " ".join(risk.split())
    exposure = text[text.index("Highest exposure ("):text.index("Waivers and warnings")]
    assert "26.5 Sentinel Component Laboratories, LLC" in exposure
    assert PATH in " ".join(exposure.split())
    by_partner = text[text.index("Biggest wins by partner"):]
    assert "+8.54  risk 53.0" in by_partner


def test_terminal_without_risk_has_neither_section_nor_column() -> None:
    text = _render("terminal", with_risk=False).decode()
    assert "Counterfeit risk" not in text and "Highest exposure" not in text and "risk 53.0" not in text


def test_markdown_and_html_show_the_risk_section_with_the_caveat_and_the_paths() -> None:
    markdown = _render("markdown").decode()
    assert "## Counterfeit risk" in markdown and "## Highest exposure" in markdown and CAVEAT in markdown
    assert "| 64.0 | 18.7 | DroneDeals Global Store |" in markdown
    assert "QuickChip Trading Ltd. -&gt; Sentinel Component Laboratories, LLC: 26.5%" in markdown
    html = _render("html").decode()
    assert '<section id="risk">' in html and CAVEAT in html and 'id="exposure-table"' in html
    assert "<li>QuickChip Trading Ltd. -&gt; Sentinel Component Laboratories, LLC: 26.5%</li>" in html
    for fmt in ("markdown", "html"):
        assert CAVEAT not in _render(fmt, with_risk=False).decode()


def test_the_workbook_has_a_risk_sheet_with_a_column_per_factor_and_the_exposure_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(_render("xlsx")))
    section = _result(True).risk
    assert section is not None
    rows = list(book["Risk"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("Partner", "Partner name", "Role", "Country", "Risk", "Exposure")
    assert header[6] == "Origin" and header[-1] == "Evidence (factor: evidence)"  # origin: the most points in all
    factors = {f.name.replace("_", " ").capitalize() for r in section.partners.values() for f in r.factors}
    assert set(header[6:-1]) == factors
    assert [row[0] for row in rows[1:]] == section.ranked()  # one row per partner, highest risk first
    first = dict(zip(header, rows[1], strict=True))
    assert (first["Partner"], first["Role"], first["Country"], first["Risk"], first["Exposure"]) == \
        ("dronedeals-global", "seller", "HK", 64.0, 18.7)
    assert (first["Origin"], first["Channel"], first["Gaps"], first["Transit"]) == (26.09, 13.91, 10.6, None)
    assert first["Evidence (factor: evidence)"].split("\n")[:2] == [
        "origin: Hong Kong: 57.5% of seizure lines of electronics", "channel: a marketplace seller"]
    for row in rows[1:]:  # the score is the sum of its factors' points
        assert row[4] == pytest.approx(sum(v or 0 for v in row[6:-1]), abs=0.06)
    assert CAVEAT in book["Risk"].oddHeader.center.text
    exposure = list(book["Highest exposure"].iter_rows(values_only=True))
    assert exposure[1] == (1, "sentinel-lab", "Sentinel Component Laboratories, LLC", 26.5,
                           "QuickChip Trading Ltd. -> Sentinel Component Laboratories, LLC", 0.265)
    partners = list(book["Partners"].iter_rows(values_only=True))
    assert partners[0][-2:] == ("Risk", "Exposure")
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert any(row[:1] == ("Limits",) and CAVEAT in row[1] for row in summary)
    assert any(row[:2] == ("Source", "origin: DHS Office of Homeland Security Statistics, IPR seizures FY2019-2023")
               for row in summary)


def test_the_workbook_without_risk_has_no_risk_sheet_or_column() -> None:
    book = openpyxl.load_workbook(io.BytesIO(_render("xlsx", with_risk=False)))
    assert "Risk" not in book.sheetnames and "Highest exposure" not in book.sheetnames
    assert "Risk" not in next(book["Partners"].iter_rows(values_only=True))


def test_the_weighted_plan_shows_its_formula_in_every_format() -> None:
    from nofakes.audit.scoring import RISK_WEIGHT_FORMULA

    assert json.loads(_render("json", plan_weight="risk"))["scoring"]["plan_weight_formula"] == RISK_WEIGHT_FORMULA
    terminal = _render("terminal", plan_weight="risk").decode()
    assert "steps: weighted by risk: most severe first)" in terminal
    assert f"Plan {RISK_WEIGHT_FORMULA}." in " ".join(terminal.split())
    assert f"Plan {markdown_text(RISK_WEIGHT_FORMULA)}." in _render("markdown", plan_weight="risk").decode()
    book = openpyxl.load_workbook(io.BytesIO(_render("xlsx", plan_weight="risk")))
    assert any(row[:2] == ("Plan order", RISK_WEIGHT_FORMULA) for row in book["Summary"].iter_rows(values_only=True))
    assert "plan_weight_formula" not in json.loads(_render("json", with_risk=False, plan_weight="risk"))["scoring"]


def test_a_long_caveat_is_cut_to_what_an_excel_page_header_holds() -> None:
    from nofakes.reports.xlsx import HEADER_CHARS, _header_text

    assert _header_text("R&D: look first") == "R&&D: look first"
    long = _header_text("word " * 100)
    assert len(long) <= HEADER_CHARS and long.endswith("word…")
