"""Baselines: what changed since an earlier JSON report of nofakes (`audit --baseline OLD.json`).

Reading the old report is input (its JSON is parsed by `nofakes.sources`, with `file:line:col`
for bad JSON); comparing it with this run is audit work, because the gate (`--fail-on-new`)
decides on its marks: the gate lives in `nofakes.audit`, so the comparison does too, and the
report view only carries it to every format.

Gaps are matched by fingerprint (rule id, subject and edge kind; never position or message
text) within a pack of the same name, so a pack's new patch or minor version still matches.
The old findings are indexed once, so comparing is linear in the number of findings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nofakes.audit.findings import SEVERITY_ORDER, Finding, Status
from nofakes.core.errors import Diagnostic, InputError
from nofakes.sources.formats import for_path, locate, parse
from nofakes.sources.text import decode

if TYPE_CHECKING:
    from nofakes.audit.result import AuditResult

READ_MINOR = 1  # the oldest 1.x report schema a baseline may have (1.1: verdict and coverage)
SEVERITIES = tuple(s.value for s in SEVERITY_ORDER)
KNOWN_MINOR = 2  # the newest report schema this version writes (see nofakes.reports.json_report)


class Change(enum.Enum):
    new = "new"
    unchanged = "unchanged"
    fixed = "fixed"


@dataclass(frozen=True, slots=True)
class OldFinding:
    """A failing finding of the baseline report, as that report wrote it."""

    rule: str
    pack: str  # pack id with its version, as in the old report
    severity: str
    subject: str
    partner: str | None
    partner_name: str | None
    message: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """One score then and now: overall (`pack` and `section` None), a pack, or a section of a pack."""

    pack: str | None  # pack name (without version)
    section: str | None
    title: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else round(self.new - self.old, 4)


@dataclass(frozen=True)
class Baseline:
    """What a comparison needs from an old JSON report."""

    file: str
    schema_version: str
    company_id: str
    as_of: str
    packs: Mapping[str, str]  # pack name -> version
    overall: float | None
    pack_scores: Mapping[str, float | None]  # pack name -> score
    section_scores: Mapping[tuple[str, str], float | None]  # (pack name, section) -> score
    failing: Mapping[tuple[str, str], OldFinding]  # (pack name, fingerprint) -> finding, in the old report's order


@dataclass(frozen=True)
class Comparison:
    """This run against its baseline: a mark per failing finding, the fixed gaps, the score changes."""

    file: str
    as_of: str  # the baseline's as_of
    marks: Mapping[tuple[str, str], Change]  # (pack name, fingerprint) of each failing finding -> new or unchanged
    fixed: tuple[OldFinding, ...]  # failing in the baseline, not failing now; most severe first
    scores: tuple[ScoreChange, ...]  # overall, then each pack, then each section
    warnings: tuple[Diagnostic, ...]

    def change(self, finding: Finding) -> Change | None:
        """new or unchanged for a failing finding; None for any other (waived, passing)."""
        if finding.status is not Status.failed:
            return None
        return self.marks.get((pack_name(finding.pack), finding.key))

    @property
    def new(self) -> int:
        return sum(1 for mark in self.marks.values() if mark is Change.new)

    @property
    def unchanged(self) -> int:
        return len(self.marks) - self.new

    @cached_property
    def pack_counts(self) -> Mapping[str, tuple[int, int, int]]:
        """Pack name -> (new, unchanged, fixed) gaps."""
        counts: dict[str, list[int]] = {}
        for (name, _), mark in self.marks.items():
            counts.setdefault(name, [0, 0, 0])[0 if mark is Change.new else 1] += 1
        for old in self.fixed:
            counts.setdefault(pack_name(old.pack), [0, 0, 0])[2] += 1
        return {name: (new, unchanged, fixed) for name, (new, unchanged, fixed) in counts.items()}

    def counts_text(self) -> str:
        """'2 new, 5 unchanged, 1 fixed'."""
        return f"{self.new:,} new, {self.unchanged:,} unchanged, {len(self.fixed):,} fixed"


def pack_name(pack_id: str) -> str:
    """'ntif@1.2.0' -> 'ntif'."""
    return pack_id.partition("@")[0]


def _major(version: str) -> str:
    return version.partition(".")[0]


class _Reader:
    """Reads the fields of the old report, each problem located in the file."""

    def __init__(self, file: str, text: str):
        self.file, self.text = file, text

    def error(self, path: Sequence[str | int], message: str, expected: str | None = None) -> InputError:
        line, column = locate(self.text, list(path)) if path else (None, None)
        shown = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))
        return InputError([Diagnostic(self.file, f"baseline report: {message}", path=shown, line=line, column=column,
                                      expected=expected)])

    def get(self, data: Any, path: Sequence[str | int], kind: type | tuple[type, ...], expected: str) -> Any:
        value = data
        for i, step in enumerate(path):
            ok = isinstance(value, dict) and step in value if isinstance(step, str) else \
                isinstance(value, list) and step < len(value)
            if not ok:
                raise self.error(path[:i], f"missing {step!r}" if isinstance(step, str) else "too short", expected)
            value = value[step]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.error(path, f"found {value!r}", expected)
        return value


def _score(reader: _Reader, data: Any, path: list[str | int]) -> float | None:
    value = reader.get(data, path, (int, float, type(None)), "a score or null")
    return None if value is None else float(value)


def read_baseline(path: Path) -> Baseline:
    """The baseline in the JSON report at `path`; an InputError (exit 2) when it cannot be read or is not
    a nofakes report of a schema this version reads."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Diagnostic(file, f"cannot read the baseline report: {exc.strerror or exc}")]) from None
    text = decode(raw, file)
    if isinstance(text, Diagnostic):
        raise InputError([text])
    parsed = parse(text, file, for_path("report.json"))
    if isinstance(parsed, Diagnostic):
        raise InputError([parsed])
    data = parsed.data
    reader = _Reader(file, text)
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "nofakes":
        raise reader.error([], "not a JSON report of nofakes", "the output of `nofakes audit --format json`")
    version = reader.get(data, ["schema_version"], str, "a report schema version such as '1.2'")
    major, _, minor = version.partition(".")
    if major != "1" or not minor.isdigit():
        raise reader.error(["schema_version"], f"report schema {version} is unknown to this version of nofakes",
                           "a report schema 1.x")
    if int(minor) < READ_MINOR:
        raise reader.error(["schema_version"], f"report schema {version} is older than this version reads",
                           f"a report of schema 1.{READ_MINOR} or later: re-run the baseline audit with --format json")
    run = reader.get(data, ["run"], dict, "the run of the report")
    packs: dict[str, str] = {}
    for i, _ in enumerate(reader.get(run, ["packs"], list, "a list of packs")):
        pack_id = reader.get(run, ["packs", i, "id"], str, "a pack id")
        packs[pack_name(pack_id)] = reader.get(run, ["packs", i, "version"], str, "a pack version")
    scores = reader.get(data, ["scores"], dict, "the scores of the report")
    pack_scores = {pack_name(reader.get(scores, ["packs", i, "pack"], str, "a pack id")):
                   _score(reader, scores, ["packs", i, "score"])
                   for i, _ in enumerate(reader.get(scores, ["packs"], list, "a list of pack scores"))}
    section_scores = {(pack_name(reader.get(scores, ["sections", i, "pack"], str, "a pack id")),
                       reader.get(scores, ["sections", i, "section"], str, "a section id")):
                      _score(reader, scores, ["sections", i, "score"])
                      for i, _ in enumerate(reader.get(scores, ["sections"], list, "a list of section scores"))}
    failing: dict[tuple[str, str], OldFinding] = {}
    findings = reader.get(data, ["findings"], list, "a list of findings")
    for i in range(len(findings)):
        def field(name: str, kind: type | tuple[type, ...], expected: str, i: int = i) -> Any:
            return reader.get(data, ["findings", i, name], kind, expected)

        if field("status", str, "a finding status") != Status.failed.value:
            continue
        severity = field("severity", str, "a severity")
        if severity not in SEVERITIES:
            raise reader.error(["findings", i, "severity"], f"found {severity!r}", "one of " + ", ".join(SEVERITIES))
        old = OldFinding(
            rule=field("rule", str, "a rule id"), pack=field("pack", str, "a pack id"),
            severity=severity, subject=field("subject", str, "a subject"),
            partner=field("partner", (str, type(None)), "a partner id or null"),
            partner_name=field("partner_name", (str, type(None)), "a partner name or null"),
            message=field("message", str, "a message"), fingerprint=field("fingerprint", str, "a fingerprint"))
        failing[(pack_name(old.pack), old.fingerprint)] = old
    return Baseline(
        file=file, schema_version=version,
        company_id=reader.get(run, ["company", "id"], str, "a company id"),
        as_of=reader.get(run, ["as_of"], str, "a date"), packs=packs,
        overall=_score(reader, scores, ["overall", "score"]), pack_scores=pack_scores,
        section_scores=section_scores, failing=failing)


