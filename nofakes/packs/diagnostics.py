"""Pack-model validation errors in words a pack author can act on.

Two things pydantic says badly for packs: a value matching none of a union's types (a mapping as
a parameter default) comes out once per member type, and an id in the wrong form comes out as
the raw regular expression. Here a union failure is one diagnostic listing what would do, and
rule ids, pack names and versions are explained with an example.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from nofakes.core.errors import Diagnostic
from nofakes.packs.model import CONDITION_NAME_PATTERN, PACK_NAME_PATTERN, RULE_ID_PATTERN, VERSION_PATTERN, Pack
from nofakes.supply.validation import clean_loc, located_error

PATTERN_WORDS = {
    RULE_ID_PATTERN: "a rule id of the form PREFIX-AREA-NNN: capital letters, a dash, an area in capitals or "
                     "digits, a dash and three digits, e.g. ELX-SRC-001",
    PACK_NAME_PATTERN: "a pack name in lower-case letters, digits and dashes, starting with a letter, e.g. ntif",
    VERSION_PATTERN: "a version MAJOR.MINOR.PATCH in whole numbers without leading zeros, e.g. 1.0.0",
    CONDITION_NAME_PATTERN: "a condition name in lower-case letters, digits and underscores, starting with a "
                            "letter, e.g. current_authorization",
}
_TYPE_ERRORS = {"string_type", "int_type", "float_type", "bool_type", "date_type", "int_parsing", "float_parsing",
                "bool_parsing", "date_parsing", "date_from_datetime_parsing", "list_type"}


def validation_diagnostics(exc: ValidationError, display: str, text: str) -> list[Diagnostic]:
    """Every error of a pack that fails its model, located in `display`, worded for authors."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for error in exc.errors(include_url=False):
        loc = clean_loc(tuple(error["loc"]), Pack)
        loc = loc[:-1] if loc[-1:] == ("[key]",) else loc  # a mapping key in the wrong form: the entry it names
        grouped.setdefault(loc, []).append(dict(error))
    diagnostics = []
    for loc, errors in grouped.items():
        parts = [located_error(error, loc, display, text, list(loc), root=Pack) for error in errors]
        if len(parts) > 1 and all(error["type"] in _TYPE_ERRORS for error in errors):
            # one value that matches none of a union's types: say it once, with every type that would do
            found = parts[0].message.split(": input should", 1)[0]
            kinds = list(dict.fromkeys(p.expected for p in parts if p.expected))
            expected = ", or ".join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
            diagnostics.append(replace(parts[0], message=found, expected=expected or None))
            continue
        for item, diagnostic in zip(errors, parts, strict=True):
            pattern = (item.get("ctx") or {}).get("pattern")
            if item["type"] == "string_pattern_mismatch" and pattern in PATTERN_WORDS:
                found = diagnostic.message.split(": string should", 1)[0]
                diagnostic = replace(diagnostic, message=found, expected=PATTERN_WORDS[pattern])
            diagnostics.append(diagnostic)
    return diagnostics
