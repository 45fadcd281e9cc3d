"""Message templates: `{node.name}`, `{param.audit_interval_days}` ... checked when the rule is
compiled and filled for each failing subject."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from nofakes.core.errors import did_you_mean
from nofakes.rules.fields import Typed, step, typed_path
from nofakes.rules.outcome import ConditionError
from nofakes.rules.values import norm

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


def check_template(template: str, roots: Sequence[str], loc: Sequence[str | int],
                   params: Mapping[str, Any] | None = None) -> None:
    """Reject placeholders whose first name is not available for this rule's target,
    and `{param.X}` placeholders naming an undeclared parameter."""
    for match in _PLACEHOLDER.finditer(template):
        parts = match.group(1).split(".")
        head = parts[0]
        if head not in roots:
            raise ConditionError(loc, f"unknown placeholder {{{match.group(1)}}}",
                                 expected="a placeholder starting with one of: " + ", ".join(roots),
                                 hint=did_you_mean(head, roots))
        if head == "param" and params is not None and (len(parts) != 2 or parts[1] not in params):
            name = parts[1] if len(parts) > 1 else ""
            raise ConditionError(loc, f"unknown parameter in placeholder {{{match.group(1)}}}",
                                 expected="{param.NAME} with a parameter declared under parameters:",
                                 hint=did_you_mean(name, params))


def placeholder_field_errors(template: str, types: Mapping[str, Any], loc: Sequence[str | int],
                             typed: Typed | None = None) -> list[ConditionError]:
    """Placeholders whose path below the first name is not a field of that name's type
    (`{node.nmae}`, which would show as '?'); `types` maps each first name to its type; with
    `typed`, the pack's declared attributes, `{node.attributes.NAME}` must be declared."""
    problems = []
    for match in _PLACEHOLDER.finditer(template):
        parts = match.group(1).split(".")
        if parts[0] in types and len(parts) > 1:
            try:
                typed_path(types[parts[0]], parts, tuple(loc), typed)
            except ConditionError as exc:
                problems.append(ConditionError(loc, f"placeholder {{{match.group(1)}}}: {exc.message}",
                                               expected=exc.expected, hint=exc.hint))
    return problems


def render_template(template: str, values: Mapping[str, Any]) -> str:
    """Fill `{a.b}` placeholders from `values`; absent values show as '?'."""

    def fill(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        value = values.get(parts[0])
        for name in parts[1:]:
            value = step(value, name)
        return "?" if value is None else _text(value)

    return _PLACEHOLDER.sub(fill, template)


def _text(value: Any) -> str:
    """A placeholder's value as written: dates in ISO form, a list parameter's items separated by commas."""
    value = norm(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(item) for item in value)
    return str(value)