def _check(baseline: Baseline, result: AuditResult) -> list[Diagnostic]:
    """Warnings where comparing still makes sense; an InputError where it does not."""
    file = baseline.file
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    if baseline.company_id != result.company.id:
        errors.append(Diagnostic(file, f"the baseline audits company {baseline.company_id!r}, this run "
                                       f"{result.company.id!r}", hint="compare reports of one company"))
    now = {pack.name: pack.version for pack in result.packs}
    if set(now) != set(baseline.packs):
        errors.append(Diagnostic(file, f"the baseline audits the packs {', '.join(sorted(baseline.packs)) or 'none'}, "
                                       f"this run {', '.join(sorted(now)) or 'none'}",
                                 hint="audit with the same packs (-g) as the baseline"))
    for name in sorted(set(now) & set(baseline.packs)):
        old, new = baseline.packs[name], now[name]
        if _major(old) != _major(new):
            errors.append(Diagnostic(file, f"the baseline audits {name}@{old}, this run {name}@{new}: a new major "
                                           "version changes what its rules mean",
                                     hint=f"audit with -g {name}@{old}, or start a new baseline"))
        elif old != new:
            warnings.append(Diagnostic(file, f"the baseline audits {name}@{old}, this run {name}@{new}: gaps of rules "
                                             "added, removed or changed in between show as new or fixed",
                                       level="warning"))
    if int(baseline.schema_version.partition(".")[2]) > KNOWN_MINOR:
        warnings.append(Diagnostic(file, f"the baseline has report schema {baseline.schema_version}, newer than this "
                                         "version writes: what it added is not compared", level="warning"))
    if errors:
        raise InputError(errors)
    return warnings


