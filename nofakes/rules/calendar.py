"""Business days (Monday to Friday, no holiday calendar) in constant time, never a day-by-day loop.

Business days are numbered from 0001-01-01 (a Monday, day number 1): `_index(d)` is how many
business days fall on or before `d`, and the k-th business day has day number
`7 * ((k - 1) // 5) + (k - 1) % 5 + 1`. Works on day numbers, so shifts past the calendar
saturate (`values.business_shift` turns the day number into a date or a `Beyond` date).

No holiday calendar: which holidays count depends on the jurisdiction of each clause (a US
federal holiday is a working day in Germany), calendars change every year (an audit would then
depend on the version of a holiday library), and none is required by the domain clauses we
express (DSCSA's "1 business day" is stated as "within 48 hours").
"""

from __future__ import annotations

import datetime as dt


def _index(ordinal: int) -> int:
    """Business days with a day number <= `ordinal` (negative before year 1: the formula extends)."""
    weeks, weekday = divmod(ordinal - 1, 7)  # weekday 0 = Monday
    return weeks * 5 + min(weekday + 1, 5)


def _nth(k: int) -> int:
    """The day number of the k-th business day."""
    weeks, weekday = divmod(k - 1, 5)
    return weeks * 7 + weekday + 1


def business_ordinal(ordinal: int, n: int) -> int:
    """The day number of the n-th business day after day `ordinal` (before it when n < 0; the day
    itself when n == 0). From a Saturday, one business day later is Monday and one earlier Friday."""
    if n == 0:
        return ordinal
    weekend = (ordinal - 1) % 7 >= 5
    return _nth(_index(ordinal) + n + (1 if n < 0 and weekend else 0))


def business_days_between(earlier: dt.date, later: dt.date) -> int:
    """How many business days fall after `earlier` up to and including `later` (negative when
    `later` is the earlier date)."""
    return _index(later.toordinal()) - _index(earlier.toordinal())
