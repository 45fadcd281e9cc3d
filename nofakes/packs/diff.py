"""`nofakes guidelines diff`: what changed between two resolved packs, for release notes.

Rules added, removed and deprecated, and every other rule changed field by field (severity,
check, applies_to, message, ...); parameters added, removed and changed (old and new defaults
and bounds); named conditions added, removed and redefined; sections added and removed.
Rendered as plain text for a terminal or as Markdown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import NamedCondition, Parameter, Rule, RuleStatus
from nofakes.rules.reuse import used_names

RULE_FIELDS = ("title", "section", "severity", "target", "applies_to", "check", "path", "message", "rationale",
               "remediation", "effort", "responsible", "references", "status", "replaced_by", "tags", "effective",
               "sunset")
PARAMETER_FIELDS = ("default", "type", "minimum", "maximum", "description", "label")
CONDITION_FIELDS = ("description", "condition")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any  # None when absent
    new: Any


@dataclass(frozen=True)
class RuleChange:
    rule: Rule  # the new version
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ParameterChange:
    name: str
    old: Parameter | None  # None: added
    new: Parameter | None  # None: removed
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ConditionChange:
    name: str
    old: NamedCondition | None  # None: added
    new: NamedCondition | None  # None: removed
    changes: tuple[Change, ...]
    rules: tuple[str, ...] = ()  # the rules of the new version whose outcome a redefinition changes


@dataclass(frozen=True)
class PackDiff:
    old: str
    new: str
    added: tuple[Rule, ...]
    removed: tuple[Rule, ...]
    deprecated: tuple[Rule, ...]
    changed: tuple[RuleChange, ...]
    parameters: tuple[ParameterChange, ...]
    sections_added: tuple[str, ...]
    sections_removed: tuple[str, ...]
    conditions: tuple[ConditionChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.deprecated or self.changed or self.parameters
                    or self.sections_added or self.sections_removed or self.conditions)


def _plain(value: Any) -> Any:
    """A field's value as plain data (models and enums dumped), None when unset or empty."""
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_none=True, by_alias=True)
    elif isinstance(value, list):
        value = [v.model_dump(mode="json", exclude_none=True) if hasattr(v, "model_dump") else v for v in value]
    elif hasattr(value, "value"):
        value = value.value
    return None if value in ([], {}, "") else value


def _changes(old: Any, new: Any, fields: tuple[str, ...]) -> tuple[Change, ...]:
    out = []
    for name in fields:
        before, after = _plain(getattr(old, name)), _plain(getattr(new, name))
        if before != after:
            out.append(Change(name, before, after))
    return tuple(out)


def diff_packs(old: ResolvedPack, new: ResolvedPack) -> PackDiff:
    before = {rule.id: rule for rule in old.rules}
    after = {rule.id: rule for rule in new.rules}
    deprecated, changed = [], []
    for rule_id in sorted(before.keys() & after.keys()):
        was, now = before[rule_id], after[rule_id]
        newly_deprecated = was.status is not RuleStatus.deprecated and now.status is RuleStatus.deprecated
        if newly_deprecated:
            deprecated.append(now)
        fields = tuple(f for f in RULE_FIELDS if not (newly_deprecated and f in ("status", "replaced_by")))
        changes = _changes(was, now, fields)
        if changes:
            changed.append(RuleChange(now, changes))
    parameters = []
    for name in sorted(old.parameters.keys() | new.parameters.keys()):
        was_p, now_p = old.parameters.get(name), new.parameters.get(name)
        if was_p is None or now_p is None:
            parameters.append(ParameterChange(name, was_p, now_p, ()))
        elif changes := _changes(was_p, now_p, PARAMETER_FIELDS):
            parameters.append(ParameterChange(name, was_p, now_p, changes))
    conditions = []
    for name in sorted(old.conditions.keys() | new.conditions.keys()):
        was_c, now_c = old.conditions.get(name), new.conditions.get(name)
        if was_c is None or now_c is None:
            conditions.append(ConditionChange(name, was_c, now_c, ()))
        elif changes := _changes(was_c, now_c, CONDITION_FIELDS):
            users = tuple(rule.id for rule in new.rules
                          if name in used_names([rule.model_dump(mode="json", exclude_none=True)], new.conditions))
            conditions.append(ConditionChange(name, was_c, now_c, changes, users))
    old_sections, new_sections = {s.id: s.title for s in old.sections}, {s.id: s.title for s in new.sections}
    return PackDiff(
        old.id, new.id,
        added=tuple(after[i] for i in sorted(after.keys() - before.keys())),
        removed=tuple(before[i] for i in sorted(before.keys() - after.keys())),
        deprecated=tuple(deprecated), changed=tuple(changed), parameters=tuple(parameters),
        sections_added=tuple(f"{new_sections[i]} ({i})" for i in new_sections if i not in old_sections),
        sections_removed=tuple(f"{old_sections[i]} ({i})" for i in old_sections if i not in new_sections),
        conditions=tuple(conditions),
    )


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # bounds are numbers: minimum 7, not 7.0
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _rule_title(rule: Rule) -> str:
    return f"{rule.id} ({rule.severity.value}, {rule.target.value}): {rule.title}"


