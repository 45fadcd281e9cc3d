"""The JSON report: a versioned envelope for CI jobs, GRC tools and `--baseline`.

The envelope is described by `schemas/report.schema.json` (bump `SCHEMA_VERSION` on any
incompatible change). It is deterministic: no timestamps, stable ordering, floats rounded
to 4 decimals, paths as the user gave them. Same inputs, same `as_of`, same packs:
byte-identical output.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from nofakes.audit.result import AuditResult
from nofakes.audit.findings import EFFORT_UNITS, SEVERITY_ORDER, SEVERITY_WEIGHT, AppliedWaiver, Finding, Status
from nofakes.supply.loading import paused_gc
from nofakes.reports.base import Formatter, RenderOptions
from nofakes.reports.common import (all_warnings, display_path, failed_by_severity, gaps_at_or_above, number,
                                    ordered_packs, ordered_sections, partner_name, plain, plan_by_partner,
                                    section_titles)
from nofakes.audit.scoring import FORMULA, GAIN_FORMULA, PlanStep, Score

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "https://nofakes.dev/schemas/report.schema.json"


def _score(score: Score | None) -> dict[str, Any]:
    if score is None:  # nothing scored
        score = Score(0.0, 0.0, 0)
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


def _finding(result: AuditResult, finding: Finding) -> dict[str, Any]:
    waiver: AppliedWaiver | None = finding.waiver
    return {
        "rule": finding.rule_id,
        "pack": finding.pack,
        "section": finding.section,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "subject_type": finding.subject_type,
        "subject": finding.subject,
        "subject_name": finding.subject_name,
        "partner": finding.partner,
        "partner_name": partner_name(result, finding.partner),
        "message": finding.message,
        "detail": finding.detail,
        "missing_evidence": finding.missing_evidence,
        "edge_kind": finding.edge_kind,
        "evidence": list(finding.evidence),
        "waiver": _waiver(waiver) if waiver is not None else None,
        "fingerprint": finding.key,
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


class Lazy(Sequence[Any]):
    """A list whose items are built one at a time as the report is written, so that the
    hundreds of thousands of findings of a large graph never exist as dicts all at once."""

    def __init__(self, items: Sequence[Any], build: Callable[[Any], Any]):
        self.items, self.build = items, build

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.build(item) for item in self.items[index]]
        return self.build(self.items[index])

    def __iter__(self) -> Iterator[Any]:
        return (self.build(item) for item in self.items)


def build_report(result: AuditResult, options: RenderOptions | None = None, *, lazy: bool = False) -> dict[str, Any]:
    """The report as plain JSON-compatible data (what `render` serialises).

    With `lazy`, the findings and the plan are `Lazy` sequences of dicts rather than lists.
    """
    options = options or RenderOptions()
    scores = result.scores
    titles = section_titles(result)
    pack_titles = {pack.id: pack.title for pack in result.packs}
    findings = [f for f in result.findings if result.include_passes or f.status is not Status.passed]
    counted_rules = [r for r in result.rules if r.counts.counted]

    run = {
        "as_of": result.as_of.isoformat(),
        "company": {"id": result.company.id, "name": result.company.name},
        "input": {
            "files": [{"path": display_path(source), "sha256": source.sha256} for source in result.inputs],
            "sha256": result.input_hash,
        },
        "packs": [
            {"id": pack.id, "name": pack.name, "version": pack.version, "title": pack.title,
             "status": pack.status.value, "sha256": pack.sha256}
            for pack in result.packs
        ],
        "parameters": {name: plain(value) for name, value in result.parameters.items()},
        "include_passes": result.include_passes,
    }
    scoring = {
        "formula": FORMULA,
        "gain_formula": GAIN_FORMULA,
        "weights": {s.value: SEVERITY_WEIGHT[s] for s in SEVERITY_ORDER},
        "effort_units": dict(EFFORT_UNITS),
    }
    scores_out = {
        "overall": _score(scores.overall),
        "packs": [{"pack": pack, "title": pack_titles.get(pack, pack), **_score(scores.packs[pack])}
                  for pack in ordered_packs(result)],
        "sections": [{"pack": pack, "section": section, "title": titles.get((pack, section), section),
                      **_score(scores.sections[(pack, section)])}
                     for pack, section in ordered_sections(result)],
        "partners": [{"partner": p.partner, "name": partner_name(result, p.partner), **_score(p.score),
                      "failed": p.failed, "waived": p.waived}
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
        }
        for scored in result.rules
    ]
    by_partner = [
        {"partner": group.partner, "name": group.name, "steps": [step.rank for step in group.steps],
         "total_gain": number(group.total_gain), "effort_units": number(group.effort)}
        for group in plan_by_partner(result)
    ]
    waivers = {
        "applied": len(result.waivers.applied),
        "expired": [_waiver(w) for w in result.waivers.expired],
        "unused": [_waiver(w) for w in result.waivers.unused],
    }
    failed = failed_by_severity(result.findings)
    summary = {
        "failed": failed,
        "failed_total": sum(failed.values()),
        "waived": sum(r.counts.waived for r in result.rules),
        "passed": sum(r.counts.passed for r in result.rules),
        "not_applicable": sum(r.counts.not_applicable for r in result.rules),
        "rules": {"total": len(result.rules), "in_scope": len(counted_rules)},
        "partners": {"scored": len(scores.partners), "with_gaps": sum(1 for p in scores.partners if p.failed)},
        "fail_on": options.fail_on,
        "gaps_at_or_above_fail_on": gaps_at_or_above(result.findings, options.fail_on),
    }
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "nofakes", "version": result.tool_version},
        "run": run,
        "scoring": scoring,
        "scores": scores_out,
        "rules": rules,
        "findings": Lazy(findings, lambda f: _finding(result, f)) if lazy else [_finding(result, f) for f in findings],
        "plan": Lazy(scores.plan, _step) if lazy else [_step(step) for step in scores.plan],
        "plan_by_partner": by_partner,
        "waivers": waivers,
        "warnings": [d.format() for d in all_warnings(result)],
        "summary": summary,
    }


_compact = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode


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
    name = "json"
    extension = ".json"

    def render(self, result: AuditResult, options: RenderOptions) -> bytes:
        buffer = io.BytesIO()
        self.write(result, options, buffer)
        return buffer.getvalue()

    def write(self, result: AuditResult, options: RenderOptions, stream: BinaryIO) -> None:
        """Streams the report: findings and plan steps are built and encoded one at a time."""
        chunks = _Chunks(stream)
        with paused_gc():  # hundreds of thousands of short-lived dicts: collections would only slow it
            _emit(build_report(result, options, lazy=True), 0, chunks.write)
            chunks.write("\n")
            chunks.flush()
