"""What `nofakes init` writes: a commented starter supply.yaml, a mapping template, and the columns of the
supplier-list workbook (`nofakes.importing.workbook`), which the mapping template describes.

The template's columns are one list, `PARTNER_COLUMNS` and `FLOW_COLUMNS`: the workbook's
headers, its drop-downs and its instructions, and the mapping template, all come from it,
and every header is one `nofakes import` recognises without a mapping (a test holds it to that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nofakes.supply.model import AuditKind, AuditResult, EdgeKind, Role, TraceLevel

SCHEMA_FILE = "supply-chain.schema.json"
TEMPLATE_FILE = "suppliers.xlsx"
YES_NO = ("yes", "no")


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    field: str
    help: str  # one line for the instructions sheet and the mapping template
    choices: tuple[str, ...] = ()  # a drop-down of these values ('countries': the country list)
    example: tuple[str | dt.date, ...] = ()  # the example rows' values ("" leaves a cell blank)
    date: bool = False
    width: int = 18


_ROLES = tuple(r.value for r in Role)
COUNTRIES = "countries"
PARTNER_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("ID", "id", "Short unique id: letters, digits, . _ : - (left blank: made from the name)",
                   example=("acme", "shenzhen-pcb", "rheinmark")),
    TemplateColumn("Name", "name", "The partner's name", example=("Acme Audio Inc.", "Shenzhen PCB Co.",
                                                                  "Rheinmark Vertrieb GmbH"), width=28),
    TemplateColumn("Role", "role", "What the partner does in the chain (your own company: brand_owner)", _ROLES,
                   ("brand_owner", "supplier", "distributor")),
    TemplateColumn("Country", "country", "Two-letter ISO code (DE) or a country name", (COUNTRIES,),
                   ("US", "CN", "DE"), width=10),
    TemplateColumn("Products", "products", "Product ids it handles, separated by ;", example=("", "amp-x1", "amp-x1")),
    TemplateColumn("Authorized", "authorization.status", "Resellers: authorized by the brand (yes/no)", YES_NO,
                   ("", "", "yes"), width=12),
    TemplateColumn("Authorized by", "authorization.granted_by", "Who authorized it: an ID or name from this sheet",
                   example=("", "", "acme")),
    TemplateColumn("Last Audit", "audit.date", "Date of the last audit", example=("", dt.date(2026, 3, 12), ""),
                   date=True, width=14),
    TemplateColumn("Audit Result", "audit.result", "Result of that audit", tuple(r.value for r in AuditResult),
                   ("", "pass", ""), width=14),
    TemplateColumn("Audit Type", "audit.kind", "How it was audited", tuple(k.value for k in AuditKind),
                   ("", "onsite", ""), width=14),
    TemplateColumn("ISO 9001 Expiry", "certification[ISO 9001].expires", "Expiry date of its ISO 9001 certificate",
                   example=("", dt.date(2027, 3, 1), ""), date=True, width=16),
    TemplateColumn("Contract signed", "contract.signed", "Date the contract was signed",
                   example=("", dt.date(2025, 1, 10), dt.date(2025, 4, 2)), date=True, width=16),
    TemplateColumn("Anti-counterfeit clause", "contract.anti_counterfeit_clause",
                   "The contract has an anti-counterfeit clause", YES_NO, ("", "yes", "yes"), width=14),
    TemplateColumn("Audit rights", "contract.audit_rights", "The contract lets you audit the partner", YES_NO,
                   ("", "yes", "yes"), width=12),
    TemplateColumn("Flow down", "contract.flow_down", "Anti-counterfeit terms are passed on to its suppliers",
                   YES_NO, ("", "yes", "no"), width=12),
    TemplateColumn("Control plan", "programs.control_plan", "It runs a counterfeit control plan", YES_NO,
                   ("", "yes", ""), width=12),
    TemplateColumn("Last training", "programs.training_last", "Date of its last counterfeit-awareness training",
                   example=("", dt.date(2026, 5, 1), dt.date(2026, 2, 15)), date=True, width=14),
    TemplateColumn("Quarantine procedure", "programs.quarantine_procedure", "It quarantines suspect goods",
                   YES_NO, ("", "yes", "yes"), width=14),
    TemplateColumn("Due diligence", "due_diligence.date", "Date of the last due-diligence check on it",
                   example=("", dt.date(2026, 1, 20), dt.date(2025, 11, 3)), date=True, width=14),
)
FLOW_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("From", "from", "Who the goods come from: an ID or name from the Partners sheet",
                   example=("shenzhen-pcb", "acme"), width=22),
    TemplateColumn("To", "to", "Who receives them", example=("acme", "rheinmark"), width=22),
    TemplateColumn("Kind", "kind", "What the flow is (default: supplies)", tuple(k.value for k in EdgeKind),
                   ("supplies", "distributes"), width=14),
    TemplateColumn("Products", "products", "Product ids on this flow, separated by ;", example=("amp-x1", "amp-x1")),
    TemplateColumn("Certificate of conformance", "documents.certificate_of_conformance",
                   "The goods come with a certificate of conformance", YES_NO, ("yes", "yes"), width=16),
    TemplateColumn("Traceability", "documents.traceability", "How far the goods can be traced back",
                   tuple(t.value for t in TraceLevel), ("full", "full"), width=14),
)

PRODUCT_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("ID", "id", "Short unique product id, as the Products columns of the other sheets name it",
                   example=("amp-x1",)),
    TemplateColumn("Name", "name", "The product's name", example=("X1 Amplifier",), width=28),
    TemplateColumn("Category", "category", "Free text the guideline packs select on: electronics, pharmaceutical, "
                   "apparel, ...", example=("electronics",), width=16),
    TemplateColumn("Critical", "critical", "Safety- or mission-critical (yes/no)", YES_NO, ("yes",), width=10),
)
SHEETS: tuple[tuple[str, str, tuple[TemplateColumn, ...]], ...] = (
    ("Partners", "partners", PARTNER_COLUMNS), ("Flows", "flows", FLOW_COLUMNS),
    ("Products", "products", PRODUCT_COLUMNS))

MAPPING_TEMPLATE_HEAD = """\
# nofakes import mapping: which column of your supplier list feeds which field of supply.yaml.
# Use it when your headers differ from the ones nofakes recognises:
#     nofakes import suppliers.xlsx --map mapping.yaml -o supply.yaml
# `nofakes import YOUR_FILE --print-map` prints the mapping nofakes guesses for your file.
#
# Fields: those of supply.yaml (name, role, country, contract.signed, programs.control_plan, ...);
# audit.date / audit.result / audit.kind fill the partner's audit; certification[ISO 9001].expires
# a certificate of that standard; supplies_to names the partners it supplies (by ID or name);
# attributes.NAME keeps any other value; ignore leaves a column out.
# values: turns a cell value into a field value, e.g. {"Approved Vendor": authorized}.

