"""Pack parameters: defaults, overrides from the supply file and `--param`, types and bounds.

Parameters belong to their pack (README: Guideline packs and the rule language). An override names `pack.parameter`
(`ntif.audit_interval_days`), or the bare parameter name when exactly one selected pack
declares it; a bare name that several selected packs declare is an error naming them. Each
pack's rules see that pack's values. An override keeps the declared type and bounds; every
parameter used as a day count (named `*_days`, or the value of `within_days`,
`within_business_days`, `expires_within_days` or an offset such as `plus_days` in one of the
pack's rules) is also held to
`MAX_DAYS` either way, so no override can push date arithmetic out of the calendar.

A list parameter (its default is a list of text, whole numbers or dates) is overridden by a
list, or by comma-separated text (`--param ntif.high_risk_countries=CN,HK`); every item keeps the
kind of the default's items, and bounds apply to each item.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from nofakes.core.errors import Diagnostic, UsageError, did_you_mean
from nofakes.packs.catalogue import ResolvedPack
from nofakes.packs.model import Parameter
from nofakes.rules.values import OFFSETS

MAX_DAYS = 36_500  # 100 years: the largest day count a parameter may hold, either way
DAY_OPERATORS = ("within_days", "within_business_days", "expires_within_days", *OFFSETS)
SHOWN_CHARS = 40
_DIGITS = re.compile(r"[+-]?[0-9]+")

ParamBlame = Callable[[str], Diagnostic]
PackValues = dict[str, dict[str, Any]]  # pack id -> parameter name -> value


def parse_cli_params(values: Iterable[str]) -> dict[str, str]:
    """`K=V` strings from --param, as raw text; `effective_parameters` converts each to its declared type."""
    out: dict[str, str] = {}
    for text in values:
        key, sep, raw = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError([Diagnostic("--param", f"found {_shown(text)}", expected="KEY=VALUE")])
        out[key] = raw.strip()
    return out


def qualified(values: PackValues, packs: Sequence[ResolvedPack]) -> dict[str, Any]:
    """Every pack's values under `pack.parameter` names, sorted: what a report shows."""
    names = {pack.id: pack.name for pack in packs}
    return dict(sorted((f"{names[pack_id]}.{name}", value)
                       for pack_id, params in values.items() for name, value in params.items()))


def effective_parameters(packs: Sequence[ResolvedPack], from_file: Mapping[str, Any], from_cli: Mapping[str, Any],
                         blame_file: ParamBlame | None = None) -> tuple[PackValues, list[Diagnostic]]:
    """Per pack id: its defaults, overridden by the supply file, overridden by --param.

    `blame_file(name)` gives a located diagnostic (file, line, column, path) for the supply
    file's `parameters.<name>`; without it, problems there are reported against "parameters".
    Undeclared names are warnings; wrong types, out-of-range values and ambiguous bare names
    are all collected and raised together as one UsageError.
    """
    values: PackValues = {pack.id: {n: p.default for n, p in pack.parameters.items()} for pack in packs}
    days = {pack.id: day_parameters(pack) for pack in packs}
    warnings: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    for origin, overrides in (("parameters", from_file), ("--param", from_cli)):
        for key, value in overrides.items():
            if origin == "parameters" and blame_file is not None:
                where = blame_file(key)
            else:
                where = Diagnostic(origin, "", path=f"parameters.{key}" if origin == "parameters" else key)
            found = _resolve(key, packs)
            if isinstance(found, Diagnostic):
                (problems if found.level == "error" else warnings).append(
                    replace(where, message=found.message, level=found.level, expected=found.expected, hint=found.hint))
                continue
            pack, name = found
            parameter = pack.parameters[name]
            as_text = origin == "--param" or (parameter.is_list and isinstance(value, str))
            converted = _from_text(str(value), parameter.default) if as_text else value
            problem = value_problem(parameter, converted, name in days[pack.id])
            if problem is not None:
                problems.append(replace(where, message=f"parameter {key!r} is {_shown(converted)}", expected=problem))
                continue
            values[pack.id][name] = converted
    if problems:
        raise UsageError(problems)
    return values, warnings


def _resolve(key: str, packs: Sequence[ResolvedPack]) -> tuple[ResolvedPack, str] | Diagnostic:
    """The (pack, parameter) an override names, or why it names none (warning) or several (error)."""
    prefix, dot, rest = key.partition(".")
    by_name = {pack.name: pack for pack in packs}
    if dot and prefix in by_name:
        pack = by_name[prefix]
        if rest in pack.parameters:
            return pack, rest
        return Diagnostic("", f"pack {prefix} declares no parameter {rest!r}; ignored", level="warning",
                              hint=did_you_mean(rest, pack.parameters))
    declaring = [pack for pack in packs if key in pack.parameters]
    if len(declaring) == 1:
        return declaring[0], key
    if declaring:
        names = [f"{pack.name}.{key}" for pack in declaring]
        return Diagnostic("", f"parameter {key!r} is declared by several selected packs "
                                  f"({', '.join(pack.name for pack in declaring)})",
                              expected="the pack's name before the parameter: " + " or ".join(names))
    known = sorted({n for p in packs for n in p.parameters} | {f"{p.name}.{n}" for p in packs for n in p.parameters})
    return Diagnostic("", f"parameter {key!r} is not declared by any selected pack; ignored", level="warning",
                          hint=did_you_mean(key, known))


