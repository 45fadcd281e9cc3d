"""The formatter interface shared by every report format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import BinaryIO

from nofakes.audit.result import AuditResult


@dataclass(frozen=True)
class RenderOptions:
    colour: bool = False  # terminal: ANSI colour (off with NO_COLOR or when not a terminal)
    width: int = 80  # terminal: columns
    top: int = 10  # terminal/markdown: how many gaps and plan steps to show
    fail_on: str = "high"  # severity threshold, shown in the verdict
    fail_under: float = 0.0  # overall score threshold, shown in the verdict


class Formatter(ABC):
    """Turns an audit result into the bytes of one report format."""

    name: str = ""
    extension: str = ""
    binary: bool = False  # True for formats that must not go to a terminal (xlsx)

    @abstractmethod
    def render(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The complete report."""

    def write(self, result: AuditResult, options: RenderOptions, stream: BinaryIO) -> None:
        """Write the report to a binary stream; formats for large graphs stream instead of
        building the whole report in memory. The bytes are those of `render`."""
        stream.write(self.render(result, options))
