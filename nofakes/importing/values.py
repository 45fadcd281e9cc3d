"""Cell values as the supply-chain format wants them: yes/no, dates, countries, enumerations, numbers, ids.

Each `to_*` function takes a cell (text from CSV; text, number, boolean or date-time from a
workbook) and returns the value, or raises `ValueProblem` saying what was wrong and what
was expected, in words.

- **yes/no**: yes, y, true, 1, x, ✓, ja, oui, si / no, n, false, 0, nein, non (any case).
- **dates**: ISO (2026-12-31, 2026/12/31, 20261231), day.month.year (31.12.2026), day and month with
  `/` or `-` in either order (31/12/2026, 12/31/2026), month names (31 Dec 2026, Dec 31, 2026),
  Excel serial numbers (46022), and workbook date cells. When the day and the month could be
  swapped (05/06/2026), the order must be given (`DMY` or `MDY`): guessing would move an
  audit by months. Two-digit years are refused for the same reason.
- **countries**: alpha-2 or alpha-3 codes and names, see `nofakes.supply.countries`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import Enum
from functools import cache
from typing import Any

from nofakes.core.text import folded
from nofakes.sources.tables import Formula
from nofakes.supply.countries import country_code

DATE_ORDERS = ("DMY", "MDY")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 February 1900 that never was)
EXCEL_SERIALS = range(1, 2958466)  # up to 9999-12-31
YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "ja", "j", "oui", "si", "sí", "t", "on"})
NO = frozenset({"no", "n", "false", "0", "nein", "non", "f", "off", "-"})
YES_NO_EXPECTED = "yes or no (Y/N, true/false, 1/0, x)"
DATE_EXPECTED = "a date such as 2026-12-31, 31.12.2026, 31/12/2026 or 31 Dec 2026"
_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})")
_SLASHED = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ -]([a-z]+)\.?,?[ -](\d{2,4})")
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.? (\d{1,2}),? (\d{2,4})")
_INTEGER = re.compile(r"[+-]?\d{1,15}")
_DECIMAL = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_ID_CHARS = re.compile(r"[^A-Za-z0-9._:-]+")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


class ValueProblem(Exception):
    """A cell value that cannot be imported: what was wrong, and what was expected."""

    def __init__(self, message: str, expected: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.hint = hint


def shown(cell: object) -> str:
    """A cell value as quoted in a message."""
    if isinstance(cell, Formula):
        return cell.text
    if isinstance(cell, dt.datetime) and cell.time() == dt.time(0):
        return cell.date().isoformat()
    text = str(cell)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def to_text(cell: object) -> str:
    """Text, trimmed, with inner runs of white space as one space; a whole number from a workbook
    without its '.0'; a workbook date as ISO text."""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return " ".join(str(cell).split())


def to_bool(cell: object) -> bool:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and cell in (0, 1):
        return bool(cell)
    word = str(cell).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueProblem(f"{shown(cell)} is not yes or no", YES_NO_EXPECTED)


def to_date(cell: object, order: str | None = None) -> dt.date:
    """A date from a workbook date cell, an Excel serial number, or text (see the module docstring).
    `order` ('DMY' or 'MDY') says how to read day and month when either could come first."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, bool):
        raise ValueProblem(f"{shown(cell)} is not a date", DATE_EXPECTED)
    if isinstance(cell, (int, float)):
        return _serial(cell)
    text = " ".join(str(cell).split()).casefold()
    if len(text) == 8 and text.isdigit() and text[:2] in ("19", "20"):  # 20261231, as ERP systems export it
        return _ymd(cell, int(text[:4]), int(text[4:6]), int(text[6:]))
    if _INTEGER.fullmatch(text):
        return _serial(int(text))
    if match := _ISO.fullmatch(text):
        return _ymd(cell, int(match[1]), int(match[2]), int(match[3]))
    if match := _DOTTED.fullmatch(text):
        return _ymd(cell, _year(cell, match[3]), int(match[2]), int(match[1]))
    if match := _SLASHED.fullmatch(text):
        return _day_or_month_first(cell, int(match[1]), int(match[2]), _year(cell, match[3]), order)
    if match := _DAY_MONTH_NAME.fullmatch(text):
        return _ymd(cell, _year(cell, match[3]), _month(cell, match[2]), int(match[1]))
    if match := _MONTH_NAME_DAY.fullmatch(text):
        return _ymd(cell, _year(cell, match[3]), _month(cell, match[1]), int(match[2]))
    raise ValueProblem(f"{shown(cell)} is not a date", DATE_EXPECTED)


def _serial(number: float) -> dt.date:
    if not float(number).is_integer() and number > 0:
        number = int(number)  # a serial date-time: the day is the whole part
    if int(number) not in EXCEL_SERIALS:
        raise ValueProblem(f"{number!r} is not a date", DATE_EXPECTED + ", or an Excel serial date")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _year(cell: object, digits: str) -> int:
    if len(digits) != 4:
        raise ValueProblem(f"{shown(cell)} has a {len(digits)}-digit year, which could be read in more than one "
                           "century", "a four-digit year")
    return int(digits)


