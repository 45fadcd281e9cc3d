"""Waivers, judged in one place against `as_of`.

A waiver is active through its expiry date (`expires >= as_of`). Active waivers turn a
failing finding into `waived` (left out of scores); expired waivers count as absent and are
reported; active waivers that matched no failing finding are reported as unused (a warning).
A waiver naming a rule that no selected pack has, and a waiver given twice for the same rule
and target, are warnings too; of duplicates the first one in force applies. (A target that
names nothing in the supply chain is a loading warning: `nofakes.supply.validation`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from nofakes.audit.findings import AppliedWaiver
from nofakes.core.errors import Diagnostic, did_you_mean
from nofakes.sources import formats
from nofakes.supply.loading import LoadedSupply
from nofakes.supply.model import Waiver


def is_active(waiver: Waiver, as_of: dt.date) -> bool:
    """The one expiry test used everywhere."""
    return waiver.expires >= as_of


@dataclass
class WaiverBook:
    as_of: dt.date
    active: dict[tuple[str, str], Waiver] = field(default_factory=dict)
    expired: list[Waiver] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)
    duplicates: list[tuple[Waiver, Waiver]] = field(default_factory=list)  # (first, repeated)
    duplicate_at: list[tuple[int, int]] = field(default_factory=list)  # their indices in the waiver list

    @classmethod
    def from_waivers(cls, waivers: list[Waiver], as_of: dt.date) -> WaiverBook:
        book = cls(as_of)
        first: dict[tuple[str, str], int] = {}
        for index, waiver in enumerate(waivers):
            key = (waiver.rule, waiver.target)
            if key in first:
                book.duplicates.append((waivers[first[key]], waiver))
                book.duplicate_at.append((first[key], index))
            else:
                first[key] = index
            if is_active(waiver, as_of):
                book.active.setdefault(key, waiver)
            else:
                book.expired.append(waiver)
        return book

    def match(self, rule_id: str, subject: str) -> AppliedWaiver | None:
        """The active waiver covering this failing (rule, subject), most specific first."""
        for key in ((rule_id, subject), (rule_id, "*")):
            waiver = self.active.get(key)
            if waiver is not None:
                self.used.add(key)
                return AppliedWaiver(waiver.rule, waiver.target, waiver.reason, waiver.approved_by, waiver.expires)
        return None

    def unused(self) -> list[Waiver]:
        return [w for key, w in self.active.items() if key not in self.used]


def waiver_warnings(book: WaiverBook, loaded: LoadedSupply, rule_ids: Iterable[str],
                    run: Collection[str] | None = None) -> list[Diagnostic]:
    """Every waiver warning of an audit, after evaluation (so `unused` is known); `run`: the rule ids
    evaluated when only some were (a waiver of a rule not run is not "unused")."""
    out: list[Diagnostic] = []
    known = list(dict.fromkeys(rule_ids))
    selected = set(known)
    for index, waiver in enumerate(loaded.document.waivers):
        if waiver.rule not in selected:
            out.append(_at(loaded, index, "rule",
                           f"waiver for {waiver.rule} on {waiver.target}: no selected pack has rule {waiver.rule}, "
                           "so it waives nothing", hint=did_you_mean(waiver.rule, known)))
    for (first, repeated), (first_index, index) in zip(book.duplicates, book.duplicate_at, strict=True):
        where = _at(loaded, first_index, "rule", "")
        out.append(_at(loaded, index, "rule",
                       f"waiver for {repeated.rule} on {repeated.target} is given twice: here (approved by "
                       f"{repeated.approved_by}, expires {repeated.expires.isoformat()}) and at {where.location()} "
                       f"(approved by {first.approved_by}, expires {first.expires.isoformat()}); "
                       "the first one in force applies"))
    for waiver in book.expired:
        out.append(Diagnostic("waivers", f"waiver for {waiver.rule} on {waiver.target} expired on "
                                         f"{waiver.expires.isoformat()}; its findings count again", level="warning"))
    for waiver in book.unused():
        if waiver.rule not in selected or (run is not None and waiver.rule not in run):
            continue  # already said: its rule is in no selected pack; or its rule was not run
        out.append(Diagnostic("waivers", f"waiver for {waiver.rule} on {waiver.target} matches no failing finding",
                              level="warning"))
    return out


def _at(loaded: LoadedSupply, index: int, key: str, message: str, hint: str | None = None) -> Diagnostic:
    """A warning located at `waivers[index].key` in the file the waiver came from."""
    origins = loaded.origins.get("waivers")
    if not origins or index >= len(origins):
        return Diagnostic("waivers", message, path=f"waivers[{index}].{key}", hint=hint, level="warning")
    origin = loaded.origins["waivers"][index]
    source = loaded.sources[origin.source]
    line, col = formats.locate(source.text, ["waivers", origin.index, key])
    return Diagnostic(source.display, message, path=f"waivers[{origin.index}].{key}", line=line, column=col,
                      hint=hint, level="warning")
