"""Field paths: what a subject at each level looks like, and getters checked against the models.

Field paths are checked when the rule is compiled (`contrct.audit_rights` is an error with a
"did you mean"), except below `attributes`, which is free-form. `../` climbs from a list item
to the enclosing subject.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from nofakes.core.errors import did_you_mean
from nofakes.rules.outcome import ConditionError, Getter, Loc, Stack
from nofakes.rules.words import field_words, item_noun, list_words
from nofakes.supply.validation import unwrap_annotation

ANY = object()  # type marker: free-form data, not checked further


@dataclass(frozen=True)
class ScopeType:
    """What a subject at one level looks like: named roots and their types. `noun` names a list
    item ("audit") so its fields read "the audit's result"; rule subjects have none."""

    name: str
    roots: Mapping[str, Any]
    resolve: Callable[[Any, str], Any]
    noun: str | None = None


@dataclass(frozen=True)
class Field:
    get: Getter
    words: str  # "the contract's anti-counterfeit clause"
    list_words: str  # the same path read as a list: "an audit"
    annotation: Any  # its type, or ANY
    noun: str  # one item, when it is a list: "audit"


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


def model_scope(model: type[BaseModel], name: str, noun: str | None = None) -> ScopeType:
    return ScopeType(name, model_roots(model), step, noun)


class _AnyRoots(dict):  # type: ignore[type-arg]
    """Roots of free-form data: every name is allowed."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> Any:
        return ANY


def item_scope(item_type: Any, noun: str) -> ScopeType:
    """The scope of one item of a list whose items have type `item_type`."""
    if item_type is ANY or item_type is Any:
        return ScopeType("item", _AnyRoots(), step, noun)
    if isinstance(item_type, type) and issubclass(item_type, BaseModel):
        return model_scope(item_type, f"{noun} item", noun)
    # items that are plain values (e.g. a list of strings): the item itself is `value`
    return ScopeType("value item", {"value": ANY}, lambda item, name: item, noun)


def _unwrap(annotation: Any) -> Any:
    """The inner type of an Optional/Annotated field; a union of several types is free-form."""
    return unwrap_annotation(annotation, ambiguous=Any)


def type_of_path(root_type: Any, parts: Sequence[str], loc: Loc) -> Any:
    """Static type of the full path `parts`, whose first name has type `root_type`."""
    current = root_type
    for i, part in enumerate(parts[1:], start=1):
        if current is ANY or current is Any:
            return ANY
        current = _unwrap(current)
        if typing.get_origin(current) is dict:
            return ANY
        if isinstance(current, type) and issubclass(current, BaseModel):
            roots = model_roots(current)
            if part not in roots:
                raise ConditionError(loc, f"unknown field {'.'.join(parts[: i + 1])!r}",
                                     expected="one of: " + ", ".join(roots), hint=did_you_mean(part, roots))
            current = roots[part]
            continue
        raise ConditionError(loc, f"{'.'.join(parts[:i])!r} has no fields (cannot read {part!r})",
                             expected="a path to a field; use any_item/all_items/count for lists")
    return _unwrap(current)


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
                             expected="'../' only inside any_item/all_items/count")
    parts = rest.split(".")
    if not all(parts):
        raise ConditionError(loc, f"malformed field path {text!r}", expected="names separated by '.'")
    scope = levels[-1 - ups]
    if parts[0] not in scope.roots:
        raise ConditionError(loc, f"unknown field {parts[0]!r} on a {scope.name}",
                             expected="one of: " + ", ".join(scope.roots), hint=did_you_mean(parts[0], scope.roots))
    annotation = type_of_path(scope.roots[parts[0]], parts, loc)
    if scope.name == "value item":
        words = f"the {scope.noun}"
    else:
        words = field_words(parts, scope.noun)
    return Field(_getter(scope.resolve, parts[0], tuple(parts[1:]), ups), words, list_words(parts), annotation,
                 item_noun(parts[-1]))


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
