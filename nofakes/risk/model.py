"""The counterfeit-risk model: a score per partner and per goods flow, every factor visible.

Each factor has a value between 0 and 1 and a weight in points (the profile's `weights`); a
subject's score is `100 * sum(points * value) / sum(points)`, so it runs from 0 to 100 and each
factor's contribution is its share of that sum. Factors:

- origin: where the partner is, by its country's share of seizure lines for the product classes it
  handles, relative to the origin with the most lines in that class (the top origin scores 1);
- undeclared_origin: no country given (1);
- transport: how goods reach it, by the mode's share of seizure lines relative to the top mode
  (likelihood; the most frequent inbound mode counts);
- transport_value: the same mode's seized value per line relative to the top mode (impact);
- transit: goods arrive through a transit hub or a free-trade zone (1);
- channel: an independent broker (1), a marketplace seller (0.8), a marketplace (0.6), a revoked or
  refused authorization (1), a pending one (0.5), a reseller with no authorization on record (0.5);
- incidents: its own confirmed counterfeit, falsified or illegitimate goods (1) or suspect,
  diverted or tampered goods (0.6); closed incidents count half;
- gaps (profiles from 1.1.0): the share of the partner's weighted checks that failed in an audit,
  `1 - partner score / 100`; added by the audit after its rules ran (`with_factor`, from
  `nofakes.audit.risk.audit_risk`), 0 outside one.

A flow (goods edge) is scored on the factors it carries itself: the sender's origin (for the
products on the edge), its mode and its transit. Seizures reflect where customs looks as well as
where fakes come from: the model ranks where to look first and accuses nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from operator import itemgetter
from typing import NamedTuple

from nofakes.risk.profile import Profile
from nofakes.supply.countries import COMMON_NAMES
from nofakes.supply.model import AuthorizationStatus, Document, Edge, EdgeKind, IncidentKind, IncidentStatus, Node, Role

GOODS_KINDS = frozenset(k for k in EdgeKind if k not in (EdgeKind.returns, EdgeKind.lists_on))
_CHANNEL_ROLES = {Role.broker: (1.0, "an independent broker (open market)"),
                  Role.seller: (0.8, "a marketplace seller"), Role.marketplace: (0.6, "a marketplace")}
_RESELLERS = frozenset({Role.distributor, Role.wholesaler, Role.retailer, Role.seller, Role.importer})
_AUTHORIZATION = {AuthorizationStatus.revoked: 1.0, AuthorizationStatus.unauthorized: 1.0,
                  AuthorizationStatus.pending: 0.5}
_CONFIRMED = frozenset({IncidentKind.counterfeit, IncidentKind.falsified, IncidentKind.illegitimate})
Inbound = tuple[int, str, Edge]  # a mode's place among the profile's modes, the mode, the edge that has it
FORMULA = "score = 100 x sum(points x value) / sum(points), each factor's value between 0 and 1"
_MODE_WORDS = {"courier": "express courier", "postal": "post", "air": "air freight", "sea": "sea freight",
               "road": "road", "rail": "rail"}


class Factor(NamedTuple):
    """One factor of a score: its value (0-1), the points it adds, the evidence and its source. Immutable
    (a named tuple: an assessment makes several for each of 100,000 partners, twice as fast as a dataclass)."""

    name: str
    value: float
    points: float
    evidence: str
    source: str


_POINTS = itemgetter(Factor._fields.index("points"))  # a factor's points, read in C


class Risk(NamedTuple):
    """A partner's or a flow's score (0-100) and the factors that make it up, largest first (immutable)."""

    subject: str  # the partner id; empty for a flow (its key in RiskModel.flows names it)
    score: float
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class RiskModel:
    """The scores of every partner and every goods flow of one document; the flows are scored the
    first time they are read."""

    profile: Profile
    partners: Mapping[str, Risk]
    score_flows: Callable[[], Mapping[tuple[str, str, str], Risk]] = field(repr=False, compare=False)

    @cached_property
    def flows(self) -> Mapping[tuple[str, str, str], Risk]:
        """Each goods flow's score, by (from, to, kind)."""
        return self.score_flows()

    def ranked(self) -> list[Risk]:
        return sorted(self.partners.values(), key=lambda r: (-r.score, r.subject))


