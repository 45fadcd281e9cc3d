"""The shipped examples, audited with the built-in pack: their deliberate gaps are found, and
the full set of findings is pinned so that a change in any rule shows up here.

Regenerate the golden files after an intended change with:
    NOFAKES_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py
and review the diff: every added or removed line is a finding a user will see appear or go.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Finding
from nofakes.packs.catalogue import resolve_pack
from nofakes.supply.loading import load_supply

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ("electronics", "pharma", "apparel", "marketplace")

# (rule, subject, status) the example files' header comments promise an audit finds.
DELIBERATE = {
    "electronics": [
        ("NTF-CHN-001", "dronedeals-global", "fail"),  # diverted through an unauthorized distributor
        ("NTF-AUT-001", "greypeak-trading", "fail"),
        ("NTF-INC-001", "hanwei-ems", "fail"),  # GIDEP report after 105 days
        ("NTF-INC-002", "horizon-camera", "fail"),  # not quarantined
        ("NTF-AUD-001", "lianfa-smt", "fail"),  # failed audit
        ("NTF-AUD-001", "dongnai-power", "fail"),  # hidden sub-tier, never audited
        ("NTF-CON-004", "dongnai-power->saigon-cellpack", "fail"),  # sub-contracting without consent
        ("NTF-CRT-001", "ridgeway-plastics", "fail"),  # expired ISO 9001
        ("NTF-CRT-001", "quickchip-brokers", "fail"),  # its waiver expired
        ("NTF-TRC-001", "quickchip-brokers->hanwei-ems", "fail"),  # untested open-market lot
        ("NTF-SHP-001", "bluewake-fwd->rheinmark-vertrieb", "fail"),  # free-trade zone, unsealed
        ("NTF-AUD-001", "saigon-cellpack", "waived"),
        ("NTF-CON-001", "summit-outfitters", "waived"),
    ],
    "pharma": [
        ("NTF-AUT-003", "great-lakes-pharma", "fail"),  # expired wholesale licence
        ("NTF-AUT-001", "pinnacle-rx", "fail"),
        ("NTF-INC-003", "riverside-pharmacy", "fail"),  # FDA notified after 7 days
        ("NTF-INC-002", "medipharm-wien", "fail"),  # falsified pack not quarantined
        ("NTF-AUD-001", "lanshan-api", "fail"),  # its waiver expired
        ("NTF-CON-002", "sarvam-pharma", "fail"),  # no flow-down
        ("NTF-CRT-001", "coldstar-3pl", "waived"),
        ("NTF-CON-001", "sunbelt-medical", "waived"),
    ],
    "apparel": [
        ("NTF-AUD-001", "meghna-knit", "fail"),  # failed audit
        ("NTF-CON-004", "chittagong-stitch->meghna-knit", "fail"),  # hidden sub-contractor
        ("NTF-AUT-001", "meridian-stocklots", "fail"),
        ("NTF-MKT-001", "peakdeals-outlet->shopwave", "fail"),  # authorization revoked, still listing
        ("NTF-AUT-002", "trailhead-coop->peakdeals-outlet", "fail"),
        ("NTF-CRT-001", "izmir-tekstil", "fail"),
        ("NTF-CON-002", "cumbria-headwear", "fail"),
        ("NTF-INC-002", "cascadia-3pl", "fail"),
        ("NTF-CON-001", "trailhead-coop", "fail"),  # its waiver expired
        ("NTF-AUD-001", "izmir-tekstil", "waived"),
    ],
    "marketplace": [  # format 1.1
        ("NTF-MKT-001", "cheapcharge-store->shopwave", "fail"),  # unauthorized, never vetted
        ("NTF-MKT-001", "dealzone-247->shopwave", "fail"),  # authorization revoked, still listing
        ("NTF-MKT-001", "parcelpoint-resale->shopwave", "fail"),
        ("NTF-MKT-002", "brightwave", "fail"),
        ("NTF-SHP-001", "greyline-trading->cheapcharge-store", "fail"),  # free zone, unsealed
        ("NTF-TRC-001", "greyline-trading->cheapcharge-store", "fail"),  # untested open-market lot
        ("NTF-AUT-001", "bluebox-liquidators", "fail"),
        ("NTF-CHN-001", "parcelpoint-resale", "fail"),  # returns resold through the liquidator
        ("NTF-CRT-001", "penang-pcb", "fail"),
        ("NTF-TRN-001", "lonestar-3pl", "fail"),  # its waiver expired
        ("NTF-AUD-001", "ningbo-kitchen", "waived"),
    ],
}


def findings(example: str) -> tuple[Finding, ...]:
    return run_audit(load_supply(ROOT / "examples" / example / "supply.yaml"), [resolve_pack("ntif@1.0.0")]).findings


def findings_of(example: str) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.subject, f.status.value) for f in findings(example)]


@pytest.mark.parametrize("example", EXAMPLES)
def test_deliberate_gaps_are_found(example: str) -> None:
    found = set(findings_of(example))
    missing = [gap for gap in DELIBERATE[example] if gap not in found]
    assert not missing, f"{example}: deliberate gaps not reported: {missing}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_findings_match_the_golden_file(example: str) -> None:
    lines = [" ".join(f) for f in findings_of(example)]
    golden = GOLDEN / f"{example}.txt"
    text = "\n".join(lines) + "\n"
    if os.environ.get("NOFAKES_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text, (
        f"findings on examples/{example} changed; if intended: NOFAKES_UPDATE_GOLDEN=1 python -m pytest {__file__}")


@pytest.mark.parametrize("example", EXAMPLES)
def test_reasons_match_the_golden_file(example: str) -> None:
    """The "why" of every finding, as a compliance officer reads it (tests/golden/<example>.why.txt)."""
    lines = [f"{f.rule_id} {f.subject}: {f.detail}" for f in findings(example)]
    golden = GOLDEN / f"{example}.why.txt"
    text = "\n".join(lines) + "\n"
    if os.environ.get("NOFAKES_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text, (
        f"reasons on examples/{example} changed; if intended: NOFAKES_UPDATE_GOLDEN=1 python -m pytest {__file__}")
