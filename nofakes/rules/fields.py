"""Field paths: what a subject at each level looks like, and getters checked against the models.

Field paths are checked when the rule is compiled (`contrct.audit_rights` is an error with a
"did you mean"), except below `attributes`, which is free-form unless the pack declares its
attributes (`Typed`): then `attributes.NAME` must be declared, and has the declared type. `../`
climbs from a list item to the enclosing subject.

Two roots are readable from any rule, at any depth (`Context`): `context` (the audit:
`context.as_of`, the audit date) and `company` (the auditing company's fields, `company.country`,
`company.attributes.x`). They are constants of one audit, read once when the rule is compiled;
a scope that has a root of the same name (company rules' `company`) reads its own.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from operator import attrgetter
from typing import Any

from pydantic import BaseModel, ConfigDict

from nofakes.core.errors import did_you_mean
from nofakes.rules.outcome import ConditionError, Getter, Loc, Stack
from nofakes.rules.words import field_words, item_noun, list_words
from nofakes.supply.model import Company
from nofakes.supply.validation import unwrap_annotation

ANY = object()  # type marker: free-form data, not checked further


class AuditContext(BaseModel):
    """The `context` root: facts about the audit itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    as_of: dt.date


CONTEXT_ROOTS: Mapping[str, Any] = {"context": AuditContext, "company": Company}


@dataclass(frozen=True)
class Context:
    """What every rule reads at any depth: the audit (`context`) and the auditing company (`company`)."""

    as_of: dt.date
    company: Company | None = None

    def root(self, name: str) -> Any:
        return AuditContext(as_of=self.as_of) if name == "context" else self.company


@dataclass(frozen=True)
class ScopeType:
    """What a subject at one level looks like: named roots and their types. `noun` names a list
    item ("audit") so its fields read "the audit's result"; rule subjects have none. A rule's own
    scope carries the audit's `context` (see `Context`)."""

    name: str
    roots: Mapping[str, Any]
    resolve: Callable[[Any, str], Any]
    noun: str | None = None
    graph_sized: Mapping[str, str] = dataclass_field(default_factory=dict)  # list roots as large as the graph
    model: type | None = None  # the record whose fields the roots are, when there is one (its `attributes`)
    typed: Typed | None = None  # the pack's declared attributes: reading others is an error
    context: Context | None = None
    climbs: list[Climb] | None = None  # when set, every `../` read of this level is recorded here
    # optional: for a root name, a function of the subject that reads it exactly as `resolve` does, faster
    # (e.g. `operator.attrgetter`); None where the scope has none for that name
    reader: Callable[[str], Callable[[Any], Any] | None] | None = None
    # paths this level refuses with a reason (message, expected): the path itself and every path below it
    refused: Mapping[str, tuple[str, str]] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class Climb:
    """A field of an enclosing level read through `../` (graph quantifiers group their starts by these)."""

    get: Getter  # reads the field on that level's subject alone: get((subject,))
    path: str
    annotation: Any
    loc: Loc


@dataclass(frozen=True)
class Field:
    get: Getter
    words: str  # "the contract's anti-counterfeit clause"
    list_words: str  # the same path read as a list: "an audit"
    annotation: Any  # its type, or ANY
    noun: str  # one item, when it is a list: "audit"
    declared: str | None = None  # a declared attribute: its type as the pack says it ("date", "list of text")


@dataclass(frozen=True)
class Declaration:
    """A declared attribute: its Python type, and its type in the pack's words."""

    annotation: Any
    words: str


@dataclass(frozen=True)
class Typed:
    """The attributes a pack declares, per record model (Node, Edge, Product, Company), and who declares
    them (named in errors)."""

    models: Mapping[type, Mapping[str, Declaration]]
    by: str  # "the pack ntif-marketplace"
    nouns: Mapping[type, str] = dataclass_field(default_factory=dict)  # Node: "partners", in errors


def with_root(scope: ScopeType, root: str, read: Callable[[], Callable[[Any], Any]]) -> ScopeType:
    """`scope` whose root `root` is read by the getter `read()` returns (called when a rule reads the
    root, so that what it needs is built on first use); every other root keeps its reader. For roots
    the audit computes (`risk`, `screening`): the paths below them are models, read through the
    scope's reader."""
    base = scope.reader
    assert base is not None, "a computed root needs a scope with a reader"

    def reader(name: str) -> Callable[[Any], Any] | None:
        return read() if name == root else base(name)

    return replace(scope, reader=reader)


def model_roots(model: type[BaseModel]) -> dict[str, Any]:
    """The names a rule may read on a model: its fields, and its computed fields (views such as
    a partner's `all_authorizations`)."""
    roots = {(info.alias or name): info.annotation for name, info in model.model_fields.items()}
    roots.update({name: info.return_type for name, info in model.model_computed_fields.items()})
    return roots


