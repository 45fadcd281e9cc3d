"""The `screening` key of a fixture file or case: what rules reading `screening.*` see in its audits.

    screening:
      watchlist: [{name: Acme Fakes Ltd, country: CN, aliases: "Acme Fake; AF", reason: ..., source: ...}]
      notorious: true     # screen against the shipped notorious-markets list (default true)
      threshold: 0.85     # the similarity from which a name resembles a listed one

A case's own `screening` replaces its file's. Every mistake is reported through `bad` (located).
"""

from __future__ import annotations

from typing import Any

from nofakes.audit.screening import ScreeningLists
from nofakes.screening.scoring import DEFAULT_THRESHOLD
from nofakes.screening.watchlist import COLUMNS, COUNTRY_EXPECTED, watch_entry
from nofakes.supply.countries import country_code

SCREENING_KEYS = ("watchlist", "notorious", "threshold")
WATCH_KEYS = COLUMNS  # the columns of a watch-list file
LIST_NAME = "the fixture's watch list"


def screening_of(data: dict[str, Any], loc: list[str | int], default: ScreeningLists | None,
               bad: Any) -> ScreeningLists | None:
    """The `screening` of a file or case: inline watch-list rows, the shipped list or not, the threshold."""
    if "screening" not in data:
        return default
    raw = data["screening"]
    if not isinstance(raw, dict):
        bad(loc, f"found {raw!r}"[:120], "a mapping of " + ", ".join(SCREENING_KEYS))
        return default
    for key in sorted(set(map(str, raw)) - set(SCREENING_KEYS)):
        bad([*loc, key], f"unknown key {key!r}", "one of: " + ", ".join(SCREENING_KEYS), True)
    notorious = raw.get("notorious", True)
    if not isinstance(notorious, bool):
        bad([*loc, "notorious"], f"found {notorious!r}", "true or false")
    threshold = raw.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        bad([*loc, "threshold"], f"found {threshold!r}", "a number above 0 and at most 1")
        threshold = DEFAULT_THRESHOLD
    rows = raw.get("watchlist", [])
    if not isinstance(rows, list):
        bad([*loc, "watchlist"], f"found {rows!r}"[:120], "a list of entries: name, country, aliases, reason, source")
        rows = []
    entries = []
    for number, row in enumerate(rows):
        at = [*loc, "watchlist", number]
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
            bad(at, f"found {row!r}"[:120], "an entry with a name (and country, aliases, reason, source)")
            continue
        for key in sorted(set(map(str, row)) - set(WATCH_KEYS)):
            bad([*at, key], f"unknown key {key!r}", "one of: " + ", ".join(WATCH_KEYS), True)
        texts = {key: str(row[key]) if row.get(key) is not None else None for key in WATCH_KEYS}
        country = country_code(texts["country"]) if texts["country"] else None
        if texts["country"] and country is None:
            bad([*at, "country"], f"unknown country {texts['country']!r}", COUNTRY_EXPECTED)
        entries.append(watch_entry(f"watchlist:{number + 1}", LIST_NAME, texts["name"] or "",
                                   country, texts["aliases"], texts["reason"], texts["source"]))
    shipped = None if notorious is not False else ()
    return ScreeningLists(shipped, ((LIST_NAME, tuple(entries)),) if entries else (), float(threshold))
