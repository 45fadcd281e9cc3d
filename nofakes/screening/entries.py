"""What partners are screened against: list entries, and the partner side of a comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

ONLINE, PHYSICAL, WATCHLIST = "online", "physical", "watchlist"


@dataclass(frozen=True, slots=True)
class Listing:
    """One appearance of an entry in one edition of a published list."""

    edition: int
    page: int | None  # the page the edition's table of contents gives, where it was read
    url: str  # where the edition (or the secondary source) was read
    secondary: bool = False  # named by a secondary source, not read in the edition itself

    def describe(self) -> str:
        where = f", page {self.page}" if self.page is not None else ""
        how = " (as reported by a secondary source)" if self.secondary else ""
        return f"{self.edition} edition{where}{how}, read at {self.url}"


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    name: str
    kind: str  # ONLINE, PHYSICAL or WATCHLIST
    list_name: str  # "USTR Notorious Markets 1.0.0", or the watch list's file name
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2
    city: str | None = None
    domains: tuple[str, ...] = ()  # registrable domains ('dhgate.com')
    exact_domains: bool = False  # only these domains match, not the same name under another ending
    listings: tuple[Listing, ...] = ()
    reason: str | None = None  # watch lists: why the user lists it
    source: str | None = None  # watch lists: the user's source; shipped lists: see `listings`
    caveat: str | None = None  # shown with every match of the entry

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(sorted({listing.edition for listing in self.listings}))

    def source_text(self) -> str:
        if self.listings:
            return "; ".join(listing.describe() for listing in self.listings)
        return self.source or "(no source given)"


class Subject(NamedTuple):
    """A partner as screening sees it: its names and web addresses (a named tuple: an audit makes one for
    each of 100,000 partners, in a tenth of the time of a frozen dataclass)."""

    id: str
    name: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # registrable domains
