"""The JSON report: a versioned envelope for CI jobs and GRC tools.

The envelope is described by `schemas/report.schema.json` (`SCHEMA_VERSION`: the major
changes on an incompatible change, the minor when content is added). It is deterministic:
no timestamps, stable ordering, floats rounded to 4 decimals, paths as the user gave them.
Same inputs, same `as_of`, same packs: byte-identical output.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any, BinaryIO

from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_ORDER, SEVERITY_WEIGHT, AppliedWaiver, Finding
from nofakes.audit.gate import Verdict
from nofakes.audit.result import Coverage
from nofakes.audit.scoring import FORMULA, GAIN_FORMULA, PlanStep, Score
from nofakes.core.text import UNSAFE_BEYOND_C0
from nofakes.reports.base import Formatter
from nofakes.reports.common import display_path, number, plain
from nofakes.reports.json_lazy import Lazy
from nofakes.reports.json_risk import partner_risk_fields, risk_report, screening_report
from nofakes.reports.view import ReportView
from nofakes.supply.loading import paused_gc

SCHEMA_VERSION = "1.4"  # 1.1: verdict and coverage; 1.2: baseline and each finding's change;
# 1.3: a rule's not_in_force, list parameter values, the risk object, risk and exposure of partners, plan weight;
# 1.4: the screening object
SCHEMA_ID = "https://nofakes.dev/schemas/report.schema.json"


def _score(score: Score) -> dict[str, Any]:
    return {
        "score": number(score.value),
        "numerator": number(score.numerator),
        "denominator": number(score.denominator),
        "rules": score.rules,
    }


def _waiver(waiver: Any) -> dict[str, Any]:
    """An applied waiver or a model.Waiver (same fields)."""
    return {
        "rule": waiver.rule,
        "target": waiver.target,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires.isoformat(),
    }


def _finding(view: ReportView, finding: Finding) -> dict[str, Any]:
    waiver: AppliedWaiver | None = finding.waiver
    out = {
        "rule": finding.rule_id,
        "pack": finding.pack,
        "section": finding.section,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "subject_type": finding.subject_type,
        "subject": finding.subject,
        "subject_name": finding.subject_name,
        "partner": finding.partner,
        "partner_name": view.partner_name(finding.partner),
        "message": finding.message,
        "detail": finding.detail,
        "missing_evidence": finding.missing_evidence,
        "edge_kind": finding.edge_kind,
        "evidence": list(finding.evidence),
        "waiver": _waiver(waiver) if waiver is not None else None,
        "fingerprint": finding.key,
    }
    if view.baseline is not None:
        out["change"] = view.change(finding)
    return out


def _baseline(view: ReportView) -> dict[str, Any] | None:
    comparison = view.baseline
    if comparison is None:
        return None
    return {
        "file": display_path(comparison.file),
        "as_of": comparison.as_of,
        "counts": {"new": comparison.new, "unchanged": comparison.unchanged, "fixed": len(comparison.fixed)},
        "scores": [{"pack": c.pack, "section": c.section, "title": c.title, "old": number(c.old),
                    "new": number(c.new), "delta": number(c.delta)} for c in comparison.scores],
        "fixed": [{"rule": f.rule, "pack": f.pack, "severity": f.severity, "subject": f.subject,
                   "partner": f.partner, "partner_name": f.partner_name, "message": f.message,
                   "fingerprint": f.fingerprint} for f in comparison.fixed],
    }


def _step(step: PlanStep) -> dict[str, Any]:
    finding = step.finding
    return {
        "rank": step.rank,
        "rule": finding.rule_id,
        "pack": finding.pack,
        "severity": finding.severity.value,
        "subject": finding.subject,
        "partner": finding.partner,
        "effort": step.effort,
        "gain": number(step.gain),
        "gain_per_effort": number(step.gain_per_effort),
        "projected_score": number(step.projected),
        "fingerprint": finding.key,
    }


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "passed": verdict.passed,
        "thresholds": {"fail_on": verdict.thresholds.fail_on, "fail_under": number(verdict.thresholds.fail_under)},
        "reasons": list(verdict.reasons),
    }


def _coverage(coverage: Coverage) -> dict[str, Any]:
    return {
        "rules_selected": coverage.rules_selected,
        "rules_scored": coverage.rules_scored,
        "subjects_evaluated": coverage.subjects_evaluated,
        "partners": coverage.partners,
    }


def build_report(view: ReportView, *, lazy: bool = False) -> dict[str, Any]:
    """The report as plain JSON-compatible data (what `render` serialises).

    With `lazy`, the findings and the plan are `Lazy` sequences of dicts rather than lists.
    """
    scores = view.scores
    run = {
        "as_of": view.as_of.isoformat(),
        "company": {"id": view.company_id, "name": view.company_name},
        "input": {
            "files": [{"path": source.path, "sha256": source.sha256} for source in view.inputs],
            "sha256": view.input_hash,
        },
        "packs": [
            {"id": pack.id, "name": pack.name, "version": pack.version, "title": pack.title,
             "status": pack.status.value, "sha256": pack.sha256}
            for pack in view.packs
        ],
        "parameters": {name: plain(value) for name, value in view.parameters.items()},
        "include_passes": view.include_passes,
    }
    scoring = {
        "formula": FORMULA,
        "gain_formula": GAIN_FORMULA,
        "weights": {s.value: SEVERITY_WEIGHT[s] for s in SEVERITY_ORDER},
        "effort_units": dict(EFFORT_UNITS),
        **({"plan_weight_formula": view.plan_weighting} if view.plan_weighting else {}),
    }
    scores_out = {
        "overall": _score(view.overall),
        "packs": [{"pack": pack, "title": view.pack_titles.get(pack, pack), **_score(scores.packs[pack])}
                  for pack in view.pack_order],
        "sections": [{"pack": pack, "section": section, "title": view.section_titles.get((pack, section), section),
                      **_score(scores.sections[(pack, section)])}
                     for pack, section in view.section_order],
        "partners": [{"partner": p.partner, "name": view.partner_name(p.partner), **_score(p.score),
                      "failed": p.failed, "waived": p.waived, **partner_risk_fields(view, p.partner)}
                     for p in scores.partners],
    }
    rules = [
        {
            "pack": scored.pack,
            "id": scored.rule.id,
            "title": scored.rule.title,
            "section": scored.rule.section,
            "severity": scored.rule.severity.value,
            "weight": scored.weight,
            "target": scored.rule.target.value,
            "effort": scored.rule.effort.value,
            "counts": {
                "passed": scored.counts.passed,
                "failed": scored.counts.failed,
                "waived": scored.counts.waived,
                "not_applicable": scored.counts.not_applicable,
            },
            "compliance": number(scored.counts.compliance),
            **({"not_in_force": scored.not_in_force} if scored.not_in_force else {}),
        }
        for scored in view.rules
    ]
    by_partner = [
        {"partner": group.partner, "name": group.name, "steps": [step.rank for step in group.steps],
         "total_gain": number(group.total_gain), "effort_units": number(group.effort),
         **partner_risk_fields(view, group.partner)}
        for group in view.plan_by_partner
    ]
    waivers = {
        "applied": len(view.waivers.applied),
        "expired": [_waiver(w) for w in view.waivers.expired],
        "unused": [_waiver(w) for w in view.waivers.unused],
    }
    verdict, totals = view.verdict, view.totals
    failed = dict(verdict.failed_by_severity)
    summary = {
        "failed": failed,
        "failed_total": sum(failed.values()),
        "waived": totals.waived,
        "passed": totals.passed,
        "not_applicable": totals.not_applicable,
        "rules": {"total": view.coverage.rules_selected, "in_scope": view.coverage.rules_scored},
        "partners": {"scored": len(scores.partners), "with_gaps": sum(1 for p in scores.partners if p.failed)},
        "fail_on": verdict.thresholds.fail_on,
        "gaps_at_or_above_fail_on": verdict.gaps_over,
    }

    def finding(f: Finding) -> dict[str, Any]:
        return _finding(view, f)

    baseline = _baseline(view)
    risk = risk_report(view, lazy=lazy)
    screening = screening_report(view)
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "nofakes", "version": view.tool_version},
        "run": run,
        "verdict": _verdict(verdict),
        "scoring": scoring,
        "scores": scores_out,
        "coverage": _coverage(view.coverage),
        "rules": rules,
        "findings": Lazy(view.listed, finding) if lazy else [finding(f) for f in view.listed],
        "plan": Lazy(view.plan, _step) if lazy else [_step(step) for step in view.plan],
        "plan_by_partner": by_partner,
        "waivers": waivers,
        "warnings": [d.format() for d in view.warnings],
        "summary": summary,
        **({"baseline": baseline} if baseline is not None else {}),
        **({"risk": risk} if risk is not None else {}),
        **({"screening": screening} if screening is not None else {}),
    }


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
# Characters the encoder leaves as they are (it escapes U+0000-001F only) that a terminal acts on when the
# report is shown with `cat`. They occur only inside strings, where a \uXXXX escape is the same character.
_TERMINAL_UNSAFE = re.compile(f"[{UNSAFE_BEYOND_C0}]")


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _compact(value: Any) -> str:
    text = _encode(value)
    if text.isascii() and "\x7f" not in text:  # the common case, checked in C: nothing to escape
        return text
    return _TERMINAL_UNSAFE.sub(_escape_unsafe, text)


def _emit(value: Any, depth: int, write: Callable[[str], Any]) -> None:
    """Mappings indented by key; each item of a list of mappings on one line.

    Readable and diffable like `indent=2`, but every list item goes through the C encoder:
    `json.dumps(indent=...)` falls back to the pure-Python encoder, 20x slower on the
    hundreds of thousands of findings of a large graph.
    """
    pad = "  " * (depth + 1)
    if isinstance(value, dict) and value:
        write("{\n")
        for i, (key, item) in enumerate(value.items()):
            write(f"{pad}{_compact(key)}: ")
            _emit(item, depth + 1, write)
            write(",\n" if i < len(value) - 1 else "\n")
        write("  " * depth + "}")
    elif value and (isinstance(value, Lazy) or isinstance(value, list) and all(isinstance(v, (dict, list))
                                                                              for v in value)):
        write("[\n")
        for i, item in enumerate(value):
            write((",\n" if i else "") + pad + _compact(item))
        write("\n" + "  " * depth + "]")
    elif isinstance(value, Lazy):  # empty
        write("[]")
    else:
        write(_compact(value))


def dumps(report: dict[str, Any]) -> str:
    out: list[str] = []
    _emit(report, 0, out.append)
    return "".join(out) + "\n"


class _Chunks:
    """Collects text and writes it to a binary stream as UTF-8, about a megabyte at a time."""

    def __init__(self, stream: BinaryIO, size: int = 1 << 20):
        self.stream, self.size, self.length = stream, size, 0
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length >= self.size:
            self.flush()

    def flush(self) -> None:
        self.stream.write("".join(self.parts).encode("utf-8"))
        self.parts, self.length = [], 0


class JsonFormatter(Formatter):

    def render(self, view: ReportView) -> bytes:
        buffer = io.BytesIO()
        self.write(view, buffer)
        return buffer.getvalue()

    def write(self, view: ReportView, stream: BinaryIO) -> None:
        """Streams the report: findings and plan steps are built and encoded one at a time."""
        chunks = _Chunks(stream)
        with paused_gc():  # hundreds of thousands of short-lived dicts: collections would only slow it
            _emit(build_report(view, lazy=True), 0, chunks.write)
            chunks.write("\n")
            chunks.flush()
