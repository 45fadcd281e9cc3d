"""`nofakes screen`: matches with their evidence and the caveat, JSON, options and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import TESTS, run

SUPPLY = """\
nofakes: "1"
company: {id: acme, name: "Acme Brands Inc.", country: US}
nodes:
  - {id: tb, name: "Taobao (China) Software Co., Ltd.", role: distributor, country: CN}
  - {id: web, name: "www.DHgate.com/store/123", role: distributor}
  - {id: sf, name: "Shopify Commerce Ltd", role: distributor, country: CA}
  - {id: qc, name: "Quick-Chip Brokers Limited", role: broker, country: HK,
     attributes: {website: "https://amazon.de/shops/qc"}}
"""


def supply(tmp_path: Path) -> Path:
    path = tmp_path / "supply.yaml"
    path.write_text(SUPPLY, encoding="utf-8")
    return path


WATCHLIST = str(TESTS / "data" / "screening-watchlist.csv")


def test_terminal_report_names_partner_entry_score_fields_source_and_caveat(tmp_path: Path) -> None:
    code, out, _ = run("screen", str(supply(tmp_path)), "--watchlist", WATCHLIST)
    assert code == 0
    assert out.startswith("4 matches among 4 partners (threshold 0.85; lists: USTR Notorious Markets 1.0.0 "
                          "(23 entries), screening-watchlist.csv (5 entries))")
    block = out.split("\n\n")[1]
    assert block.splitlines()[0] == "Taobao (China) Software Co., Ltd. (id tb, CN)"
    assert "resembles Taobao: online market, USTR Notorious Markets 1.0.0; editions 2019, 2020, 2021; CN" in block
    assert "score 0.94; matched: name, country" in block
    assert "2019 edition, page 28, read at https://docslib.org/" in block
    assert "caveat: Being named in a USTR Review of Notorious Markets is not a finding" in block
    assert out.count("caveat:") == 3  # every notorious-market match; the watch list has none
    assert "reason: counterfeit GNSS modules 2025" in out and "source: incident QC-2025-07" in out
    assert "Shopify" not in out


def test_json_report(tmp_path: Path) -> None:
    code, out, _ = run("screen", str(supply(tmp_path)), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["screened"] == 4 and document["threshold"] == 0.85
    by_partner = {m["partner"]["id"]: m for m in document["matches"]}
    assert set(by_partner) == {"tb", "web", "qc"}
    web = by_partner["web"]
    assert web["entry"]["id"] == "dhgate" and web["score"] == 1.0 and web["fields"][0] == "domain"
    assert web["matched"] == {"partner": "dhgate.com", "entry": "dhgate.com"}
    assert web["entry"]["sources"][0] == {"edition": 2019, "page": 19, "secondary": False,
                                         "url": "https://docslib.org/doc/8849066/2019-review-of-notorious-"
                                                "markets-for-counterfeiting-and-piracy"}
    assert by_partner["qc"]["entry"]["id"] == "amazon-foreign-domains"
    assert all("not a finding" in m["entry"]["caveat"] for m in document["matches"])


def test_no_notorious_and_threshold(tmp_path: Path) -> None:
    code, out, _ = run("screen", str(supply(tmp_path)), "--no-notorious", "--watchlist", WATCHLIST)
    assert code == 0 and out.startswith("1 match among 4 partners") and "Quick-Chip Brokers Limited" in out
    code, out, _ = run("screen", str(supply(tmp_path)), "--threshold", "0.99")
    assert code == 0 and out.startswith("2 matches among")  # only the two exact domains
    assert "Taobao" not in out


def test_bad_watchlist_row_exits_2_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country\nGood,CN\n,CN\n", encoding="utf-8")
    code, out, err = run("screen", str(supply(tmp_path)), "--watchlist", str(bad))
    assert code == 2 and out == ""
    assert "bad.csv:3:1: error:" in err and "this row has no name" in err


def test_bad_threshold_and_missing_files_exit_2(tmp_path: Path) -> None:
    code, _, err = run("screen", str(supply(tmp_path)), "--threshold", "1.5")
    assert code == 2 and "threshold" in err
    code, _, err = run("screen", str(tmp_path / "missing.yaml"))
    assert code == 2 and "not found" in err
    code, _, err = run("screen", str(supply(tmp_path)), "--watchlist", str(tmp_path / "missing.csv"))
    assert code == 2 and "not found" in err
