"""Regular expressions for `matches`, compiled with RE2: matching takes linear time in the input,
whatever the pattern (from a pack or from a parameter override), so no input can hang an audit.

`matches` keeps its meaning: a search anywhere in the text (anchor with ^ and $), case-sensitive
unless the pattern says `(?i)`. RE2 has no backreferences and no lookaround (they are what makes
backtracking engines slow); a pattern using them is an error when the rule is compiled.
"""

from __future__ import annotations

from typing import Any, Protocol

import re2

from nofakes.rules.outcome import ConditionError, Loc

MAX_PATTERN_LENGTH = 300

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; the error is raised instead
_OPTIONS.never_capture = True  # only "does it match" is asked

# RE2's parse errors, as a rule author reads them
_UNSUPPORTED = (
    ("invalid perl operator: (?=", "lookahead (?=...) is not supported"),
    ("invalid perl operator: (?!", "negative lookahead (?!...) is not supported"),
    ("invalid perl operator: (?<", "lookbehind (?<=...) or (?<!...) is not supported"),
    ("invalid perl operator: (?P", "named backreferences (?P=name) are not supported"),
    ("invalid repetition size", "a repetition count above 1000 is not supported"),
)


class Pattern(Protocol):
    def search(self, text: str) -> Any: ...


def compile_pattern(pattern: Any, loc: Loc, origin: str = "") -> Pattern:
    """`origin` names where the pattern comes from (e.g. "parameter authority_pattern")."""
    where = f" ({origin})" if origin else ""
    if not isinstance(pattern, str):
        raise ConditionError(loc, f"found {pattern!r}{where}", expected="a regular expression as text")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConditionError(loc, f"regular expression of {len(pattern)} characters{where}",
                             expected=f"at most {MAX_PATTERN_LENGTH} characters")
    try:
        return re2.compile(pattern, options=_OPTIONS)  # type: ignore[no-any-return]
    except UnicodeEncodeError:
        raise ConditionError(loc, f"regular expression {pattern!r}{where} is not valid Unicode text",
                             expected="a regular expression as text") from None
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        words = next((text for prefix, text in _UNSUPPORTED if detail.startswith(prefix)), detail)
        if detail.startswith("invalid escape sequence: "):
            escape = detail.rpartition(" ")[2]
            words = (f"backreferences such as {escape} are not supported" if escape[1:].isdigit()
                     else f"the escape {escape} is not supported")
        raise ConditionError(loc, f"invalid regular expression {pattern!r}{where}: {words}",
                             expected="a pattern RE2 accepts: linear-time matching, so no backreferences, "
                                      "lookahead or lookbehind") from None
