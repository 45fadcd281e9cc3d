"""The supply-chain document (format "1") as frozen pydantic v2 models.

These models are the single source of truth for the format: the published JSON Schema
(`schemas/supply-chain.schema.json`) is generated from them (`nofakes schema supply`), and a
test fails when the committed schema differs from a fresh generation.

Conventions:
- every model is frozen and forbids unknown keys, except the free-form `attributes` maps;
- an optional field that is absent is `None` (or an empty list): rules treat that as
  "no evidence", never as a pass;
- dates are real `datetime.date` values (YAML dates or ISO strings in JSON), and so is ISO date
  text under `attributes`; the audit date must be plausible (see nofakes.supply.values);
- whole numbers have at most 15 digits (the readers, nofakes.sources) and numbers are finite.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from nofakes.supply.countries import ALPHA2, COMMON_MISTAKES
from nofakes.supply.values import check_audit_date, dates_in_attributes

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


def _check_country(value: str) -> str:
    if value not in ALPHA2:
        hint = COMMON_MISTAKES.get(value.upper()) or (value.upper() if value.upper() in ALPHA2 else None)
        suffix = f"; did you mean {hint!r}?" if hint else ""
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code{suffix}")
    return value


Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(description="ISO 3166-1 alpha-2 country code", json_schema_extra={"enum": sorted(ALPHA2)}),
]
Identifier = Annotated[
    str, Field(pattern=ID_PATTERN, max_length=200, description="Letters, digits, '.', '_', ':' and '-'")
]
Attributes = Annotated[
    dict[str, Any],
    AfterValidator(dates_in_attributes),
    Field(description="Free-form data; rules may read attributes.*. Unknown keys allowed. "
                      "Text that is exactly an ISO date (YYYY-MM-DD) is a date, in YAML and JSON alike."),
]
AuditDate = Annotated[dt.date, AfterValidator(check_audit_date)]


class _Strict(BaseModel):
    # allow_inf_nan: .nan or .inf (1e400 in JSON) in a number field compares false with everything
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


# ---------------------------------------------------------------- enumerations


class Role(str, Enum):
    """Partner roles (closed list for format 1). Authorization is an attribute, never a role."""

    brand_owner = "brand_owner"
    manufacturer = "manufacturer"
    contract_manufacturer = "contract_manufacturer"
    supplier = "supplier"
    licensee = "licensee"
    distributor = "distributor"
    broker = "broker"
    wholesaler = "wholesaler"
    logistics = "logistics"
    importer = "importer"
    marketplace = "marketplace"
    seller = "seller"
    retailer = "retailer"
    customer = "customer"
    test_lab = "test_lab"
    recycler = "recycler"


class EdgeKind(str, Enum):
    """Edge kinds; an edge points the way goods (or listings) flow."""

    supplies = "supplies"
    distributes = "distributes"
    sells = "sells"
    ships = "ships"
    subcontracts = "subcontracts"
    returns = "returns"
    lists_on = "lists_on"


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class AuthorizationStatus(str, Enum):
    authorized = "authorized"
    unauthorized = "unauthorized"
    pending = "pending"
    revoked = "revoked"


class AuditKind(str, Enum):
    onsite = "onsite"
    remote = "remote"
    desk = "desk"
    self_assessment = "self_assessment"


class AuditResult(str, Enum):
    passed = "pass"
    conditional = "conditional"
    failed = "fail"


class IncidentKind(str, Enum):
    suspect = "suspect"
    counterfeit = "counterfeit"
    illegitimate = "illegitimate"
    falsified = "falsified"
    diverted = "diverted"
    tampered = "tampered"


class IncidentStatus(str, Enum):
    open = "open"
    investigating = "investigating"
    closed = "closed"


class TraceLevel(str, Enum):
    full = "full"
    partial = "partial"
    none = "none"


class ShippingMode(str, Enum):
    sea = "sea"
    air = "air"
    road = "road"
    rail = "rail"
    courier = "courier"
    postal = "postal"
    multimodal = "multimodal"


class RiskLevel(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


# ---------------------------------------------------------------- company and products


class Company(_Strict):
    """The organisation running the audit (usually the brand owner)."""

    id: Identifier
    name: str
    country: Country | None = None
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


# ---------------------------------------------------------------- node parts


class Authorization(_Strict):
    status: AuthorizationStatus
    granted_by: str | None = Field(None, description="Id of the node or company that granted the authorization")
    scope: list[str] = Field(default_factory=list, description="Product ids the authorization covers; empty means all")
    expires: dt.date | None = None


class Certification(_Strict):
    standard: str = Field(description="e.g. ISO 9001, AS9120, AS6081, ISO 28000")
    id: str | None = None
    body: str | None = Field(None, description="Certification body")
    accredited: bool | None = Field(None, description="Issued by an accredited certification body")
    issued: dt.date | None = None
    expires: dt.date | None = None


class Audit(_Strict):
    date: dt.date
    kind: AuditKind | None = None
    result: AuditResult
    open_findings: int | None = Field(None, ge=0)
    auditor: str | None = None


class Contract(_Strict):
    anti_counterfeit_clause: bool | None = None
    audit_rights: bool | None = None
    flow_down: bool | None = Field(None, description="Anti-counterfeit terms flowed down to sub-tiers")
    subcontract_consent: bool | None = Field(None, description="Sub-contracting only with written consent")
    reject_destruction: bool | None = Field(None, description="Rejects, overruns and excess destroyed with certificate")
    tooling_ownership: bool | None = Field(
        None, description="Brand owns or controls tooling, moulds, labels, packaging")
    warranty_months: int | None = Field(None, ge=0)
    signed: dt.date | None = None
    expires: dt.date | None = None


class License(_Strict):
    kind: str = Field(description="e.g. wholesale_distributor, 3pl, pharmacy, manufacturer_registration")
    jurisdiction: str = Field(
        pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", description="ISO 3166-1 or 3166-2 code, e.g. US-NJ")
    number: str | None = None
    expires: dt.date | None = None


class Programs(_Strict):
    control_plan: bool | None = Field(None, description="Documented counterfeit prevention and control plan")
    training_last: dt.date | None = Field(None, description="Date of the last counterfeit-awareness training")
    quarantine_procedure: bool | None = None
    gidep_screening: bool | None = Field(None, description="Screens GIDEP / ERAI alerts")
    obsolescence_management: bool | None = None
    returns_verification: bool | None = Field(None, description="Verifies returned goods before resale")


class Traceability(_Strict):
    lot_tracking: bool | None = None
    serialization: bool | None = None
    records_retention_years: float | None = Field(None, ge=0)


class DueDiligence(_Strict):
    date: dt.date = Field(description="Date of the last documented due-diligence check")
    method: str | None = Field(None, description="e.g. questionnaire, site visit, registry check, KYC")
    risk: RiskLevel | None = None


class Report(_Strict):
    to: str = Field(description="Recipient: GIDEP, FDA, CBP, the brand owner's id, a marketplace, ...")
    date: dt.date


class Incident(_Strict):
    id: str
    kind: IncidentKind
    discovered: dt.date
    products: list[str] = Field(default_factory=list)
    quarantined: bool | None = None
    reported: list[Report] = Field(default_factory=list)
    status: IncidentStatus = IncidentStatus.open
    disposition: str | None = Field(None, description="e.g. destroyed, returned_to_brand, held, returned_to_supplier")


class Node(_Strict):
    """A partner in the supply or distribution chain."""

    id: Identifier
    name: str
    role: Role
    country: Country | None = None
    products: list[str] = Field(default_factory=list, description="Product ids this partner handles")
    authorization: Authorization | None = None
    certifications: list[Certification] = Field(default_factory=list)
    audits: list[Audit] = Field(default_factory=list)
    contract: Contract | None = None
    licenses: list[License] = Field(default_factory=list)
    programs: Programs | None = None
    traceability: Traceability | None = None
    due_diligence: DueDiligence | None = None
    incidents: list[Incident] = Field(default_factory=list)
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
    """A supply-chain file (format "1")."""

    nofakes: Literal["1"] = Field(description="Format version")
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
        json_schema_extra={"title": "nofakes supply chain (format 1)"},
    )


class Fragment(_Strict):
    """An included file: more products, nodes, edges and waivers (and further includes)."""

    nofakes: Literal["1"] | None = Field(None, description="Optional format version")
    include: list[str] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)


MERGED_LISTS: tuple[str, ...] = ("products", "nodes", "edges", "waivers")
