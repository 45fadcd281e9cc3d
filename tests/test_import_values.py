"""Import normalisation: yes/no, dates (with the day/month rule), countries, enumerations, numbers, ids, headers."""

from __future__ import annotations

import datetime as dt

import pytest

from nofakes.core.text import folded
from nofakes.importing import values as v
from nofakes.importing.fields import PARTNER_FIELDS, field_named
from nofakes.importing.headers import guess_field
from nofakes.supply.countries import ALPHA2, country_code
from nofakes.supply.model import AuditResult, Role


@pytest.mark.parametrize("cell", ["yes", "Y", "TRUE", "1", "x", "X", "✓", "ja", 1, 1.0, True])
def test_yes_forms(cell: object) -> None:
    assert v.to_bool(cell) is True


@pytest.mark.parametrize("cell", ["no", "N", "false", "0", "nein", 0, False])
def test_no_forms(cell: object) -> None:
    assert v.to_bool(cell) is False


def test_a_word_that_is_neither_yes_nor_no_is_a_problem() -> None:
    with pytest.raises(v.ValueProblem) as caught:
        v.to_bool("maybe")
    assert caught.value.message == "'maybe' is not yes or no"
    assert caught.value.expected == v.YES_NO_EXPECTED


@pytest.mark.parametrize(("cell", "expected"), [
    ("2026-12-31", dt.date(2026, 12, 31)),
    ("2026/12/31", dt.date(2026, 12, 31)),
    ("20261231", dt.date(2026, 12, 31)),  # compact, as ERP systems export it
    ("2026-12-31 00:00:00", dt.date(2026, 12, 31)),
    ("31.12.2026", dt.date(2026, 12, 31)),
    ("31/12/2026", dt.date(2026, 12, 31)),
    ("12/31/2026", dt.date(2026, 12, 31)),
    ("31-12-2026", dt.date(2026, 12, 31)),
    ("07/07/2026", dt.date(2026, 7, 7)),  # day and month equal: either order is the same date
    ("31 Dec 2026", dt.date(2026, 12, 31)),
    ("31-Dec-2026", dt.date(2026, 12, 31)),
    ("December 31, 2026", dt.date(2026, 12, 31)),
    ("46022", dt.date(2025, 12, 31)),  # an Excel serial date as text
    (46022, dt.date(2025, 12, 31)),
    (46022.75, dt.date(2025, 12, 31)),  # a serial date-time: the day
    (dt.datetime(2026, 3, 1, 14, 30), dt.date(2026, 3, 1)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
])
def test_dates_in_the_usual_forms(cell: object, expected: dt.date) -> None:
    assert v.to_date(cell) == expected


def test_an_ambiguous_day_and_month_is_an_error_unless_the_order_is_given() -> None:
    with pytest.raises(v.ValueProblem) as caught:
        v.to_date("05/06/2026")
    assert caught.value.message == "'05/06/2026' could be 5 June or 6 May"
    assert "--date-format DMY" in (caught.value.hint or "")
    assert v.to_date("05/06/2026", "DMY") == dt.date(2026, 6, 5)
    assert v.to_date("05/06/2026", "MDY") == dt.date(2026, 5, 6)


def test_a_given_order_is_held_to() -> None:
    with pytest.raises(v.ValueProblem, match="not a calendar date"):
        v.to_date("12/31/2026", "DMY")


@pytest.mark.parametrize(("cell", "words"), [
    ("31/12/26", "2-digit year"),
    ("2026-02-30", "not a calendar date"),
    ("31 Foo 2026", "'foo' is not a month"),
    ("soon", "is not a date"),
    (0, "is not a date"),
    (True, "is not a date"),
])
def test_bad_dates(cell: object, words: str) -> None:
    with pytest.raises(v.ValueProblem, match=words):
        v.to_date(cell)


@pytest.mark.parametrize(("written", "code"), [
    ("DE", "DE"), ("de", "DE"), ("DEU", "DE"), ("Germany", "DE"), ("Deutschland", "DE"), ("Viet Nam", "VN"),
    ("Vietnam", "VN"), ("UK", "GB"), ("United Kingdom", "GB"), ("USA", "US"), ("United States", "US"),
    ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("Côte d’Ivoire", "CI"), ("the Netherlands", "NL"),
    ("Bosnia & Herzegovina", "BA"), ("  china ", "CN"), ("Türkiye", "TR"),
])
def test_countries_by_code_and_name(written: str, code: str) -> None:
    assert country_code(written) == code
    assert v.to_country(written) == code


def test_an_unknown_country_is_a_problem() -> None:
    assert country_code("Atlantis") is None
    with pytest.raises(v.ValueProblem, match="'Atlantis' is not a country"):
        v.to_country("Atlantis")


def test_the_country_table_is_iso_3166_1() -> None:
    assert len(ALPHA2) == 249 and {"DE", "VN", "GB", "US", "XK"} - ALPHA2 == {"XK"}  # Kosovo is not assigned


def test_enumerations_by_value_and_by_synonym() -> None:
    assert v.to_enum("Contract Manufacturer", Role, {}) == "contract_manufacturer"
    assert PARTNER_FIELDS["role"].convert("Vendor", None) == "supplier"
    assert PARTNER_FIELDS["role"].convert("3PL", None) == "logistics"
    assert PARTNER_FIELDS["authorization.status"].convert("Y", None) == "authorized"
    assert PARTNER_FIELDS["audit.result"].convert("Passed", None) == "pass"
    with pytest.raises(v.ValueProblem) as caught:
        v.to_enum("Reseller", AuditResult, {})
    assert caught.value.expected == "one of pass, conditional, fail"


def test_attributes_agree_between_csv_text_and_workbook_numbers() -> None:
    assert [v.to_attribute(c) for c in ("12", "0.6", "-3")] == [v.to_attribute(c) for c in (12.0, 0.6, -3)]
    assert [v.to_attribute(c) for c in ("007", "1.10", "  two  words ")] == ["007", "1.10", "two words"]


def test_lists_ids_and_slugs() -> None:
    assert v.to_list("a; b\nc;;") == ["a", "b", "c"]
    assert v.to_identifier("V 00123/A") == "V-00123-A"
    assert v.slug("Shenzhen PCB Co., Ltd.") == "shenzhen-pcb-co-ltd"
    assert v.slug("Müller & Söhne GmbH") == "muller-sohne-gmbh"
    assert v.slug("深圳") == ""  # no Latin letters: the importer numbers the partner by its row instead
    with pytest.raises(v.ValueProblem):
        v.to_identifier("///")
    assert PARTNER_FIELDS["products"].convert("amp x1; amp-x2", None) == ["amp x1", "amp-x2"]
    with pytest.raises(v.ValueProblem, match="no letters or digits"):
        PARTNER_FIELDS["products"].convert("amp-x1; //", None)


@pytest.mark.parametrize(("header", "field"), [
    ("Supplier Name", "name"), ("VENDOR", "name"), ("Vendor No.", "id"), ("Country", "country"),
    ("Tier", "attributes.tier"), ("Role", "role"), ("Type", "role"), ("Authorized", "authorization.status"),
    ("Last Audit", "audit.date"), ("Audit Result", "audit.result"), ("Contract signed", "contract.signed"),
    ("ISO 9001 Expiry", "certification[ISO 9001].expires"), ("AS9120 expiry date", "certification[AS9120].expires"),
    ("Supplies to", "supplies_to"), ("Spend (USD)", "attributes.spend_usd"),
])
def test_headers_recognised_without_a_mapping(header: str, field: str) -> None:
    assert guess_field(header, "partners") == field
    assert field_named(field, "partners") is not None


def test_flow_headers() -> None:
    assert [guess_field(h, "flows") for h in ("From", "Customer", "Kind", "Share", "Volume")] == [
        "from", "to", "kind", "share", "attributes.volume"]


def test_folded_ignores_case_accents_and_punctuation() -> None:
    assert folded("  Supplier-NAME ") == folded("supplier name") == "supplier name"
    assert folded("Côte d'Ivoire") == "cote d ivoire"
