"""The closed lists of the supply-chain format: roles, edge kinds, statuses and levels."""

from __future__ import annotations

from enum import Enum


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
