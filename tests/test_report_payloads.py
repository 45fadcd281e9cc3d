"""Nothing from the input can hurt the reader: hostile names through the HTML, Markdown and JUnit reports.

Every partner, the company, the products and the waivers get names made of known payloads
(markup, script, a Markdown table pipe, a CDATA end, control characters, bidi overrides,
noncharacters XML cannot hold; a lone surrogate is refused by the loader, so `clean` is checked
for it directly). Each report must parse, have exactly the structure of the same report with
plain names, and show the payloads as inert text.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from helpers import ROOT, Element, parse_html
from nofakes.audit.engine import run_audit
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.html_report import HtmlFormatter
from nofakes.reports.junit import JunitFormatter
from nofakes.reports.markdown import MarkdownFormatter
from nofakes.reports.markup import clean
from nofakes.reports.view import ReportView, build_view
from nofakes.supply.loading import load_supply

# (payload, what it must show as: control characters and bidi controls dropped, line breaks as one space)
PAYLOADS = (
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ('"><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>'),
    ("a | b | c", "a | b | c"),
    ("]]> <![CDATA[ x", "]]> <![CDATA[ x"),
    ("Nul\x00Esc\x1b[31mRed\x07 Del\x7f C1\x9b", "NulEsc[31mRed Del C1"),
    ("Bidi \u202eevil\u202c \u2066iso\u2069 mark\u200f", "Bidi evil iso mark"),
    ("Nonchar \ufffe \uffff end", "Nonchar   end"),  # XML cannot hold U+FFFE or U+FFFF
    ("`code` *em* _u_ ~~s~~ [link](javascript:alert(1)) ![i](http://example.invalid/x.png) $x$",
     "`code` *em* _u_ ~~s~~ [link](javascript:alert(1)) ![i](http://example.invalid/x.png) $x$"),
    ("&lt;b&gt; &amp; & ' \" <!-- --> </td></table></script>",
     "&lt;b&gt; &amp; & ' \" <!-- --> </td></table></script>"),
    ("Line\nbreak\r\ttab \u2028 sep", "Line break tab \u2028 sep"),
    ("{node.name} {{7*7}} ${7*7}", "{node.name} {{7*7}} ${7*7}"),
)
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe]")
ELECTRONICS = ROOT / "examples" / "electronics" / "supply.yaml"


def _rename(document: dict[str, Any], names: Any, first: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """Names from `names` for every partner (followed by its id; the partners in `first` first), the company,
    the products and the waivers."""
    for node in sorted(document["nodes"], key=lambda n: n["id"] not in first):
        node["name"] = f"{next(names)} {node['id']}"
    document["company"]["name"] = next(names)
    for product in document.get("products", []):
        product["name"] = next(names)
    for waiver in document.get("waivers", []):
        waiver["reason"], waiver["approved_by"] = next(names), next(names)
    return document


def _view(document: dict[str, Any], path: Path) -> ReportView:
    path.write_text(json.dumps(document, default=str), encoding="utf-8")  # JSON: can hold every payload
    return build_view(run_audit(load_supply(path), [resolve_pack("ntif")]), RenderOptions(top=1000))


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportView, ReportView]:
    """(plain names, hostile names) of the same chain."""
    base = tmp_path_factory.mktemp("payloads")
    original = yaml.safe_load(ELECTRONICS.read_text(encoding="utf-8"))
    plain = _view(_rename(json.loads(json.dumps(original, default=str)),
                          (f"Name {i}" for i in itertools.count())), base / "plain.json")
    payloads = itertools.cycle(p for p, _ in PAYLOADS)  # the partners with gaps first: every report shows each payload
    hostile = _view(_rename(json.loads(json.dumps(original, default=str)), payloads, _failing_partners(plain)),
                    base / "hostile.json")
    assert len(_failing_partners(hostile)) >= len(PAYLOADS)
    return plain, hostile


def _shown(view: ReportView, partners: Any) -> list[str]:
    """How the names of `partners` (ids) must show: each name begins with a payload and ends with the id."""
    out = []
    for partner in partners:
        name = view.partners[partner].name
        payload, shown = next((p, s) for p, s in PAYLOADS if name.startswith(p))
        out.append(shown + name[len(payload):])
    return out


def _failing_partners(view: ReportView) -> set[str]:
    return {f.partner for f in view.failing if f.partner is not None}


def _shape(element: Element) -> list[tuple[str, tuple[str, ...]]]:
    """Every element with its attribute names, in document order: the page's structure without its text."""
    return [(e.tag, tuple(sorted(e.attrs))) for e in element.iter()]


