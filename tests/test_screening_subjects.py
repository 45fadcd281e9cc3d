"""Which names and web addresses of a partner are screened."""

from __future__ import annotations

from nofakes.screening.subjects import subject_of
from nofakes.supply.model import Node


def node(name: str, **attributes: object) -> Node:
    return Node.model_validate({"id": "p1", "name": name, "role": "distributor", "country": "CN",
                                "attributes": attributes})


def test_aliases_from_text_or_list() -> None:
    assert subject_of(node("Acme", aliases="Acme HK; Acme Trading|Acme HK")).aliases == ("Acme HK", "Acme Trading")
    assert subject_of(node("Acme", aliases=["A1", " ", 7, "A2"])).aliases == ("A1", "A2")


def test_web_addresses_from_attributes_and_from_a_name_that_is_one() -> None:
    subject = subject_of(node("www.DHgate.com/store/123", website="https://shop.example.co.uk/x",
                              store=["taobao.com/shop/9", "not a domain"]))
    assert subject.domains == ("example.co.uk", "taobao.com", "dhgate.com")
    assert (subject.id, subject.country) == ("p1", "CN")
    assert subject_of(node("Acme.Ltd")).domains == ()
