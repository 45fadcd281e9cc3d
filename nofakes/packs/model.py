"""Guideline packs (declarative YAML rules) as frozen pydantic models.

The published `schemas/guideline-pack.schema.json` is generated from these models. The
condition language inside `check`, `applies_to.where` and path specs is validated and
compiled by `nofakes.rules` (which knows every operator and reports unknown ones with their
location); here a condition is any mapping, described in the schema by
`nofakes.rules.schema.condition_defs`, generated from the rules' registries, so editors can
complete operators and flag a misspelt one at any depth.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator, model_validator

from nofakes.rules.reuse import NAME_PATTERN as CONDITION_NAME_PATTERN
from nofakes.rules.words import long_date
from nofakes.supply.model import EdgeKind, Role, Severity

RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*-[A-Z0-9]+-[0-9]{3}$"
PACK_NAME_PATTERN = r"^[a-z][a-z0-9-]*$"
VERSION_PATTERN = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"

CONDITION_MARKER = "x-nofakes-condition"
# Replaced by {"$ref": "#/$defs/Condition"} in nofakes.cli.schemas (pydantic cannot emit a foreign $ref).
Condition = Annotated[dict[str, Any], WithJsonSchema({"type": "object", CONDITION_MARKER: True})]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Target(str, Enum):
    node = "node"
    edge = "edge"
    product = "product"
    company = "company"
    path = "path"


class Effort(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


class PackStatus(str, Enum):
    draft = "draft"
    released = "released"
    deprecated = "deprecated"


class RuleStatus(str, Enum):
    active = "active"
    deprecated = "deprecated"


class Source(_Strict):
    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None


# an item of a list parameter: text, a whole number or a date (all items of one kind: Parameter checks)
ListItem = Annotated[Any, WithJsonSchema({"type": ["string", "integer"], "description": "Text, a whole number or a "
                                                                                       "date (YYYY-MM-DD)"})]


class Parameter(_Strict):
    default: str | int | float | bool | dt.date | list[ListItem] = Field(
        description="The value; a list (of text, of whole numbers or of dates) for `in` and `not_in`")
    description: str
    type: Literal["list"] | None = Field(None, description="list: the parameter is a list (also inferred from "
                                                           "a list default)")
    label: str | None = Field(None, description="Pattern parameters: what the pattern stands for, shown in reasons "
                                                "instead of the pattern (e.g. 'a recognised authority')")
    minimum: float | None = Field(None, description="Lowest allowed value (of each item, for a list of numbers)")
    maximum: float | None = Field(None, description="Highest allowed value (of each item, for a list of numbers)")

    @field_validator("default")
    @classmethod
    def _items_of_one_kind(cls, value: Any) -> Any:
        if isinstance(value, list) and list_item_kind(value) is None:
            raise ValueError("a list parameter's items must all be text, all whole numbers or all dates, and "
                             "there must be at least one")
        return value

    @model_validator(mode="after")
    def _declared_list(self) -> Parameter:
        if self.type == "list" and not isinstance(self.default, list):
            raise ValueError("type: list, but the default is not a list")
        return self

    @property
    def is_list(self) -> bool:
        return isinstance(self.default, list)


def list_item_kind(items: list[Any]) -> type | None:
    """The kind all items of a list parameter share (str, int or date), None if they do not."""
    kinds = {bool if isinstance(i, bool) else dt.date if isinstance(i, dt.date) else type(i) for i in items}
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    return kind if kind in (str, int, dt.date) else None


class NamedCondition(_Strict):
    """A condition defined once per pack and used in rules as `{use: NAME}`."""

    description: str = Field(min_length=1, description="What the condition requires, as a noun phrase shown in "
                                                       "reasons, e.g. 'a current authorization from the original "
                                                       "manufacturer'")
    condition: Condition = Field(description="The condition, compiled where it is used")


class Section(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    description: str | None = None


class Reference(_Strict):
    source: str = Field(description="Id of an entry in sources:")
    clause: str | None = Field(None, description="Clause, article or section in that source")


class AppliesTo(_Strict):
    """Which subjects a rule is about; a subject outside it is not_applicable."""

    role: list[Role] | None = Field(None, description="Node roles (node, company and path-end rules)")
    kind: list[EdgeKind] | None = Field(None, description="Edge kinds (edge rules)")
    from_role: list[Role] | None = Field(None, description="Role of the edge's source node (edge rules)")
    to_role: list[Role] | None = Field(None, description="Role of the edge's target node (edge rules)")
    category: list[str] | None = Field(None,
                                       description="Product categories (product rules; nodes/edges handling them)")
    where: Condition | None = Field(None, description="Any further condition on the subject")


class NodeSelector(_Strict):
    role: list[Role] | None = None
    where: Condition | None = None


class PathSpec(_Strict):
    """Graph structure: where paths start and end, what they follow, what they must avoid."""

    start: NodeSelector = Field(description="Nodes where paths start")
    end: NodeSelector = Field(description="Nodes where paths end: the subjects of the rule")
    follow: list[EdgeKind] = Field(
        [EdgeKind.supplies, EdgeKind.distributes, EdgeKind.sells, EdgeKind.ships, EdgeKind.subcontracts],
        description="Edge kinds paths follow (in goods-flow direction)")
    max_hops: int | None = Field(None, ge=1, description="Longest path considered, in edges")
    mode: str = Field("no_bad_path", pattern="^(no_bad_path|some_good_path)$",
                      description="no_bad_path: fail when some path from a start reaches the end through a "
                                  "forbidden node or edge. some_good_path: fail unless some path from a start "
                                  "reaches the end using only allowed nodes and edges (unreached ends fail).")
    forbid_nodes: Condition | None = Field(None, description="Intermediate nodes must not satisfy this")
    require_nodes: Condition | None = Field(None, description="Intermediate nodes must satisfy this")
    require_edges: Condition | None = Field(None, description="Every edge on the path must satisfy this")
    forbid_edges: Condition | None = Field(None, description="No edge on the path may satisfy this")


class Rule(_Strict):
    id: str = Field(pattern=RULE_ID_PATTERN, description="PREFIX-AREA-NNN; never reused, never renumbered")
    title: str
    section: str
    severity: Severity
    target: Target
    applies_to: AppliesTo | None = None
    check: Condition | None = Field(None, description="Condition each subject must satisfy (all targets but path)")
    path: PathSpec | None = Field(None, description="Graph structure (target: path)")
    message: str = Field(description="Shown for a failing subject; placeholders like {node.name}, {param.x}")
    rationale: str | None = None
    remediation: str
    effort: Effort = Effort.medium
    responsible: str = Field("from", pattern="^(from|to)$",
                             description="Edge rules: the endpoint whose partner score carries the finding")
    references: list[Reference] = Field(default_factory=list)
    status: RuleStatus = RuleStatus.active
    replaced_by: str | None = Field(None, pattern=RULE_ID_PATTERN)
    tags: list[str] = Field(default_factory=list)
    effective: dt.date | None = Field(None, description="The rule applies to audits dated on or after this date")
    sunset: dt.date | None = Field(None, description="The rule no longer applies to audits dated on or after this date")

    @model_validator(mode="after")
    def _sunset_after_effective(self) -> Rule:
        if self.effective is not None and self.sunset is not None and self.sunset <= self.effective:
            raise ValueError(f"sunset {self.sunset} is not after effective {self.effective}: the rule would never "
                             "be in force (expected a sunset date later than the effective date)")
        return self

    def in_force(self) -> str | None:
        """When the rule is in force, in words ("required from 1 January 2024"); None when always."""
        parts = ([f"required from {long_date(self.effective)}"] if self.effective else []) + (
            [f"no longer required from {long_date(self.sunset)}"] if self.sunset else [])
        return "; ".join(parts) or None

    def not_in_force(self, as_of: dt.date) -> str | None:
        """Why the rule does not apply to an audit dated `as_of`, or None when it is in force then:
        "not in force on 2 December 2026: no longer required from 27 November 2023"."""
        if self.effective is not None and as_of < self.effective:
            why = f"required from {long_date(self.effective)}"
        elif self.sunset is not None and as_of >= self.sunset:
            why = f"no longer required from {long_date(self.sunset)}"
        else:
            return None
        return f"not in force on {long_date(as_of)}: {why}"


class AttributeType(str, Enum):
    """What a declared attribute holds: one value, or a list of them."""

    text = "text"
    integer = "integer"
    number = "number"
    boolean = "boolean"
    date = "date"
    list_of_text = "list of text"
    list_of_integer = "list of integer"
    list_of_number = "list of number"
    list_of_boolean = "list of boolean"
    list_of_date = "list of date"


ATTRIBUTE_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_-]*$"
AttributeName = Annotated[str, Field(pattern=ATTRIBUTE_NAME)]


class Attribute(_Strict):
    type: AttributeType = Field(description="text, integer, number, boolean, date, or 'list of' one of them")
    description: str = Field(description="What the attribute records, for authors of supply files")


_NAMES_ONLY: dict[str, Any] = {"additionalProperties": False}  # the schema: a name not matching the pattern is flagged


class AttributeDeclarations(_Strict):
    """The `attributes.*` names the pack's rules read, per kind of record (issue #9, typed attributes)."""

    node: dict[AttributeName, Attribute] = Field(
        default_factory=dict, description="attributes of partners", json_schema_extra=_NAMES_ONLY)
    edge: dict[AttributeName, Attribute] = Field(
        default_factory=dict, description="attributes of links", json_schema_extra=_NAMES_ONLY)
    product: dict[AttributeName, Attribute] = Field(
        default_factory=dict, description="attributes of products", json_schema_extra=_NAMES_ONLY)
    company: dict[AttributeName, Attribute] = Field(
        default_factory=dict, description="attributes of the company", json_schema_extra=_NAMES_ONLY)


