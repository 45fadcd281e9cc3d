"""Screening names: folding, transliteration, legal forms, weights and domains."""

from __future__ import annotations

import pytest

from nofakes.screening.names import (
    GENERIC_WEIGHT,
    NUMBER_WEIGHT,
    domain_label,
    fold,
    name_tokens,
    registrable_domain,
    web_address,
)


def texts(name: str) -> list[str]:
    return [t.text for t in name_tokens(name)]


@pytest.mark.parametrize(("name", "expected"), [
    ("DHGATE.COM LIMITED", ["dhgate"]),
    ("Taobao (China) Software Co., Ltd.", ["taobao", "china", "software"]),
    ("Mercado Libre S.A.", ["mercado", "libre"]),
    ("Snapdeal Pvt. Ltd.", ["snapdeal"]),
    ("Siemens AG", ["siemens"]),
    ("ACME LLC", ["acme"]),
    ("ООО «Ромашка»", ["romashka"]),
    ("Рынок Дубровка", ["market", "dubrovka"]),
    ("Société Générale des Pièces", ["societe", "generale", "des", "pieces"]),
    ("D.H. Gate", ["dh", "gate"]),
    ("Pin Duo Duo", ["pin", "duo", "duo"]),
    ("Ltd.", ["ltd"]),  # a name that is only a legal form keeps it
])
def test_names_fold_to_tokens_without_legal_forms(name: str, expected: list[str]) -> None:
    assert texts(name) == expected


def test_numbers_weigh_more_and_generic_words_less() -> None:
    weights = {t.text: t.weight for t in name_tokens("Fund 1 Trading China")}
    assert weights == {"fund": 1.0, "1": NUMBER_WEIGHT, "trading": GENERIC_WEIGHT, "china": GENERIC_WEIGHT}


def test_fold_transliterates_greek_and_drops_accents() -> None:
    assert fold("Αθήνα Çelik-Ürün") == "athina celik urun"


@pytest.mark.parametrize(("text", "expected"), [
    ("www.DHgate.com/store/123", "dhgate.com"),
    ("https://shop.example.co.uk/x?y=1", "example.co.uk"),
    ("dhgate.com", "dhgate.com"),
    ("mercadolivre.com.br", "mercadolivre.com.br"),
    ("hello world", None),
    ("Acme", None),
    ("1.5", None),
])
def test_registrable_domain(text: str, expected: str | None) -> None:
    assert registrable_domain(text) == expected


def test_domain_label_names_the_business() -> None:
    assert domain_label("dhgate.com") == "dhgate"
    assert domain_label("example.co.uk") == "example"


@pytest.mark.parametrize(("name", "expected"), [
    ("www.DHgate.com/store/123", "dhgate.com"),
    ("taobao.com", "taobao.com"),
    ("https://www.mercadolivre.com.br/loja/42", "mercadolivre.com.br"),
    ("Acme.Ltd", None),
    ("Acme", None),
    ("DHgate.com Limited", None),
])
def test_a_name_is_a_web_address_only_with_a_common_ending(name: str, expected: str | None) -> None:
    assert web_address(name) == expected
