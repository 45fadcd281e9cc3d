"""What the pack loader accepts but a pack author almost certainly did not mean.

Each check takes a resolved pack and the file being linted, and returns located diagnostics for
the rules and parameters that file itself declares (a base it extends is linted on its own):
- a message placeholder whose tail is no field (`{node.nmae}` shows as '?'), or no declared
  attribute of a pack that declares them, an error;
- `not` over a field a subject may lack, inside `applies_to` or a path rule's `end` (a subject
  without the field is then not applicable, never checked), a warning naming the idiom that
  says what a missing value means;
- a parameter default outside its own bounds, an error; a parameter no rule (or named condition)
  uses, a warning;
- a named condition no rule uses (directly or through other named conditions), a warning, and an
  error if it uses itself (a cycle among used ones is a compile error);
- `replaced_by` naming no rule of the pack, an error;
- `extends` of a pack with another name, an error;
- a rule reading `attributes.*` in a pack that declares no attributes, a warning.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from nofakes.audit.attributes import typed
from nofakes.audit.subjects import NODE_SCOPE
from nofakes.audit.targets import TARGETS
from nofakes.core.errors import Diagnostic, did_you_mean, format_path
from nofakes.packs.catalogue import PackFile, ResolvedPack
from nofakes.packs.model import Rule
from nofakes.packs.parameters import day_parameters, value_problem
from nofakes.rules.fields import ANY
from nofakes.rules.reuse import used_names
from nofakes.rules.templates import placeholder_field_errors
from nofakes.sources import formats
from nofakes.supply.model import Company, Edge, Node, Product
from nofakes.supply.validation import unwrap_annotation

# what each first name of a message placeholder stands for, whatever the rule's target
PLACEHOLDER_TYPES: dict[str, Any] = {"node": Node, "from": Node, "to": Node, "start": Node, "edge": Edge,
                                     "product": Product, "company": Company, "tier": int, "hops": int, "path": str}
NOT_IDIOM = ("say what a missing value means: {any: [{field: FIELD, exists: false}, {not: {...}}]} applies the "
             "rule to subjects without FIELD too")


def _diagnostic(file: PackFile, loc: list[str | int], message: str, *, level: str = "error",
                expected: str | None = None, hint: str | None = None) -> Diagnostic:
    line, col = formats.locate(file.text, loc)
    return Diagnostic(file.display, message, path=format_path(loc), line=line, column=col, expected=expected,
                      hint=hint, level=level)


def own_rules(pack: ResolvedPack, file: PackFile) -> Iterator[tuple[Rule, list[str | int]]]:
    """The rules `file` itself declares, with their place in it."""
    for rule in pack.rules:
        origin = pack.origins[rule.id]
        if origin.file is file:
            yield rule, ["rules", origin.index]


def placeholder_tails(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    problems = []
    declared = typed(pack)
    for rule, loc in own_rules(pack, file):
        roots = TARGETS[rule.target].template_roots
        types = {name: PLACEHOLDER_TYPES[name] for name in roots if name in PLACEHOLDER_TYPES}
        for error in placeholder_field_errors(rule.message, types, [*loc, "message"], declared):
            problems.append(_diagnostic(file, list(error.loc), f"rule {rule.id}: {error.message}",
                                        expected=error.expected, hint=error.hint))
    return problems


def _may_be_missing(root_type: Any, parts: list[str]) -> bool:
    """Whether a subject may lack the field at `parts` (an optional step, or free-form data)."""
    current = root_type
    for i, part in enumerate(parts):
        if i:
            inner = unwrap_annotation(current, ambiguous=Any)
            fields = getattr(inner, "model_fields", None)
            if fields is None or part not in fields:
                return True  # free-form (attributes) or a path the compiler already rejects
            current = fields[part].annotation
        if current is ANY or current is Any or _optional(current):
            return True
    return False


def _optional(annotation: Any) -> bool:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is None or type(None) in typing.get_args(annotation)


def _negated_fields(cond: Any, loc: list[str | int], negated: bool) -> Iterator[tuple[str, list[str | int]]]:
    """Fields of leaves under a `not` (through all/any/not, not into quantifiers), except `exists`,
    `present` and `absent` leaves, which never lack evidence."""
    if not isinstance(cond, dict):
        return
    if "not" in cond:
        yield from _negated_fields(cond["not"], [*loc, "not"], True)
    for kind in ("all", "any"):
        if isinstance(cond.get(kind), list):
            for i, item in enumerate(cond[kind]):
                yield from _negated_fields(item, [*loc, kind, i], negated)
    if negated and isinstance(cond.get("field"), str) and not {"exists", "present", "absent"} & set(cond):
        yield cond["field"], [*loc, "field"]


def negations_in_applies_to(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    """`not` over a field a subject may lack, in a condition that decides whether the rule applies:
    `applies_to.where`, and `path.end.where` (the subjects of a path rule)."""
    problems = []
    for rule, loc in own_rules(pack, file):
        filters: list[tuple[Any, list[str | int], Any]] = []
        if rule.applies_to is not None and rule.applies_to.where is not None:
            filters.append((rule.applies_to.where, [*loc, "applies_to", "where"], TARGETS[rule.target].scope.roots))
        if rule.path is not None and rule.path.end.where is not None:
            filters.append((rule.path.end.where, [*loc, "path", "end", "where"], NODE_SCOPE.roots))
        for where, where_loc, roots in filters:
            for name, at in _negated_fields(where, where_loc, False):
                parts = name.split(".")
                if parts[0] in roots and _may_be_missing(roots[parts[0]], parts):
                    problems.append(_diagnostic(
                        file, at, f"rule {rule.id}: 'not' over {name}, which a subject may lack: in "
                                  f"{format_path(where_loc[2:])}, a subject without {name} is not applicable "
                                  "and never checked",
                        level="warning", hint=NOT_IDIOM.replace("FIELD", name)))
    return problems


def rule_parameters(rule: Rule) -> set[str]:
    """The parameters a rule reads: `{param: NAME}` operands anywhere in it, `{param.NAME}` in its message."""
    used = _parameters_in(rule.model_dump(mode="json", exclude_none=True))
    used.update(part.split("}")[0] for part in rule.message.split("{param.")[1:])
    return used


def _parameters_in(data: Any) -> set[str]:
    """The `{param: NAME}` operands anywhere in `data`."""
    used: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("param"), str):
                used.add(item["param"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return used


def parameters(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    problems = []
    days = day_parameters(pack)
    used = {name for rule in pack.rules for name in rule_parameters(rule)}
    used |= _parameters_in([named.condition for named in pack.conditions.values()])
    for name, parameter in file.pack.parameters.items():
        loc: list[str | int] = ["parameters", name]
        low, high = parameter.minimum, parameter.maximum
        if low is not None and high is not None and low > high:
            problems.append(_diagnostic(file, [*loc, "minimum"], f"parameter {name!r}: minimum {low:g} is above "
                                                                 f"maximum {high:g}", expected="minimum <= maximum"))
        else:
            problem = value_problem(parameter, parameter.default, name in days)
            if problem is not None:
                problems.append(_diagnostic(file, [*loc, "default"], f"parameter {name!r}: the default "
                                            f"{parameter.default!r} is outside its own bounds", expected=problem))
        if name not in used:
            problems.append(_diagnostic(file, loc, f"parameter {name!r} is declared but no rule uses it",
                                        level="warning", expected="{param: " + name + "} in a rule, or remove it"))
    return problems


def named_conditions(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    """A named condition that `file` defines and no rule of the pack uses, even through others (a
    warning); one of those that uses itself (an error: compiling a rule reports the others)."""
    used = used_names([rule.model_dump(mode="json", exclude_none=True) for rule in pack.rules], pack.conditions)
    problems = []
    for name, named in file.pack.conditions.items():
        if name in used or pack.condition_files.get(name) is not file:
            continue
        if name in used_names([named.condition], pack.conditions):
            problems.append(_diagnostic(file, ["conditions", name, "condition"], f"named condition {name!r} uses "
                                        "itself", expected="named conditions that do not use themselves"))
        problems.append(_diagnostic(file, ["conditions", name], f"named condition {name!r} is defined but no rule "
                                    "uses it", level="warning", expected="{use: " + name + "} in a rule, or remove it"))
    return problems


def _attribute_reads(value: Any, loc: list[str | int]) -> Iterator[tuple[str, list[str | int]]]:
    """Field paths below `attributes` that a rule reads (`field`, `ref`, `by`), with their place."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("field", "ref", "by") and isinstance(item, str) and "attributes." in item:
                yield item, [*loc, key]
            else:
                yield from _attribute_reads(item, [*loc, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _attribute_reads(item, [*loc, i])


# whose attributes a path reads, by the name before `attributes` (none: the rule's subject's)
_OWNERS = {"from": "node", "to": "node", "node": "node", "company": "company", "path": "node", "product": "product",
           "edge": "edge", "nodes": "node", "edges": "edge", "products": "product"}


def undeclared_attributes(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    """In a pack that declares no attributes, every rule reading `attributes.*` (a warning: nothing
    checks the supply files' spelling or types of what it reads)."""
    if pack.attributes is not None:
        return []  # the compiler checks every read against the declarations
    problems = []
    for rule, loc in own_rules(pack, file):
        data = rule.model_dump(mode="json", exclude_none=True, by_alias=True)
        for path, at in _attribute_reads({k: v for k, v in data.items() if k in ("applies_to", "check", "path")},
                                         loc):
            head, _, tail = path.rpartition("attributes.")
            owner = _OWNERS.get(head.replace("../", "").rstrip(".").rpartition(".")[2], rule.target.value)
            name = tail.split(".")[0]
            problems.append(_diagnostic(
                file, at, f"rule {rule.id}: reads {path}, but the pack declares no attributes, so supply files "
                          "are not checked for its spelling or type", level="warning",
                hint=f"declare it: attributes: {{{owner}: {{{name}: {{type: TYPE, description: ...}}}}}}"))
    return problems


def replacements(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    ids = {rule.id for rule in pack.rules}
    return [_diagnostic(file, [*loc, "replaced_by"], f"rule {rule.id}: replaced_by {rule.replaced_by!r} names no "
                                                      f"rule of {pack.id}", expected="the id of a rule in the pack",
                        hint=did_you_mean(rule.replaced_by, ids))
            for rule, loc in own_rules(pack, file) if rule.replaced_by and rule.replaced_by not in ids]


def extends_name(pack: ResolvedPack, file: PackFile) -> list[Diagnostic]:
    base = file.pack.extends
    if not base or base.split("@")[0] == file.pack.pack:
        return []
    return [_diagnostic(file, ["extends"], f"{file.pack.pack} extends {base}, a pack of another name",
                        expected=f"an earlier version of {file.pack.pack}",
                        hint="to build on another pack, audit with both packs (-g one -g other)")]


RULE_CHECKS = (placeholder_tails, negations_in_applies_to)  # need only the rule itself
CHECKS = (*RULE_CHECKS, parameters, named_conditions, replacements, extends_name, undeclared_attributes)
