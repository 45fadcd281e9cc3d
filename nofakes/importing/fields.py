"""The fields a column can feed, and how each turns a cell into a value: derived from the models.

A field is named as in the supply-chain format, with three additions for values that live
in lists there:

- `audit.date`, `audit.result`, `audit.kind`, ...: the partner's (one) audit of that row;
- `certification[ISO 9001].expires`: the certificate of that standard (the brackets name it);
- `supplies_to` (partners) and `from` / `to` (flows): partners, by id or by name.

`attributes.NAME` keeps any other value; `ignore` leaves a column out on purpose. Types
(yes/no, date, enumeration, number, country, list) come from the pydantic models, so a
field added to the format can be imported without a change here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from nofakes.importing import values as v
from nofakes.supply import model as m
from nofakes.supply.validation import unwrap_annotation

IGNORE = "ignore"
PARTNER_REFS = "supplies_to"
_CERTIFICATE = re.compile(r"certification\[([^\[\]]+)\]\.([a-z_]+)")
_ATTRIBUTE = re.compile(r"attributes\.([A-Za-z0-9_][A-Za-z0-9_ .:-]*)")

# The sub-records of a partner a column may fill (one per row), and the list the format keeps them in.
LIST_RECORDS: dict[str, tuple[str, type[BaseModel]]] = {"audit": ("audits", m.Audit)}
NESTED: dict[str, type[BaseModel]] = {
    "authorization": m.Authorization, "contract": m.Contract, "programs": m.Programs,
    "traceability": m.Traceability, "due_diligence": m.DueDiligence, "seller_verification": m.SellerVerification,
}
EDGE_NESTED: dict[str, type[BaseModel]] = {"documents": m.Documents, "inspection": m.Inspection,
                                           "shipping": m.Shipping}
_Y, _N = ("yes", "y", "true", "1", "x", "approved", "ok"), ("no", "n", "false", "0")
SYNONYMS: dict[type[Enum], dict[str, str]] = {
    m.Role: {
        **dict.fromkeys(("vendor", "component supplier", "material supplier", "raw material supplier",
                         "packaging supplier", "parts supplier"), "supplier"),
        **dict.fromkeys(("oem", "ocm", "original manufacturer", "original component manufacturer", "maker",
                         "producer"), "manufacturer"),
        **dict.fromkeys(("cm", "ems", "subcontractor", "sub contractor", "contract manufacturing",
                         "co packer", "copacker"), "contract_manufacturer"),
        **dict.fromkeys(("authorized distributor", "authorised distributor", "franchised distributor"),
                        "distributor"),
        **dict.fromkeys(("independent distributor", "open market", "open market supplier", "trader"), "broker"),
        "wholesale": "wholesaler",
        **dict.fromkeys(("3pl", "carrier", "forwarder", "freight forwarder", "logistics provider", "warehouse",
                         "transport", "transportation"), "logistics"),
        "importer of record": "importer", "platform": "marketplace", "online marketplace": "marketplace",
        **dict.fromkeys(("marketplace seller", "online seller", "third party seller"), "seller"),
        **dict.fromkeys(("shop", "store", "retail", "pharmacy"), "retailer"),
        **dict.fromkeys(("end customer", "client", "end user"), "customer"),
        **dict.fromkeys(("lab", "test laboratory", "testing lab", "laboratory"), "test_lab"),
        **dict.fromkeys(("brand", "brand holder", "rights holder", "company"), "brand_owner"),
    },
    m.AuditResult: {
        **dict.fromkeys(("passed", "ok", "approved", "satisfactory", "compliant"), "pass"),
        **dict.fromkeys(("failed", "not passed", "unsatisfactory", "non compliant", "rejected"), "fail"),
        **dict.fromkeys(("conditional pass", "conditionally approved", "pass with findings", "passed with findings"),
                        "conditional"),
    },
    m.AuditKind: {
        **dict.fromkeys(("on site", "site visit", "site audit", "physical"), "onsite"),
        **dict.fromkeys(("virtual", "video", "online"), "remote"),
        **dict.fromkeys(("document review", "desk review", "desktop"), "desk"),
        **dict.fromkeys(("self assessment", "saq", "questionnaire"), "self_assessment"),
    },
    m.AuthorizationStatus: {
        **dict.fromkeys(_Y, "authorized"), "authorised": "authorized", **dict.fromkeys(_N, "unauthorized"),
        "not authorized": "unauthorized", "not authorised": "unauthorized", "unauthorised": "unauthorized",
        **dict.fromkeys(("in progress", "pending approval", "applied"), "pending"),
        **dict.fromkeys(("withdrawn", "terminated", "blocked", "suspended"), "revoked"),
    },
    m.TraceLevel: {**dict.fromkeys(("yes", "y", "complete"), "full"), **dict.fromkeys(("no", "n"), "none")},
    m.EdgeKind: {"supply": "supplies", "distribution": "distributes", "sale": "sells", "shipping": "ships",
                 "subcontract": "subcontracts", "return": "returns", "listing": "lists_on"},
}

Converter = Callable[[object, "str | None"], Any]


@dataclass(frozen=True)
class Field:
    """Where a column's values go in a partner or a flow, and how a cell becomes one."""

    name: str  # as written in a mapping
    convert: Converter  # (cell, date order) -> value; raises ValueProblem
    record: str | None = None  # 'audits', 'certifications', 'authorization', ...: the sub-record it fills
    key: str = ""  # the field inside the record (or of the partner or flow itself)
    standard: str | None = None  # certification[STANDARD]
    model: type[BaseModel] | None = None  # the sub-record's model (its required fields are checked)


