"""A partner's best match on one kind of list, as audit rules read it (`screening.notorious`,
`screening.watchlist`), with its evidence in plain words.

The words say what matched what, the score and the threshold, the fields that matched, where
the entry comes from and the list's caveat: a finding built from a match carries all of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from nofakes.core.text import both, listing
from nofakes.screening.entries import Entry, Listing
from nofakes.screening.index import Match
from nofakes.screening.render import KIND_WORDS
from nofakes.supply.countries import COMMON_NAMES

FIELD_WORDS = {"name": "the name", "alias": "another name", "domain": "the web address", "country": "the country"}


class Hit(BaseModel):
    """The best-scoring entry of one kind of list that a partner matches."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: str  # the listed name
    list: str  # 'USTR Notorious Markets 1.0.0', or the watch list's file name
    kind: str  # online, physical or watchlist
    score: float  # 0-1
    fields: tuple[str, ...]  # of name, alias, domain, country
    country: str | None = None  # the entry's country
    matches: int = 1  # entries of this kind the partner matches
    words: str = ""  # the evidence, as a finding states it


def _with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _country(code: str) -> str:
    """'China', 'the United Arab Emirates', 'the Cayman Islands': a country's name as a sentence says it."""
    name = COMMON_NAMES.get(code, code)
    plural = name.endswith(("Islands", "lands", "pines", "Bahamas", "Emirates", "Maldives", "Comoros", "Seychelles"))
    article = name.startswith(("United ", "Dominican ", "Central African ", "Russian ", "Gambia")) or plural
    return f"the {name}" if article else name


def _place(*parts: str | None) -> str:
    return ", ".join(_country(p) if len(p) == 2 and p.isupper() else p for p in parts if p)


def _listing(listing: Listing) -> str:
    if listing.page is not None:
        return f"{listing.edition} edition, page {listing.page}"
    return f"{listing.edition} edition" + (" (as a secondary source reports)" if listing.secondary else "")


def entry_words(entry: Entry) -> str:
    """'"DHgate", an online market in China on the USTR Notorious Markets 1.0.0 list (2019 edition,
    page 19; 2021 edition (as a secondary source reports))'; a watch-list entry with its file and row."""
    if entry.kind == "watchlist":
        where = f" in {_place(entry.country)}" if entry.country else ""
        return f'"{entry.name}"{where} on your watch list {entry.list_name} (row {entry.id.rsplit(":", 1)[-1]})'
    place = _place(entry.city, entry.country)
    where = f" in {place}" if place else ""
    named = f" ({'; '.join(_listing(x) for x in entry.listings)})" if entry.listings else ""
    kind = _with_article(KIND_WORDS.get(entry.kind, "market"))
    return f'"{entry.name}", {kind}{where} on the {entry.list_name} list{named}'


def evidence_words(match: Match, threshold: float, others: Sequence[Match] = ()) -> str:
    """Everything a finding says about a match: what resembles what, score, fields, source, caveat."""
    score, entry = match.score, match.entry
    matched = both(FIELD_WORDS.get(f, f) for f in score.fields)
    text = (f'"{score.partner_text}" resembles {entry_words(entry)}'
            + (f' (listed as "{score.entry_text}")' if score.entry_text and score.entry_text != entry.name else "")
            + f": similarity {score.value:.2f} (a match from {threshold:g}), on {matched}.")
    if others:
        names = [f'"{m.entry.name}"' for m in others]
        text += f" Also resembles {listing(names)}."
    if entry.reason:
        text += f" Listed because: {entry.reason.rstrip('.')}."
    if entry.source:
        text += f" Source: {entry.source.rstrip('.')}."
    if entry.caveat:
        text += f" Caveat: {entry.caveat}"
    return text


def hit_of(matches: Sequence[Match], threshold: float) -> Hit:
    """The hit of a partner's matches on one kind of list (best first, as `ScreeningIndex.matches` gives them)."""
    best = matches[0]
    return Hit(entry=best.entry.name, list=best.entry.list_name, kind=best.entry.kind, score=best.score.value,
               fields=best.score.fields, country=best.entry.country, matches=len(matches),
               words=evidence_words(best, threshold, matches[1:]))
