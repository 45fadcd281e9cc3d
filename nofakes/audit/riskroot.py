"""The `risk` root of node and edge rules: the counterfeit risk the audit computed (nofakes.risk).

- node rules read `risk.score` (0-100), `risk.exposure` (0-100: how much risk reaches the partner
  from upstream) and `risk.factors.NAME` (the factor's value, 0-1; 0 when the factor is absent);
- edge rules read `risk.score` and `risk.factors.NAME` of the goods flow the edge is (a `lists_on`
  or `returns` edge is no flow: its risk is absent, "no evidence");
- product and company rules have no risk (an error naming where it can be read).

The rules run before the audit knows its own gaps, so the scores rules read are the profile's
factors without `gaps` (which counts 0); reading `risk.factors.gaps` is an error that says so.
A factor reads as its value, not its points: "origin at least 0.8" means the same whatever weights
a profile gives. The views are unchanged: the root is read through the scope each rule is compiled
against (`bound`), from tables built the first time a rule reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from nofakes.risk.model import Risk
from nofakes.rules.fields import ScopeType, with_root


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartnerFactors(_Frozen):
    """The factors of a partner, each 0-1 (0 when the profile finds nothing)."""

    origin: float = 0.0
    undeclared_origin: float = 0.0
    transport: float = 0.0
    transport_value: float = 0.0
    transit: float = 0.0
    channel: float = 0.0
    incidents: float = 0.0


class FlowFactors(_Frozen):
    """The factors of a goods flow, each 0-1 (0 when the profile finds nothing)."""

    origin: float = 0.0
    transport: float = 0.0
    transport_value: float = 0.0
    transit: float = 0.0


class PartnerRiskRoot(_Frozen):
    """What a node rule reads as `risk`."""

    score: float
    exposure: float
    factors: PartnerFactors


class FlowRiskRoot(_Frozen):
    """What an edge rule reads as `risk` (goods edges only)."""

    score: float
    factors: FlowFactors


_WHERE = ("risk.* in a node rule (a partner's risk.score, risk.exposure, risk.factors.NAME) or an edge rule "
          "(a goods flow's risk.score, risk.factors.NAME)")
_GAPS = ("risk.factors.gaps is this audit's own failed checks, known only after the rules ran: rules read "
         "the score without it", "a factor of the risk profile: " + ", ".join(PartnerFactors.model_fields))
REFUSED_NODE = {"risk.factors.gaps": _GAPS}
REFUSED_EDGE = {"risk.factors.gaps": _GAPS,
                "risk.exposure": ("exposure is how much risk reaches a partner, not a flow",
                                  "risk.score or risk.factors.NAME of the flow; a node rule reads risk.exposure")}


def refused_elsewhere(what: str) -> dict[str, tuple[str, str]]:
    """The refusal of `risk` on `what` (products, company rules), which has no computed risk."""
    return {"risk": (f"{what} has no computed risk", _WHERE)}


class RiskTables:
    """The `risk` values of one audit, built on first use from its assessment's scores."""

    def __init__(self, partners: Mapping[str, Risk], exposure: Mapping[str, float],
                 flows: Callable[[], Mapping[tuple[str, str, str], Risk]]) -> None:
        """`flows` gives the flows' scores: called only when an edge rule reads `risk`."""
        self._partners, self._exposure, self._flows = partners, exposure, flows
        self._nodes: dict[str, PartnerRiskRoot] | None = None
        self._edges: dict[tuple[str, str, str], FlowRiskRoot] | None = None

    def partner(self) -> Callable[[Any], PartnerRiskRoot | None]:
        """Reads a node view's `risk`."""
        if self._nodes is None:
            exposure = self._exposure
            factors = _Factors(PartnerFactors)
            self._nodes = {
                partner: PartnerRiskRoot.model_construct(
                    None, score=risk.score, exposure=round(100 * exposure.get(partner, 0.0), 1),
                    factors=factors.of(risk))
                for partner, risk in self._partners.items()}
        table = self._nodes
        return lambda view: table.get(view.node.id)

    def flow(self) -> Callable[[Any], FlowRiskRoot | None]:
        """Reads an edge view's `risk` (None for an edge that is no goods flow)."""
        if self._edges is None:
            factors = _Factors(FlowFactors)
            self._edges = {key: FlowRiskRoot.model_construct(None, score=risk.score, factors=factors.of(risk))
                           for key, risk in self._flows().items()}
        table = self._edges
        return lambda view: table.get((view.edge.from_, view.edge.to, view.edge.kind._value_))


class _Factors:
    """One factors record per distinct set of factor values (most partners share theirs with others)."""

    def __init__(self, model: type[PartnerFactors] | type[FlowFactors]) -> None:
        self.model, self.names = model, frozenset(model.model_fields)
        self.made: dict[tuple[tuple[str, float], ...], Any] = {}

    def of(self, risk: Risk) -> Any:
        key = tuple((f.name, f.value) for f in risk.factors if f.name in self.names)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = self.model.model_construct(None, **dict(key))
        return made


def _absent(view: Any) -> None:
    """What `risk` reads in an audit without an assessment (never run: the audit refuses such rules)."""
    return None


def bound(scope: ScopeType, tables: RiskTables | None, reads: Callable[[], None]) -> ScopeType:
    """`scope` (node or edge) whose `risk` root reads `tables`; `reads` is called when a rule reads it.

    Paths below `risk` are models all the way, so `field` always reads them through the scope's
    reader: the views and every other root keep their getters."""
    if scope.reader is None or scope.name not in ("node", "edge"):
        return scope

    def read() -> Callable[[Any], Any]:
        reads()
        if tables is None:
            return _absent
        return tables.partner() if scope.name == "node" else tables.flow()

    return with_root(scope, "risk", read)
