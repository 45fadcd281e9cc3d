"""The formatter interface shared by every report format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from nofakes.reports.view import ReportView


@dataclass(frozen=True)
class RenderOptions:
    colour: bool = False  # terminal: ANSI colour (off with NO_COLOR or when not a terminal)
    width: int = 80  # terminal: columns
    top: int = 10  # how many gaps and plan steps a summary shows
    fail_on: str = "high"  # severity threshold of the verdict
    fail_under: float = 0.0  # overall score threshold of the verdict
    fail_on_new: bool = False  # only gaps new since the baseline count against fail_on
    plan_weight: str = "none"  # "risk": plan order weighted by each partner's risk (scoring.RISK_WEIGHT_FORMULA)


class Formatter(ABC):
    """Lays a report view out as the bytes of one report format."""

    @abstractmethod
    def render(self, view: ReportView) -> bytes:
        """The complete report."""

    def write(self, view: ReportView, stream: BinaryIO) -> None:
        """Write the report to a binary stream; formats for large graphs stream instead of
        building the whole report in memory. The bytes are those of `render`."""
        stream.write(self.render(view))
