"""The supply-chain document (formats "1" and "1.1") as frozen pydantic v2 models.

These models are the single source of truth for the format: the published JSON Schema
(`schemas/supply-chain.schema.json`) is generated from them (`nofakes schema supply`), and a
test fails when the committed schema differs from a fresh generation. The partner and its
records are in nofakes.supply.partners, the closed lists in nofakes.supply.enums, the value
types in nofakes.supply.base; every model is importable from here.

Conventions:
- every model is frozen and forbids unknown keys, except the free-form `attributes` maps;
- an optional field that is absent is `None` (or an empty list): rules treat that as
  "no evidence", never as a pass;
- dates are real `datetime.date` values (YAML dates or ISO strings in JSON), and so is ISO date
  text under `attributes`; the audit date must be plausible (see nofakes.supply.values);
- whole numbers have at most 15 digits (the readers, nofakes.sources) and numbers are finite;
- a field added by format 1.1 is marked with `since_format("1.1", ...)`: a file that declares
  `nofakes: "1"` and uses it is told to declare "1.1" (nofakes.supply.versions).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, Strict

from nofakes.supply.base import ID_PATTERN, Attributes, AuditDate, Country, Identifier, Region, since_format
from nofakes.supply.base import Strict as _Strict
from nofakes.supply.enums import (
    AuditKind,
    AuditResult,
    AuthorizationStatus,
    EdgeKind,
    IncidentKind,
    IncidentStatus,
    RiskLevel,
    Role,
    Severity,
    ShippingMode,
    TraceLevel,
)
from nofakes.supply.partners import (
    Audit,
    Authorization,
    Certification,
    Contract,
    DueDiligence,
    Incident,
    License,
    Lot,
    Node,
    Notification,
    Programs,
    Report,
    SellerVerification,
    Traceability,
)

__all__ = [
    "FORMAT_VERSIONS", "ID_PATTERN", "MERGED_LISTS", "Attributes", "Audit", "AuditDate", "AuditKind", "AuditResult",
    "Authorization", "AuthorizationStatus", "Certification", "Company", "Contract", "Country", "Document",
    "Documents", "DueDiligence", "Edge", "EdgeKind", "Fragment", "Identifier", "Incident", "IncidentKind",
    "IncidentStatus", "Inspection", "License", "Lot", "Node", "Notification", "Product", "Programs", "Region",
    "Report", "RiskLevel", "Role", "Scalar", "SellerVerification", "Severity", "Shipping", "ShippingMode",
    "Traceability", "TraceLevel", "Trademark", "Waiver",
]

FORMAT_VERSIONS = ("1", "1.1")  # the versions `nofakes:` may declare, oldest first
FormatVersion = Literal["1", "1.1"]


# ---------------------------------------------------------------- company and products


class Company(_Strict):
    """The organisation running the audit (usually the brand owner)."""

    id: Identifier
    name: str
    country: Country | None = None
    region: Region | None = since_format(
        "1.1", default=None, description="ISO 3166-2 subdivision of the company's seat (e.g. US-CA); it must lie in "
                                         "`country`")
    attributes: Attributes = Field(default_factory=dict)


class Trademark(_Strict):
    registration: str = Field(description="Registration number, e.g. 'US 5123456'")
    office: str = Field(description="Registering office, e.g. USPTO, EUIPO")
    recorded_with_customs: bool | None = Field(None, description="Recorded with customs (e.g. CBP e-Recordation)")
    expires: dt.date | None = None


class Product(_Strict):
    id: Identifier
    name: str
    category: str | None = Field(
        None, description="Free text; packs select on it (electronics, pharmaceutical, apparel, ...)")
    critical: bool = Field(False, description="Safety- or mission-critical product")
    trademarks: list[Trademark] = Field(default_factory=list)
    authentication: list[str] = Field(
        default_factory=list, description="Authentication features: hologram, serialized-qr, taggant, ...")
    attributes: Attributes = Field(default_factory=dict)


# ---------------------------------------------------------------- edges


class Documents(_Strict):
    certificate_of_conformance: bool | None = None
    traceability: TraceLevel | None = None
    transaction_information: bool | None = None
    transaction_statement: bool | None = None
    transaction_history: bool | None = None
    purchase_order_terms: bool | None = Field(None, description="Purchase order carries anti-counterfeit terms")


class Inspection(_Strict):
    done: bool
    standard: str | None = Field(None, description="e.g. AS6171, IDEA-STD-1010")
    lab: str | None = Field(None, description="Id of the test lab node, or its name")
    date: dt.date | None = None


class Shipping(_Strict):
    mode: ShippingMode | None = None
    sealed: bool | None = Field(None, description="High-security seals (ISO 17712)")
    via: list[Country] = Field(default_factory=list, description="Transit countries")
    free_trade_zone: bool | None = Field(None, description="Transits a free-trade zone")


class Edge(_Strict):
    from_: Identifier = Field(alias="from")
    to: Identifier
    kind: EdgeKind
    products: list[str] = Field(default_factory=list)
    documents: Documents | None = None
    inspection: Inspection | None = None
    shipping: Shipping | None = None
    share: float | None = Field(None, ge=0, le=1, description="Share of the receiver's volume over this edge")
    since: dt.date | None = since_format(
        "1.1", default=None, description="Date the relationship started (the first order, shipment or listing)")
    ownership_transfer: bool | None = since_format(
        "1.1", default=None, description="Ownership of the goods passes to the receiver (a DSCSA transaction); "
                                         "false for consignment, logistics or a return without sale")
    lots: list[Lot] = since_format("1.1", default_factory=list,
                                   description="Lot, batch or date-code numbers carried, where they matter")
    attributes: Attributes = Field(default_factory=dict)


# ---------------------------------------------------------------- waivers and the document


class Waiver(_Strict):
    rule: str = Field(description="Rule id, e.g. NTF-AUD-001")
    target: str = Field(description="Node id, 'from->to' edge, product id, or '*'")
    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    expires: dt.date


# Tried left to right: exact booleans and numbers, then an ISO date (a YAML date, or a JSON
# string such as "2026-01-01"), then text. So JSON and YAML give the same parameter values.
Scalar = Annotated[
    Annotated[bool, Strict()] | Annotated[int, Strict()] | Annotated[float, Strict()] | dt.date | str,
    Field(union_mode="left_to_right"),
]


class Document(_Strict):
    """A supply-chain file (format "1" or "1.1")."""

    nofakes: FormatVersion = Field(description='Format version: "1", or "1.1" for files that use its additions')
    company: Company
    as_of: AuditDate | None = Field(None, description="Reference date for date rules, between 1970-01-01 and "
                                                      "2199-12-31; --as-of wins; default today")
    include: list[str] = Field(
        default_factory=list, description="More files with nodes/edges/products/waivers, relative to this file")
    parameters: dict[str, Scalar | list[Scalar]] = Field(
        default_factory=dict, description="Overrides of pack parameters (a list for a list parameter)")
    guidelines: list[str] = Field(default_factory=list, description="Packs to audit against by default, e.g. ntif@1")
    products: list[Product] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        allow_inf_nan=False,
        json_schema_extra={"title": "nofakes supply chain (formats 1 and 1.1)"},
    )


class Fragment(_Strict):
    """An included file: more products, nodes, edges and waivers (and further includes)."""

    nofakes: FormatVersion | None = Field(None, description="Optional format version")
    include: list[str] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)


MERGED_LISTS: tuple[str, ...] = ("products", "nodes", "edges", "waivers")
