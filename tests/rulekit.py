"""A pack of a few rules audited over a small supply chain, for fixture-style tests of the rule
language: a graph that passes, one that fails, the failing subjects and their reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Status
from nofakes.audit.result import AuditResult
from nofakes.packs.catalogue import load_pack_file, resolve_file
from nofakes.risk.profile import Profile
from nofakes.supply.loading import load_supply


def pack_text(rules: list[dict[str, Any]], parameters: dict[str, Any] | None = None) -> str:
    full = [{"title": "A rule", "section": "s", "severity": "high", "message": "failed",
             "remediation": "Fix it.", **rule} for rule in rules]
    pack = {"pack": "kit", "version": "1.0.0", "title": "Kit", "status": "released",
            "sections": [{"id": "s", "title": "S"}], "parameters": parameters or {}, "rules": full}
    return yaml.safe_dump(pack, sort_keys=False)


def audit(tmp_path: Path, rules: list[dict[str, Any]], supply: dict[str, Any],
          parameters: dict[str, Any] | None = None, as_of: dt.date | None = None,
          risk: Profile | None = None) -> AuditResult:
    """Audit `supply` (a document; `nofakes` and `company` filled in when absent) against `rules`,
    with the counterfeit risk that `risk` scores (none by default)."""
    pack_path = tmp_path / "kit.yaml"
    pack_path.write_text(pack_text(rules, parameters), encoding="utf-8")
    document = {"nofakes": "1", "company": {"id": "acme", "name": "Acme", "country": "US"}, **supply}
    supply_path = tmp_path / "supply.yaml"
    supply_path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return run_audit(load_supply(supply_path), [resolve_file(load_pack_file(pack_path))], as_of=as_of,
                     risk=risk)


def failing(result: AuditResult) -> dict[str, str]:
    """Failing subject -> reason."""
    return {f.subject: f.detail for f in result.findings if f.status is Status.failed}


def node(node_id: str, role: str = "supplier", **fields: Any) -> dict[str, Any]:
    return {"id": node_id, "name": node_id.title(), "role": role, **fields}
