"""What `nofakes guidelines list` and `show` print: every pack found, and one resolved pack.

Both return lines of plain text; the CLI prints them. A pack that fails to load is listed with
its first problem (so one broken file does not hide the others); `show` of a broken pack is a
`PackError` like any load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nofakes.core.errors import Diagnostic, PackError, did_you_mean
from nofakes.packs.catalogue import (
    SEARCH_PATH_VARIABLE,
    PackRoot,
    ResolvedPack,
    available,
    pack_roots,
    resolve_pack,
    search_path_folders,
    version_key,
)
from nofakes.packs.model import Parameter, Rule, RuleStatus
from nofakes.rules.reuse import used_names
from nofakes.sources import formats


@dataclass(frozen=True)
class ListedPack:
    """One pack version as found on the search roots."""

    name: str
    version: str
    status: str
    title: str
    rules: int  # active rules after extends (0 when the pack fails to load)
    deprecated: int  # deprecated rules after extends
    origin: str
    path: Path
    problem: str | None = None  # the first load error, when the pack fails to load


def _origin(path: Path, roots: list[PackRoot]) -> str:
    for root in roots:
        if path.is_relative_to(root.path):
            return root.origin
    return "?"


def list_packs() -> tuple[list[ListedPack], list[Diagnostic]]:
    """Every version of every pack found, by name then version; warnings for search-path folders
    that do not exist."""
    roots = pack_roots()
    warnings = [Diagnostic(SEARCH_PATH_VARIABLE, f"{folder}: no such folder", level="warning",
                           expected="folders laid out as <pack>/<version>.yaml")
                for folder in search_path_folders() if not folder.is_dir()]
    listed = []
    for name, versions in sorted(available().items()):
        for version in sorted(versions, key=version_key):
            path = versions[version]
            origin = _origin(path, roots)
            try:
                pack = resolve_pack(f"{name}@{version}")
            except PackError as exc:
                listed.append(ListedPack(name, version, "broken", "", 0, 0, origin, path,
                                         exc.diagnostics[0].format()))
                continue
            deprecated = sum(1 for rule in pack.rules if rule.status is RuleStatus.deprecated)
            listed.append(ListedPack(name, version, pack.status.value, pack.title, len(pack.rules) - deprecated,
                                     deprecated, origin, path))
    return listed, warnings


def list_lines(listed: list[ListedPack]) -> list[str]:
    """The table `guidelines list` prints: one line per pack version, then broken packs' problems."""
    if not listed:
        return ["no guideline packs found"]
    rows = [("pack", "version", "status", "rules", "from", "title")]
    for item in listed:
        count = f"{item.rules}" + (f" (+{item.deprecated} deprecated)" if item.deprecated else "")
        rows.append((item.name, item.version, item.status, count, f"{item.origin}: {item.path}", item.title))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines += [f"{item.name}@{item.version}: {item.problem}" for item in listed if item.problem]
    return lines


def _bounds(parameter: Parameter) -> str:
    parts = []
    if parameter.minimum is not None:
        parts.append(f"min {parameter.minimum:g}")
    if parameter.maximum is not None:
        parts.append(f"max {parameter.maximum:g}")
    return f" ({', '.join(parts)})" if parts else ""


def _rule_line(rule: Rule) -> str:
    status = " [deprecated" + (f", replaced by {rule.replaced_by}]" if rule.replaced_by else "]") \
        if rule.status is RuleStatus.deprecated else ""
    in_force = f" [{rule.in_force()}]" if rule.in_force() else ""
    return f"    {rule.id}  {rule.severity.value:<8}  {rule.target.value:<7}  {rule.title}{status}{in_force}"