def percent(share: float) -> str:
    """A share (0-1) as a percentage with one decimal: '57.5%'."""
    return f"{share * 100:.1f}%"


def points_total(profile: Profile) -> float:
    """The sum of every factor's points (the score's denominator)."""
    return sum(w.points for w in profile.weights.values()) or 1.0


def make_factor(profile: Profile, total: float, name: str, value: float, evidence: str, source: str
                ) -> Factor | None:
    """A factor worth `value` (0-1), or None when the profile does not weigh it or it is 0."""
    weight = profile.weights.get(name)
    if weight is None or value <= 0:
        return None
    return Factor(name, round(value, 4), round(100 * weight.points * value / total, 2), evidence, source)


def with_factor(risk: Risk, factor: Factor) -> Risk:
    """`risk` with one more factor, in its place among the others (largest first, by name among equals)."""
    factors = risk.factors  # already largest first: the new factor goes where the sort would put it
    place = (-factor.points, factor.name)
    at = 0
    for existing in factors:  # a handful: a loop beats bisect with a key function
        if (-existing.points, existing.name) >= place:
            break
        at += 1
    kept = (*factors[:at], factor, *factors[at:])
    return Risk(risk.subject, round(sum(map(_POINTS, kept)), 1), kept)


class _Scorer:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.total = points_total(profile)
        self.class_of = {category.casefold(): name for name, members in profile.categories.items()
                         for category in members}
        self.top_origin = {name: max((s.share_of_lines for s in table.values()), default=0.0)
                           for name, table in profile.origins.items()}
        self.mode_share = {mode: m.share_of_lines for mode, m in profile.modes.items()}
        self.mode_value = {mode: float(m.value_per_line) for mode, m in profile.modes.items()}
        self.top_mode = max(self.mode_share.values(), default=0.0)
        self.top_value = max(self.mode_value.values(), default=0.0)
        share, value = self.mode_share, self.mode_value  # each mode's place, for `inbound`'s comparisons
        self.likely = {mode: rank for rank, mode in enumerate(sorted(share, key=lambda m: (share[m], m)))}
        self.heavy = {mode: rank for rank, mode in enumerate(sorted(value, key=lambda m: (value[m], m)))}
        self.hubs = frozenset(profile.hubs.codes)
        self.source = profile.source.title
        self.origins: dict[tuple[str | None, frozenset[str]], Factor | None] = {}
        self.mode_factors: dict[tuple[str, str], Factor | None] = {}  # (factor, mode) -> its factor, sender left out

    def factor(self, name: str, value: float, evidence: str, source: str | None = None) -> Factor | None:
        return make_factor(self.profile, self.total, name, value, evidence, source or self.source)

    def classes(self, categories: Iterable[str]) -> list[str]:
        found = sorted({self.class_of[c.casefold()] for c in categories if c.casefold() in self.class_of})
        return [c for c in found if c in self.profile.origins] or ["all"]

    def origin(self, country: str | None, categories: Iterable[str]) -> Factor | None:
        """Memoised: a large chain has few distinct (country, product categories) pairs."""
        key = (country, frozenset(categories))
        if key not in self.origins:
            self.origins[key] = self._origin(country, key[1])
        return self.origins[key]

    def _origin(self, country: str | None, categories: Iterable[str]) -> Factor | None:
        if country is None:
            unknown = self.profile.origins["all"].get("unknown")
            note = f": seizure lines of unknown origin are {percent(unknown.share_of_lines)} of all" if unknown else ""
            return self.factor("undeclared_origin", 1.0, f"no country given{note}")
        best: tuple[float, str, str] | None = None
        for name in self.classes(categories):
            top = self.top_origin.get(name, 0.0)
            share = self.profile.origins[name].get(country)
            value = share.share_of_lines / top if share and top else 0.0
            if best is None or value > best[0]:
                what = "all products" if name == "all" else name
                place = COMMON_NAMES.get(country, country)
                words = (f"{place}: {percent(share.share_of_lines)} of seizure lines of {what}" if share
                         else f"{place}: few or no seizure lines of {what}")
                best = (value, words, name)
        assert best is not None
        return self.factor("origin", best[0], best[1])

    def flow(self, edge: Edge) -> list[Factor]:
        """The mode and transit factors of one goods flow (the words name no sender: the flow's key does)."""
        modes, transit = self.inbound((edge,))
        found = self.transport_factors(modes.get(edge.to, ()), None)
        crossing = self.transit_factor(edge, None) if transit else None
        return found if crossing is None else [*found, crossing]

    def inbound(self, edges: Iterable[Edge]) -> tuple[dict[str, list[Inbound]], dict[str, Edge]]:
        """For each receiver of goods flows among `edges`: its likeliest and heaviest mode (the highest place
        by (share of lines, mode) and by (value per line, mode), the first edge of a tie), and its first flow
        through a transit hub or a free-trade zone. One loop, the hot one of large chains: nothing is called
        per edge."""
        modes: dict[str, list[Inbound]] = {}
        transit: dict[str, Edge] = {}
        goods, likely, heavy, hubs = GOODS_KINDS, self.likely, self.heavy, self.hubs
        for edge in edges:
            shipping = edge.shipping
            if shipping is None or edge.kind not in goods:
                continue
            receiver = edge.to
            given = shipping.mode
            mode = "" if given is None else given._value_
            first = likely.get(mode)
            if first is not None:
                best = modes.get(receiver)
                if best is None:
                    modes[receiver] = [(first, mode, edge), (heavy[mode], mode, edge)]
                else:
                    if first > best[0][0]:
                        best[0] = (first, mode, edge)
                    second = heavy[mode]
                    if second > best[1][0]:
                        best[1] = (second, mode, edge)
            if receiver not in transit and (shipping.free_trade_zone or not hubs.isdisjoint(shipping.via)):
                transit[receiver] = edge
        return modes, transit

    def transport_factors(self, best: Sequence[Inbound], names: Mapping[str, str] | None) -> list[Factor]:
        """The factors of a partner's likeliest and heaviest inbound modes (`inbound`; none: empty)."""
        if not best:
            return []
        likely, heavy = best
        found = []
        for name, (_amount, mode, edge) in (("transport", likely), ("transport_value", heavy)):
            key = (name, mode)
            if key not in self.mode_factors:
                self.mode_factors[key] = self._mode_factor(name, mode)
            made = self.mode_factors[key]
            if made is not None:
                by = made.evidence  # 'by sea freight: ...'
                what = f"goods from {names.get(edge.from_, edge.from_)} arrive " if names is not None else "goods go "
                found.append(Factor(name, made.value, made.points, what + by, made.source))
        return found

    def _mode_factor(self, name: str, mode: str) -> Factor | None:
        """The factor `name` (transport or transport_value) of a flow by `mode`, its evidence without the
        sender ('by sea freight: 12.0% of seizure lines'); None when the profile finds nothing."""
        by = f"by {_MODE_WORDS.get(mode, mode)}"
        if name == "transport":
            share = self.mode_share[mode]
            value, words = (share / self.top_mode if self.top_mode else 0.0), f"{by}: {percent(share)} of seizure lines"
        else:
            per_line = self.mode_value[mode]
            value = per_line / self.top_value if self.top_value else 0.0
            words = f"{by}: ${per_line:,.0f} seized value per line"
        return self.factor(name, value, words)

    def transit_factor(self, edge: Edge, names: Mapping[str, str] | None) -> Factor | None:
        shipping = edge.shipping
        assert shipping is not None
        hubs = [COMMON_NAMES.get(c, c) for c in shipping.via if c in self.hubs]
        through = ", ".join(hubs) + (" (a transit hub)" if len(hubs) == 1 else " (transit hubs)") if hubs else ""
        zone = "a free-trade zone" if shipping.free_trade_zone else ""
        what = f"goods from {names.get(edge.from_, edge.from_)}" if names is not None else "goods"
        places = " and ".join(p for p in (through, zone) if p)
        return self.factor("transit", 1.0, f"{what} pass through {places}", self.profile.hubs.source if hubs else None)

    def channel(self, node: Node) -> Factor | None:
        options: list[tuple[float, str]] = []
        if node.role in _CHANNEL_ROLES:
            options.append(_CHANNEL_ROLES[node.role])
        grants = node.all_authorizations  # format 1.1: several; one in force is enough
        if grants and not any(g.status is AuthorizationStatus.authorized for g in grants):
            worst = max(grants, key=lambda g: _AUTHORIZATION.get(g.status, 0.0))
            if worst.status in _AUTHORIZATION:
                options.append((_AUTHORIZATION[worst.status], f"its authorization is {worst.status.value}"))
        elif not grants and node.role in _RESELLERS:
            options.append((0.5, "a reseller with no authorization on record"))
        if not options:
            return None
        value, words = max(options)
        return self.factor("channel", value, words, "the partner's role and authorization in the supply file")

    def incidents(self, node: Node) -> Factor | None:
        best: tuple[float, str] | None = None
        for incident in node.incidents:
            value = 1.0 if incident.kind in _CONFIRMED else 0.6
            if incident.status is IncidentStatus.closed:
                value /= 2
            words = f"incident {incident.id}: {incident.kind.value} goods, {incident.status.value}"
            if best is None or value > best[0]:
                best = (value, words)
        if best is None:
            return None
        count = len(node.incidents)
        more = f" ({count} incidents)" if count > 1 else ""
        return self.factor("incidents", best[0], best[1] + more, "the partner's incidents in the supply file")


