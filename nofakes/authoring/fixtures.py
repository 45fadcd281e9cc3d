"""The fixture harness: run a pack's rules on small supply graphs and compare with what is expected.

A fixture folder holds one file per rule, `<RULE-ID>.yaml`:

    rule: ELX-SRC-001
    as_of: 2026-11-01                 # audit date of every case (a case may set its own)
    versions: ">=1.1.0"               # optional: the pack versions the cases apply to (a case may set its own)
    risk_profile: ipr-seizures@1.1.0  # optional: the risk profile of every case (default: the audit's default)
    screening:                        # optional (a case may set its own): what rules reading screening.* see
      watchlist: [{name: Acme Fakes Ltd, country: CN, aliases: "Acme Fake", reason: ..., source: ...}]
      notorious: true                 # screen against the shipped notorious-markets list (default true)
      threshold: 0.85                 # the similarity from which a name resembles a listed one
    supply: {...}                     # optional: a graph shared by the cases that have none
    cases:
      - name: a vetted supplier passes, an unvetted one fails
        supply: {nofakes: "1", company: ..., nodes: ..., edges: ...}
        expect:
          fail: [ids]                 # subjects: node id, 'from->to', product id, company id, path end id
          pass: [ids]
          waived: [ids]
          not_applicable: [ids]       # compared by count (not-applicable subjects are not kept as findings)
          missing_evidence: [ids]     # optional: failing subjects whose failure is "no evidence of ..."
          evidence: {end-id: [node ids]}  # optional: the path a failing path-rule subject carries
          detail: {id: "text"}        # optional: text expected in the finding's detail
          message: {id: "text"}       # optional: text expected in the finding's message

The versions of a pack folder share its fixtures: `versions` (see `nofakes.authoring.versions`)
says which versions a file or a case is for, and a case for other versions is skipped (counted, not
run) when another version is tested, as is the meta-check for that file's rule.

Each case's graph is loaded like a user's file (written to a temporary folder) and audited
against the pack, with the file's risk profile or the default one (rules may read `risk.*`); a failing
finding's message must have every placeholder filled. The meta-check fails a pack in which an
active rule has no fixture file, or no case where a subject passes and one where a subject
fails, or a fixture file names a rule the pack does not have.
Malformed fixture files are located errors (`file:line:col`), all reported before anything runs.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from nofakes.audit.engine import run_audit
from nofakes.audit.findings import Finding, Status
from nofakes.audit.screening import ScreeningLists
from nofakes.authoring.fixture_screening import screening_of
from nofakes.authoring.versions import EXPECTED as VERSIONS_EXPECTED
from nofakes.authoring.versions import Versions, parse_versions
from nofakes.core.errors import Diagnostic, InputError, format_path
from nofakes.core.resources import looks_like_path
from nofakes.core.text import count_of
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import RuleStatus
from nofakes.risk.defaults import DEFAULT_PROFILE
from nofakes.risk.profile import Profile, load_profile
from nofakes.sources import formats
from nofakes.supply.loading import load_supply

LIST_KEYS = ("fail", "pass", "waived", "not_applicable", "missing_evidence")
MAP_KEYS = ("evidence", "detail", "message")
FILE_KEYS = ("rule", "as_of", "versions", "risk_profile", "screening", "supply", "cases")
CASE_KEYS = ("name", "as_of", "versions", "screening", "supply", "expect")
STATUS_KEYS = {Status.failed: "fail", Status.passed: "pass", Status.waived: "waived"}
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    index: int
    as_of: dt.date
    supply: dict[str, Any]
    shared: bool  # the graph is the file's, shared by the cases that have none
    expect: dict[str, Any]
    file: Path
    text: str  # the fixture file's text (to locate problems in it)
    versions: Versions | None = None  # the pack versions the case is for (None: every version)
    risk_profile: str = DEFAULT_PROFILE  # what `load_profile` reads (a file's path made absolute)
    screening: ScreeningLists | None = None  # None: the audit's default (the shipped list, no watch list)

    def is_for(self, version: str) -> bool:
        return self.versions is None or self.versions.admits(version)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    problems: tuple[str, ...]  # empty: the case passed

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class FixtureReport:
    pack: str
    folder: str
    results: tuple[CaseResult, ...]
    meta: tuple[str, ...]  # meta-check problems
    skipped: int = 0  # cases for other versions of the pack

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if not r.passed)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.meta


def fixture_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file())


def load_cases(folder: Path) -> list[Case]:
    """Every case of every fixture file in `folder`; every malformed file reported in one InputError."""
    if not folder.is_dir():
        raise InputError([Diagnostic(str(folder), "no such folder", expected="a folder of <RULE-ID>.yaml fixtures")])
    cases: list[Case] = []
    problems: list[Diagnostic] = []
    for path in fixture_files(folder):
        found, errors = _read(path)
        cases += found
        problems += errors
    if problems:
        raise InputError(problems)
    return cases


def _read(path: Path) -> tuple[list[Case], list[Diagnostic]]:
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Diagnostic(display, f"cannot read the fixture file: {exc}")]
    parsed = formats.parse(text, display, formats.for_path(path))
    if isinstance(parsed, Diagnostic):
        return [], [parsed]
    data = parsed.data
    problems: list[Diagnostic] = []

    def bad(loc: list[str | int], message: str, expected: str, key: bool = False) -> None:
        line, col = formats.locate(text, loc, key=key)
        problems.append(Diagnostic(display, message, path=format_path(loc), line=line, column=col, expected=expected))

    if not isinstance(data, dict):
        bad([], "a fixture file is a mapping", "rule, as_of, cases")
        return [], problems
    for key in sorted(set(map(str, data)) - set(FILE_KEYS)):
        bad([key], f"unknown key {key!r}", "one of: " + ", ".join(FILE_KEYS), key=True)
    rule = data.get("rule")
    if not isinstance(rule, str) or not rule:
        bad(["rule"], f"found {rule!r}", "the id of the rule these cases test")
    elif rule != path.stem:
        bad(["rule"], f"rule {rule} in a file named {path.name}", f"a file named {rule}{path.suffix}")
    file_versions = _versions(data, ["versions"], None, bad)
    profile = _profile_ref(data, path, bad)
    file_screening = screening_of(data, ["screening"], None, bad)
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        bad(["cases"], f"found {raw_cases!r}"[:120], "a non-empty list of cases")
        return [], problems
    cases = []
    names: set[str] = set()
    for index, raw in enumerate(raw_cases):
        loc: list[str | int] = ["cases", index]
        if not isinstance(raw, dict):
            bad(loc, "a case is a mapping", "name, supply, expect")
            continue
        for key in sorted(set(map(str, raw)) - set(CASE_KEYS)):
            bad([*loc, key], f"unknown key {key!r}", "one of: " + ", ".join(CASE_KEYS), key=True)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            bad([*loc, "name"], f"found {name!r}", "a name saying what the case shows")
        elif name in names:
            bad([*loc, "name"], f"a second case named {name!r}", "a unique name per case")
        names.add(str(name))
        as_of = raw.get("as_of", data.get("as_of"))
        if not isinstance(as_of, dt.date):
            bad([*loc, "as_of"] if "as_of" in raw else ["as_of"], f"found {as_of!r}",
                "an audit date YYYY-MM-DD (on the case, or once for the file)")
        supply = raw.get("supply", data.get("supply"))
        if not isinstance(supply, dict):
            bad([*loc, "supply"], f"found {supply!r}"[:120], "a supply graph (on the case, or shared by the file)")
        expect = raw.get("expect")
        if "expect" not in raw:
            bad(loc, "a case without 'expect'", "expect: {fail: [...], pass: [...], ...}")
            continue
        if not _check_expect(expect, [*loc, "expect"], bad) or not isinstance(expect, dict):
            continue
        versions = _versions(raw, [*loc, "versions"], file_versions, bad)
        screening = screening_of(raw, [*loc, "screening"], file_screening, bad)
        if isinstance(rule, str) and isinstance(as_of, dt.date) and isinstance(supply, dict):
            cases.append(Case(rule, str(name), index, as_of, supply, "supply" not in raw, expect, path, text,
                              versions, profile, screening))
    return cases, problems


def _profile_ref(data: dict[str, Any], path: Path, bad: Any) -> str:
    """The file's `risk_profile` (a path relative to the fixture file), checked by loading it."""
    ref = data.get("risk_profile", DEFAULT_PROFILE)
    if not isinstance(ref, str) or not ref.strip():
        bad(["risk_profile"], f"found {ref!r}", "a risk profile: NAME[@VERSION] or a file")
        return DEFAULT_PROFILE
    if looks_like_path(ref):
        ref = str(path.parent / ref)
    try:
        _risk_profile(ref)
    except InputError as exc:
        bad(["risk_profile"], exc.diagnostics[0].message, "a risk profile: NAME[@VERSION] or a file")
        return DEFAULT_PROFILE
    return ref