# company: {name: "Acme Audio Inc.", country: US}   # who runs the audit, if not a brand_owner row
# date_format: DMY      # how dates like 05/06/2026 are written: DMY (day first) or MDY (month first)
"""


def starter_files(xlsx: bool, schema: str) -> dict[str, bytes]:
    """The files `nofakes init` writes, by name: supply.yaml, mapping.yaml, `schema` (the supply-chain JSON
    Schema, which the starter's editor line names), and with `xlsx` the supplier-list template workbook."""
    files = {"supply.yaml": STARTER_SUPPLY.encode("utf-8"), "mapping.yaml": mapping_template().encode("utf-8"),
             SCHEMA_FILE: schema.encode("utf-8")}
    if xlsx:
        from nofakes.importing.workbook import template_bytes

        files[TEMPLATE_FILE] = template_bytes()
    return files


def mapping_template() -> str:
    """The mapping file for the template workbook, each column with its one-line help."""
    lines = [MAPPING_TEMPLATE_HEAD]
    for sheet, kind, columns in SHEETS:
        lines += [f"{kind}:", f'  sheet: "{sheet}"', "  columns:", *(_mapping_line(c) for c in columns)]
        if kind == "partners":
            lines.append('    # "Approval": {field: authorization.status, values: {"Approved Vendor": authorized, '
                         '"Blocked": revoked}}')
    return "\n".join(lines) + "\n"


def _mapping_line(column: TemplateColumn) -> str:
    field = f'"{column.field}"' if "[" in column.field else column.field
    return f'    "{column.header}": {field}'.ljust(62) + f"  # {column.help}"


STARTER_SUPPLY = f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
#
# A starter supply chain for nofakes: your company, one supplier, one distributor and the goods
# flows between them. Replace them with your own partners (or import your supplier list:
# `nofakes import suppliers.xlsx -o supply.yaml`), then run:
#     nofakes validate supply.yaml
#     nofakes audit supply.yaml
# The format: `nofakes schema supply`; editors with yaml-language-server check it as you type.
# As written, the audit finds a few gaps on purpose (Rheinmark has no control plan and no
# flow-down clause): fix them here and audit again to see the score rise.

nofakes: "1"
company: {{id: acme, name: Acme Audio Inc., country: US}}   # who runs the audit
# as_of: 2026-11-01          # the date rules judge against (default: today)
# guidelines: [ntif@1]       # the packs to audit against (default: every built-in pack that fits)

products:
  - {{id: amp-x1, name: X1 Amplifier, category: electronics, critical: true}}

nodes:
  - id: acme                 # your own company is a partner too: tiers count from it
    name: Acme Audio Inc.
    role: brand_owner
    country: US

  - id: shenzhen-pcb
    name: Shenzhen PCB Co.
    role: supplier           # brand_owner, manufacturer, contract_manufacturer, supplier, distributor, broker, ...
    country: CN              # ISO 3166-1 alpha-2
    products: [amp-x1]
    audits: [{{date: 2026-03-12, kind: onsite, result: pass, open_findings: 0}}]
    certifications: [{{standard: ISO 9001, accredited: true, expires: 2027-03-01}}]
    contract: {{anti_counterfeit_clause: true, audit_rights: true, flow_down: true, signed: 2025-01-10}}
    programs: {{control_plan: true, training_last: 2026-05-01, quarantine_procedure: true}}
    due_diligence: {{date: 2026-01-20, method: site visit}}

  - id: rheinmark
    name: Rheinmark Vertrieb GmbH
    role: distributor
    country: DE
    authorization: {{status: authorized, granted_by: acme, expires: 2027-06-30}}   # authorization is never a role
    contract: {{anti_counterfeit_clause: true, audit_rights: true, flow_down: false, signed: 2025-04-02}}
    programs: {{training_last: 2026-02-15, quarantine_procedure: true}}
    due_diligence: {{date: 2025-11-03}}
    attributes: {{sales_region: DACH}}   # anything else you want to keep; rules may read it

edges:                       # the way goods flow
  - {{from: shenzhen-pcb, to: acme, kind: supplies, products: [amp-x1],
     documents: {{certificate_of_conformance: true, traceability: full}}}}
  - {{from: acme, to: rheinmark, kind: distributes, products: [amp-x1],
     documents: {{certificate_of_conformance: true, traceability: full}}}}

# waivers:                   # accepted gaps, each with a reason, an approver and an expiry
#   - {{rule: NTF-CON-002, target: rheinmark, reason: "Flow-down clause in the 2027 contract",
#      approved_by: "J. Doe, Compliance", expires: 2027-03-31}}
"""
