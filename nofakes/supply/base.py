"""The building blocks of the supply-chain models: the strict base model and the checked value types.

- `Country`: an ISO 3166-1 alpha-2 code, with a "did you mean" for common mistakes (UK, USA);
- `Region`: an ISO 3166-2 subdivision code (US-CA, DE-BY), checked against the table in
  nofakes.supply.subdivisions (format 1.1); a former code (IN-TG, now IN-TS) is accepted, and
  the cross references (nofakes.supply.references) warn about it and check that the region lies
  in the partner's country;
- `Identifier`, `Attributes` (free-form, ISO date text becomes a date), `AuditDate`;
- `since_format`: marks a field as new in a format version, so that a file declaring an older
  version is told which version it needs (nofakes.supply.versions).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from nofakes.core.errors import did_you_mean
from nofakes.supply.countries import ALPHA2, COMMON_MISTAKES
from nofakes.supply.subdivisions import former_codes, is_subdivision, subdivisions
from nofakes.supply.values import check_audit_date, dates_in_attributes

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
REGION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
SINCE_KEY = "x-nofakes-since"  # in a field's JSON Schema: the format version that added it


def since_format(version: str, **field: Any) -> Any:
    """A pydantic `Field` new in format `version` (the version is also shown in the JSON Schema)."""
    return Field(**field, json_schema_extra={SINCE_KEY: version})


def added_in(model: type[BaseModel], name: str) -> str | None:
    """The format version that added field `name` of `model`, None for format 1 fields."""
    extra = model.model_fields[name].json_schema_extra
    return extra.get(SINCE_KEY) if isinstance(extra, dict) else None  # type: ignore[return-value]


def _check_country(value: str) -> str:
    if value not in ALPHA2:
        hint = COMMON_MISTAKES.get(value.upper()) or (value.upper() if value.upper() in ALPHA2 else None)
        suffix = f"; did you mean {hint!r}?" if hint else ""
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code{suffix}")
    return value


def region_problem(value: str) -> str | None:
    """Why `value` is not an ISO 3166-2 subdivision code, with a suggestion; None when it is one,
    current or former (see `former_code`)."""
    if is_subdivision(value) or value in former_codes():
        return None
    upper = value.upper().replace("_", "-").replace(" ", "-")
    if is_subdivision(upper):
        hint: str | None = f"did you mean {upper!r}?"
    elif "-" not in upper:  # 'CA' for California: the country is missing, and guessing it would mislead
        hint = "start with the country code and a dash"
    else:
        country = COMMON_MISTAKES.get(upper[:3].rstrip("-"), upper[:2])
        hint = did_you_mean(upper, sorted(subdivisions().get(country, ())))
    suffix = f"; {hint}" if hint else ""
    return f"{value!r} is not an ISO 3166-2 subdivision code (such as US-CA){suffix}"


def former_code(value: str) -> str | None:
    """For a former ISO 3166-2 code (IN-TG), that it is one and its successor, in words; else None."""
    if value not in former_codes():
        return None
    successor = former_codes()[value]
    now = f"; the subdivision is now {successor}" if successor else "; the subdivision no longer exists"
    return f"{value} is a former ISO 3166-2 code{now}"


def _check_region(value: str) -> str:
    problem = region_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Country = Annotated[
    str,
    AfterValidator(_check_country),
    Field(description="ISO 3166-1 alpha-2 country code", json_schema_extra={"enum": sorted(ALPHA2)}),
]
Region = Annotated[
    str,
    AfterValidator(_check_region),
    Field(description="ISO 3166-2 subdivision code (country, dash, subdivision), e.g. US-CA, DE-BY, IN-MH",
          json_schema_extra={"pattern": REGION_PATTERN}),
]
Identifier = Annotated[
    str, Field(pattern=ID_PATTERN, max_length=200, description="Letters, digits, '.', '_', ':' and '-'")
]
Attributes = Annotated[
    dict[str, Any],
    AfterValidator(dates_in_attributes),
    Field(description="Free-form data; rules may read attributes.*. Unknown keys allowed. "
                      "Text that is exactly an ISO date (YYYY-MM-DD) is a date, in YAML and JSON alike."),
]
AuditDate = Annotated[dt.date, AfterValidator(check_audit_date)]


class Strict(BaseModel):
    """Frozen, unknown keys forbidden, numbers finite."""

    # allow_inf_nan: .nan or .inf (1e400 in JSON) in a number field compares false with everything
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)