ATTRIBUTE_OWNERS = ("node", "edge", "product", "company")  # the records of a supply file with `attributes`


class Scope(_Strict):
    """When the pack is picked by default (no -g and no guidelines: in the file)."""

    categories: list[str] | None = Field(None, description="Product categories this pack is for; none = any")
    roles: list[Role] | None = Field(None, description="Node roles that must be present for the pack to fit")


class Pack(_Strict):
    """A guideline pack: one immutable file per released version."""

    pack: str = Field(pattern=PACK_NAME_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    title: str
    status: PackStatus = PackStatus.draft
    released: dt.date | None = None
    description: str | None = None
    extends: str | None = Field(None, description="pack@version this version builds on; rules: then lists changes")
    remove: list[str] = Field(default_factory=list,
                              description="Rule ids of the extended version that this version drops")
    scope: Scope | None = None
    sources: list[Source] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    conditions: dict[Annotated[str, StringConstraints(pattern=CONDITION_NAME_PATTERN)], NamedCondition] = Field(
        default_factory=dict, description="Named conditions, used in rules as {use: NAME}; a later version may "
                                          "redefine them", json_schema_extra={"additionalProperties": False})
    attributes: AttributeDeclarations | None = Field(
        None, description="The attributes.* the rules read, with their types: rules may read only these, and "
                          "supply files are checked against them")
    sections: list[Section] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)

