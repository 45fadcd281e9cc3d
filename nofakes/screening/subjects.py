"""Partners of a supply-chain document as screening sees them.

A partner's names are its `name` and `attributes.aliases` (a text, with `;` or `|` between names,
or a list); its web addresses are `attributes.website`, `.domain`, `.url` and `.store` (a text
or a list), and its name itself when that is a web address ("www.DHgate.com/store/123").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from nofakes.screening.entries import Subject
from nofakes.screening.names import registrable_domain, web_address
from nofakes.supply.model import Document, Node

ALIAS_KEYS = ("aliases",)
DOMAIN_KEYS = ("website", "domain", "url", "store")
_SPLIT = re.compile(r"[;|]")
_KEYS = frozenset(ALIAS_KEYS + DOMAIN_KEYS)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in _SPLIT.split(value) if part.strip()]
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def subject_of(node: Node) -> Subject:
    attributes, name = node.attributes, node.name
    if _KEYS.isdisjoint(attributes):  # most partners: a name alone
        own = web_address(name) if "." in name else None
        return Subject(node.id, name, node.country, (), () if own is None else (own,))
    aliases = [text for key in ALIAS_KEYS for text in _texts(attributes.get(key))]
    written = [text for key in DOMAIN_KEYS for text in _texts(attributes.get(key))]
    domains = [d for d in (registrable_domain(text) for text in written) if d is not None]
    own = web_address(name) if "." in name else None
    if own is not None:
        domains.append(own)
    return Subject(node.id, name, node.country, tuple(dict.fromkeys(aliases)), tuple(dict.fromkeys(domains)))


def subjects_of(document: Document) -> Iterator[Subject]:
    for node in document.nodes:
        yield subject_of(node)
