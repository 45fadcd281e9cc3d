"""Recognising the headers supplier lists use, without a mapping file.

Headers are compared folded (case, accents and punctuation do not count: 'Supplier-Name',
'SUPPLIER NAME' and 'supplier name' are one header). A header nobody recognises keeps its
values under `attributes`, named after it (`Spend (USD)` -> `attributes.spend_usd`), so
that nothing in the sheet is lost; `--print-map` shows every guess, ready to save and edit.
"""

from __future__ import annotations

import re

from nofakes.core.text import folded
from nofakes.importing.fields import PARTNER_REFS

_PARTNER_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "supplier id", "vendor id", "partner id", "supplier no", "supplier number", "vendor no",
           "vendor number", "supplier code", "vendor code", "partner code", "account number", "erp id"),
    "name": ("name", "supplier name", "vendor", "vendor name", "supplier", "partner", "partner name", "company",
             "company name", "legal name", "business name"),
    "role": ("role", "type", "partner type", "supplier type", "vendor type", "partner role", "business type"),
    "country": ("country", "country code", "supplier country", "country iso", "nation"),
    "attributes.tier": ("tier", "supplier tier", "tier level"),
    "products": ("products", "product", "product ids", "parts", "items", "materials"),
    "authorization.status": ("authorized", "authorised", "authorization", "authorisation", "authorization status",
                             "authorized distributor", "authorised distributor", "approved", "approval status",
                             "approved vendor"),
    "authorization.granted_by": ("authorized by", "authorised by", "granted by"),
    "authorization.expires": ("authorization expiry", "authorisation expiry", "authorization expires",
                              "authorized until", "authorised until"),
    "audit.date": ("last audit", "last audit date", "audit date", "date of last audit", "audited on"),
    "audit.result": ("audit result", "last audit result", "audit outcome", "audit status", "audit rating"),
    "audit.kind": ("audit type", "audit kind", "audit method"),
    "audit.open_findings": ("open findings", "open audit findings", "open ncs", "open non conformities"),
    "contract.signed": ("contract signed", "contract date", "contract signed on", "contract start"),
    "contract.expires": ("contract expiry", "contract expires", "contract end"),
    "contract.anti_counterfeit_clause": ("anti counterfeit clause", "anticounterfeit clause", "counterfeit clause",
                                         "ac clause"),
    "contract.audit_rights": ("audit rights", "right to audit"),
    "contract.flow_down": ("flow down", "flowdown", "flow down clause"),
    "contract.subcontract_consent": ("subcontract consent", "sub contract consent", "subcontracting consent"),
    "contract.warranty_months": ("warranty months", "warranty"),
    "programs.control_plan": ("control plan", "counterfeit control plan"),
    "programs.training_last": ("last training", "training date", "last training date", "training last"),
    "programs.quarantine_procedure": ("quarantine procedure", "quarantine"),
    "traceability.lot_tracking": ("lot tracking", "lot traceability", "batch tracking"),
    "traceability.serialization": ("serialization", "serialisation", "serialized", "serialised"),
    "due_diligence.date": ("due diligence", "due diligence date", "last due diligence", "kyc date", "vetted on"),
    "due_diligence.risk": ("risk", "risk level", "risk rating"),
    PARTNER_REFS: ("supplies to", "customer", "customers", "ships to", "sells to", "delivers to", "supplies"),
}
_FLOW_HEADERS: dict[str, tuple[str, ...]] = {
    "from": ("from", "supplier", "source", "shipper", "seller", "from partner", "vendor", "from id", "origin"),
    "to": ("to", "customer", "destination", "receiver", "consignee", "buyer", "to partner", "ship to", "to id"),
    "kind": ("kind", "type", "flow type", "relationship", "edge kind", "flow"),
    "products": ("products", "product", "items", "parts", "materials"),
    "share": ("share", "volume share", "share of volume"),
    "documents.certificate_of_conformance": ("coc", "c of c", "certificate of conformance",
                                             "certificate of conformity"),
    "documents.traceability": ("traceability", "trace level"),
    "shipping.mode": ("mode", "transport mode", "shipping mode"),
    "shipping.sealed": ("sealed", "seals"),
    "shipping.via": ("via", "transit countries", "transit"),
    "inspection.done": ("inspected", "inspection", "tested"),
}
_PRODUCT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "product id", "sku", "part number", "item number", "article number", "material number"),
    "name": ("name", "product", "product name", "description", "item", "article"),
    "category": ("category", "product category", "product type", "commodity"),
    "critical": ("critical", "safety critical", "critical product", "mission critical"),
    "authentication": ("authentication", "authentication features", "security features"),
}
PRODUCT_HEADERS: dict[str, str] = {h: field for field, heads in _PRODUCT_HEADERS.items() for h in heads}
PARTNER_HEADERS: dict[str, str] = {h: field for field, heads in _PARTNER_HEADERS.items() for h in heads}
FLOW_HEADERS: dict[str, str] = {h: field for field, heads in _FLOW_HEADERS.items() for h in heads}
HEADERS = {"partners": PARTNER_HEADERS, "flows": FLOW_HEADERS, "products": PRODUCT_HEADERS}
_CERTIFICATE_EXPIRY = re.compile(
    r"\s*((?:ISO|IATF|AS|EN|IEC|ANSI|ESD|GDP|GMP|FSSC|BRC|SA|OHSAS|TAPA|C-TPAT|AEO)[ -]?\d[\w :./-]*?)"
    r"\s*[-:]?\s*(?:cert(?:ificate)?\s*)?(?:expiry|expires|expiry date|expiration|expiration date|valid until|"
    r"valid to|exp\.?)\s*",
    re.IGNORECASE)


def guess_field(header: str, kind: str) -> str:
    """The field a header most likely feeds: a recognised one, a certificate's expiry
    ('ISO 9001 Expiry' -> 'certification[ISO 9001].expires'), else an attribute named after it."""
    key = folded(header)
    known = HEADERS[kind].get(key)
    if known is not None:
        return known
    if kind == "partners" and (match := _CERTIFICATE_EXPIRY.fullmatch(header)):
        return f"certification[{' '.join(match[1].split())}].expires"
    return "attributes." + attribute_name(header)


def recognised(header: str, kind: str) -> bool:
    """Is `header` one nofakes knows (rather than one kept as an attribute because it does not)?"""
    return not guess_field(header, kind).startswith("attributes.") or folded(header) in HEADERS[kind]


def attribute_name(header: str) -> str:
    """'Spend (USD)' -> 'spend_usd'; a header without letters or digits -> 'column'."""
    return "_".join(folded(header).split()) or "column"
