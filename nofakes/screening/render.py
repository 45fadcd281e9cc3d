"""Screening results as text for a terminal and as JSON; every match carries its list's caveat."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nofakes.core.text import count_of, safe_text
from nofakes.screening.entries import ONLINE, PHYSICAL, Entry
from nofakes.screening.index import Match

KIND_WORDS = {ONLINE: "online market", PHYSICAL: "physical market"}


@dataclass(frozen=True)
class Screening:
    matches: tuple[Match, ...]
    screened: int  # partners screened
    lists: tuple[tuple[str, int], ...]  # (list name, entries)
    threshold: float


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id, "name": entry.name, "list": entry.list_name, "kind": entry.kind,
        "aliases": list(entry.aliases), "country": entry.country, "city": entry.city, "domains": list(entry.domains),
        "editions": list(entry.editions),
        "sources": [{"edition": x.edition, "page": x.page, "url": x.url, "secondary": x.secondary}
                    for x in entry.listings],
        "source": entry.source_text(), "reason": entry.reason, "caveat": entry.caveat,
    }


def match_json(match: Match) -> dict[str, Any]:
    """A match's entry, score, fields and the texts that matched (the partner is each caller's)."""
    return {"entry": entry_json(match.entry), "score": match.score.value, "fields": list(match.score.fields),
            "matched": {"partner": match.score.partner_text, "entry": match.score.entry_text}}


def to_json(result: Screening) -> str:
    document = {
        "threshold": result.threshold,
        "screened": result.screened,
        "lists": [{"name": name, "entries": count} for name, count in result.lists],
        "matches": [{"partner": {"id": m.subject.id, "name": m.subject.name, "country": m.subject.country},
                     **match_json(m)} for m in result.matches],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _entry_line(entry: Entry) -> str:
    kind = KIND_WORDS.get(entry.kind, "watch-list entry")
    parts = [f"{entry.name}: {kind}, {entry.list_name}"]
    if entry.editions:
        parts.append("editions " + ", ".join(str(e) for e in entry.editions))
    place = ", ".join(p for p in (entry.city, entry.country) if p)
    if place:
        parts.append(place)
    if entry.domains:
        parts.append(", ".join(entry.domains))
    return "; ".join(parts)


def to_terminal(result: Screening) -> str:
    lists = ", ".join(f"{name} ({count_of(count, 'entry', 'entries')})" for name, count in result.lists) or "none"
    lines = [f"{count_of(len(result.matches), 'match', 'matches')} among "
             f"{count_of(result.screened, 'partner')} (threshold {result.threshold:g}; lists: {lists})"]
    for m in result.matches:
        where = f", {m.subject.country}" if m.subject.country else ""
        lines += [
            "",
            f"{m.subject.name} (id {m.subject.id}{where})",
            f"  resembles {_entry_line(m.entry)}",
            f"  score {m.score.value:.2f}; matched: {', '.join(m.score.fields)} "
            f"(\"{m.score.partner_text}\" ~ \"{m.score.entry_text}\")",
        ]
        if m.entry.reason:
            lines.append(f"  reason: {m.entry.reason}")
        lines.append(f"  source: {m.entry.source_text()}")
        if m.entry.caveat:
            lines.append(f"  caveat: {m.entry.caveat}")
    return "\n".join(safe_text(line, 2000) for line in lines) + "\n"
