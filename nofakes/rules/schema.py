"""The JSON Schema of the condition language, generated from the registries the compiler uses
(`OPERATORS`, the combinators, `QUANTIFIERS`, `COUNT_COMPARATORS`, `GRAPH_QUANTIFIERS`, `SET_CHECKS`), so
that an editor flags a misspelt operator or key at any depth, inside quantifier bodies too.

Every kind of condition is one closed alternative of `Condition`: a combinator alone in its
mapping, a leaf with `field` and exactly one operator (`label` only beside `matches`), a list
quantifier with `field` (and `where`; `all_items` requires it; `count` takes exactly one bound),
a graph quantifier with `where` (and `follow`, `max_hops`), a set check `unique` / `group`, an
implication with `if` and `then` (and `else`), a named condition `{use: NAME}`. What the schema
cannot know (field paths, parameter and condition names, patterns) is still checked by the loader
and `nofakes guidelines lint`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nofakes.rules.compiler import COMBINATORS
from nofakes.rules.implication import KEYS as IMPLICATION
from nofakes.rules.operators import OPERATORS
from nofakes.rules.quantifiers import COUNT_COMPARATORS, GRAPH_QUANTIFIERS, QUANTIFIERS
from nofakes.rules.reuse import NAME_PATTERN
from nofakes.rules.sets import SET_CHECKS
from nofakes.rules.values import OFFSETS

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


_PARAM: Schema = {"type": "object", "properties": {"param": {"type": "string"}}, "required": ["param"],
                  "additionalProperties": False, "description": "A pack parameter, resolved when the rule is compiled"}
_REF: Schema = {"type": "object",
                "properties": {"ref": {"type": "string"}, **{offset: _ref("Integer") for offset in OFFSETS}},
                "required": ["ref"], "additionalProperties": False, "maxProperties": 2,
                "description": "Another field of the subject ('../' climbs out of a list item or a graph quantifier; "
                               "context.as_of and company.* are readable everywhere), a date shifted by at most one "
                               "of " + ", ".join(OFFSETS) + " (business days: Monday to Friday)"}
_LITERAL: Schema = {"not": {"type": "object"}}

# what an operator's value may be, by `Operator.operand`
OPERANDS: dict[str, Schema] = {
    "value": {"anyOf": [_LITERAL, _ref("Param"), _ref("FieldRef")],
              "description": "A literal, {param: NAME} (a pack parameter) or {ref: PATH, plus_days: N} "
                             "(another field; '../' climbs out of a list item to the enclosing subject; "
                             "also minus_days, plus_business_days, minus_business_days)"},
    "text": {"anyOf": [{"type": "string"}, _ref("Param")], "description": "Text or {param: NAME}"},
    "boolean": {"anyOf": [{"type": "boolean"}, _ref("Param")], "description": "true or false"},
    "flag": {"anyOf": [{"const": True}, _ref("Param")], "description": "Always true"},
    "count": {"anyOf": [{"type": "integer", "minimum": 0}, _ref("Param")],
              "description": "A whole number >= 0 or {param: NAME}"},
}


def _closed(properties: Schema, required: Sequence[str], description: str) -> Schema:
    return {"type": "object", "description": description, "properties": properties, "required": list(required),
            "additionalProperties": False}


def _conditions() -> Schema:
    return {"type": "array", "items": _ref("Condition"), "minItems": 1}


FIELD_DESCRIPTION = ("Path of the field, e.g. contract.signed. Node rules also read the computed counterfeit risk: "
                     "risk.score, risk.exposure (0-100), risk.factors.NAME (0-1: origin, undeclared_origin, "
                     "transport, transport_value, transit, channel, incidents); edge rules risk.score and "
                     "risk.factors.NAME of the goods flow")


def _leaf(name: str) -> Schema:
    op = OPERATORS[name]
    properties: Schema = {"field": {"type": "string", "description": FIELD_DESCRIPTION}, name: OPERANDS[op.operand]}
    if "label" in op.keys:
        properties["label"] = {"type": "string", "pattern": r"\S",
                               "description": "What the pattern stands for, shown in reasons instead of the "
                                              "pattern (e.g. 'a recognised authority')"}
    return _closed(properties, ["field", name], f"Leaf: {{field: PATH, {name}: VALUE}}")


def _list_quantifier(kind: str) -> Schema:
    properties: Schema = {"field": {"type": "string", "description": "A list field, e.g. audits"},
                          "where": _ref("Condition")}
    required = ["field", "where"] if kind == "all_items" else ["field"]
    body = _closed(properties, required, f"{kind}: {{field: LIST, where: CONDITION}}")
    if kind == "count":
        properties.update({c: _ref("Integer") for c in COUNT_COMPARATORS})
        body["oneOf"] = [{"required": [c]} for c in COUNT_COMPARATORS]
        body["description"] = "count: {field: LIST, where: CONDITION, and one of " + ", ".join(COUNT_COMPARATORS) + "}"
    return _closed({kind: body}, [kind], f"List quantifier {kind}")


def _graph_quantifier(kind: str, edge_kind: Schema) -> Schema:
    body = _closed({"where": _ref("Condition"),
                    "follow": {"type": "array", "items": edge_kind, "description": "Edge kinds followed"},
                    "max_hops": {"type": "integer", "minimum": 1, "description": "Longest route, in edges"}},
                   ["where"], f"{kind}: {{where: CONDITION, follow: [kinds], max_hops: N}}")
    return _closed({kind: body}, [kind], f"Graph quantifier {kind} (node rules, top level only)")


def _set_check(kind: str) -> Schema:
    path = {"type": "string", "description": "Path of the field whose value is compared, e.g. attributes.bank_account"}
    if kind == "unique":
        body = _closed({"field": path}, ["field"], "unique: {field: PATH}: no two subjects of the rule share the value")
    else:
        body = _closed({"by": path, "at_most": {"anyOf": [{"type": "integer", "minimum": 1}, _ref("Param")]}},
                       ["by", "at_most"], "group: {by: PATH, at_most: N}: at most N subjects share one value")
    return _closed({kind: body}, [kind], f"Set check {kind} (node, edge and product rules: the check or its "
                                         "top-level all)")


def condition_defs(edge_kind: Schema) -> dict[str, Schema]:
    """The `$defs` entries of the condition language; `edge_kind` is the schema of an edge kind."""
    combinators = [_closed({c: _conditions()}, [c], f"{c}: [CONDITION, ...]") for c in COMBINATORS if c != "not"]
    alternatives = [
        *combinators,
        _closed({"not": _ref("Condition")}, ["not"], "not: CONDITION"),
        *(_leaf(name) for name in OPERATORS),
        *(_list_quantifier(kind) for kind in QUANTIFIERS),
        *(_graph_quantifier(kind, edge_kind) for kind in GRAPH_QUANTIFIERS),
        _closed({key: _ref("Condition") for key in IMPLICATION}, ["if", "then"],
                "Implication: {if: CONDITION, then: CONDITION, else: CONDITION}; else is optional"),
        _closed({"use": {"type": "string", "pattern": NAME_PATTERN,
                         "description": "The name of one of the pack's conditions:"}}, ["use"],
                "A named condition of the pack: {use: NAME}"),
        *(_set_check(kind) for kind in SET_CHECKS),
    ]
    return {
        "Condition": {
            "description": "A condition: {all: [...]}, {any: [...]}, {not: {...}}, a leaf {field: PATH, OPERATOR: "
                           "VALUE} with one of " + ", ".join(OPERATORS) + ", a list quantifier "
                           + "|".join(QUANTIFIERS) + ", a graph quantifier " + "|".join(GRAPH_QUANTIFIERS)
                           + ", a set check " + "|".join(SET_CHECKS)
                           + ", an implication {if, then, else} or a named condition {use: NAME}.",
            "type": "object",
            # every key a condition may have: an editor flags a misspelt one by name, before the alternatives
            "propertyNames": {"enum": [*COMBINATORS, "field", "label", *OPERATORS, *QUANTIFIERS, *GRAPH_QUANTIFIERS,
                                       *SET_CHECKS, *IMPLICATION, "use"]},
            "oneOf": alternatives,
        },
        "Param": _PARAM,
        "FieldRef": _REF,
        "Integer": {"anyOf": [{"type": "integer"}, _ref("Param")], "description": "A whole number or {param: NAME}"},
    }
