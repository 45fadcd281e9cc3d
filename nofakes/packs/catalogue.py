"""Finding, loading and flattening guideline packs.

A pack reference is resolved as:
- a file path (contains a path separator, ends in .yaml/.yml/.json, or exists);
- `name` (latest released version), `name@1` / `name@1.2` (latest released version with
  that prefix; drafts only when nothing released matches), `name@1.2.0` (exact, any status);
searching the built-in `guidelines/` folder, then every folder published by an installed
Python package through the entry-point group `nofakes.guidelines` (the entry point loads a
path, or a callable returning one, to a folder laid out as `<pack>/<version>.yaml`), then
the folders listed in the `NOFAKES_GUIDELINES_PATH` environment variable.

`extends: pack@version` makes a version a list of changes: its `rules` add or replace
rules by id, `remove` drops rule ids, and parameters, named conditions, declared attributes,
sections and sources merge by id (a later version's definition replaces the earlier one).
A pack that fails to load is a `PackError` with `file:line:col`; it is never skipped.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nofakes.core.errors import Diagnostic, PackError, did_you_mean, format_path
from nofakes.core.resources import data_dir, looks_like_path, version_key
from nofakes.packs.diagnostics import validation_diagnostics
from nofakes.packs.model import (
    ATTRIBUTE_OWNERS,
    Attribute,
    NamedCondition,
    Pack,
    PackStatus,
    Parameter,
    Rule,
    Section,
    Source,
)
from nofakes.packs.structure import check_structure
from nofakes.sources import formats

ENTRY_POINT_GROUP = "nofakes.guidelines"
SEARCH_PATH_VARIABLE = "NOFAKES_GUIDELINES_PATH"
MAX_EXTENDS_DEPTH = 16
_REF = re.compile(r"^(?P<name>[a-z][a-z0-9-]*)(?:@(?P<version>\d+(?:\.\d+){0,2}))?$")


@dataclass(frozen=True)
class PackFile:
    """One pack file as written: the model plus where it came from (for locating errors)."""

    pack: Pack
    path: Path
    display: str
    text: str
    sha256: str


@dataclass(frozen=True)
class RuleOrigin:
    file: PackFile
    index: int  # index in that file's rules: list


@dataclass(frozen=True)
class ResolvedPack:
    """A pack version with `extends` applied: the full rule set and its provenance."""

    name: str
    version: str
    title: str
    status: PackStatus
    files: tuple[PackFile, ...]  # the version's own file first, then what it extends
    rules: tuple[Rule, ...]
    origins: dict[str, RuleOrigin]
    parameters: dict[str, Parameter]
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    conditions: dict[str, NamedCondition] = field(default_factory=dict)  # named conditions, after extends
    condition_files: dict[str, PackFile] = field(default_factory=dict)  # the file defining each one
    # declared attributes per owner (node, edge, product, company), merged along extends; None: none declared
    attributes: dict[str, dict[str, Attribute]] | None = None

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def sha256(self) -> str:
        """Content hash over the pack file and every file it extends."""
        digest = hashlib.sha256()
        for file in self.files:
            digest.update(file.sha256.encode())
        return digest.hexdigest()

    @property
    def pack(self) -> Pack:
        return self.files[0].pack


@dataclass(frozen=True)
class PackRoot:
    """A folder laid out as `<pack>/<version>.yaml`, and where it comes from (for `guidelines list`)."""

    path: Path
    origin: str  # "built-in", "entry point NAME (DISTRIBUTION)" or "NOFAKES_GUIDELINES_PATH"


def pack_roots() -> list[PackRoot]:
    """Built-in guidelines first, then folders from installed packages (entry points), then the
    existing folders listed in `NOFAKES_GUIDELINES_PATH` (separated like PATH)."""
    roots = [PackRoot(data_dir("guidelines"), "built-in")]
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            value = entry.load()
            value = value() if callable(value) else value
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported, not fatal for others
            problem = Diagnostic(f"entry point {entry.name} ({entry.value})", f"cannot load guideline folder: {exc}",
                                 expected="a path to a folder")
            raise PackError([problem]) from None
        path = Path(str(value))
        if path.is_dir():
            dist = getattr(entry, "dist", None)
            origin = f"entry point {entry.name}" + (f" ({dist.name})" if dist is not None else "")
            roots.append(PackRoot(path, origin))
    for folder in search_path_folders():
        if folder.is_dir():
            roots.append(PackRoot(folder, SEARCH_PATH_VARIABLE))
    return roots


def search_path_folders() -> list[Path]:
    """The folders named in `NOFAKES_GUIDELINES_PATH`, existing or not."""
    return [Path(part) for part in os.environ.get(SEARCH_PATH_VARIABLE, "").split(os.pathsep) if part.strip()]


def search_roots() -> list[Path]:
    """The folders searched for packs, first one first (see `pack_roots`)."""
    return [root.path for root in pack_roots()]


def available() -> dict[str, dict[str, Path]]:
    """pack name -> version -> file, over every search root (first root wins)."""
    found: dict[str, dict[str, Path]] = {}
    for root in search_roots():
        for file in sorted(root.glob("*/*.yaml")):
            if re.fullmatch(r"\d+\.\d+\.\d+", file.stem):
                found.setdefault(file.parent.name, {}).setdefault(file.stem, file)
    return found


def load_pack_file(path: Path) -> PackFile:
    """Parse and validate one pack file (no `extends` resolution)."""
    display, text, raw, data = read_pack_data(path)
    return validate_pack(data, path, display, text, raw)


def read_pack_data(path: Path) -> tuple[str, str, bytes, dict[str, Any]]:
    """(display name, text, bytes, parsed mapping) of a pack file; unreadable or malformed: PackError."""
    display = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError([Diagnostic(display, f"cannot read the pack: {exc.strerror or exc}",
                                    expected="a guideline pack YAML file")]) from None
    text = formats.decode(raw, display)
    if isinstance(text, Diagnostic):
        raise PackError([text])
    parsed = formats.parse(text, display, formats.for_path(path))
    if isinstance(parsed, Diagnostic):
        raise PackError([parsed])
    if not isinstance(parsed.data, dict):
        raise PackError([Diagnostic(display, "the pack is not a mapping", line=1, column=1,
                                    expected="a mapping with pack, version, title, rules")])
    return display, text, raw, parsed.data


def validate_pack(data: dict[str, Any], path: Path, display: str, text: str, raw: bytes) -> PackFile:
    """The pack model of parsed data, with the checks inside one file; every problem in one PackError."""
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(validation_diagnostics(exc, display, text)) from None
    problems = check_structure(pack, display, text)
    if problems:
        raise PackError(problems)
    return PackFile(pack, path, display, text, hashlib.sha256(raw).hexdigest())


def _reference_diagnostic(ref: str, message: str, expected: str, hint: str | None = None) -> PackError:
    return PackError([Diagnostic(f"guideline pack {ref!r}", message, expected=expected, hint=hint)])


def find_version(ref: str, catalogue: dict[str, dict[str, Path]] | None = None) -> Path:
    """The file for `name`, `name@1`, `name@1.2` or `name@1.2.0`."""
    match = _REF.match(ref)
    if not match:
        raise _reference_diagnostic(ref, "not a pack reference", "NAME, NAME@MAJOR[.MINOR[.PATCH]] or a file path")
    catalogue = available() if catalogue is None else catalogue
    name, wanted = match.group("name"), match.group("version")
    if name not in catalogue:
        raise _reference_diagnostic(ref, "no such guideline pack", "one of: " + ", ".join(sorted(catalogue)),
                                    did_you_mean(name, catalogue))
    versions = catalogue[name]
    if wanted and wanted.count(".") == 2:
        if wanted not in versions:
            raise _reference_diagnostic(ref, f"no version {wanted} of {name}",
                                        "one of: " + ", ".join(sorted(versions, key=version_key)))
        return versions[wanted]
    prefix = version_key(wanted) if wanted else ()
    matching = sorted((v for v in versions if version_key(v)[: len(prefix)] == prefix), key=version_key)
    if not matching:
        raise _reference_diagnostic(ref, f"no version of {name} matches {wanted}",
                                    "one of: " + ", ".join(sorted(versions, key=version_key)))
    released = [v for v in matching if _status(versions[v]) == "released"]
    return versions[(released or matching)[-1]]


def _status(path: Path) -> str:
    """Cheap read of a pack file's status line (full validation happens on load)."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines()[:40]:
            if line.startswith("status:"):
                return line.split(":", 1)[1].split("#")[0].strip().strip("'\"")
    except OSError:
        return "draft"
    return "draft"