def value_problem(parameter: Parameter, value: Any, counts_days: bool) -> str | None:
    """What the value should be, when it has the wrong type or lies outside the bounds."""
    default = parameter.default
    low, high = parameter.minimum, parameter.maximum
    if counts_days:
        low = -MAX_DAYS if low is None else max(low, -MAX_DAYS)
        high = MAX_DAYS if high is None else min(high, MAX_DAYS)
    unit = " days (at most 100 years)" if counts_days else ""
    if isinstance(default, list):
        kind = _LIST_KINDS.get(type(default[0]), "values")
        if not isinstance(value, list):
            return f"a list of {kind} (or {kind} separated by commas) like the default {_shown(default)}"
        for item in value:
            problem = _item_problem(default[0], item, low, high, unit)
            if problem is not None:
                return f"a list of {kind}, each {problem}" if _same_kind(default[0], item) else \
                    f"a list of {kind} like the default {_shown(default)}"
        return None
    return _item_problem(default, value, low, high, unit)


def _item_problem(default: Any, value: Any, low: float | None, high: float | None, unit: str) -> str | None:
    """What a value (or a list item) should be, like `default` and within the bounds."""
    if isinstance(value, str) and _is_number(default) and _DIGITS.fullmatch(value):
        # more digits than Python converts: a number, and out of any sane range
        return _range(low, high, unit) if high is not None else "a whole number of at most 4300 digits"
    if not _same_kind(default, value):
        return f"{_KIND_NAMES.get(type(default), 'a value')} like the default {default!r}"
    if not _is_number(value) or ((low is None or value >= low) and (high is None or value <= high)):
        return None
    return _range(low, high, unit)


def _range(low: float | None, high: float | None, unit: str) -> str | None:
    if low is None:
        return f"at most {_number(high)}{unit}" if high is not None else None
    if high is None:
        return f"at least {_number(low)}{unit}"
    return f"between {_number(low)} and {_number(high)}{unit}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def day_parameters(pack: ResolvedPack) -> frozenset[str]:
    """Parameters of the pack used as a day count: `*_days`, or the value of a day operator in a rule
    or a named condition."""
    used = {name for name in pack.parameters if name.endswith("_days")}
    for operand in _day_operands([named.condition for named in pack.conditions.values()]):
        if isinstance(operand, dict) and isinstance(operand.get("param"), str):
            used.add(operand["param"])
    for rule in pack.rules:
        conditions: list[Any] = [rule.check, rule.applies_to.where if rule.applies_to else None]
        if rule.path is not None:
            spec = rule.path
            conditions += [spec.start.where, spec.end.where, spec.forbid_nodes, spec.require_nodes,
                           spec.forbid_edges, spec.require_edges]
        for operand in _day_operands(conditions):
            if isinstance(operand, dict) and isinstance(operand.get("param"), str):
                used.add(operand["param"])
    return frozenset(used)


def _day_operands(value: Any) -> Iterator[Any]:
    """Every operand of a day operator anywhere inside a condition (iterative: packs may nest deeply)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in DAY_OPERATORS:
                    yield inner
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _from_text(raw: str, default: Any) -> Any:
    """--param text as the type of the parameter's default (comma-separated items for a list);
    text left as it is when it is not one."""
    if isinstance(default, list):
        return [_from_text(item.strip(), default[0]) for item in raw.split(",") if item.strip()]
    try:
        if isinstance(default, bool):
            return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(raw.lower(), raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, dt.date):
            return dt.date.fromisoformat(raw)
    except ValueError:  # not a number or date, or more digits than Python converts
        return raw
    return raw


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and (isinstance(default, float) or isinstance(value, int))
    return type(default) is type(value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _shown(value: Any) -> str:
    """A value in a message, shortened: an override may be thousands of characters long."""
    if isinstance(value, list):
        text = ", ".join(_shown(item) for item in value)
        return f"[{text}]" if len(text) <= SHOWN_CHARS else f"[{text[: SHOWN_CHARS - 4]}...]"
    text = repr(value) if isinstance(value, str) else value.isoformat() if isinstance(value, dt.date) else str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text", dt.date: "a date"}
_LIST_KINDS = {int: "whole numbers", str: "text items", dt.date: "dates"}