def show_lines(pack: ResolvedPack) -> list[str]:
    """The resolved pack: where it comes from, its parameters, and its rules by section."""
    lines = [f"{pack.id}: {pack.title}", f"status: {pack.status.value}"
             + (f" on {pack.pack.released.isoformat()}" if pack.pack.released else "")]
    lines.append("file: " + " extends ".join(file.display for file in pack.files))
    if pack.pack.description:
        lines.append(pack.pack.description.strip())
    if pack.parameters:
        lines += ["", "Parameters (name = default):"]
        for name, parameter in sorted(pack.parameters.items()):
            lines.append(f"  {name} = {value_text(parameter.default)}{_bounds(parameter)}: {parameter.description}")
    if pack.conditions:
        lines += ["", "Named conditions ({use: NAME}):"]
        lines += [f"  {name}: {' '.join(named.description.split())}" for name, named in sorted(pack.conditions.items())]
    if pack.attributes is not None:
        lines += ["", "Declared attributes (rules read attributes.NAME; supply files are checked against them):"]
        lines += [f"  {owner} {name} ({attribute.type.value}): {attribute.description}"
                  for owner, names in pack.attributes.items() for name, attribute in sorted(names.items())]
    by_section: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.section, []).append(rule)
    for section in pack.sections:
        rules = by_section.get(section.id, [])
        lines += ["", f"{section.title} ({section.id}, {len(rules)} rule{'s' if len(rules) != 1 else ''}):"]
        lines += [_rule_line(rule) for rule in rules]
    return lines


def value_text(value: Any) -> str:
    """A parameter value as a pack author writes it: 365, 2026-01-01, CN, HK."""
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _block(data: Any) -> list[str]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
    return ["    " + line for line in text.rstrip().splitlines()]


def rule_lines(pack: ResolvedPack, rule_id: str) -> list[str]:
    """One rule in full: every field, its conditions as written, its sources and where it is defined."""
    rules = {rule.id: rule for rule in pack.rules}
    if rule_id not in rules:
        raise PackError([Diagnostic(f"guideline pack {pack.id!r}", f"no rule {rule_id!r}",
                                    expected=f"one of the {len(rules)} rule ids of {pack.id}",
                                    hint=did_you_mean(rule_id, rules))])
    rule = rules[rule_id]
    origin = pack.origins[rule_id]
    line, col = formats.locate(origin.file.text, ["rules", origin.index])
    sections = {s.id: s.title for s in pack.sections}
    sources = {s.id: s for s in pack.sources}
    lines = [f"{rule.id}: {rule.title}", f"  defined at: {origin.file.display}:{line}:{col}",
             f"  pack: {pack.id}", f"  section: {sections.get(rule.section, rule.section)} ({rule.section})",
             f"  severity: {rule.severity.value}", f"  target: {rule.target.value}",
             f"  status: {rule.status.value}" + (f", replaced by {rule.replaced_by}" if rule.replaced_by else ""),
             f"  effort: {rule.effort.value}"]
    if rule.in_force():
        lines.append(f"  in force: {rule.in_force()}")
    if rule.target.value == "edge":
        lines.append(f"  responsible: the {'source' if rule.responsible == 'from' else 'target'} partner")
    for name in ("applies_to", "check", "path"):
        value = getattr(rule, name)
        if value is not None:
            data = value.model_dump(mode="json", exclude_none=True, by_alias=True) if hasattr(value, "model_dump") \
                else value
            lines += [f"  {name}:", *_block(data)]
    lines.append(f"  message: {rule.message}")
    for name in ("rationale", "remediation"):
        text = getattr(rule, name)
        if text:
            lines.append(f"  {name}: {' '.join(text.split())}")
    for ref in rule.references:
        source = sources.get(ref.source)
        title = source.title if source else ref.source
        lines.append(f"  reference: {title}" + (f", {ref.clause}" if ref.clause else "")
                     + (f" <{source.url}>" if source and source.url else ""))
    for name in sorted(used_names([rule.model_dump(mode="json", exclude_none=True)], pack.conditions)):
        named = pack.conditions[name]
        lines += [f"  uses {name}: {' '.join(named.description.split())}", *_block(named.condition)]
    if rule.tags:
        lines.append("  tags: " + ", ".join(rule.tags))
    return lines