def check_identity(file: PackFile, name: str, version: str) -> None:
    """A file found as `<pack>/<version>.yaml` must declare that pack and version."""
    for key, wanted in (("pack", name), ("version", version)):
        found = getattr(file.pack, key)
        if found != wanted:
            line, col = formats.locate(file.text, [key])
            raise PackError([Diagnostic(file.display, f"{key} {found!r} does not match the file's place "
                                                      f"<pack>/<version>.yaml ({name}/{version}.yaml)",
                                        path=key, line=line, column=col, expected=f"{key}: {wanted}")])


def resolve_pack(ref: str) -> ResolvedPack:
    """Load a pack by reference (name, name@version, or path) with `extends` applied."""
    by_path = looks_like_path(ref)
    path = Path(ref) if by_path else find_version(ref)
    if by_path and not path.is_file():
        problem = "file not found" if not path.exists() else "is a directory" if path.is_dir() else "not a regular file"
        raise _reference_diagnostic(ref, problem, "an existing pack file")
    file = load_pack_file(path)
    if not by_path:
        check_identity(file, path.parent.name, path.stem)
    return resolve_file(file)


def resolve_file(file: PackFile) -> ResolvedPack:
    """A loaded pack file with its `extends` chain applied."""
    chain: list[PackFile] = []
    seen: set[str] = set()
    while True:
        ident = f"{file.pack.pack}@{file.pack.version}"
        if ident in seen:
            line = formats.locate(file.text, ["extends"])[0]
            raise PackError([Diagnostic(file.display, f"extends loop through {ident}", path="extends", line=line,
                                        expected="extends without cycles")])
        seen.add(ident)
        chain.append(file)
        if not file.pack.extends:
            break
        if len(chain) > MAX_EXTENDS_DEPTH:
            raise PackError([Diagnostic(file.display, "extends chain too long", path="extends")])
        base_ref = file.pack.extends
        if "@" not in base_ref or base_ref.count(".") != 2:
            line, col = formats.locate(file.text, ["extends"])
            raise PackError([Diagnostic(file.display, f"extends {base_ref!r} must name an exact version",
                                        path="extends", line=line, column=col, expected="pack@MAJOR.MINOR.PATCH")])
        try:
            sibling = file.path.parent / f"{base_ref.split('@')[1]}.yaml"
            same_folder = base_ref.split("@")[0] == file.path.parent.name and sibling.is_file()
            base_path = sibling if same_folder else find_version(base_ref)
        except PackError as exc:
            line, col = formats.locate(file.text, ["extends"])
            raise PackError([Diagnostic(file.display, exc.diagnostics[0].message, path="extends", line=line,
                                        column=col, expected=exc.diagnostics[0].expected)]) from None
        file = load_pack_file(base_path)
        check_identity(file, *base_ref.split("@", 1))
    return _flatten(chain)