def _versions(data: dict[str, Any], loc: list[str | int], default: Versions | None, bad: Any) -> Versions | None:
    """The `versions` of a file or case (a case without one has its file's)."""
    if "versions" not in data:
        return default
    versions = parse_versions(data["versions"])
    if versions is None:
        bad(loc, f"found {data['versions']!r}"[:120], VERSIONS_EXPECTED)
    return versions


def _check_expect(expect: Any, loc: list[str | int], bad: Any) -> bool:
    if not isinstance(expect, dict):
        bad(loc, f"found {expect!r}"[:120], "a mapping of fail, pass, not_applicable, ...")
        return False
    good = True
    for key, value in expect.items():
        if key in LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad([*loc, key], f"found {value!r}"[:120], "a list of subject ids")
                good = False
        elif key in MAP_KEYS:
            if not isinstance(value, dict):
                bad([*loc, key], f"found {value!r}"[:120], "a mapping of subject id to " +
                    ("a list of node ids" if key == "evidence" else "text"))
                good = False
        else:
            bad([*loc, key], f"unknown key {key!r}", "one of: " + ", ".join((*LIST_KEYS, *MAP_KEYS)), True)
            good = False
    return good


def run_case(pack: ResolvedPack, case: Case, workdir: Path) -> CaseResult:
    """Audit the case's graph against the pack and compare the rule's findings with what is expected."""
    supply_file = workdir / f"{case.rule}-{case.index}.yaml"
    supply_file.write_text(yaml.safe_dump(case.supply, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        result = run_audit(load_supply(supply_file), [pack], as_of=case.as_of, include_passes=True,
                           risk=_risk_profile(case.risk_profile), screening=case.screening)
    except InputError as exc:
        return CaseResult(case, tuple(_relocated(case, d).format() for d in exc.diagnostics))
    scored = [s for s in result.rules if s.rule.id == case.rule]
    if not scored:
        return CaseResult(case, (f"{pack.id} has no active rule {case.rule}",))
    counts = scored[0].counts
    findings = [f for f in result.findings if f.rule_id == case.rule]
    return CaseResult(case, tuple(_compare(case.expect, findings, counts.not_applicable)))


@functools.cache
def _risk_profile(ref: str) -> Profile:
    """The risk profile `ref` names, loaded once per run."""
    return load_profile(ref)


def _relocated(case: Case, diagnostic: Diagnostic) -> Diagnostic:
    """A problem in a case's graph, located in the fixture file rather than the temporary file."""
    parts: list[str | int] = [int(i) if i else name for i, name in _PATH_PART.findall(diagnostic.path)]
    supply_loc: list[str | int] = ["supply"] if case.shared else ["cases", case.index, "supply"]
    line, col = formats.locate(case.text, [*supply_loc, *parts])
    return replace(diagnostic, file=str(case.file), path=format_path([*supply_loc, *parts]), line=line, column=col)


def _compare(expect: dict[str, Any], findings: list[Finding], not_applicable: int) -> list[str]:
    problems = []
    got: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        got[STATUS_KEYS[finding.status]].add(finding.subject)
    for key in ("fail", "pass", "waived"):
        wanted = set(expect.get(key) or [])
        if got[key] != wanted:
            problems.append(f"{key}: expected {sorted(wanted)}, got {sorted(got[key])}")
    wanted_na = len(expect.get("not_applicable") or [])
    if not_applicable != wanted_na:
        problems.append(f"not_applicable: expected {wanted_na} ({sorted(expect.get('not_applicable') or [])}), "
                        f"got {not_applicable}")
    unpassed = {f.subject: f for f in findings if f.status is not Status.passed}
    if "missing_evidence" in expect:
        missing = {s for s, f in unpassed.items() if f.missing_evidence}
        if missing != set(expect["missing_evidence"]):
            problems.append(f"missing_evidence: expected {sorted(expect['missing_evidence'])}, got {sorted(missing)}")
    for subject, nodes in (expect.get("evidence") or {}).items():
        if subject not in unpassed:
            problems.append(f"evidence: no failing finding for {subject}")
        elif list(unpassed[subject].evidence) != list(nodes):
            problems.append(f"evidence of {subject}: expected {nodes}, got {list(unpassed[subject].evidence)}")
    for field in ("detail", "message"):
        for subject, text in (expect.get(field) or {}).items():
            if subject not in unpassed:
                problems.append(f"{field}: no failing finding for {subject}")
            elif str(text) not in getattr(unpassed[subject], field):
                problems.append(f"{field} of {subject}: {str(text)!r} not in {getattr(unpassed[subject], field)!r}")
    for finding in findings:
        if finding.status is Status.failed and "?" in finding.message:
            problems.append(f"unfilled placeholder in the message of {finding.subject}: {finding.message!r}")
    if problems:
        problems += [f"  {f.status.value} {f.subject}" + (f": {f.detail}" if f.detail else "") for f in findings]
    return problems


def meta_problems(pack: ResolvedPack, cases: list[Case]) -> list[str]:
    """Every active rule has a case where a subject passes and one where a subject fails; no cases
    for rules the pack does not have."""
    by_rule: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_rule[case.rule].append(case)
    rules = {rule.id: rule for rule in pack.rules}
    problems = [f"{rule_id}: fixtures for a rule {pack.id} does not have "
                f"(fixtures for other versions say which: versions: \">={pack.version}\")"
                for rule_id in sorted(set(by_rule) - set(rules))]
    for rule_id, rule in rules.items():
        if rule.status is RuleStatus.deprecated:
            continue
        rule_cases = by_rule.get(rule_id, [])
        if not rule_cases:
            problems.append(f"{rule_id}: no fixture file {rule_id}.yaml")
            continue
        if not any(case.expect.get("pass") for case in rule_cases):
            problems.append(f"{rule_id}: no case where a subject passes")
        if not any(case.expect.get("fail") for case in rule_cases):
            problems.append(f"{rule_id}: no case where a subject fails")
    return problems


def run_fixtures(pack: ResolvedPack, folder: Path) -> FixtureReport:
    """Every case in `folder` for the pack's version against `pack`, and the meta-check."""
    every = load_cases(folder)
    cases = [case for case in every if case.is_for(pack.version)]
    with tempfile.TemporaryDirectory(prefix="nofakes-fixtures-") as workdir:
        results = tuple(run_case(pack, case, Path(workdir)) for case in cases)
    return FixtureReport(pack.id, str(folder), results, tuple(meta_problems(pack, cases)), len(every) - len(cases))


def report_lines(report: FixtureReport) -> list[str]:
    """Pass/fail per rule and per case, what went wrong in each failing case, then the totals."""
    lines = [f"{report.pack}: fixtures in {report.folder}"]
    by_rule: dict[str, list[CaseResult]] = defaultdict(list)
    for result in report.results:
        by_rule[result.case.rule].append(result)
    for rule_id, results in sorted(by_rule.items()):
        failed = sum(1 for r in results if not r.passed)
        lines.append(f"{'FAIL' if failed else 'ok  '} {rule_id} ({count_of(len(results), 'case')}"
                     + (f", {failed} failed)" if failed else ")"))
        for result in results:
            case = result.case
            line, col = formats.locate(case.text, ["cases", case.index])
            lines.append(f"  {'ok  ' if result.passed else 'FAIL'} {case.name}"
                         + ("" if result.passed else f" ({case.file}:{line}:{col})"))
            lines += [f"       {problem}" for problem in result.problems]
    if report.meta:
        lines.append("meta-check failed:")
        lines += [f"  {problem}" for problem in report.meta]
    total = len(report.results)
    lines.append(f"{len(by_rule)} rules, {total} cases: {total - report.failed} passed, {report.failed} failed"
                 + (f", {report.skipped} skipped (for other versions)" if report.skipped else "")
                 + (f"; {count_of(len(report.meta), 'meta-check problem')}"
                    if report.meta else ""))
    return lines