def _replaced(rule: Rule) -> str:
    return f" (replaced by {rule.replaced_by})" if rule.replaced_by else ""


def _parameter_words(change: ParameterChange) -> tuple[str, list[str]]:
    """(headline, change lines) of a parameter change."""
    if change.old is None and change.new is not None:
        return f"{change.name}: added, default {_shown(change.new.default)}", []
    if change.new is None and change.old is not None:
        return f"{change.name}: removed (default was {_shown(change.old.default)})", []
    return change.name, [f"{c.field}: {_shown(c.old)} -> {_shown(c.new)}" for c in change.changes]


def _condition_words(change: ConditionChange) -> tuple[str, list[str]]:
    """(headline, change lines) of a named condition change."""
    if change.old is None and change.new is not None:
        return f"{change.name}: added, {' '.join(change.new.description.split())}", []
    if change.new is None and change.old is not None:
        return f"{change.name}: removed (was {' '.join(change.old.description.split())})", []
    used = [f"used by: {', '.join(change.rules)}"] if change.rules else []
    return change.name, [f"{c.field}: {_shown(c.old)} -> {_shown(c.new)}" for c in change.changes] + used


def diff_lines(diff: PackDiff) -> list[str]:
    """The diff as plain text for a terminal."""
    lines = [f"{diff.old} -> {diff.new}"]
    if diff.empty:
        return [*lines, "no changes"]

    def group(title: str, items: list[str], count: int | None = None) -> None:
        if items:
            lines.extend(["", f"{title} ({len(items) if count is None else count}):", *items])

    group("Rules added", [f"  + {_rule_title(r)}" for r in diff.added])
    group("Rules removed", [f"  - {_rule_title(r)}" for r in diff.removed])
    group("Rules deprecated", [f"  ~ {_rule_title(r)}{_replaced(r)}" for r in diff.deprecated])
    changed = []
    for item in diff.changed:
        changed.append(f"  * {_rule_title(item.rule)}")
        for c in item.changes:
            changed += [f"      {c.field}:", f"        was: {_shown(c.old)}", f"        now: {_shown(c.new)}"]
    group("Rules changed", changed, len(diff.changed))
    params = []
    for change in diff.parameters:
        headline, details = _parameter_words(change)
        params += [f"  {headline}", *(f"      {d}" for d in details)]
    group("Parameters changed", params, len(diff.parameters))
    conditions = []
    for condition in diff.conditions:
        headline, details = _condition_words(condition)
        conditions += [f"  {headline}", *(f"      {d}" for d in details)]
    group("Named conditions changed", conditions, len(diff.conditions))
    group("Sections added", [f"  + {s}" for s in diff.sections_added])
    group("Sections removed", [f"  - {s}" for s in diff.sections_removed])
    return lines


def _code(value: Any) -> str:
    text = _shown(value).replace("`", "'").replace("|", "\\|")
    return f"`{text}`"


def diff_markdown(diff: PackDiff) -> str:
    """The diff as Markdown release notes."""
    out = [f"# Changes from {diff.old} to {diff.new}", ""]
    if diff.empty:
        return "\n".join([*out, "No changes.", ""])
    for title, rules, suffix in (("Rules added", diff.added, False), ("Rules removed", diff.removed, False),
                                 ("Rules deprecated", diff.deprecated, True)):
        if rules:
            out += [f"## {title}", ""]
            out += [f"- **{r.id}** ({r.severity.value}, {r.target.value}): {r.title}"
                    + (_replaced(r) if suffix else "") for r in rules]
            out.append("")
    if diff.changed:
        out += ["## Rules changed", ""]
        for item in diff.changed:
            out += [f"### {item.rule.id}: {item.rule.title}", "", "| field | was | now |", "|---|---|---|"]
            out += [f"| {c.field} | {_code(c.old)} | {_code(c.new)} |".replace("\n", " ") for c in item.changes]
            out.append("")
    if diff.parameters:
        out += ["## Parameters", ""]
        for change in diff.parameters:
            headline, details = _parameter_words(change)
            out.append(f"- `{change.name}`" + headline[len(change.name):] + (": " + "; ".join(details) if details
                                                                               else ""))
        out.append("")
    if diff.conditions:
        out += ["## Named conditions", ""]
        for condition in diff.conditions:
            headline, details = _condition_words(condition)
            out.append(f"- `{condition.name}`" + headline[len(condition.name):]
                       + (": " + "; ".join(_code(d) for d in details) if details else ""))
        out.append("")
    for title, names in (("Sections added", diff.sections_added), ("Sections removed", diff.sections_removed)):
        if names:
            out += [f"## {title}", "", *(f"- {n}" for n in names), ""]
    return "\n".join(out)
