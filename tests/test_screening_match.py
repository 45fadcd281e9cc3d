"""Screening scores, the fields that matched, blocking, and precision and recall on labelled names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers import TESTS
from nofakes.screening.entries import ONLINE, PHYSICAL, WATCHLIST, Entry, Subject
from nofakes.screening.index import ScreeningIndex, screen
from nofakes.screening.names import web_address
from nofakes.screening.notorious import load_notorious
from nofakes.screening.scoring import DEFAULT_THRESHOLD, score
from nofakes.screening.watchlist import load_watchlist

DATA = TESTS / "data"
WATCHLIST_FILE = DATA / "screening-watchlist.csv"


def entry(name: str, kind: str = WATCHLIST, country: str | None = None, **more: object) -> Entry:
    return Entry(id=name, name=name, kind=kind, list_name="test", country=country, **more)  # type: ignore[arg-type]


def test_legal_forms_case_and_punctuation_do_not_count() -> None:
    result = score(entry("DHgate", ONLINE, "CN"), Subject("p", "DHGATE.COM LIMITED", "CN"))
    assert result.value == 1.0 and result.fields == ("name", "country")


def test_word_order_and_words_written_together_do_not_count() -> None:
    target = entry("Mercado Libre", ONLINE)
    assert score(target, Subject("p", "Libre Mercado Ltda")).value == 1.0
    assert score(target, Subject("p", "MercadoLibre Inc.")).value == 1.0


def test_numbers_must_match() -> None:
    assert score(entry("Fund 1"), Subject("p", "Fund 1")).value == 1.0
    assert score(entry("Fund 1"), Subject("p", "Fund 2")).value < 0.5


def test_country_mismatch_lowers_the_score_more_for_physical_than_online() -> None:
    subject = Subject("p", "Tepito", "AR")
    assert score(entry("Tepito", PHYSICAL, "MX"), subject).value == pytest.approx(0.8)
    assert score(entry("Tepito", ONLINE, "MX"), subject).value == pytest.approx(0.95)
    assert score(entry("Tepito", PHYSICAL, "MX"), Subject("p", "Tepito")).value == 1.0  # unknown: no check


def test_domains_match_by_registrable_domain_and_label() -> None:
    market = entry("DHgate", ONLINE, domains=("dhgate.com",))
    result = score(market, Subject("p", "Acme", domains=("dhgate.com",)))
    assert (result.value, result.fields, result.partner_text) == (1.0, ("domain",), "dhgate.com")
    assert score(market, Subject("p", "Acme", domains=("dhgate.co.uk",))).value == 0.95
    exact = entry("Amazon's foreign domains", ONLINE, domains=("amazon.de",), exact_domains=True)
    assert score(exact, Subject("p", "Acme", domains=("amazon.com",))).value == 0.0
    assert score(exact, Subject("p", "Acme", domains=("amazon.de",))).value == 1.0


def test_aliases_on_either_side_are_named_as_alias() -> None:
    target = entry("Quickchip Brokers", aliases=("QC Brokers",))
    assert score(target, Subject("p", "QC Brokers")).fields == ("alias",)
    assert score(target, Subject("p", "Other", aliases=("Quickchip Brokers Ltd",))).fields == ("alias",)


def test_every_field_that_reaches_the_threshold_is_named() -> None:
    market = entry("DHgate", ONLINE, "CN", domains=("dhgate.com",))
    result = score(market, Subject("p", "DHgate", "CN", domains=("dhgate.com",)))
    assert result.fields == ("domain", "name", "country")


def test_blocking_compares_only_entries_that_share_a_key() -> None:
    entries = [entry(f"Company {n} Widgets") for n in range(50)] + [entry("Taobao", ONLINE)]
    index = ScreeningIndex.build(entries)
    assert [e.name for e in index.candidates(Subject("p", "Tao Bao Trading"))] == ["Taobao"]
    assert index.candidates(Subject("p", "Unrelated Name")) == []


def labelled(file: str) -> list[tuple[Subject, str]]:
    rows = []
    with (DATA / file).open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            name = row["name"]
            domain = web_address(name)
            expected = row["expected"]
            if expected.startswith("row:"):
                expected = f"{WATCHLIST_FILE.name}:{expected.removeprefix('row:')}"
            rows.append((Subject(str(number), name, row["country"] or None, (), (domain,) if domain else ()), expected))
    return rows


def precision_recall(file: str, threshold: float = DEFAULT_THRESHOLD) -> tuple[float, float, int, int]:
    entries = load_notorious() + load_watchlist(WATCHLIST_FILE)
    index = ScreeningIndex.build(entries)
    true_pos = false_pos = false_neg = 0
    for subject, expected in labelled(file):
        found = [m.entry.id for m in index.matches(subject, threshold)]
        true_pos += expected in found
        false_neg += bool(expected) and expected not in found
        false_pos += sum(1 for f in found if f != expected)
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg), true_pos, false_pos


@pytest.mark.parametrize(("file", "precision_floor", "recall_floor"), [
    ("screening-variants.csv", 0.95, 0.95),  # the list the weights were tuned on (measured: 1.00 / 1.00)
    ("screening-heldout.csv", 0.95, 0.90),  # written before measuring, never tuned on (1.00 / 0.94)
])
def test_precision_and_recall_at_the_default_threshold(file: str, precision_floor: float,
                                                       recall_floor: float) -> None:
    precision, recall, true_pos, _ = precision_recall(file)
    assert true_pos >= 15
    assert precision >= precision_floor
    assert recall >= recall_floor


def test_a_lower_threshold_trades_precision_for_recall() -> None:
    precision, recall, _, false_pos = precision_recall("screening-variants.csv", 0.7)
    assert recall == 1.0 and false_pos > 0 and precision < 1.0


@pytest.mark.parametrize("file", ["screening-variants.csv", "screening-heldout.csv"])
def test_blocking_finds_what_comparing_every_pair_finds(file: str) -> None:
    entries = load_notorious() + load_watchlist(WATCHLIST_FILE)
    subjects = [subject for subject, _ in labelled(file)]
    blocked = {(m.subject.id, m.entry.id) for m in screen(subjects, entries, 0.7)}
    everything = {(s.id, e.id) for s in subjects for e in entries if score(e, s, 0.7).value >= 0.7}
    assert blocked == everything


def test_watchlist_file_in_tests_data_is_valid(tmp_path: Path) -> None:
    assert len(load_watchlist(WATCHLIST_FILE)) == 5
