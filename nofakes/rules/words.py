"""Plain-language wording of field paths and values, for the "why" of a finding.

Field paths become words generically: underscores become spaces, `from.`/`to.` become "the
supplying/receiving partner's", grouping records (`documents`, `programs`) are dropped, a list
reads as one of its items ("an audit"), and a small table rewords the awkward names
(`training_last` -> "last training date"). Values read as a person writes them: yes/no, ISO
dates (2026-03-12), lists as "pass or conditional", code words (`hospital_pharmacy`) with
spaces. Nothing here ever shows a Python repr, a list in brackets or a regular expression.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from nofakes.core.text import both, either, listing  # noqa: F401  (re-exported: the words of reasons)
from nofakes.supply.countries import COMMON_NAMES

# Field names (or dotted tails) whose words are not simply the name with spaces.
FIELD_WORDS = {
    "expires": "expiry date",
    "training_last": "last training date",
    "due_diligence": "due-diligence check",
    "anti_counterfeit_clause": "anti-counterfeit clause",
    "flow_down": "flow-down clause",
    "subcontract_consent": "subcontracting consent clause",
    "reject_destruction": "clause on destroying rejects and overruns",
    "tooling_ownership": "tooling ownership clause",
    "audit_rights": "audit rights clause",
    "returns_verification": "returns verification",
    "recorded_with_customs": "recordation with customs",
    "open_findings": "number of open findings",
    "discovered": "discovery date",
    "signed": "signing date",
    "quarantined": "quarantine",
    "accredited": "accreditation",
    "authentication": "authentication features",
    "to": "recipient",
    "via": "transit countries",
    "spend_usd": "spend in US dollars",
    "carries": "products carried",
    "handles": "products handled",
    "shipping": "shipment",
    "free_trade_zone": "free-trade-zone transit",
    "granted_by": "grantor",
    "documents.traceability": "traceability level",
    "shipping.sealed": "shipment's high-security seal",
    "due_diligence.date": "due-diligence check date",
    "inspection.done": "inspection of the lot",
    # format 1.1
    "issued": "issue date",
    "since": "relationship start date",
    "lots": "lot numbers",
    "party": "partner notified",
    "due_diligence.first_date": "first due-diligence check date",
    "seller_verification.identity_verified": "identity verification date",
    "seller_verification.business_verified": "business registration verification date",
    "seller_verification.tax_id_verified": "taxpayer id verification date",
    "seller_verification.bank_account_verified": "bank account verification date",
    "seller_verification.contact_verified": "contact verification date",
    "seller_verification.high_volume_since": "high-volume start date",
    "seller_verification.recertified": "last certification date",
    "seller_verification.high_volume": "high-volume status",
    "seller_verification.identity_disclosed": "identity disclosure",
    "context.as_of": "audit date",
    # the computed risk (nofakes.audit.riskroot)
    "risk.score": "counterfeit risk score",
    "risk.exposure": "counterfeit risk exposure",
    "risk.factors.origin": "origin risk factor",
    "risk.factors.undeclared_origin": "undeclared-origin risk factor",
    "risk.factors.transport": "transport risk factor",
    "risk.factors.transport_value": "transport value risk factor",
    "risk.factors.transit": "transit risk factor",
    "risk.factors.channel": "channel risk factor",
    "risk.factors.incidents": "incidents risk factor",
    # screening (nofakes.audit.screening)
    "screening.notorious": "match on the notorious-markets list",
    "screening.watchlist": "match on your watch lists",
    "screening.notorious_entries": "number of notorious-market entries screened against",
    "screening.watchlist_entries": "number of watch-list entries screened against",
    "screening.notorious.score": "notorious-market match score",
    "screening.watchlist.score": "watch-list match score",
}
# One item of a list field, where dropping the final "s" is not right.
ITEM_NOUNS = {
    "certifications": "certificate",
    "licenses": "licence",
    "nodes": "partner",
    "edges": "link",
    "reported": "report",
    "authentication": "authentication feature",
    "via": "transit country",
    "scope": "authorized product",
    "carries": "product carried",
    "handles": "product handled",
    "all_authorizations": "authorization",
    "notified": "notification",
}
CONTAINERS = frozenset({"documents", "programs", "attributes"})  # grouping records whose name adds nothing
OWNERS = {"from": "supplying partner", "to": "receiving partner", "company": "company"}

_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
MAX_VALUE = 80  # longer text values are shortened


def name_words(name: str) -> str:
    return FIELD_WORDS.get(name) or name.replace("_", " ")


def item_noun(list_name: str) -> str:
    """`audits` -> "audit"."""
    if list_name in ITEM_NOUNS:
        return ITEM_NOUNS[list_name]
    words = name_words(list_name)
    return words[:-1] if words.endswith("s") and not words.endswith("ss") else words


def plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def phrases(parts: Sequence[str]) -> list[str]:
    """The words of each step of a path, longest dotted override first, grouping records dropped."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i + 1, -1):
            key = ".".join(parts[i:j])
            if key in FIELD_WORDS:
                out.append(FIELD_WORDS[key])
                i = j
                break
        else:
            if not (parts[i] in CONTAINERS and i < len(parts) - 1):
                out.append(name_words(parts[i]))
            i += 1
    return out