def converter(annotation: Any, name: str) -> Converter:
    """How a cell becomes a value of this type (the date order matters only to dates)."""
    kind = unwrap_annotation(annotation, ambiguous=str)
    if name == "country":
        return _no_order(v.to_country)
    if name == "via":
        return lambda cell, _order: [v.to_country(part) for part in v.to_list(cell)]
    if kind is bool:
        return _no_order(v.to_bool)
    if kind is dt.date:
        return v.to_date
    if kind is int:
        return _no_order(v.to_int)
    if kind is float:
        return _no_order(v.to_float)
    if isinstance(kind, type) and issubclass(kind, Enum):
        enum, synonyms = kind, SYNONYMS.get(kind, {})
        return lambda cell, _o: v.to_enum(cell, enum, synonyms)
    if getattr(kind, "__origin__", None) is list:
        return _no_order(v.to_product_list if name in ("products", "scope") else v.to_list)
    if name == "id":
        return _no_order(v.to_identifier)
    return _no_order(v.to_text)


def _no_order(convert: Callable[[object], Any]) -> Converter:
    return lambda cell, _order: convert(cell)


def _own_fields(model: type[BaseModel], nested: dict[str, type[BaseModel]], skip: set[str]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for key, info in model.model_fields.items():
        name = info.alias or key
        if name in skip or name in nested or name == "attributes":
            continue
        fields[name] = Field(name, converter(info.annotation, name), key=name)
    for record, sub in nested.items():
        for key, info in sub.model_fields.items():
            fields[f"{record}.{key}"] = Field(f"{record}.{key}", converter(info.annotation, key), record, key,
                                              model=sub)
    return fields


_NODE_LISTS = {"licenses", "incidents", "certifications", "audits", "authorizations"}
PARTNER_FIELDS: dict[str, Field] = {
    **_own_fields(m.Node, NESTED, _NODE_LISTS),
    **{f"{short}.{key}": Field(f"{short}.{key}", converter(info.annotation, key), record, key, model=sub)
       for short, (record, sub) in LIST_RECORDS.items() for key, info in sub.model_fields.items()},
    PARTNER_REFS: Field(PARTNER_REFS, _no_order(v.to_list), key=PARTNER_REFS),
}
FLOW_FIELDS: dict[str, Field] = _own_fields(m.Edge, EDGE_NESTED, set())
PRODUCT_FIELDS: dict[str, Field] = _own_fields(m.Product, {}, {"trademarks"})
KINDS = ("partners", "flows", "products")  # the tables of an import
FIELDS: dict[str, dict[str, Field]] = {"partners": PARTNER_FIELDS, "flows": FLOW_FIELDS, "products": PRODUCT_FIELDS}
MODELS: dict[str, type[BaseModel]] = {"partners": m.Node, "flows": m.Edge, "products": m.Product}
_CERT_FIELDS = {key: info for key, info in m.Certification.model_fields.items() if key != "standard"}


def field_named(name: str, kind: str) -> Field | None:
    """The field a mapping names for a table of `kind` ('country', 'audit.date',
    'certification[ISO 9001].expires', 'attributes.tier'), or None if there is no such field."""
    fields = FIELDS[kind]
    if name in fields:
        return fields[name]
    if match := _ATTRIBUTE.fullmatch(name):
        return Field(name, _no_order(v.to_attribute), "attributes", match[1])
    if kind == "partners" and (match := _CERTIFICATE.fullmatch(name)) and match[2] in _CERT_FIELDS:
        key = match[2]
        return Field(name, converter(_CERT_FIELDS[key].annotation, key), "certifications", key,
                     standard=" ".join(match[1].split()), model=m.Certification)
    return None


def field_names(kind: str) -> list[str]:
    """Every field a mapping can name, for messages (the open-ended forms as patterns)."""
    names = list(FIELDS[kind])
    extra = ["certification[STANDARD].expires", "attributes.NAME"] if kind == "partners" else ["attributes.NAME"]
    return [*names, *extra, IGNORE]
