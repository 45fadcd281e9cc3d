"""A partner (node) of the supply-chain document and the records it carries.

Format 1.1 adds (all optional, see nofakes.supply.versions): several `authorizations` (read
together with the format 1 `authorization` through `all_authorizations`), an authorization's
`issued` date, a `region`, the first due-diligence date, an incident's `lots` and `notified`
partners, and a marketplace seller's `seller_verification`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, computed_field

from nofakes.supply.base import Attributes, Country, Identifier, Region, Strict, since_format
from nofakes.supply.enums import (
    AuditKind,
    AuditResult,
    AuthorizationStatus,
    IncidentKind,
    IncidentStatus,
    RiskLevel,
    Role,
)

Lot = str  # a lot, batch or date-code number, as text (quote numbers in YAML: "004711")


class Authorization(Strict):
    status: AuthorizationStatus
    granted_by: str | None = Field(None, description="Id of the node or company that granted the authorization")
    scope: list[str] = Field(default_factory=list, description="Product ids the authorization covers; empty means all")
    issued: dt.date | None = since_format("1.1", default=None, description="Date the authorization was granted")
    expires: dt.date | None = None


class Certification(Strict):
    standard: str = Field(description="e.g. ISO 9001, AS9120, AS6081, ISO 28000")
    id: str | None = None
    body: str | None = Field(None, description="Certification body")
    accredited: bool | None = Field(None, description="Issued by an accredited certification body")
    issued: dt.date | None = None
    expires: dt.date | None = None


class Audit(Strict):
    date: dt.date
    kind: AuditKind | None = None
    result: AuditResult
    open_findings: int | None = Field(None, ge=0)
    auditor: str | None = None


class Contract(Strict):
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


class License(Strict):
    kind: str = Field(description="e.g. wholesale_distributor, 3pl, pharmacy, manufacturer_registration")
    jurisdiction: str = Field(
        pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
        description="ISO 3166-1 country or ISO 3166-2 subdivision code, e.g. US-NJ (in format 1.1 a subdivision "
                    "must exist, and the country part is always checked)")
    number: str | None = None
    expires: dt.date | None = None


class Programs(Strict):
    control_plan: bool | None = Field(None, description="Documented counterfeit prevention and control plan")
    training_last: dt.date | None = Field(None, description="Date of the last counterfeit-awareness training")
    quarantine_procedure: bool | None = None
    gidep_screening: bool | None = Field(None, description="Screens GIDEP / ERAI alerts")
    obsolescence_management: bool | None = None
    returns_verification: bool | None = Field(None, description="Verifies returned goods before resale")


class Traceability(Strict):
    lot_tracking: bool | None = None
    serialization: bool | None = None
    records_retention_years: float | None = Field(None, ge=0)


class DueDiligence(Strict):
    date: dt.date = Field(description="Date of the last documented due-diligence check")
    method: str | None = Field(None, description="e.g. questionnaire, site visit, registry check, KYC")
    risk: RiskLevel | None = None
    first_date: dt.date | None = since_format(
        "1.1", default=None, description="Date of the first documented due-diligence check (compare it with the "
                                         "`since` of the partner's edges: due diligence before the first order)")


class Report(Strict):
    to: str = Field(description="Recipient: GIDEP, FDA, CBP, the brand owner's id, a marketplace, ...")
    date: dt.date


class Notification(Strict):
    """A trading partner told of an incident (authorities and databases go under `reported`)."""

    party: Identifier = Field(description="Id of the node (or the company) that was notified")
    date: dt.date = Field(description="Date the partner was notified")


class Incident(Strict):
    id: str
    kind: IncidentKind
    discovered: dt.date
    products: list[str] = Field(default_factory=list)
    lots: list[Lot] = since_format("1.1", default_factory=list, description="Lot, batch or date-code numbers affected")
    quarantined: bool | None = None
    reported: list[Report] = Field(default_factory=list)
    notified: list[Notification] = since_format(
        "1.1", default_factory=list, description="Trading partners (customers, suppliers, the marketplace) told "
                                                 "of the incident, and when")
    status: IncidentStatus = IncidentStatus.open
    disposition: str | None = Field(None, description="e.g. destroyed, returned_to_brand, held, returned_to_supplier")


class SellerVerification(Strict):
    """What a marketplace verified about a third-party seller (DSA Art. 30, INFORM Act); dates of each check."""

    identity_verified: dt.date | None = Field(None, description="Identity document of the seller verified")
    business_verified: dt.date | None = Field(
        None, description="Business registration (trade register number) verified")
    tax_id_verified: dt.date | None = Field(None, description="Taxpayer identification number verified")
    bank_account_verified: dt.date | None = Field(None, description="Payout bank account verified")
    contact_verified: dt.date | None = Field(None, description="Working e-mail address and telephone number verified")
    high_volume: bool | None = Field(
        None, description="High-volume third-party seller under the INFORM Act (200 or more sales and $5,000 or more "
                          "in a continuous 12 months within the last 24)")
    high_volume_since: dt.date | None = Field(
        None, description="Date the seller became high-volume (the INFORM deadlines of 10 days run from it)")
    recertified: dt.date | None = Field(
        None, description="Date of the seller's last (annual) certification that its information is current")
    identity_disclosed: bool | None = Field(
        None, description="Name and address disclosed to consumers (INFORM: high-volume sellers with $20,000 or more "
                          "a year)")
    payout_account: str | None = Field(
        None, description="A token or fingerprint of the payout bank account from the payment provider (never the "
                          "account number): sellers sharing one are linked")


class Node(Strict):
    """A partner in the supply or distribution chain."""

    id: Identifier
    name: str
    role: Role
    country: Country | None = None
    region: Region | None = since_format(
        "1.1", default=None, description="ISO 3166-2 subdivision where the partner trades (e.g. US-CA); it must lie "
                                         "in `country`")
    products: list[str] = Field(default_factory=list, description="Product ids this partner handles")
    authorization: Authorization | None = None
    authorizations: list[Authorization] = since_format(
        "1.1", default_factory=list, description="Several authorizations (e.g. franchised by three manufacturers); "
                                                 "rules read them with `authorization` as `all_authorizations`")
    certifications: list[Certification] = Field(default_factory=list)
    audits: list[Audit] = Field(default_factory=list)
    contract: Contract | None = None
    licenses: list[License] = Field(default_factory=list)
    programs: Programs | None = None
    traceability: Traceability | None = None
    due_diligence: DueDiligence | None = None
    incidents: list[Incident] = Field(default_factory=list)
    seller_verification: SellerVerification | None = since_format(
        "1.1", default=None, description="For marketplace sellers: what the marketplace verified, and when")
    attributes: Attributes = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def all_authorizations(self) -> list[Authorization]:
        """Every authorization the partner holds: `authorization` (if any), then `authorizations`.

        What rules read to ask "does some authorization cover this?" in files of either format.
        """
        if self.authorization is None:
            return self.authorizations
        return [self.authorization, *self.authorizations]
