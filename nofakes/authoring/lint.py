"""`nofakes guidelines lint`: every problem of one or more pack files, at once, without a supply file.

Per file, in one pass: YAML, the pack model (every error), the checks inside one file, the
file's place (`<pack>/<version>.yaml` must declare that pack and version), `extends`, every
compile error of every rule (compiled against an empty supply chain, so field paths,
operators, values and message placeholders are checked as an audit would), then the extra
checks of `nofakes.authoring.checks`. When the pack model fails, the rules that are valid on
their own are still compiled, so a typo in one rule does not hide the errors of the others.
Across files: two packs of different names declaring the same rule id. Each file's problems
come errors first, then warnings, each in the order of the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from nofakes.audit.compile import compile_rules
from nofakes.audit.subjects import build_subjects
from nofakes.authoring.checks import CHECKS, RULE_CHECKS
from nofakes.core.errors import Diagnostic, PackError
from nofakes.packs.catalogue import (
    PackFile,
    ResolvedPack,
    RuleOrigin,
    check_identity,
    read_pack_data,
    resolve_file,
    validate_pack,
)
from nofakes.packs.model import VERSION_PATTERN, NamedCondition, Pack, PackStatus, Parameter, Rule
from nofakes.sources import formats
from nofakes.supply.graph import build_graph
from nofakes.supply.model import Document

PACK_SUFFIXES = (".yaml", ".yml", ".json")
Entry = TypeVar("Entry", Parameter, NamedCondition)
_VERSION = re.compile(VERSION_PATTERN)


@dataclass(frozen=True)
class LintReport:
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.level == "warning")

    def summary(self) -> str:
        files = len(self.files)
        return (f"{files} pack file{'s' if files != 1 else ''}: {self.errors} error{'s' if self.errors != 1 else ''}, "
                f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")


def pack_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The files to lint: each file given, and every `<version>.yaml` under each folder given (the
    layout of pack folders; fixture files, named after rules, are left out)."""
    files: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*")
                            if p.suffix in PACK_SUFFIXES and _VERSION.fullmatch(p.stem) and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Diagnostic(str(path), "no such file or folder",
                                       expected="a pack file or a folder of packs"))
    return list(dict.fromkeys(files)), problems


def lint(paths: Sequence[Path], *, strict: bool = False) -> LintReport:
    """Lint every pack file at `paths`; with `strict`, warnings are reported as errors."""
    files, diagnostics = pack_files(paths)
    resolved: list[ResolvedPack] = []
    for path in files:
        pack, problems = lint_file(path)
        # this file first, errors before warnings (most severe first), then in file order
        diagnostics += sorted(problems, key=lambda d: (d.file != str(path), d.file, d.level != "error", d.line or 0,
                                                       d.column or 0))
        if pack is not None:
            resolved.append(pack)
    diagnostics += _collisions(resolved)
    unique = list(dict.fromkeys(diagnostics))  # a base linted with its extension reports its errors once
    if strict:
        unique = [replace(d, level="error") for d in unique]
    return LintReport(tuple(str(f) for f in files), tuple(unique))


def lint_file(path: Path) -> tuple[ResolvedPack | None, list[Diagnostic]]:
    """Every problem of one pack file, and the resolved pack when it loads."""
    try:
        display, text, raw, data = read_pack_data(path)
    except PackError as exc:
        return None, exc.diagnostics
    try:
        file = validate_pack(data, path, display, text, raw)
    except PackError as exc:
        return None, exc.diagnostics + _compile_valid_rules(data, path, display, text, raw)
    problems: list[Diagnostic] = []
    if _VERSION.fullmatch(path.stem):  # laid out as <pack>/<version>.yaml: the file must say so
        try:
            check_identity(file, path.parent.name, path.stem)
        except PackError as exc:
            problems += exc.diagnostics
    try:
        pack = resolve_file(file)
    except PackError as exc:
        return None, problems + exc.diagnostics
    problems += compile_problems(pack)
    for check in CHECKS:
        problems += check(pack, file)
    return pack, problems


def compile_problems(pack: ResolvedPack) -> list[Diagnostic]:
    """Every compile error of every rule, against an empty supply chain."""
    document = Document.model_validate({"nofakes": "1", "company": {"id": "lint", "name": "lint"}})
    supply = build_graph(document)
    defaults = {pack.id: {name: p.default for name, p in pack.parameters.items()}}
    try:
        compile_rules([pack], defaults, dt.date.today(), supply, build_subjects(document, supply))
    except PackError as exc:
        return exc.diagnostics
    return []


def _compile_valid_rules(data: dict[str, Any], path: Path, display: str, text: str, raw: bytes) -> list[Diagnostic]:
    """When the pack model fails: compile (and check) the rules that are valid on their own, with the
    parameters and named conditions that are (not possible for a pack that extends another: its base's
    parameters are unknown)."""
    if data.get("extends") is not None or not isinstance(data.get("rules"), list):
        return []
    rules: dict[str, tuple[Rule, int]] = {}
    for index, raw_rule in enumerate(data["rules"]):
        try:
            rule = Rule.model_validate(raw_rule)
        except ValidationError:
            continue
        rules.setdefault(rule.id, (rule, index))
    params: dict[str, Parameter] = _valid_entries(data.get("parameters"), Parameter)
    conditions: dict[str, NamedCondition] = _valid_entries(data.get("conditions"), NamedCondition)
    file = PackFile(Pack.model_construct(parameters=params, conditions=conditions,
                                         rules=[r for r, _ in rules.values()]),
                    path, display, text, hashlib.sha256(raw).hexdigest())
    name, version = str(data.get("pack", path.parent.name)), str(data.get("version", path.stem))
    pack = ResolvedPack(name=name, version=version, title=str(data.get("title", "")), status=PackStatus.draft,
                        files=(file,), rules=tuple(r for r, _ in rules.values()),
                        origins={rule_id: RuleOrigin(file, index) for rule_id, (_, index) in rules.items()},
                        parameters=params, sections=(), sources=(), conditions=conditions,
                        condition_files=dict.fromkeys(conditions, file))
    return compile_problems(pack) + [problem for check in RULE_CHECKS for problem in check(pack, file)]


def _valid_entries(raw: Any, model: type[Entry]) -> dict[str, Entry]:
    """The entries of a mapping of declarations (parameters, conditions) that are valid on their own."""
    valid: dict[str, Entry] = {}
    if isinstance(raw, dict):
        for name, value in raw.items():
            try:
                valid[str(name)] = model.model_validate(value)
            except ValidationError:
                continue
    return valid


def _collisions(packs: Sequence[ResolvedPack]) -> list[Diagnostic]:
    """A rule id declared by two packs of different names (ids are unique across selected packs)."""
    first: dict[str, ResolvedPack] = {}
    problems = []
    for pack in packs:
        for rule in pack.rules:
            if pack.origins[rule.id].file.pack.pack != pack.name:
                continue  # a rule taken from a pack of another name (an error of its own)
            other = first.setdefault(rule.id, pack)
            if other.name != pack.name:
                origin = pack.origins[rule.id]
                line, col = formats.locate(origin.file.text, ["rules", origin.index, "id"])
                problems.append(Diagnostic(origin.file.display, f"rule id {rule.id} is also a rule of {other.id}",
                                           path=f"rules[{origin.index}].id", line=line, column=col,
                                           expected="rule ids unique across the packs audited together",
                                           hint="give the pack its own id prefix"))
    return problems