def _score_changes(baseline: Baseline, result: AuditResult) -> tuple[ScoreChange, ...]:
    scores = result.scores
    overall = scores.overall.value if scores.overall is not None else None
    names = {pack.id: pack.name for pack in result.packs}
    titles = {pack.id: pack.title for pack in result.packs}
    sections = {(pack.id, s.id): s.title for pack in result.packs for s in pack.sections}
    out = [ScoreChange(None, None, "Overall", baseline.overall, overall)]
    for pack_id, score in scores.packs.items():
        name = names.get(pack_id, pack_name(pack_id))
        out.append(ScoreChange(name, None, titles.get(pack_id, name), baseline.pack_scores.get(name), score.value))
    declared = [(pack.id, section.id) for pack in result.packs for section in pack.sections]
    order = {key: i for i, key in enumerate(declared)}
    for pack_id, section in sorted(scores.sections, key=lambda key: (order.get(key, len(order)), key)):
        score = scores.sections[(pack_id, section)]
        name = names.get(pack_id, pack_name(pack_id))
        out.append(ScoreChange(name, section, sections.get((pack_id, section), section),
                               baseline.section_scores.get((name, section)), score.value))
    return tuple(out)


def compare(baseline: Baseline, result: AuditResult) -> Comparison:
    """This run against `baseline`; an InputError when they cannot be compared (another company or pack)."""
    warnings = _check(baseline, result)
    marks: dict[tuple[str, str], Change] = {}
    for finding in result.findings:
        if finding.status is Status.failed:
            key = (pack_name(finding.pack), finding.key)
            marks[key] = Change.unchanged if key in baseline.failing else Change.new
    rank = {name: i for i, name in enumerate(SEVERITIES)}
    fixed = sorted((old for key, old in baseline.failing.items() if key not in marks),
                   key=lambda f: (rank[f.severity], f.rule, f.pack, f.subject))
    return Comparison(baseline.file, baseline.as_of, marks, tuple(fixed), _score_changes(baseline, result),
                      tuple(warnings))