def _order(factor: Factor) -> tuple[float, str]:
    """Largest first; by name among equals."""
    return -factor.points, factor.name


def _risk(subject: str, factors: Iterable[Factor | None]) -> Risk:
    kept = tuple(sorted((f for f in factors if f is not None), key=_order))
    return Risk(subject, round(sum(map(_POINTS, kept)), 1), kept)


def score_document(document: Document, profile: Profile, categories: Mapping[str, Iterable[str]]) -> RiskModel:
    """Scores of every partner, and of every goods flow when first read (`RiskModel.flows`: an audit
    whose rules read no flow's risk never scores them). `categories` maps a partner id to the product
    categories it handles (its own products and those on its goods edges); one pass over nodes and edges."""
    scorer = _Scorer(profile)
    transport, transit = scorer.inbound(document.edges)
    names = {n.id: n.name for n in document.nodes}
    partners = {}
    for node in document.nodes:
        nid = node.id
        crossing = transit.get(nid)
        factors = scorer.transport_factors(transport.get(nid, ()), names)  # the ones a partner has
        for factor in (scorer.origin(node.country, categories.get(nid, ())),
                       scorer.transit_factor(crossing, names) if crossing is not None else None,
                       scorer.channel(node), scorer.incidents(node) if node.incidents else None):
            if factor is not None:
                factors.append(factor)
        if len(factors) > 1:
            factors.sort(key=_order)
        partners[nid] = Risk(nid, round(sum(map(_POINTS, factors)), 1), tuple(factors))
    return RiskModel(profile, partners, partial(_score_flows, document, scorer, categories))