def test_html_keeps_its_structure_and_shows_payloads_as_text(views: tuple[ReportView, ReportView]) -> None:
    plain, hostile = views
    raw = HtmlFormatter().render(hostile).decode("utf-8")
    assert not UNSAFE.search(raw)
    doc = parse_html(raw)
    assert _shape(doc) == _shape(parse_html(HtmlFormatter().render(plain).decode("utf-8")))
    assert len(doc.iter("script")) == 1 and not doc.iter("img")
    assert not [e for e in doc.iter() for name in e.attrs if name.startswith("on")]
    text = doc.text()
    for shown in _shown(hostile, hostile.partners):
        assert shown in text
    svg_titles = " ".join(t.text() for t in doc.by_id("chain").iter("title"))
    assert "<script>alert(1)</script>" in svg_titles


def test_markdown_keeps_its_tables_and_shows_payloads_as_text(views: tuple[ReportView, ReportView]) -> None:
    plain, hostile = views
    raw = MarkdownFormatter().render(hostile).decode("utf-8")
    assert not UNSAFE.search(raw)
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    doc, reference = parse_html(parser.render(raw)), parse_html(parser.render(MarkdownFormatter().render(plain)
                                                                             .decode("utf-8")))
    assert [e.tag for e in doc.iter()] == [e.tag for e in reference.iter()]  # no element added, no cell split
    assert not doc.iter("script") and not doc.iter("img") and not doc.iter("a") and not doc.iter("code")
    text = doc.text()
    for shown in _shown(hostile, _failing_partners(hostile)):
        assert shown in text
    assert "`code` *em* _u_ ~~s~~ [link](javascript:alert(1))" in text


def test_junit_parses_keeps_its_structure_and_holds_only_xml_characters(
        views: tuple[ReportView, ReportView]) -> None:
    plain, hostile = views
    raw = JunitFormatter().render(hostile)
    text = raw.decode("utf-8")
    assert not UNSAFE.search(text)
    root = ET.fromstring(raw)
    reference = ET.fromstring(JunitFormatter().render(plain))
    assert [(e.tag, sorted(e.attrib)) for e in root.iter()] == [(e.tag, sorted(e.attrib)) for e in reference.iter()]
    values = " ".join([*(v for e in root.iter() for v in e.attrib.values()), *(e.text or "" for e in root.iter())])
    for shown in _shown(hostile, _failing_partners(hostile)):
        assert shown in values


def test_clean_drops_what_no_report_can_hold() -> None:
    assert clean("Lone \ud800 half \udfff\ufffe\uffff") == "Lone  half "  # not valid UTF-8, not XML
    assert clean("plain") == "plain"


def test_markdown_mentions_notify_nobody_and_e_mail_addresses_stay_as_they_are() -> None:
    from nofakes.reports.markup import MENTION_BREAK, markdown_text

    assert markdown_text("ping @security-team, (@ops) and qa@example.com") == (
        f"ping {MENTION_BREAK}security-team, ({MENTION_BREAK}ops) and qa@example.com")
    assert markdown_text("a lone @ sign") == "a lone @ sign"


def test_a_partner_named_as_a_mention_reaches_the_markdown_report_broken(tmp_path: Path) -> None:
    document = yaml.safe_load(ELECTRONICS.read_text(encoding="utf-8"))
    view = _view(_rename(json.loads(json.dumps(document, default=str)), (f"@team{i}" for i in itertools.count())),
                 tmp_path / "mentions.json")
    raw = MarkdownFormatter().render(view).decode("utf-8")
    assert "@\u200bteam" in raw
    assert not re.search(r"(?<!\w)@team", raw)
