"""Cross references of a supply-chain document: the checks across records that the models cannot make.

Every problem is located (`file:line:col`, in the file that holds it) and reported with all the
others: duplicate ids, edges to unknown nodes, self-loops, duplicate edges, unknown product ids,
unknown grantors (of `authorization` and of each of `authorizations`), notified parties that are
no partner, a `region` outside the partner's `country`, a licence jurisdiction that is no ISO
3166-2 subdivision, format 1.1 keys in a file that declares format "1"; and, as warnings, waivers
naming unknown targets, incident lots that no edge carries (when edges list lots), and former ISO 3166-2
codes (with their successor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nofakes.core.errors import Diagnostic, did_you_mean, format_path
from nofakes.sources import formats
from nofakes.supply.base import former_code, region_problem
from nofakes.supply.countries import ALPHA2
from nofakes.supply.origins import Origin, Source
from nofakes.supply.subdivisions import former_codes
from nofakes.supply.validation import locate_source
from nofakes.supply.versions import uses_newer_fields

Loc = tuple[str | int, ...]


class _Reporter:
    def __init__(self, origins: dict[str, list[Origin]], sources: Sequence[Source]):
        self.origins, self.sources = origins, sources
        self.out: list[Diagnostic] = []

    def __call__(self, loc: Loc, message: str, expected: str | None = None,
                 hint: str | None = None, level: str = "error", key: bool = False) -> None:
        source, local = locate_source(loc, self.origins)
        text = self.sources[source].text
        line, col = formats.locate(text, local, key=key)
        self.out.append(Diagnostic(self.sources[source].display, message, path=format_path(local), line=line,
                                   column=col, expected=expected, hint=hint, level=level))


def _ids(items: list[Any], what: str, report: _Reporter, list_name: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = report.origins[list_name][seen[ident]]
            where = report.sources[first.source].display
            report((list_name, i, "id"),
                   f"duplicate {what} id {ident!r} (first used at {where} {list_name}[{first.index}])",
                   expected=f"unique {what} ids")
        else:
            seen[ident] = i
    return seen


def _records(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, record) of the mappings in a list; nothing for other shapes (model errors).

    A generator, not a list: a list of 100k pairs held at once would wake the garbage collector."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _texts(value: Any) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield i, item


def check_format(merged: dict[str, Any], report: _Reporter) -> None:
    """Keys newer than the format the file declares: each at the key, with the version it needs."""
    version = merged.get("nofakes")
    if not isinstance(version, str):
        return
    for loc, key, needed in uses_newer_fields(merged, version):
        report(loc, f"{key!r} is new in format {needed}, but the file declares format {version}",
               expected=f"nofakes: \"{needed}\" at the top of the root file (format {needed} reads every "
                        f"format {version} file unchanged)", key=True)


def _former(loc: Loc, code: str, report: _Reporter) -> None:
    """A warning for a former ISO 3166-2 code (accepted: supplier data keeps them for years)."""
    problem = former_code(code)
    if problem is not None:
        successor = former_codes()[code]
        report(loc, problem, expected="a current ISO 3166-2 code", level="warning",
               hint=f"write {successor}" if successor else None)


def check_region(loc: Loc, record: dict[str, Any], report: _Reporter) -> None:
    """The region lies in the record's country (its own validity is the model's check); a former code is a warning."""
    region, country = record.get("region"), record.get("country")
    if not isinstance(region, str) or region_problem(region) is not None:
        return
    _former((*loc, "region"), region, report)
    if isinstance(country, str) and country in ALPHA2 and region[:2] != country:
        report((*loc, "region"), f"region {region} is not in the country {country}",
               expected=f"a subdivision of {country} (such as {country}-...), or the country {region[:2]}")


def check_jurisdiction(loc: Loc, licence: dict[str, Any], version: Any, report: _Reporter) -> None:
    """A licence's jurisdiction names a real country and, when it has one, a real subdivision.

    An error in format 1.1, where a former code is a warning; in format 1, whose files stay valid
    and quiet as they were, an unknown code is a warning and a former one is accepted.
    """
    code = licence.get("jurisdiction")
    if not isinstance(code, str) or len(code) < 2:
        return
    level = "error" if version != "1" else "warning"
    if code[:2] not in ALPHA2:
        report((*loc, "jurisdiction"), f"jurisdiction {code} does not start with an ISO 3166-1 country code",
               expected="a country code such as US, or a subdivision code such as US-NJ", level=level)
    elif len(code) > 2:
        problem = region_problem(code)
        if problem is not None:
            report((*loc, "jurisdiction"), problem, expected="an ISO 3166-2 subdivision code, or the country alone",
                   level=level)
        elif version != "1":
            _former((*loc, "jurisdiction"), code, report)


def cross_reference(merged: dict[str, Any], origins: dict[str, list[Origin]],
                    sources: Sequence[Source]) -> list[Diagnostic]:
    """Checks across the document that the models cannot make. Defensive about shapes."""
    report = _Reporter(origins, sources)
    check_format(merged, report)
    nodes = [n for n in merged.get("nodes") or []] if isinstance(merged.get("nodes"), list) else []
    products: list[Any] = merged["products"] if isinstance(merged.get("products"), list) else []
    edges: list[Any] = merged["edges"] if isinstance(merged.get("edges"), list) else []
    waivers: list[Any] = merged["waivers"] if isinstance(merged.get("waivers"), list) else []
    node_ids = _ids(nodes, "node", report, "nodes")
    product_ids = _ids(products, "product", report, "products")
    company: dict[str, Any] = merged["company"] if isinstance(merged.get("company"), dict) else {}
    party_ids = set(node_ids) | ({company["id"]} if isinstance(company.get("id"), str) else set())
    version = merged.get("nofakes")
    check_region(("company",), company, report)

    def check_products(loc: Loc, refs: Any) -> None:
        for j, ref in _texts(refs):
            if ref not in product_ids:
                report((*loc, j), f"unknown product {ref!r}", expected="a product id from products:",
                       hint=did_you_mean(ref, product_ids))

    def check_party(loc: Loc, ref: Any, what: str) -> None:
        if isinstance(ref, str) and ref not in party_ids:
            report(loc, f"unknown {what} {ref!r}", expected="the id of a node or of the company",
                   hint=did_you_mean(ref, party_ids))

    def check_authorization(loc: Loc, auth: dict[str, Any]) -> None:
        check_products((*loc, "scope"), auth.get("scope"))
        check_party((*loc, "granted_by"), auth.get("granted_by"), "grantor")

    lots = _edge_lots(edges)
    for i, node in _records(nodes):
        check_products(("nodes", i, "products"), node.get("products"))
        check_region(("nodes", i), node, report)
        if isinstance(node.get("authorization"), dict):
            check_authorization(("nodes", i, "authorization"), node["authorization"])
        for k, auth in _records(node.get("authorizations")):
            check_authorization(("nodes", i, "authorizations", k), auth)
        for k, licence in _records(node.get("licenses")):
            check_jurisdiction(("nodes", i, "licenses", k), licence, version, report)
        for k, incident in _records(node.get("incidents")):
            loc = ("nodes", i, "incidents", k)
            check_products((*loc, "products"), incident.get("products"))
            for n, notice in _records(incident.get("notified")):
                check_party((*loc, "notified", n, "party"), notice.get("party"), "notified party")
            if lots:
                for n, lot in _texts(incident.get("lots")):
                    if lot not in lots:
                        report((*loc, "lots", n), f"lot {lot!r} is on no edge of the file",
                               expected="a lot listed on an edge (`lots:`), as the incident's lots travel",
                               hint=did_you_mean(lot, sorted(lots)), level="warning")
    _check_edges(edges, node_ids, report, check_products)
    _check_waivers(waivers, edges, node_ids, product_ids, company, report)
    return report.out


def _edge_lots(edges: list[Any]) -> set[str]:
    """Every lot some edge lists (most edges list none: one dict lookup each)."""
    lots: set[str] = set()
    for edge in edges:
        found = edge.get("lots") if isinstance(edge, dict) else None
        if found and isinstance(found, list):
            lots.update(lot for lot in found if isinstance(lot, str))
    return lots


def _check_edges(edges: list[Any], node_ids: dict[str, int], report: _Reporter,
                 check_products: Callable[[Loc, Any], None]) -> None:
    edge_keys: dict[tuple[Any, Any, Any], int] = {}
    for i, edge in _records(edges):
        source, target = edge.get("from"), edge.get("to")
        for end, ref in (("from", source), ("to", target)):
            if isinstance(ref, str) and ref not in node_ids:
                report(("edges", i, end), f"edge {end} unknown node {ref!r}", expected="a node id from nodes:",
                       hint=did_you_mean(ref, node_ids))
        if isinstance(source, str) and source == target:
            report(("edges", i, "to"), f"self-loop: edge from {source!r} to itself",
                   expected="an edge between two different nodes")
        key = (source, target, edge.get("kind"))
        if all(isinstance(k, str) for k in key):  # other shapes are model errors (and may be unhashable)
            if key in edge_keys:
                report(("edges", i), f"duplicate edge {source}->{target} ({edge.get('kind')}), "
                       f"first at edges[{edge_keys[key]}]",
                       expected="one edge per (from, to, kind); list several products on it instead")
            edge_keys.setdefault(key, i)
        check_products(("edges", i, "products"), edge.get("products"))


def _check_waivers(waivers: list[Any], edges: list[Any], node_ids: dict[str, int], product_ids: dict[str, int],
                   company: dict[str, Any], report: _Reporter) -> None:
    edge_pairs: set[str] = set()
    if any(isinstance(w, dict) and "->" in str(w.get("target")) for w in waivers):
        edge_pairs = {f"{e['from']}->{e['to']}" for _, e in _records(edges)
                      if isinstance(e.get("from"), str) and isinstance(e.get("to"), str)}
    for i, waiver in _records(waivers):
        target = waiver.get("target")
        if not isinstance(target, str) or target == "*":
            continue
        # a waiver that can match nothing is a warning (README: Scores), not a reason to refuse the file
        if "->" in target:
            if target not in edge_pairs:
                source, _, sink = target.partition("->")
                reverse = f"{sink}->{source}"
                hint = (f"did you mean {reverse!r}? (goods flow that way)" if reverse in edge_pairs
                        else did_you_mean(target, edge_pairs))
                report(("waivers", i, "target"), f"waiver names unknown edge {target!r}, so it waives nothing",
                       expected="'from->to' of an existing edge", hint=hint, level="warning")
        elif target not in node_ids and target not in product_ids and target != company.get("id"):
            report(("waivers", i, "target"), f"waiver names unknown target {target!r}, so it waives nothing",
                   expected="a node id, 'from->to' edge, product id, the company id or '*'",
                   hint=did_you_mean(target, [*node_ids, *product_ids]), level="warning")