def _flatten(chain: list[PackFile]) -> ResolvedPack:
    """Apply a chain [newest, ..., base] of extends into one rule set."""
    rules: dict[str, Rule] = {}
    origins: dict[str, RuleOrigin] = {}
    parameters: dict[str, Parameter] = {}
    conditions: dict[str, NamedCondition] = {}
    condition_files: dict[str, PackFile] = {}
    attributes: dict[str, dict[str, Attribute]] = {}
    sections: dict[str, Section] = {}
    sources: dict[str, Source] = {}
    for file in reversed(chain):
        pack = file.pack
        for index, rule_id in enumerate(pack.remove):
            if rule_id not in rules:
                line, col = formats.locate(file.text, ["remove", index])
                raise PackError([Diagnostic(file.display, f"cannot remove {rule_id!r}: not in {pack.extends}",
                                            path=f"remove[{index}]", line=line, column=col,
                                            expected="a rule id of the extended version",
                                            hint=did_you_mean(rule_id, rules))])
            del rules[rule_id]
            origins.pop(rule_id, None)
        for index, rule in enumerate(pack.rules):
            rules[rule.id] = rule
            origins[rule.id] = RuleOrigin(file, index)
        parameters.update(pack.parameters)
        conditions.update(pack.conditions)
        condition_files.update(dict.fromkeys(pack.conditions, file))
        if pack.attributes is not None:
            for owner in ATTRIBUTE_OWNERS:
                attributes.setdefault(owner, {}).update(getattr(pack.attributes, owner))
        sections.update({s.id: s for s in pack.sections})
        sources.update({s.id: s for s in pack.sources})
    newest = chain[0]
    problems: list[Diagnostic] = []
    for rule_id, rule in rules.items():
        origin = origins[rule_id]
        if rule.section not in sections:
            loc: list[str | int] = ["rules", origin.index, "section"]
            line, col = formats.locate(origin.file.text, loc)
            problems.append(Diagnostic(origin.file.display, f"unknown section {rule.section!r}", path=format_path(loc),
                                       line=line, column=col, expected="a section id from sections:",
                                       hint=did_you_mean(rule.section, sections)))
        for j, ref in enumerate(rule.references):
            if ref.source not in sources:
                loc = ["rules", origin.index, "references", j, "source"]
                line, col = formats.locate(origin.file.text, loc)
                problems.append(Diagnostic(origin.file.display, f"unknown source {ref.source!r}", path=format_path(loc),
                                           line=line, column=col, expected="a source id from sources:"))
    if problems:
        raise PackError(problems)
    ordered = sorted(rules.values(), key=lambda r: r.id)
    return ResolvedPack(
        name=newest.pack.pack, version=newest.pack.version, title=newest.pack.title, status=newest.pack.status,
        files=tuple(chain), rules=tuple(ordered), origins=origins, parameters=parameters,
        sections=tuple(sections.values()), sources=tuple(sources.values()), conditions=conditions,
        condition_files=condition_files, attributes=attributes or None,
    )


def resolve_all(refs: Iterable[str]) -> list[ResolvedPack]:
    """Resolve several references, reporting every failure; duplicates of one pack are an error."""
    packs: list[ResolvedPack] = []
    problems: list[Diagnostic] = []
    for ref in refs:
        try:
            packs.append(resolve_pack(ref))
        except PackError as exc:
            problems.extend(exc.diagnostics)
    names = [p.name for p in packs]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Diagnostic(f"guideline pack {name!r}", "selected more than once",
                                   expected="one version of each pack per audit"))
    if problems:
        raise PackError(problems)
    return packs


def default_packs(categories: set[str], roles: set[str]) -> list[str]:
    """References of the latest released built-in/plugin packs whose scope fits the supply chain."""
    refs = []
    for name, versions in sorted(available().items()):
        released = [v for v in versions if _status(versions[v]) == "released"]
        if not released:
            continue
        latest = max(released, key=version_key)
        pack = load_pack_file(versions[latest]).pack
        scope = pack.scope
        if scope is not None:
            if scope.categories and not categories & set(scope.categories):
                continue
            if scope.roles and not roles & {r.value for r in scope.roles}:
                continue
        refs.append(f"{name}@{latest}")
    return refs