def _score_flows(document: Document, scorer: _Scorer, categories: Mapping[str, Iterable[str]]
                 ) -> dict[tuple[str, str, str], Risk]:
    """Every goods flow's own factors: the sender's origin (for the products on the edge, else those the
    sender handles), the flow's mode and its transit."""
    countries = {n.id: n.country for n in document.nodes}
    category_of = {p.id: p.category for p in document.products if p.category}
    flows: dict[tuple[str, str, str], Risk] = {}
    # a flow's factors depend only on what the key holds: a large chain has few distinct keys
    memo: dict[tuple[object, ...], Risk] = {}
    carries: dict[tuple[str, ...], frozenset[str]] = {}  # the categories of a product list
    goods = GOODS_KINDS
    for edge in document.edges:
        if edge.kind not in goods:
            continue
        source = edge.from_
        products = tuple(edge.products)
        carried = carries.get(products)
        if carried is None:
            carried = carries[products] = frozenset(category_of[p] for p in products if p in category_of)
        if not carried:
            carried = frozenset(categories.get(source, ()))
        shipping = edge.shipping
        origin = countries.get(source)
        key: tuple[object, ...] = (origin, carried) if shipping is None else \
            (origin, carried, shipping.mode, tuple(shipping.via), shipping.free_trade_zone)
        shared = memo.get(key)
        if shared is None:
            shared = memo[key] = _risk("", [scorer.origin(origin, carried), *scorer.flow(edge)])
        flows[(source, edge.to, edge.kind._value_)] = shared  # a flow's Risk names no subject: its key does
    return flows