def _month(cell: object, word: str) -> int:
    if word not in _MONTHS:
        raise ValueProblem(f"{shown(cell)} is not a date: {word!r} is not a month", DATE_EXPECTED)
    return _MONTHS[word]


def _day_or_month_first(cell: object, first: int, second: int, year: int, order: str | None) -> dt.date:
    if order == "DMY":
        return _ymd(cell, year, second, first)
    if order == "MDY":
        return _ymd(cell, year, first, second)
    if first > 12 >= second:
        return _ymd(cell, year, second, first)
    if second > 12 >= first:
        return _ymd(cell, year, first, second)
    if first == second:
        return _ymd(cell, year, first, second)
    raise ValueProblem(f"{shown(cell)} could be {first} {_month_name(second)} or {second} {_month_name(first)}",
                       "a date whose day and month cannot be swapped",
                       hint="say how the file writes dates with --date-format DMY (day first) or MDY (month first)")


def _month_name(month: int) -> str:
    return dt.date(2000, month, 1).strftime("%B") if 1 <= month <= 12 else f"month {month}"


def _ymd(cell: object, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueProblem(f"{shown(cell)} is not a calendar date ({exc})", DATE_EXPECTED) from None


def to_country(cell: object) -> str:
    code = country_code(to_text(cell))
    if code is None:
        raise ValueProblem(f"{shown(cell)} is not a country", "an ISO 3166 country code (DE, DEU) or a country name")
    return code


def to_enum(cell: object, enum: type[Enum], synonyms: dict[str, str]) -> str:
    """The value of `enum` that a cell names: by value, or by a folded synonym."""
    key = folded(to_text(cell))
    found = _folded_values(enum).get(key) or synonyms.get(key)
    if found is not None:
        return found
    values = [str(member.value) for member in enum]
    raise ValueProblem(f"{shown(cell)} is not one of the values this field takes", "one of " + ", ".join(values),
                       hint="add a value map for this column to the mapping file (values: {...})")


@cache
def _folded_values(enum: type[Enum]) -> dict[str, str]:
    return {folded(str(member.value)): str(member.value) for member in enum}


def to_int(cell: object) -> int:
    if isinstance(cell, bool):
        raise ValueProblem(f"{shown(cell)} is not a whole number", "a whole number")
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int):
        return cell
    text = to_text(cell).replace(",", "")
    if _INTEGER.fullmatch(text):
        return int(text)
    raise ValueProblem(f"{shown(cell)} is not a whole number", "a whole number of at most 15 digits")


def to_float(cell: object) -> float:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and math.isfinite(cell):
        return float(cell)
    text = to_text(cell)
    percent = text.endswith("%")
    text = text.removesuffix("%").strip()
    if _DECIMAL.fullmatch(text) and math.isfinite(float(text)):
        return float(text) / (100 if percent else 1)
    raise ValueProblem(f"{shown(cell)} is not a number", "a number such as 0.6 or 60%")


def to_list(cell: object) -> list[str]:
    """Several values in one cell, separated by ';' or line breaks."""
    parts = re.split(r"[;\n]", cell) if isinstance(cell, str) else [to_text(cell)]
    return [text for text in (to_text(part) for part in parts) if text]


def to_product_list(cell: object) -> list[str]:
    """Products named in one cell (see `to_list`), each one an id can be made of (see `to_identifier`)."""
    names = to_list(cell)
    for name in names:
        to_identifier(name)
    return names


def to_attribute(cell: object) -> Any:
    """A free-form value: a workbook's numbers, booleans and dates as they are (a whole float as an int);
    text that is a whole number (no leading zero) or a decimal that reads back the same as that number (so
    CSV and XLSX agree, and '007' or '1.10' stay text); other text trimmed."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() and abs(cell) < 10**15 else cell
    if isinstance(cell, int):
        return cell
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time(0) else to_text(cell)
    if isinstance(cell, dt.date):
        return cell
    text = to_text(cell)
    if _INTEGER.fullmatch(text) and not (len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0")):
        return int(text)
    if _DECIMAL.fullmatch(text) and repr(float(text)) == text and math.isfinite(float(text)):
        return float(text)
    return text


def to_identifier(cell: object) -> str:
    """An id the format accepts, from an id column: kept as written when valid, else each run of other
    characters becomes '-'."""
    text = to_text(cell)
    ident = _ID_CHARS.sub("-", text).strip("-._:")
    if not ident:
        raise ValueProblem(f"{shown(cell)} has no letters or digits to make an id of",
                           "an id of letters, digits, '.', '_', ':' or '-'")
    return ident[:200]


def slug(name: str) -> str:
    """'Shenzhen PCB Co., Ltd.' -> 'shenzhen-pcb-co-ltd' (accents dropped); '' when nothing is left."""
    return _SLUG_CHARS.sub("-", folded(name)).strip("-")[:80].strip("-")
