"""Waivers, judged in one place against `as_of`.

A waiver is active through its expiry date (`expires >= as_of`). Active waivers turn a
failing finding into `waived` (left out of scores); expired waivers count as absent and are
reported; active waivers that matched no failing finding are reported as unused (a warning).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nofakes.audit.findings import AppliedWaiver
from nofakes.supply.model import Waiver


def is_active(waiver: Waiver, as_of: dt.date) -> bool:
    """The one expiry test used everywhere."""
    return waiver.expires >= as_of


@dataclass
class WaiverBook:
    as_of: dt.date
    active: dict[tuple[str, str], Waiver] = field(default_factory=dict)
    expired: list[Waiver] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_waivers(cls, waivers: list[Waiver], as_of: dt.date) -> WaiverBook:
        book = cls(as_of)
        for waiver in waivers:
            if is_active(waiver, as_of):
                book.active.setdefault((waiver.rule, waiver.target), waiver)
            else:
                book.expired.append(waiver)
        return book

    def match(self, rule_id: str, subject: str) -> AppliedWaiver | None:
        """The active waiver covering this failing (rule, subject), most specific first."""
        for key in ((rule_id, subject), (rule_id, "*")):
            waiver = self.active.get(key)
            if waiver is not None:
                self.used.add(key)
                return AppliedWaiver(waiver.rule, waiver.target, waiver.reason, waiver.approved_by, waiver.expires)
        return None

    def unused(self) -> list[Waiver]:
        return [w for key, w in self.active.items() if key not in self.used]