def step(value: Any, name: str) -> Any:
    """One step down a path; None when absent (never raises)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, BaseModel):
        return getattr(value, name if name != "from" else "from_", None)
    return None


def model_scope(model: type[BaseModel], name: str, noun: str | None = None, typed: Typed | None = None) -> ScopeType:
    return ScopeType(name, model_roots(model), step, noun, model=model, typed=typed, reader=model_reader(model))


def model_attribute(model: type[BaseModel], name: str) -> str | None:
    """The attribute of the model field called `name` in documents (its alias, e.g. an edge's `from`)."""
    return next((n for n, info in model.model_fields.items() if (info.alias or n) == name), None)


def model_reader(model: type[BaseModel]) -> Callable[[str], Callable[[Any], Any] | None]:
    """`ScopeType.reader` of a scope whose subjects are instances of `model`."""
    def reader(name: str) -> Callable[[Any], Any] | None:
        attribute = model_attribute(model, name)
        return attrgetter(attribute) if attribute else None

    return reader


class _AnyRoots(dict):  # type: ignore[type-arg]
    """Roots of free-form data: every name is allowed."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> Any:
        return ANY


def item_scope(item_type: Any, noun: str, typed: Typed | None = None) -> ScopeType:
    """The scope of one item of a list whose items have type `item_type` (`typed`: the declared attributes)."""
    if item_type is ANY or item_type is Any:
        return ScopeType("item", _AnyRoots(), step, noun)
    if isinstance(item_type, type) and issubclass(item_type, BaseModel):
        return model_scope(item_type, f"{noun} item", noun, typed)
    # items that are plain values (e.g. a list of strings): the item itself is `value`
    return ScopeType("value item", {"value": ANY}, lambda item, name: item, noun)


def _unwrap(annotation: Any) -> Any:
    """The inner type of an Optional/Annotated field; a union of several types is free-form."""
    return unwrap_annotation(annotation, ambiguous=Any)


def typed_path(root_type: Any, parts: Sequence[str], loc: Loc, typed: Typed | None = None,
               owner: type | None = None) -> tuple[Any, Declaration | None]:
    """Static type of the full path `parts`, whose first name has type `root_type`, and the declaration
    when it reads a declared attribute.

    With `typed`, `attributes.NAME` of a record whose model declares attributes must name a declared
    one (a "did you mean" otherwise); `owner` is the model the first name belongs to."""
    current: Any = root_type
    declared: Declaration | None = None
    for i, part in enumerate(parts[1:], start=1):
        if typed is not None and owner is not None and owner in typed.models and parts[i - 1] == "attributes" \
                and declared is None:
            declared = _declaration(typed, owner, parts, i, loc)
            current = declared.annotation
            continue
        if current is ANY or current is Any:
            return ANY, None
        current = _unwrap(current)
        if typing.get_origin(current) is dict:
            return ANY, None
        if isinstance(current, type) and issubclass(current, BaseModel):
            roots = model_roots(current)
            if part not in roots:
                raise ConditionError(loc, f"unknown field {'.'.join(parts[: i + 1])!r}",
                                     expected="one of: " + ", ".join(roots), hint=did_you_mean(part, roots))
            owner, current = current, roots[part]
            continue
        raise ConditionError(loc, f"{'.'.join(parts[:i])!r} has no fields (cannot read {part!r})",
                             expected="a path to a field; use any_item/all_items/count for lists")
    return _unwrap(current), declared


def _declaration(typed: Typed, owner: type, parts: Sequence[str], i: int, loc: Loc) -> Declaration:
    names = typed.models[owner]
    if parts[i] not in names:
        path = ".".join(parts[: i + 1])
        raise ConditionError(loc, f"{path!r} is not a declared attribute of {typed.nouns.get(owner, owner.__name__)}"
                                  f" ({typed.by} declares its attributes)",
                             expected="one of: " + (", ".join(f"attributes.{n}" for n in names) or "(none declared)"),
                             hint=did_you_mean(parts[i], names) or "declare it under attributes:")
    return names[parts[i]]


def list_item_type(list_type: Any) -> Any:
    """The item type of a list type, ANY for free-form data, None when it is not a list."""
    list_type = _unwrap(list_type)
    if list_type is ANY:
        return ANY
    if typing.get_origin(list_type) is list:
        return _unwrap(typing.get_args(list_type)[0])
    return None


def field(levels: Sequence[ScopeType], text: Any, loc: Loc) -> Field:
    """A getter for a field path read at the innermost of `levels`, with its words and type."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError(loc, f"found {text!r}", expected="a field path such as contract.audit_rights")
    ups = 0
    rest = text
    while rest.startswith("../"):
        ups, rest = ups + 1, rest[3:]
    if ups >= len(levels):
        raise ConditionError(loc, f"{text!r} climbs {ups} level(s) but only {len(levels) - 1} enclose it",
                             expected="'../' only inside any_item/all_items/count or a graph quantifier's where")
    parts = rest.split(".")
    if not all(parts):
        raise ConditionError(loc, f"malformed field path {text!r}", expected="names separated by '.'")
    context = levels[0].context if levels else None
    if context is not None and not ups and parts[0] in CONTEXT_ROOTS and not _declares(levels[-1], parts[0]):
        return _context_field(context, parts, loc)
    scope = levels[-1 - ups]
    _refuse(scope, parts, loc)
    if parts[0] not in scope.roots:
        raise ConditionError(loc, f"unknown field {parts[0]!r} on a {scope.name}",
                             expected="one of: " + ", ".join(scope.roots), hint=did_you_mean(parts[0], scope.roots))
    annotation, declared = typed_path(scope.roots[parts[0]], parts, loc, scope.typed, scope.model)
    if scope.name == "value item":
        words = f"the {scope.noun}"
    else:
        words = field_words(parts, scope.noun)
    if ups and scope.climbs is not None:
        scope.climbs.append(Climb(_getter(scope.resolve, parts[0], tuple(parts[1:]), 0), rest, annotation, loc))
    root = scope.reader(parts[0]) if scope.reader is not None else None
    attributes = _model_attributes(scope.roots[parts[0]], parts)
    if root is not None and attributes is not None:
        getter = _attribute_getter(root, attributes, ups)
    else:
        getter = _getter(scope.resolve, parts[0], tuple(parts[1:]), ups)
    return Field(getter, words, list_words(parts), annotation, item_noun(parts[-1]),
                 declared.words if declared is not None else None)


def _refuse(scope: ScopeType, parts: Sequence[str], loc: Loc) -> None:
    """A ConditionError when the level refuses the path `parts` (or one it lies below)."""
    if not scope.refused:
        return
    for i in range(len(parts), 0, -1):
        refusal = scope.refused.get(".".join(parts[:i]))
        if refusal is not None:
            raise ConditionError(loc, refusal[0], expected=refusal[1])


def _model_attributes(root_type: Any, parts: Sequence[str]) -> tuple[str, ...] | None:
    """The attribute names that read `parts[1:]` when every value on the way is a model (or None),
    so that `getattr(value, name, None)` reads each step exactly as `step` does; else None."""
    names = []
    current = root_type
    for part in parts[1:]:
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        name = model_attribute(current, part)
        if name is None:
            return None
        names.append(name)
        current = current.model_fields[name].annotation
    return tuple(names)


def _attribute_getter(root: Callable[[Any], Any], names: tuple[str, ...], index: int) -> Getter:
    """Reads a root through `root`, then model attributes (None stays None: getattr's default)."""
    if not names:
        def get(stack: Stack) -> Any:
            return root(stack[index])
    elif len(names) == 1:
        (name,) = names

        def get(stack: Stack) -> Any:
            return getattr(root(stack[index]), name, None)
    elif len(names) == 2:  # the common nested field (`documents.certificate_of_conformance`), unrolled
        first, second = names

        def get(stack: Stack) -> Any:
            value = getattr(root(stack[index]), first, None)
            return None if value is None else getattr(value, second, None)
    else:
        def get(stack: Stack) -> Any:
            value = root(stack[index])
            for name in names:
                if value is None:  # an absent part: every name below it reads None (no model field is None's)
                    return None
                value = getattr(value, name, None)
            return value

    return get


def _declares(scope: ScopeType, name: str) -> bool:
    """The scope has a root `name` of its own (free-form items have every name, but declare none)."""
    return not isinstance(scope.roots, _AnyRoots) and name in scope.roots


def _context_field(context: Context, parts: Sequence[str], loc: Loc) -> Field:
    """A `context.*` or `company.*` path: a constant of the audit, read once."""
    annotation, _declared = typed_path(CONTEXT_ROOTS[parts[0]], parts, loc)
    value = context.root(parts[0])
    for name in parts[1:]:
        value = step(value, name)
    return Field(lambda stack: value, field_words(parts), list_words(parts), annotation, item_noun(parts[-1]))


def _getter(resolve: Callable[[Any, str], Any], head: str, tail: tuple[str, ...], index: int) -> Getter:
    if not tail:
        def get(stack: Stack) -> Any:
            return resolve(stack[index], head)
    elif len(tail) == 1:
        second = tail[0]

        def get(stack: Stack) -> Any:
            return step(resolve(stack[index], head), second)
    else:
        def get(stack: Stack) -> Any:
            value = resolve(stack[index], head)
            for name in tail:
                value = step(value, name)
            return value

    return get
