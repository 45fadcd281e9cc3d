"""The shipped list compiled from the USTR Reviews of Notorious Markets (`risk/notorious-markets/<version>.yaml`).

A released version is never edited; a correction is a new file. `load_notorious()` reads the
newest version unless one is named. The file's caveat travels with every entry, so that every
match shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from nofakes.core.errors import Diagnostic, InputError
from nofakes.core.resources import data_dir
from nofakes.screening.entries import ONLINE, PHYSICAL, Entry, Listing
from nofakes.screening.names import registrable_domain
from nofakes.supply.countries import ALPHA2

FOLDER = "notorious-markets"


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in path.stem.split("."))


def list_versions(root: Path | None = None) -> list[Path]:
    """The released list files, oldest first."""
    folder = (root if root is not None else data_dir("risk")) / FOLDER
    return sorted(folder.glob("*.yaml"), key=_version_key)


def load_notorious(path: Path | None = None) -> tuple[Entry, ...]:
    """The entries of a list file (the newest shipped version by default)."""
    if path is None:
        versions = list_versions()
        if not versions:
            raise InputError([Diagnostic(FOLDER, "no notorious-markets list is installed",
                                         expected=f"risk/{FOLDER}/<version>.yaml")])
        path = versions[-1]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Diagnostic(path.name, f"cannot read the list: {exc}")]) from None
    return _entries(data, path.name)


def _entries(data: Any, file: str) -> tuple[Entry, ...]:
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InputError([Diagnostic(file, "not a notorious-markets list", expected="a mapping with entries:")])
    caveat = str(data.get("caveat") or "").strip()
    if not caveat:
        problems.append(Diagnostic(file, "the list has no caveat", path="caveat",
                                   expected="the publisher's caveat, shown with every match"))
    list_name = f"{data.get('list', 'notorious markets')} {data.get('version', '')}".strip()
    entries: list[Entry] = []
    for number, raw in enumerate(data["entries"]):
        where = f"entries[{number}]"
        try:
            entries.append(_entry(raw, list_name, caveat))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Diagnostic(file, f"a malformed entry: {exc}", path=where,
                                       expected="id, name, kind (online or physical), listed: [{edition, url}]"))
    if problems:
        raise InputError(problems)
    return tuple(entries)


def _entry(raw: dict[str, Any], list_name: str, caveat: str) -> Entry:
    kind = raw["kind"]
    if kind not in (ONLINE, PHYSICAL):
        raise ValueError(f"kind {kind!r} is neither online nor physical")
    country = raw.get("country")
    if country is not None and country not in ALPHA2:
        raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
    domains = []
    for text in raw.get("domains", []):
        domain = registrable_domain(text)
        if domain is None:
            raise ValueError(f"{text!r} is not a domain")
        domains.append(domain)
    listings = tuple(Listing(int(item["edition"]), item.get("page"), str(item["url"]), bool(item.get("secondary")))
                     for item in raw["listed"])
    if not listings:
        raise ValueError("no edition lists it")
    return Entry(id=str(raw["id"]), name=str(raw["name"]), kind=kind, list_name=list_name,
                 aliases=tuple(str(a) for a in raw.get("aliases", [])), country=country, city=raw.get("city"),
                 domains=tuple(domains), exact_domains=bool(raw.get("exact_domains")), listings=listings,
                 caveat=caveat)
