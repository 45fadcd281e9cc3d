"""The `screening` root of node rules: every partner screened against the notorious-markets list and
the user's watch lists (nofakes.screening), once per audit, the first time a rule reads it.

- `screening.notorious`, `screening.watchlist`: the partner's best match on that kind of list
  (a `Hit`: entry, list, kind, score, fields, country, matches), absent when it matches nothing;
  the operator `unlisted: true` holds when there is no match and fails with the match's evidence;
- `screening.notorious_entries`, `screening.watchlist_entries`: how many entries the partners
  were screened against (0: that kind of list was not used), for `applies_to`;
- edge, product and company rules have no screening (an error naming where it can be read).

An audit that no rule reads `screening` in screens nothing and costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from nofakes.core.errors import Diagnostic, InputError
from nofakes.core.text import both, count_of
from nofakes.rules.fields import ScopeType, with_root
from nofakes.screening.entries import Entry
from nofakes.screening.hit import Hit, hit_of
from nofakes.screening.index import Match, ScreeningIndex
from nofakes.screening.notorious import load_notorious
from nofakes.screening.scoring import DEFAULT_THRESHOLD
from nofakes.screening.subjects import subject_of
from nofakes.screening.watchlist import load_watchlist
from nofakes.supply.model import Document

NOTORIOUS, WATCHLIST = "notorious", "watchlist"
REFUSED = ("screening matches belong to partners",
           "screening.notorious or screening.watchlist in a node rule (the partner's best match, or nothing)")


class ScreeningRoot(BaseModel):
    """What a node rule reads as `screening`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    notorious: Hit | None = None
    watchlist: Hit | None = None
    notorious_entries: int = 0
    watchlist_entries: int = 0


@dataclass(frozen=True)
class ScreeningLists:
    """What an audit screens against. `notorious` None: the newest shipped list; (): none."""

    notorious: tuple[Entry, ...] | None = None
    watchlists: tuple[tuple[str, tuple[Entry, ...]], ...] = ()  # (file name, entries), in the order given
    threshold: float = DEFAULT_THRESHOLD

    @classmethod
    def load(cls, watchlists: Sequence[Path], threshold: float = DEFAULT_THRESHOLD,
             notorious: bool = True) -> ScreeningLists:
        """The shipped list (unless `notorious` is false) and every watch-list file; InputError with the
        problems of every file at once."""
        problems: list[Diagnostic] = []
        loaded: list[tuple[str, tuple[Entry, ...]]] = []
        for path in watchlists:
            try:
                loaded.append((path.name, load_watchlist(path)))
            except InputError as exc:
                problems.extend(exc.diagnostics)
        if problems:
            raise InputError(problems)
        return cls(None if notorious else (), tuple(loaded), threshold)

    def shipped(self) -> tuple[Entry, ...]:
        """The notorious-markets entries screened against (the shipped list read when first needed)."""
        return load_notorious() if self.notorious is None else self.notorious

    def named(self) -> list[tuple[str, tuple[Entry, ...]]]:
        """(list name, entries) of every list, the shipped one first."""
        notorious = self.shipped()
        shipped = [(notorious[0].list_name, notorious)] if notorious else []
        return shipped + list(self.watchlists)


@dataclass(frozen=True)
class ScreenedList:
    name: str  # 'USTR Notorious Markets 1.0.0', or the watch list's file name
    kind: str  # NOTORIOUS or WATCHLIST
    entries: int


@dataclass(frozen=True)
class ScreeningSection:
    """Every match of the audit's screening, for reports (README: Screening)."""

    threshold: float
    screened: int  # partners
    lists: tuple[ScreenedList, ...]
    matches: tuple[Match, ...]  # partners in file order, each partner's best first
    caveats: tuple[str, ...]  # of the lists that matched, each once

    def text(self) -> str:
        """'4 partners against USTR Notorious Markets 1.0.0 (23 entries) and watch.csv (2 entries), a
        resemblance from similarity 0.85: 2 matches on 2 partners'."""
        joined = both(f"{x.name} ({count_of(x.entries, 'entry', 'entries')})" for x in self.lists) or "no list"
        partners = len({m.subject.id for m in self.matches})
        found = (f"{count_of(len(self.matches), 'match', 'matches')} on {count_of(partners, 'partner')}"
                 if self.matches else "no match")
        return (f"{count_of(self.screened, 'partner')} against {joined}, a resemblance from similarity "
                f"{self.threshold:g}: {found}")


class ScreeningTables:
    """The screening of one document, computed on first use."""

    def __init__(self, document: Document, lists: ScreeningLists) -> None:
        self.document, self.lists = document, lists
        self._roots: dict[str, ScreeningRoot] | None = None
        self._empty = ScreeningRoot()
        self._section: ScreeningSection | None = None

    def section(self) -> ScreeningSection | None:
        """The matches, when some rule read `screening` (None otherwise: nothing was screened)."""
        return self._section

    def partner(self) -> Callable[[Any], ScreeningRoot | None]:
        """Reads a node view's `screening`."""
        if self._roots is None:
            self._screen()
        roots, empty = self._roots or {}, self._empty
        return lambda view: roots.get(view.node.id, empty)

    def _screen(self) -> None:
        lists = self.lists
        notorious = lists.shipped()
        watched = tuple(entry for _name, entries in lists.watchlists for entry in entries)
        self._empty = ScreeningRoot(notorious_entries=len(notorious), watchlist_entries=len(watched))
        indexes = [(NOTORIOUS, ScreeningIndex.build(notorious)), (WATCHLIST, ScreeningIndex.build(watched))]
        roots: dict[str, ScreeningRoot] = {}
        found: list[Match] = []
        for node in self.document.nodes:
            subject = None
            hits: dict[str, Hit] = {}
            for kind, index in indexes:
                if not index.entries:
                    continue
                subject = subject or subject_of(node)
                matches = index.matches(subject, lists.threshold)
                if matches:
                    hits[kind] = hit_of(matches, lists.threshold)
                    found.extend(matches)
            if hits:
                roots[node.id] = self._empty.model_copy(update=hits)
        self._roots = roots
        screened = [ScreenedList(notorious[0].list_name, NOTORIOUS, len(notorious))] if notorious else []
        screened += [ScreenedList(name, WATCHLIST, len(entries)) for name, entries in lists.watchlists]
        caveats = tuple(dict.fromkeys(m.entry.caveat for m in found if m.entry.caveat))
        self._section = ScreeningSection(lists.threshold, len(self.document.nodes), tuple(screened), tuple(found),
                                         caveats)


def bound_screening(scope: ScopeType, tables: ScreeningTables | None) -> ScopeType:
    """`scope` (node) whose `screening` root reads `tables`; other scopes unchanged."""
    if scope.reader is None or scope.name != "node":
        return scope
    return with_root(scope, "screening", (lambda: _unscreened) if tables is None else tables.partner)


def _unscreened(view: Any) -> None:
    return None


def refusals(what: str) -> Mapping[str, tuple[str, str]]:
    """The refusal of `screening` on `what` (links, products, company rules)."""
    return {"screening": (f"{what} is not screened: {REFUSED[0]}", REFUSED[1])}