def split_owner(parts: Sequence[str], owner: str | None) -> tuple[str | None, list[str]]:
    """`from.contract.x` -> ("supplying partner", [contract, x]); other paths keep the given owner."""
    if owner is None and len(parts) > 1 and parts[0] in OWNERS:
        return OWNERS[parts[0]], list(parts[1:])
    return owner, list(parts)


def field_words(parts: Sequence[str], owner: str | None = None) -> str:
    """`contract.anti_counterfeit_clause` -> "the contract's anti-counterfeit clause"; `owner`
    (e.g. "audit") is the list item the path is read on: `result` -> "the audit's result"."""
    owner, rest = split_owner(parts, owner)
    chain = ([owner] if owner else []) + phrases(rest)
    if len(chain) == 1:
        return "the " + chain[0]
    if len(chain) == 2:
        return f"the {chain[0]}'s {chain[1]}"
    return f"the {chain[-1]} of the " + "'s ".join(chain[:-1])


def list_words(parts: Sequence[str]) -> str:
    """A list field as one of its items: `audits` -> "an audit", `to.licenses` -> "a licence of the
    receiving partner"."""
    owner, rest = split_owner(parts, None)
    noun = article(item_noun(rest[-1]))
    parents = phrases([part for part in rest[:-1] if part not in CONTAINERS])
    if owner:
        parents.insert(0, owner)
    if not parents:
        return noun
    return f"{noun} of {field_words_of(parents)}"


def field_words_of(chain: Sequence[str]) -> str:
    if len(chain) == 1:
        return "the " + chain[0]
    return f"the {chain[0]}'s " + " ".join(chain[1:])


def show(value: Any) -> str:
    """A value in words."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _short(value.replace("_", " ") if _CODE.match(value) else value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return either(show(v) for v in value) if value else "nothing"
    words = getattr(value, "words", None)  # values that describe themselves (dates out of range)
    if isinstance(words, str):
        return words
    return "a record"


def quoted(value: Any) -> str:
    """Text as written in the data, in double quotes (for matches and contains)."""
    return f'"{_short(value)}"' if isinstance(value, str) else show(value)


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."




def long_date(day: dt.date) -> str:
    """A date as a person writes it in a sentence: "27 November 2023"."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def country(value: Any) -> str:
    """A country code in words: "China (CN)"; anything else as `show` words it."""
    if isinstance(value, Enum):
        value = value.value
    return f"{COMMON_NAMES[value]} ({value})" if isinstance(value, str) and value in COMMON_NAMES else show(value)
